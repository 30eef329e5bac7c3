//! Printing what a call came to ([`Answer`]): a success's body, a list's pages as one, or the
//! failure `main` reports with its exit code.

use unicode_width::UnicodeWidthStr;
use vast_api::{ErrorKind, ResponseCapture};

use crate::answer::Answer;
use crate::command_table::CommandSpec;
use crate::failure::{self, Exit, Failure};
use crate::redact::{self, stream_stdout};
use crate::render::{self, Choice, Columns, Layout};

pub struct Output<'a> {
    pub raw: bool,
    pub layout: Layout,
    /// The table columns of the command being run, and the user's choice.
    pub columns: Columns<'a>,
    pub capture: ResponseCapture,
    /// For a paged list, its pages as they come, kept to print as one list (`--raw` prints
    /// each as it comes).
    pub pages: Option<crate::pages::Pages>,
    /// Where the key came from, in the CLI's words, for the hint of a rejected key.
    pub key_source: String,
    /// The command being run, for the hint of a call that may have taken effect.
    pub command: &'static CommandSpec,
}

/// What an answer that is not a failure was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// A success, printed.
    Success,
    /// A success naming a result to fetch ([`crate::results`]), left to be printed once it is.
    ResultBehind,
    /// An error that is not a failure: a success body the spec describes otherwise (shown, with
    /// a warning), or a request held (`--dry-run`, a DELETE's confirmation).
    Settled,
}

impl Output<'_> {
    /// Prints what a call came to, or gives the failure it was.
    pub fn take(&mut self, answer: Answer) -> Result<Shown, Failure> {
        match answer {
            Answer::Succeeded => self.success(),
            Answer::Failed(error) => self.error(&error).map(|()| Shown::Settled),
        }
    }

    /// A success: its body as the server sent it (it decoded as the spec's type, so it has the
    /// spec's shape): fields keep the server's order, and fields the spec does not list still
    /// show.
    fn success(&mut self) -> Result<Shown, Failure> {
        let body = self
            .capture
            .last_response()
            .map(|r| r.body)
            .unwrap_or_default();
        // An operation that answers with no content (204) has nothing to print.
        if body.is_empty() {
            return Ok(Shown::Success);
        }
        // A person renting wants the new instance's id, which the body hides in `new_contract`;
        // a pipe and `--raw` keep the JSON that scripts already read.
        if self.command.operation_id == "create_instance"
            && !self.raw
            && self.layout == Layout::Terminal
            && let Some(id) = created_id(&body)
        {
            return redact::write_stdout(format!("created instance {id}\n").as_bytes())
                .map(|()| Shown::Success)
                .map_err(|e| Failure::new(Exit::Failure, format!("cannot write the output: {e}")));
        }
        if crate::results::fetches(self.raw, &body) {
            return Ok(Shown::ResultBehind);
        }
        self.show(&body).map(|()| Shown::Success)
    }

    /// A failed call: a failure, but for a success whose body the spec describes otherwise (a
    /// field of another type, say), which is still what the server answered: it is printed
    /// (with `--raw` as it came, else as a table or JSON, as any answer), and the mismatch is a
    /// warning rather than a failure: exit 0. Scripts reading the body get it; the warning
    /// tells a person the spec is out of date. A body that is not JSON at all has nothing to
    /// show but with `--raw`. A request held was meant to be.
    fn error(&mut self, error: &vast_api::Error) -> Result<(), Failure> {
        if let ErrorKind::InvalidBody { body, .. } = error.kind()
            && (self.raw || serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok())
        {
            let shown = self.show(body);
            redact::write_stderr(&format!("warning: {error}; printed as received\n"));
            return shown;
        }
        if let ErrorKind::NotSent = error.kind() {
            return Ok(());
        }
        Err(failure::from_api_error(
            error,
            &self.key_source,
            self.command,
        ))
    }

    /// A success body: printed now, or for a paged list taken among its pages (printed when
    /// they are, or with `--raw` now).
    fn show(&mut self, body: &[u8]) -> Result<(), Failure> {
        let ready = match &mut self.pages {
            Some(pages) => pages.add(body, self.raw),
            None => return self.print_body(body, &self.columns),
        };
        match ready {
            Some(ready) => self.print_body(&ready, &self.columns),
            None => Ok(()),
        }
    }

    /// The body with `--raw` as it came (with a final newline; on a terminal, with what would act
    /// on it escaped), else as a table or pretty JSON; columns left out to fit the terminal are
    /// named on stderr.
    pub fn print_body(&self, body: &[u8], columns: &Columns) -> Result<(), Failure> {
        let mut hidden = render::Hidden::default();
        let printed = stream_stdout(|out| {
            if self.raw {
                match self.layout {
                    Layout::Terminal => render::raw_for_terminal(body, out)?,
                    Layout::Pipe => out.write_all(body)?,
                }
                if body.last() == Some(&b'\n') {
                    return Ok(());
                }
                out.write_all(b"\n")
            } else {
                hidden = render::render(body, columns, self.layout, out)?;
                Ok(())
            }
        });
        printed
            .map_err(|e| Failure::new(Exit::Failure, format!("cannot write the output: {e}")))?;
        if !hidden.0.is_empty() {
            let width = match columns.choice {
                Choice::Default { width } => width,
                _ => usize::MAX,
            };
            redact::write_stderr(&hidden_note(&hidden.0, width));
        }
        Ok(())
    }
}

/// Whether `VAST_FORCE_TTY` asks for the terminal's output in a pipe.
pub fn force_tty() -> bool {
    std::env::var_os("VAST_FORCE_TTY").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The id of the instance `create instance` made: its response's `new_contract`.
pub fn created_id(body: &[u8]) -> Option<i64> {
    #[derive(serde::Deserialize)]
    struct Created {
        new_contract: Option<i64>,
    }
    serde_json::from_slice::<Created>(body).ok()?.new_contract
}

/// The note on stderr naming the columns left out to fit the terminal: the first few that fit
/// in `width` character cells with the rest of the line (the server's names, made safe).
fn hidden_note(hidden: &[String], width: usize) -> String {
    const NAMED: usize = 5;
    let note = |named: usize| {
        let mut names = hidden[..named]
            .iter()
            .map(|name| vast_api::text::shown(name))
            .collect::<Vec<_>>()
            .join(", ");
        if hidden.len() > named {
            names.push_str(if named == 0 { "…" } else { ", …" });
        }
        format!(
            "vast: {} more column{} ({names}): --cols A,B,C chooses, --all-cols shows all\n",
            hidden.len(),
            if hidden.len() == 1 { "" } else { "s" },
        )
    };
    (0..=hidden.len().min(NAMED))
        .rev()
        .map(note)
        .find(|line| line.trim_end().width() <= width)
        .unwrap_or_else(|| note(0))
}

#[cfg(test)]
mod tests {
    use super::{created_id, hidden_note};

    #[test]
    fn the_note_names_the_first_hidden_columns() {
        let names = |n: usize| (1..=n).map(|i| format!("c{i}")).collect::<Vec<_>>();
        assert_eq!(
            hidden_note(&names(1), 80),
            "vast: 1 more column (c1): --cols A,B,C chooses, --all-cols shows all\n"
        );
        assert_eq!(
            hidden_note(&names(7), 100),
            "vast: 7 more columns (c1, c2, c3, c4, c5, …): --cols A,B,C chooses, --all-cols shows all\n"
        );
        // Within the terminal's width: as many names as fit, else none.
        assert_eq!(
            hidden_note(&names(7), 80),
            "vast: 7 more columns (c1, c2, c3, …): --cols A,B,C chooses, --all-cols shows all\n"
        );
        assert_eq!(
            hidden_note(&names(7), 20),
            "vast: 7 more columns (…): --cols A,B,C chooses, --all-cols shows all\n"
        );
        // The names are the server's: nothing in them acts on the terminal.
        assert_eq!(
            hidden_note(&["a\u{1b}]0;x\u{7}\nb".to_string()], 200),
            "vast: 1 more column (a\\u{1b}]0;x\\u{7}\\u{a}b): --cols A,B,C chooses, --all-cols shows all\n"
        );
    }

    #[test]
    fn the_new_id_is_new_contract() {
        assert_eq!(
            created_id(br#"{"success": true, "new_contract": 1234568}"#),
            Some(1234568)
        );
        assert_eq!(created_id(br#"{"success": false}"#), None);
        assert_eq!(created_id(b"not json"), None);
    }
}
