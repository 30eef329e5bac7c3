//! Reading a spec file (JSON or YAML) into a JSON value the normaliser can rewrite.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// A spec file as read from disk: its bytes' hash (recorded in the generated headers) and its document.
pub struct Spec {
    /// The path as the user should see it in messages.
    pub display: PathBuf,
    pub sha256: String,
    pub doc: Value,
}

pub fn load(path: &Path, display: &Path) -> Result<Spec, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{}: cannot read the spec: {e}", display.display()))?;
    let doc = parse(&bytes).map_err(|e| format!("{}: {e}", display.display()))?;
    if !doc.is_object() {
        return Err(format!(
            "{}: not an OpenAPI document: the top level is not a mapping",
            display.display()
        ));
    }
    Ok(Spec {
        display: display.to_path_buf(),
        sha256: sha256_hex(&bytes),
        doc,
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// JSON first, then YAML, as progenitor's own loaders do; a document that looks like JSON
/// reports the JSON error, anything else the YAML one.
fn parse(bytes: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).map_err(|e| format!("invalid JSON: {e}"));
    }
    let yaml: yaml_serde::Value =
        yaml_serde::from_str(text).map_err(|e| format!("invalid YAML: {e}"))?;
    yaml_to_json(yaml, &mut Vec::new())
}

/// YAML allows non-string keys (`200:` is an integer); OpenAPI means them as strings, so scalar keys
/// become their text. Anything that has no JSON meaning is refused with its location.
fn yaml_to_json(value: yaml_serde::Value, at: &mut Vec<String>) -> Result<Value, String> {
    use yaml_serde::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| format!("{}: the number {n} has no JSON form", at.join(".")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                at.push(i.to_string());
                out.push(yaml_to_json(item, at)?);
                at.pop();
            }
            Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (key, item) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(format!(
                            "{}: a mapping key must be a string, found {other:?}",
                            at.join(".")
                        ));
                    }
                };
                at.push(key.clone());
                let item = yaml_to_json(item, at)?;
                at.pop();
                out.insert(key, item);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_integer_status_keys_become_strings() {
        let doc = parse(b"responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(doc["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn json_is_read_as_json() {
        let doc = parse(br#"{"openapi": "3.0.3", "paths": {}}"#).unwrap();
        assert_eq!(doc["openapi"], "3.0.3");
    }

    #[test]
    fn invalid_yaml_names_the_line() {
        let err = parse(b"openapi: 3.0.3\npaths: [\n").unwrap_err();
        assert!(err.starts_with("invalid YAML: "), "{err}");
        assert!(err.contains("line"), "{err}");
    }

    #[test]
    fn invalid_json_is_reported_as_json() {
        let err = parse(b"{\"openapi\": }").unwrap_err();
        assert!(err.starts_with("invalid JSON: "), "{err}");
    }

    #[test]
    fn missing_file_names_the_file() {
        let err = load(Path::new("/nonexistent/spec.yaml"), Path::new("spec.yaml"))
            .err()
            .unwrap();
        assert!(
            err.starts_with("spec.yaml: cannot read the spec: "),
            "{err}"
        );
    }
}
