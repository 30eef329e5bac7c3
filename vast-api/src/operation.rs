//! The types an operation's `send()` gives, named through its builder whatever the spec calls
//! them (`types::ShowInstanceError` in one spec version may be another name in the next).

/// Implemented by `cargo xtask gen` for every operation's builder:
/// `<vast_api::builder::ShowApiKeys<'static> as vast_api::Operation>::Error` is the documented
/// error body of `show_api_keys`, `Response` its success body.
pub trait Operation {
    /// The success body `send()` gives.
    type Response;
    /// The documented error body of `send()`'s [`Error`](crate::Error).
    type Error;
}
