//! Rule `defaulted-required`: a property both required and given a `default` is optional.
//!
//! A `default` is the value a reader assumes when the property is absent, so a property that has
//! one can be left out: the spec contradicts itself, and the `default` is the more specific word
//! (Vast.ai's "create instance" requires `image`, defaults it, and says a template supplies it).
//! Left required, progenitor's CLI demands `--image` and the client refuses to build the body
//! without one. The property becomes optional and is not sent unless given, so the server applies
//! its own default (or the template's); the default moves into the description, where `--help`
//! and the library's docs show it.

use serde_json::{Map, Value};

use super::Change;
use super::walk::for_each_schema;
use crate::generate::openapi::Location;

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    for_each_schema(doc, &mut |at, schema| relax(at, schema, rewrites));
}

fn relax(at: &Location, schema: &mut Map<String, Value>, rewrites: &mut Vec<Change>) {
    let Some(Value::Array(required)) = schema.get("required").cloned() else {
        return;
    };
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    let mut relaxed = Vec::new();
    for name in required.iter().filter_map(Value::as_str) {
        let Some(property) = properties.get_mut(name).and_then(Value::as_object_mut) else {
            continue;
        };
        let Some(default) = property.remove("default") else {
            continue;
        };
        let shown = match &default {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let description = property
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim_end()
            .to_string();
        let sep = if description.is_empty() { "" } else { "\n\n" };
        property.insert(
            "description".into(),
            Value::String(format!("{description}{sep}Default: `{shown}`.")),
        );
        rewrites.push(Change {
            at: at.key("properties").key(name),
            what: format!("required with a default (`{shown}`): optional"),
        });
        relaxed.push(name.to_string());
    }
    if relaxed.is_empty() {
        return;
    }
    let kept: Vec<Value> = required
        .into_iter()
        .filter(|r| !r.as_str().is_some_and(|r| relaxed.iter().any(|n| n == r)))
        .collect();
    if kept.is_empty() {
        schema.remove("required");
    } else {
        schema.insert("required".into(), Value::Array(kept));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_required_property_with_a_default_becomes_optional() {
        let doc = json!({"paths": {"/a": {"put": {"requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "required": ["image", "id"],
            "properties": {
                "image": {"type": "string", "default": "base:latest", "description": "Docker image.\n"},
                "id": {"type": "integer"},
                "disk": {"type": "number", "default": 8}
            }
        }}}}}}}});
        let (doc, rewrites) = super::super::rewritten(doc, apply);
        let schema = &doc
            .pointer("/paths/~1a/put/requestBody/content/application~1json/schema")
            .unwrap();
        assert_eq!(schema["required"], json!(["id"]));
        assert_eq!(
            schema["properties"]["image"],
            json!({"type": "string", "description": "Docker image.\n\nDefault: `base:latest`."})
        );
        // Optional with a default: nothing to contradict.
        assert_eq!(
            schema["properties"]["disk"],
            json!({"type": "number", "default": 8})
        );
        assert_eq!(
            rewrites,
            [
                "paths./a.put.requestBody.content.application/json.schema.properties.image: required with a default (`base:latest`): optional"
            ]
        );
    }
}
