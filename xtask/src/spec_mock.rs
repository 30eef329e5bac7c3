//! A mock for `cargo xtask try-spec` and `bench`: it answers every operation of a spec with the
//! example of its success response and records each request it saw; it stops when dropped.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use vast_test_servers::http::{Reply, Server};

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
    _server: Server,
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
        let seen = Arc::new(Mutex::new(Vec::new()));
        let keep = seen.clone();
        let server = Server::answering(move |request| {
            let (method, path) = (request.method(), request.path());
            keep.lock().unwrap_or_else(|e| e.into_inner()).push(Seen {
                method: method.to_string(),
                path: path.to_string(),
                authorization: request.header("authorization").map(str::to_string),
                query: request.query().to_string(),
                body: String::from_utf8_lossy(&request.body).into_owned(),
            });
            match routes
                .iter()
                .find(|r| r.method == method && path_matches(&r.path, path))
            {
                Some(route) => Reply::json(200, &route.body),
                None => Reply::json(404, r#"{"msg": "no such operation in the spec"}"#),
            }
        })?;
        Ok(Self {
            url: server.url.clone(),
            seen,
            _server: server,
        })
    }

    /// The last request the server saw.
    pub fn last(&self) -> Option<Seen> {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .last()
            .cloned()
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
