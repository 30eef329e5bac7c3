//! The generated CLI's output hooks (`CliConfig`): successes print, failures are recorded for
//! `main` to report with their exit code.

use std::cell::{Cell, RefCell};

use serde::Serialize;
use vast_api::{Error, ErrorKind, ResponseCapture, ResponseValue};

use crate::failure::{self, Exit, Failure};
use crate::generated_cli::CliConfig;
use crate::redact::{self, escaped_keys_redacted, stream_stdout};
use crate::render::{self, Layout};

pub struct Output {
    pub raw: bool,
    pub layout: Layout,
    /// The table columns of the command being run.
    pub columns: &'static [&'static str],
    pub capture: ResponseCapture,
    /// Where the key came from, in the CLI's words, for the hint of a rejected key.
    pub key_source: String,
    pub failure: RefCell<Option<Failure>>,
    /// Set when the call ended in an error that is not a failure: `--raw` printed a success
    /// body the spec describes otherwise, or the request was held (`--dry-run`, a DELETE's
    /// confirmation).
    pub settled: Cell<bool>,
}

impl Output {
    fn fail(&self, failure: Failure) {
        self.failure.borrow_mut().get_or_insert(failure);
    }

    /// The body with `--raw` as it came (with a final newline), else as a table or pretty JSON.
    fn print_body(&self, body: &[u8], columns: &[&str]) {
        let printed = stream_stdout(|out| {
            if self.raw {
                out.write_all(&escaped_keys_redacted(body))?;
                if body.last() == Some(&b'\n') {
                    return Ok(());
                }
                out.write_all(b"\n")
            } else {
                render::render(body, columns, self.layout, out)
            }
        });
        if let Err(e) = printed {
            self.fail(Failure::new(
                Exit::Failure,
                format!("cannot write the output: {e}"),
            ));
        }
    }
}

impl CliConfig for &Output {
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
        self.print_body(&body, self.columns);
    }
    fn success_no_item(&self, _value: &ResponseValue<()>) {}

    fn error<T>(&self, error: &Error<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        // `--raw` promises the bytes the server sent: a success whose body the spec describes
        // otherwise (a field of another type, say) is still what the server answered, so it is
        // printed, and the mismatch is a warning rather than a failure: exit 0. Scripts reading
        // the body get it; the warning tells a person the spec is out of date.
        if self.raw
            && let ErrorKind::InvalidBody { body, .. } = error.kind()
        {
            self.print_body(body, &[]);
            redact::write_stderr(&format!("warning: {error}; printed as received\n"));
            self.settled.set(true);
            return;
        }
        if let ErrorKind::NotSent = error.kind() {
            self.settled.set(true);
            return;
        }
        self.fail(failure::from_api_error(error, &self.key_source));
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
        self.print_body(&json, &[]);
    }

    fn list_end_success<T>(&self)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
    }

    fn list_end_error<T>(&self, error: &Error<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        self.error(error);
    }
}
