//! Running one generated operation in three steps: the settings from the command line and the
//! environment, the client they make, and the call with its output.

use std::cell::RefCell;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use clap::ArgMatches;
use vast_api::proxy::ProxyUrl;
use vast_api::{
    ApiKey, Client, ClientConfig, DEFAULT_BASE_URL, KeySource, ResponseCapture, RetryPolicy,
};

use crate::commands;
use crate::failure::{Exit, Failure};
use crate::generated_cli::{Cli, CliCommand};
use crate::key_file;
use crate::output::Output;
use crate::redact;
use crate::render::Layout;
use crate::transport;

pub fn run(matches: &ArgMatches, operation: CliCommand, leaf: &ArgMatches) -> Result<(), Failure> {
    let settings = Settings::read(matches)?;
    let capture = ResponseCapture::new();
    let client = settings.client(&capture)?;
    execute(&settings, client, capture, operation, leaf)
}

/// What the command line and the environment say about the call.
struct Settings {
    key: ApiKey,
    key_source: KeySource,
    base_url: String,
    proxy: Option<ProxyUrl>,
    timeout_secs: u64,
    attempts: u32,
    raw: bool,
    verbose: bool,
}

impl Settings {
    fn read(matches: &ArgMatches) -> Result<Self, Failure> {
        let explicit = matches.get_one::<String>("api-key").map(ApiKey::new);
        let (key, key_source) = key_file::resolve(explicit)?;
        redact::redact(key.expose());
        // An empty VAST_URL counts as unset, as in the vendor CLI; an empty --url is a mistake.
        let base_url = match matches.get_one::<String>("url") {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => vast_api::base_url_from_env()
                .map(|url| url.trim_end_matches('/').to_string())
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        };
        transport::check(&base_url, matches.get_flag("allow-http"))?;
        let proxy = transport::proxy_for(&base_url, &vast_api::proxy::Proxies::from_env()?);
        Ok(Settings {
            key,
            key_source,
            base_url,
            proxy,
            timeout_secs: *matches.get_one::<u64>("timeout").expect("has a default"),
            attempts: *matches.get_one::<u32>("retry").expect("has a default"),
            raw: matches.get_flag("raw"),
            verbose: matches.get_flag("verbose"),
        })
    }

    /// The client these settings describe, keeping each response in `capture` for `--raw`.
    fn client(&self, capture: &ResponseCapture) -> Result<Client, Failure> {
        if self.verbose {
            let through = self
                .proxy
                .as_ref()
                .map(|p| format!("\nvast: through {p}"))
                .unwrap_or_default();
            redact::write_stderr(&format!(
                "vast: API key from {}\nvast: server {}{through}\n",
                key_file::source_text(&self.key_source),
                self.base_url
            ));
        }
        Ok(ClientConfig::new()
            .api_key(self.key.clone())
            .base_url(&self.base_url)
            .timeout(Duration::from_secs(self.timeout_secs))
            .user_agent(concat!("vast-cli-rust/", env!("CARGO_PKG_VERSION")))
            .retry(RetryPolicy::default().with_attempts(self.attempts))
            .capture_responses(capture.clone())
            .build()?)
    }
}

/// Runs the operation, printing its response, until it ends or Ctrl-C.
fn execute(
    settings: &Settings,
    client: Client,
    capture: ResponseCapture,
    operation: CliCommand,
    leaf: &ArgMatches,
) -> Result<(), Failure> {
    let force_tty = std::env::var_os("VAST_FORCE_TTY").is_some_and(|v| !v.is_empty() && v != "0");
    let terminal = force_tty || std::io::stdout().is_terminal();
    let output = Output {
        raw: settings.raw,
        layout: if terminal {
            Layout::Terminal
        } else {
            Layout::Pipe
        },
        columns: commands::spec_of(operation).columns,
        capture: capture.clone(),
        key_source: key_file::source_text(&settings.key_source),
        failure: RefCell::new(None),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Failure::new(
                Exit::Failure,
                format!("cannot start the async runtime: {e}"),
            )
        })?;
    let started = Instant::now();
    let cli = Cli::new(client, &output);
    // Ctrl-C ends the call at once, even in the middle of a wait between retries.
    let result = runtime.block_on(async {
        tokio::select! {
            result = cli.execute(operation, leaf) => Some(result),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    let Some(result) = result else {
        return Err(Failure::new(Exit::Interrupted, "interrupted"));
    };
    if settings.verbose
        && let Some(response) = capture.last_response()
    {
        redact::write_stderr(&format!(
            "vast: {} in {} ms, {} bytes\n",
            response.status,
            started.elapsed().as_millis(),
            response.body.len()
        ));
    }
    if let Some(failure) = output.failure.take() {
        return Err(failure);
    }
    // Failures before the request (a bad --json-body file, say) come back without a recorded one.
    result.map_err(|e| Failure::new(Exit::Usage, format!("{e:#}")))
}
