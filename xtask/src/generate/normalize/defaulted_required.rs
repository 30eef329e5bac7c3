//! Rule `defaulted-required`: a property both required and given a `default` is optional when
//! the spec's own text says something else can supply it; otherwise it stays required.
//!
//! A `default` on a required property contradicts the `required`. It may mean the server
//! assumes the value when the property is absent, as Vast.ai's "create instance" does for
//! `image`: its `template_hash_id` says "When using a template, the `image` field is optional as
//! the template provides it". Or it may be a sample value on an identifier or amount the caller
//! must choose (`id`, `default: 12345`; `route`'s `cost`; a template's `name`), where sending
//! the spec's default in the caller's place would act on something the caller never named.
//! The criterion is the spec's own words: a property is relaxed when a sentence of its schema's
//! text (the schema's description or another property's) names it in backticks and calls it
//! optional or says it may be omitted. Such a property becomes optional and is not sent unless
//! given, so the server applies its own default (or the template's); the default moves into the
//! description, where `--help` and the library's docs show it, and `x-required-in-spec` marks it
//! for the checks that send what the published spec requires. Any other stays required and its
//! `default` is dropped (kept as its `example` when it has none): left in, the generated builder
//! would fill it in silently. Each change is printed.

use serde_json::{Map, Value};

use super::Change;
use super::walk::for_each_schema;
use crate::generate::openapi::Location;

/// Marks a property this rule made optional: the published spec requires it, and a validator of
/// requests against that spec (Prism) refuses a body without it.
pub const RELAXED: &str = "x-required-in-spec";

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    for_each_schema(doc, &mut |at, schema| relax(at, schema, rewrites));
}

fn relax(at: &Location, schema: &mut Map<String, Value>, rewrites: &mut Vec<Change>) {
    let Some(Value::Array(required)) = schema.get("required").cloned() else {
        return;
    };
    let texts = schema_texts(schema);
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
        let at = at.key("properties").key(name);
        if !said_optional(&texts, name) {
            property.entry("example").or_insert(default);
            rewrites.push(Change {
                at,
                what: format!(
                    "required with a default (`{shown}`) nothing in the spec says is supplied otherwise: stays required, the default dropped"
                ),
            });
            continue;
        }
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
        // For what checks a request against the spec as published (Prism): it still requires it.
        property.insert(RELAXED.into(), Value::Bool(true));
        rewrites.push(Change {
            at,
            what: format!(
                "required with a default (`{shown}`) the spec says may be supplied otherwise: optional"
            ),
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

/// The schema's own description and each property's, where the spec says how its fields relate.
fn schema_texts(schema: &Map<String, Value>) -> Vec<String> {
    let properties = schema.get("properties").and_then(Value::as_object);
    std::iter::once(schema.get("description"))
        .chain(
            properties
                .into_iter()
                .flatten()
                .map(|(_, p)| p.get("description")),
        )
        .filter_map(|d| d.and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// Whether a sentence of `texts` names `` `name` `` and says it is optional or may be omitted.
fn said_optional(texts: &[String], name: &str) -> bool {
    let named = format!("`{name}`");
    texts
        .iter()
        .flat_map(|text| text.split(['.', '\n', ';']))
        .any(|sentence| {
            let lower = sentence.to_lowercase();
            sentence.contains(&named)
                && ["optional", "omitted", "not required", "can be left out"]
                    .iter()
                    .any(|word| lower.contains(word))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_required_property_with_a_default_is_optional_only_when_the_spec_says_so() {
        let doc = json!({"paths": {"/a": {"put": {"requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "required": ["image", "id", "cost", "name"],
            "properties": {
                "image": {"type": "string", "default": "base:latest", "description": "Docker image.\n"},
                "template": {"type": "string", "description": "A template. When using one, the `image` field is optional as the template provides it."},
                "id": {"type": "integer", "default": 12345, "example": 7},
                "cost": {"type": "number", "default": 100.0},
                "name": {"type": "string", "default": "x", "description": "The `name` shown in lists; the `image` is optional only with a template."},
                "disk": {"type": "number", "default": 8}
            }
        }}}}}}}});
        let (doc, rewrites) = super::super::rewritten(doc, apply);
        let schema = &doc
            .pointer("/paths/~1a/put/requestBody/content/application~1json/schema")
            .unwrap();
        assert_eq!(schema["required"], json!(["id", "cost", "name"]));
        assert_eq!(
            schema["properties"]["image"],
            json!({"type": "string", "description": "Docker image.\n\nDefault: `base:latest`.", "x-required-in-spec": true})
        );
        // Kept required: the default goes, its value kept as the example when there is none.
        assert_eq!(
            schema["properties"]["id"],
            json!({"type": "integer", "example": 7})
        );
        assert_eq!(
            schema["properties"]["cost"],
            json!({"type": "number", "example": 100.0})
        );
        // Optional with a default: nothing to contradict.
        assert_eq!(
            schema["properties"]["disk"],
            json!({"type": "number", "default": 8})
        );
        let at = "paths./a.put.requestBody.content.application/json.schema.properties";
        let kept =
            "nothing in the spec says is supplied otherwise: stays required, the default dropped";
        assert_eq!(
            rewrites,
            [
                format!(
                    "{at}.image: required with a default (`base:latest`) the spec says may be supplied otherwise: optional"
                ),
                format!("{at}.id: required with a default (`12345`) {kept}"),
                format!("{at}.cost: required with a default (`100.0`) {kept}"),
                format!("{at}.name: required with a default (`x`) {kept}"),
            ]
        );
    }
}
