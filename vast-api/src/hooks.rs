//! Behaviour every generated operation gets, attached through progenitor's hooks rather than edits.

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};

use crate::Client;

/// progenitor sends an `api-version` header with the spec's `info.version`. Vast.ai versions its
/// API in the path (`/api/v0/`) and documents no such header, and `info.version` is the document's
/// version, not the API's: so the header is not sent.
const API_VERSION_HEADER: &str = "api-version";

/// Marks a response whose body was over the size limit and was dropped unread.
#[derive(Clone, Copy)]
struct BodyTooLarge(usize);

impl ClientHooks<crate::ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        request.headers_mut().remove(API_VERSION_HEADER);
        Ok(())
    }

    /// Reads the body here, within the size limit, so that neither progenitor's decoding nor a
    /// caller ever holds more than the limit; the response is handed on with the body in memory.
    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let state = self.inner();
        let mut response = self.client().execute(request).await?;
        let limit = state.max_response_bytes;
        let mut body = BytesMut::new();
        let mut too_large = false;
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > limit {
                too_large = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        let status = response.status();
        let (mut parts, _) = http::Response::from(response).into_parts();
        let body: Bytes = if too_large {
            parts.extensions.insert(BodyTooLarge(limit));
            Bytes::new()
        } else {
            body.freeze()
        };
        if let Some(capture) = &state.capture {
            capture.store(status, body.clone());
        }
        Ok(http::Response::from_parts(parts, body).into())
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        if let Ok(response) = result {
            if let Some(BodyTooLarge(limit)) = response.extensions().get::<BodyTooLarge>() {
                return Err(Error::Custom(format!(
                    "the response to this request ({}) is larger than the {} MiB limit and was not read",
                    response.status(),
                    limit >> 20
                )));
            }
        }
        Ok(())
    }
}
