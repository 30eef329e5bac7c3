//! `subset.toml`: generating only some of the spec's operations, so that users who need a few
//! compile only those (as swift-openapi-generator's document filter and the Haskell generator's
//! operation filters do). The file sits beside `openapi.yaml`:
//!
//! ```toml
//! operations = ["show_instances", "createInstance"]  # Rust name (names.toml) or operationId
//! tags = ["Billing"]
//! paths = ["/api/v0/instances"]  # whole segments; `{…}` matches any parameter
//! ```
//!
//! An operation is kept when any entry matches it. It is applied to the normalised document,
//! whose operations were all named first, so `names.toml` and every name stay what the whole spec
//! gives, with or without a subset. The components nothing kept refers to are dropped, or
//! progenitor would still generate their types.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::names::Naming;
use crate::openapi::{Location, METHODS};

pub const FILE: &str = "subset.toml";

/// Always kept: the demo, the library's examples, the README and the tests call it.
const ALWAYS_KEPT: &str = "show_api_keys";

/// The component kinds an operation reaches through `$ref`, and that are dropped when nothing
/// kept reaches them. Others (security schemes) hold no types.
const PRUNED: [&str; 4] = ["schemas", "responses", "parameters", "requestBodies"];

/// The entries of `subset.toml`.
#[derive(Debug, Default)]
pub struct Subset {
    operations: Vec<String>,
    tags: Vec<String>,
    paths: Vec<String>,
}

/// How many operations a subset kept, of how many the spec has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kept {
    pub kept: usize,
    pub of: usize,
}

/// One operation, as entries match it.
struct Operation<'a> {
    path: &'a str,
    method: &'static str,
    rust: &'a str,
    operation_id: Option<&'a str>,
    tags: Vec<&'a str>,
}

impl Subset {
    /// The workspace's `subset.toml`; none means the whole spec.
    pub fn load(root: &Path) -> Result<Option<Subset>, String> {
        match std::fs::read_to_string(root.join(FILE)) {
            Ok(text) => Subset::parse(&text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{FILE}: cannot read: {e}")),
        }
    }

    pub fn parse(text: &str) -> Result<Subset, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map_or(1, |span| text[..span.start].matches('\n').count() + 1);
            format!("{FILE}: line {line}: {}", e.message())
        })?;
        let mut subset = Subset::default();
        for (key, value) in table {
            let list = match key.as_str() {
                "operations" => &mut subset.operations,
                "tags" => &mut subset.tags,
                "paths" => &mut subset.paths,
                _ => {
                    return Err(format!(
                        "{FILE}: unknown key `{key}`{}: the keys are `operations`, `tags` and `paths`",
                        did_you_mean(&key, ["operations", "tags", "paths"])
                    ));
                }
            };
            *list = value
                .as_array()
                .and_then(|items| {
                    items
                        .iter()
                        .map(|item| item.as_str().map(String::from))
                        .collect()
                })
                .ok_or_else(|| {
                    format!("{FILE}: `{key}` must be a list of strings, as `{key} = [\"…\"]`")
                })?;
        }
        Ok(subset)
    }

    /// Drops from `doc` the operations no entry matches, then the components only they used.
    /// An entry that matches nothing is refused: it is a typo, or the spec no longer has it.
    pub fn apply(&self, doc: &mut Value, naming: &Naming) -> Result<Kept, String> {
        let ops = operations(doc, naming);
        let keys = [
            ("operations", &self.operations),
            ("tags", &self.tags),
            ("paths", &self.paths),
        ];
        for (key, entries) in keys {
            for entry in entries {
                if !ops.iter().any(|op| matches(key, entry, op)) {
                    return Err(no_match(key, entry, &ops));
                }
            }
        }
        let (kept, dropped): (Vec<_>, Vec<_>) = ops.iter().partition(|op| {
            op.rust == ALWAYS_KEPT
                || keys
                    .iter()
                    .any(|(key, entries)| entries.iter().any(|e| matches(key, e, op)))
        });
        let kept = Kept {
            kept: kept.len(),
            of: ops.len(),
        };
        let dropped: Vec<(String, &str)> = dropped
            .iter()
            .map(|op| (op.path.to_string(), op.method))
            .collect();
        let paths = doc
            .get_mut("paths")
            .and_then(Value::as_object_mut)
            .expect("the document has the operations just read");
        for (path, method) in dropped {
            let item = paths[&path]
                .as_object_mut()
                .expect("an operation's path item");
            item.remove(method);
            if !item.keys().any(|k| METHODS.contains(&k.as_str())) {
                paths.remove(&path);
            }
        }
        prune_components(doc);
        Ok(kept)
    }
}

/// Every named operation of the normalised document.
fn operations<'a>(doc: &'a Value, naming: &'a Naming) -> Vec<Operation<'a>> {
    crate::openapi::operations(doc)
        .filter_map(|(path, method, op)| {
            let named = naming.of(&Location::root().key("paths").key(path).key(method))?;
            Some(Operation {
                path,
                method,
                rust: &named.rust,
                operation_id: named.operation_id.as_deref(),
                tags: op
                    .get("tags")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect(),
            })
        })
        .collect()
}

fn matches(key: &str, entry: &str, op: &Operation) -> bool {
    match key {
        "operations" => op.rust == entry || op.operation_id == Some(entry),
        "tags" => op.tags.contains(&entry),
        _ => is_prefix(entry, op.path),
    }
}

/// Whether `prefix` is the first whole segments of `path` (a trailing `/` does not count); a
/// `{…}` segment matches any parameter segment, whatever its name, as the vendor renames them.
fn is_prefix(prefix: &str, path: &str) -> bool {
    let (prefix, path): (Vec<&str>, Vec<&str>) = (
        prefix.trim_end_matches('/').split('/').collect(),
        path.trim_end_matches('/').split('/').collect(),
    );
    let is_param = |s: &str| s.starts_with('{') && s.ends_with('}');
    prefix.len() <= path.len()
        && prefix
            .iter()
            .zip(&path)
            .all(|(a, b)| a == b || is_param(a) && is_param(b))
}

/// The error for an entry that matches nothing, with the closest thing the spec has.
fn no_match(key: &str, entry: &str, ops: &[Operation]) -> String {
    let candidates: Vec<String> = match key {
        "operations" => ops
            .iter()
            .flat_map(|op| std::iter::once(op.rust).chain(op.operation_id))
            .map(String::from)
            .collect(),
        "tags" => ops
            .iter()
            .flat_map(|op| op.tags.iter().map(|t| t.to_string()))
            .collect(),
        // The paths cut to the entry's length: a mistyped prefix is close to a prefix.
        _ => {
            let segments = entry.trim_end_matches('/').split('/').count();
            ops.iter()
                .map(|op| {
                    op.path
                        .split('/')
                        .take(segments)
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .collect()
        }
    };
    let what = match key {
        "operations" => "no operation has this Rust name (names.toml lists them) or operationId",
        "tags" => "no operation has this tag",
        _ => "no operation's path starts with these segments",
    };
    format!(
        "{FILE}: {key}: `{entry}`: {what}{}; correct the entry or remove it",
        did_you_mean(entry, candidates.iter().map(String::as_str))
    )
}

/// `; did you mean `x`?` for the candidate closest to `text`, if one is close.
fn did_you_mean<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(text, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(String::new, |(_, c)| format!("; did you mean `{c}`?"))
}

/// Drops the components of the [`PRUNED`] kinds that nothing else in the document reaches
/// through `$ref`, directly or through other components.
fn prune_components(doc: &mut Value) {
    let mut todo = Vec::new();
    for (key, value) in doc.as_object().into_iter().flatten() {
        match (key.as_str(), value.as_object()) {
            ("components", Some(kinds)) => kinds
                .iter()
                .filter(|(kind, _)| !PRUNED.contains(&kind.as_str()))
                .for_each(|(_, v)| refs(v, &mut todo)),
            _ => refs(value, &mut todo),
        }
    }
    let mut reached = BTreeSet::new();
    while let Some(pointer) = todo.pop() {
        if let Some(target) = doc.pointer(&pointer)
            && reached.insert(pointer.clone())
        {
            refs(target, &mut todo);
        }
    }
    for kind in PRUNED {
        if let Some(map) = doc
            .pointer_mut(&format!("/components/{kind}"))
            .and_then(Value::as_object_mut)
        {
            map.retain(|name, _| {
                let name = name.replace('~', "~0").replace('/', "~1");
                reached.contains(&format!("/components/{kind}/{name}"))
            });
        }
    }
}

/// Adds each `$ref` in `value` to `out`, as a JSON pointer to the component it points into
/// (`#/components/schemas/A/properties/b` is `/components/schemas/A`).
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(component) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/"))
            {
                let parts: Vec<&str> = component.splitn(3, '/').take(2).collect();
                out.push(format!("/components/{}", parts.join("/")));
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}
