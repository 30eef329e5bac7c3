//! What `vast` needs to make an operation's request and read its answer without code of its own
//! per operation: the path, which argument fills which parameter, the body's required fields
//! and defaults, and the documented answers with their schemas. Written into the command table
//! (`generated_commands.rs`); the CLI sends it through `vast_api::JsonCall`.

use serde_json::{Map, Value};

use crate::generate::openapi::resolve;
use crate::generate::progenitor_names;

/// One operation's request and answers, as data.
#[derive(Debug, Default, PartialEq)]
pub struct Request {
    /// The path as the spec writes it, `{name}` for each path parameter.
    pub path: String,
    /// Each parameter: (its argument's id in the CLI, its name, whether it is in the path).
    pub params: Vec<(String, String, bool)>,
    /// The JSON body, when the operation takes one.
    pub body: Option<Body>,
    /// Each documented answer: (status, its first digit for a range such as `2XX`, `0` for
    /// `default`; whether it is JSON; the success body's schema, `$ref`s inlined, as JSON text).
    pub responses: Vec<(u16, bool, Option<String>)>,
    /// The text arguments the spec constrains (the library's text newtypes check them).
    pub checks: Vec<TextCheck>,
}

/// A text argument's constraints: its id, and the least and most characters and the pattern
/// the spec gives.
#[derive(Debug, Default, PartialEq)]
pub struct TextCheck {
    pub id: String,
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub pattern: Option<String>,
}

/// A JSON body's fields as the library's typed body has them.
#[derive(Debug, Default, PartialEq)]
pub struct Body {
    /// The fields a body must have.
    pub required: Vec<String>,
    /// Each field's default, as JSON text, in the order the typed body wrote them (by name).
    pub defaults: Vec<(String, String)>,
}

/// The schema keywords a body's shape is checked by (`vast_api`'s `shape`); the rest
/// (descriptions, examples) is left out of the table.
const SHAPE_KEYWORDS: &[&str] = &[
    "type",
    "nullable",
    "properties",
    "required",
    "items",
    "enum",
    "format",
    "oneOf",
    "anyOf",
    "allOf",
    "additionalProperties",
];

/// The request of the operation `op` at `path` in the normalised document.
pub fn request(path: &str, op: &Value, doc: &Value) -> Request {
    let parameters: Vec<&Value> = [&doc["paths"][path], op]
        .into_iter()
        .filter_map(|at| at.get("parameters").and_then(Value::as_array))
        .flatten()
        .map(|p| resolve(p, doc))
        .collect();
    let params: Vec<(String, String, bool)> = parameters
        .iter()
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?;
            let place = p.get("in")?.as_str()?;
            matches!(place, "path" | "query").then(|| {
                (
                    progenitor_names::parameter_argument(name),
                    name.to_string(),
                    place == "path",
                )
            })
        })
        .collect();
    let body_schema = op
        .get("requestBody")
        .map(|b| resolve(b, doc))
        .and_then(|b| b.pointer("/content/application~1json/schema"))
        .map(|s| resolve(s, doc));
    let parameter_checks = parameters.iter().filter_map(|p| {
        let id = progenitor_names::parameter_argument(p.get("name")?.as_str()?);
        text_check(id, resolve(p.get("schema")?, doc))
    });
    // A field named as a parameter is has the JSON flag `body-NAME` (commands.rs), not the
    // parameter's argument.
    let field_checks = body_schema
        .and_then(|b| b.get("properties"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, p)| {
            let flag = progenitor_names::body_argument(name);
            let id = match params.iter().any(|(id, ..)| *id == flag) {
                true => format!("body-{flag}"),
                false => flag,
            };
            text_check(id, resolve(p, doc))
        });
    let checks = parameter_checks.chain(field_checks).collect();
    Request {
        path: path.to_string(),
        params,
        body: body_schema.map(|s| body(s, doc)),
        responses: responses(op, doc),
        checks,
    }
}

/// The constraints of a text schema the library makes a newtype of: a string, not an enum,
/// with a length bound or a pattern.
fn text_check(id: String, schema: &Value) -> Option<TextCheck> {
    let is_text = schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("enum").is_none()
        && schema.get("format").is_none();
    let check = TextCheck {
        id,
        min: schema.get("minLength").and_then(Value::as_u64),
        max: schema.get("maxLength").and_then(Value::as_u64),
        pattern: schema
            .get("pattern")
            .and_then(Value::as_str)
            .map(String::from),
    };
    let constrained = check.min.is_some() || check.max.is_some() || check.pattern.is_some();
    (is_text && constrained).then_some(check)
}

fn body(schema: &Value, doc: &Value) -> Body {
    let required = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect();
    let mut defaults: Vec<(String, String)> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, p)| {
            let default = resolve(p, doc).get("default")?;
            Some((name.clone(), default.to_string()))
        })
        .collect();
    defaults.sort();
    Body { required, defaults }
}

/// The documented answers, in the spec's order.
fn responses(op: &Value, doc: &Value) -> Vec<(u16, bool, Option<String>)> {
    op.get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(status, response)| {
            // `2XX`: the range as its first digit (`vast_api::Documented::status`).
            let code = match status.as_str() {
                "default" => 0,
                range if range.len() == 3 && range[1..].eq_ignore_ascii_case("XX") => {
                    range[..1].parse().ok().filter(|d| (1..=5).contains(d))?
                }
                other => other.parse().ok()?,
            };
            let json = resolve(response, doc).pointer("/content/application~1json");
            let schema = json
                .and_then(|j| j.get("schema"))
                .filter(|_| code == 2 || (200..300).contains(&code))
                .map(|s| shape(s, doc, &mut Vec::new()).to_string());
            Some((code, json.is_some(), schema))
        })
        .collect()
}

/// `schema` with its `$ref`s inlined and only the keywords a shape is checked by; a reference
/// back into itself (a tree) is `{}`, any value.
fn shape(schema: &Value, doc: &Value, within: &mut Vec<String>) -> Value {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        if within.iter().any(|t| t == target) {
            return Value::Object(Map::new());
        }
        within.push(target.to_string());
        let inlined = shape(resolve(schema, doc), doc, within);
        within.pop();
        return inlined;
    }
    let Some(object) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in object {
        if !SHAPE_KEYWORDS.contains(&key.as_str()) {
            continue;
        }
        let value = match key.as_str() {
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, s)| (name.clone(), shape(s, doc, within)))
                    .collect(),
            ),
            "items" | "additionalProperties" => shape(value, doc, within),
            "oneOf" | "anyOf" | "allOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| shape(s, doc, within))
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parameters_body_and_answers_are_described() {
        let doc = json!({
            "components": {"schemas": {
                "Key": {"type": "object", "description": "a key", "properties": {
                    "id": {"type": "integer"}, "child": {"$ref": "#/components/schemas/Key"}}}
            }},
            "paths": {"/keys/{key_id}/": {
                "parameters": [{"name": "key_id", "in": "path", "required": true}],
                "put": {
                    "parameters": [{"name": "dry", "in": "query"}, {"name": "X-Trace", "in": "header"}],
                    "requestBody": {"content": {"application/json": {"schema": {
                        "type": "object", "required": ["name"],
                        "properties": {"name": {"type": "string", "minLength": 1}, "size": {"type": "integer", "default": 10},
                                       "kind": {"type": "string", "default": "a"}}}}}},
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Key"}}}},
                        "404": {"content": {"application/json": {"schema": {"type": "object"}}}},
                        "5XX": {"description": "down"},
                        "default": {"description": "other"}
                    }
                }
            }}
        });
        let op = &doc["paths"]["/keys/{key_id}/"]["put"];
        let request = request("/keys/{key_id}/", op, &doc);
        assert_eq!(
            request.params,
            [
                ("key-id".into(), "key_id".into(), true),
                ("dry".into(), "dry".into(), false)
            ]
        );
        assert_eq!(
            request.body,
            Some(Body {
                required: vec!["name".into()],
                defaults: vec![
                    ("kind".into(), "\"a\"".into()),
                    ("size".into(), "10".into())
                ],
            })
        );
        assert_eq!(
            request.responses,
            [
                (
                    200,
                    true,
                    // Inlined, descriptions dropped, the tree's reference to itself any value.
                    Some(
                        r#"{"type":"object","properties":{"id":{"type":"integer"},"child":{}}}"#
                            .into()
                    )
                ),
                (404, true, None),
                (5, false, None),
                (0, false, None)
            ]
        );
        assert_eq!(
            request.checks,
            [TextCheck {
                id: "name".into(),
                min: Some(1),
                ..TextCheck::default()
            }]
        );
    }
}
