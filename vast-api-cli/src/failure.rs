//! What went wrong, as the user sees it: one or two lines on stderr and a documented exit code.

use std::fmt;
use std::process::ExitCode;

use serde::Serialize;
use vast_api::{CapturedCall, ConfigError, Error};

use crate::output;
use crate::render::clean;

/// The exit codes listed in `vast --help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Failure = 1,
    Usage = 2,
    NoApiKey = 3,
    Unauthorized = 4,
    BadRequest = 5,
    RateLimited = 6,
    Unreachable = 7,
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        let exit = match e {
            ConfigError::NoApiKey { .. } => {
                return Failure::new(Exit::NoApiKey, e.to_string())
                    .hint("`vast set api-key` saves it, read from standard input (paste it when asked, or pipe it in)");
            }
            ConfigError::MissingApiKey
            | ConfigError::EmptyApiKey { .. }
            | ConfigError::InvalidApiKey { .. }
            | ConfigError::ApiKeyTooLong { .. }
            | ConfigError::KeyFile { .. } => Exit::NoApiKey,
            ConfigError::InvalidBaseUrl { .. }
            | ConfigError::InvalidProxy { .. }
            | ConfigError::Certificates { .. } => Exit::Usage,
            _ => Exit::Failure,
        };
        Failure::new(exit, e.to_string())
    }
}

/// How long an excerpt of a body a message may quote.
const EXCERPT_CHARS: usize = 200;

/// What the calling side knows that the error itself does not: where the key came from, the
/// server, the timeout, and the call as received (attempts, final status and body bytes).
pub struct Context<'a> {
    pub key_source: &'a str,
    pub base_url: &'a str,
    pub proxy: Option<&'a vast_api::proxy::ProxyUrl>,
    pub timeout_secs: u64,
    pub call: Option<CapturedCall>,
}

impl Context<'_> {
    /// The server as messages name it: with the proxy when there is one, which may be the host
    /// that failed.
    fn server(&self) -> String {
        match self.proxy {
            Some(proxy) => format!("{} through {proxy}", self.base_url),
            None => self.base_url.to_string(),
        }
    }

    /// A proxy's refusal for want of credentials: its own message, not "the server refused".
    fn proxy_auth_failure(&self) -> Failure {
        let (who, fix) = match self.proxy {
            Some(proxy) => (
                proxy.to_string(),
                format!(
                    "put the proxy's user name and password in {} (http://user:password@host:port), or exclude the server with NO_PROXY",
                    proxy.variable()
                ),
            ),
            None => (
                "a proxy between here and the server".to_string(),
                "ask the network's administrator how to authenticate to the proxy".to_string(),
            ),
        };
        Failure::new(
            Exit::Unreachable,
            format!(
                "{who} requires authentication (407 Proxy Authentication Required); nothing reached {}",
                self.base_url
            ),
        )
        .hint(fix)
    }

    fn response(&self) -> Option<&vast_api::CapturedResponse> {
        self.call.as_ref()?.response.as_ref()
    }

    /// "after 3 attempts; the server asked to wait…", when there was more than one attempt or
    /// retrying stopped early.
    fn retries(&self) -> Option<String> {
        let call = self.call.as_ref()?;
        let attempts = (call.attempts > 1).then(|| format!("after {} attempts", call.attempts));
        match (attempts, &call.gave_up) {
            (None, None) => None,
            (Some(a), None) => Some(a),
            (None, Some(g)) => Some(format!("gave up: {g}")),
            (Some(a), Some(g)) => Some(format!("{a}; gave up: {g}")),
        }
    }
}

pub fn from_api_error<T: Serialize>(error: &Error<T>, cx: &Context) -> Failure {
    match error {
        Error::ErrorResponse(response) => {
            let body = serde_json::to_vec(response.as_ref()).unwrap_or_default();
            status_failure(response.status(), server_message(&body), cx)
        }
        Error::UnexpectedResponse(response) => {
            let message = cx.response().and_then(|r| body_message(&r.body));
            status_failure(response.status(), message, cx)
        }
        // A documented error status whose body is not the documented JSON (a proxy's HTML page,
        // an empty body) is still that status: its exit code follows the status.
        Error::InvalidResponsePayload(bytes, _)
            if cx.response().is_some_and(|r| !r.status.is_success()) =>
        {
            let status = cx.response().expect("checked by the guard").status;
            status_failure(status, body_message(bytes), cx)
        }
        Error::InvalidResponsePayload(bytes, e) => {
            let status = cx
                .response()
                .map(|r| format!(" ({})", r.status))
                .unwrap_or_default();
            Failure::new(
                Exit::Failure,
                // serde's message quotes the offending value whole, however long.
                format!(
                    "the server's response{status} is not what the API spec describes: {}; body: {}",
                    said(&e.to_string()),
                    excerpt(bytes)
                ),
            )
        }
        Error::CommunicationError(e) | Error::ResponseBodyError(e) | Error::InvalidUpgrade(e) => {
            transport_failure(e, cx)
        }
        Error::InvalidRequest(e) => Failure::new(Exit::Usage, format!("invalid request: {e}")),
        Error::Custom(e) => Failure::new(Exit::Failure, e.clone()),
    }
}

fn status_failure(status: reqwest::StatusCode, message: Option<String>, cx: &Context) -> Failure {
    let said = message.map(|m| format!(": {m}")).unwrap_or_default();
    let said = match cx.retries() {
        Some(retries) => format!("{said} ({retries})"),
        None => said,
    };
    let code = status.as_u16();
    match code {
        407 => cx.proxy_auth_failure(),
        401 | 403 => Failure::new(
            Exit::Unauthorized,
            format!("the server rejected the API key ({status}){said}"),
        )
        .hint(format!(
            "check the key from {}; keys are managed at https://cloud.vast.ai/manage-keys/",
            cx.key_source
        )),
        429 => Failure::new(
            Exit::RateLimited,
            format!("rate limited by the server ({status}){said}"),
        )
        // Retrying stopped early: the server asked for a longer wait than allowed, or the wait
        // would have passed the deadline.
        .hint(match cx.call.as_ref().and_then(|c| c.gave_up.as_ref()) {
            Some(_) => "try again once the server's wait is over",
            None => "wait a little and try again",
        }),
        // A redirect the client could not follow: its Location was missing or not a URL.
        300..=399 => Failure::new(
            Exit::Failure,
            format!(
                "the server answered {status}, a redirect that was not followed: its Location is missing or not an http:// or https:// URL{said}"
            ),
        ),
        400..=499 => Failure::new(
            Exit::BadRequest,
            format!("the server refused the request ({status}){said}"),
        ),
        _ => Failure::new(Exit::Failure, format!("the server answered {status}{said}")),
    }
}

/// What to do about a failed connection, from what failed: for `https://`, the certificate or
/// the handshake (a plain-HTTP server answers TLS with bytes rustls calls corrupt).
fn connect_hint(server: &str, proxy: Option<&vast_api::proxy::ProxyUrl>, said: &str) -> String {
    let said = said.to_ascii_lowercase();
    if let Some(proxy) = proxy {
        format!(
            "check the proxy in {} and the network, or exclude the server with NO_PROXY",
            proxy.variable()
        )
    } else {
        connect_hint_direct(server, &said).to_string()
    }
}

fn connect_hint_direct(server: &str, said: &str) -> &'static str {
    if !server.starts_with("https:") {
        "check --url (or VAST_URL) and the network"
    } else if said.contains("unknownissuer") {
        "the server's certificate is not trusted here: put a private CA's certificate in SSL_CERT_FILE"
    } else if said.contains("certificate") {
        "the server's certificate was refused, for the reason above: check the host name in --url"
    } else if ["tls", "handshake", "corrupt message"]
        .iter()
        .any(|sign| said.contains(sign))
    {
        "the TLS handshake failed: if the server speaks plain HTTP, use an http:// URL"
    } else {
        "check --url (or VAST_URL) and the network"
    }
}

/// The causes of `e`, outermost first.
fn causes(e: &reqwest::Error) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e as &(dyn std::error::Error + 'static)), |e| {
        e.source()
    })
}

/// The server a failed call had reached when a redirect took it away from `--url`'s.
fn redirected_to(cx: &Context) -> Option<String> {
    let origin = |url: &reqwest::Url| url.origin().ascii_serialization();
    let failed = cx.call.as_ref()?.redirected_to.as_ref()?;
    let base = reqwest::Url::parse(cx.base_url).ok()?;
    (origin(failed) != origin(&base)).then(|| said(&origin(failed)))
}

fn transport_failure(e: &reqwest::Error, cx: &Context) -> Failure {
    // Name the host that failed: after a redirect, not the one in --url.
    let redirected = redirected_to(cx);
    let server = &match &redirected {
        Some(to) => format!("{to} (where {} redirected the call)", cx.server()),
        None => cx.server(),
    };
    // The innermost cause says what happened ("Connection refused"); the outer layers only
    // repeat the URL.
    let cause = causes(e).last().expect("the error itself is first");
    if e.is_redirect() {
        let why = causes(e)
            .find_map(|c| c.downcast_ref::<vast_api::RedirectRefused>())
            .map(ToString::to_string)
            .unwrap_or_else(|| cause.to_string());
        return Failure::new(
            Exit::Failure,
            format!(
                "the server at {} answered with a redirect that was not followed: {}",
                cx.server(),
                said(&why)
            ),
        );
    }
    // hyper's words for a status line or headers that are not HTTP (a bad Content-Length,
    // headers over its size limit): the server's fault, not the network's.
    if let Some(parse) = causes(e)
        .filter_map(|c| c.downcast_ref::<hyper::Error>())
        .find(|h| h.is_parse())
    {
        return Failure::new(
            Exit::Failure,
            format!(
                "the response from {server} is not valid HTTP: {}",
                said(&parse.to_string())
            ),
        );
    }
    if e.is_builder() {
        return Failure::new(
            Exit::Usage,
            format!(
                "cannot make a request to {server}: {}",
                said(&cause.to_string())
            ),
        );
    }
    if let Some(response) = cx.response() {
        // The status line came, the rest of the body did not: say how much did.
        let (what, why) = if e.is_timeout() {
            ("stalled", format!("timed out after {} s", cx.timeout_secs))
        } else {
            ("broke off", clean(&cause.to_string()))
        };
        let failure = Failure::new(
            Exit::Unreachable,
            format!(
                "the response from {server} ({}) {what} after {} bytes: {why}",
                response.status,
                response.body.len(),
            ),
        );
        return if e.is_timeout() {
            failure.hint("raise --timeout, or try again")
        } else {
            failure
        };
    }
    if e.is_timeout() {
        return Failure::new(
            Exit::Unreachable,
            format!(
                "no answer from {server}: timed out after {} s{}",
                cx.timeout_secs,
                cx.retries().map(|r| format!(" ({r})")).unwrap_or_default()
            ),
        )
        .hint("raise --timeout, or check that the server is up");
    }
    if e.is_connect() {
        let said = clean(&cause.to_string());
        // reqwest's words for a 407 answer to the `CONNECT` that opens an https:// tunnel.
        if said.contains("proxy authorization required") {
            return cx.proxy_auth_failure();
        }
        return Failure::new(
            Exit::Unreachable,
            format!(
                "cannot connect to {server}: {said}{}",
                cx.retries().map(|r| format!(" ({r})")).unwrap_or_default()
            ),
        )
        .hint(match redirected {
            Some(_) => "the server in --url (or VAST_URL) sent the call there: check that server's redirects".to_string(),
            None => connect_hint(cx.base_url, cx.proxy, &said),
        });
    }
    Failure::new(
        Exit::Unreachable,
        format!(
            "the connection to {server} failed: {}",
            clean(&cause.to_string())
        ),
    )
}

/// The text a Vast.ai error body carries, under whichever name this endpoint uses for it. Only
/// those fields are decoded: the rest of a body, however large, is read past.
fn server_message(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Said {
        msg: Option<Text>,
        detail: Option<Text>,
        message: Option<Text>,
        error: Option<Text>,
    }
    let said: Said = serde_json::from_slice(body).ok()?;
    [said.msg, said.detail, said.message, said.error]
        .into_iter()
        .flatten()
        .filter_map(|text| text.0)
        .find(|s| !s.trim().is_empty())
        .map(|s| self::said(s.trim()))
}

/// A field that is text, or `None` for any other JSON value (read past, not kept).
struct Text(Option<String>);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct AnyValue;
        impl<'de> serde::de::Visitor<'de> for AnyValue {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, text: &str) -> Result<Text, E> {
                Ok(Text(Some(text.to_string())))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Text(None))
            }
            fn visit_unit<E>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Text, E> {
                Ok(Text(None))
            }
        }
        de.deserialize_any(AnyValue)
    }
}

/// A body the spec does not describe: its message if it is a JSON error, else an excerpt.
fn body_message(body: &[u8]) -> Option<String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    server_message(body).or_else(|| Some(excerpt(body)))
}

/// The start of a body, as text that is safe to print: invalid UTF-8 replaced, see [`said`].
pub fn excerpt(body: &[u8]) -> String {
    let chars = body.utf8_chunks().flat_map(|chunk| {
        let bad = (!chunk.invalid().is_empty()).then_some('\u{fffd}');
        chunk.valid().chars().chain(bad)
    });
    safe_start(chars)
}

/// A server's text as a message quotes it: see [`safe_start`].
fn said(text: &str) -> String {
    safe_start(text.chars())
}

/// How much of a text is read to make an excerpt: the excerpt, and room for a key that starts
/// inside it (keys are redacted before the cut, see [`shorten`]).
const EXCERPT_SCAN: usize = EXCERPT_CHARS + vast_api::api_key::MAX_KEY_CHARS;

/// At most [`EXCERPT_CHARS`] characters from the start of `text`: whitespace runs collapsed to
/// one space, characters that would act on a terminal replaced (`clean`), keys redacted. Only
/// the start is read, so a body or field of any size costs no more than a short one.
fn safe_start(text: impl Iterator<Item = char>) -> String {
    let (mut start, mut count, mut space) = (String::new(), 0, false);
    for c in text {
        if count >= EXCERPT_SCAN {
            // One more character than fits: `shorten` then marks the cut.
            start.push('…');
            break;
        }
        if c.is_whitespace() {
            space = !start.is_empty();
            continue;
        }
        if std::mem::take(&mut space) {
            start.push(' ');
            count += 1;
        }
        start.push_str(&clean(c.encode_utf8(&mut [0; 4])));
        count += 1;
    }
    if start.is_empty() {
        return "(empty)".into();
    }
    shorten(&start)
}

/// At most [`EXCERPT_CHARS`] characters, keys redacted first: a cut through a key would leave a
/// part of it that the final write no longer recognises as the key.
fn shorten(text: &str) -> String {
    let text = output::redacted_text(text);
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn message(body: Value) -> Option<String> {
        server_message(&serde_json::to_vec(&body).unwrap())
    }

    #[test]
    fn messages_come_from_msg_or_detail() {
        assert_eq!(
            message(json!({"success": false, "error": "auth", "msg": "Invalid key"})).unwrap(),
            "Invalid key"
        );
        assert_eq!(
            message(json!({"detail": "slow down"})).unwrap(),
            "slow down"
        );
        assert_eq!(message(json!({"msg": ""})), None);
        assert_eq!(
            message(json!({"msg": {"x": 1}, "error": "e"})).unwrap(),
            "e"
        );
        assert_eq!(message(json!([1])), None);
    }

    #[test]
    fn excerpts_are_short_and_printable() {
        assert_eq!(
            excerpt(b"<html>\n  <h1>502 Bad Gateway</h1>\n</html>"),
            "<html> <h1>502 Bad Gateway</h1> </html>"
        );
        assert_eq!(excerpt(&[0x66, 0xff, 0x1b, 0x6f]), "f\u{fffd} o");
        assert_eq!(excerpt(&[b'a'; 500]).chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(b""), "(empty)");
        let long = "a ".repeat(5_000_000);
        assert_eq!(said(&long).chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(said("a\u{9b}b\u{202e}c"), "a b c");
    }
}
