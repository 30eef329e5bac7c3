//! A small HTTP server for `cargo xtask try-spec` and `bench`: it answers every operation of a
//! spec with the example of its success response and records each request it saw. Plain std
//! networking, a thread per connection, keep-alive, 127.0.0.1 only; it stops when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::examples;
use crate::openapi::path_matches;

/// A request as the server saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    /// The query string, without the `?`.
    pub query: String,
    pub body: String,
}

pub struct SpecMock {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
}

/// What the server answers to a method and path (a spec path: `{name}` matches any segment).
pub struct Route {
    pub method: String,
    pub path: String,
    pub body: String,
}

impl SpecMock {
    /// Answers every operation of the spec with its success response's example.
    pub fn start(doc: &Value) -> std::io::Result<Self> {
        Self::serve(routes(doc))
    }

    /// Answers these routes with 200 and their bodies; anything else with 404.
    pub fn serve(routes: Vec<Route>) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let url = format!("http://{}", listener.local_addr()?);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        let routes = Arc::new(routes);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::Relaxed) {
                    break;
                }
                if let Ok(stream) = stream {
                    let _ = stream.set_nodelay(true);
                    let (routes, seen) = (routes.clone(), seen2.clone());
                    std::thread::spawn(
                        move || while let Ok(true) = answer(&stream, &routes, &seen) {},
                    );
                }
            }
        });
        Ok(Self { url, seen, stop })
    }
}

impl SpecMock {
    /// The last request the server saw.
    pub fn last(&self) -> Option<Seen> {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .last()
            .cloned()
    }
}

impl Drop for SpecMock {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

pub fn routes(doc: &Value) -> Vec<Route> {
    crate::openapi::operations(doc)
        .map(|(path, method, op)| {
            // The response's own example first, as Prism serves it; else one built from the schema.
            let media = op
                .get("responses")
                .and_then(Value::as_object)
                .and_then(|r| r.iter().find(|(status, _)| status.starts_with('2')))
                .and_then(|(_, response)| response.pointer("/content/application~1json"));
            let given = media.and_then(|m| {
                m.get("example").cloned().or_else(|| {
                    m.get("examples")?
                        .as_object()?
                        .values()
                        .find_map(|e| crate::openapi::resolve(e, doc).get("value").cloned())
                })
            });
            let body = given
                .or_else(|| {
                    crate::openapi::success_schema_of(op)
                        .map(|schema| examples::example(&schema, doc))
                })
                .unwrap_or(Value::Null);
            Route {
                method: method.to_ascii_uppercase(),
                path: path.to_string(),
                body: body.to_string(),
            }
        })
        .collect()
}

/// Answers one request on the connection; `Ok(false)` when the client has closed it.
fn answer(stream: &TcpStream, routes: &[Route], seen: &Mutex<Vec<Seen>>) -> std::io::Result<bool> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(false);
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or_default().to_string(),
    );
    let mut authorization = None;
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "authorization" => authorization = Some(value.trim().to_string()),
                "content-length" => length = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let (path, query) = (path.to_string(), query.to_string());
    let (status, reply) = match routes
        .iter()
        .find(|r| r.method == method && path_matches(&r.path, &path))
    {
        Some(route) => ("200 OK", route.body.as_str()),
        None => (
            "404 Not Found",
            r#"{"msg": "no such operation in the spec"}"#,
        ),
    };
    seen.lock().unwrap_or_else(|e| e.into_inner()).push(Seen {
        method,
        path,
        authorization,
        query,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    // One write: a response split over several small writes waits on delayed ACKs.
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
        reply.len()
    );
    let mut stream = stream;
    stream.write_all(response.as_bytes())?;
    Ok(true)
}
