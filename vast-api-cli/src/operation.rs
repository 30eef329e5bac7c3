//! Running one generated operation in three steps: the settings from the command line and the
//! environment, the client they make, and the call with its output.

use std::cell::{Cell, RefCell};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use clap::ArgMatches;
use vast_api::proxy::ProxyUrl;
use vast_api::{
    ApiKey, Client, ClientConfig, DEFAULT_BASE_URL, HeldRequest, KeySource, RequestCapture,
    ResponseCapture, RetryPolicy,
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
    if settings.dry_run {
        let request = held_request(&settings, operation, leaf)?;
        return redact::write_stdout(request_text(&request).as_bytes())
            .map_err(|e| Failure::new(Exit::Failure, format!("cannot write the output: {e}")));
    }
    if commands::spec_of(operation).method == "DELETE" && !commands::confirmed(leaf) {
        confirm(&settings, operation, leaf)?;
    }
    let capture = ResponseCapture::new();
    let client = settings.client(&capture, None)?;
    execute(&settings, client, capture, operation, leaf)
}

/// The request the command line describes, made by the client but not sent.
fn held_request(
    settings: &Settings,
    operation: CliCommand,
    leaf: &ArgMatches,
) -> Result<HeldRequest, Failure> {
    let hold = RequestCapture::new();
    let capture = ResponseCapture::new();
    let client = settings.client(&capture, Some(&hold))?;
    execute(settings, client, capture, operation, leaf)?;
    hold.last()
        .ok_or_else(|| Failure::new(Exit::Failure, "no request was made"))
}

/// A request as `--dry-run` and the confirmation show it: the method and the whole URL, then the
/// body as it would be sent. Never a header: the key travels in one.
fn request_text(request: &HeldRequest) -> String {
    let body = request
        .body
        .as_ref()
        .map(|b| format!("{}\n", String::from_utf8_lossy(b)))
        .unwrap_or_default();
    format!("{} {}\n{body}", request.method, request.url)
}

/// A DELETE goes ahead only when confirmed: `--yes`, or `y` typed at the prompt. Without a
/// terminal to ask on, it is refused (exit 2), so a script never deletes by default.
fn confirm(settings: &Settings, operation: CliCommand, leaf: &ArgMatches) -> Result<(), Failure> {
    let command = format!("vast {}", commands::spec_of(operation).words.join(" "));
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Failure::new(
            Exit::Usage,
            format!("`{command}` deletes, and there is no terminal to confirm it on"),
        )
        .hint("add --yes (-y) to delete without asking"));
    }
    let request = held_request(settings, operation, leaf)?;
    redact::write_stderr(&format!(
        "{command} sends:\n{}Delete? [y/N] ",
        request_text(&request)
    ));
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Failure::new(Exit::Failure, format!("cannot read the answer: {e}")))?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Failure::new(
            Exit::Failure,
            "not confirmed: nothing was sent",
        )),
    }
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
    dry_run: bool,
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
            dry_run: matches.get_flag("dry-run"),
            verbose: matches.get_flag("verbose"),
        })
    }

    /// The client these settings describe, keeping each response in `capture` for `--raw`, and
    /// holding its requests in `hold` instead of sending them when given.
    fn client(
        &self,
        capture: &ResponseCapture,
        hold: Option<&RequestCapture>,
    ) -> Result<Client, Failure> {
        // Said once: a confirmed DELETE makes its request twice, held and then sent.
        if self.verbose && (hold.is_none() || self.dry_run) {
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
        settled: Cell::new(false),
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
    if output.settled.get() {
        return Ok(());
    }
    // Failures before the request (a bad --json-body file, say) come back without a recorded one.
    result.map_err(|e| Failure::new(Exit::Usage, format!("{e:#}")))
}
