//! `vast wait instance ID` and `vast create instance --wait`: polling `show instance` until the
//! instance runs, through the library's `wait::until_running`, then how to connect. Only where
//! the spec has `show instance` ([`available`]).

use std::io::IsTerminal;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use vast_api::wait::{duration_text, until_running};
use vast_api::{InstanceState, JsonCall, ResponseCapture, Responses, WaitError, WaitOptions};

use crate::failure::{Exit, Failure};
use crate::settings::Settings;
use crate::{failure, redact};

/// The argument ids of the wait's options.
pub const MAX_WAIT: &str = "max-wait";
pub const INTERVAL: &str = "interval";
pub const WAIT: &str = "wait";

/// The wait's own flags: the overall limit (not `--timeout`, which bounds each request) and
/// the first gap between polls.
pub fn options() -> Vec<Arg> {
    vec![
        Arg::new(MAX_WAIT)
            .long("max-wait")
            .value_name("DURATION")
            .default_value("10m")
            .value_parser(duration)
            .help("Give up waiting after this long in all (90s, 10m, 1h; a bare number is seconds)"),
        Arg::new(INTERVAL)
            .long("interval")
            .value_name("DURATION")
            .default_value("2s")
            .value_parser(duration)
            .help("First gap between polls; each next is 1.5 times longer, up to 30s (429 doubles it)"),
    ]
}

/// `vast wait instance ID`.
pub fn command() -> Command {
    Command::new("instance")
        .about("Wait until an instance is running, then print how to connect (ssh)")
        .long_about(
            "Wait until an instance is running, polling `show instance` with backoff, then print \
             how to connect: `ssh -p PORT root@HOST`. Status changes are shown on stderr on a \
             terminal.\n\nStops at once when the instance's actual_status is exited, unknown or \
             offline while it is meant to run: it will never run (exit 8; destroy it and rent \
             another). Exit 9 when --max-wait passes first.",
        )
        .arg(
            Arg::new("id")
                .value_name("ID")
                .required(true)
                .value_parser(clap::value_parser!(i64))
                .help("The instance's id (what `vast create instance` printed)"),
        )
        .args(options())
}

/// `--wait` and the wait's options, for `vast create instance`.
pub fn create_options() -> Vec<Arg> {
    let wait = Arg::new(WAIT)
        .long("wait")
        .action(ArgAction::SetTrue)
        .help("Then wait until the instance runs, as `vast wait instance` does");
    let mut args = vec![wait];
    args.extend(
        options()
            .into_iter()
            .map(|a| a.requires(WAIT).help_heading("Waiting (with --wait)")),
    );
    args
}

/// `90s`, `10m`, `1h`, `500ms`, or a bare number of seconds.
fn duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: write 90s, 10m, 1h or 500ms"))?;
    let scale = match unit {
        "" | "s" => 1000,
        "ms" => 1,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        _ => return Err(format!("`{text}`: the unit is ms, s, m or h")),
    };
    match number.checked_mul(scale) {
        Some(ms) if ms > 0 => Ok(Duration::from_millis(ms)),
        Some(_) => Err("a duration must be more than zero".into()),
        None => Err(format!("`{text}` is too long")),
    }
}

/// Runs `vast wait instance` from its matches.
pub fn run(matches: &ArgMatches, leaf: &ArgMatches) -> Result<(), Failure> {
    let settings = Settings::read(matches)?;
    let id = *leaf.get_one::<i64>("id").expect("required by clap");
    wait_for(&settings, id, leaf)
}

/// Waits for instance `id` as `leaf`'s options say; prints each status change on stderr on a
/// terminal, and the ssh command on stdout once it runs.
pub fn wait_for(settings: &Settings, id: i64, leaf: &ArgMatches) -> Result<(), Failure> {
    let terminal = std::io::stderr().is_terminal() || crate::output::force_tty();
    let mut options = WaitOptions::default()
        .max_wait(*leaf.get_one::<Duration>(MAX_WAIT).expect("has a default"))
        .interval(*leaf.get_one::<Duration>(INTERVAL).expect("has a default"));
    if terminal {
        options = options.on_change(|state: &InstanceState| {
            let status = state.actual_status.as_deref().unwrap_or("not listed yet");
            redact::write_stderr(&format!(
                "instance {}: {}\n",
                state.id,
                vast_api::text::shown(status)
            ));
        });
    }
    let spec = show_instance();
    let client = settings.client(spec.server, &ResponseCapture::new(), None)?;
    let answers = crate::request::Answers::of(spec);
    let documented = answers.documented();
    let fetch = || {
        let call = JsonCall {
            operation_id: spec.operation_id,
            method: spec.method,
            path: spec.request.path,
            path_params: spec
                .request
                .params
                .iter()
                .filter(|p| p.path)
                .map(|p| (p.name, id.to_string()))
                .collect(),
            query: Vec::new(),
            body: None,
            server: spec.server,
            responses: Responses {
                documented: &documented,
            },
        };
        let client = &client;
        async move { client.send_json(call).await.map(|r| r.into_inner()) }
    };
    let runtime = crate::settings::runtime()?;
    let waited = runtime.block_on(async {
        tokio::select! {
            waited = until_running(id, &options, fetch) => Some(waited),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    let state = match waited {
        None => return Err(Failure::new(Exit::Interrupted, "interrupted")),
        Some(Ok(state)) => state,
        Some(Err(e)) => return Err(wait_failure(&e, id, &settings.key_source_text())),
    };
    let line = match state.ssh_command() {
        Some(ssh) => format!("{ssh}\n"),
        None => format!("instance {id} is running (the server gave no ssh host and port)\n"),
    };
    redact::write_stdout(line.as_bytes())
        .map_err(|e| Failure::new(Exit::Failure, format!("cannot write the output: {e}")))
}

/// A wait that ended without the instance running, as the user sees it.
fn wait_failure<E>(error: &WaitError<E>, id: i64, key_source: &str) -> Failure {
    match error {
        WaitError::WillNotRun(_) => Failure::new(Exit::WillNotRun, error.to_string()).hint(
            format!("destroy it (`vast destroy instance {id} --yes`) and rent another"),
        ),
        WaitError::TimedOut { limit, .. } => {
            Failure::new(Exit::WaitLimit, error.to_string()).hint(format!(
                "`vast wait instance {id}` waits again; --max-wait longer than {} waits longer",
                duration_text(*limit)
            ))
        }
        WaitError::Api(e) => failure::from_api_error(e, key_source, show_instance()),
        _ => Failure::new(Exit::Failure, error.to_string()),
    }
}

/// The command table's `show instance`, which the wait polls.
fn show_instance() -> &'static crate::command_table::CommandSpec {
    crate::command_table::spec_named("show_instance")
}

/// Whether the spec has `show instance` to wait with.
pub fn available() -> bool {
    show_instance().operation_id == "show_instance"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(duration("45"), Ok(Duration::from_secs(45)));
        assert!(duration("0").is_err());
        assert!(duration("10 parsecs").is_err());
        assert!(duration("-5s").is_err());
        assert!(duration("99999999999999999h").is_err());
    }
}
