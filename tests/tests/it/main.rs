//! All end-to-end tests in one binary (one link instead of one per file).

mod cli;
mod errors;
mod examples;
mod hostile;
mod hostile_output;
mod library;
mod prism;
mod properties;
mod retries;
mod support;
mod tls;
mod wait;
