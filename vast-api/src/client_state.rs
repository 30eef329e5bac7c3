//! Per-client settings and state that the hooks read, held in the generated `Client`'s `inner`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;

use crate::RetryPolicy;
use crate::api_key::ApiKey;
use crate::error::GaveUp;
use crate::proxy::ProxyUrl;

/// The largest response body read, 32 MiB: more than any Vast.ai response, and a bound on the
/// memory a broken or hostile server can make a client use.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 << 20;

/// What the hooks need to know about the client they serve; set through [`crate::ClientConfig`].
#[derive(Debug, Clone)]
pub struct ClientState {
    pub(crate) max_response_bytes: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) capture: Option<ResponseCapture>,
    /// Where the last redirect led, set by the redirect policy: an error names the original
    /// URL, and after a redirect that is not the host that failed.
    pub(crate) last_redirect: Arc<Mutex<Option<reqwest::Url>>>,
    /// What errors say of the client: the proxy its server is reached through, the time an
    /// attempt may take, and the key, which their quotes of a server's text never show.
    pub(crate) proxy: Option<ProxyUrl>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) secret: Option<ApiKey>,
}

impl Default for ClientState {
    fn default() -> Self {
        Self {
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            capture: None,
            last_redirect: Arc::default(),
            proxy: None,
            timeout: None,
            secret: None,
        }
    }
}

/// Keeps the last call's outcome as received: the status and exact body bytes of its final
/// response, how many attempts it took, and why retrying stopped early. `vast --raw` prints the
/// bytes unchanged (fields the spec does not list included), and its errors quote them.
#[derive(Debug, Clone, Default)]
pub struct ResponseCapture(Arc<Mutex<Option<CapturedCall>>>);

#[derive(Debug, Clone)]
pub struct CapturedCall {
    /// The final response, if there was one (none after a connection failure); when its body
    /// broke off, the part that arrived.
    pub response: Option<CapturedResponse>,
    pub attempts: u32,
    /// Why no further attempt was made although the failure was transient.
    pub gave_up: Option<GaveUp>,
    /// Where the final attempt's last redirect led, if it was redirected.
    pub redirected_to: Option<reqwest::Url>,
}

#[derive(Debug, Clone)]
pub struct CapturedResponse {
    pub status: StatusCode,
    pub body: Bytes,
}

impl ResponseCapture {
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

/// The body `read_body` buffered, kept beside the response so the capture can see it.
#[derive(Clone)]
pub(crate) struct BodyCopy(pub(crate) Bytes);
