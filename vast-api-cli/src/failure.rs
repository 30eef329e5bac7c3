//! What went wrong, as the user sees it: one or two lines on stderr and a documented exit code.

use std::fmt;
use std::process::ExitCode;

use vast_api::{ConfigError, Error, ErrorKind, GaveUp};

use crate::command_table::{self, CommandSpec};

/// The exit codes listed in `vast --help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Failure = 1,
    Usage = 2,
    NoApiKey = 3,
    Unauthorized = 4,
    BadRequest = 5,
    RateLimited = 6,
    Unreachable = 7,
    /// `vast wait instance`: the instance fell into the poll trap and will never run.
    WillNotRun = 8,
    /// `vast wait instance`: `--max-wait` passed before it ran.
    WaitLimit = 9,
    /// A paged list stopped before the server's last page: at the bound on pages or time, or
    /// on a page token the server gave twice. What came was printed.
    Partial = 10,
    Interrupted = 130,
}

/// The exit codes as `vast --help` lists them (a test below ties them to [`Exit`]).
pub const AFTER_HELP: &str = "\
Exit status:
  0  success
  1  any other failure (server error, a success body that is not JSON, a response that is not
     valid HTTP, a redirect that is not followed, a body over the size or object limits)
  2  invalid command line (a DELETE without --yes and no terminal to confirm it on too), or an
     unusable proxy variable, SSL_CERT_FILE or SSL_CERT_DIR
  3  no usable API key (none found, empty, malformed or too long; an unreadable key file)
  4  the server rejected the API key (401, 403)
  5  the server refused the request (400 and other 4xx)
  6  rate limited (429)
  7  the server could not be reached (a proxy's 407 too), did not answer in time, or the
     connection broke off
  8  `wait instance` (`create instance --wait`): the instance is exited, unknown or offline while
     meant to run, and will never run: destroy it and rent another
  9  `wait instance` (`create instance --wait`): --max-wait passed before it ran
  10  a list is incomplete: its pages stopped at the bound (1000 pages or 10 minutes) or on a
     page token the server gave twice; the pages that came were printed
  130  interrupted (Ctrl-C)

The API key is read from --api-key, then VAST_API_KEY, then $XDG_CONFIG_HOME/vastai/vast_api_key
(~/.config/vastai/vast_api_key), then ~/.vast_api_key.";

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        let exit = match e {
            ConfigError::NoApiKey { .. } => {
                return Failure::new(Exit::NoApiKey, e.to_string())
                    .hint("`vast set api-key` saves it, read from standard input (paste it when asked, or pipe it in)");
            }
            ConfigError::MissingApiKey
            | ConfigError::EmptyApiKey { .. }
            | ConfigError::InvalidApiKey { .. }
            | ConfigError::ApiKeyTooLong { .. }
            | ConfigError::KeyFile { .. } => Exit::NoApiKey,
            ConfigError::InvalidBaseUrl { .. }
            | ConfigError::InvalidProxy { .. }
            | ConfigError::Certificates { .. } => Exit::Usage,
            _ => Exit::Failure,
        };
        Failure::new(exit, e.to_string())
    }
}

/// A failed call of `command` as the user sees it: the library's sentence, and the exit code
/// and hint that go with its kind. `key_source` is where the key came from, in the CLI's words.
pub fn from_api_error<T>(error: &Error<T>, key_source: &str, command: &CommandSpec) -> Failure {
    let failure = by_kind(error, key_source);
    // Before anything else about the failure: running the command again could do it twice.
    match error.may_have_been_carried_out() {
        true => failure.hint(carried_out_hint(command, command_table::all())),
        false => failure,
    }
}

/// What to do about a command that may have taken effect: look before running it again, with
/// the command listing what it acts on when the table has one.
fn carried_out_hint(
    command: &CommandSpec,
    table: impl IntoIterator<Item = &'static CommandSpec>,
) -> String {
    match command_table::listing_for(command, table) {
        Some(list) => format!(
            "check with `vast {}` whether it took effect before running it again",
            list.words.join(" ")
        ),
        None => "check whether it took effect before running it again".into(),
    }
}

/// The exit code and hint of a failed call's kind.
fn by_kind<T>(error: &Error<T>, key_source: &str) -> Failure {
    let failure = |exit| Failure::new(exit, error.to_string());
    match error.kind() {
        ErrorKind::Api { .. } | ErrorKind::Status { .. } => {
            let status = error.status().expect("a status error has a status");
            match status.as_u16() {
                401 | 403 => failure(Exit::Unauthorized).hint(format!(
                    "check the key from {key_source}; keys are managed at https://cloud.vast.ai/manage-keys/"
                )),
                // Retrying stopped early: the server asked for a longer wait than allowed, or
                // the wait would have passed the deadline.
                429 => failure(Exit::RateLimited).hint(match error.gave_up() {
                    Some(GaveUp::WaitTooLong { .. }) => "try again once the server's wait is over",
                    _ => "wait a little and try again",
                }),
                400..=499 => failure(Exit::BadRequest),
                // 5xx, and 3xx: a redirect that could not be followed.
                _ => failure(Exit::Failure),
            }
        }
        ErrorKind::ProxyAuthentication => failure(Exit::Unreachable).hint(match error.proxy() {
            Some(proxy) => format!(
                "put the proxy's user name and password in {} (http://user:password@host:port), or exclude the server with NO_PROXY",
                proxy.variable()
            ),
            None => "ask the network's administrator how to authenticate to the proxy".into(),
        }),
        ErrorKind::BodyBrokeOff { source, .. } if source.is_timeout() => {
            failure(Exit::Unreachable).hint("raise --timeout, or try again")
        }
        ErrorKind::BodyBrokeOff { .. } | ErrorKind::Connection(_) => failure(Exit::Unreachable),
        ErrorKind::Timeout(_) => {
            failure(Exit::Unreachable).hint("raise --timeout, or check that the server is up")
        }
        ErrorKind::Connect(e) => failure(Exit::Unreachable).hint(connect_hint(error, e)),
        ErrorKind::InvalidRequest(_) => failure(Exit::Usage),
        _ => failure(Exit::Failure),
    }
}

/// What to do about a failed connection, from what failed: for `https://`, the certificate or
/// the handshake (a plain-HTTP server answers TLS with bytes rustls calls corrupt).
fn connect_hint<T>(error: &Error<T>, e: &reqwest::Error) -> String {
    if error.redirected_to().is_some() {
        return "the server in --url (or VAST_URL) sent the call there: check that server's redirects".into();
    }
    if let Some(proxy) = error.proxy() {
        return format!(
            "check the proxy in {} and the network, or exclude the server with NO_PROXY",
            proxy.variable()
        );
    }
    let url = e.url().map(|u| u.as_str()).unwrap_or_default();
    let said = std::iter::successors(Some(e as &dyn std::error::Error), |e| e.source())
        .last()
        .map(|cause| cause.to_string().to_ascii_lowercase())
        .unwrap_or_default();
    if !url.starts_with("https:") {
        "check --url (or VAST_URL) and the network"
    } else if said.contains("unknownissuer") {
        "the server's certificate is not trusted here: put a private CA's certificate in SSL_CERT_FILE"
    } else if said.contains("certificate") {
        "the server's certificate was refused, for the reason above: check the host name in --url"
    } else if ["tls", "handshake", "corrupt message"]
        .iter()
        .any(|sign| said.contains(sign))
    {
        "the TLS handshake failed: if the server speaks plain HTTP, use an http:// URL"
    } else {
        "check --url (or VAST_URL) and the network"
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every exit code `vast` has, said in three places: the code, `--help` and the README.
    #[test]
    fn help_and_readme_list_the_exit_codes_the_code_has() {
        const ALL: [Exit; 11] = [
            Exit::Failure,
            Exit::Usage,
            Exit::NoApiKey,
            Exit::Unauthorized,
            Exit::BadRequest,
            Exit::RateLimited,
            Exit::Unreachable,
            Exit::WillNotRun,
            Exit::WaitLimit,
            Exit::Partial,
            Exit::Interrupted,
        ];
        // A new variant does not compile here until it is in ALL above.
        let _listed = |exit: Exit| match exit {
            Exit::Failure
            | Exit::Usage
            | Exit::NoApiKey
            | Exit::Unauthorized
            | Exit::BadRequest
            | Exit::RateLimited
            | Exit::Unreachable
            | Exit::WillNotRun
            | Exit::WaitLimit
            | Exit::Partial
            | Exit::Interrupted => (),
        };
        let mut code: Vec<u8> = ALL.iter().map(|e| *e as u8).chain([0]).collect();
        code.sort_unstable();
        code.dedup();
        let numbers = |lines: &mut dyn Iterator<Item = &str>| {
            let mut found: Vec<u8> = lines.filter_map(|n| n.parse().ok()).collect();
            found.sort_unstable();
            found
        };
        let help = numbers(
            &mut AFTER_HELP
                .lines()
                .filter_map(|l| l.strip_prefix("  ")?.split("  ").next()),
        );
        assert_eq!(help, code, "--help's exit status list");
        // Read when the test runs, not built in: a scratch copy of the workspace (try-spec)
        // builds the CLI without the README.
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
            .expect("the workspace's README.md");
        let section = readme
            .split("### Errors and exit codes")
            .nth(1)
            .and_then(|rest| rest.split("\n### ").next())
            .expect("the README has the section");
        let table = numbers(
            &mut section
                .lines()
                .filter_map(|l| l.strip_prefix("| ")?.split(" |").next()),
        );
        assert_eq!(table, code, "the README's exit code table");
    }

    #[test]
    fn a_command_that_may_have_taken_effect_is_checked_before_it_runs_again() {
        const TABLE: &[CommandSpec] = &[CommandSpec {
            words: &["show", "instances"],
            method: "GET",
            ..command_table::UNLISTED
        }];
        let command = |words| CommandSpec {
            words,
            method: "PUT",
            ..command_table::UNLISTED
        };
        assert_eq!(
            carried_out_hint(&command(&["create", "instance"]), TABLE),
            "check with `vast show instances` whether it took effect before running it again"
        );
        assert_eq!(
            carried_out_hint(&command(&["execute"]), TABLE),
            "check whether it took effect before running it again"
        );
    }
}
