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
    /// What was accepted although a strict reader would refuse it, each with its location.
    pub warnings: Vec<String>,
}

pub fn load(path: &Path, display: &Path) -> Result<Spec, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{}: cannot read the spec: {e}", display.display()))?;
    from_bytes(&bytes, display)
}

/// A spec from its bytes; `display` names it in messages.
pub fn from_bytes(bytes: &[u8], display: &Path) -> Result<Spec, String> {
    let mut warnings = Vec::new();
    let doc = parse(bytes, &mut warnings).map_err(|e| format!("{}: {e}", display.display()))?;
    if !doc.is_object() {
        return Err(format!(
            "{}: not an OpenAPI document: the top level is not a mapping",
            display.display()
        ));
    }
    Ok(Spec {
        display: display.to_path_buf(),
        sha256: sha256_hex(bytes),
        doc,
        warnings: warnings
            .into_iter()
            .map(|w| format!("{}: {w}", display.display()))
            .collect(),
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// JSON first, then YAML, as progenitor's own loaders do; a document that looks like JSON
/// reports the JSON error, anything else the YAML one. Both go through [`Node`], which keeps the
/// last of repeated keys and notes each in `warnings`.
fn parse(bytes: &[u8], warnings: &mut Vec<String>) -> Result<Value, String> {
    use serde::de::DeserializeSeed;
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let mut at = Vec::new();
    if trimmed.starts_with('{') {
        let mut json = serde_json::Deserializer::from_str(trimmed);
        let doc = Node::new(&mut at, warnings)
            .deserialize(&mut json)
            .and_then(|doc| json.end().map(|()| doc))
            .map_err(|e| format!("invalid JSON: {e}"))?;
        return Ok(doc);
    }
    Node::new(&mut at, warnings)
        .deserialize(yaml_serde::Deserializer::from_str(text))
        .map_err(|e| format!("invalid YAML: {e}"))
}

/// Reads one node of the document into JSON, knowing where it is.
///
/// YAML allows non-string keys (`200:` is an integer); OpenAPI means them as strings, so scalar
/// keys become their text. A repeated key is an error to strict YAML and JSON readers, but the
/// vendor builds its files with Python tooling whose loader keeps the last value, and publishes
/// and renders them that way: so the last value is kept here too, with a warning naming where.
/// A tag (`!foo value`) is read as its value. Anything with no JSON meaning is refused with its
/// location.
struct Node<'a> {
    at: &'a mut Vec<String>,
    warnings: &'a mut Vec<String>,
}

impl<'a> Node<'a> {
    fn new(at: &'a mut Vec<String>, warnings: &'a mut Vec<String>) -> Self {
        Self { at, warnings }
    }

    fn child(&mut self) -> Node<'_> {
        Node {
            at: self.at,
            warnings: self.warnings,
        }
    }

    fn place(&self) -> String {
        if self.at.is_empty() {
            "(document root)".into()
        } else {
            self.at.join(".")
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML or JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }

    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(n)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{}: the number {n} has no JSON form", self.place())))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            self.at.push(out.len().to_string());
            let item = seq.next_element_seed(self.child());
            self.at.pop();
            match item? {
                Some(item) => out.push(item),
                None => return Ok(Value::Array(out)),
            }
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        let mut merged = Vec::new();
        while let Some(key) = map.next_key_seed(Key(self.place()))? {
            self.at.push(key.clone());
            let value = map.next_value_seed(self.child());
            // YAML's merge key (`<<: *base`): the base's keys, unless the mapping has its own.
            if key == "<<" {
                self.at.pop();
                merged.push(value?);
                continue;
            }
            if value.is_ok() && out.contains_key(&key) {
                let place = self.place();
                self.warnings.push(format!(
                    "{place}: the key is repeated; the last value is kept, as the vendor's tooling reads it"
                ));
            }
            self.at.pop();
            out.insert(key, value?);
        }
        for base in merged {
            let bases = match base {
                Value::Array(bases) => bases,
                base => vec![base],
            };
            for base in bases {
                let Value::Object(base) = base else {
                    return Err(serde::de::Error::custom(format!(
                        "{}.<<: a merge key takes a mapping or a list of mappings",
                        self.place()
                    )));
                };
                for (key, value) in base {
                    out.entry(key).or_insert(value);
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, value): (serde::de::IgnoredAny, _) = data.variant()?;
        value.newtype_variant_seed(self)
    }
}

/// A mapping key: a string, or a scalar read as its text.
struct Key(String);

impl<'de> serde::de::DeserializeSeed<'de> for Key {
    type Value = String;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl serde::de::Visitor<'_> for Key {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a string key in {}", self.0)
    }

    fn visit_str<E>(self, s: &str) -> Result<String, E> {
        Ok(s.to_string())
    }

    fn visit_bool<E>(self, b: bool) -> Result<String, E> {
        Ok(b.to_string())
    }

    fn visit_i64<E>(self, n: i64) -> Result<String, E> {
        Ok(n.to_string())
    }

    fn visit_u64<E>(self, n: u64) -> Result<String, E> {
        Ok(n.to_string())
    }

    fn visit_f64<E>(self, n: f64) -> Result<String, E> {
        Ok(n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_integer_status_keys_become_strings() {
        let doc = parse(
            b"responses:\n  200:\n    description: ok\n",
            &mut Vec::new(),
        )
        .unwrap();
        assert_eq!(doc["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn json_is_read_as_json() {
        let doc = parse(br#"{"openapi": "3.0.3", "paths": {}}"#, &mut Vec::new()).unwrap();
        assert_eq!(doc["openapi"], "3.0.3");
    }

    #[test]
    fn invalid_yaml_names_the_line() {
        let err = parse(b"openapi: 3.0.3\npaths: [\n", &mut Vec::new()).unwrap_err();
        assert!(err.starts_with("invalid YAML: "), "{err}");
        assert!(err.contains("line"), "{err}");
    }

    #[test]
    fn invalid_json_is_reported_as_json() {
        let err = parse(b"{\"openapi\": }", &mut Vec::new()).unwrap_err();
        assert!(err.starts_with("invalid JSON: "), "{err}");
    }

    #[test]
    fn a_repeated_key_keeps_the_last_value_with_a_warning() {
        let mut warnings = Vec::new();
        let doc = parse(
            b"paths:\n  /a:\n    get:\n      operationId: first\n      summary: s\n      operationId: second\n",
            &mut warnings,
        )
        .unwrap();
        assert_eq!(doc["paths"]["/a"]["get"]["operationId"], "second");
        assert_eq!(doc["paths"]["/a"]["get"]["summary"], "s");
        assert_eq!(
            warnings,
            [
                "paths./a.get.operationId: the key is repeated; the last value is kept, as the vendor's tooling reads it"
            ]
        );
    }

    #[test]
    fn a_repeated_key_in_json_is_read_the_same_way() {
        let mut warnings = Vec::new();
        let doc = parse(
            br#"{"info": {"title": "a", "title": "b"}, "x": [1, {"k": 1, "k": 2}]}"#,
            &mut warnings,
        )
        .unwrap();
        assert_eq!(doc["info"]["title"], "b");
        assert_eq!(doc["x"][1]["k"], 2);
        assert_eq!(warnings.len(), 2);
        assert!(
            warnings[1].starts_with("x.1.k: the key is repeated"),
            "{warnings:?}"
        );
    }

    #[test]
    fn the_warning_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spec.yaml");
        std::fs::write(&path, "openapi: 3.0.3\nopenapi: 3.0.3\n").unwrap();
        let spec = load(&path, Path::new("openapi.yaml")).unwrap();
        assert_eq!(
            spec.warnings,
            [
                "openapi.yaml: openapi: the key is repeated; the last value is kept, as the vendor's tooling reads it"
            ]
        );
    }

    #[test]
    fn tags_anchors_and_odd_keys_read_as_before() {
        let doc = parse(
            b"a: &x {k: 1}\nb: *x\nc: !custom 5\n1.5: f\ntrue: t\n",
            &mut Vec::new(),
        )
        .unwrap();
        assert_eq!(doc["b"]["k"], 1);
        assert_eq!(doc["c"], 5);
        assert_eq!(doc["1.5"], "f");
        assert_eq!(doc["true"], "t");
        let err = parse(b"? [1, 2]\n: x\n", &mut Vec::new()).unwrap_err();
        assert!(err.starts_with("invalid YAML: "), "{err}");
    }

    #[test]
    fn merge_keys_fill_in_what_the_mapping_does_not_say() {
        let doc = parse(
            b"base: &base {summary: s, responses: {'200': {description: ok}}}\nop:\n  <<: *base\n  summary: mine\nboth:\n  <<: [*base, {tags: [t]}]\n",
            &mut Vec::new(),
        )
        .unwrap();
        assert_eq!(doc["op"]["summary"], "mine");
        assert_eq!(doc["op"]["responses"]["200"]["description"], "ok");
        assert!(doc["op"].get("<<").is_none());
        assert_eq!(doc["both"]["tags"][0], "t");
        let err = parse(b"a:\n  <<: 5\n", &mut Vec::new()).unwrap_err();
        assert!(err.contains("a.<<: a merge key takes a mapping"), "{err}");
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
