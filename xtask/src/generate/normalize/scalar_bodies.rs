//! Rule `scalar-bodies`, for the httpmock helpers only: progenitor's mock helper for a response
//! whose body is a bare number, boolean or string takes the value by value (`f64`, `&str`) and
//! hands it to httpmock's `json_body_obj`, which wants a reference to a sized value, so the
//! helpers do not compile. Such a body is any JSON value to the helpers (`serde_json::Value`,
//! which a test writes as `json!(1.5)`); the client keeps its scalar type.

use serde_json::{Value, json};

use super::Change;
use crate::generate::openapi::{for_each_operation, resolve};

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    let original = doc.clone();
    for_each_operation(doc, |at, op| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        for (status, response) in responses.iter_mut() {
            // A shared response is copied here, so that only this operation's helper changes.
            let mut resolved = resolve(response, &original).clone();
            let Some(content) = resolved.get_mut("content").and_then(Value::as_object_mut) else {
                continue;
            };
            let mut changed = false;
            for (media_type, media) in content.iter_mut() {
                let Some(schema) = media.get_mut("schema") else {
                    continue;
                };
                let kind = resolve(schema, &original)
                    .get("type")
                    .and_then(Value::as_str)
                    .map(String::from);
                if let Some(kind) = kind
                    .as_deref()
                    .filter(|k| matches!(*k, "number" | "integer" | "boolean" | "string"))
                {
                    *schema = json!({});
                    changed = true;
                    rewrites.push(Change {
                        at: at
                            .key("responses")
                            .key(status.as_str())
                            .key("content")
                            .key(media_type.as_str()),
                        what: format!("a bare {kind} body: the mock helper takes any JSON value"),
                    });
                }
            }
            if changed {
                *response = resolved;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scalar_body_is_any_json_to_the_mock_helpers() {
        let (doc, lines) = super::super::rewritten(
            json!({
                "components": {"schemas": {"Price": {"type": "number"}}},
                "paths": {"/p": {"get": {"responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Price"}}}},
                    "404": {"content": {"application/json": {"schema": {"type": "object"}}}},
                }}}}
            }),
            apply,
        );
        let responses = &doc["paths"]["/p"]["get"]["responses"];
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert_eq!(
            responses["404"]["content"]["application/json"]["schema"],
            json!({"type": "object"})
        );
        assert_eq!(
            lines,
            [
                "paths./p.get.responses.200.content.application/json: a bare number body: the mock helper takes any JSON value"
            ]
        );
    }
}
