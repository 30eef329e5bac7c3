//! Keys kept out of everything `vast` writes: a server may echo a key (in an error's message,
//! say), so may a usage error, and the terminal or a log file is no place for it. Every write to
//! stdout and stderr goes through here.

use std::borrow::Cow;
use std::io::Write;
use std::sync::Mutex;
#[cfg(unix)]
use std::sync::atomic::{AtomicBool, Ordering};

use vast_api::text::{SPELLING_BYTES, redact_spellings};

/// The keys this run may use: given on the command line or in `VAST_API_KEY`, then the one
/// resolved.
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

/// `text` with every key replaced, however it is spelt: as itself, with JSON escapes
/// (`"sekri\u0074…"`) or percent-encoded (`sekri%74…`, in a URL), since whatever decodes the
/// output would find the key (see `vast_api::text::redact_spellings`).
fn redacted(text: &[u8]) -> Cow<'_, [u8]> {
    let keys = KEYS.lock().unwrap_or_else(|e| e.into_inner());
    let mut text = Cow::Borrowed(text);
    for key in keys.iter() {
        let replaced = match redact_spellings(&text, key, REDACTED) {
            Cow::Owned(out) => Some(out),
            Cow::Borrowed(_) => None,
        };
        if let Some(out) = replaced {
            text = Cow::Owned(out);
        }
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
    stream_stdout(|out| out.write_all(text))
}

/// Lets `write` stream its output to stdout, keys replaced, as it goes; a closed pipe ends it
/// quietly. Ctrl-C meanwhile ends `vast` at once ([`Writing`]).
pub fn stream_stdout(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    #[cfg(unix)]
    let _writing = Writing::start();
    let mut out = Redacting::new(std::io::BufWriter::new(std::io::stdout().lock()));
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Ctrl-C seen since [`watch_interrupts`], whoever acted on it.
#[cfg(unix)]
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Whether stdout is being written ([`Writing`]).
#[cfg(unix)]
static WRITING: AtomicBool = AtomicBool::new(false);

/// Watches for Ctrl-C from the start, so that output never goes on, or ends as a success, after
/// it. Output is written from inside the call, where the runtime that waits for Ctrl-C (and stops
/// the call at once) does not run: a write blocked on a pipe nobody reads ignored Ctrl-C until
/// the reader went away, and the output cut short then ended quietly, exit 0; a Ctrl-C between
/// the body's arrival and its printing was never seen. The runtime's handler, installed later,
/// calls this one first (signal-hook chains the handler it replaces), so every Ctrl-C is seen
/// here. Ctrl-C ignored (a background job's) stays ignored.
#[cfg(unix)]
pub fn watch_interrupts() {
    // SAFETY: sigaction reads and writes only the structs given; the handler installed is
    // async-signal-safe.
    unsafe {
        let mut previous: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGINT, std::ptr::null(), &mut previous) != 0
            || previous.sa_sigaction == libc::SIG_IGN
        {
            return;
        }
        let mut watch: libc::sigaction = std::mem::zeroed();
        let handler: extern "C" fn(libc::c_int) = interrupt_seen;
        watch.sa_sigaction = handler as libc::sighandler_t;
        libc::sigemptyset(&mut watch.sa_mask);
        libc::sigaction(libc::SIGINT, &watch, std::ptr::null_mut());
    }
}

/// Ctrl-C: noted; while stdout is written, the end at once. Otherwise whoever installed a
/// handler over this one acts (the runtime ends the call); with none, Ctrl-C's default action,
/// as before this handler. Only async-signal-safe calls.
#[cfg(unix)]
extern "C" fn interrupt_seen(signal: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
    if WRITING.load(Ordering::SeqCst) {
        interrupted();
    }
    // SAFETY: sigaction, signal and raise are async-signal-safe and given valid memory.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        let handler: extern "C" fn(libc::c_int) = interrupt_seen;
        if libc::sigaction(signal, std::ptr::null(), &mut current) == 0
            && current.sa_sigaction == handler as libc::sighandler_t
        {
            // Delivered once this handler returns (the signal is blocked while it runs).
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

/// Says why and exits as Ctrl-C does elsewhere (only async-signal-safe calls: `write`, `_exit`).
#[cfg(unix)]
fn interrupted() -> ! {
    const MESSAGE: &[u8] = b"error: interrupted\n";
    // SAFETY: each call is async-signal-safe and given valid memory.
    unsafe {
        libc::write(libc::STDERR_FILENO, MESSAGE.as_ptr().cast(), MESSAGE.len());
        libc::_exit(130)
    }
}

/// While alive, stdout is being written: Ctrl-C ends `vast` at once, and one seen before (that
/// the call's runtime did not get to act on) ends it before anything is written.
#[cfg(unix)]
struct Writing;

#[cfg(unix)]
impl Writing {
    fn start() -> Self {
        WRITING.store(true, Ordering::SeqCst);
        if INTERRUPTED.load(Ordering::SeqCst) {
            interrupted();
        }
        Writing
    }
}

#[cfg(unix)]
impl Drop for Writing {
    fn drop(&mut self) {
        WRITING.store(false, Ordering::SeqCst);
    }
}

/// A writer that replaces the keys in what passes through it, including a key split between
/// two writes: it holds back the last bytes of each batch, which could be a key's start.
struct Redacting<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

/// How much output is gathered before it is redacted and passed on.
const BATCH: usize = 64 << 10;

impl<W: Write> Redacting<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            pending: Vec::new(),
        }
    }

    /// Passes on the pending output, redacted, except for the bytes that could be the start of
    /// a key's spelling (none when `all`).
    fn pass_on(&mut self, all: bool) -> std::io::Result<()> {
        let longest = KEYS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|key| key.len() * SPELLING_BYTES)
            .max()
            .unwrap_or(0);
        let text = redacted(&self.pending).into_owned();
        let keep = if all { 0 } else { longest.saturating_sub(1) };
        let cut = text.len().saturating_sub(keep);
        self.inner.write_all(&text[..cut])?;
        self.pending = text[cut..].to_vec();
        Ok(())
    }
}

impl<W: Write> Write for Redacting<W> {
    /// Takes at most a batch at a time (`write_all` comes back for the rest), so a large write
    /// is not copied whole.
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let taken = buf.len().min(BATCH);
        self.pending.extend_from_slice(&buf[..taken]);
        if self.pending.len() >= BATCH {
            self.pass_on(false)?;
        }
        Ok(taken)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.pass_on(true)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_spelt_with_escapes_are_replaced() {
        redact("esc-key-777");
        let body = br#"\n"{"a": "esc-\u006bey-777!", "b": "x\"y", "c": "esc-key-777", "d": "esc%2Dkey-777"}"#;
        assert_eq!(
            String::from_utf8(redacted(body).into_owned()).unwrap(),
            r#"\n"{"a": "<redacted>!", "b": "x\"y", "c": "<redacted>", "d": "<redacted>"}"#
        );
        assert!(matches!(redacted(br#"{"a": "\n"}"#), Cow::Borrowed(_)));
    }

    #[test]
    fn a_key_spelt_with_escapes_split_between_writes_is_replaced_too() {
        redact("split-esc-key-4242");
        let mut out = Vec::new();
        let mut writer = Redacting::new(&mut out);
        let mut text = vec![b'.'; BATCH - 12];
        text.extend_from_slice(br"\u0073\u0070\u006c");
        writer.write_all(&text).unwrap();
        writer.write_all(b"it-esc-key-4242!").unwrap();
        writer.flush().unwrap();
        let shown = String::from_utf8(out).unwrap();
        assert!(
            shown.ends_with("...<redacted>!"),
            "{}",
            &shown[shown.len() - 40..]
        );
    }

    #[test]
    fn keys_split_between_writes_are_replaced_too() {
        redact("split-key-4242");
        let mut out = Vec::new();
        let mut writer = Redacting::new(&mut out);
        let mut text = vec![b'.'; BATCH - 5];
        text.extend_from_slice(b"split-");
        writer.write_all(&text).unwrap();
        writer.write_all(b"key-4242 and split-key-4242").unwrap();
        writer.flush().unwrap();
        let shown = String::from_utf8(out).unwrap();
        assert!(
            shown.ends_with("...<redacted> and <redacted>") && !shown.contains("split"),
            "{}",
            &shown[shown.len() - 40..]
        );
    }

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
