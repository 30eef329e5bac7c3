//! An HTTP/1.1 server that answers each request with a [`Reply`]: well-formed responses for
//! xtask's mock of a spec, and for the tests the cases httpmock cannot express (bodies that break
//! off, servers that never answer or hang up, huge or invalid bytes, redirects to another address,
//! connection counting). Plain std networking, a thread per connection, keep-alive, 127.0.0.x
//! only; it stops when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server does with a request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Writes these bytes (status line, headers, body) and keeps the connection for the next
    /// request unless they say `connection: close`.
    Raw(Vec<u8>),
    /// A status with a JSON body and any extra header lines.
    Json(u16, String, Vec<String>),
    /// Reads the request and never answers (until the server is dropped).
    Hang,
    /// Reads the request and closes the connection without answering: to the client, a
    /// connection that broke after the request went out.
    Close,
    /// Sends the status line and headers, then `size` bytes of body in chunks.
    Huge(usize),
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Reply::Json(status, body.to_string(), Vec::new())
    }
}

/// A request as the server read it.
pub struct Request {
    /// The request line and header lines, as sent.
    pub head: String,
    /// How many requests the server had read before this one.
    pub index: usize,
    /// The body, as sent.
    pub body: Vec<u8>,
}

impl Request {
    pub fn method(&self) -> &str {
        self.head.split_whitespace().next().unwrap_or_default()
    }

    /// The request target without its query.
    pub fn path(&self) -> &str {
        let target = self.head.split_whitespace().nth(1).unwrap_or_default();
        target.split('?').next().unwrap_or_default()
    }

    /// The query string, without the `?` (empty when there is none).
    pub fn query(&self) -> &str {
        let target = self.head.split_whitespace().nth(1).unwrap_or_default();
        target.split_once('?').map_or("", |(_, query)| query)
    }

    /// The value of the first header with this name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then_some(value.trim())
        })
    }
}

type Answer = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct Server {
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    addr: String,
}

impl Server {
    /// The n-th request gets `replies[n]`, the last one repeating.
    pub fn start(replies: Vec<Reply>) -> Self {
        Self::start_on("127.0.0.1", replies)
    }

    /// As [`Server::start`], on another loopback address (127.0.0.2: another host to a client).
    pub fn start_on(ip: &str, replies: Vec<Reply>) -> Self {
        Self::start_at(&format!("{ip}:0"), replies).expect("a free local port")
    }

    /// As [`Server::start`], at an exact address (`127.0.0.2:8080`, say: the port of a server
    /// on another loopback address, so that a client's choice of address is what decides).
    pub fn start_at(addr: &str, replies: Vec<Reply>) -> std::io::Result<Self> {
        let answer = move |request: &Request| replies[request.index.min(replies.len() - 1)].clone();
        Self::bind(addr, Arc::new(answer))
    }

    /// Each request gets what `answer` makes of it.
    pub fn answering(
        answer: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        Self::bind("127.0.0.1:0", Arc::new(answer))
    }

    fn bind(addr: &str, answer: Arc<Answer>) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?.to_string();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, c, s) = (requests.clone(), connections.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                c.fetch_add(1, Ordering::Relaxed);
                let (r, s, answer) = (r.clone(), s.clone(), answer.clone());
                std::thread::spawn(move || serve(stream, &r, &s, &*answer));
            }
        });
        Ok(Self {
            url: format!("http://{addr}"),
            requests,
            connections,
            stop,
            addr,
        })
    }

    /// The head (request line and headers) of every request, in arrival order.
    pub fn requests(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(&self.addr);
    }
}

fn serve(stream: TcpStream, requests: &Mutex<Vec<String>>, stop: &AtomicBool, answer: &Answer) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut reader = BufReader::new(stream.try_clone().expect("a socket clones"));
    let mut writer = stream;
    loop {
        let mut head = String::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            head.push_str(&line);
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let index = {
            let mut all = requests.lock().unwrap_or_else(|e| e.into_inner());
            all.push(head.clone());
            all.len() - 1
        };
        let keep = match answer(&Request { head, index, body }) {
            Reply::Raw(bytes) => {
                let _ = writer.write_all(&bytes);
                !String::from_utf8_lossy(&bytes)
                    .to_ascii_lowercase()
                    .contains("connection: close")
            }
            Reply::Json(status, body, extra) => {
                let mut text = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
                    body.len()
                );
                for line in extra {
                    text.push_str(&line);
                    text.push_str("\r\n");
                }
                text.push_str("\r\n");
                text.push_str(&body);
                // One write: a response split over several small writes waits on delayed ACKs.
                writer.write_all(text.as_bytes()).is_ok()
            }
            Reply::Close => false,
            Reply::Hang => {
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(20));
                }
                false
            }
            Reply::Huge(size) => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n"
                );
                let chunk = vec![b' '; 1 << 16];
                let mut sent = 0;
                let mut ok = writer.write_all(head.as_bytes()).is_ok();
                while ok && sent < size {
                    let n = chunk.len().min(size - sent);
                    ok = writer.write_all(&chunk[..n]).is_ok();
                    sent += n;
                }
                false
            }
        };
        if !keep {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_gives_its_method_path_query_and_headers() {
        let request = Request {
            head: "GET /api/v0/users/?owner=me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n"
                .into(),
            index: 0,
            body: b"{}".to_vec(),
        };
        assert_eq!(request.method(), "GET");
        assert_eq!(request.path(), "/api/v0/users/");
        assert_eq!(request.query(), "owner=me");
        assert_eq!(request.header("authorization"), Some("Bearer k"));
        assert_eq!(request.header("accept"), None);
    }
}
