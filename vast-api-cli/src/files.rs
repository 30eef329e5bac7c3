//! Files named on the command line (`--json-body FILE`, a body field's text as `@PATH`), read as
//! the library reads its own (`vast_api::local_file`): without blocking, regular files only, and
//! never more than a limit, whatever size the file reports, so `--json-body /dev/zero` or a
//! named pipe is refused at once instead of taking the memory or the time.

use std::path::{Path, PathBuf};

use vast_api::local_file::{self, FileError};

use crate::command_table::CommandSpec;

/// The most a `--json-body` file may hold: the API's bodies are a few KiB.
pub const JSON_BODY_LIMIT: usize = 1 << 20;

/// The most a file given as `@PATH` may hold: keys, certificates and scripts hold a few KiB.
pub const KEY_FILE_LIMIT: usize = 64 << 10;

/// Why a file named on the command line was not read, as the end of a sentence.
#[derive(Debug)]
pub enum Unread {
    File(FileError),
    NotText,
}

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unread::File(e) => e.fmt(f),
            Unread::NotText => f.write_str("it is not UTF-8 text"),
        }
    }
}

impl std::error::Error for Unread {}

/// The text of the file at `path`, of at most `limit` bytes.
pub fn read_text(path: &Path, limit: usize) -> Result<String, Unread> {
    let bytes = local_file::read_small(path, limit).map_err(Unread::File)?;
    String::from_utf8(bytes).map_err(|_| Unread::NotText)
}

/// A `--json-body` file's text (read with the rest of the command line, `operation.rs`), or a
/// JSON flag's `@PATH`.
pub fn read_json_body(path: &Path) -> Result<String, Unread> {
    read_text(path, JSON_BODY_LIMIT)
}

/// Body fields whose flag `vastai` takes as the name of a file to read (its `create instance
/// --onstart FILE`; `--onstart-cmd` takes the text). `vast`'s flag takes the text, as the API
/// does, so a value naming an existing file is refused with the `@` fix rather than sent as the
/// script. A reviewed table: the spec does not say how `vastai` reads its flags.
const VASTAI_READS_FILE: &[&str] = &["onstart"];

/// How a text argument's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// A parameter's text: as written.
    Plain,
    /// A body field's text: `@PATH` (`~/` is the home folder) sends the file's contents.
    AtFile,
    /// A key or certificate: `@PATH`, or the path of an existing file, sends the file's
    /// contents; a key's text never names a file, so the two cannot be confused.
    KeyFile,
    /// A field `vastai` reads from the file its flag names ([`VASTAI_READS_FILE`]): `@PATH`
    /// sends a file's contents, and a value naming an existing file is refused.
    VastaiFile,
}

impl Text {
    /// How the argument `id` of the command `spec` reads its value.
    pub fn of(spec: &CommandSpec, id: &str) -> Text {
        let field = spec
            .body_flags
            .iter()
            .find(|(flag, _)| *flag == id)
            .map(|(_, field)| *field);
        if spec.files.contains(&id) {
            Text::KeyFile
        } else if field.is_some_and(|f| VASTAI_READS_FILE.contains(&f)) {
            Text::VastaiFile
        } else if field.is_some() {
            Text::AtFile
        } else {
            Text::Plain
        }
    }

    /// What the argument's help adds, if anything.
    pub fn help(self) -> Option<&'static str> {
        match self {
            Text::Plain => None,
            Text::AtFile => Some("@PATH sends a file's contents"),
            Text::KeyFile => Some("@PATH, or the path of a file, sends the file's contents"),
            Text::VastaiFile => Some(
                "@PATH sends a file's contents (vastai reads the file its flag names; here the \
                 value is the text, and a path without @ is refused)",
            ),
        }
    }

    /// The value to send for what was written: the text, or the contents of the file it names
    /// (without a final line break).
    pub fn read(self, value: &str) -> Result<String, String> {
        let named = match value.strip_prefix('@') {
            Some(path) if self != Text::Plain => Some(path),
            _ => None,
        };
        let is_file = || Path::new(value).is_file();
        let path = match named {
            Some(path) => at_path(path),
            None if self == Text::KeyFile && is_file() => PathBuf::from(value),
            None if self == Text::VastaiFile && is_file() => {
                return Err(format!(
                    "it names a file, whose name would be sent as the text; write @{value} \
                     to send the file's contents"
                ));
            }
            None => return Ok(value.to_string()),
        };
        let text = read_text(&path, KEY_FILE_LIMIT)
            .map_err(|e| format!("cannot read {}: {e}", vast_api::text::shown_path(&path)))?;
        let text = text.strip_suffix('\n').unwrap_or(&text);
        Ok(text.strip_suffix('\r').unwrap_or(text).to_string())
    }
}

/// The file `@PATH` names: `~/` is the home folder.
fn at_path(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// A JSON flag's value: `@PATH` (`~/` is the home folder) is the file's text, read as
/// `--json-body` is; anything else is the JSON itself (JSON text never starts with `@`).
pub fn json_or_file(value: &str) -> Result<serde_json::Value, String> {
    let text = match value.strip_prefix('@') {
        Some(path) => {
            let path = at_path(path);
            read_json_body(&path)
                .map_err(|e| format!("cannot read {}: {e}", vast_api::text::shown_path(&path)))?
        }
        None => value.to_string(),
    };
    serde_json::from_str(&text).map_err(|e| format!("it is not JSON: {e}"))
}

impl clap::builder::TypedValueParser for Text {
    type Value = String;

    /// As clap's parser for a plain function reports it: `invalid value '…' for '--flag
    /// <flag>': why`.
    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let text = *self;
        let read = move |v: &str| text.read(v);
        read.parse_ref(command, arg, value)
    }
}
