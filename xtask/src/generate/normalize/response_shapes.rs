//! Rule `response-shapes`: progenitor gives an operation one success type and one error type, and
//! panics when the responses of either kind have different bodies. Such responses are given one
//! merged schema, added to `components.schemas` as `<Operation>Error` (or `<Operation>Response`):
//! an object holding every property of every shape, each optional, so no field the server may send
//! is lost (`msg` of a 400, `success`/`error`/`msg` of a 401, `detail` of a 429). Bodies that are
//! not all objects merge into "any JSON value". A response without a body in such a group gets the
//! merged schema too, so the group has one type.
//!
//! A `default` response counts as an error once the operation lists a success status; if it also
//! appears among the success types progenitor sees, it is split into `4XX` and `5XX`.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::Change;
use crate::generate::openapi::for_each_operation;
use crate::generate::openapi::{Location, resolve};

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Success,
    Error,
}

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) -> Result<(), String> {
    // References are resolved against the document as it stood before this rule.
    let original = doc.clone();
    let mut taken_names: BTreeSet<String> = original
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut new_schemas = Vec::new();
    let mut failure = None;
    for_each_operation(doc, |at, op| {
        if failure.is_some() {
            return;
        }
        let Some(id) = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return;
        };
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let at = at.key("responses");
        split_default(responses, &original, &at, rewrites);
        for kind in [Kind::Success, Kind::Error] {
            untype_other_bodies(responses, kind, &original, &at, rewrites);
            match merge_kind(responses, kind, &id, &original, &at, &mut taken_names) {
                Ok(Some(merged)) => {
                    new_schemas.push((merged.name, merged.schema));
                    rewrites.push(Change {
                        at: at.clone(),
                        what: merged.what,
                    });
                }
                Ok(None) => {}
                Err(e) => failure = Some(e),
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    if !new_schemas.is_empty() {
        let components = doc
            .as_object_mut()
            .expect("checked by the loader: the document is a mapping")
            .entry("components")
            .or_insert_with(|| json!({}));
        let schemas = components
            .as_object_mut()
            .ok_or("components: expected a mapping")?
            .entry("schemas")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .ok_or("components.schemas: expected a mapping")?;
        schemas.extend(new_schemas);
    }
    Ok(())
}

fn kind_of(status: &str, has_success: bool) -> Option<Kind> {
    match status.as_bytes().first() {
        Some(b'2') => Some(Kind::Success),
        Some(b'4' | b'5') => Some(Kind::Error),
        _ if status == "default" => Some(if has_success {
            Kind::Error
        } else {
            Kind::Success
        }),
        _ => None,
    }
}

fn has_success(responses: &Map<String, Value>) -> bool {
    responses.keys().any(|s| s.starts_with('2'))
}

/// progenitor counts `default` as a success type too, except beside a `2XX` range; next to an
/// explicit status with another body it would see two success types.
fn split_default(
    responses: &mut Map<String, Value>,
    original: &Value,
    at: &Location,
    rewrites: &mut Vec<Change>,
) {
    let (Some(default), true) = (responses.get("default"), has_success(responses)) else {
        return;
    };
    if responses.contains_key("2XX") {
        return;
    }
    let default_shape = shape(resolve(default, original));
    let differs = responses
        .iter()
        .filter(|(s, _)| s.starts_with('2'))
        .any(|(_, r)| shape(resolve(r, original)) != default_shape);
    if !differs {
        return;
    }
    let default = responses.remove("default").expect("checked above");
    let mut added = Vec::new();
    for range in ["4XX", "5XX"] {
        if !responses.contains_key(range) {
            responses.insert(range.into(), default.clone());
            added.push(range);
        }
    }
    rewrites.push(Change {
        at: at.key("default"),
        what: format!(
            "a default body beside success bodies of another shape: listed as {}",
            added.join(" and ")
        ),
    });
}

/// What progenitor distinguishes: no body, a JSON body of some schema, or another media type.
#[derive(PartialEq, Eq, PartialOrd, Ord, Clone)]
enum Shape {
    None,
    Json(String),
    Other,
}

fn json_media(response: &Value) -> Option<(&String, &Value)> {
    response
        .get("content")?
        .as_object()?
        .iter()
        .find(|(mt, _)| *mt == "application/json" || mt.starts_with("application/json;"))
}

fn shape(response: &Value) -> Shape {
    match json_media(response) {
        Some((_, media)) => Shape::Json(
            media
                .get("schema")
                .map(Value::to_string)
                .unwrap_or_default(),
        ),
        None if response
            .get("content")
            .and_then(Value::as_object)
            .is_some_and(|c| !c.is_empty()) =>
        {
            Shape::Other
        }
        None => Shape::None,
    }
}

/// The statuses of one kind that share the responses' kind.
fn statuses_of(responses: &Map<String, Value>, kind: Kind) -> Vec<String> {
    let success = has_success(responses);
    responses
        .keys()
        .filter(|s| kind_of(s, success) == Some(kind))
        .cloned()
        .collect()
}

/// progenitor types one body per kind, and cannot type a body that is not JSON beside others:
/// such a body is left without a type (the response is then read like the rest of its kind), so
/// that generation goes on instead of stopping at one response of one operation.
fn untype_other_bodies(
    responses: &mut Map<String, Value>,
    kind: Kind,
    original: &Value,
    at: &Location,
    rewrites: &mut Vec<Change>,
) {
    let statuses = statuses_of(responses, kind);
    let shapes: BTreeSet<Shape> = statuses
        .iter()
        .map(|s| shape(resolve(&responses[s], original)))
        .collect();
    if shapes.len() <= 1 || !shapes.contains(&Shape::Other) {
        return;
    }
    for status in statuses {
        let response = responses.get_mut(&status).expect("listed above");
        if shape(resolve(response, original)) != Shape::Other {
            continue;
        }
        // A shared response is copied into the operation before it is changed.
        *response = resolve(response, original).clone();
        if let Some(response) = response.as_object_mut() {
            let media: Vec<String> = response
                .remove("content")
                .and_then(|c| c.as_object().map(|c| c.keys().cloned().collect()))
                .unwrap_or_default();
            rewrites.push(Change {
                at: at.key(status.as_str()).key("content"),
                what: format!(
                    "a {} body beside other bodies of its kind: read without its own type",
                    media.join(", ")
                ),
            });
        }
    }
}

/// A schema that stands for every body of one kind of response.
struct Merged {
    /// Its name in `components.schemas`.
    name: String,
    schema: Value,
    /// The rewrite line.
    what: String,
}

fn merge_kind(
    responses: &mut Map<String, Value>,
    kind: Kind,
    operation_id: &str,
    original: &Value,
    at: &Location,
    taken_names: &mut BTreeSet<String>,
) -> Result<Option<Merged>, String> {
    let statuses = statuses_of(responses, kind);
    let shapes: BTreeSet<Shape> = statuses
        .iter()
        .map(|s| shape(resolve(&responses[s], original)))
        .collect();
    if shapes.len() <= 1 {
        return Ok(None);
    }
    let bodies: Vec<&Value> = statuses
        .iter()
        .filter_map(|s| json_media(resolve(&responses[s], original)))
        .filter_map(|(_, media)| media.get("schema"))
        .collect();
    let suffix = match kind {
        Kind::Success => "Response",
        Kind::Error => "Error",
    };
    let name = unique_name(
        &format!("{}{suffix}", pascal_case(operation_id)),
        taken_names,
    );
    let (schema, fields) = merged_schema(&bodies, original, operation_id, &statuses);
    let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
    for status in &statuses {
        let response = responses.get_mut(status).expect("listed above");
        // A shared response is copied into the operation before it is changed.
        *response = resolve(response, original).clone();
        let response = response
            .as_object_mut()
            .ok_or_else(|| format!("{}: expected a response object", at.key(status.as_str())))?;
        let content = response
            .entry("content")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .ok_or_else(|| {
                format!(
                    "{}: expected a mapping",
                    at.key(status.as_str()).key("content")
                )
            })?;
        let media_type = content
            .keys()
            .find(|mt| *mt == "application/json" || mt.starts_with("application/json;"))
            .cloned()
            .unwrap_or_else(|| "application/json".into());
        let media = content.entry(media_type).or_insert_with(|| json!({}));
        media["schema"] = reference.clone();
    }
    let what = format!(
        "{} {} answer in {} shapes: merged into `{name}` ({fields})",
        match kind {
            Kind::Success => "success statuses",
            Kind::Error => "error statuses",
        },
        statuses.join(", "),
        shapes.len(),
    );
    Ok(Some(Merged { name, schema, what }))
}

/// The union of the bodies' properties, or any JSON value when a body is not an object.
fn merged_schema(
    bodies: &[&Value],
    doc: &Value,
    operation_id: &str,
    statuses: &[String],
) -> (Value, String) {
    let description = format!(
        "Any of the bodies `{operation_id}` answers with for {}: every field of every shape, \
         each optional.",
        statuses.join(", ")
    );
    let mut properties = Map::new();
    let mut conflicts = Vec::new();
    for body in bodies {
        let Some(props) = object_properties(body, doc) else {
            return (
                json!({ "description": description }),
                "not all objects: any JSON value".into(),
            );
        };
        for (name, schema) in props {
            match properties.get(&name) {
                None => {
                    properties.insert(name, schema);
                }
                Some(existing) if same_type(existing, &schema) => {}
                Some(_) => {
                    // Two shapes disagree on this field's type: keep whatever the server sends.
                    conflicts.push(name.clone());
                    properties.insert(name, json!({}));
                }
            }
        }
    }
    let mut fields = format!(
        "fields: {}",
        properties.keys().cloned().collect::<Vec<_>>().join(", ")
    );
    if !conflicts.is_empty() {
        fields.push_str(&format!(
            "; of differing types, kept as any JSON: {}",
            conflicts.join(", ")
        ));
    }
    let schema = json!({ "type": "object", "description": description, "properties": properties });
    (schema, fields)
}

/// Whether two schemas describe the same values, ignoring what only documents them.
fn same_type(a: &Value, b: &Value) -> bool {
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(k, _)| {
                        !matches!(k.as_str(), "example" | "examples" | "description" | "title")
                            && !k.starts_with("x-")
                    })
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(a) == strip(b)
}

/// The properties of an object schema, following `$ref` and `allOf`; `None` if it is not an object.
fn object_properties(schema: &Value, doc: &Value) -> Option<Vec<(String, Value)>> {
    let schema = resolve(schema, doc);
    let mut out = Vec::new();
    match schema.get("type") {
        None | Some(Value::Null) => {}
        Some(t) if t == "object" => {}
        Some(_) => return None,
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        out.extend(props.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        for part in parts {
            out.extend(object_properties(part, doc)?);
        }
    }
    let is_object = schema.get("type").is_some()
        || schema.get("properties").is_some()
        || schema.get("allOf").is_some();
    is_object.then_some(out)
}

fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

fn unique_name(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(doc: Value) -> (Value, Vec<String>) {
        super::super::rewritten(doc, |doc, rewrites| apply(doc, rewrites).unwrap())
    }

    fn json_body(schema: Value) -> Value {
        json!({"description": "", "content": {"application/json": {"schema": schema}}})
    }

    /// The seed's three error shapes: `msg`; the shared `Error` object; `detail`.
    fn seed_like() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/keys/": {"get": {
                "operationId": "show_api_keys",
                "responses": {
                    "200": json_body(json!({"type": "object", "properties": {"apikeys": {"type": "array"}}})),
                    "400": json_body(json!({"type": "object", "properties": {"msg": {"type": "string"}}})),
                    "401": json_body(json!({"$ref": "#/components/schemas/Error"})),
                    "429": json_body(json!({"type": "object", "properties": {"detail": {"type": "string"}}})),
                }
            }}},
            "components": {"schemas": {"Error": {"type": "object", "properties": {
                "success": {"type": "boolean"}, "error": {"type": "string"}, "msg": {"type": "string"}
            }}}}
        })
    }

    #[test]
    fn merges_three_error_shapes_keeping_every_field() {
        let (doc, lines) = run(seed_like());
        let merged = &doc["components"]["schemas"]["ShowApiKeysError"];
        let fields: Vec<&String> = merged["properties"].as_object().unwrap().keys().collect();
        assert_eq!(fields, ["msg", "success", "error", "detail"]);
        assert!(merged.get("required").is_none());
        for status in ["400", "401", "429"] {
            assert_eq!(
                doc["paths"]["/keys/"]["get"]["responses"][status]["content"]["application/json"]["schema"],
                json!({"$ref": "#/components/schemas/ShowApiKeysError"}),
            );
        }
        // The success body is untouched; so is the shared component.
        assert_eq!(
            doc["paths"]["/keys/"]["get"]["responses"]["200"],
            seed_like()["paths"]["/keys/"]["get"]["responses"]["200"]
        );
        assert_eq!(
            doc["components"]["schemas"]["Error"],
            seed_like()["components"]["schemas"]["Error"]
        );
        assert_eq!(
            lines,
            [
                "paths./keys/.get.responses: error statuses 400, 401, 429 answer in 3 shapes: \
              merged into `ShowApiKeysError` (fields: msg, success, error, detail)"
            ]
        );
    }

    #[test]
    fn a_body_that_is_not_json_among_json_bodies_loses_its_type_not_the_generation() {
        let mut doc = seed_like();
        doc["paths"]["/keys/"]["get"]["responses"]["502"] =
            json!({"description": "", "content": {"text/html": {"schema": {"type": "string"}}}});
        let (doc, lines) = run(doc);
        let responses = &doc["paths"]["/keys/"]["get"]["responses"];
        assert_eq!(
            responses["502"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ShowApiKeysError"
        );
        assert!(responses["502"]["content"].get("text/html").is_none());
        assert_eq!(
            lines[0],
            "paths./keys/.get.responses.502.content: a text/html body beside other bodies of its kind: read without its own type"
        );
    }

    #[test]
    fn leaves_one_shape_alone() {
        let mut doc = seed_like();
        let responses = &mut doc["paths"]["/keys/"]["get"]["responses"];
        responses["400"] = responses["401"].clone();
        responses.as_object_mut().unwrap().remove("429");
        let (out, lines) = run(doc.clone());
        assert_eq!(out, doc);
        assert!(lines.is_empty());
    }

    #[test]
    fn conflicting_field_types_become_any_json() {
        let mut doc = seed_like();
        doc["paths"]["/keys/"]["get"]["responses"]["429"] =
            json_body(json!({"type": "object", "properties": {"msg": {"type": "integer"}}}));
        let (doc, lines) = run(doc);
        assert_eq!(
            doc["components"]["schemas"]["ShowApiKeysError"]["properties"]["msg"],
            json!({})
        );
        assert!(
            lines[0].ends_with("of differing types, kept as any JSON: msg)"),
            "{}",
            lines[0]
        );
    }

    #[test]
    fn fields_that_differ_only_in_examples_are_the_same_field() {
        let mut doc = seed_like();
        doc["paths"]["/keys/"]["get"]["responses"]["400"] = json_body(
            json!({"type": "object", "properties": {"msg": {"type": "string", "example": "no key"}}}),
        );
        let (doc, _) = run(doc);
        assert_eq!(
            doc["components"]["schemas"]["ShowApiKeysError"]["properties"]["msg"],
            json!({"type": "string", "example": "no key"})
        );
    }

    #[test]
    fn a_bodiless_error_gets_the_merged_type_and_a_non_object_merges_to_any() {
        let mut doc = seed_like();
        let responses = &mut doc["paths"]["/keys/"]["get"]["responses"];
        responses["404"] = json!({"description": "not found"});
        responses["500"] = json_body(json!({"type": "string"}));
        let (doc, lines) = run(doc);
        assert_eq!(
            doc["paths"]["/keys/"]["get"]["responses"]["404"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/ShowApiKeysError"}),
        );
        assert!(
            doc["components"]["schemas"]["ShowApiKeysError"]
                .get("type")
                .is_none()
        );
        assert!(
            lines[0].contains("not all objects: any JSON value"),
            "{}",
            lines[0]
        );
    }

    #[test]
    fn shared_responses_are_copied_before_they_change() {
        let mut doc = seed_like();
        doc["components"]["responses"] = json!({"Limited": json_body(json!({"type": "object", "properties": {"detail": {"type": "string"}}}))});
        doc["paths"]["/keys/"]["get"]["responses"]["429"] =
            json!({"$ref": "#/components/responses/Limited"});
        let (doc, _) = run(doc);
        assert_eq!(
            doc["paths"]["/keys/"]["get"]["responses"]["429"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/ShowApiKeysError"}),
        );
        assert!(
            doc["components"]["responses"]["Limited"]["content"]["application/json"]["schema"]
                .get("properties")
                .is_some()
        );
    }

    #[test]
    fn a_default_beside_success_becomes_error_ranges() {
        let mut doc = seed_like();
        let responses = &mut doc["paths"]["/keys/"]["get"]["responses"];
        responses["default"] = responses["401"].clone();
        let (doc, lines) = run(doc);
        let responses = doc["paths"]["/keys/"]["get"]["responses"]
            .as_object()
            .unwrap();
        assert!(!responses.contains_key("default"));
        assert!(responses.contains_key("4XX") && responses.contains_key("5XX"));
        assert_eq!(
            lines[0],
            "paths./keys/.get.responses.default: a default body beside success bodies of another shape: listed as 4XX and 5XX"
        );
    }

    #[test]
    fn merged_names_do_not_take_existing_ones() {
        let mut doc = seed_like();
        doc["components"]["schemas"]["ShowApiKeysError"] = json!({"type": "string"});
        let (doc, _) = run(doc);
        assert_eq!(
            doc["components"]["schemas"]["ShowApiKeysError"],
            json!({"type": "string"})
        );
        assert!(doc["components"]["schemas"]["ShowApiKeysError2"].is_object());
    }
}
