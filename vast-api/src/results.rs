//! Results behind a URL. Some answers carry no result but a `result_url` where it will be
//! written (`show logs`, `execute`, a copy's report): a signed URL on another host, a storage
//! bucket, filled in a moment after the answer. [`fetch_result`] reads it as the vendor's CLI
//! does, polling while it is not there yet, with an HTTP client of its own that has no
//! Authorization header: the API key never goes to that host.

use std::time::{Duration, Instant};

use reqwest::{StatusCode, Url};

use crate::config::{self, ConfigError};
use crate::proxy::{self, Proxies};
use crate::text;

/// How long [`fetch_result`] waits for a result that is not there yet, by default (the vendor's
/// CLI waits about 9 s; a long log can take longer to write).
pub const RESULT_WAIT: Duration = Duration::from_secs(30);

/// The most a result may hold: a log's thousand lines are well under it.
pub const RESULT_LIMIT: usize = 32 << 20;

/// The `result_url` an answer names: a string field of its top-level JSON object that is a URL.
/// A value that is not one (a mock's placeholder word) names nothing to fetch, and the answer is
/// the answer; a URL of a kind not fetched (`file://`) is [`fetch_result`]'s to refuse.
pub fn result_url(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Answer {
        result_url: Option<String>,
    }
    serde_json::from_slice::<Answer>(body)
        .ok()?
        .result_url
        .filter(|url| Url::parse(url).is_ok())
}

/// Why a result was not read. Its text names the URL (cut, made safe to print).
#[derive(Debug)]
#[non_exhaustive]
pub enum ResultError {
    /// The URL is not one to fetch: not `https://` (plain `http://` only on this machine).
    Url {
        /// The URL, made safe to print.
        url: String,
        /// Why, as the end of a sentence.
        reason: &'static str,
    },
    /// The client could not be made: a proxy variable or the certificates are unusable.
    Config(ConfigError),
    /// Still not there (404 or 403) after this long.
    NotReady {
        /// The URL, made safe to print.
        url: String,
        /// How long it was waited for.
        waited: Duration,
    },
    /// The host answered with another status.
    Status {
        /// The URL, made safe to print.
        url: String,
        /// The status.
        status: StatusCode,
    },
    /// The result is larger than [`RESULT_LIMIT`].
    TooLarge {
        /// The URL, made safe to print.
        url: String,
    },
    /// The request failed: no connection, no answer in time, a body that broke off.
    Http {
        /// The URL, made safe to print.
        url: String,
        /// The innermost cause, in words.
        cause: String,
    },
}

impl std::fmt::Display for ResultError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResultError::Url { url, reason } => write!(f, "the result URL {url} {reason}"),
            ResultError::Config(e) => write!(f, "cannot fetch the result: {e}"),
            ResultError::NotReady { url, waited } => write!(
                f,
                "the result at {url} was not ready after {}",
                text::seconds(*waited)
            ),
            ResultError::Status { url, status } => {
                write!(f, "the result at {url} could not be read: {status}")
            }
            ResultError::TooLarge { url } => write!(
                f,
                "the result at {url} is larger than {}",
                text::size_text(RESULT_LIMIT)
            ),
            ResultError::Http { url, cause } => {
                write!(f, "cannot fetch the result at {url}: {cause}")
            }
        }
    }
}

impl std::error::Error for ResultError {}

/// The text at `url`, a result URL an answer gave: fetched without the API key, polling while
/// the host says it is not there (404, 403) for at most `wait`, read up to [`RESULT_LIMIT`]
/// (invalid UTF-8 replaced). Uses the proxy variables and certificates the API client does.
pub async fn fetch_result(url: &str, wait: Duration) -> Result<String, ResultError> {
    let shown = text::shown(url);
    let refused = |reason| ResultError::Url {
        url: shown.clone(),
        reason,
    };
    let parsed = Url::parse(url).map_err(|_| refused("is not a URL"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if proxy::is_loopback(&parsed) => {}
        "http" => return Err(refused("is plain http:// to another machine")),
        _ => return Err(refused("is not an http(s):// URL")),
    }
    let proxies = Proxies::from_env().map_err(ResultError::Config)?;
    let builder = config::transport(&proxies, Duration::from_secs(30), Duration::from_secs(10));
    let client = config::tls(builder, url)
        .map_err(ResultError::Config)?
        .build()
        .map_err(|e| ResultError::Config(config::build_error(&e)))?;
    let failed = |e: reqwest::Error| ResultError::Http {
        url: shown.clone(),
        cause: innermost(&e),
    };
    let started = Instant::now();
    let mut delay = Duration::from_millis(300);
    loop {
        let response = client.get(parsed.clone()).send().await.map_err(failed)?;
        let status = response.status();
        if status.is_success() {
            return read(response, &shown).await;
        }
        if !matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN) {
            return Err(ResultError::Status { url: shown, status });
        }
        if started.elapsed() + delay > wait {
            return Err(ResultError::NotReady {
                url: shown,
                waited: wait,
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 3 / 2).min(Duration::from_secs(2));
    }
}

/// The body of a result, within [`RESULT_LIMIT`] whatever length it announces.
async fn read(mut response: reqwest::Response, shown: &str) -> Result<String, ResultError> {
    let mut body = Vec::new();
    loop {
        let chunk = response.chunk().await.map_err(|e| ResultError::Http {
            url: shown.to_string(),
            cause: innermost(&e),
        })?;
        let Some(chunk) = chunk else { break };
        if body.len() + chunk.len() > RESULT_LIMIT {
            return Err(ResultError::TooLarge {
                url: shown.to_string(),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

fn innermost(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time".into()
    } else {
        text::shown(&crate::error::innermost(e).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_names_its_result_url() {
        assert_eq!(
            result_url(br#"{"success": true, "result_url": "https://s3/x?sig=1"}"#).as_deref(),
            Some("https://s3/x?sig=1")
        );
        assert_eq!(result_url(br#"{"result_url": ""}"#), None);
        assert_eq!(result_url(br#"{"result_url": "dolore"}"#), None);
        assert_eq!(
            result_url(br#"{"result_url": "file:///etc/passwd"}"#).as_deref(),
            Some("file:///etc/passwd")
        );
        assert_eq!(result_url(br#"{"result_url": 5}"#), None);
        assert_eq!(result_url(br#"[{"result_url": "x"}]"#), None);
        assert_eq!(result_url(b"not json"), None);
    }

    #[tokio::test]
    async fn only_https_or_this_machine_is_fetched() {
        for (url, message) in [
            (
                "http://example.com/x",
                "the result URL http://example.com/x is plain http:// to another machine",
            ),
            (
                "file:///etc/passwd",
                "the result URL file:///etc/passwd is not an http(s):// URL",
            ),
            ("not a url", "the result URL not a url is not a URL"),
        ] {
            let e = fetch_result(url, RESULT_WAIT).await.unwrap_err();
            assert_eq!(e.to_string(), message);
        }
    }
}
