//! The generated CLI's output hooks (`CliConfig`): successes print, failures are recorded for
//! `main` to report with their exit code.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Write;
use std::sync::Mutex;

use serde::Serialize;
use vast_api::{Error, ResponseCapture, ResponseValue};

use crate::failure::{self, Exit, Failure};
use crate::generated_cli::CliConfig;
use crate::render::{self, Layout};

pub struct Output {
    pub raw: bool,
    pub layout: Layout,
    /// The table columns of the command being run.
    pub columns: &'static [&'static str],
    pub capture: ResponseCapture,
    pub key_source: String,
    pub base_url: String,
    /// The proxy the call goes through, if any.
    pub proxy: Option<vast_api::proxy::ProxyUrl>,
    pub timeout_secs: u64,
    pub failure: RefCell<Option<Failure>>,
}

impl Output {
    fn fail(&self, failure: Failure) {
        self.failure.borrow_mut().get_or_insert(failure);
    }

    fn print(&self, text: &[u8]) {
        if let Err(e) = write_stdout(text) {
            self.fail(Failure::new(
                Exit::Failure,
                format!("cannot write the output: {e}"),
            ));
        }
    }
}

/// The keys this run may use (given on the command line or in `VAST_API_KEY`, then the one
/// resolved), kept out of everything written: a server may echo a key (in an error's message,
/// say), so may a usage error, and the terminal or a log file is no place for it.
static KEYS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// What a key in output is replaced by.
const REDACTED: &[u8] = b"<redacted>";

/// Keys shorter than this are not looked for: no issued key is that short, and replacing every
/// `k` or `1` in the output would garble it.
const SHORTEST_REDACTED: usize = 8;

/// From here on, `key` never reaches stdout or stderr.
pub fn redact(key: &str) {
    let mut keys = KEYS.lock().unwrap_or_else(|e| e.into_inner());
    if key.len() >= SHORTEST_REDACTED && !keys.iter().any(|k| k == key) {
        keys.push(key.to_string());
    }
}

fn redacted(text: &[u8]) -> Cow<'_, [u8]> {
    let keys = KEYS.lock().unwrap_or_else(|e| e.into_inner());
    let mut text = Cow::Borrowed(text);
    for key in keys.iter() {
        let mut found = memchr::memmem::find_iter(&text, key.as_bytes()).peekable();
        if found.peek().is_none() {
            continue;
        }
        let mut out = Vec::with_capacity(text.len());
        let mut from = 0;
        for at in found {
            out.extend_from_slice(&text[from..at]);
            out.extend_from_slice(REDACTED);
            from = at + key.len();
        }
        out.extend_from_slice(&text[from..]);
        text = Cow::Owned(out);
    }
    text
}

/// `text` with every key replaced: for messages that are cut short before they are written,
/// which would leave part of a key that the final write could no longer recognise.
pub fn redacted_text(text: &str) -> String {
    String::from_utf8_lossy(&redacted(text.as_bytes())).into_owned()
}

/// Writes to stderr; if stderr is gone (`vast … 2>&1 | head -1`) there is nobody left to tell.
pub fn write_stderr(text: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all(&redacted(text.as_bytes()));
}

/// Writes to stdout; a closed pipe (`vast … | head -1`) is the reader's choice, not an error.
pub fn write_stdout(text: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(&redacted(text)).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

impl CliConfig for &Output {
    fn success_item<T>(&self, value: &ResponseValue<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        if self.raw {
            // The server's own bytes: fields the spec does not list survive.
            let mut body = match self.capture.last_response() {
                Some(response) => response.body.to_vec(),
                None => serde_json::to_vec(value.as_ref()).expect("generated types serialise"),
            };
            if body.last() != Some(&b'\n') {
                body.push(b'\n');
            }
            self.print(&body);
            return;
        }
        // The body as the server sent it (it decoded as the spec's type, so it has the spec's
        // shape): fields keep the server's order, and fields the spec does not list still show.
        let json = self
            .capture
            .last_response()
            .and_then(|response| serde_json::from_slice(&response.body).ok())
            .unwrap_or_else(|| {
                serde_json::to_value(value.as_ref()).expect("generated types serialise")
            });
        self.print(render::render(&json, self.columns, self.layout).as_bytes());
    }

    fn success_no_item(&self, _value: &ResponseValue<()>) {}

    fn error<T>(&self, error: &Error<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        let cx = failure::Context {
            key_source: &self.key_source,
            base_url: &self.base_url,
            proxy: self.proxy.as_ref(),
            timeout_secs: self.timeout_secs,
            call: self.capture.last(),
        };
        self.fail(failure::from_api_error(error, &cx));
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
        let json = serde_json::to_value(value).expect("generated types serialise");
        self.print(render::render(&json, &[], self.layout).as_bytes());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_replaced_wherever_they_appear() {
        redact("k3y-0123");
        redact("other-key-9");
        redact("short");
        assert_eq!(
            &*redacted(b"bad key Bearer k3y-0123; k3y-0123k3y-0123 k3y-012 other-key-9 short"),
            b"bad key Bearer <redacted>; <redacted><redacted> k3y-012 <redacted> short"
        );
        assert!(matches!(redacted(b"nothing here"), Cow::Borrowed(_)));
    }
}
