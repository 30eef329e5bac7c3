//! Rule `pair-lists`: the bounds of a list of fixed-size lists belong to the inner lists.
//!
//! An array of arrays whose outer array is bounded to exactly N items while its item arrays are
//! unbounded says "a list of N-element lists" in the wrong place: Vast.ai's search `order` is
//! "List of sort fields and directions. Each entry should contain two elements", yet bounds the
//! whole list to two, so `[["score","desc"]]` (one pair) fails validation and a second sort field
//! makes three. A list of exactly N lists of any length has no use the specs show, so the bounds
//! move to the items.

use serde_json::{Map, Value};

use super::Change;
use super::walk::for_each_schema;
use crate::generate::openapi::Location;

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    for_each_schema(doc, &mut |at, schema| move_bounds(at, schema, rewrites));
}

fn move_bounds(at: &Location, schema: &mut Map<String, Value>, rewrites: &mut Vec<Change>) {
    let (Some(min), Some(max)) = (schema.get("minItems"), schema.get("maxItems")) else {
        return;
    };
    if schema.get("type") != Some(&Value::from("array")) || min != max {
        return;
    }
    let count = min.clone();
    let Some(items) = schema.get_mut("items").and_then(Value::as_object_mut) else {
        return;
    };
    let unbounded = !items.contains_key("minItems") && !items.contains_key("maxItems");
    if items.get("type") != Some(&Value::from("array")) || !unbounded {
        return;
    }
    items.insert("minItems".into(), count.clone());
    items.insert("maxItems".into(), count.clone());
    schema.remove("minItems");
    schema.remove("maxItems");
    rewrites.push(Change {
        at: at.clone(),
        what: format!("a list bounded to {count} lists: each item has {count} elements instead"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn applied(schema: Value) -> (Value, Vec<String>) {
        let mut doc = json!({"components": {"schemas": {"S": schema}}});
        let mut changes = Vec::new();
        apply(&mut doc, &mut changes);
        let changes = changes.iter().map(ToString::to_string).collect();
        (doc["components"]["schemas"]["S"].clone(), changes)
    }

    #[test]
    fn the_bounds_of_a_list_of_pairs_move_to_the_pairs() {
        let (schema, changes) = applied(json!({"type": "object", "properties": {"order": {
            "type": "array", "minItems": 2, "maxItems": 2,
            "items": {"type": "array", "items": {"type": "string"}}}}}));
        assert_eq!(
            schema["properties"]["order"],
            json!({"type": "array", "items": {"type": "array", "items": {"type": "string"},
                   "minItems": 2, "maxItems": 2}})
        );
        assert_eq!(
            changes,
            [
                "components.schemas.S.properties.order: a list bounded to 2 lists: each item has 2 elements instead"
            ]
        );
    }

    #[test]
    fn other_bounds_stay() {
        for schema in [
            // A range, not a count.
            json!({"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "array"}}),
            // Items that are not lists.
            json!({"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "string"}}),
            // Items bounded themselves.
            json!({"type": "array", "minItems": 2, "maxItems": 2,
                   "items": {"type": "array", "maxItems": 3}}),
        ] {
            let (after, changes) = applied(schema.clone());
            assert_eq!(after, schema);
            assert!(changes.is_empty());
        }
    }
}
