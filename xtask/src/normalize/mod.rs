//! Rewrites that turn a vendor spec into a document progenitor accepts.
//!
//! Each rule is keyed on OpenAPI constructs, never on this API's paths or names, lives in its own
//! module with its own fixture tests, and reports every change it makes as a [`Rewrite`] so that
//! `cargo xtask gen` can print one line per change.

mod openapi_31;
mod operation_ids;
mod optional_nulls;
mod response_shapes;
mod walk;

use std::fmt;

use serde_json::Value;

pub use walk::Location;

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
/// schemas), operation ids before response merging (merged types are named after the operation),
/// optional nulls last (it also covers the merged schemas).
pub fn normalize(doc: &mut Value) -> Result<Vec<Rewrite>, String> {
    let mut rewrites = Vec::new();
    openapi_31::apply(doc, &mut rewrites)?;
    operation_ids::apply(doc, &mut rewrites);
    response_shapes::apply(doc, &mut rewrites)?;
    optional_nulls::apply(doc, &mut rewrites);
    Ok(rewrites)
}

/// The HTTP methods an OpenAPI path item can hold, in the order progenitor visits them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

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
