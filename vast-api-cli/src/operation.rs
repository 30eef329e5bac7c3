//! Running one generated operation: the key, the server, the client, and the call itself.

use std::cell::RefCell;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use clap::ArgMatches;
use vast_api::{ApiKey, ClientConfig, DEFAULT_BASE_URL, ResponseCapture, RetryPolicy};

use crate::commands;
use crate::failure::{Exit, Failure};
use crate::generated_cli::{Cli, CliCommand};
use crate::key_file;
use crate::output::{self, Output};
use crate::render::Layout;
use crate::transport;

pub fn run(matches: &ArgMatches, operation: CliCommand, leaf: &ArgMatches) -> Result<(), Failure> {
    let verbose = matches.get_flag("verbose");
    let timeout_secs = *matches.get_one::<u64>("timeout").expect("has a default");

    let explicit = matches.get_one::<String>("api-key").map(ApiKey::new);
    let (key, source) = key_file::resolve(explicit)?;
    output::redact(key.expose());
    let key_source = key_file::source_text(&source);
    // An empty VAST_URL counts as unset, as in the vendor CLI; an empty --url is a mistake.
    let from_flag = matches.value_source("url") == Some(clap::parser::ValueSource::CommandLine);
    let base_url = match matches.get_one::<String>("url") {
        Some(url) if from_flag || !url.is_empty() => url.trim_end_matches('/').to_string(),
        _ => DEFAULT_BASE_URL.to_string(),
    };
    transport::check(&base_url, matches.get_flag("allow-http"))?;
    let proxy = transport::proxy_for(&base_url, &vast_api::proxy::Proxies::from_env()?);
    if verbose {
        let through = proxy
            .as_ref()
            .map(|p| format!("\nvast: through {p}"))
            .unwrap_or_default();
        output::write_stderr(&format!(
            "vast: API key from {key_source}\nvast: server {base_url}{through}\n"
        ));
    }
    let capture = ResponseCapture::new();
    let attempts = *matches.get_one::<u32>("retry").expect("has a default");
    let client = ClientConfig::new()
        .api_key(key)
        .base_url(&base_url)
        .timeout(Duration::from_secs(timeout_secs))
        .user_agent(concat!("vast-cli-rust/", env!("CARGO_PKG_VERSION")))
        .retry(RetryPolicy::default().with_attempts(attempts))
        .capture_responses(capture.clone())
        .build()?;

    let force_tty = std::env::var_os("VAST_FORCE_TTY").is_some_and(|v| !v.is_empty() && v != "0");
    let terminal = force_tty || std::io::stdout().is_terminal();
    let output = Output {
        raw: matches.get_flag("raw"),
        layout: if terminal {
            Layout::Terminal
        } else {
            Layout::Pipe
        },
        columns: commands::spec_of(operation).columns,
        capture: capture.clone(),
        key_source,
        base_url,
        proxy,
        timeout_secs,
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
    if verbose && let Some(response) = capture.last_response() {
        output::write_stderr(&format!(
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
