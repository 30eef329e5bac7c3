//! Running one generated operation in three steps: the settings from the command line and the
//! environment, the client they make, and the call with its output.

use std::cell::{Cell, RefCell};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use clap::ArgMatches;
use clap::parser::ValueSource;
use serde_json::Value;
use vast_api::pages::{Follower, Next, PagesStopped};
use vast_api::{Client, HeldRequest, RequestCapture, ResponseCapture};

use crate::command_table::Pagination;
use crate::commands;
use crate::failure::{Exit, Failure};
use crate::generated_cli::{Cli, CliCommand};
use crate::key_file;
use crate::operation_args;
use crate::output::Output;
use crate::redact;
use crate::render::{Choice, Columns, Layout};
use crate::request_edit::{self, Edits};
use crate::settings::{Settings, runtime};
use crate::{filter, pages};

pub fn run(matches: &ArgMatches, operation: CliCommand, leaf: &ArgMatches) -> Result<(), Failure> {
    let settings = Settings::read(matches)?;
    if settings.dry_run {
        let request = held_request(&settings, operation, leaf)?;
        return redact::write_stdout(request_text(&request).as_bytes())
            .map_err(|e| Failure::new(Exit::Failure, format!("cannot write the output: {e}")));
    }
    if commands::spec_of(operation).method == "DELETE" && !operation_args::confirmed(leaf) {
        confirm(&settings, operation, leaf)?;
    }
    let capture = ResponseCapture::new();
    let edits = request_edits(operation, leaf)?;
    let server = commands::spec_of(operation).server;
    let client = settings.client(server, &capture, request_edit::editor(&edits), None)?;
    execute(&settings, client, capture.clone(), edits, operation, leaf)?;
    #[cfg(all(vast_op = "show_instance", vast_op = "create_instance"))]
    if leaf.try_get_one::<bool>(crate::wait::WAIT).ok().flatten() == Some(&true) {
        let created = capture
            .last_response()
            .and_then(|r| crate::output::created_id(&r.body));
        let id = created.ok_or_else(|| {
            Failure::new(
                Exit::Failure,
                "the server's answer names no new instance (`new_contract`) to wait for",
            )
            .hint("check with `vast show instances` whether it was created")
        })?;
        return crate::wait::wait_for(&settings, id, leaf);
    }
    Ok(())
}

/// The request edits the command line asks for.
fn request_edits(operation: CliCommand, leaf: &ArgMatches) -> Result<Arc<Mutex<Edits>>, Failure> {
    let mut edits = Edits::default();
    read_edits(&mut edits, operation, leaf)?;
    Ok(Arc::new(Mutex::new(edits)))
}

/// What the command line says to change in the request the generated code builds: the filter
/// expression, and which body fields the flags set.
fn read_edits(edits: &mut Edits, operation: CliCommand, leaf: &ArgMatches) -> Result<(), Failure> {
    let spec = commands::spec_of(operation);
    edits.filter_fields = spec.filter;
    if !spec.filter.is_empty()
        && let Some(words) = leaf.get_many::<String>(operation_args::QUERY)
    {
        let query = words.map(String::as_str).collect::<Vec<_>>().join(" ");
        let filter =
            filter::parse(&query, spec.filter).map_err(|e| Failure::new(Exit::Usage, e))?;
        edits.filter = Some(filter);
    }
    if spec.order
        && let Some(text) = leaf.get_one::<String>(operation_args::ORDER)
    {
        edits.order = Some(vast_api::filter::order(text, spec.filter));
    }
    for (flag, most, note) in spec.limits {
        let given = leaf.try_get_one::<String>(flag).ok().flatten();
        if let Some(length) = given.map(|v| v.chars().count()).filter(|n| n > most) {
            return Err(Failure::new(
                Exit::Usage,
                format!(
                    "--{flag} is {length} characters; {}",
                    operation_args::limit_help(*most, note)
                ),
            ));
        }
    }
    let given: Vec<(&str, &'static str)> = spec
        .body_flags
        .iter()
        // Only ids the command has may be asked about (clap panics otherwise): those present,
        // given on the command line or set by a vastai command (a default, which no generated
        // argument has but a switch, whose `false` is no more than "not given").
        .filter(|(flag, _)| {
            leaf.ids().any(|id| id.as_str() == *flag)
                && match leaf.value_source(flag) {
                    Some(ValueSource::CommandLine) => true,
                    Some(ValueSource::DefaultValue) => leaf.try_get_one::<bool>(flag).is_err(),
                    _ => false,
                }
        })
        .map(|(flag, field)| (*flag, *field))
        .collect();
    edits.flag_fields = given.iter().map(|(_, field)| *field).collect();
    edits.flag_values = given
        .iter()
        .filter_map(|(flag, field)| Some((*field, flag_value(leaf, flag)?)))
        .collect();
    edits.json_fields = spec
        .json_flags
        .iter()
        .filter(|flag| leaf.ids().any(|id| id.as_str() == flag.id))
        .filter_map(|flag| Some((flag.field, leaf.get_one::<Value>(flag.id)?.clone())))
        .collect();
    Ok(())
}

/// A body flag's value as JSON, by the types progenitor gives flags; any other (an enum, a
/// checked string) as the text typed, which is how those types read from JSON too.
fn flag_value(leaf: &ArgMatches, flag: &str) -> Option<Value> {
    if let Ok(Some(text)) = leaf.try_get_one::<String>(flag) {
        return Some(Value::String(text.clone()));
    }
    if let Ok(Some(n)) = leaf.try_get_one::<i64>(flag) {
        return Some((*n).into());
    }
    if let Ok(Some(n)) = leaf.try_get_one::<std::num::NonZeroU64>(flag) {
        return Some(n.get().into());
    }
    if let Ok(Some(n)) = leaf.try_get_one::<f64>(flag) {
        return serde_json::Number::from_f64(*n).map(Value::Number);
    }
    if let Ok(Some(n)) = leaf.try_get_one::<f32>(flag) {
        return serde_json::Number::from_f64(f64::from(*n)).map(Value::Number);
    }
    if let Ok(Some(b)) = leaf.try_get_one::<bool>(flag) {
        return Some(Value::Bool(*b));
    }
    let raw = leaf.get_raw(flag)?.next()?;
    Some(Value::String(raw.to_string_lossy().into_owned()))
}

/// The request the command line describes, made by the client but not sent.
fn held_request(
    settings: &Settings,
    operation: CliCommand,
    leaf: &ArgMatches,
) -> Result<HeldRequest, Failure> {
    let hold = RequestCapture::new();
    let capture = ResponseCapture::new();
    let edits = request_edits(operation, leaf)?;
    let server = commands::spec_of(operation).server;
    let client = settings.client(server, &capture, request_edit::editor(&edits), Some(&hold))?;
    execute(settings, client, capture, edits, operation, leaf)?;
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

/// Runs the operation, printing its response (a paged list's every page), until it ends or
/// Ctrl-C. A list whose pages stopped before the server's last is a failure of its own.
fn execute(
    settings: &Settings,
    client: Client,
    capture: ResponseCapture,
    edits: Arc<Mutex<Edits>>,
    operation: CliCommand,
    leaf: &ArgMatches,
) -> Result<(), Failure> {
    let spec = commands::spec_of(operation);
    let chosen: Option<Vec<String>> = leaf.get_many::<String>("cols").map(|c| {
        c.map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect()
    });
    let choice = match &chosen {
        Some(given) => Choice::Given(given),
        None if leaf.get_flag("all-cols") => Choice::All,
        None => Choice::Default {
            width: terminal_width(),
        },
    };
    let output = output_for(
        settings,
        (capture.clone(), edits.clone()),
        spec,
        choice,
        leaf,
    );
    let runtime = runtime()?;
    let started = Instant::now();
    let cli = Cli::new(client, &output);
    let follow = spec.pagination.map(|p| Follow {
        pagination: p,
        follower: Follower::new(vast_api::pages::PAGE_CAP).within(pages::TIME_LIMIT),
        output: &output,
    });
    let result = runtime.block_on(call(&cli, operation, leaf, &capture, &edits, follow));
    let Some((result, stopped)) = result else {
        return Err(Failure::new(Exit::Interrupted, "interrupted"));
    };
    if settings.verbose {
        note_response(&capture, started);
    }
    // The pages that came, even when a later one failed: the failure then says the rest did not.
    if let Some(rest) = output.pages.as_ref().and_then(|p| p.borrow_mut().rest()) {
        output.print_body(&rest, &output.columns);
    }
    if let Some(failure) = output.failure.take() {
        return Err(failure);
    }
    if let Some(why) = stopped {
        return Err(partial(&why, terminal_width()));
    }
    if output.settled.get() {
        return Ok(());
    }
    // Failures before the request (a bad --json-body file, say) come back without a recorded one.
    result.map_err(|e| Failure::new(Exit::Usage, format!("{e:#}")))?;
    let answer = capture.last_response().map(|r| r.body).unwrap_or_default();
    if crate::results::fetches(settings.raw, &answer) {
        return crate::results::print_result(&runtime, &answer, output.layout)
            .unwrap_or_else(|| Err(Failure::new(Exit::Interrupted, "interrupted")));
    }
    Ok(())
}

/// `-v`'s line on the last response: its status, time and size.
fn note_response(capture: &ResponseCapture, started: Instant) {
    if let Some(response) = capture.last_response() {
        redact::write_stderr(&format!(
            "vast: {} in {} ms, {} bytes\n",
            response.status,
            started.elapsed().as_millis(),
            response.body.len()
        ));
    }
}

/// How the command prints: `--raw`, the layout, the columns chosen, and for a paged list its
/// pages (`--max-items`).
fn output_for<'a>(
    settings: &Settings,
    (capture, edits): (ResponseCapture, Arc<Mutex<Edits>>),
    spec: &'static crate::command_table::CommandSpec,
    choice: Choice<'a>,
    leaf: &ArgMatches,
) -> Output<'a> {
    let terminal = crate::output::force_tty() || std::io::stdout().is_terminal();
    let pages = spec.pagination.map(|_| {
        RefCell::new(pages::Pages::new(
            leaf.get_one::<u64>(operation_args::MAX_ITEMS)
                .map(|n| usize::try_from(*n).unwrap_or(usize::MAX)),
        ))
    });
    Output {
        raw: settings.raw,
        layout: if terminal {
            Layout::Terminal
        } else {
            Layout::Pipe
        },
        columns: Columns {
            scalar: spec.columns,
            more: spec.more_columns,
            choice,
            leads: crate::presentation::leads(spec.operation_id),
        },
        capture,
        pages,
        edits,
        key_source: key_file::source_text(&settings.key_source),
        command: spec,
        failure: RefCell::new(None),
        settled: Cell::new(false),
    }
}

/// The failure of a list whose pages stopped before the server's last: one line that fits a
/// terminal `width` cells wide, `error:` included.
fn partial(why: &PagesStopped, width: usize) -> Failure {
    let line = match why {
        PagesStopped::Repeated { pages, .. } => {
            format!("list incomplete: the server repeated a page token after {pages} pages")
        }
        PagesStopped::Capped { pages } => {
            format!("list incomplete: stopped at {pages} pages, the most followed; more remain")
        }
        PagesStopped::TimeUp { pages, limit } => format!(
            "list incomplete: stopped after {} s, at {pages} pages; more remain",
            limit.as_secs()
        ),
        other => format!("list incomplete: {other}"),
    };
    // `error: ` comes first.
    let room = width.saturating_sub(7).max(1);
    let line = match line.chars().count() > room {
        true => line.chars().take(room - 1).chain(['…']).collect(),
        false => line,
    };
    Failure::new(Exit::Partial, line)
}

/// Following a paged list: which page comes next, and the output that takes the pages.
struct Follow<'a, 'o> {
    pagination: Pagination,
    follower: Follower,
    output: &'a Output<'o>,
}

/// Calls the operation; with `follow`, again with each next page's token, until the server
/// names none, `--max-items` items came, or the follower stops it (then with why). `None` when
/// Ctrl-C ended it, at once, even in the middle of a wait between retries.
async fn call(
    cli: &Cli<&Output<'_>>,
    operation: CliCommand,
    leaf: &ArgMatches,
    capture: &ResponseCapture,
    edits: &Mutex<Edits>,
    mut follow: Option<Follow<'_, '_>>,
) -> Option<(anyhow::Result<()>, Option<PagesStopped>)> {
    loop {
        let result = tokio::select! {
            result = cli.execute(operation, leaf) => result,
            _ = tokio::signal::ctrl_c() => return None,
        };
        let Some(follow) = follow.as_mut() else {
            return Some((result, None));
        };
        // A page shown, even one whose body the spec describes otherwise (with a warning),
        // leads to the next; a failure ends the list.
        let output = follow.output;
        let shown = result.is_ok() || (output.settled.get() && output.failure.borrow().is_none());
        if !shown || output.pages.as_ref().is_some_and(|p| p.borrow().full()) {
            return Some((result, None));
        }
        let p = follow.pagination;
        let body = capture.last_response().map(|r| r.body).unwrap_or_default();
        let token = match follow.follower.after(pages::token(&body, p.response_field)) {
            Next::Fetch(token) => token,
            Next::Done => return Some((result, None)),
            Next::Stopped(why) => return Some((result, Some(why))),
        };
        edits.lock().unwrap_or_else(|e| e.into_inner()).page = Some((p.query_param, token));
    }
}

/// The terminal's width in character cells: `COLUMNS` when set, else the width of the
/// terminal on stdout, else 80.
fn terminal_width() -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
    {
        return columns;
    }
    #[cfg(unix)]
    {
        // SAFETY: TIOCGWINSZ writes a `winsize` into the struct it is given, and nothing else.
        let mut size: libc::winsize = unsafe { std::mem::zeroed() };
        if unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0
            && size.ws_col > 0
        {
            return usize::from(size.ws_col);
        }
    }
    80
}

#[cfg(test)]
mod tests {
    use super::*;
    use httpmock::{Method::GET, MockServer};
    use vast_api::ClientConfig;

    /// Pages of `show api-keys`, as a paged operation would answer them, from a local server:
    /// the request for each page carries the previous page's token.
    fn serve_pages(server: &MockServer, pages: &[(Option<&str>, serde_json::Value)]) {
        for (asked, body) in pages {
            server.mock(|when, then| {
                // Either spelling: the seed's path ends in `/`, the vendor's whole spec's does not.
                let when = when.method(GET).path_matches("^/api/v0/auth/apikeys/?$");
                match asked {
                    Some(token) => when.query_param("after_token", *token),
                    None => when.query_param_missing("after_token"),
                };
                then.status(200)
                    .header("content-type", "application/json")
                    .body(body.to_string());
            });
        }
    }

    fn page(id: i64, next: Option<&str>) -> serde_json::Value {
        serde_json::json!({"apikeys": [{"id": id}], "next_token": next})
    }

    /// Runs `show api-keys` as if it paged by `next_token` into `after_token`, within `cap`
    /// pages and `max_items` items; the ids of the rows fetched, and why following stopped
    /// early.
    fn fetch_all(
        server: &MockServer,
        cap: usize,
        max_items: Option<usize>,
    ) -> (Vec<i64>, Option<PagesStopped>) {
        let capture = ResponseCapture::new();
        let edits = Arc::new(Mutex::new(Edits::default()));
        let client = ClientConfig::new()
            .api_key("0123456789abcdef")
            .base_url(server.base_url())
            .capture_responses(capture.clone())
            .edit_requests(request_edit::editor(&edits))
            .build()
            .unwrap();
        let output = Output {
            raw: false,
            layout: Layout::Pipe,
            columns: Columns {
                scalar: &["id"],
                more: &[],
                choice: Choice::All,
                leads: &[],
            },
            capture: capture.clone(),
            pages: Some(RefCell::new(pages::Pages::new(max_items))),
            edits: edits.clone(),
            key_source: String::new(),
            command: commands::spec_of(CliCommand::ShowApiKeys),
            failure: RefCell::new(None),
            settled: Cell::new(false),
        };
        let leaf = Cli::<&Output>::get_command(CliCommand::ShowApiKeys).get_matches_from(["x"]);
        let cli = Cli::new(client, &output);
        let follow = Some(Follow {
            pagination: Pagination {
                response_field: "next_token",
                query_param: "after_token",
            },
            follower: Follower::new(cap),
            output: &output,
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (result, stopped) = runtime
            .block_on(call(
                &cli,
                CliCommand::ShowApiKeys,
                &leaf,
                &capture,
                &edits,
                follow,
            ))
            .unwrap();
        result.unwrap();
        let rest = output.pages.as_ref().unwrap().borrow_mut().rest().unwrap();
        let joined: serde_json::Value = serde_json::from_slice(&rest).unwrap();
        let ids = joined["apikeys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].as_i64().unwrap())
            .collect();
        (ids, stopped)
    }

    /// A server with three pages, asked for with no token, then `a`, then `b`; each page names
    /// the next token given here.
    fn three_pages(next: [Option<&str>; 3]) -> MockServer {
        let server = MockServer::start();
        let asked = [None, Some("a"), Some("b")];
        let pages: Vec<_> = (0..3)
            .map(|i| (asked[i], page(i as i64 + 1, next[i])))
            .collect();
        serve_pages(&server, &pages);
        server
    }

    #[test]
    fn pages_are_followed_until_no_token() {
        assert_eq!(
            fetch_all(&three_pages([Some("a"), Some("b"), None]), 10, None),
            (vec![1, 2, 3], None)
        );
    }

    #[test]
    fn following_stops_when_a_token_repeats() {
        let repeating = three_pages([Some("a"), Some("b"), Some("a")]);
        let (ids, stopped) = fetch_all(&repeating, 10, None);
        assert_eq!(ids, [1, 2, 3]);
        assert!(matches!(
            stopped,
            Some(PagesStopped::Repeated { pages: 3, .. })
        ));
    }

    #[test]
    fn following_stops_at_the_cap() {
        let endless = three_pages([Some("a"), Some("b"), Some("c")]);
        assert_eq!(
            fetch_all(&endless, 2, None),
            (vec![1, 2], Some(PagesStopped::Capped { pages: 2 }))
        );
    }

    #[test]
    fn max_items_stops_on_purpose() {
        let endless = three_pages([Some("a"), Some("b"), Some("c")]);
        assert_eq!(fetch_all(&endless, 10, Some(2)), (vec![1, 2], None));
    }

    #[test]
    fn the_partial_list_line_fits_the_terminal() {
        let why = PagesStopped::Capped { pages: 1000 };
        let line = partial(&why, 80).to_string();
        assert_eq!(
            line,
            "error: list incomplete: stopped at 1000 pages, the most followed; more remain"
        );
        let narrow = partial(&why, 30).to_string();
        assert_eq!(narrow, "error: list incomplete: stopp…");
        assert_eq!(partial(&why, 30).exit, Exit::Partial);
    }
}
