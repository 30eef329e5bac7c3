//! All end-to-end tests in one binary (one link instead of one per file).

// A test reads as one scenario, setup to assertions, however long: the 80-line limit on
// functions (clippy.toml) is for the code they test.
#![allow(clippy::too_many_lines)]

mod cli;
mod errors;
mod examples;
mod hostile;
mod hostile_local;
mod hostile_network;
mod hostile_output;
mod layout;
mod library;
mod lists;
mod prism;
mod properties;
mod requests;
mod results;
mod retries;
mod search;
mod support;
mod texts;
mod tls;
mod vastai_names;
mod wait;
