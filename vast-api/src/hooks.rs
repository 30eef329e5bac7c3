//! Behaviour every operation gets, attached through progenitor's hooks rather than edits (and
//! called the same way by the untyped `Client::send_json`): retries, the response size limit,
//! and the response capture.

use std::time::{Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};

use crate::Client;
use crate::call::note;
use crate::call_record::Limit;
use crate::client_state::{BodyCopy, ClientState};
use crate::error;
use crate::retry::GaveUp;
use crate::retry::{Next, Outcome, may_have_been_carried_out, next_attempt};

/// progenitor sends an `api-version` header with the spec's `info.version`. Vast.ai versions its
/// API in the path (`/api/v0/`) and documents no such header, and `info.version` is the document's
/// version, not the API's: so the header is not sent.
const API_VERSION_HEADER: &str = "api-version";

/// Marks a response whose body was over the size limit and was dropped unread.
#[derive(Clone, Copy)]
struct BodyTooLarge(usize);

/// Marks a response whose body held more JSON objects and arrays than the limit allows, and was
/// dropped undecoded.
#[derive(Clone, Copy)]
struct BodyTooComplex(usize);

/// At most one JSON object or array per this many bytes of the size limit: 4 Mi of them under
/// the default 32 MiB. Decoded, each costs far more than the 2 or 3 bytes it takes in the body
/// (a typed list item here is 96 bytes, an empty one `{}`), so without this bound a body
/// within the size limit could still take gigabytes to decode; with it, the worst case is
/// measured in the README. Real responses hold one per hundreds of bytes.
const BYTES_PER_CONTAINER: usize = 8;

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        request.headers_mut().remove(API_VERSION_HEADER);
        // An operation the spec sends to a server of its own (`Client::operation_server`): its
        // errors name that server.
        if let Ok(base) = reqwest::Url::parse(&self.baseurl)
            && base.origin() != request.url().origin()
        {
            let server = request.url().origin().ascii_serialization();
            note(|call| call.server = Some(server));
        }
        // Before the client's own edit, which sees the body as it will go out.
        crate::filter::merge_into_request(request);
        if let Some(edit) = &self.inner().edit {
            (edit.0)(request);
        }
        if let Some(hold) = &self.inner().hold {
            hold.record(request);
            note(|call| call.not_sent = true);
            // Only a stop for progenitor: `call::run` makes `ErrorKind::NotSent` from the note.
            return Err(Error::Custom("the request was held, not sent".into()));
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let state = self.inner();
        let method = request.method().clone();
        let started = Instant::now();
        let mut request = request;
        let mut attempt = 1;
        loop {
            // Copied before sending, for whatever the outcome allows; a request whose body
            // cannot be copied (a stream) is sent once.
            let again = (attempt < state.retry.attempts)
                .then(|| request.try_clone())
                .flatten();
            let copyable = again.is_some() || attempt >= state.retry.attempts;
            let (result, broken) = attempt_once(self, request).await;
            let outcome = outcome_of(&result, broken.is_some());
            let carried_out = may_have_been_carried_out(&method, &outcome);
            let next = next_attempt(
                &state.retry,
                &method,
                copyable,
                outcome,
                attempt,
                started.elapsed(),
                SystemTime::now(),
            );
            let (Next::RetryAfter(wait), Some(next_request)) = (&next, again) else {
                let gave_up = match next {
                    Next::Stop(gave_up) => gave_up,
                    Next::RetryAfter(_) => None,
                };
                let end = End {
                    attempts: attempt,
                    broken,
                    gave_up,
                    carried_out,
                };
                record(state, &result, end);
                return result;
            };
            #[cfg(feature = "tracing")]
            tracing::debug!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                "transient failure; retrying"
            );
            tokio::time::sleep(*wait).await;
            attempt += 1;
            request = next_request;
        }
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let Ok(response) = result else {
            return Ok(());
        };
        let limit = if let Some(BodyTooLarge(limit)) = response.extensions().get() {
            Limit::Size(*limit)
        } else if let Some(BodyTooComplex(limit)) = response.extensions().get() {
            Limit::Containers(*limit)
        } else {
            return Ok(());
        };
        note(|call| call.limit = Some(limit));
        // Only a stop for progenitor: `call::run` makes the typed error from the note.
        Err(Error::Custom("the response body was refused".into()))
    }
}

/// One attempt: the request sent, the body read here when it must be (see the comment inside),
/// and the status and part of a body that broke off.
async fn attempt_once(
    client: &Client,
    request: reqwest::Request,
) -> (
    reqwest::Result<reqwest::Response>,
    Option<(reqwest::StatusCode, Bytes)>,
) {
    let state = client.inner();
    note(|call| call.redirected_to = None);
    match client.client().execute(request).await {
        // A declared length within the limit bounds what hyper will read, so unless the body
        // must be kept (for the capture, or for the error an error status becomes) it is left
        // for progenitor to read: buffering it here measurably slowed every call (see
        // BENCHMARKS.md).
        Ok(response)
            if state.capture.is_none()
                && response.status().is_success()
                && response
                    .content_length()
                    .is_some_and(|n| n <= state.max_response_bytes as u64) =>
        {
            (Ok(response), None)
        }
        Ok(response) => match read_body(response, state.max_response_bytes).await {
            Ok(response) => (Ok(response), None),
            Err((status, partial, e)) => (Err(e), Some((status, partial))),
        },
        Err(e) => (Err(e), None),
    }
}

/// How far an attempt got, by stage rather than by the kind of error: reqwest's `is_connect`
/// covers every failure to make the connection (a connect timeout included), before anything
/// was written; a failure once connected (a timeout, a reset, a closed connection, a body that
/// broke off) may come after the server read the request.
fn outcome_of(result: &reqwest::Result<reqwest::Response>, body_broke_off: bool) -> Outcome<'_> {
    match result {
        Ok(response) => Outcome::Status(response.status(), response.headers()),
        Err(e) if e.is_connect() => Outcome::NotSent,
        // A redirect refused, or a response that is not HTTP (its body's framing included): an
        // answer, not worth repeating.
        Err(e) if e.is_redirect() || error::invalid_http(e).is_some() => Outcome::Other,
        Err(_) if body_broke_off => Outcome::Unanswered,
        Err(e) if e.is_timeout() || e.is_request() => Outcome::Unanswered,
        Err(_) => Outcome::Other,
    }
}

/// How the final attempt of a call ended, besides its result.
struct End {
    attempts: u32,
    /// The status and the part of a body that broke off.
    broken: Option<(reqwest::StatusCode, Bytes)>,
    gave_up: Option<GaveUp>,
    carried_out: bool,
}

/// What the call's error and the capture need to know of its final attempt.
fn record(state: &ClientState, result: &reqwest::Result<reqwest::Response>, end: End) {
    let End {
        attempts,
        broken,
        gave_up,
        carried_out,
    } = end;
    let response = match (result, broken) {
        (Ok(response), _) => Some((response.status(), body_of(response))),
        (Err(_), broken) => broken,
    };
    let redirected = note(|call| {
        call.attempts = attempts;
        call.gave_up = gave_up.clone();
        call.carried_out = carried_out;
        call.status = response.as_ref().map(|(status, _)| *status);
        call.error_body = response
            .as_ref()
            .filter(|(status, _)| !status.is_success())
            .map(|(_, body)| body.clone());
        call.received = match result {
            Err(_) => response.as_ref().map(|(_, body)| body.len()),
            Ok(_) => None,
        };
        call.redirected_to.clone()
    })
    .flatten();
    if let Some(capture) = &state.capture {
        capture.record(attempts, response, gave_up, redirected);
    }
}

/// Reads the body here, within the size limit, so that neither progenitor's decoding nor a caller
/// ever holds more than the limit; the response is handed on with its body in memory. A body that
/// breaks off comes back as the error with the status and the part that arrived.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<reqwest::Response, (reqwest::StatusCode, Bytes, reqwest::Error)> {
    let status = response.status();
    let mut body = BytesMut::new();
    let mut too_large = false;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if body.len() + chunk.len() > limit => {
                too_large = true;
                break;
            }
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => return Err((status, body.freeze(), e)),
        }
    }
    let (mut parts, _) = http::Response::from(response).into_parts();
    let most_containers = limit / BYTES_PER_CONTAINER;
    let body: Bytes = if too_large {
        parts.extensions.insert(BodyTooLarge(limit));
        Bytes::new()
    } else if containers(&body) > most_containers {
        parts.extensions.insert(BodyTooComplex(most_containers));
        Bytes::new()
    } else {
        body.freeze()
    };
    parts.extensions.insert(BodyCopy(body.clone()));
    Ok(http::Response::from_parts(parts, body).into())
}

/// How many JSON objects and arrays `body` opens (brackets inside strings do not count). Any
/// bytes will do: this is a bound, not a parser.
fn containers(body: &[u8]) -> usize {
    let (mut count, mut in_string, mut escaped) = (0, false, false);
    for &byte in body {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => count += 1,
                _ => {}
            }
        }
    }
    count
}

/// The body `read_body` kept beside the response.
fn body_of(response: &reqwest::Response) -> Bytes {
    response
        .extensions()
        .get::<BodyCopy>()
        .map(|b| b.0.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::containers;

    #[test]
    fn containers_are_counted_outside_strings_only() {
        assert_eq!(containers(br#"{"a": [{}, {"b": "[{\"{"}], "c": "\\"}"#), 4);
        assert_eq!(containers(b"[[[["), 4);
        assert_eq!(containers(b"\"{[ unterminated"), 0);
    }
}
