//! An example value for a schema, assembled from the spec's own `example`s.

use serde_json::{Map, Value, json};

/// The schema's `example` if it has one; else, for an object, each property's example; for an
/// array, one example item; for a scalar, its enum's first value or a plain value of its type.
pub fn example(schema: &Value, doc: &Value) -> Value {
    build(schema, doc, 0)
}

fn build(schema: &Value, doc: &Value, depth: usize) -> Value {
    // Deeper than any real payload: a recursive schema stops here.
    if depth > 12 {
        return Value::Null;
    }
    let schema = crate::generate::openapi::resolve(schema, doc);
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return build(first, doc, depth + 1);
        }
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(fields) = build(part, doc, depth + 1) {
                merged.extend(fields);
            }
        }
        return Value::Object(merged);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => json!([build(
            schema.get("items").unwrap_or(&json!({})),
            doc,
            depth + 1
        )]),
        // A value of the format, since typify reads these formats as typed values.
        Some("string") => json!(match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => "1970-01-01T00:00:00Z",
            Some("date") => "1970-01-01",
            Some("uuid") => "00000000-0000-0000-0000-000000000000",
            Some("ipv4") => "127.0.0.1",
            Some("ipv6") => "::1",
            Some("ip") => "127.0.0.1",
            Some("uri" | "url") => "https://example.com/",
            Some("email") => "user@example.com",
            Some("hostname") => "example.com",
            _ => "string",
        }),
        Some("integer") => json!(in_bounds(schema, true) as i64),
        Some("number") => json!(in_bounds(schema, false)),
        Some("boolean") => json!(false),
        _ => match schema.get("properties").and_then(Value::as_object) {
            Some(props) => Value::Object(
                props
                    .iter()
                    .map(|(k, v)| (k.clone(), build(v, doc, depth + 1)))
                    .collect(),
            ),
            None if schema.get("type").is_some() => json!({}),
            None => Value::Null,
        },
    }
}

/// A number within the schema's `minimum` and `maximum` (each exclusive when 3.0's boolean
/// says so): 0 when they allow it, else the bound (the next integer past an exclusive one), or
/// midway between two bounds. A value the spec refuses makes the mock refuse the request.
fn in_bounds(schema: &Value, integer: bool) -> f64 {
    let bound = |key| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key| schema.get(key).and_then(Value::as_bool) == Some(true);
    let step = if integer { 1.0 } else { 0.0 };
    let low = bound("minimum").map(|m| (m, exclusive("exclusiveMinimum")));
    let high = bound("maximum").map(|m| (m, exclusive("exclusiveMaximum")));
    let above = |v: f64| low.is_none_or(|(m, ex)| if ex { v > m } else { v >= m });
    let below = |v: f64| high.is_none_or(|(m, ex)| if ex { v < m } else { v <= m });
    let candidates = [
        Some(0.0),
        low.map(|(m, ex)| if ex { m + step } else { m }),
        low.zip(high).map(|((a, _), (b, _))| (a + b) / 2.0),
        high.map(|(m, ex)| if ex { m - step } else { m }),
    ];
    let fits = |v: f64| above(v) && below(v) && (!integer || v.fract() == 0.0);
    candidates
        .into_iter()
        .flatten()
        .find(|v| fits(*v))
        .unwrap_or(0.0)
}

/// The example of `show api keys` the tests serve, kept equal to the spec's by a test.
#[cfg(test)]
const EXAMPLE_FIXTURE: &str = "tests/data/show-api-keys.example.json";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_within_the_schema_s_bounds() {
        let doc = json!({});
        let number = |bounds: Value| {
            let mut schema = json!({"type": "number"});
            schema
                .as_object_mut()
                .unwrap()
                .extend(bounds.as_object().unwrap().clone());
            example(&schema, &doc)
        };
        assert_eq!(number(json!({})), json!(0.0));
        assert_eq!(
            number(json!({"minimum": 0, "exclusiveMinimum": true, "maximum": 0.9999})),
            json!(0.49995)
        );
        assert_eq!(number(json!({"minimum": 2})), json!(2.0));
        let integer = json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true});
        assert_eq!(example(&integer, &doc), json!(1));
    }

    #[test]
    fn property_examples_make_the_object() {
        let doc = json!({"components": {"schemas": {"N": {"type": "integer", "example": 7}}}});
        let schema = json!({"type": "object", "properties": {
            "list": {"type": "array", "items": {"$ref": "#/components/schemas/N"}},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "plain": {"type": "boolean"}
        }});
        assert_eq!(
            example(&schema, &doc),
            json!({"list": [7], "kind": "a", "plain": false})
        );
    }

    /// The tests' and the demo's example response is the one the spec gives.
    #[test]
    fn strings_of_a_format_get_a_value_of_that_format() {
        let doc = json!({});
        for (format, value) in [
            ("date-time", "1970-01-01T00:00:00Z"),
            ("date", "1970-01-01"),
            ("uuid", "00000000-0000-0000-0000-000000000000"),
            ("uri", "https://example.com/"),
            ("email", "user@example.com"),
            ("byte", "string"),
        ] {
            let schema = json!({"type": "string", "format": format});
            assert_eq!(example(&schema, &doc), json!(value), "{format}");
        }
    }

    #[test]
    fn the_test_fixture_is_the_specs_example() {
        let root = crate::workspace_root();
        let doc = crate::generate::normalize::load(&root).unwrap().doc;
        let schema = crate::generate::openapi::success_schema(&doc, "show_api_keys").unwrap();
        let fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(root.join(EXAMPLE_FIXTURE)).unwrap())
                .unwrap();
        assert_eq!(
            example(&schema, &doc),
            fixture,
            "refresh {} from the spec",
            EXAMPLE_FIXTURE
        );
    }
}
