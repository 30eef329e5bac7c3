//! Rule `optional-nulls`: an optional list or map property accepts `null`.
//!
//! typify reads an optional array or object property as a collection that defaults to empty, and
//! such a field refuses `null`, though servers (Vast.ai's among them) send `null` for "nothing".
//! Marking the property nullable makes it an `Option`, so an otherwise valid body still decodes.

use serde_json::{Map, Value, json};

use super::Change;
use super::walk::for_each_schema;
use crate::generate::openapi::Location;

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    for_each_schema(doc, &mut |at, schema| mark(at, schema, rewrites));
}

fn mark(at: &Location, schema: &mut Map<String, Value>, rewrites: &mut Vec<Change>) {
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, property) in properties.iter_mut() {
        let Some(property) = property.as_object_mut() else {
            continue;
        };
        let collection = matches!(
            property.get("type").and_then(Value::as_str),
            Some("array" | "object")
        );
        if required.contains(name) || !collection || property.get("nullable") == Some(&json!(true))
        {
            continue;
        }
        property.insert("nullable".into(), json!(true));
        rewrites.push(Change {
            at: at.key("properties").key(name.as_str()),
            what: "optional list or map: accepts null".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_collections_become_nullable_required_ones_do_not() {
        let mut doc = json!({"components": {"schemas": {"S": {
            "type": "object",
            "required": ["must"],
            "properties": {
                "items": {"type": "array", "items": {"type": "integer"}},
                "meta": {"type": "object"},
                "must": {"type": "array"},
                "name": {"type": "string"},
                "other": {"$ref": "#/components/schemas/T"}
            }
        }}}});
        let mut rewrites = Vec::new();
        apply(&mut doc, &mut rewrites);
        let props = &doc["components"]["schemas"]["S"]["properties"];
        assert_eq!(props["items"]["nullable"], true);
        assert_eq!(props["meta"]["nullable"], true);
        assert!(props["must"].get("nullable").is_none());
        assert!(props["name"].get("nullable").is_none());
        assert!(props["other"].get("nullable").is_none());
        assert_eq!(
            rewrites.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "components.schemas.S.properties.items: optional list or map: accepts null",
                "components.schemas.S.properties.meta: optional list or map: accepts null",
            ]
        );
    }
}
