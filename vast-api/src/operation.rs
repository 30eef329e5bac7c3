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

/// A numeric id for a path parameter whose type the spec decides: the vendor's spec types an
/// instance's `id` as an integer, others as a string. `builder.id(Id(42))` fits either, so code
/// written once (the wait, the examples) builds with every version of the spec.
///
/// ```
/// use vast_api::Id;
/// assert_eq!(i64::from(Id(42)), 42);
/// assert_eq!(String::from(Id(42)), "42");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Id(pub i64);

impl From<Id> for i64 {
    fn from(id: Id) -> Self {
        id.0
    }
}

impl From<Id> for String {
    fn from(id: Id) -> Self {
        id.0.to_string()
    }
}
