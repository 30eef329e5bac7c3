//! Rewrites that turn a vendor spec into a document progenitor accepts.
//!
//! Each rule is keyed on OpenAPI constructs, never on this API's paths or names, lives in its own
//! module with its own fixture tests, and reports every change it makes as a [`Rewrite`] so that
//! `cargo xtask gen` can print one line per change.

mod auth_headers;
mod document_defects;
mod media_schemas;
mod mistyped_values;
mod openapi_31;
mod operation_ids;
mod optional_nulls;
mod query_objects;
mod response_shapes;
mod status_codes;
mod vendor_cli_usage;
mod walk;

use std::fmt;

use serde_json::Value;

pub use walk::{Location, resolve};

/// One change a rule made to the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Rewrite {
    pub rule: &'static str,
    pub at: Location,
    pub what: String,
}

impl fmt::Display for Rewrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.rule, self.at, self.what)
    }
}

/// The rules in the order they must run: version conversion first (the later rules read 3.0
/// schemas); bodies get schemas before responses are compared; operation ids before response
/// merging (merged types are named after the operation); optional nulls last (it covers merged
/// schemas).
pub fn normalize(doc: &mut Value) -> Result<Vec<Rewrite>, String> {
    let mut rewrites = Vec::new();
    openapi_31::apply(doc, &mut rewrites)?;
    document_defects::apply(doc, &mut rewrites);
    media_schemas::apply(doc, &mut rewrites);
    mistyped_values::apply(doc, &mut rewrites);
    query_objects::apply(doc, &mut rewrites);
    auth_headers::apply(doc, &mut rewrites);
    operation_ids::apply(doc, &mut rewrites);
    response_shapes::apply(doc, &mut rewrites)?;
    optional_nulls::apply(doc, &mut rewrites);
    Ok(rewrites)
}

/// What the httpmock helpers need beyond [`normalize`]: applied to a copy of the normalised
/// document that only the mock generator sees.
pub fn for_httpmock(doc: &mut Value) -> Vec<Rewrite> {
    let mut rewrites = Vec::new();
    status_codes::apply(doc, &mut rewrites);
    rewrites
}

/// What the CLI needs beyond [`normalize`]: applied to a copy of the normalised document that only
/// the CLI generator sees.
pub fn for_cli(doc: &mut Value) -> Vec<Rewrite> {
    let mut rewrites = Vec::new();
    vendor_cli_usage::apply(doc, &mut rewrites);
    rewrites
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

/// For the rules' tests: the document after `apply`, and its rewrites as printed.
#[cfg(test)]
fn rewritten(
    mut doc: Value,
    apply: impl FnOnce(&mut Value, &mut Vec<Rewrite>),
) -> (Value, Vec<String>) {
    let mut rewrites = Vec::new();
    apply(&mut doc, &mut rewrites);
    (doc, rewrites.iter().map(ToString::to_string).collect())
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
