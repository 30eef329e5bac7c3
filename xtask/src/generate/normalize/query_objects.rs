//! Rule `query-objects`: a query parameter whose schema is an object (or a list of objects) is
//! sent as one JSON-encoded string, the vendor's convention (`?q={"limit": 100}`).
//!
//! progenitor panics on an optional object query parameter and generates code that does not
//! compile for a free-form one; form-style exploding (`?limit=100`) is not what the server reads.

use serde_json::{Value, json};

use super::Change;
use crate::generate::openapi::{for_each_operation, resolve};

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    let original = doc.clone();
    // Path-level parameters apply to every operation of the path.
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            if let Some(params) = item.get_mut("parameters") {
                let at = crate::generate::openapi::Location::root()
                    .key("paths")
                    .key(path.as_str())
                    .key("parameters");
                rewrite_params(params, &at, &original, rewrites);
            }
        }
    }
    for_each_operation(doc, |at, op| {
        if let Some(params) = op.get_mut("parameters") {
            rewrite_params(params, &at.key("parameters"), &original, rewrites);
        }
    });
}

fn rewrite_params(
    params: &mut Value,
    at: &crate::generate::openapi::Location,
    doc: &Value,
    rewrites: &mut Vec<Change>,
) {
    let Some(params) = params.as_array_mut() else {
        return;
    };
    for (i, param) in params.iter_mut().enumerate() {
        // A shared parameter is copied into place before it changes.
        let resolved = resolve(param, doc).clone();
        if resolved.get("in").and_then(Value::as_str) != Some("query") {
            continue;
        }
        let Some(schema) = resolved.get("schema") else {
            continue;
        };
        if !is_structured(resolve(schema, doc), doc) {
            continue;
        }
        let mut param_obj = resolved.clone();
        let described = param_obj
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let note = "A JSON-encoded value.";
        let description = if described.is_empty() {
            note.to_string()
        } else {
            format!("{described} ({note})")
        };
        param_obj["description"] = json!(description);
        param_obj["schema"] = json!({ "type": "string" });
        if let Some(example) = param_obj.get("example").filter(|e| !e.is_string()).cloned() {
            param_obj["example"] = json!(example.to_string());
        }
        *param = param_obj;
        rewrites.push(Change {
            at: at.key(i.to_string()),
            what: format!(
                "object query parameter `{}` sent as a JSON-encoded string",
                resolved.get("name").and_then(Value::as_str).unwrap_or("?")
            ),
        });
    }
}

fn is_structured(schema: &Value, doc: &Value) -> bool {
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => true,
        Some("array") => schema
            .get("items")
            .map(|items| is_structured(resolve(items, doc), doc))
            .unwrap_or(false),
        None => schema.get("properties").is_some() || schema.get("additionalProperties").is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_query_parameters_become_json_strings() {
        let mut doc = json!({
            "paths": {"/search": {"post": {"parameters": [
                {"name": "q", "in": "query", "description": "Filters",
                 "schema": {"type": "object", "properties": {"limit": {"type": "integer"}}},
                 "example": {"limit": 100}},
                {"name": "free", "in": "query", "schema": {"type": "object"}},
                {"name": "page", "in": "query", "schema": {"type": "integer"}},
                {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}},
                {"$ref": "#/components/parameters/Select"},
                {"name": "id", "in": "path", "required": true, "schema": {"type": "object"}},
            ]}}},
            "components": {"parameters": {"Select": {"name": "select_filters", "in": "query", "schema": {"$ref": "#/components/schemas/F"}}},
                           "schemas": {"F": {"properties": {"gpu": {"type": "string"}}}}}
        });
        let mut rewrites = Vec::new();
        apply(&mut doc, &mut rewrites);
        let params = &doc["paths"]["/search"]["post"]["parameters"];
        assert_eq!(
            params[0],
            json!({"name": "q", "in": "query", "description": "Filters (A JSON-encoded value.)",
                   "schema": {"type": "string"}, "example": "{\"limit\":100}"})
        );
        assert_eq!(params[1]["schema"], json!({"type": "string"}));
        assert_eq!(params[2]["schema"], json!({"type": "integer"}));
        assert_eq!(params[3]["schema"]["type"], "array");
        assert_eq!(params[4]["name"], "select_filters");
        assert_eq!(params[4]["schema"], json!({"type": "string"}));
        assert_eq!(
            params[5]["schema"],
            json!({"type": "object"}),
            "path parameters are left alone"
        );
        assert_eq!(
            rewrites[0].to_string(),
            "paths./search.post.parameters.0: object query parameter `q` sent as a JSON-encoded string"
        );
        assert_eq!(rewrites.len(), 3);
    }
}
