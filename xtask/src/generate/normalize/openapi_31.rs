//! Rule `openapi-3.1`: progenitor reads OpenAPI 3.0 only, so a 3.1 document is declared 3.0.3 and
//! the 3.1 (JSON Schema 2020-12) spellings that 3.0 cannot read are rewritten to their 3.0 forms.
//!
//! The schema rewrites run on 3.0 documents too: tools widely accept these spellings there and
//! give them the same meaning, so a document that mixes them still generates (with a line each).

use serde_json::{Map, Value, json};

use super::Change;
use super::walk::for_each_schema;
use crate::generate::openapi::Location;

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) -> Result<(), String> {
    let root = Location::root();
    let version = match doc.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        Some(other) => return Err(format!("openapi: expected a version string, found {other}")),
        None if doc.get("swagger").is_some() => {
            return Err("swagger: Swagger 2.0 documents are not supported; \
                        convert the spec to OpenAPI 3 first"
                .into());
        }
        None => return Err("not an OpenAPI document: it has no `openapi` version field".into()),
    };
    if version.starts_with("3.1") {
        doc["openapi"] = json!("3.0.3");
        rewrites.push(Change {
            at: root.key("openapi"),
            what: format!("declared {version}, generated as 3.0.3"),
        });
    } else if !version.starts_with("3.0") {
        return Err(format!(
            "openapi: version {version} is not supported (OpenAPI 3.0 and 3.1 are)"
        ));
    }
    if doc.get("paths").is_none() {
        // 3.1 makes `paths` optional; 3.0 requires it.
        doc["paths"] = json!({});
        rewrites.push(Change {
            at: root.key("paths"),
            what: "missing; added as empty".into(),
        });
    }
    for_each_schema(doc, &mut |at, schema| convert_schema(at, schema, rewrites));
    Ok(())
}

fn convert_schema(at: &Location, schema: &mut Map<String, Value>, rewrites: &mut Vec<Change>) {
    let mut note = |what: String| {
        rewrites.push(Change {
            at: at.clone(),
            what,
        })
    };
    if let Some(Value::Array(types)) = schema.get("type").cloned() {
        let nullable = types.iter().any(|t| t == "null");
        let others: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        schema.remove("type");
        match others.as_slice() {
            [] => {}
            [one] => {
                schema.insert("type".into(), one.clone());
            }
            many => {
                let alternatives = many.iter().map(|t| json!({ "type": t })).collect();
                schema.insert("anyOf".into(), Value::Array(alternatives));
            }
        }
        if nullable {
            schema.insert("nullable".into(), json!(true));
        }
        let shown: Vec<String> = others.iter().map(|t| t.to_string()).collect();
        note(format!(
            "type list [{}{}] as {}{}",
            shown.join(", "),
            if nullable { ", \"null\"" } else { "" },
            match others.len() {
                0 => "any type".to_string(),
                1 => format!("type {}", shown[0]),
                _ => "anyOf".to_string(),
            },
            if nullable { ", nullable" } else { "" },
        ));
    }
    if let Some(value) = schema.remove("const") {
        note(format!("const {value} as a one-value enum"));
        schema.insert("enum".into(), json!([value]));
    }
    if let Some(Value::Array(examples)) = schema.get("examples").cloned() {
        schema.remove("examples");
        if let (Some(first), false) = (examples.into_iter().next(), schema.contains_key("example"))
        {
            schema.insert("example".into(), first);
        }
        note("schema `examples` list as `example` (its first item)".into());
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound @ Value::Number(_)) = schema.get(exclusive).cloned() {
            schema.insert(inclusive.into(), bound.clone());
            schema.insert(exclusive.into(), json!(true));
            note(format!(
                "{exclusive}: {bound} as {inclusive} with {exclusive}: true"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(doc: Value) -> (Value, Vec<String>) {
        super::super::rewritten(doc, |doc, rewrites| apply(doc, rewrites).unwrap())
    }

    fn schema_doc(version: &str, schema: Value) -> Value {
        json!({"openapi": version, "paths": {}, "components": {"schemas": {"S": schema}}})
    }

    #[test]
    fn declares_31_documents_as_303() {
        let (doc, lines) = run(json!({"openapi": "3.1.0", "paths": {}}));
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(lines, ["openapi: declared 3.1.0, generated as 3.0.3"]);
    }

    #[test]
    fn leaves_30_documents_alone() {
        let input = schema_doc("3.0.3", json!({"type": "string", "nullable": true}));
        let (doc, lines) = run(input.clone());
        assert_eq!(doc, input);
        assert!(lines.is_empty());
    }

    #[test]
    fn nullable_type_list_becomes_nullable() {
        let (doc, lines) = run(schema_doc("3.1.0", json!({"type": ["integer", "null"]})));
        assert_eq!(
            doc["components"]["schemas"]["S"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            lines[1],
            "components.schemas.S: type list [\"integer\", \"null\"] as type \"integer\", nullable"
        );
    }

    #[test]
    fn type_list_in_a_30_document_is_accepted_too() {
        let (doc, _) = run(schema_doc(
            "3.0.0",
            json!({"properties": {"a": {"type": ["string", "null"]}}}),
        ));
        assert_eq!(
            doc["components"]["schemas"]["S"]["properties"]["a"],
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn several_types_become_any_of() {
        let (doc, _) = run(schema_doc("3.1.0", json!({"type": ["string", "integer"]})));
        assert_eq!(
            doc["components"]["schemas"]["S"],
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn const_examples_and_exclusive_bounds() {
        let (doc, _) = run(schema_doc(
            "3.1.0",
            json!({"type": "integer", "const": 3, "examples": [3, 4], "exclusiveMinimum": 0}),
        ));
        assert_eq!(
            doc["components"]["schemas"]["S"],
            json!({"type": "integer", "enum": [3], "example": 3, "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn refuses_swagger_and_unknown_versions() {
        let mut rewrites = Vec::new();
        let err = apply(&mut json!({"swagger": "2.0"}), &mut rewrites).unwrap_err();
        assert!(err.contains("Swagger 2.0"), "{err}");
        let err = apply(&mut json!({"openapi": "4.0.0"}), &mut rewrites).unwrap_err();
        assert_eq!(
            err,
            "openapi: version 4.0.0 is not supported (OpenAPI 3.0 and 3.1 are)"
        );
        let err = apply(&mut json!({"info": {}}), &mut rewrites).unwrap_err();
        assert!(err.contains("no `openapi` version field"), "{err}");
    }
}
