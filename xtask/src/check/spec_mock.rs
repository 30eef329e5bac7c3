//! A mock for `cargo xtask try-spec` and `bench`: it answers every operation of a spec with the
//! example of its success response and records each request it saw; it stops when dropped.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use vast_test_servers::http::{Reply, Server};

use crate::check::examples;
use crate::generate::openapi::path_matches;

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
    /// When the body names a next page (a top-level `next` or `next_<x>` field holding a
    /// token): the token, and the last page, answered to a request that sends the token back
    /// (the body with that field `null`), so that a client following pages comes to an end
    /// as with a server, rather than being handed the same token forever.
    pub last_page: Option<(String, String)>,
}

/// The next-page token of an example body and the body of the page after it, the last.
fn last_page(body: &Value) -> Option<(String, String)> {
    let fields = body.as_object()?;
    let (name, token) = fields.iter().find_map(|(name, value)| {
        let token = match value {
            Value::String(s) if !s.is_empty() => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        (name == "next" || name.starts_with("next_")).then(|| (name.clone(), token))
    })?;
    let mut last = fields.clone();
    last.insert(name, Value::Null);
    Some((token, Value::Object(last).to_string()))
}

/// Whether a query string (`a=1&b=x%3D`) has a parameter whose value, decoded, is `value`.
fn query_has_value(query: &str, value: &str) -> bool {
    query.split('&').any(|pair| {
        let encoded = pair.split_once('=').map_or("", |(_, v)| v);
        let bytes = encoded.as_bytes();
        let mut decoded = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                (b'%', Some(byte)) => {
                    decoded.push(byte);
                    i += 3;
                    continue;
                }
                (b'+', _) => decoded.push(b' '),
                (byte, _) => decoded.push(byte),
            }
            i += 1;
        }
        decoded == value.as_bytes()
    })
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
                // A trailing `/` does not count, as in names.toml's identities: a `vast` built
                // from another version of the spec (the bench's seed) is answered too.
                .find(|r| {
                    r.method == method
                        && path_matches(r.path.trim_end_matches('/'), path.trim_end_matches('/'))
                }) {
                Some(route) => match &route.last_page {
                    Some((token, last)) if query_has_value(request.query(), token) => {
                        Reply::json(200, last)
                    }
                    _ => Reply::json(200, &route.body),
                },
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
    crate::generate::openapi::operations(doc)
        .map(|(path, method, op)| {
            // The response's own example first, as Prism serves it; else one built from the schema.
            let media = op
                .get("responses")
                .and_then(Value::as_object)
                .and_then(|r| r.iter().find(|(status, _)| status.starts_with('2')))
                .and_then(|(_, response)| response.pointer("/content/application~1json"));
            let given = media.and_then(|m| {
                m.get("example").cloned().or_else(|| {
                    m.get("examples")?.as_object()?.values().find_map(|e| {
                        crate::generate::openapi::resolve(e, doc)
                            .get("value")
                            .cloned()
                    })
                })
            });
            let schema = crate::generate::openapi::success_schema_of(op);
            let body = match (given, &schema) {
                (Some(given), Some(schema)) => fit(given, schema, doc, 0),
                (Some(given), None) => given,
                (None, Some(schema)) => examples::example(schema, doc),
                (None, None) => Value::Null,
            };
            Route {
                method: method.to_ascii_uppercase(),
                path: path.to_string(),
                last_page: last_page(&body),
                body: body.to_string(),
            }
        })
        .collect()
}

/// A response example made to fit its schema where it gives one item for a list (the vendor's
/// `search offers` example has an offer object where its schema has a list of offers): the item
/// is wrapped in a list, at any depth, so the mock answers what the API would.
fn fit(example: Value, schema: &Value, doc: &Value, depth: usize) -> Value {
    let schema = crate::generate::openapi::resolve(schema, doc);
    if depth > 32 {
        return example;
    }
    match example {
        Value::Array(items) => {
            let item = schema.get("items").unwrap_or(&Value::Null);
            Value::Array(
                items
                    .into_iter()
                    .map(|v| fit(v, item, doc, depth + 1))
                    .collect(),
            )
        }
        one if schema.get("type").and_then(Value::as_str) == Some("array") && !one.is_null() => {
            fit(Value::Array(vec![one]), schema, doc, depth + 1)
        }
        Value::Object(fields) => {
            let properties = schema.get("properties");
            Value::Object(
                fields
                    .into_iter()
                    .map(|(name, v)| {
                        let field = properties
                            .and_then(|p| p.get(&name))
                            .unwrap_or(&Value::Null);
                        let fitted = fit(v, field, doc, depth + 1);
                        (name, fitted)
                    })
                    .collect(),
            )
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_item_given_for_a_list_is_wrapped_at_any_depth() {
        let doc = json!({"components": {"schemas": {"Offers": {"type": "array", "items": {"type": "object"}}}}});
        let schema = json!({"type": "object", "properties": {
            "offers": {"$ref": "#/components/schemas/Offers"},
            "ids": {"type": "array", "items": {"type": "integer"}},
            "name": {"type": "string"}
        }});
        let example = json!({"offers": {"id": 1}, "ids": [1, 2], "name": "x", "extra": {"a": 1}});
        assert_eq!(
            fit(example, &schema, &doc, 0),
            json!({"offers": [{"id": 1}], "ids": [1, 2], "name": "x", "extra": {"a": 1}})
        );
        assert_eq!(
            fit(json!(null), &schema["properties"]["ids"], &doc, 0),
            json!(null)
        );
    }

    #[test]
    fn the_page_an_example_names_next_is_the_last() {
        let body = json!({"instances": [{"id": 1}], "next_token": "eyJ2IjogMX0="});
        let (token, last) = last_page(&body).unwrap();
        assert_eq!(token, "eyJ2IjogMX0=");
        assert_eq!(
            serde_json::from_str::<Value>(&last).unwrap(),
            json!({"instances": [{"id": 1}], "next_token": null})
        );
        assert_eq!(
            last_page(&json!({"instances": [], "next_token": null})),
            None
        );
        assert!(query_has_value(
            "limit=5&after_token=eyJ2IjogMX0%3D",
            &token
        ));
        assert!(query_has_value("after_token=a+b", "a b"));
        assert!(!query_has_value("limit=5", &token));
    }
}
