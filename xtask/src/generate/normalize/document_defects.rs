//! Rule `document-defects`: mistakes published specs make that openapiv3 or progenitor refuse,
//! each with one obvious meaning that widely used tools (Swagger UI, Redoc, Prism) give it:
//!
//! - `info`, its `title` or `version` missing: filled in (`API`, `0.0.0`);
//! - an operation without `responses`: an empty map (the client then returns the raw body);
//! - a response without `description`: an empty one;
//! - a path parameter not marked `required: true`: marked (a path segment cannot be absent);
//! - a `{name}` in the path that no parameter declares: declared as a string;
//! - `required: true` on a property (Swagger 2 style): moved into the object's `required` list;
//! - a property, item or member schema left empty (`null`): any value.
//!
//! Each change is printed as a warning line with its location, like every rewrite.

use serde_json::{Map, Value, json};

use super::Change;
use super::walk::for_each_schema;
use crate::generate::openapi::Location;
use crate::generate::openapi::METHODS;

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    let root = Location::root();
    let mut note = |at: Location, what: &str| {
        rewrites.push(Change {
            at,
            what: what.into(),
        })
    };
    let info = doc
        .as_object_mut()
        .expect("checked by the loader: the document is a mapping")
        .entry("info")
        .or_insert_with(|| json!({}));
    if let Some(info) = info.as_object_mut() {
        for (key, value) in [("title", "API"), ("version", "0.0.0")] {
            if !info.get(key).is_some_and(Value::is_string) {
                let shown = info.get(key).filter(|v| !v.is_null()).map(Value::to_string);
                info.insert(
                    key.into(),
                    json!(shown.clone().unwrap_or_else(|| value.into())),
                );
                note(
                    root.key("info").key(key),
                    &format!(
                        "missing or not text: set to {}",
                        shown.unwrap_or_else(|| format!("{value:?}"))
                    ),
                );
            }
        }
    }
    let original = doc.clone();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            let at = root.key("paths").key(path.as_str());
            let shared = item.get("parameters").cloned().unwrap_or(json!([]));
            for method in METHODS {
                let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) else {
                    continue;
                };
                let at = at.key(method);
                operation(op, path, &shared, &original, &at, &mut note);
            }
        }
    }
    for_each_schema(doc, &mut |at, schema| {
        empty_subschemas(at, schema, rewrites);
        property_required(at, schema, rewrites);
    });
}

/// A subschema left empty in YAML (`success:` with nothing after it) is `null`, which is no
/// schema at all to a strict reader; renderers show such a field with no type, so it is read as
/// any value.
fn empty_subschemas(at: &Location, schema: &mut Map<String, Value>, rewrites: &mut Vec<Change>) {
    let mut fix = |slot: &mut Value, at: Location| {
        if slot.is_null() {
            *slot = json!({});
            rewrites.push(Change {
                at,
                what: "an empty schema (null): any value".into(),
            });
        }
    };
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, prop) in props.iter_mut() {
            fix(prop, at.key("properties").key(name.as_str()));
        }
    }
    if let Some(items) = schema.get_mut("items") {
        fix(items, at.key("items"));
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = schema.get_mut(key).and_then(Value::as_array_mut) {
            for (i, item) in list.iter_mut().enumerate() {
                fix(item, at.key(key).key(i.to_string()));
            }
        }
    }
}

fn operation(
    op: &mut Map<String, Value>,
    path: &str,
    shared: &Value,
    doc: &Value,
    at: &Location,
    note: &mut impl FnMut(Location, &str),
) {
    let responses = op.entry("responses").or_insert_with(|| {
        note(at.key("responses"), "missing: none listed");
        json!({})
    });
    if let Some(responses) = responses.as_object_mut() {
        for (status, response) in responses.iter_mut() {
            if let Some(response) = response.as_object_mut()
                && !response.contains_key("$ref")
                && !response.get("description").is_some_and(Value::is_string)
            {
                response.insert("description".into(), json!(""));
                note(
                    at.key("responses").key(status.as_str()).key("description"),
                    "missing: set empty",
                );
            }
        }
    }
    let resolve = |p: &Value| -> Value { crate::generate::openapi::resolve(p, doc).clone() };
    let params = op.entry("parameters").or_insert_with(|| json!([]));
    let Some(list) = params.as_array_mut() else {
        return;
    };
    let mut declared: Vec<String> = Vec::new();
    for (i, param) in list.iter_mut().enumerate() {
        let resolved = resolve(param);
        if resolved.get("in").and_then(Value::as_str) != Some("path") {
            continue;
        }
        if let Some(name) = resolved.get("name").and_then(Value::as_str) {
            declared.push(name.to_string());
        }
        if resolved.get("required") != Some(&json!(true)) {
            let mut fixed = resolved.clone();
            fixed["required"] = json!(true);
            *param = fixed;
            note(
                at.key("parameters").key(i.to_string()).key("required"),
                "a path parameter is always required: set true",
            );
        }
    }
    for param in shared.as_array().into_iter().flatten().map(resolve) {
        if param.get("in").and_then(Value::as_str) == Some("path")
            && let Some(name) = param.get("name").and_then(Value::as_str)
        {
            declared.push(name.to_string());
        }
    }
    for name in path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
    {
        if !declared.iter().any(|d| d == name) {
            list.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
            note(
                at.key("parameters"),
                &format!("path parameter `{name}` not declared: declared as a string"),
            );
        }
    }
    if list.is_empty() {
        op.remove("parameters");
    }
}

fn property_required(at: &Location, schema: &mut Map<String, Value>, rewrites: &mut Vec<Change>) {
    let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    let mut moved = Vec::new();
    for (name, prop) in props.iter_mut() {
        if let Some(prop) = prop.as_object_mut()
            && let Some(Value::Bool(required)) = prop.get("required").cloned()
        {
            prop.remove("required");
            if required {
                moved.push(name.clone());
            }
            rewrites.push(Change {
                at: at.key("properties").key(name.as_str()).key("required"),
                what: format!(
                    "`required: {required}` on a property: moved to the object's `required` list"
                ),
            });
        }
    }
    if moved.is_empty() {
        return;
    }
    let list = schema.entry("required").or_insert_with(|| json!([]));
    if !list.is_array() {
        *list = json!([]);
    }
    let list = list.as_array_mut().expect("made an array above");
    for name in moved {
        if !list.contains(&json!(name)) {
            list.push(json!(name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_property_schema_is_any_value() {
        let (doc, lines) = super::super::rewritten(
            json!({"info": {"title": "t", "version": "1"}, "components": {"schemas": {"R": {
                "type": "object", "properties": {"success": null, "msg": {"type": "string"}},
            }, "L": {"type": "array", "items": null}}}}),
            apply,
        );
        assert_eq!(
            doc["components"]["schemas"]["R"]["properties"]["success"],
            json!({})
        );
        assert_eq!(doc["components"]["schemas"]["L"]["items"], json!({}));
        assert_eq!(
            lines,
            [
                "components.schemas.R.properties.success: an empty schema (null): any value",
                "components.schemas.L.items: an empty schema (null): any value",
            ]
        );
    }

    fn run(doc: Value) -> (Value, Vec<String>) {
        super::super::rewritten(doc, apply)
    }

    #[test]
    fn info_responses_and_descriptions_are_filled_in() {
        let (doc, lines) = run(json!({"info": {"version": 2}, "paths": {"/a": {
            "get": {},
            "put": {"responses": {"200": {"content": {}}}}
        }}}));
        assert_eq!(doc["info"], json!({"version": "2", "title": "API"}));
        assert_eq!(doc["paths"]["/a"]["get"]["responses"], json!({}));
        assert_eq!(
            doc["paths"]["/a"]["put"]["responses"]["200"]["description"],
            ""
        );
        assert_eq!(
            lines,
            [
                "info.title: missing or not text: set to \"API\"",
                "info.version: missing or not text: set to 2",
                "paths./a.get.responses: missing: none listed",
                "paths./a.put.responses.200.description: missing: set empty",
            ]
        );
    }

    #[test]
    fn path_parameters_are_required_and_declared() {
        let (doc, lines) = run(
            json!({"info": {"title": "t", "version": "1"}, "paths": {"/m/{machine_id}/r/{rid}": {
                "parameters": [{"name": "rid", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "get": {"responses": {}, "parameters": [{"name": "machine_id", "in": "path", "schema": {"type": "integer"}}]}
            }}}),
        );
        let params = &doc["paths"]["/m/{machine_id}/r/{rid}"]["get"]["parameters"];
        assert_eq!(
            params,
            &json!([{"name": "machine_id", "in": "path", "required": true, "schema": {"type": "integer"}}])
        );
        assert_eq!(
            lines,
            [
                "paths./m/{machine_id}/r/{rid}.get.parameters.0.required: a path parameter is always required: set true"
            ]
        );

        let (doc, lines) = run(
            json!({"info": {"title": "t", "version": "1"}, "paths": {"/x/{id}": {"delete": {"responses": {}}}}}),
        );
        assert_eq!(
            doc["paths"]["/x/{id}"]["delete"]["parameters"],
            json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}])
        );
        assert_eq!(
            lines,
            [
                "paths./x/{id}.delete.parameters: path parameter `id` not declared: declared as a string"
            ]
        );
    }

    #[test]
    fn boolean_required_on_properties_moves_to_the_list() {
        let (doc, lines) = run(
            json!({"info": {"title": "t", "version": "1"}, "components": {"schemas": {"S": {
                "type": "object", "required": ["a"],
                "properties": {"a": {"type": "string"}, "b": {"type": "string", "required": true}, "c": {"type": "string", "required": false}}
            }}}}),
        );
        let s = &doc["components"]["schemas"]["S"];
        assert_eq!(s["required"], json!(["a", "b"]));
        assert!(
            s["properties"]["b"].get("required").is_none()
                && s["properties"]["c"].get("required").is_none()
        );
        assert_eq!(lines.len(), 2);
    }
}
