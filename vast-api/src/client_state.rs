//! Per-client settings and state that the hooks read, held in the generated `Client`'s `inner`.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use reqwest::StatusCode;

/// The largest response body read, 32 MiB: more than any Vast.ai response, and a bound on the
/// memory a broken or hostile server can make a client use.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 << 20;

#[derive(Debug, Clone)]
pub struct ClientState {
    pub(crate) max_response_bytes: usize,
    pub(crate) capture: Option<ResponseCapture>,
}

impl Default for ClientState {
    fn default() -> Self {
        Self {
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            capture: None,
        }
    }
}

/// Keeps the status and exact body of the last response a client received, so a caller can show
/// what the server sent: `vast --raw` prints these bytes unchanged, unknown fields and all.
#[derive(Debug, Clone, Default)]
pub struct ResponseCapture(Arc<Mutex<Option<CapturedResponse>>>);

#[derive(Debug, Clone)]
pub struct CapturedResponse {
    pub status: StatusCode,
    pub body: Bytes,
}

impl ResponseCapture {
    pub fn new() -> Self {
        Self::default()
    }

    /// The last response received through a client configured with this capture.
    pub fn last(&self) -> Option<CapturedResponse> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn store(&self, status: StatusCode, body: Bytes) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(CapturedResponse { status, body });
    }
}
