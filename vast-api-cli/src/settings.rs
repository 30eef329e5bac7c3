//! What the command line and the environment say about a call ([`Settings`]): the key, the
//! server and the way there, the limits and the output mode; the client they make, and the
//! runtime the call runs on.

use std::time::Duration;

use clap::ArgMatches;
use vast_api::proxy::Proxies;
use vast_api::{
    ApiKey, Client, ClientConfig, DEFAULT_BASE_URL, KeySource, RequestCapture, ResponseCapture,
    RetryPolicy,
};

use crate::failure::{Exit, Failure};
use crate::{key_file, redact, transport};

/// What the command line and the environment say about the call.
pub struct Settings {
    key: ApiKey,
    pub key_source: KeySource,
    base_url: String,
    proxies: Proxies,
    timeout_secs: u64,
    attempts: u32,
    pub raw: bool,
    pub dry_run: bool,
    pub verbose: bool,
}

impl Settings {
    pub fn read(matches: &ArgMatches) -> Result<Self, Failure> {
        let explicit = matches.get_one::<String>("api-key").map(ApiKey::new);
        let (key, key_source) = key_file::resolve(explicit)?;
        redact::redact(key.expose());
        // An empty VAST_URL counts as unset, as in the vendor CLI; an empty --url is a mistake.
        let base_url = match matches.get_one::<String>("url") {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => vast_api::base_url_from_env()?
                .map(|url| url.trim_end_matches('/').to_string())
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        };
        transport::check(&base_url, matches.get_flag("allow-http"))?;
        let proxies = Proxies::from_env()?;
        Ok(Settings {
            key,
            key_source,
            base_url,
            proxies,
            timeout_secs: *matches.get_one::<u64>("timeout").expect("has a default"),
            attempts: *matches.get_one::<u32>("retry").expect("has a default"),
            raw: matches.get_flag("raw"),
            dry_run: matches.get_flag("dry-run"),
            verbose: matches.get_flag("verbose"),
        })
    }

    /// The client these settings describe, for an operation the spec sends to `server` (its
    /// own, when it names one), keeping each response in `capture` for `--raw`, changing each
    /// request with `edit`, and holding its requests in `hold` instead of sending them when
    /// given.
    pub fn client(
        &self,
        server: Option<&'static str>,
        capture: &ResponseCapture,
        hold: Option<&RequestCapture>,
    ) -> Result<Client, Failure> {
        // Said once: a confirmed DELETE makes its request twice, held and then sent. Before the
        // client is built, so that a server it refuses is named too.
        if self.verbose && (hold.is_none() || self.dry_run) {
            let server = server.map_or(self.base_url.as_str(), |s| {
                vast_api::operation_server(&self.base_url, s)
            });
            let through = transport::proxy_for(server, &self.proxies)
                .map(|p| format!("\nvast: through {p}"))
                .unwrap_or_default();
            redact::write_stderr(&format!(
                "vast: API key from {}\nvast: server {}{through}\n",
                key_file::source_text(&self.key_source),
                vast_api::text::shown(server)
            ));
        }
        let config = match hold {
            Some(hold) => ClientConfig::new().hold_requests(hold.clone()),
            None => ClientConfig::new(),
        };
        Ok(config
            .api_key(self.key.clone())
            .base_url(&self.base_url)
            .timeout(Duration::from_secs(self.timeout_secs))
            .user_agent(concat!("vast-cli-rust/", env!("CARGO_PKG_VERSION")))
            .retry(RetryPolicy::default().with_attempts(self.attempts))
            .capture_responses(capture.clone())
            .build()?)
    }

    /// Where the key came from, in the CLI's words (for the wait's errors).
    pub fn key_source_text(&self) -> String {
        key_file::source_text(&self.key_source)
    }
}

/// The runtime a command's calls run on: one thread, as `vast` makes one call at a time.
pub fn runtime() -> Result<Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map(|runtime| Runtime(Some(runtime)))
        .map_err(|e| {
            Failure::new(
                Exit::Failure,
                format!("cannot start the async runtime: {e}"),
            )
        })
}

/// A runtime that, when it ends, does not wait for its blocking threads. A name lookup runs in
/// one (the system resolver's `getaddrinfo`, which nothing can cancel) and may go on for the
/// resolver's own timeouts, 10 s and more, after the call ended at `--timeout` or Ctrl-C: the
/// command's end must not wait for it.
pub struct Runtime(Option<tokio::runtime::Runtime>);

impl std::ops::Deref for Runtime {
    type Target = tokio::runtime::Runtime;

    fn deref(&self) -> &Self::Target {
        self.0.as_ref().expect("taken only when dropped")
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}
