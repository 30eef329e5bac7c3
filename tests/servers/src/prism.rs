//! Prism (`@stoplight/prism-cli`, installed by `npm ci` in `tests/prism/`), an independent
//! implementation that mocks a spec and validates each request against it. The tests and
//! `cargo xtask try-spec` start it here; without it installed they are skipped, saying so, except
//! under CI (`CI` set), where it must be. A [`Proxy`] in front of it keeps what Prism says of
//! each request.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use crate::http::{Reply, Server};

/// The header in which Prism names what a request (or its own response) got wrong.
pub const VIOLATIONS: &str = "sl-violations";

/// How long Prism may take to read a spec and listen: the vendor's whole spec takes seconds, on
/// a shared machine many more.
const START_LIMIT: Duration = Duration::from_secs(90);

/// Why there is no Prism.
#[derive(Debug)]
pub enum NotStarted {
    /// It is not installed, and this is not CI: the caller says it skipped.
    Skipped(String),
    Failed(String),
}

/// A running Prism, stopped when dropped.
pub struct Prism {
    pub url: String,
    child: Child,
}

impl Prism {
    /// Prism mocking `spec` (`args` added to `prism mock`, such as `-d` for dynamic responses),
    /// listening on 127.0.0.1.
    pub fn start(spec: &Path, args: &[&str]) -> Result<Prism, NotStarted> {
        let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../prism/node_modules/.bin/prism");
        if !bin.exists() {
            return Err(if std::env::var_os("CI").is_some() {
                NotStarted::Failed(
                    "Prism is not installed: .ci/run runs `npm ci` in tests/prism".into(),
                )
            } else {
                NotStarted::Skipped("Prism is not installed (cd tests/prism && npm ci)".into())
            });
        }
        // Port 0: Prism takes a free port and logs which, so no other server already on a port
        // can be mistaken for it.
        let mut child = Command::new(bin)
            .arg("mock")
            .arg(spec)
            .args(["-h", "127.0.0.1", "-p", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| NotStarted::Failed(format!("cannot start Prism: {e}")))?;
        let log = Arc::new(Mutex::new(Vec::<String>::new()));
        let (found, url) = mpsc::channel();
        // Both pipes are read to their end, so that Prism never blocks on a full one; the lines
        // are kept for an error message.
        let pipes: [Box<dyn Read + Send>; 2] = [
            Box::new(child.stdout.take().expect("stdout is piped")),
            Box::new(child.stderr.take().expect("stderr is piped")),
        ];
        for pipe in pipes {
            let (log, found) = (log.clone(), found.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(pipe);
                let mut line = Vec::new();
                while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                    let text = String::from_utf8_lossy(&line).trim_end().to_string();
                    if let Some(url) = listening_url(&text) {
                        let _ = found.send(url);
                    }
                    log.lock().unwrap_or_else(|e| e.into_inner()).push(text);
                    line.clear();
                }
            });
        }
        drop(found);
        // Owned before waiting, so that a failed start still stops it.
        let mut prism = Prism {
            url: String::new(),
            child,
        };
        let failed = |why: &str| {
            let log = log.lock().unwrap_or_else(|e| e.into_inner());
            let tail = log[log.len().saturating_sub(20)..].join("\n  ");
            NotStarted::Failed(format!("Prism {why}; its log ends:\n  {tail}"))
        };
        prism.url = url.recv_timeout(START_LIMIT).map_err(|e| match e {
            mpsc::RecvTimeoutError::Timeout => failed(&format!(
                "did not listen within {} s",
                START_LIMIT.as_secs()
            )),
            mpsc::RecvTimeoutError::Disconnected => failed("exited before listening"),
        })?;
        Ok(prism)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Forwards each request to Prism, with a `Prefer` header added when given (the CLI has no flag
/// for arbitrary headers, and should not need one). It keeps what Prism answered that the CLI
/// does not show: each `sl-violations` header, the last status and body.
pub struct Proxy {
    pub url: String,
    seen: Arc<Mutex<Seen>>,
    _server: Server,
}

/// What the proxy saw since it started, or since [`Proxy::take`].
#[derive(Default, Debug, Clone)]
pub struct Seen {
    /// How many requests it forwarded.
    pub requests: usize,
    /// The last response's status, when one came.
    pub last_status: Option<u16>,
    /// The last response's body, or what went wrong forwarding the request.
    pub last_body: String,
    /// Each `sl-violations` header's value: a JSON list of what was wrong, each with its
    /// `location`, `["request", …]` or `["response", …]`.
    pub violations: Vec<String>,
}

impl Proxy {
    pub fn start(upstream: &str, prefer: Option<&str>) -> std::io::Result<Proxy> {
        let upstream = upstream.trim_start_matches("http://").to_string();
        let prefer = prefer
            .map(|p| format!("prefer: {p}\r\n"))
            .unwrap_or_default();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let keep = seen.clone();
        let server = Server::answering(move |request| {
            // What the response shows is kept before the client gets it, so it is there once the
            // client is done.
            let forwarded = forward(&request.head, &request.body, &upstream, &prefer);
            let mut seen = keep.lock().unwrap_or_else(|e| e.into_inner());
            seen.requests += 1;
            match forwarded {
                Ok(response) => {
                    let text = String::from_utf8_lossy(&response);
                    let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
                    seen.last_status = headers
                        .split_whitespace()
                        .nth(1)
                        .and_then(|s| s.parse().ok());
                    seen.last_body = body.to_string();
                    seen.violations.extend(headers.lines().filter_map(|line| {
                        let (name, value) = line.split_once(':')?;
                        name.eq_ignore_ascii_case(VIOLATIONS)
                            .then(|| value.trim().to_string())
                    }));
                    Reply::Raw(response)
                }
                Err(e) => {
                    seen.last_status = None;
                    seen.last_body = format!("(the proxy failed: {e})");
                    Reply::Raw(
                        b"HTTP/1.1 502 X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                            .to_vec(),
                    )
                }
            }
        })?;
        Ok(Proxy {
            url: server.url.clone(),
            seen,
            _server: server,
        })
    }

    /// What the proxy saw so far.
    pub fn seen(&self) -> Seen {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// What the proxy saw so far, forgotten: the next call sees only what comes after.
    pub fn take(&self) -> Seen {
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Prism's whole response to a request with this head and body, `prefer` (a header line, or
/// nothing) added; on a connection of its own, closed after the response, so that it ends.
fn forward(head: &str, body: &[u8], upstream: &str, prefer: &str) -> std::io::Result<Vec<u8>> {
    let mut request: String = head
        .split_inclusive("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    request.push_str(&format!("{prefer}connection: close\r\n\r\n"));
    let mut server = TcpStream::connect(upstream)?;
    server.write_all(request.as_bytes())?;
    server.write_all(body)?;
    let mut response = Vec::new();
    server.read_to_end(&mut response)?;
    Ok(response)
}

/// The address in Prism's "Prism is listening on http://127.0.0.1:N" line.
fn listening_url(line: &str) -> Option<String> {
    let (_, rest) = line.split_once("Prism is listening on ")?;
    let url = rest.split_whitespace().next()?;
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listening_line_gives_the_url() {
        assert_eq!(
            listening_url(
                "[2:51:33 PM] › [CLI] ▶  start     Prism is listening on http://127.0.0.1:40607"
            ),
            Some("http://127.0.0.1:40607".into())
        );
        assert_eq!(listening_url("starting…"), None);
    }

    #[test]
    fn a_spec_prism_cannot_read_fails_quoting_its_log() {
        let dir = std::env::temp_dir().join(format!("vast-prism-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("broken.yaml");
        std::fs::write(&spec, "openapi: 3.0.3\npaths: [not, a, map]\n").unwrap();
        let result = Prism::start(&spec, &[]);
        std::fs::remove_dir_all(&dir).unwrap();
        match result {
            Err(NotStarted::Failed(why)) => {
                assert!(
                    why.starts_with("Prism exited before listening; its log ends:\n  "),
                    "{why}"
                );
                assert!(why.contains("No operations found"), "{why}");
            }
            Err(NotStarted::Skipped(why)) => eprintln!("SKIPPED: {why}"),
            Ok(prism) => panic!("Prism serves a broken spec at {}", prism.url),
        }
    }
}
