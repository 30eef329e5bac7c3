// The crate's documentation is its README, whose Rust examples run as doctests.
#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod api_key;
mod client_state;
mod config;
mod hooks;
mod local_file;
pub mod proxy;
mod retry;

// The generated code is checked in and never edited; lints that flag its style are not ours to fix,
// and its documentation is the spec's (`cargo xtask gen` writes the client's own).
#[allow(clippy::all, dead_code, missing_docs, unreachable_patterns, unused_imports)]
#[rustfmt::skip]
mod generated;


pub use api_key::{ApiKey, KeySource};
pub use client_state::{
    CapturedCall, CapturedResponse, ClientState, DEFAULT_MAX_RESPONSE_BYTES, ResponseCapture,
};
pub use config::{ClientConfig, ConfigError, DEFAULT_BASE_URL, RedirectRefused};
pub use generated::*;
pub use retry::RetryPolicy;
