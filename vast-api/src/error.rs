//! What went wrong in a call: a value a program can match on ([`ErrorKind`]) and one sentence a
//! person can read (`Display`), with the details behind accessors.
//!
//! Every operation's `send()` returns this type. It is made at the end of the call
//! (`crate::call`) from progenitor's error and what the hooks saw on the way
//! (`crate::call_record`): how many attempts, why retrying stopped, the final status, how much
//! of a broken body arrived.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::{StatusCode, Url};

use crate::call_record::{CallRecord, Limit};
use crate::proxy::ProxyUrl;
use crate::retry::GaveUp;
use crate::text;
use crate::{Client, ClientInfo, ResponseValue};

/// The error of a call: what went wrong ([`kind`](Self::kind)), how many attempts were made, and
/// the server it concerned. `Display` gives one sentence, e.g. `the server rejected the API key
/// (401 Unauthorized): Invalid API key.`; everything a server wrote in it is cut to
/// [`text::EXCERPT_CHARS`] characters, made safe for a terminal, and never shows the key.
///
/// `E` is the operation's documented error body, e.g. [`types::ShowApiKeysError`](crate::types::ShowApiKeysError):
/// [`body`](Self::body) gives it when the kind is [`ErrorKind::Api`]. Everything else is the
/// same for every operation.
///
/// ```
/// # async fn example(client: vast_api::Client) {
/// match client.show_api_keys().send().await {
///     Ok(keys) => println!("{} keys", keys.apikeys.as_ref().map_or(0, Vec::len)),
///     Err(e) if e.status().is_some_and(|s| s == 401) => {
///         eprintln!("check the key: {}", e.server_message().unwrap_or("no reason given"))
///     }
///     Err(e) => eprintln!("error: {e}"),
/// }
/// # }
/// ```
pub struct Error<E = ()> {
    details: Details,
    /// The documented error response, typed: only with [`ErrorKind::Api`].
    documented: Option<ResponseValue<E>>,
}

/// Everything an error holds but its typed body: the same type for every operation, so its
/// code (the sentences above all) is compiled once, not once per operation's body type.
#[derive(Debug)]
struct Details {
    kind: ErrorKind,
    attempts: u32,
    gave_up: Option<GaveUp>,
    carried_out: bool,
    context: Box<Context>,
}

/// No server content: the typed body by its presence only (a server may echo the key into it).
impl<E> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("details", &self.details)
            .field(
                "documented",
                &self.documented.as_ref().map(|_| "<typed body>"),
            )
            .finish()
    }
}

/// What went wrong. Matching on it tells a documented error from a broken server or network;
/// new kinds may be added, so a match needs a `_` arm.
///
/// Its `Debug` shows no server content (bodies by their length, a decoding error by its kind):
/// a server may echo the key into anything it sends.
#[non_exhaustive]
pub enum ErrorKind {
    /// The server answered with an error status the spec documents for the operation, and a
    /// body of the documented shape: [`Error::body`] gives it typed, [`Error::api_response`]
    /// with its headers.
    Api {
        /// The status.
        status: StatusCode,
    },
    /// The server answered with a status the spec does not list for the operation, or with an
    /// error status whose body is not the documented shape (a proxy's HTML page, an empty body).
    Status {
        /// The status.
        status: StatusCode,
        /// The body as received.
        body: Bytes,
    },
    /// A success status with a body that is not what the spec describes.
    InvalidBody {
        /// The status.
        status: StatusCode,
        /// The body as received.
        body: Bytes,
        /// Why it did not decode.
        source: serde_json::Error,
    },
    /// The body was larger than [`ClientConfig::max_response_bytes`](crate::ClientConfig::max_response_bytes)
    /// and was dropped unread.
    BodyTooLarge {
        /// The status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The body held more JSON objects and arrays than the size limit allows for, and was dropped
    /// undecoded: decoded, it could have taken many times the limit in memory.
    BodyTooComplex {
        /// The status.
        status: StatusCode,
        /// The most objects and arrays allowed.
        limit: usize,
    },
    /// A proxy between here and the server wants credentials (`407 Proxy Authentication
    /// Required`); nothing reached the server.
    ProxyAuthentication,
    /// The status came but the body did not complete: the connection broke off or the timeout
    /// passed.
    BodyBrokeOff {
        /// The status.
        status: StatusCode,
        /// How many bytes of the body arrived, when the client read it itself.
        received: Option<usize>,
        /// What ended it.
        source: reqwest::Error,
    },
    /// No answer within the timeout.
    Timeout(reqwest::Error),
    /// The connection could not be made (refused, no route, a name that does not resolve, the
    /// connect timeout passed, the name lookup included, a TLS handshake or certificate that
    /// failed).
    Connect(reqwest::Error),
    /// A redirect that was not followed: too many, or to a URL that is not `http://` or `https://`.
    Redirect(reqwest::Error),
    /// What came back is not HTTP (a bad status line or `Content-Length`, headers too large).
    InvalidHttp(reqwest::Error),
    /// The connection failed after it was made, before a status came.
    Connection(reqwest::Error),
    /// The request could not be made from the values given (a parameter, a header value, the
    /// URL): nothing was sent. The text says what was wrong.
    InvalidRequest(String),
    /// The client holds its requests instead of sending them
    /// ([`ClientConfig::hold_requests`](crate::ClientConfig::hold_requests)): nothing was sent.
    NotSent,
    /// A paged list's `stream()` stopped following pages although the server named a next one:
    /// it gave a token a second time, or the cap on pages was reached.
    PagesStopped(crate::pages::PagesStopped),
}

impl fmt::Debug for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = |body: &Bytes| format!("<{} bytes>", body.len());
        match self {
            ErrorKind::Api { status } => f.debug_struct("Api").field("status", status).finish(),
            ErrorKind::Status { status, body } => f
                .debug_struct("Status")
                .field("status", status)
                .field("body", &bytes(body))
                .finish(),
            ErrorKind::InvalidBody {
                status,
                body,
                source,
            } => f
                .debug_struct("InvalidBody")
                .field("status", status)
                .field("body", &bytes(body))
                .field("source", &source.classify())
                .finish(),
            ErrorKind::BodyTooLarge { status, limit } => f
                .debug_struct("BodyTooLarge")
                .field("status", status)
                .field("limit", limit)
                .finish(),
            ErrorKind::BodyTooComplex { status, limit } => f
                .debug_struct("BodyTooComplex")
                .field("status", status)
                .field("limit", limit)
                .finish(),
            ErrorKind::ProxyAuthentication => f.write_str("ProxyAuthentication"),
            ErrorKind::NotSent => f.write_str("NotSent"),
            ErrorKind::PagesStopped(_) => f.write_str("PagesStopped"),
            ErrorKind::BodyBrokeOff {
                status,
                received,
                source,
            } => f
                .debug_struct("BodyBrokeOff")
                .field("status", status)
                .field("received", received)
                .field("source", source)
                .finish(),
            ErrorKind::Timeout(e) => f.debug_tuple("Timeout").field(e).finish(),
            ErrorKind::Connect(e) => f.debug_tuple("Connect").field(e).finish(),
            ErrorKind::Redirect(e) => f.debug_tuple("Redirect").field(e).finish(),
            ErrorKind::InvalidHttp(e) => f.debug_tuple("InvalidHttp").field(e).finish(),
            ErrorKind::Connection(e) => f.debug_tuple("Connection").field(e).finish(),
            ErrorKind::InvalidRequest(why) => f.debug_tuple("InvalidRequest").field(why).finish(),
        }
    }
}

/// What a message needs to know besides the failure itself.
#[derive(Debug, Default)]
struct Context {
    /// The client's base URL.
    server: String,
    proxy: Option<ProxyUrl>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    redirected_to: Option<Url>,
    /// The server's own message (`msg`, `detail`, …) as an excerpt.
    message: Option<String>,
    /// An excerpt of a body that is not the documented JSON.
    excerpt: Option<String>,
    /// What else a message quotes, already made safe: the decoder's words, or those of the
    /// failure's innermost cause.
    quoted: Option<String>,
}

impl<E> Error<E> {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.details.kind
    }

    /// What went wrong, taken out.
    pub fn into_kind(self) -> ErrorKind {
        self.details.kind
    }

    /// The final response's status, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.details.status()
    }

    /// The documented error body, typed ([`ErrorKind::Api`]).
    pub fn body(&self) -> Option<&E> {
        self.documented.as_ref().map(|response| response.as_ref())
    }

    /// The documented error body, typed and taken out ([`ErrorKind::Api`]).
    pub fn into_body(self) -> Option<E> {
        self.documented.map(ResponseValue::into_inner)
    }

    /// The documented error response: its status, headers and typed body ([`ErrorKind::Api`]).
    pub fn api_response(&self) -> Option<&ResponseValue<E>> {
        self.documented.as_ref()
    }

    /// The same error without its typed body: one type for the errors of every operation.
    /// Its kind, sentence and accessors are as they were, but [`body`](Self::body),
    /// [`into_body`](Self::into_body) and [`api_response`](Self::api_response), which give
    /// `None`.
    pub fn into_untyped(self) -> Error {
        Error {
            details: self.details,
            documented: None,
        }
    }

    /// A success body the spec describes otherwise ([`ErrorKind::InvalidBody`]: a field of
    /// another type, say), as JSON when it is JSON: the server answered, and a program can still
    /// read the answer (`error.received_json()?["offers"]`). `None` for other errors, and for a
    /// body that is not JSON (an HTML page; [`Error::excerpt`] quotes it).
    pub fn received_json(&self) -> Option<serde_json::Value> {
        match &self.details.kind {
            ErrorKind::InvalidBody { body, .. } => serde_json::from_slice(body).ok(),
            _ => None,
        }
    }

    /// The server's message: the `msg`, `detail`, `message` or `error` field of its error body,
    /// whichever it has (as an excerpt: safe to print, cut at [`text::EXCERPT_CHARS`]).
    pub fn server_message(&self) -> Option<&str> {
        self.details.context.message.as_deref()
    }

    /// An excerpt of a body that is not the documented JSON (an HTML error page, say): safe to
    /// print, cut at [`text::EXCERPT_CHARS`].
    pub fn excerpt(&self) -> Option<&str> {
        self.details.context.excerpt.as_deref()
    }

    /// How many times the request was sent: 0 when it could not be made, more than 1 when it
    /// was retried.
    pub fn attempts(&self) -> u32 {
        self.details.attempts
    }

    /// Why no further attempt was made, when the failure was one that is retried.
    pub fn gave_up(&self) -> Option<&GaveUp> {
        self.details.gave_up.as_ref()
    }

    /// Whether the server may have carried the request out although the call failed: the
    /// request, of a method that is not safe (anything but GET, HEAD, OPTIONS and TRACE), was
    /// sent, or may have been, and its last attempt got no complete answer (a timeout once
    /// connected, a connection that broke, a body that broke off) or got 502, 503 or 504. Such
    /// a failure is not retried unless the [`RetryPolicy`](crate::RetryPolicy) says to; check
    /// what the server did before sending the request again. `Display` then ends with `; the
    /// request may have been carried out`.
    pub fn may_have_been_carried_out(&self) -> bool {
        self.details.carried_out
    }

    /// The proxy the call went through, if any.
    pub fn proxy(&self) -> Option<&ProxyUrl> {
        self.details.context.proxy.as_ref()
    }

    /// Where the final attempt's redirects led, when that is another server than the client's
    /// (which may be the one that failed).
    pub fn redirected_to(&self) -> Option<&Url> {
        self.details.context.redirected_to.as_ref()
    }
}

impl Details {
    fn status(&self) -> Option<StatusCode> {
        match &self.kind {
            ErrorKind::Api { status }
            | ErrorKind::Status { status, .. }
            | ErrorKind::InvalidBody { status, .. }
            | ErrorKind::BodyTooLarge { status, .. }
            | ErrorKind::BodyTooComplex { status, .. }
            | ErrorKind::BodyBrokeOff { status, .. } => Some(*status),
            ErrorKind::ProxyAuthentication => Some(StatusCode::PROXY_AUTHENTICATION_REQUIRED),
            _ => None,
        }
    }
    /// "after 3 attempts; gave up: …", when there was more than one attempt or retrying
    /// stopped early.
    fn retries(&self) -> Option<String> {
        let attempts = (self.attempts > 1).then(|| format!("after {} attempts", self.attempts));
        let gave_up = self
            .gave_up
            .as_ref()
            .filter(|g| **g != GaveUp::AttemptsUsed)
            .map(|g| format!("gave up: {g}"));
        match (attempts, gave_up) {
            (None, None) => None,
            (Some(a), None) => Some(a),
            (None, Some(g)) => Some(g),
            (Some(a), Some(g)) => Some(format!("{a}; {g}")),
        }
    }

    /// The server as messages name it: with the proxy when there is one, which may be the host
    /// that failed.
    fn server(&self) -> String {
        match &self.context.proxy {
            Some(proxy) => format!("{} through {proxy}", text::shown(&self.context.server)),
            None => text::shown(&self.context.server),
        }
    }

    /// The host that failed: after a redirect to another server, that one.
    fn failed_host(&self) -> String {
        match &self.context.redirected_to {
            Some(to) => format!(
                "{} (where {} redirected the call)",
                text::shown(&to.origin().ascii_serialization()),
                self.server()
            ),
            None => self.server(),
        }
    }

    fn status_sentence(&self, f: &mut fmt::Formatter<'_>, status: StatusCode) -> fmt::Result {
        let said = self
            .context
            .message
            .as_ref()
            .or(self.context.excerpt.as_ref())
            .map(|m| format!(": {m}"))
            .unwrap_or_default();
        let said = match self.retries() {
            Some(retries) => format!("{said} ({retries})"),
            None => said,
        };
        match status.as_u16() {
            401 | 403 => write!(f, "the server rejected the API key ({status}){said}"),
            429 => write!(f, "rate limited by the server ({status}){said}"),
            300..=399 => write!(
                f,
                "the server answered {status}, a redirect that was not followed: its Location is missing or not an http:// or https:// URL{said}"
            ),
            400..=499 => write!(f, "the server refused the request ({status}){said}"),
            _ => write!(f, "the server answered {status}{said}"),
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.details, f)
    }
}

impl fmt::Display for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.what_failed(f)?;
        if self.carried_out {
            f.write_str("; the request may have been carried out")?;
        }
        Ok(())
    }
}

impl Details {
    /// The sentence of `Display`, but for what the failure leaves open.
    fn what_failed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quoted = self.context.quoted.as_deref().unwrap_or_default();
        let retries = self.retries_note();
        let timed_out = self.timed_out();
        match &self.kind {
            ErrorKind::Api { status } => self.status_sentence(f, *status),
            ErrorKind::Status { status, .. } => self.status_sentence(f, *status),
            ErrorKind::InvalidBody { status, .. } => write!(
                f,
                "the server's response ({status}) is not what the API spec describes: {quoted}; body: {}",
                self.context.excerpt.as_deref().unwrap_or_default()
            ),
            ErrorKind::BodyTooLarge { status, limit } => write!(
                f,
                "the response ({status}) is larger than the {} limit and was not read",
                text::size_text(*limit)
            ),
            ErrorKind::BodyTooComplex { status, limit } => write!(
                f,
                "the response ({status}) holds more than {limit} JSON objects and arrays, the limit for its size, and was not decoded"
            ),
            ErrorKind::ProxyAuthentication => {
                let who = match &self.context.proxy {
                    Some(proxy) => proxy.to_string(),
                    None => "a proxy between here and the server".into(),
                };
                write!(
                    f,
                    "{who} requires authentication (407 Proxy Authentication Required); nothing reached {}",
                    text::shown(&self.context.server)
                )
            }
            ErrorKind::BodyBrokeOff {
                status,
                received,
                source,
            } => self.broke_off(f, *status, *received, source),
            ErrorKind::Timeout(_) => write!(
                f,
                "no answer from {}: {timed_out}{retries}",
                self.failed_host()
            ),
            ErrorKind::Connect(_) => {
                write!(
                    f,
                    "cannot connect to {}: {quoted}{retries}",
                    self.failed_host()
                )
            }
            ErrorKind::Redirect(_) => write!(
                f,
                "the server at {} answered with a redirect that was not followed: {quoted}",
                self.server()
            ),
            ErrorKind::InvalidHttp(_) => write!(
                f,
                "the response from {} is not valid HTTP: {quoted}{retries}",
                self.failed_host()
            ),
            ErrorKind::Connection(_) => write!(
                f,
                "the connection to {} failed: {quoted}{retries}",
                self.failed_host()
            ),
            ErrorKind::InvalidRequest(why) => f.write_str(why),
            ErrorKind::NotSent => f.write_str("the request was held, not sent"),
            ErrorKind::PagesStopped(why) => write!(f, "{why}"),
        }
    }

    fn broke_off(
        &self,
        f: &mut fmt::Formatter<'_>,
        status: StatusCode,
        received: Option<usize>,
        source: &reqwest::Error,
    ) -> fmt::Result {
        let (what, why) = match source.is_timeout() {
            true => ("stalled", self.timed_out()),
            false => ("broke off", self.context.quoted.clone().unwrap_or_default()),
        };
        let received = received
            .map(|n| format!(" after {n} bytes"))
            .unwrap_or_default();
        write!(
            f,
            "the response from {} ({status}) {what}{received}: {why}{}",
            self.failed_host(),
            self.retries_note()
        )
    }

    /// " (after 3 attempts)", as the end of a sentence; empty when there is nothing to say.
    fn retries_note(&self) -> String {
        self.retries()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default()
    }

    fn timed_out(&self) -> String {
        // A client made from a `reqwest::Client` of the caller's own has no timeout known here.
        match self.context.timeout {
            Some(timeout) => format!("timed out after {}", text::seconds(timeout)),
            None => "timed out".into(),
        }
    }
}

/// No `source()`: the sentence already says what the cause said, in the words that help (the
/// innermost "Connection refused", the decoder's message), so a printer of the whole chain
/// (`anyhow`'s `{:#}`) shows each cause once. The causes themselves are in [`Error::kind`].
impl<E> std::error::Error for Error<E> {}

impl<E> Error<E> {
    /// An error that no call made: a stream that stopped following pages.
    pub(crate) fn from_kind(kind: ErrorKind) -> Self {
        Error {
            details: Details {
                kind,
                attempts: 0,
                gave_up: None,
                carried_out: false,
                context: Box::default(),
            },
            documented: None,
        }
    }

    /// Only the documented error body depends on the operation; everything else is worked out
    /// by [`Details::new`], compiled once rather than once per operation (generic, it took
    /// about 17 KB of the release binary per operation).
    pub(crate) async fn new(
        e: progenitor_client::Error<E>,
        record: CallRecord,
        client: &Client,
    ) -> Self {
        match e {
            progenitor_client::Error::ErrorResponse(response) => Error {
                details: Details::documented(response.status(), record, client),
                documented: Some(response),
            },
            other => Error {
                details: Details::new(other.into_untyped(), record, client).await,
                documented: None,
            },
        }
    }
}

impl Details {
    /// A documented error response's: the body's message, as the hooks read it.
    fn documented(status: StatusCode, record: CallRecord, client: &Client) -> Self {
        let mut context = call_context(&record, client);
        let body = record.error_body.as_deref().unwrap_or_default();
        context.message = text::server_message(body, secret(client));
        Self::made(ErrorKind::Api { status }, record, context)
    }

    /// Every other failure's.
    async fn new(e: progenitor_client::Error, record: CallRecord, client: &Client) -> Self {
        let mut context = call_context(&record, client);
        let kind = untyped_kind(e, &record, &mut context, client).await;
        Self::made(kind, record, context)
    }

    fn made(kind: ErrorKind, record: CallRecord, context: Context) -> Self {
        Details {
            kind,
            attempts: record.attempts,
            gave_up: record.gave_up,
            carried_out: record.carried_out,
            context: Box::new(context),
        }
    }
}

pub(crate) fn secret(client: &Client) -> Option<&str> {
    client.inner().secret.as_ref().map(|k| k.expose())
}

/// What every failed call's error says about where it went: the server, the proxy, the timeout
/// and a redirect elsewhere.
fn call_context(record: &CallRecord, client: &Client) -> Context {
    let state = client.inner();
    let server = record.server.as_ref().unwrap_or(&client.baseurl);
    Context {
        server: server.clone(),
        proxy: Url::parse(server)
            .ok()
            .and_then(|url| state.proxies.for_url(&url).cloned()),
        timeout: state.timeout,
        connect_timeout: state.connect_timeout,
        redirected_to: record
            .redirected_to
            .clone()
            .filter(|to| Url::parse(server).is_ok_and(|base| base.origin() != to.origin())),
        ..Context::default()
    }
}

/// The kind of every failure but a documented error body, which [`Error::new`] keeps typed.
async fn untyped_kind(
    e: progenitor_client::Error,
    record: &CallRecord,
    context: &mut Context,
    client: &Client,
) -> ErrorKind {
    use progenitor_client::Error as P;
    let secret = secret(client);
    // Set by the hooks before any body is decoded, so a decoding error always finds it.
    let status = record.status.unwrap_or_default();
    let status_kind = |status: StatusCode, body: Bytes, context: &mut Context| {
        if status == StatusCode::PROXY_AUTHENTICATION_REQUIRED {
            return ErrorKind::ProxyAuthentication;
        }
        context.message = text::server_message(&body, secret);
        if context.message.is_none() {
            context.excerpt = text::body_message(&body, secret);
        }
        ErrorKind::Status { status, body }
    };
    match e {
        // Not passed here (its typed body stays with `Error::new`); were it, the body as the
        // hooks read it is all there is.
        P::ErrorResponse(response) => {
            let body = record.error_body.clone().unwrap_or_default();
            status_kind(response.status(), body, context)
        }
        P::UnexpectedResponse(response) => {
            let status = response.status();
            // Within the size limit: the hooks read it, or its declared length is in bounds.
            let body = response.bytes().await.unwrap_or_default();
            status_kind(status, body, context)
        }
        P::InvalidResponsePayload(body, _) if !status.is_success() => {
            status_kind(status, body, context)
        }
        P::InvalidResponsePayload(body, source) => {
            context.quoted = Some(text::said(&source.to_string(), secret));
            context.excerpt = Some(text::excerpt(&body, secret));
            ErrorKind::InvalidBody {
                status,
                body,
                source,
            }
        }
        P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => {
            transport(e, record, context, secret)
        }
        P::InvalidRequest(why) => ErrorKind::InvalidRequest(format!("invalid request: {why}")),
        // Made only by this crate's hooks, which note why first: `pre` holding the request,
        // `post` refusing a body over a limit.
        P::Custom(_) if record.not_sent => ErrorKind::NotSent,
        P::Custom(why) => match record.limit {
            Some(Limit::Size(limit)) => ErrorKind::BodyTooLarge { status, limit },
            Some(Limit::Containers(limit)) => ErrorKind::BodyTooComplex { status, limit },
            None => ErrorKind::InvalidRequest(why),
        },
    }
}

/// The kind of a failure reqwest reports, from what failed; `context.quoted` gets its words.
fn transport(
    e: reqwest::Error,
    record: &CallRecord,
    context: &mut Context,
    secret: Option<&str>,
) -> ErrorKind {
    let cause = innermost(&e).to_string();
    if e.is_redirect() {
        let why = causes(&e)
            .find_map(|c| c.downcast_ref::<crate::RedirectRefused>())
            .map(ToString::to_string)
            .unwrap_or(cause);
        context.quoted = Some(text::said(&why, secret));
        return ErrorKind::Redirect(e);
    }
    // hyper's words for a status line, headers or body framing that are not HTTP: the server's
    // fault, not the network's.
    if let Some(why) = invalid_http(&e) {
        context.quoted = Some(text::said(&why.to_string(), secret));
        return ErrorKind::InvalidHttp(e);
    }
    if e.is_builder() {
        return ErrorKind::InvalidRequest(format!(
            "cannot make a request to {}: {}",
            text::shown(&context.server),
            text::said(&cause, secret)
        ));
    }
    context.quoted = Some(text::said(&cause, secret));
    if let Some(status) = record.status {
        return ErrorKind::BodyBrokeOff {
            status,
            received: record.received,
            source: e,
        };
    }
    // Connecting (the name lookup included) took longer than its own limit: nothing was sent,
    // and the time to name is that limit, not the attempt's.
    if e.is_connect() && e.is_timeout() {
        if let Some(limit) = context.connect_timeout {
            context.quoted = Some(format!("timed out after {}", text::seconds(limit)));
        }
        return ErrorKind::Connect(e);
    }
    if e.is_timeout() {
        return ErrorKind::Timeout(e);
    }
    // reqwest's words for a 407 answer to the `CONNECT` that opens an https:// tunnel.
    if e.is_connect() && cause.contains("proxy authorization required") {
        return ErrorKind::ProxyAuthentication;
    }
    if e.is_connect() {
        return ErrorKind::Connect(e);
    }
    ErrorKind::Connection(e)
}

/// What, among `e`'s causes, says the response is not HTTP: hyper's error for a status line
/// or headers (`is_parse`), or the I/O error hyper's body decoder gives for framing that breaks
/// the protocol (a chunk size that is not hex or overflows, chunk extensions or trailers over
/// hyper's limits), which is `InvalidData` or `InvalidInput`. A body that stops early is
/// `UnexpectedEof` instead, and a TLS record that does not decrypt (rustls's `InvalidData`) is
/// the network's failure: both broke off.
pub(crate) fn invalid_http(e: &reqwest::Error) -> Option<&(dyn std::error::Error + 'static)> {
    // Before a connection there is no response to blame.
    if e.is_connect() {
        return None;
    }
    causes(e).find(|c| {
        if let Some(h) = c.downcast_ref::<hyper::Error>() {
            return h.is_parse();
        }
        c.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::InvalidData | std::io::ErrorKind::InvalidInput
            ) && !io
                .get_ref()
                .is_some_and(|inner| inner.is::<rustls::Error>())
        })
    })
}

/// The innermost of `e`'s causes: what went wrong ("Connection refused"), where the outer
/// layers only repeat the URL or say "builder error".
pub(crate) fn innermost(e: &reqwest::Error) -> &(dyn std::error::Error + 'static) {
    causes(e).last().unwrap_or(e)
}

/// `e` and its causes, outermost first.
fn causes(e: &reqwest::Error) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e as &(dyn std::error::Error + 'static)), |e| {
        e.source()
    })
}
