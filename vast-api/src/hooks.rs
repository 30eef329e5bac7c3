//! Behaviour every generated operation gets, attached through progenitor's hooks rather than edits.

use progenitor_client::{ClientHooks, OperationInfo};

use crate::Client;

/// progenitor sends an `api-version` header with the spec's `info.version`. Vast.ai versions its
/// API in the path (`/api/v0/`) and documents no such header, and `info.version` is the document's
/// version, not the API's: so the header is not sent.
const API_VERSION_HEADER: &str = "api-version";

impl ClientHooks<()> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        request.headers_mut().remove(API_VERSION_HEADER);
        Ok(())
    }
}
