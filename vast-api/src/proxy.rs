//! Which proxy a request goes through, decided here rather than by reqwest's own reading of the
//! environment, so that the key never travels in clear text to another machine by surprise.
//!
//! The variables are the ones curl and reqwest read: `http_proxy`/`HTTP_PROXY` for `http://`
//! URLs, `https_proxy`/`HTTPS_PROXY` for `https://` ones, `all_proxy`/`ALL_PROXY` for both,
//! lower case first, and `no_proxy`/`NO_PROXY` for exceptions. Two rules are this crate's own:
//! a URL on this machine (`localhost`, `127.0.0.0/8`, `::1`) never goes through a proxy, and
//! `NO_PROXY` entries match IP addresses and CIDR ranges as well as domains (`*` matches all).
//! An `https://` request goes through its proxy in a `CONNECT` tunnel, so the proxy sees only
//! the host name; an `http://` request is handed to the proxy whole, key included.

use std::ffi::OsString;
use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use crate::ConfigError;

/// The proxy settings of the environment, read once.
#[derive(Debug, Clone, Default)]
pub struct Proxies {
    http: Option<ProxyUrl>,
    https: Option<ProxyUrl>,
    exceptions: Vec<String>,
}

/// A proxy and the variable that named it.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    url: Url,
    variable: &'static str,
}

impl ProxyUrl {
    /// The proxy's URL, credentials included (for the connection; never print it).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// `HTTPS_PROXY`, `http_proxy`…: where the proxy came from, for messages.
    pub fn variable(&self) -> &'static str {
        self.variable
    }

    /// Whether the proxy is on this machine.
    pub fn is_local(&self) -> bool {
        is_loopback(&self.url)
    }
}

/// `the proxy http://host:3128 (from HTTPS_PROXY)`, without any user name or password.
impl fmt::Display for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.url.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        let shown = shown.as_str().trim_end_matches('/').to_string();
        write!(
            f,
            "the proxy {} (from {})",
            crate::text::shown(&shown),
            self.variable
        )
    }
}

/// Credentials in a proxy URL must not reach a `Debug` print either.
impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProxyUrl({self})")
    }
}

impl Proxies {
    /// The proxy variables of this process's environment; a value that is not a usable proxy
    /// URL is an error naming its variable.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(&|name| std::env::var_os(name))
    }

    fn from_vars(env: &dyn Fn(&str) -> Option<OsString>) -> Result<Self, ConfigError> {
        let first = |names: &[&'static str]| -> Result<Option<ProxyUrl>, ConfigError> {
            for &variable in names {
                let Some(value) = env(variable) else { continue };
                let value = value.to_string_lossy();
                if value.trim().is_empty() {
                    continue;
                }
                return parse(variable, value.trim()).map(Some);
            }
            Ok(None)
        };
        let all = first(&["all_proxy", "ALL_PROXY"])?;
        let http = first(&["http_proxy", "HTTP_PROXY"])?.or_else(|| all.clone());
        let https = first(&["https_proxy", "HTTPS_PROXY"])?.or(all);
        let exceptions = ["no_proxy", "NO_PROXY"]
            .iter()
            .find_map(|name| env(name).filter(|v| !v.is_empty()))
            .map(|v| {
                v.to_string_lossy()
                    .split(',')
                    .map(|entry| entry.trim().to_ascii_lowercase())
                    .filter(|entry| !entry.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            http,
            https,
            exceptions,
        })
    }

    /// The proxy a request to `url` goes through, if any.
    pub fn for_url(&self, url: &Url) -> Option<&ProxyUrl> {
        if is_loopback(url) || self.excepted(url) {
            return None;
        }
        match url.scheme() {
            "http" => self.http.as_ref(),
            "https" => self.https.as_ref(),
            _ => None,
        }
    }

    /// The proxy as reqwest takes it: the same decision for every URL, redirects included.
    pub(crate) fn to_reqwest(&self) -> reqwest::Proxy {
        let proxies = self.clone();
        reqwest::Proxy::custom(move |url| proxies.for_url(url).map(|p| p.url.clone()))
    }

    fn excepted(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let ip = host.parse::<IpAddr>().ok();
        self.exceptions.iter().any(|entry| {
            if entry == "*" {
                return true;
            }
            if let Some(ip) = ip {
                return matches_ip(entry, ip);
            }
            let domain = entry.trim_start_matches('*').trim_start_matches('.');
            host.eq_ignore_ascii_case(domain)
                || host
                    .to_ascii_lowercase()
                    .strip_suffix(domain)
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }
}

/// An entry of `NO_PROXY` against an address: the same address, or a CIDR range holding it.
fn matches_ip(entry: &str, ip: IpAddr) -> bool {
    let entry = entry.trim_start_matches('[').trim_end_matches(']');
    let (net, bits) = match entry.split_once('/') {
        Some((net, bits)) => (net, bits.parse::<u32>().ok()),
        None => (entry, None),
    };
    let Ok(net) = net.parse::<IpAddr>() else {
        return false;
    };
    let (net, ip, width) = match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => (u32::from(n) as u128, u32::from(i) as u128, 32),
        (IpAddr::V6(n), IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
        _ => return false,
    };
    let bits = bits.unwrap_or(width).min(width);
    let shift = width - bits;
    shift == 128 || (net >> shift) == (ip >> shift)
}

fn parse(variable: &'static str, value: &str) -> Result<ProxyUrl, ConfigError> {
    let invalid = |reason: String| ConfigError::InvalidProxy { variable, reason };
    // As curl and reqwest: a value without a scheme is an http:// proxy.
    let text = if value.contains("://") {
        value.to_string()
    } else {
        format!("http://{value}")
    };
    let url = Url::parse(&text).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "{}:// proxies are not supported (use http:// or https://)",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host".into()));
    }
    Ok(ProxyUrl { url, variable })
}

/// The one name trusted as this machine; the client resolves it to loopback itself, never
/// asking the system resolver (`ClientConfig::build`).
pub(crate) const LOCALHOST: &str = "localhost";

/// `localhost`, `127.0.0.0/8`, `::1`: a URL whose requests never leave this machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        // Only the name itself: what `x.localhost` resolves to is up to the resolver.
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case(LOCALHOST),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn proxies(vars: &[(&str, &str)]) -> Result<Proxies, ConfigError> {
        let vars: HashMap<&str, OsString> = vars.iter().map(|(k, v)| (*k, (*v).into())).collect();
        Proxies::from_vars(&|name| vars.get(name).cloned())
    }

    fn via(proxies: &Proxies, url: &str) -> Option<String> {
        proxies
            .for_url(&Url::parse(url).unwrap())
            .map(ToString::to_string)
    }

    #[test]
    fn loopback_urls_never_use_a_proxy() {
        let all = proxies(&[("ALL_PROXY", "http://10.0.0.1:3128")]).unwrap();
        for url in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:1",
            "http://localhost/",
            "https://LOCALHOST",
        ] {
            assert_eq!(via(&all, url), None, "{url}");
        }
        assert!(via(&all, "http://api.localhost").is_some());
        assert_eq!(
            via(&all, "http://10.1.1.1").unwrap(),
            "the proxy http://10.0.0.1:3128 (from ALL_PROXY)"
        );
    }

    #[test]
    fn each_scheme_has_its_variable_lower_case_first() {
        let set = proxies(&[
            ("http_proxy", "http://lower:1"),
            ("HTTP_PROXY", "http://upper:1"),
            ("HTTPS_PROXY", "secure:2"),
            ("ALL_PROXY", "http://all:3"),
        ])
        .unwrap();
        assert_eq!(
            via(&set, "http://example.com").unwrap(),
            "the proxy http://lower:1 (from http_proxy)"
        );
        assert_eq!(
            via(&set, "https://example.com").unwrap(),
            "the proxy http://secure:2 (from HTTPS_PROXY)"
        );
        let only_all = proxies(&[("all_proxy", "https://all:3")]).unwrap();
        assert_eq!(
            via(&only_all, "https://example.com").unwrap(),
            "the proxy https://all:3 (from all_proxy)"
        );
        assert_eq!(via(&proxies(&[]).unwrap(), "https://example.com"), None);
    }

    #[test]
    fn no_proxy_matches_domains_addresses_ranges_and_star() {
        let with = |no: &str| proxies(&[("ALL_PROXY", "http://p:1"), ("NO_PROXY", no)]).unwrap();
        assert_eq!(via(&with("*"), "http://10.0.0.9"), None);
        assert_eq!(via(&with("vast.ai"), "https://console.vast.ai"), None);
        assert_eq!(via(&with(".vast.ai"), "https://vast.ai"), None);
        assert!(via(&with("vast.ai"), "https://notvast.ai").is_some());
        assert_eq!(via(&with("a, 10.0.0.9"), "http://10.0.0.9"), None);
        assert_eq!(via(&with("10.0.0.0/8"), "http://10.200.0.9"), None);
        assert!(via(&with("10.0.0.0/8"), "http://11.0.0.9").is_some());
        assert_eq!(via(&with("fd00::/8"), "http://[fd00::5]"), None);
        assert_eq!(via(&with("[fd00::5]"), "http://[fd00::5]"), None);
        assert!(via(&with("0.0.0.0/0"), "http://[fd00::5]").is_some());
    }

    #[test]
    fn credentials_are_used_but_never_shown() {
        let set = proxies(&[("HTTPS_PROXY", "http://user:pa55@p:8")]).unwrap();
        let proxy = set.for_url(&Url::parse("https://x").unwrap()).unwrap();
        assert_eq!(proxy.url().password(), Some("pa55"));
        assert_eq!(proxy.to_string(), "the proxy http://p:8 (from HTTPS_PROXY)");
        assert!(!format!("{set:?}").contains("pa55"));
    }

    proptest::proptest! {
        /// Any value in a proxy variable gives a proxy or an error naming the variable, and
        /// never shows a password.
        #[test]
        fn any_proxy_value_is_read_or_refused(host in ".{0,60}") {
            let value = format!("user:pa55word@{host}");
            match proxies(&[("HTTPS_PROXY", &value)]) {
                Ok(set) => {
                    let shown = format!("{:?} {}", set, via(&set, "https://x").unwrap_or_default());
                    proptest::prop_assert!(!shown.contains("pa55word"), "{}", shown);
                }
                Err(e) => proptest::prop_assert!(e.to_string().starts_with("the proxy in HTTPS_PROXY is not usable: ")),
            }
        }
    }

    #[test]
    fn unusable_values_name_their_variable() {
        let err = proxies(&[("HTTPS_PROXY", "socks5://p:1080")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the proxy in HTTPS_PROXY is not usable: socks5:// proxies are not supported (use http:// or https://)"
        );
        let err = proxies(&[("http_proxy", "http://[::1")]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("the proxy in http_proxy is not usable: "),
            "{err}"
        );
    }
}
