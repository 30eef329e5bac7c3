//! Per-client settings and state that the hooks read, held in the generated `Client`'s `inner`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;

use crate::RetryPolicy;
use crate::api_key::ApiKey;
use crate::proxy::Proxies;
use crate::retry::GaveUp;

/// The largest response body read, 32 MiB: more than any Vast.ai response, and a bound on the
/// memory a broken or hostile server can make a client use.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 << 20;

/// The settings every call of a [`Client`](crate::Client) reads, besides the HTTP client itself:
/// the response size limit, the [`RetryPolicy`], and the [`ResponseCapture`], if any.
///
/// [`ClientConfig`](crate::ClientConfig) makes one from its settings; you need one yourself only
/// to give [`Client::new_with_client`](crate::Client::new_with_client) a `reqwest::Client` of
/// your own, and then `ClientState::default()` holds the defaults: 3 attempts as
/// [`RetryPolicy::default`] allows them, bodies up to [`DEFAULT_MAX_RESPONSE_BYTES`], no capture.
#[derive(Debug, Clone)]
pub struct ClientState {
    pub(crate) max_response_bytes: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) capture: Option<ResponseCapture>,
    /// When set, requests are recorded here and never sent (a dry run).
    pub(crate) hold: Option<RequestCapture>,
    /// What errors say of the client: the proxies its servers are reached through, the time an
    /// attempt and its connecting may take, and the key, which their quotes of a server's text
    /// never show.
    pub(crate) proxies: Proxies,
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) secret: Option<ApiKey>,
    pub(crate) edit: Option<RequestEdit>,
}

/// A change made to every request just before it is sent, set with
/// [`ClientConfig::edit_requests`](crate::ClientConfig::edit_requests).
#[derive(Clone)]
pub(crate) struct RequestEdit(pub(crate) Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>);

impl std::fmt::Debug for RequestEdit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RequestEdit")
    }
}

impl Default for ClientState {
    fn default() -> Self {
        Self {
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            capture: None,
            hold: None,
            proxies: Proxies::default(),
            timeout: None,
            connect_timeout: None,
            secret: None,
            edit: None,
        }
    }
}

/// Keeps the last call's outcome as received: the status and exact body bytes of its final
/// response, how many attempts it took, and why retrying stopped early: for printing a body
/// unchanged (fields the spec does not list included), or quoting it in an error message.
///
/// ```
/// use vast_api::{ClientConfig, ResponseCapture};
///
/// let capture = ResponseCapture::new();
/// let client = ClientConfig::new()
///     .api_key("0123456789abcdef")
///     .capture_responses(capture.clone())
///     .build()?;
/// // After `client.show_api_keys().send().await`, `capture.last_response()` holds its body.
/// assert!(capture.last().is_none());
/// # Ok::<(), vast_api::ConfigError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ResponseCapture(Arc<Mutex<Option<CapturedCall>>>);

/// One call as received, kept by a [`ResponseCapture`].
#[derive(Debug, Clone)]
pub struct CapturedCall {
    /// The final response, if there was one (none after a connection failure); when its body
    /// broke off, the part that arrived.
    pub response: Option<CapturedResponse>,
    /// How many times the request was sent: 1, or more when it was retried.
    pub attempts: u32,
    /// Why no further attempt was made although the failure was transient.
    pub gave_up: Option<GaveUp>,
    /// Where the final attempt's last redirect led, if it was redirected.
    pub redirected_to: Option<reqwest::Url>,
}

/// A response's status and body bytes exactly as the server sent them. Its `Debug` shows the
/// body's length only: a server may echo the key into it.
#[derive(Clone)]
pub struct CapturedResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body, unchanged (at most the client's response size limit).
    pub body: Bytes,
}

impl std::fmt::Debug for CapturedResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CapturedResponse")
            .field("status", &self.status)
            .field("body", &format!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl ResponseCapture {
    /// An empty capture, to give [`ClientConfig::capture_responses`](crate::ClientConfig::capture_responses)
    /// while keeping a clone to read from: the clones share what is recorded.
    pub fn new() -> Self {
        Self::default()
    }

    /// The last call made through a client configured with this capture.
    pub fn last(&self) -> Option<CapturedCall> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The final response of the last call, if it got one.
    pub fn last_response(&self) -> Option<CapturedResponse> {
        self.last().and_then(|call| call.response)
    }

    pub(crate) fn record(
        &self,
        attempts: u32,
        response: Option<(StatusCode, Bytes)>,
        gave_up: Option<GaveUp>,
        redirected_to: Option<reqwest::Url>,
    ) {
        let response = response.map(|(status, body)| CapturedResponse { status, body });
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(CapturedCall {
            response,
            attempts,
            gave_up,
            redirected_to,
        });
    }
}

/// Keeps the last request a client configured with
/// [`ClientConfig::hold_requests`](crate::ClientConfig::hold_requests) made and did not send: a
/// dry run, which shows what a call would send.
#[derive(Debug, Clone, Default)]
pub struct RequestCapture(Arc<Mutex<Option<HeldRequest>>>);

/// A request as it would have gone on the wire, without its headers (the key is one of them).
#[derive(Debug, Clone, PartialEq)]
pub struct HeldRequest {
    /// The HTTP method, `GET`, `DELETE`, ….
    pub method: String,
    /// The whole URL, query included.
    pub url: String,
    /// The body, when the request has one.
    pub body: Option<Bytes>,
}

impl RequestCapture {
    /// An empty capture, to give `hold_requests` while keeping a clone to read from.
    pub fn new() -> Self {
        Self::default()
    }

    /// The last request held.
    pub fn last(&self) -> Option<HeldRequest> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn record(&self, request: &reqwest::Request) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(HeldRequest {
            method: request.method().to_string(),
            url: request.url().to_string(),
            body: request
                .body()
                .and_then(reqwest::Body::as_bytes)
                .map(Bytes::copy_from_slice),
        });
    }
}

/// The body `read_body` buffered, kept beside the response so the capture can see it.
#[derive(Clone)]
pub(crate) struct BodyCopy(pub(crate) Bytes);
