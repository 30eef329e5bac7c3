//! A typed client for the [Vast.ai](https://vast.ai) API, generated from the vendor's OpenAPI spec.
//!
//! Every operation of the spec is a method on [`Client`] returning a builder; `send()` performs the
//! request and returns the typed response, or an [`Error`] that keeps apart a documented error
//! response (with its typed body), a communication failure, a body that is not what the spec says,
//! and a response the spec does not list.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! // The key comes from VAST_API_KEY or the vastai key file; the server from VAST_URL.
//! let client = vast_api::Client::from_env()?;
//! let keys = client.show_api_keys().send().await?.into_inner();
//! for key in keys.apikeys.iter().flatten() {
//!     println!("{:?} {:?}", key.id, key.rights);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Configure it explicitly with [`ClientConfig`]:
//!
//! ```
//! use std::time::Duration;
//!
//! let client = vast_api::ClientConfig::new()
//!     .api_key("0123456789abcdef")
//!     .base_url("http://127.0.0.1:8080")
//!     .timeout(Duration::from_secs(10))
//!     .user_agent("my-tool/1.0")
//!     .build()?;
//! assert_eq!(vast_api::ClientInfo::baseurl(&client), "http://127.0.0.1:8080");
//! # Ok::<(), vast_api::ConfigError>(())
//! ```

pub mod api_key;
mod client_state;
mod config;
mod error;
mod hooks;
mod local_file;
pub mod proxy;
mod retry;
pub mod text;

// The generated code is checked in and never edited; lints that flag its style are not ours to fix.
#[allow(clippy::all, dead_code, unreachable_patterns, unused_imports)]
#[rustfmt::skip]
mod generated;


pub use api_key::{ApiKey, KeySource};
pub use client_state::{
    CapturedCall, CapturedResponse, ClientState, DEFAULT_MAX_RESPONSE_BYTES, ResponseCapture,
};
pub use config::{ClientConfig, ConfigError, DEFAULT_BASE_URL, RedirectRefused, base_url_from_env};
// Ours, not progenitor's `Error` that the generated module also exports: named, it wins.
pub use error::{Error, ErrorKind, GaveUp};
pub use generated::*;
pub use retry::RetryPolicy;
