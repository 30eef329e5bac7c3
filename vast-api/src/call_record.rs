//! What the hooks see during one call, kept for the error made at its end ([`CallRecord`]).

use bytes::Bytes;
use reqwest::{StatusCode, Url};

use crate::retry::GaveUp;

/// A body limit the hooks enforced, noted for the error.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Limit {
    Size(usize),
    Containers(usize),
}

/// What the hooks saw during one call, for the error made at its end. Kept per task, since
/// progenitor's hooks get no per-call state of their own.
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    pub(crate) attempts: u32,
    pub(crate) gave_up: Option<GaveUp>,
    /// The final attempt of a request that is not safe ended so that it may have been carried
    /// out.
    pub(crate) carried_out: bool,
    /// The final attempt's status, when a status came.
    pub(crate) status: Option<StatusCode>,
    /// How much of a body that broke off arrived, when the hooks read it.
    pub(crate) received: Option<usize>,
    pub(crate) limit: Option<Limit>,
    /// The final response's body, when its status is not a success (the hooks read those).
    pub(crate) error_body: Option<Bytes>,
    pub(crate) redirected_to: Option<Url>,
    /// The server the request went to, when it is not the client's base URL.
    pub(crate) server: Option<String>,
    /// The request was held, not sent.
    pub(crate) not_sent: bool,
}
