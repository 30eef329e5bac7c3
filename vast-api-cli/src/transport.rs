//! Where the key may go: never in clear text across a network, unless the user says so.

use vast_api::proxy::{ProxyUrl, is_loopback};

use crate::failure::{Exit, Failure};

/// Refuses `http://` to a host that is not this machine: the key would cross the network in
/// clear text. `--allow-http` overrides it (a test server on another host, say), and then covers
/// a proxy on the way too. A URL on this machine never goes through a proxy (`vast_api::proxy`),
/// and an `https://` one only through a `CONNECT` tunnel the proxy cannot read, so no other case
/// can put the key in clear text on the network. A URL that does not parse is left for the
/// client builder to report.
pub fn check(base_url: &str, allow_http: bool) -> Result<(), Failure> {
    let Ok(url) = reqwest::Url::parse(base_url) else {
        return Ok(());
    };
    if url.scheme() != "http" || allow_http || is_loopback(&url) {
        return Ok(());
    }
    Err(Failure::new(
        Exit::Usage,
        format!(
            "refusing to send the API key over plain http:// to {}: anyone on the way could read it",
            vast_api::text::shown(url.host_str().unwrap_or_default())
        ),
    )
    .hint("use https://, or pass --allow-http if this network is trusted"))
}

/// The proxy the call to `base_url` goes through, for `-v` and for messages.
pub fn proxy_for(base_url: &str, proxies: &vast_api::proxy::Proxies) -> Option<ProxyUrl> {
    let url = reqwest::Url::parse(base_url).ok()?;
    proxies.for_url(&url).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_is_allowed_only_to_this_machine_or_when_asked() {
        for ok in [
            "https://console.vast.ai",
            "http://127.0.0.1:8080",
            "http://127.0.0.2",
            "http://[::1]:1",
            "http://localhost/",
        ] {
            assert!(check(ok, false).is_ok(), "{ok}");
        }
        let refused = check("http://console.vast.ai", false).unwrap_err();
        assert_eq!(refused.exit, Exit::Usage);
        assert_eq!(
            refused.to_string(),
            "error: refusing to send the API key over plain http:// to console.vast.ai: anyone on the way could read it\n\
             hint: use https://, or pass --allow-http if this network is trusted"
        );
        assert!(check("http://10.0.0.5", true).is_ok());
    }
}
