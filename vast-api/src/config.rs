//! Building a [`Client`]: key, server, timeouts and user agent, explicit or from the environment.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

use crate::api_key::{self, ApiKey, KeySource};
use crate::ca_certs;
use crate::proxy::Proxies;
use crate::text;
use crate::{Client, ClientState, RequestCapture, ResponseCapture, RetryPolicy};

/// The vendor's production server, as in the spec's `servers`.
pub const DEFAULT_BASE_URL: &str = "https://console.vast.ai";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a client could not be built. Messages say what to do; none contains the key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// [`ClientConfig::from_env`] found no key: `VAST_API_KEY` is unset and no key file exists.
    #[error(
        "no API key found: set VAST_API_KEY, or save the key in {}{}",
        searched.first().map(|p| text::shown_path(p)).unwrap_or_else(|| "$XDG_CONFIG_HOME/vastai/vast_api_key".into()),
        match searched.get(1) { Some(p) => format!(" (also read: {})", text::shown_path(p)), None => String::new() }
    )]
    NoApiKey {
        /// The key files looked for, in order ([`api_key::key_files`]).
        searched: Vec<PathBuf>,
    },
    /// [`ClientConfig::new`] was built without [`ClientConfig::api_key`].
    #[error(
        "no API key set: call ClientConfig::api_key, or use ClientConfig::from_env to read VAST_API_KEY and the key files"
    )]
    MissingApiKey,
    /// The key is empty, or only whitespace.
    #[error("{}", self.naming_key_source(ToString::to_string))]
    EmptyApiKey {
        /// Where the key came from.
        key_source: KeySource,
    },
    /// The key is longer than [`api_key::MAX_KEY_CHARS`]: a pasted document, not a key.
    #[error("{}", self.naming_key_source(ToString::to_string))]
    ApiKeyTooLong {
        /// Where the key came from.
        key_source: KeySource,
        /// Its length in characters.
        length: usize,
    },
    /// A key file exists but cannot be read (or is not a small regular file).
    #[error("cannot read the key file {}: {reason}", text::shown_path(path))]
    KeyFile {
        /// The key file.
        path: PathBuf,
        /// Why it cannot be read.
        reason: String,
    },
    /// The key holds spaces, line breaks or characters that are not printable ASCII.
    #[error("{}", self.naming_key_source(ToString::to_string))]
    InvalidApiKey {
        /// Where the key came from.
        key_source: KeySource,
    },
    /// The server URL is not an `http://` or `https://` URL the client can use.
    #[error("invalid server URL `{url}`: {reason} (expected e.g. https://console.vast.ai)")]
    InvalidBaseUrl {
        /// The URL as given, as [`text::shown`] quotes it.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A proxy variable (`HTTPS_PROXY`, `ALL_PROXY`, …) holds no usable proxy URL.
    #[error("the proxy in {variable} is not usable: {reason}")]
    InvalidProxy {
        /// The environment variable.
        variable: &'static str,
        /// What is wrong with its value.
        reason: String,
    },
    /// `SSL_CERT_FILE` or `SSL_CERT_DIR` names certificates that cannot be used.
    #[error(
        "the CA certificates named by {variable} ({}) cannot be used: {reason}",
        text::shown_path(path)
    )]
    Certificates {
        /// `SSL_CERT_FILE` or `SSL_CERT_DIR`.
        variable: &'static str,
        /// The file or folder it names, or the file in that folder at fault.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be set up.
    #[error("cannot set up the HTTP client: {0}")]
    Http(String),
}

impl ConfigError {
    /// The message, with the key's source named by `name` rather than by [`KeySource`]'s
    /// `Display`, so that an application can name sources in its own terms (a command-line
    /// flag, say). Errors that are not about a key's content read as their `Display`.
    ///
    /// ```
    /// use vast_api::{ClientConfig, KeySource};
    ///
    /// let err = ClientConfig::new().api_key(" ").build().unwrap_err();
    /// assert_eq!(err.to_string(), "the API key from explicit configuration is empty");
    /// let named = err.naming_key_source(|source| match source {
    ///     KeySource::Explicit => "the key setting".to_string(),
    ///     other => other.to_string(),
    /// });
    /// assert_eq!(named, "the API key from the key setting is empty");
    /// ```
    pub fn naming_key_source(&self, name: impl Fn(&KeySource) -> String) -> String {
        match self {
            Self::EmptyApiKey { key_source } => {
                format!("the API key from {} is empty", name(key_source))
            }
            Self::ApiKeyTooLong { key_source, length } => format!(
                "the API key from {} is {length} characters long, longer than any API key (at most {}): check that it holds the key alone",
                name(key_source),
                api_key::MAX_KEY_CHARS
            ),
            Self::InvalidApiKey { key_source } => format!(
                "the API key from {} contains spaces or characters that are not printable ASCII: check for stray quotes or a line break",
                name(key_source)
            ),
            other => other.to_string(),
        }
    }
}

impl From<ca_certs::Unusable> for ConfigError {
    fn from(unusable: ca_certs::Unusable) -> Self {
        match unusable {
            ca_certs::Unusable::Refused {
                variable,
                path,
                reason,
            } => ConfigError::Certificates {
                variable,
                path,
                reason,
            },
            ca_certs::Unusable::Http(why) => ConfigError::Http(why),
        }
    }
}

/// Why a redirect was not followed: the source of a [`reqwest::Error`] whose `is_redirect()`,
/// so that a caller can tell a redirect loop from a redirect to a scheme the client does not
/// speak (`ftp:`, `file:`), which reqwest would otherwise report as a failed connection.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedirectRefused {
    /// More redirects than the client follows (the number is that limit).
    #[error("more than {0} redirects")]
    TooMany(usize),
    /// A redirect to another scheme (the URL it led to).
    #[error("a redirect to a URL that is neither http:// nor https://: {0}")]
    Scheme(String),
}

/// As many redirects as browsers and curl follow.
const MAX_REDIRECTS: usize = 10;

/// reqwest's default (at most 10 redirects) with one more rule: only to http:// and https://.
/// Each redirect followed is noted for the call in progress (reqwest follows redirects inside
/// the call's own future), so that its error can name the host that failed.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if !matches!(attempt.url().scheme(), "http" | "https") {
            let url = attempt.url().to_string();
            attempt.error(RedirectRefused::Scheme(url))
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(RedirectRefused::TooMany(MAX_REDIRECTS))
        } else {
            let to = attempt.url().clone();
            crate::call::note(|call| call.redirected_to = Some(to));
            attempt.follow()
        }
    })
}

/// The longest server URL accepted: far beyond any real one, and short enough for every
/// operation's path to be added to it (an HTTP request line has a limit of its own).
const MAX_URL_CHARS: usize = 8192;

/// Settings for a [`Client`]; [`ClientConfig::build`] makes the client.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    api_key: Option<ApiKey>,
    search_key: bool,
    base_url: String,
    /// `VAST_URL`, escaped, when [`from_env`](Self::from_env) found it is not UTF-8: `build`
    /// refuses it unless [`base_url`](Self::base_url) replaced it.
    env_url_not_text: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    state: ClientState,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientConfig {
    /// Defaults: the production server, a 30 s request timeout, no key (set one with
    /// [`api_key`](Self::api_key), or use [`from_env`](Self::from_env)).
    pub fn new() -> Self {
        Self {
            api_key: None,
            search_key: false,
            base_url: DEFAULT_BASE_URL.into(),
            env_url_not_text: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: concat!("vast-api-rust/", env!("CARGO_PKG_VERSION")).into(),
            state: ClientState::default(),
        }
    }

    /// As the vendor CLI: the server from `VAST_URL`, and unless [`api_key`](Self::api_key)
    /// sets one, the key from `VAST_API_KEY` or the key files ([`api_key::resolve`]). A
    /// `VAST_URL` that is not UTF-8 makes [`build`](Self::build) fail with
    /// [`ConfigError::InvalidBaseUrl`] naming it, unless [`base_url`](Self::base_url) replaces it.
    pub fn from_env() -> Self {
        let mut config = Self::new();
        config.search_key = true;
        match env_url() {
            Ok(Some(url)) => config.base_url = url,
            Ok(None) => {}
            Err(shown) => config.env_url_not_text = Some(shown),
        }
        config
    }

    /// The API key; it is checked when the client is built ([`api_key::validate`]), and never
    /// shown in `Debug` output.
    pub fn api_key(mut self, key: impl Into<ApiKey>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The server, e.g. `https://console.vast.ai`; a trailing `/` is ignored. Any server but
    /// the default takes every operation, even those the spec sends to a server of their own
    /// ([`Client::operation_server`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self.env_url_not_text = None;
        self
    }

    /// The limit for one whole request, from connecting to the last byte of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The limit for connecting (the name lookup, TCP and TLS), 10 s by default; part of
    /// [`timeout`](Self::timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header, `vast-api-rust/<version>` by default.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest response body the client reads ([`crate::DEFAULT_MAX_RESPONSE_BYTES`] by default);
    /// a larger one ends the call with an error instead of using more memory.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.state.max_response_bytes = limit;
        self
    }

    /// How transient failures are retried ([`RetryPolicy::default`]: 3 attempts, an ambiguous
    /// failure sent again only for a safe method such as GET).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.state.retry = policy;
        self
    }

    /// Records each response's status and exact body in `capture` (see [`ResponseCapture`]).
    pub fn capture_responses(mut self, capture: ResponseCapture) -> Self {
        self.state.capture = Some(capture);
        self
    }

    /// Calls `edit` with every request just before it is sent (once per call, before any retry):
    /// for a program that must send what the spec's types cannot say, such as a JSON body with
    /// an operator the spec does not list, or a query parameter the operation does not declare.
    /// The `vast` CLI sends its `--json-body` and filter expressions, and follows pages, this
    /// way. What the edit does is not checked against the spec.
    pub fn edit_requests(
        mut self,
        edit: impl Fn(&mut reqwest::Request) + Send + Sync + 'static,
    ) -> Self {
        self.state.edit = Some(crate::client_state::RequestEdit(std::sync::Arc::new(edit)));
        self
    }

    /// Records each request in `capture` instead of sending it: every call then ends in
    /// [`ErrorKind::NotSent`](crate::ErrorKind::NotSent), and `capture` holds what it would have
    /// sent. For showing a request before it is made (a CLI's `--dry-run`).
    pub fn hold_requests(mut self, capture: RequestCapture) -> Self {
        self.state.hold = Some(capture);
        self
    }

    /// The client. Checks the key and the server URL, reads the proxy variables and, for an
    /// `https://` server, `SSL_CERT_FILE`/`SSL_CERT_DIR`; installs rustls' ring provider as the
    /// process default unless one is installed already. The client resolves `localhost` to
    /// `::1` and 127.0.0.1 itself, never asking the system resolver.
    pub fn build(self) -> Result<Client, ConfigError> {
        if let Some(shown) = self.env_url_not_text {
            return Err(env_url_not_text(shown));
        }
        let explicit = self.api_key;
        let (key, _) = if self.search_key {
            api_key::resolve(explicit)?
        } else {
            let key = explicit.ok_or(ConfigError::MissingApiKey)?;
            api_key::validate(key, KeySource::Explicit)?
        };
        let base_url = check_base_url(&self.base_url)?;
        let mut auth = HeaderValue::try_from(format!("Bearer {}", key.expose()))
            .expect("a checked key is printable ASCII, which a header can carry");
        // Keeps the value out of `Debug` output and out of HTTP/2 header compression tables.
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, auth);
        let proxies = Proxies::from_env()?;
        let mut state = self.state;
        state.proxies = proxies.clone();
        state.timeout = Some(self.timeout);
        state.connect_timeout = Some(self.connect_timeout);
        state.secret = Some(key.clone());
        let builder = transport(&proxies, self.timeout, self.connect_timeout)
            .default_headers(headers)
            .user_agent(self.user_agent);
        let http = tls(builder, &base_url)?
            .build()
            .map_err(|e| build_error(&e))?;
        Ok(Client::new_with_client(&base_url, http, state))
    }
}

/// An HTTP client's settings but for its headers and TLS: time limits, no retries of reqwest's
/// own, the redirect policy, `localhost` as this machine, and `proxies`.
pub(crate) fn transport(
    proxies: &Proxies,
    timeout: Duration,
    connect_timeout: Duration,
) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        // reqwest's own retry layer re-sends only refusals of HTTP/2 and HTTP/3, which this
        // HTTP/1.1 client never gets, yet copies every request in case it must (about 1.5 % of
        // a call's CPU, see BENCHMARKS.md). Retrying is the hooks' job (`RetryPolicy`).
        .retry(reqwest::retry::never().max_retries_per_request(0))
        .redirect(redirect_policy())
        // `localhost` is trusted by its name (plain http:// and no proxy, see `proxy.rs`), so
        // its address is this machine's whatever the system resolver says: a hosts file
        // without the name, or a DNS answer, must not send the key elsewhere (RFC 6761,
        // section 6.3; curl does the same). IPv6 first, as a hosts file with both lists
        // them; a refused `::1` falls back to 127.0.0.1 at once.
        .resolve_to_addrs(
            crate::proxy::LOCALHOST,
            &[
                (std::net::Ipv6Addr::LOCALHOST, 0).into(),
                (std::net::Ipv4Addr::LOCALHOST, 0).into(),
            ],
        )
        // The proxy is this crate's decision, not reqwest's reading of the environment: a URL
        // on this machine never goes through one (see `proxy.rs`).
        .proxy(proxies.to_reqwest())
}

/// The server `VAST_URL` names, as the vendor CLI reads it: unset and empty are the same. A value
/// that is not UTF-8 is an error, never taken for unset: the calls would go to the production
/// server, key and all, instead of the one meant.
pub fn base_url_from_env() -> Result<Option<String>, ConfigError> {
    env_url().map_err(env_url_not_text)
}

/// `VAST_URL` if set and not empty, or what it holds, escaped, when it is not UTF-8.
fn env_url() -> Result<Option<String>, String> {
    match std::env::var_os("VAST_URL") {
        Some(url) if !url.is_empty() => url
            .into_string()
            .map(Some)
            .map_err(|url| crate::text::shown_bytes(url.as_encoded_bytes())),
        _ => Ok(None),
    }
}

fn env_url_not_text(shown: String) -> ConfigError {
    ConfigError::InvalidBaseUrl {
        url: shown,
        reason: "VAST_URL is not valid UTF-8".into(),
    }
}

impl Client {
    /// A client configured as the vendor CLI is: [`ClientConfig::from_env`].
    pub fn from_env() -> Result<Self, ConfigError> {
        ClientConfig::from_env().build()
    }

    /// The server this client calls, as configured but without a trailing `/`:
    /// `https://console.vast.ai` by default. An operation the spec sends to a server of its
    /// own goes there instead while this is the default ([`operation_server`](Self::operation_server)).
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }

    /// The server a call goes to when the spec names `spec_server` for its operation (Vast.ai's
    /// serverless operations, `route` and the endpoint and workergroup logs and workers, are
    /// served by `https://run.vast.ai`): that server while the base URL is the default,
    /// [`DEFAULT_BASE_URL`], whether left so or given; any other base URL (a mock, a proxy, a
    /// test server) takes every operation, as in the vendor CLI, whose `--url` does the same.
    /// `cargo xtask gen` builds each such operation's URL on it; `spec_server` is always an
    /// `https://` URL.
    pub fn operation_server<'a>(&'a self, spec_server: &'a str) -> &'a str {
        operation_server(&self.baseurl, spec_server)
    }
}

/// The rule of [`Client::operation_server`], for a base URL (without a trailing `/`) that no
/// client has yet: `spec_server` while `base_url` is [`DEFAULT_BASE_URL`], else `base_url`.
pub fn operation_server<'a>(base_url: &'a str, spec_server: &'a str) -> &'a str {
    if base_url == DEFAULT_BASE_URL {
        spec_server
    } else {
        base_url
    }
}

/// TLS is paid for only when it is used. For `https://` the system's trust store is read, or
/// the certificates `SSL_CERT_FILE`/`SSL_CERT_DIR` name in its place (so corporate CAs work;
/// read by `ca_certs`, within its limits), which costs a few milliseconds of file reads when the
/// client is built. For `http://` (a local server) no roots are loaded: a redirect to `https://`
/// then fails instead of paying for every plain call.
pub(crate) fn tls(
    builder: reqwest::ClientBuilder,
    base_url: &str,
) -> Result<reqwest::ClientBuilder, ConfigError> {
    // reqwest is built without a provider so the binary carries only ring; it uses the
    // process-wide default, installed here unless the application chose one already (so other
    // reqwest clients in the process work too).
    let _ =
        rustls::crypto::CryptoProvider::install_default(rustls::crypto::ring::default_provider());
    if base_url.starts_with("https:") {
        return Ok(match ca_certs::from_env().map_err(ConfigError::from)? {
            Some(certs) => builder.tls_certs_only(certs),
            None => builder,
        });
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    Ok(
        match rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
        {
            Ok(config) => builder.tls_backend_preconfigured(
                config
                    .with_root_certificates(rustls::RootCertStore::empty())
                    .with_no_client_auth(),
            ),
            Err(_) => builder,
        },
    )
}

/// reqwest says "builder error" and little more: the innermost cause says what went wrong.
pub(crate) fn build_error(e: &reqwest::Error) -> ConfigError {
    ConfigError::Http(crate::error::innermost(e).to_string())
}

fn check_base_url(url: &str) -> Result<String, ConfigError> {
    let shown = text::shown(url);
    let invalid = |reason: &str| ConfigError::InvalidBaseUrl {
        url: shown.clone(),
        reason: reason.into(),
    };
    if url.trim().is_empty() {
        return Err(invalid("it is empty"));
    }
    // The URL parser drops spaces and controls at either end, but the paths are added to the
    // text as given: `http://host:1 ` would become `http://host:1 /api/…`.
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid("it contains spaces or control characters"));
    }
    if url.chars().count() > MAX_URL_CHARS {
        return Err(invalid(&format!(
            "it is longer than {MAX_URL_CHARS} characters"
        )));
    }
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.host_str().is_none() {
        return Err(invalid("it has no host"));
    }
    // Operation paths are appended to the URL as text: a query or fragment would swallow them.
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    // Credentials would be printed wherever the URL is; the key is what authenticates.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(ConfigError::InvalidBaseUrl {
            url: "(not shown: it contains credentials)".into(),
            reason: "a user name or password in the URL is not supported".into(),
        });
    }
    Ok(url.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_config_and_client_never_shows_the_key() {
        let config = ClientConfig::new()
            .api_key("sekrit-abc")
            .base_url("http://127.0.0.1:1");
        assert!(!format!("{config:?}").contains("sekrit"));
        let client = config.build().unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("sekrit"), "{shown}");
    }

    #[test]
    fn trailing_slash_is_dropped_and_bad_urls_are_refused() {
        let client = ClientConfig::new()
            .api_key("k")
            .base_url("http://localhost:8080/")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "http://localhost:8080");
        let err = ClientConfig::new()
            .api_key("k")
            .base_url("console.vast.ai")
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid server URL `console.vast.ai`: relative URL without a base (expected e.g. https://console.vast.ai)"
        );
        let err = ClientConfig::new()
            .api_key("k")
            .base_url("ftp://x")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("the scheme must be http or https"));
    }

    #[test]
    fn an_operations_own_server_is_used_only_with_the_default_base_url() {
        let own = "https://run.example";
        for (base, expected) in [
            (None, own),
            (Some("https://console.vast.ai/"), own),
            (Some("http://127.0.0.1:9"), "http://127.0.0.1:9"),
            (
                Some("https://proxy.example/vast"),
                "https://proxy.example/vast",
            ),
        ] {
            let mut config = ClientConfig::new().api_key("k");
            if let Some(base) = base {
                config = config.base_url(base);
            }
            let client = config.build().unwrap();
            assert_eq!(client.operation_server(own), expected, "{base:?}");
        }
    }

    /// Where the spec has Vast.ai's `route` (served by https://run.vast.ai): the generated call
    /// builds its URL on that server, or on a base URL of one's own.
    #[cfg(vast_op = "route")]
    #[test]
    fn the_generated_call_goes_to_the_operations_server() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        for (base, expected) in [
            (None, "https://run.vast.ai/route"),
            (Some("http://127.0.0.1:9"), "http://127.0.0.1:9/route"),
        ] {
            let hold = crate::RequestCapture::new();
            let mut config = ClientConfig::new().api_key("k").hold_requests(hold.clone());
            if let Some(base) = base {
                config = config.base_url(base);
            }
            let client = config.build().unwrap();
            // From JSON, so that the test builds whatever types a spec version gives the body.
            let body: crate::types::RouteBody =
                serde_json::from_value(serde_json::json!({"endpoint": "e", "cost": 2.0})).unwrap();
            let sent = runtime.block_on(client.route().body(body).send());
            assert!(matches!(
                sent.unwrap_err().kind(),
                crate::ErrorKind::NotSent
            ));
            let held = hold.last().unwrap();
            assert_eq!(
                (held.method.as_str(), held.url.as_str()),
                ("POST", expected)
            );
        }
    }

    #[test]
    fn a_key_that_cannot_be_a_header_is_refused_without_showing_it() {
        let err = ClientConfig::new()
            .api_key("bad\u{7f}key")
            .build()
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(
                "the API key from explicit configuration contains spaces or characters"
            ),
            "{text}"
        );
        assert!(!text.contains("bad"));
    }

    #[test]
    fn new_without_a_key_says_how_to_set_one() {
        let err = ClientConfig::new().build().unwrap_err();
        assert_eq!(
            err.to_string(),
            "no API key set: call ClientConfig::api_key, or use ClientConfig::from_env to read VAST_API_KEY and the key files"
        );
    }

    #[test]
    fn urls_that_would_mangle_paths_or_show_credentials_are_refused() {
        let build = |url: &str| {
            ClientConfig::new()
                .api_key("k")
                .base_url(url)
                .build()
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            build(""),
            "invalid server URL ``: it is empty (expected e.g. https://console.vast.ai)"
        );
        assert!(build("http://h/x?a=1").ends_with(
            "it must not have a query or fragment (expected e.g. https://console.vast.ai)"
        ));
        assert!(build("http://h/#f").contains("query or fragment"));
        assert_eq!(
            build("http://127.0.0.1:1 "),
            "invalid server URL `http://127.0.0.1:1 `: it contains spaces or control characters (expected e.g. https://console.vast.ai)"
        );
        assert_eq!(
            build(&format!("http://h/{}", "a".repeat(10_000))),
            format!(
                "invalid server URL `http://h/{}…{}`: it is longer than 8192 characters (expected e.g. https://console.vast.ai)",
                "a".repeat(50),
                "a".repeat(40)
            )
        );
        let shown = build("http://user:pa55@h/");
        assert!(
            !shown.contains("pa55") && shown.contains("not supported"),
            "{shown}"
        );
    }
}
