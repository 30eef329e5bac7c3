//! Reading an OpenAPI document held as JSON: where things are in it, its `$ref`s, its operations
//! and their success responses, and its path templates. The normaliser, the generator and the
//! tasks that run a spec all read documents through this module.

use std::fmt;

use serde_json::Value;

/// Where something is in the document, printed as dotted keys:
/// `paths./api/v0/auth/apikeys/.get.responses.401`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location(Vec<String>);

impl Location {
    pub fn root() -> Self {
        Self::default()
    }

    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut segments = self.0.clone();
        segments.push(key.into());
        Self(segments)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document root)");
        }
        f.write_str(&self.0.join("."))
    }
}

/// Follows `$ref`s within the document (`#/components/...`), through chains; a reference that
/// leads nowhere is returned as it is, for the generator to report.
pub fn resolve<'a>(mut value: &'a Value, doc: &'a Value) -> &'a Value {
    // More links than any real document chains: a reference cycle stops here.
    for _ in 0..32 {
        let Some(target) = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| doc.pointer(pointer))
        else {
            break;
        };
        value = target;
    }
    value
}

/// The HTTP methods an OpenAPI path item can hold, in the order progenitor visits them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation in the document, read-only: (path, method, operation), paths in document
/// order and methods in [`METHODS`] order.
pub fn operations(doc: &Value) -> impl Iterator<Item = (&str, &'static str, &Value)> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter_map(move |method| Some((path.as_str(), *method, item.get(*method)?)))
        })
}

/// Calls `f` for every operation in the document, in document order.
pub fn for_each_operation(
    doc: &mut Value,
    mut f: impl FnMut(&Location, &mut serde_json::Map<String, Value>),
) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            if let Some(operation) = operation.as_object_mut() {
                let at = Location::root().key("paths").key(path).key(method);
                f(&at, operation);
            }
        }
    }
}

/// The JSON schema of the first success response of the operation with this id.
#[cfg(test)]
pub fn success_schema(doc: &Value, operation_id: &str) -> Option<Value> {
    success_schema_of(operation(doc, operation_id)?.1)
}

/// The path of the operation with this id, as the spec spells it.
pub fn operation_path(doc: &Value, operation_id: &str) -> Option<String> {
    Some(operation(doc, operation_id)?.0.to_string())
}

/// The path and the operation with this id.
fn operation<'a>(doc: &'a Value, operation_id: &str) -> Option<(&'a str, &'a Value)> {
    operations(doc)
        .find(|(_, _, op)| op.get("operationId").and_then(Value::as_str) == Some(operation_id))
        .map(|(path, _, op)| (path, op))
}

/// The JSON schema of an operation's first success response.
pub fn success_schema_of(op: &Value) -> Option<Value> {
    op.get("responses")?
        .as_object()?
        .iter()
        .find(|(status, _)| status.starts_with('2'))?
        .1
        .pointer("/content/application~1json/schema")
        .cloned()
}

/// The `{name}` segments of a path, in order.
pub fn path_params(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(String::from)
        .collect()
}

/// Whether a request path is an instance of a spec path: `{name}` segments match any segment.
pub fn path_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}')) || t == p)
}

/// The path with its `{…}` segments named `names`, in order.
pub fn with_params(path: &str, names: &[String]) -> String {
    let mut names = names.iter();
    path.split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                names
                    .next()
                    .map_or_else(|| s.to_string(), |n| format!("{{{n}}}"))
            } else {
                s.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}
