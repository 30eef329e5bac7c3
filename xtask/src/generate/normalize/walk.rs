//! A walk over every schema object in a document.

use serde_json::{Map, Value};

use crate::generate::openapi::Location;

/// Calls `f` on every schema object in the document, parents before children: component schemas,
/// parameter, header, request and response schemas, and the schemas nested inside each of those.
pub fn for_each_schema(doc: &mut Value, f: &mut dyn FnMut(&Location, &mut Map<String, Value>)) {
    let root = Location::root();
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        let at = root.key("components");
        for (kind, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else {
                continue;
            };
            for (name, entry) in entries.iter_mut() {
                let at = at.key(kind.as_str()).key(name.as_str());
                match kind.as_str() {
                    "schemas" => schema(entry, &at, f),
                    "parameters" | "headers" => holder(entry, &at, f),
                    "requestBodies" | "responses" => body(entry, &at, f),
                    _ => {}
                }
            }
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            let at = root.key("paths").key(path.as_str());
            for (key, value) in item.iter_mut() {
                let at = at.key(key.as_str());
                if key == "parameters" {
                    each(value, &at, &mut |v, at| holder(v, at, f));
                } else if crate::generate::openapi::METHODS.contains(&key.as_str()) {
                    operation(value, &at, f);
                }
            }
        }
    }
}

type Visit<'a> = &'a mut dyn FnMut(&Location, &mut Map<String, Value>);

fn operation(op: &mut Value, at: &Location, f: Visit) {
    let Some(op) = op.as_object_mut() else {
        return;
    };
    if let Some(params) = op.get_mut("parameters") {
        each(params, &at.key("parameters"), &mut |v, at| holder(v, at, f));
    }
    if let Some(request) = op.get_mut("requestBody") {
        body(request, &at.key("requestBody"), f);
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        for (status, response) in responses.iter_mut() {
            body(response, &at.key("responses").key(status.as_str()), f);
        }
    }
}

/// A parameter or a header: its schema, and the schemas of its `content`.
fn holder(v: &mut Value, at: &Location, f: Visit) {
    if let Some(s) = v.get_mut("schema") {
        schema(s, &at.key("schema"), f);
    }
    body(v, at, f);
}

/// A request body or a response: the schema of each media type, and of each header.
fn body(v: &mut Value, at: &Location, f: Visit) {
    if let Some(content) = v.get_mut("content").and_then(Value::as_object_mut) {
        for (media_type, media) in content.iter_mut() {
            if let Some(s) = media.get_mut("schema") {
                schema(
                    s,
                    &at.key("content").key(media_type.as_str()).key("schema"),
                    f,
                );
            }
        }
    }
    if let Some(headers) = v.get_mut("headers").and_then(Value::as_object_mut) {
        for (name, header) in headers.iter_mut() {
            holder(header, &at.key("headers").key(name.as_str()), f);
        }
    }
}

fn schema(v: &mut Value, at: &Location, f: Visit) {
    let Some(map) = v.as_object_mut() else {
        return;
    };
    f(at, map);
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(key) {
            if child.is_array() {
                each(child, &at.key(key), &mut |v, at| schema(v, at, f));
            } else {
                schema(child, &at.key(key), f);
            }
        }
    }
    for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(children) = map.get_mut(key) {
            each(children, &at.key(key), &mut |v, at| schema(v, at, f));
        }
    }
    if let Some(props) = map.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, child) in props.iter_mut() {
            schema(child, &at.key("properties").key(name.as_str()), f);
        }
    }
}

fn each(v: &mut Value, at: &Location, f: &mut dyn FnMut(&mut Value, &Location)) {
    if let Some(items) = v.as_array_mut() {
        for (i, item) in items.iter_mut().enumerate() {
            f(item, &at.key(i.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn visits_nested_schemas_with_their_locations() {
        let mut doc = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"xs": {"type": "array", "items": {"type": "integer"}}}
                }}}}}
            }}},
            "components": {"schemas": {"E": {"allOf": [{"type": "object"}]}}}
        });
        let mut seen = Vec::new();
        for_each_schema(&mut doc, &mut |at, _| seen.push(at.to_string()));
        assert_eq!(
            seen,
            [
                "components.schemas.E",
                "components.schemas.E.allOf.0",
                "paths./a.get.parameters.0.schema",
                "paths./a.get.responses.200.content.application/json.schema",
                "paths./a.get.responses.200.content.application/json.schema.properties.xs",
                "paths./a.get.responses.200.content.application/json.schema.properties.xs.items",
            ]
        );
    }
}
