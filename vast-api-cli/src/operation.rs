//! Running one generated operation in three steps: the settings from the command line and the
//! environment, the client they make, and the call with its output.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;

use clap::ArgMatches;
use serde_json::Value;
use vast_api::pages::{Follower, Next, PagesStopped};
use vast_api::{Client, HeldRequest, RequestCapture, ResponseCapture};

use crate::answer::Answer;
use crate::command_table::CommandSpec;
use crate::command_table::Pagination;
use crate::failure::{Exit, Failure};
use crate::key_file;
use crate::operation_args;
use crate::output::{Output, Shown};
use crate::redact;
use crate::render::{Choice, Columns, Layout};
use crate::request::{self, Answers};
use crate::request_edit::Edits;
use crate::settings::{Settings, runtime};
use crate::{filter, pages};

pub fn run(
    matches: &ArgMatches,
    spec: &'static CommandSpec,
    leaf: &ArgMatches,
) -> Result<(), Failure> {
    let settings = Settings::read(matches)?;
    // Once: a DELETE's request is made twice, held to be confirmed and then sent, and both
    // must be the same (a `--json-body` file read twice could differ).
    let edits = request_edits(spec, leaf)?;
    if settings.dry_run {
        let request = held_request(&settings, spec, leaf, &edits)?;
        return redact::write_stdout(request_text(&request).as_bytes())
            .map_err(|e| Failure::new(Exit::Failure, format!("cannot write the output: {e}")));
    }
    if spec.method == "DELETE" && !operation_args::confirmed(leaf) {
        confirm(&settings, spec, leaf, &edits)?;
    }
    let capture = ResponseCapture::new();
    let server = spec.server;
    let client = settings.client(server, &capture, None)?;
    execute(&settings, client, capture.clone(), &edits, spec, leaf)?;
    // Only `create instance` has `--wait`, and only where the spec has `show instance`.
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

/// The request edits the command line asks for, once what it gives is checked.
fn request_edits(spec: &'static CommandSpec, leaf: &ArgMatches) -> Result<Edits, Failure> {
    request::checked(spec, leaf)?;
    let mut edits = Edits::default();
    read_edits(&mut edits, spec, leaf)?;
    Ok(edits)
}

/// What the command line writes into the request's body (request_edit.rs): the filter
/// expression, `--order`, the body flags' values, the `--json-body` document.
fn read_edits(
    edits: &mut Edits,
    spec: &'static CommandSpec,
    leaf: &ArgMatches,
) -> Result<(), Failure> {
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
    // Given on the command line, or set by a vastai command (a default); a switch's `false`
    // is no more than "not given" unless `--no-NAME` says it.
    edits.flag_values = spec
        .body_flags
        .iter()
        .filter_map(|(flag, field)| Some((*field, request::argument(leaf, flag)?)))
        .collect();
    let json_fields: Vec<(&str, Value)> = spec
        .json_flags
        .iter()
        .filter(|flag| leaf.ids().any(|id| id.as_str() == flag.id))
        .filter_map(|flag| Some((flag.field, leaf.get_one::<Value>(flag.id)?.clone())))
        .collect();
    edits.json_body = written_body(leaf, json_fields)?;
    Ok(())
}

/// The body the command line wrote: the `--json-body` document as written, with the JSON flags'
/// fields set in it, or those alone; `None` when it wrote neither.
fn written_body(
    leaf: &ArgMatches,
    json_fields: Vec<(&str, Value)>,
) -> Result<Option<Value>, Failure> {
    let file = leaf.try_get_one::<PathBuf>("json-body").ok().flatten();
    let mut written = match file {
        Some(path) => {
            Some(json_body_file(path).map_err(|e| Failure::new(Exit::Usage, format!("{e:#}")))?)
        }
        None if json_fields.is_empty() => None,
        None => Some(Value::Object(serde_json::Map::new())),
    };
    if let Some(Value::Object(fields)) = &mut written {
        for (field, value) in json_fields {
            fields.insert(field.to_string(), value);
        }
    }
    Ok(written)
}

/// A `--json-body` file's document.
fn json_body_file(path: &std::path::Path) -> anyhow::Result<Value> {
    let shown = vast_api::text::shown_path(path);
    let text =
        crate::files::read_json_body(path).with_context(|| format!("cannot read {shown}"))?;
    serde_json::from_str(&text).with_context(|| format!("cannot parse {shown}"))
}

/// The request the command line describes, made by the client but not sent.
fn held_request(
    settings: &Settings,
    spec: &'static CommandSpec,
    leaf: &ArgMatches,
    edits: &Edits,
) -> Result<HeldRequest, Failure> {
    let hold = RequestCapture::new();
    let capture = ResponseCapture::new();
    let server = spec.server;
    let client = settings.client(server, &capture, Some(&hold))?;
    execute(settings, client, capture, edits, spec, leaf)?;
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
fn confirm(
    settings: &Settings,
    spec: &'static CommandSpec,
    leaf: &ArgMatches,
    edits: &Edits,
) -> Result<(), Failure> {
    let command = format!("vast {}", spec.words.join(" "));
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Failure::new(
            Exit::Usage,
            format!("`{command}` deletes, and there is no terminal to confirm it on"),
        )
        .hint("add --yes (-y) to delete without asking"));
    }
    let request = held_request(settings, spec, leaf, edits)?;
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
    edits: &Edits,
    spec: &'static CommandSpec,
    leaf: &ArgMatches,
) -> Result<(), Failure> {
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
    let mut output = output_for(settings, capture.clone(), spec, choice, leaf);
    let runtime = runtime()?;
    let started = Instant::now();
    let answers = Answers::of(spec);
    let call = Call {
        client,
        spec,
        leaf,
        edits,
        documented: answers.documented(),
    };
    let follow = spec.pagination.map(|p| {
        (
            p,
            Follower::new(vast_api::pages::PAGE_CAP).within(pages::TIME_LIMIT),
        )
    });
    let result = runtime.block_on(call.run(&mut output, follow));
    let Some((shown, stopped)) = result else {
        return Err(Failure::new(Exit::Interrupted, "interrupted"));
    };
    if settings.verbose {
        note_response(&capture, started);
    }
    // The pages that came, even when a later one failed: the failure then says the rest did not.
    let rest = output.pages.as_mut().and_then(pages::Pages::rest);
    let printed = rest.map_or(Ok(()), |rest| output.print_body(&rest, &output.columns));
    let shown = shown?;
    printed?;
    if let Some(why) = stopped {
        return Err(partial(&why, terminal_width()));
    }
    if shown != Shown::ResultBehind {
        return Ok(());
    }
    let answer = capture.last_response().map(|r| r.body).unwrap_or_default();
    crate::results::print_result(&runtime, &answer, output.layout)
        .unwrap_or_else(|| Err(Failure::new(Exit::Interrupted, "interrupted")))
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
    capture: ResponseCapture,
    spec: &'static crate::command_table::CommandSpec,
    choice: Choice<'a>,
    leaf: &ArgMatches,
) -> Output<'a> {
    let terminal = crate::output::force_tty() || std::io::stdout().is_terminal();
    let pages = spec.pagination.map(|_| {
        pages::Pages::new(
            leaf.get_one::<u64>(operation_args::MAX_ITEMS)
                .map(|n| usize::try_from(*n).unwrap_or(usize::MAX)),
        )
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
        key_source: key_file::source_text(&settings.key_source),
        command: spec,
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

/// One operation's call as the command line describes it, made as often as a list has pages.
struct Call<'a> {
    client: Client,
    spec: &'static crate::command_table::CommandSpec,
    leaf: &'a ArgMatches,
    edits: &'a Edits,
    documented: Vec<vast_api::Documented<'a>>,
}

/// What calling came to: what the last answer was (or its failure), and why following pages
/// stopped before the server's last, if it did.
type Called = (Result<Shown, Failure>, Option<PagesStopped>);

impl Call<'_> {
    /// Calls the operation, `output` taking each answer; with `follow`, again with each next
    /// page's token, until the server names none, `--max-items` items came, or the follower
    /// stops it (then with why). `None` when Ctrl-C ended it, at once, even in the middle of a
    /// wait between retries.
    async fn run(
        &self,
        output: &mut Output<'_>,
        mut follow: Option<(Pagination, Follower)>,
    ) -> Option<Called> {
        let mut page: Option<String> = None;
        loop {
            let call = request::call(
                self.spec,
                self.leaf,
                self.edits,
                page.take().as_deref(),
                &self.documented,
            );
            let shown = match call {
                // A body the spec refuses (a required field missing) goes nowhere.
                Err(failure) => Err(failure),
                Ok(call) => {
                    let answer = tokio::select! {
                        answer = self.client.send_json(call) => answer,
                        _ = tokio::signal::ctrl_c() => return None,
                    };
                    output.take(Answer::of(answer))
                }
            };
            // A page shown, even one whose body the spec describes otherwise (with a warning),
            // leads to the next; a failure ends the list.
            let Some((pagination, follower)) = follow.as_mut() else {
                return Some((shown, None));
            };
            if shown.is_err() || output.pages.as_ref().is_some_and(pages::Pages::full) {
                return Some((shown, None));
            }
            let body = output
                .capture
                .last_response()
                .map(|r| r.body)
                .unwrap_or_default();
            match follower.after(pages::token(&body, pagination.response_field)) {
                Next::Fetch(token) => page = Some(token),
                Next::Done => return Some((shown, None)),
                Next::Stopped(why) => return Some((shown, Some(why))),
            }
        }
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
