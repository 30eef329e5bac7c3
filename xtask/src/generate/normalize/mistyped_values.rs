//! Rule `mistyped-values`: a schema's `default` or `example` whose JSON kind contradicts the
//! schema's `type` is read as its obvious value when there is one (`"64"` for an integer is 64;
//! `18.04`, which YAML reads as a number, for a string is `"18.04"`).
//!
//! Otherwise a default, which only documents, is dropped (progenitor refuses it). An example is
//! evidence of what the server sends (examples are often pasted from real responses, and mocks
//! such as Prism serve them), so the schema is widened to accept both: `oneOf` the declared
//! type and the example's kind.

use serde_json::{Map, Value, json};

use super::Change;
use super::walk::for_each_schema;
use crate::generate::openapi::Location;

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    for_each_schema(doc, &mut |at, schema| fix(at, schema, rewrites));
}

fn fits(kind: &str, value: &Value) -> bool {
    match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The value a mistyped default obviously means, if any.
fn coerce(kind: &str, value: &Value) -> Option<Value> {
    match (kind, value) {
        ("integer", Value::String(s)) => s.trim().parse::<i64>().ok().map(Value::from),
        ("integer", Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.fract() == 0.0)
            .map(|f| json!(f as i64)),
        ("number", Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number)),
        ("boolean", Value::String(s)) => s.trim().parse::<bool>().ok().map(Value::from),
        ("string", Value::Number(_) | Value::Bool(_)) => Some(Value::String(value.to_string())),
        _ => None,
    }
}

fn fix(at: &Location, schema: &mut Map<String, Value>, rewrites: &mut Vec<Change>) {
    let Some(kind) = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return;
    };
    let nullable = schema.get("nullable") == Some(&json!(true));
    for keyword in ["default", "example"] {
        let Some(value) = schema.get(keyword).cloned() else {
            continue;
        };
        if fits(&kind, &value) || (value.is_null() && nullable) {
            continue;
        }
        let what = match coerce(&kind, &value) {
            Some(read) => {
                let what = format!("{keyword} {value} is not a {kind}: read as {read}");
                schema.insert(keyword.into(), read);
                what
            }
            None if keyword == "example" => {
                let kind_of_example = json_kind(&value);
                let declared: Map<String, Value> = schema
                    .iter()
                    .filter(|(k, _)| {
                        !matches!(k.as_str(), "example" | "description" | "title" | "nullable")
                    })
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                schema.retain(|k, _| {
                    matches!(k.as_str(), "example" | "description" | "title" | "nullable")
                });
                schema.insert(
                    "oneOf".into(),
                    json!([Value::Object(declared), {"type": kind_of_example}]),
                );
                format!("example {value} is not a {kind}: accepts a {kind} or a {kind_of_example}")
            }
            None => {
                schema.remove(keyword);
                format!("{keyword} {value} is not a {kind}: dropped")
            }
        };
        rewrites.push(Change {
            at: at.clone(),
            what,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(schema: Value) -> (Value, Vec<String>) {
        let mut doc = json!({"components": {"schemas": {"S": schema}}});
        let mut rewrites = Vec::new();
        apply(&mut doc, &mut rewrites);
        (
            doc["components"]["schemas"]["S"].clone(),
            rewrites.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn obvious_values_are_read_and_the_rest_dropped() {
        let (s, lines) = run(json!({"type": "integer", "default": "64"}));
        assert_eq!(s, json!({"type": "integer", "default": 64}));
        assert_eq!(
            lines,
            ["components.schemas.S: default \"64\" is not a integer: read as 64"]
        );
        assert_eq!(
            run(json!({"type": "boolean", "default": "false"})).0["default"],
            false
        );
        assert_eq!(
            run(json!({"type": "string", "default": 5})).0["default"],
            "5"
        );
        assert_eq!(
            run(json!({"type": "integer", "default": 2.0})).0["default"],
            2
        );
        let (s, lines) = run(json!({"type": "array", "default": "none"}));
        assert_eq!(s, json!({"type": "array"}));
        assert_eq!(
            lines,
            ["components.schemas.S: default \"none\" is not a array: dropped"]
        );
    }

    #[test]
    fn examples_are_read_the_same_way() {
        let (s, lines) = run(json!({"type": "string", "example": 18.04}));
        assert_eq!(s, json!({"type": "string", "example": "18.04"}));
        assert_eq!(
            lines,
            ["components.schemas.S: example 18.04 is not a string: read as \"18.04\""]
        );
        let (s, lines) = run(json!({"type": "object", "description": "filters",
            "properties": {"gpu": {"type": "string"}}, "example": "verified=true rentable=true"}));
        assert_eq!(
            s,
            json!({"description": "filters", "example": "verified=true rentable=true",
                   "oneOf": [{"type": "object", "properties": {"gpu": {"type": "string"}}}, {"type": "string"}]})
        );
        assert_eq!(
            lines,
            [
                "components.schemas.S: example \"verified=true rentable=true\" is not a object: accepts a object or a string"
            ]
        );
    }

    #[test]
    fn fitting_defaults_are_left_alone() {
        for schema in [
            json!({"type": "integer", "default": 3}),
            json!({"type": "number", "default": 3}),
            json!({"type": "string", "nullable": true, "default": null}),
            json!({"default": "anything"}),
        ] {
            let (out, lines) = run(schema.clone());
            assert_eq!((out, lines.len()), (schema, 0));
        }
    }
}
