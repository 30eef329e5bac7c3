//! `vast set api-key` without the key on the command line: it is read from standard input, as
//! `gh auth login --with-token` does, so that it never shows in the process list. On a terminal
//! the typing is not echoed.

use std::io::{BufRead, IsTerminal, Read, Write};

use crate::failure::{Exit, Failure};

/// The most read from standard input: a key is 64 characters; more is not a key (a file piped by
/// mistake, `/dev/zero`).
const STDIN_LIMIT: u64 = 4 << 10;

/// The key typed or piped on standard input, its line break not included.
pub fn read_key() -> Result<String, Failure> {
    let stdin = std::io::stdin();
    let failed = |e: std::io::Error| {
        Failure::new(
            Exit::NoApiKey,
            format!("cannot read the key from standard input: {e}"),
        )
    };
    let mut text = String::new();
    if stdin.is_terminal() {
        let mut stderr = std::io::stderr();
        let _ = write!(
            stderr,
            "Paste the API key (it is not shown), then press Enter: "
        );
        let _ = stderr.flush();
        // The line break typed is still echoed (`ECHONL`), so the next output starts a line.
        let echo = EchoOff::new();
        let read = stdin.lock().take(STDIN_LIMIT + 1).read_line(&mut text);
        drop(echo);
        read.map_err(failed)?;
    } else {
        stdin
            .lock()
            .take(STDIN_LIMIT + 1)
            .read_to_string(&mut text)
            .map_err(failed)?;
    }
    if text.len() as u64 > STDIN_LIMIT {
        return Err(Failure::new(
            Exit::NoApiKey,
            "standard input holds more than 4 KiB, which is no API key",
        )
        .hint("pipe the key alone: vast set api-key < key.txt"));
    }
    Ok(text)
}

/// Turns the terminal's echo off until dropped (Unix; elsewhere the typing shows). A signal that
/// ends the process in between (Ctrl-C, Ctrl-\, `kill`, the terminal hanging up) would leave the
/// echo off, so until then each is handled here: the echo is restored first.
struct EchoOff {
    #[cfg(unix)]
    saved: Option<libc::termios>,
    /// How each of [`ENDING`] was handled before, to be handled so again.
    #[cfg(unix)]
    before: [libc::sigaction; ENDING.len()],
}

/// The signals that end a process unless handled, and can be.
#[cfg(unix)]
const ENDING: [libc::c_int; 4] = [libc::SIGINT, libc::SIGQUIT, libc::SIGTERM, libc::SIGHUP];

/// The terminal's settings before the echo was turned off, for the signal handler.
#[cfg(unix)]
static SAVED: std::sync::OnceLock<libc::termios> = std::sync::OnceLock::new();

/// Restores the echo, then ends the process as the signal does elsewhere: Ctrl-C says so and
/// exits 130, as `vast` does for it everywhere; any other signal is raised again with its default
/// action, which takes effect as this handler returns (the signal is blocked until then), so the
/// parent sees the process ended by it (a shell shows 128 + its number). Only async-signal-safe
/// calls: `tcsetattr`, `write`, `_exit`, `signal`, `raise`.
#[cfg(unix)]
extern "C" fn ended(signal: libc::c_int) {
    const MESSAGE: &[u8] = b"\nerror: interrupted\n";
    // SAFETY: each call is async-signal-safe and given valid memory.
    unsafe {
        if let Some(saved) = SAVED.get() {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved);
        }
        if signal == libc::SIGINT {
            libc::write(libc::STDERR_FILENO, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::_exit(130);
        }
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

impl EchoOff {
    fn new() -> Self {
        #[cfg(unix)]
        {
            // SAFETY: tcgetattr, tcsetattr and sigaction only read and write the structures given
            // (tcgetattr and tcsetattr for fd 0); the handler installed is async-signal-safe.
            unsafe {
                let mut saved: libc::termios = std::mem::zeroed();
                let mut before: [libc::sigaction; ENDING.len()] = std::mem::zeroed();
                if libc::tcgetattr(libc::STDIN_FILENO, &mut saved) != 0 {
                    return Self {
                        saved: None,
                        before,
                    };
                }
                let _ = SAVED.set(saved);
                let handler: extern "C" fn(libc::c_int) = ended;
                for (signal, before) in ENDING.into_iter().zip(&mut before) {
                    libc::sigaction(signal, std::ptr::null(), before);
                    // A signal ignored (`nohup` ignores SIGHUP) does not end the process: it stays so.
                    if before.sa_sigaction != libc::SIG_IGN {
                        libc::signal(signal, handler as libc::sighandler_t);
                    }
                }
                let mut quiet = saved;
                quiet.c_lflag &= !libc::ECHO;
                quiet.c_lflag |= libc::ECHONL;
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &quiet);
                Self {
                    saved: Some(saved),
                    before,
                }
            }
        }
        #[cfg(not(unix))]
        Self {}
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            // SAFETY: restores the settings read in `new`, then each signal's handling before.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved);
                for (signal, before) in ENDING.into_iter().zip(&self.before) {
                    libc::sigaction(signal, before, std::ptr::null_mut());
                }
            }
        }
    }
}
