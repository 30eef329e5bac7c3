//! Files named on the command line (`--json-body FILE`, a key or certificate as `@PATH`), read as
//! the library reads its own (`vast_api::local_file`): without blocking, regular files only, and
//! never more than a limit, whatever size the file reports, so `--json-body /dev/zero` or a
//! named pipe is refused at once instead of taking the memory or the time.

use std::path::Path;

use vast_api::local_file::{self, FileError};

/// The most a `--json-body` file may hold: the API's bodies are a few KiB.
pub const JSON_BODY_LIMIT: usize = 1 << 20;

/// The most a key or certificate file may hold; real ones hold a few KiB.
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

/// A `--json-body` file's text (the generated commands read it through this).
#[allow(
    dead_code,
    reason = "called by the generated code when the spec has a JSON body; the seed has none"
)]
pub fn read_json_body(path: &Path) -> Result<String, Unread> {
    read_text(path, JSON_BODY_LIMIT)
}
