//! A raw HTTP/1.1 server for the cases httpmock cannot express: bodies that break off, servers
//! that never answer, huge or invalid bytes, redirects to another address, connection counting.
//! 127.0.0.x only; it stops when dropped.

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
    /// Sends the status line and headers, then `size` bytes of body in chunks.
    Huge(usize),
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Reply::Json(status, body.to_string(), Vec::new())
    }
}

pub struct RawServer {
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    addr: String,
}

impl RawServer {
    /// The n-th request gets `replies[n]`, the last one repeating.
    pub fn start(replies: Vec<Reply>) -> Self {
        Self::start_on("127.0.0.1", replies)
    }

    pub fn start_on(ip: &str, replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind((ip, 0)).expect("a free local port");
        let addr = listener.local_addr().unwrap().to_string();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let replies = Arc::new(replies);
        let (r, c, s) = (requests.clone(), connections.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                c.fetch_add(1, Ordering::Relaxed);
                let (r, s, replies) = (r.clone(), s.clone(), replies.clone());
                std::thread::spawn(move || serve(stream, &r, &s, &replies));
            }
        });
        Self {
            url: format!("http://{addr}"),
            requests,
            connections,
            stop,
            addr,
        }
    }

    /// The head (request line and headers) of every request, in arrival order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(&self.addr);
    }
}

fn serve(stream: TcpStream, requests: &Mutex<Vec<String>>, stop: &AtomicBool, replies: &[Reply]) {
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
            let mut all = requests.lock().unwrap();
            all.push(head);
            all.len() - 1
        };
        let reply = &replies[index.min(replies.len() - 1)];
        let keep = match reply {
            Reply::Raw(bytes) => {
                let _ = writer.write_all(bytes);
                !String::from_utf8_lossy(bytes)
                    .to_ascii_lowercase()
                    .contains("connection: close")
            }
            Reply::Json(status, body, extra) => {
                let mut text = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
                    body.len()
                );
                for line in extra {
                    text.push_str(line);
                    text.push_str("\r\n");
                }
                text.push_str("\r\n");
                text.push_str(body);
                writer.write_all(text.as_bytes()).is_ok()
            }
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
                while ok && sent < *size {
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
