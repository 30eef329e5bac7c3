// The crate's documentation is its README, whose Rust examples run as doctests.
#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// Without any API area (features) there are no operations to use the per-call machinery.
#![cfg_attr(no_operations, allow(dead_code))]

pub mod api_key;
mod ca_certs;
mod call;
mod call_record;
mod client_state;
mod config;
mod error;
pub mod filter;
mod hooks;
mod json_call;
pub mod local_file;
mod operation;
pub mod pages;
pub mod proxy;
pub mod results;
mod retry;
mod shape;
pub mod text;
pub mod wait;

// The generated code is checked in and never edited; lints that flag its style are not ours to fix,
// and its documentation is the spec's (`cargo xtask gen` writes the client's own).
#[allow(clippy::all, clippy::too_many_lines, dead_code, missing_docs, unreachable_patterns, unused_imports)]
#[rustfmt::skip]
mod generated;


pub use api_key::{ApiKey, KeySource};
pub use client_state::{
    CapturedCall, CapturedResponse, ClientState, DEFAULT_MAX_RESPONSE_BYTES, HeldRequest,
    RequestCapture, ResponseCapture,
};
pub use config::{
    ClientConfig, ConfigError, DEFAULT_BASE_URL, RedirectRefused, base_url_from_env,
    operation_server,
};
// Ours, not progenitor's `Error` that the generated module also exports: named, it wins.
pub use error::{Error, ErrorKind};
pub use generated::*;
pub use json_call::{Documented, JsonCall, Responses};
pub use operation::{Id, Operation};
pub use retry::{GaveUp, RetryPolicy};
pub use wait::{InstanceState, WaitError, WaitOptions};
