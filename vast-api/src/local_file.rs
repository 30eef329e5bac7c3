//! Reading the small local files a client trusts (key files, a CA bundle; in the `vast` CLI, a
//! `--json-body` or `@PATH` file) so that whatever sits at the path cannot stall or exhaust the
//! process: the file is opened without blocking (a named pipe with no writer, or a device, would
//! otherwise wait forever), anything that is not a regular file is refused, and no more than a
//! stated size is ever read, whatever size the file reports (a `/proc` file reports none).

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::text::size_text;

/// Why a local file was not read; `Display` says it as the end of a sentence ("it does not
/// exist", "it is larger than the 64 KiB limit for this file").
#[derive(Debug)]
#[non_exhaustive]
pub enum FileError {
    /// Nothing is at the path.
    NotFound,
    /// What it is instead: "a named pipe (FIFO)", "a folder"…
    NotRegular(&'static str),
    /// What a path that should be a folder is instead.
    NotFolder(&'static str),
    /// It holds more than the limit the reader gave.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// Opening or reading it failed.
    Io(io::Error),
}

impl std::error::Error for FileError {}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::NotFound => f.write_str("it does not exist"),
            FileError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            FileError::NotFolder(kind) => write!(f, "it is {kind}, not a folder"),
            FileError::TooLarge { limit } => {
                write!(
                    f,
                    "it is larger than the {} limit for this file",
                    size_text(*limit)
                )
            }
            FileError::Io(e) => e.fmt(f),
        }
    }
}

impl From<io::Error> for FileError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::NotFound {
            FileError::NotFound
        } else {
            FileError::Io(e)
        }
    }
}

/// Opens `path` (following symlinks, as any reader would) without blocking, and checks that it
/// is a regular file of at most `limit` bytes.
pub(crate) fn open_regular(path: &Path, limit: usize) -> Result<File, FileError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(FileError::NotRegular(kind_of(&metadata.file_type())));
    }
    if metadata.len() > limit as u64 {
        return Err(FileError::TooLarge { limit });
    }
    Ok(file)
}

/// How far past its limit a file is read to know that it is larger: a block rather than a byte,
/// since some files answer only reads of whole records (`/proc/self/pagemap`'s are 8 bytes).
const PAST_LIMIT: u64 = 4096;

/// The whole of a regular file of at most `limit` bytes, opened without blocking. What is read
/// decides, not the size the file reports: a file that grew past the limit since it was opened
/// is refused too, and so is a `/proc` file, which reports 0 bytes however much it holds.
pub fn read_small(path: &Path, limit: usize) -> Result<Vec<u8>, FileError> {
    let file = open_regular(path, limit)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + PAST_LIMIT)
        .read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(FileError::TooLarge { limit });
    }
    Ok(bytes)
}

/// A folder that exists (for `SSL_CERT_DIR`).
pub(crate) fn check_folder(path: &Path) -> Result<(), FileError> {
    let metadata = std::fs::metadata(path)?;
    if metadata.is_dir() {
        Ok(())
    } else {
        Err(FileError::NotFolder(kind_of(&metadata.file_type())))
    }
}

fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_file() {
        "a file"
    } else {
        "neither a file nor a folder"
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn pipes_devices_folders_and_large_files_are_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert_eq!(
            read_small(&fifo, 64).unwrap_err().to_string(),
            "it is a named pipe (FIFO), not a regular file"
        );
        assert_eq!(
            read_small(Path::new("/dev/zero"), 64)
                .unwrap_err()
                .to_string(),
            "it is a character device, not a regular file"
        );
        assert_eq!(
            read_small(dir.path(), 64).unwrap_err().to_string(),
            "it is a folder, not a regular file"
        );
        let big = dir.path().join("big");
        std::fs::write(&big, [b'a'; 65]).unwrap();
        assert_eq!(
            read_small(&big, 64).unwrap_err().to_string(),
            "it is larger than the 64 bytes limit for this file"
        );
        std::fs::write(&big, [b'a'; 64]).unwrap();
        assert_eq!(read_small(&big, 64).unwrap().len(), 64);
        assert!(matches!(
            read_small(&dir.path().join("none"), 64),
            Err(FileError::NotFound)
        ));
    }
}
