//! The generated CLI's output hooks (`CliConfig`): successes print, failures are recorded for
//! `main` to report with their exit code.

use std::cell::{Cell, RefCell};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;
use vast_api::{Error, ErrorKind, ResponseCapture, ResponseValue};

use crate::command_table::CommandSpec;
use crate::failure::{self, Exit, Failure};
use crate::generated_cli::CliConfig;
use crate::redact::{self, stream_stdout};
use crate::render::{self, Choice, Columns, Layout};
use crate::request_edit::Edits;

pub struct Output<'a> {
    pub raw: bool,
    pub layout: Layout,
    /// The table columns of the command being run, and the user's choice.
    pub columns: Columns<'a>,
    pub capture: ResponseCapture,
    /// For a paged list, its pages as they come, kept to print as one list (`--raw` prints
    /// each as it comes).
    pub pages: Option<RefCell<crate::pages::Pages>>,
    /// Where the `--json-body` document goes, to be sent as written.
    pub edits: Arc<Mutex<Edits>>,
    /// Where the key came from, in the CLI's words, for the hint of a rejected key.
    pub key_source: String,
    /// The command being run, for the hint of a call that may have taken effect.
    pub command: &'static CommandSpec,
    pub failure: RefCell<Option<Failure>>,
    /// Set when the call ended in an error that is not a failure: `--raw` printed a success
    /// body the spec describes otherwise, or the request was held (`--dry-run`, a DELETE's
    /// confirmation).
    pub settled: Cell<bool>,
}

impl Output<'_> {
    /// A success body: printed now, or for a paged list taken among its pages (printed when
    /// they are, or with `--raw` now).
    fn show(&self, body: &[u8]) {
        let ready = match &self.pages {
            Some(pages) => pages.borrow_mut().add(body, self.raw),
            None => return self.print_body(body, &self.columns),
        };
        if let Some(ready) = ready {
            self.print_body(&ready, &self.columns);
        }
    }

    fn fail(&self, failure: Failure) {
        self.failure.borrow_mut().get_or_insert(failure);
    }

    /// The body with `--raw` as it came (with a final newline; on a terminal, with what would act
    /// on it escaped), else as a table or pretty JSON; columns left out to fit the terminal are
    /// named on stderr.
    pub fn print_body(&self, body: &[u8], columns: &Columns) {
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
        if let Err(e) = printed {
            self.fail(Failure::new(
                Exit::Failure,
                format!("cannot write the output: {e}"),
            ));
        }
        if !hidden.0.is_empty() {
            let width = match columns.choice {
                Choice::Default { width } => width,
                _ => usize::MAX,
            };
            redact::write_stderr(&hidden_note(&hidden.0, width));
        }
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

impl CliConfig for &Output<'_> {
    fn success_item<T>(&self, value: &ResponseValue<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        // The body as the server sent it (it decoded as the spec's type, so it has the spec's
        // shape): fields keep the server's order, and fields the spec does not list still show.
        let body = match self.capture.last_response() {
            Some(response) => response.body,
            None => serde_json::to_vec(value.as_ref())
                .expect("generated types serialise")
                .into(),
        };
        // A person renting wants the new instance's id, which the body hides in `new_contract`;
        // a pipe and `--raw` keep the JSON that scripts already read.
        if self.command.operation_id == "create_instance"
            && !self.raw
            && self.layout == Layout::Terminal
            && let Some(id) = created_id(&body)
        {
            if let Err(e) = redact::write_stdout(format!("created instance {id}\n").as_bytes()) {
                self.fail(Failure::new(
                    Exit::Failure,
                    format!("cannot write the output: {e}"),
                ));
            }
            return;
        }
        // Printed by `results` once fetched.
        if crate::results::fetches(self.raw, &body) {
            return;
        }
        self.show(&body);
    }
    fn success_no_item(&self, _value: &ResponseValue<()>) {}

    fn error<T>(&self, error: &Error<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        // A success whose body the spec describes otherwise (a field of another type, say) is
        // still what the server answered: it is printed (with `--raw` as it came, else as a
        // table or JSON, as any answer), and the mismatch is a warning rather than a failure:
        // exit 0. Scripts reading the body get it; the warning tells a person the spec is out
        // of date. A body that is not JSON at all has nothing to show but with `--raw`.
        if let ErrorKind::InvalidBody { body, .. } = error.kind()
            && (self.raw || serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok())
        {
            self.show(body);
            redact::write_stderr(&format!("warning: {error}; printed as received\n"));
            self.settled.set(true);
            return;
        }
        if let ErrorKind::NotSent = error.kind() {
            self.settled.set(true);
            return;
        }
        self.fail(failure::from_api_error(
            error,
            &self.key_source,
            self.command,
        ));
    }

    fn list_start<T>(&self)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
    }

    fn list_item<T>(&self, value: &T)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        let json = serde_json::to_vec(value).expect("generated types serialise");
        self.print_body(
            &json,
            &Columns {
                scalar: &[],
                more: &[],
                ..self.columns
            },
        );
    }

    fn list_end_success<T>(&self)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
    }

    /// The `--json-body` document is kept as written, to be sent so (see request_edit), with the
    /// fields of the JSON flags given (`--permissions '{…}'`) set in it, or alone when there is
    /// no file; the typed body, when the spec's types accept the document, is what the flags
    /// apply over. With neither, nothing is written: the typed body is the flags' alone, read
    /// here when it can be, so that a body whose builder wants a field no flag sets (a map of
    /// further fields, `additionalProperties`) is complete, and is built by the flags otherwise.
    fn json_body<B: serde::de::DeserializeOwned>(
        &self,
        text: Option<&str>,
    ) -> anyhow::Result<Option<B>> {
        let mut edits = self.edits.lock().unwrap_or_else(|e| e.into_inner());
        let written = match text {
            Some(text) => Some(serde_json::from_str(text)?),
            None if edits.json_fields.is_empty() => None,
            None => Some(serde_json::Value::Object(serde_json::Map::new())),
        };
        let written = written.map(|mut written| {
            if let serde_json::Value::Object(fields) = &mut written {
                for (field, value) in &edits.json_fields {
                    fields.insert(field.to_string(), value.clone());
                }
            }
            written
        });
        // Read as the body type with the flags' values in: the flags set them after this anyway.
        let mut with_flags = written
            .clone()
            .unwrap_or_else(|| serde_json::Value::Object(serde_json::Map::new()));
        if let serde_json::Value::Object(fields) = &mut with_flags {
            for (field, value) in &edits.flag_values {
                fields.insert(field.to_string(), value.clone());
            }
        }
        let typed = serde_json::from_value(with_flags).ok();
        edits.json_body = written;
        Ok(typed)
    }

    fn list_end_error<T>(&self, error: &Error<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        self.error(error);
    }
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
