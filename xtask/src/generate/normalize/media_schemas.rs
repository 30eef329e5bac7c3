//! Rule `media-schemas`: a JSON media type with an `example` but no `schema`, or an empty one
//! (`schema:` with nothing after it, which YAML reads as null) (progenitor stops
//! with `not yet implemented`) is typed as any JSON value: one example cannot say which fields
//! are optional or which numbers may have fractions, so guessing a struct would reject real bodies.

use serde_json::{Value, json};

use super::Change;
use crate::generate::openapi::Location;

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    visit(doc, &mut Location::root(), rewrites);
}

/// Every `content` map in the document: responses, request bodies, parameters, components.
fn visit(value: &mut Value, at: &mut Location, rewrites: &mut Vec<Change>) {
    let Some(map) = value.as_object_mut() else {
        if let Some(items) = value.as_array_mut() {
            for (i, item) in items.iter_mut().enumerate() {
                visit(item, &mut at.key(i.to_string()), rewrites);
            }
        }
        return;
    };
    for (key, child) in map.iter_mut() {
        let here = at.key(key.as_str());
        if key == "content" {
            if let Some(media_types) = child.as_object_mut() {
                for (media_type, media) in media_types.iter_mut() {
                    let is_json = media_type == "application/json"
                        || media_type.starts_with("application/json;");
                    if let Some(media) = media.as_object_mut()
                        && is_json
                        && media.get("schema").is_none_or(Value::is_null)
                    {
                        media.insert("schema".into(), json!({}));
                        rewrites.push(Change {
                            at: here.key(media_type.as_str()),
                            what: "JSON body without a schema: typed as any JSON value".into(),
                        });
                    }
                }
            }
        } else if key != "example" && key != "examples" {
            visit(child, &mut here.clone(), rewrites);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_body_without_schema_becomes_any_json() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {
            "200": {"content": {"application/json": {"example": {"content": {"application/json": {}}}}}},
            "201": {"content": {"application/json": {"schema": {"type": "string"}}}},
            "202": {"content": {"text/plain": {"example": "hi"}}}
        }}}}});
        let mut rewrites = Vec::new();
        apply(&mut doc, &mut rewrites);
        let responses = &doc["paths"]["/a"]["get"]["responses"];
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert_eq!(
            responses["200"]["content"]["application/json"]["example"],
            json!({"content": {"application/json": {}}}),
            "examples are data, not spec"
        );
        assert_eq!(
            responses["201"]["content"]["application/json"]["schema"],
            json!({"type": "string"})
        );
        assert!(
            responses["202"]["content"]["text/plain"]
                .get("schema")
                .is_none()
        );
        assert_eq!(
            rewrites.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "paths./a.get.responses.200.content.application/json: JSON body without a schema: typed as any JSON value"
            ]
        );
    }
}
