//! Whether a JSON body has the shape the spec's schema gives it, and where it does not, in one
//! sentence: what a call that reads a response as untyped JSON can say when the body would not
//! have fitted the generated types, without deserializing into them.
//!
//! The rules mirror what the serde-derived types typify generates accept (an optional field
//! accepts null, `1.0` is no integer, `oneOf` takes the first alternative that fits), so a body
//! this calls a mismatch is one the typed call would have refused too.

use serde_json::{Map, Value};

use crate::text::{char_shown, is_unsafe};

/// How deep [`mismatch`] descends (schemas inside schemas, values inside values) before it takes
/// the rest as matching: a hostile body nested ten thousand deep must not overflow the stack.
const MAX_DEPTH: usize = 128;

/// The most characters a quoted value (or an object key in a path) takes in a sentence, `…`
/// included: enough to recognise it, short enough to keep the sentence one line.
const QUOTE_CHARS: usize = 40;

/// How many of the spec's allowed values an `enum` mismatch lists before `…`.
const ENUM_SHOWN: usize = 5;

/// Where `value` is not what `schema` describes, the first such place, as a sentence; `None` when it is.
///
/// `schema` is an OpenAPI 3.0 schema object with every `$ref` inlined (a cycle replaced by `{}`);
/// keywords this does not know, or that are not of the type the spec gives them, are ignored, so
/// a malformed schema accepts more rather than panicking.
pub(crate) fn mismatch(value: &Value, schema: &Value) -> Option<String> {
    Walk { path: Vec::new() }.check(value, schema, 0)
}

/// One step from the whole body to the place a sentence is about.
enum Step<'v> {
    /// An object's field, by name.
    Key(&'v str),
    /// An array's element, by index.
    Index(usize),
}

/// The walk down a body: the path to where it is, so a sentence can say where.
struct Walk<'v> {
    path: Vec<Step<'v>>,
}

impl<'v> Walk<'v> {
    /// The first mismatch of `value` against `schema`, `depth` schemas down from the top.
    fn check(&mut self, value: &'v Value, schema: &Value, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        // A schema that is not an object (`true`, or garbage) says nothing about the value.
        let Value::Object(schema) = schema else {
            return None;
        };
        if value.is_null() && allows_null(schema) {
            return None;
        }
        self.kind_and_value(value, schema)
            .or_else(|| match value {
                Value::Object(fields) => self.fields(fields, schema, depth),
                Value::Array(items) => self.items(items, schema, depth),
                _ => None,
            })
            .or_else(|| self.combinations(value, schema, depth))
    }

    /// The checks of `value` itself, not of what it holds: its kind (`type`), `enum`, `format`.
    fn kind_and_value(&self, value: &Value, schema: &Map<String, Value>) -> Option<String> {
        let types = types(schema);
        if !types.is_empty() && !types.iter().any(|name| fits(value, name)) {
            let wanted: Vec<&str> = types.iter().filter_map(|name| a_type(name)).collect();
            return Some(format!(
                "{} is {}, where the spec has {}",
                self.here(),
                kind(value),
                either(&wanted)
            ));
        }
        if let Some(Value::Array(allowed)) = schema.get("enum")
            && !allowed.is_empty()
            && !allowed.contains(value)
        {
            return Some(format!(
                "{} is {}, not one of the spec's values ({})",
                self.here(),
                quote(value),
                listed(allowed)
            ));
        }
        if let (Value::String(text), Some(Value::String(format))) = (value, schema.get("format"))
            && !format_fits(text, format)
        {
            return Some(format!(
                "{} is {}, not a {} as the spec has",
                self.here(),
                quote(value),
                format
            ));
        }
        None
    }

    /// An object's fields: `required`, then each field against its property's schema or
    /// `additionalProperties`.
    fn fields(
        &mut self,
        fields: &'v Map<String, Value>,
        schema: &Map<String, Value>,
        depth: usize,
    ) -> Option<String> {
        let required = required(schema);
        let properties = schema.get("properties").and_then(Value::as_object);
        // A required field that may be null is an `Option` too, which serde reads as `None`
        // when it is missing.
        let nullable = |name: &str| {
            properties
                .and_then(|known| known.get(name))
                .and_then(Value::as_object)
                .is_some_and(allows_null)
        };
        if let Some(missing) = required
            .iter()
            .find(|name| !fields.contains_key(**name) && !nullable(name))
        {
            return Some(format!(
                "{} lacks `{}`, which the spec requires",
                self.here(),
                key_shown(missing)
            ));
        }
        let additional = schema.get("additionalProperties");
        for (name, field) in fields {
            let sub = match (properties.and_then(|known| known.get(name)), additional) {
                // Not required: an `Option`, which takes null as `None`.
                (Some(_), _) if field.is_null() && !required.contains(&name.as_str()) => continue,
                (Some(sub), _) => sub,
                (None, Some(Value::Bool(false))) => {
                    return self.below(Step::Key(name), |walk| {
                        Some(format!("{} is not a field the spec allows", walk.here()))
                    });
                }
                (None, Some(sub @ Value::Object(_))) => sub,
                (None, _) => continue,
            };
            let found = self.below(Step::Key(name), |walk| walk.check(field, sub, depth + 1));
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// What `look` finds one `step` further down the body.
    fn below(
        &mut self,
        step: Step<'v>,
        look: impl FnOnce(&mut Self) -> Option<String>,
    ) -> Option<String> {
        self.path.push(step);
        let found = look(self);
        self.path.pop();
        found
    }

    /// An array's elements, each against `items`.
    fn items(
        &mut self,
        items: &'v [Value],
        schema: &Map<String, Value>,
        depth: usize,
    ) -> Option<String> {
        let sub @ Value::Object(_) = schema.get("items")? else {
            return None;
        };
        items.iter().enumerate().find_map(|(index, item)| {
            self.below(Step::Index(index), |walk| walk.check(item, sub, depth + 1))
        })
    }

    /// `allOf` (each must fit: the first that does not is the mismatch), then `oneOf` and `anyOf`
    /// (one must fit, as typify's untagged enums take the first alternative that deserializes).
    fn combinations(
        &mut self,
        value: &'v Value,
        schema: &Map<String, Value>,
        depth: usize,
    ) -> Option<String> {
        if let Some(Value::Array(all)) = schema.get("allOf") {
            for sub in all {
                if let Some(found) = self.check(value, sub, depth + 1) {
                    return Some(found);
                }
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(alternatives)) = schema.get(keyword)
                && !alternatives.is_empty()
                && alternatives
                    .iter()
                    .all(|sub| self.check(value, sub, depth + 1).is_some())
            {
                return Some(format!(
                    "{} is {}, which matches none of the spec's alternatives",
                    self.here(),
                    kind(value)
                ));
            }
        }
        None
    }

    /// The path to where the walk is, in backticks: `$` for the whole body, `a[1][2].b` below it
    /// (`$[0]` when the body itself is an array).
    fn here(&self) -> String {
        let mut out = String::new();
        for (at, step) in self.path.iter().enumerate() {
            match step {
                Step::Key(name) => {
                    if at > 0 {
                        out.push('.');
                    }
                    out.push_str(&key_shown(name));
                }
                Step::Index(index) => {
                    if at == 0 {
                        out.push('$');
                    }
                    out.push_str(&format!("[{index}]"));
                }
            }
        }
        if out.is_empty() {
            out.push('$');
        }
        format!("`{out}`")
    }
}

/// The type names `schema` allows, as the spec lists them, only the ones this knows; empty when
/// it allows any kind. Without `type`, `properties` (or an `additionalProperties` schema or
/// `false`) makes it an object and `items` an array, as typify reads such a schema.
fn types(schema: &Map<String, Value>) -> Vec<&str> {
    let named: Vec<&str> = match schema.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let known: Vec<&str> = named
        .into_iter()
        .filter(|name| a_type(name).is_some())
        .collect();
    if !known.is_empty() {
        return known;
    }
    let object = schema.get("properties").is_some_and(Value::is_object)
        || matches!(
            schema.get("additionalProperties"),
            Some(Value::Object(_) | Value::Bool(false))
        );
    if object {
        vec!["object"]
    } else if schema.get("items").is_some_and(Value::is_object) {
        vec!["array"]
    } else {
        Vec::new()
    }
}

/// Whether null is one of `schema`'s values: `nullable: true` (3.0) or `"null"` among its types
/// (3.1), what typify makes an `Option`.
fn allows_null(schema: &Map<String, Value>) -> bool {
    let typed_null = match schema.get("type") {
        Some(Value::String(name)) => name == "null",
        Some(Value::Array(names)) => names.iter().any(|name| name == "null"),
        _ => false,
    };
    typed_null || schema.get("nullable") == Some(&Value::Bool(true))
}

/// Whether `value` is of the type named `name`. An integer is a number serde reads as `i64` or
/// `u64`, so `1.0` is not one, as the generated types refuse it.
fn fits(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// The type named `name` as a sentence says it ("an integer"), `None` for a name OpenAPI does not
/// have.
fn a_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "null" => "null",
        "boolean" => "a boolean",
        "integer" => "an integer",
        "number" => "a number",
        "string" => "a string",
        "array" => "an array",
        "object" => "an object",
        _ => return None,
    })
}

/// Alternatives as a sentence says them: "a string", "a string or null", "a, b or c".
fn either(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [first @ .., last] => format!("{} or {last}", first.join(", ")),
    }
}

/// What `value` is, as a sentence says it: its kind, and for a number or a string the value too,
/// since the kind alone would not show what is wrong with it.
fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => "a boolean".to_owned(),
        Value::Number(_) => format!("the number {}", quote(value)),
        Value::String(_) => format!("the string {}", quote(value)),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// The names `required` lists; entries that are not strings are ignored.
fn required(schema: &Map<String, Value>) -> Vec<&str> {
    match schema.get("required") {
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether `text` is in `format`, for the formats the generated types parse, as their serde
/// reads them (`date-time` as chrono's `FromStr`, which also takes `+0000` and a space before
/// the offset; `date`; `uuid`); any other format is taken as met.
fn format_fits(text: &str, format: &str) -> bool {
    match format {
        "date-time" => text
            .parse::<chrono::DateTime<chrono::FixedOffset>>()
            .is_ok(),
        "date" => text.parse::<chrono::NaiveDate>().is_ok(),
        "uuid" => uuid::Uuid::parse_str(text).is_ok(),
        _ => true,
    }
}

/// The spec's allowed values, quoted, at most [`ENUM_SHOWN`] of them and then `…`.
fn listed(allowed: &[Value]) -> String {
    let mut shown: Vec<String> = allowed.iter().take(ENUM_SHOWN).map(quote).collect();
    if allowed.len() > ENUM_SHOWN {
        shown.push("…".to_owned());
    }
    shown.join(", ")
}

/// An object key as a path shows it: each character that would act on a terminal escaped (as
/// [`char_shown`] writes it), cut to [`QUOTE_CHARS`] characters, as a server chose it.
fn key_shown(name: &str) -> String {
    let mut out = Quote::default();
    for c in name.chars() {
        if out.full() {
            break;
        }
        out.push_str(&char_shown(c));
    }
    out.finish()
}

/// `value` as JSON, cut to [`QUOTE_CHARS`] characters with `…`; characters that would act on a
/// terminal written as JSON escapes, so the quote stays valid JSON as far as it goes.
fn quote(value: &Value) -> String {
    let mut out = Quote::default();
    out.value(value);
    out.finish()
}

/// JSON written only as far as a quote shows it: a body of a million elements, or nested ten
/// thousand deep, costs no more than its first few characters (and no deep recursion, since each
/// level writes a character before it goes deeper).
#[derive(Default)]
struct Quote {
    out: String,
    chars: usize,
}

impl Quote {
    /// Whether enough is written to know the quote is cut.
    fn full(&self) -> bool {
        self.chars > QUOTE_CHARS
    }

    fn push(&mut self, c: char) {
        if !self.full() {
            self.out.push(c);
            self.chars += 1;
        }
    }

    fn push_str(&mut self, text: &str) {
        text.chars().for_each(|c| self.push(c));
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.push_str("null"),
            Value::Bool(b) => self.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => self.push_str(&n.to_string()),
            Value::String(text) => self.string(text),
            Value::Array(items) => {
                self.push('[');
                for (at, item) in items.iter().enumerate() {
                    if self.full() {
                        return;
                    }
                    if at > 0 {
                        self.push(',');
                    }
                    self.value(item);
                }
                self.push(']');
            }
            Value::Object(fields) => {
                self.push('{');
                for (at, (name, item)) in fields.iter().enumerate() {
                    if self.full() {
                        return;
                    }
                    if at > 0 {
                        self.push(',');
                    }
                    self.string(name);
                    self.push(':');
                    self.value(item);
                }
                self.push('}');
            }
        }
    }

    fn string(&mut self, text: &str) {
        self.push('"');
        for c in text.chars() {
            if self.full() {
                return;
            }
            match c {
                '"' => self.push_str("\\\""),
                '\\' => self.push_str("\\\\"),
                '\n' => self.push_str("\\n"),
                '\r' => self.push_str("\\r"),
                '\t' => self.push_str("\\t"),
                c if is_unsafe(c) => {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        self.push_str(&format!("\\u{unit:04x}"));
                    }
                }
                c => self.push(c),
            }
        }
        self.push('"');
    }

    /// What was written, or when it went past [`QUOTE_CHARS`], its start and `…`.
    fn finish(self) -> String {
        if self.full() {
            let mut cut: String = self.out.chars().take(QUOTE_CHARS - 1).collect();
            cut.push('…');
            cut
        } else {
            self.out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn said(value: Value, schema: Value) -> String {
        mismatch(&value, &schema).unwrap_or_else(|| panic!("{value} should not fit {schema}"))
    }

    fn keys_schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "apikeys": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "rights"],
                        "properties": {
                            "id": {"type": "integer"},
                            "rights": {"type": "object"},
                            "note": {"type": "string"}
                        }
                    }
                }
            }
        })
    }

    #[test]
    fn a_fitting_body_is_none() {
        let body = json!({"apikeys": [{"id": 1, "rights": {}, "note": "n"}, {"id": 2, "rights": {"a": 1}}]});
        assert_eq!(mismatch(&body, &keys_schema()), None);
    }

    #[test]
    fn wrong_kind_says_path_value_and_spec() {
        let body = json!({"apikeys": [{"id": "one", "rights": {}}]});
        assert_eq!(
            said(body, keys_schema()),
            r#"`apikeys[0].id` is the string "one", where the spec has an integer"#
        );
    }

    #[test]
    fn whole_body_of_wrong_kind() {
        assert_eq!(
            said(json!([1]), keys_schema()),
            "`$` is an array, where the spec has an object"
        );
    }

    #[test]
    fn missing_required_field() {
        let body = json!({"apikeys": [{"id": 1}]});
        assert_eq!(
            said(body, keys_schema()),
            "`apikeys[0]` lacks `rights`, which the spec requires"
        );
        assert_eq!(
            said(json!({}), json!({"required": ["id"]})),
            "`$` lacks `id`, which the spec requires"
        );
        // Required but nullable: an `Option`, which a missing field leaves `None`.
        let nullable = json!({"required": ["id"], "properties": {"id": {"type": "integer", "nullable": true}}});
        assert_eq!(mismatch(&json!({}), &nullable), None);
    }

    #[test]
    fn value_not_in_enum() {
        let schema =
            json!({"properties": {"status": {"type": "string", "enum": ["running", "stopped"]}}});
        assert_eq!(
            said(json!({"status": "paused"}), schema.clone()),
            r#"`status` is "paused", not one of the spec's values ("running", "stopped")"#
        );
        assert_eq!(mismatch(&json!({"status": "running"}), &schema), None);
    }

    #[test]
    fn enum_lists_five_values_then_ellipsis() {
        let schema = json!({"enum": [1, 2, 3, 4, 5, 6, 7]});
        assert_eq!(
            said(json!(8), schema),
            "`$` is 8, not one of the spec's values (1, 2, 3, 4, 5, …)"
        );
    }

    #[test]
    fn nullable_enum_accepts_null() {
        let schema = json!({"type": "string", "enum": ["a"], "nullable": true});
        assert_eq!(mismatch(&Value::Null, &schema), None);
    }

    #[test]
    fn additional_properties_false() {
        let schema =
            json!({"type": "object", "properties": {"a": {}}, "additionalProperties": false});
        assert_eq!(
            said(json!({"a": 1, "extra": 2}), schema.clone()),
            "`extra` is not a field the spec allows"
        );
        assert_eq!(mismatch(&json!({"a": 1}), &schema), None);
    }

    #[test]
    fn additional_properties_schema() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}});
        assert_eq!(mismatch(&json!({"a": "x", "b": 1, "c": 2}), &schema), None);
        assert_eq!(
            said(json!({"a": "x", "b": 1, "c": true}), schema),
            "`c` is a boolean, where the spec has an integer"
        );
        // Absent or `true`: anything goes.
        let open = json!({"properties": {"a": {}}, "additionalProperties": true});
        assert_eq!(mismatch(&json!({"z": [1]}), &open), None);
        assert_eq!(
            mismatch(&json!({"z": [1]}), &json!({"properties": {}})),
            None
        );
    }

    #[test]
    fn date_time_format() {
        let schema = json!({"properties": {"started": {"type": "string", "format": "date-time"}}});
        assert_eq!(
            said(json!({"started": "yesterday"}), schema.clone()),
            r#"`started` is "yesterday", not a date-time as the spec has"#
        );
        assert_eq!(
            mismatch(&json!({"started": "2024-05-01T12:00:00Z"}), &schema),
            None
        );
        assert_eq!(
            mismatch(&json!({"started": "2024-05-01T12:00:00.5+02:00"}), &schema),
            None
        );
        // What chrono's serde reads too, so the typed call took it.
        for relaxed in ["2024-05-01T12:00:00+0000", "2024-05-01 12:00:00 +02:00"] {
            assert_eq!(mismatch(&json!({"started": relaxed}), &schema), None);
        }
    }

    #[test]
    fn uuid_and_date_formats() {
        let uuid = json!({"type": "string", "format": "uuid"});
        assert_eq!(
            mismatch(&json!("67e55044-10b1-426f-9247-bb680e5fe0c8"), &uuid),
            None
        );
        assert_eq!(
            said(json!("nope"), uuid),
            r#"`$` is "nope", not a uuid as the spec has"#
        );
        let date = json!({"type": "string", "format": "date"});
        assert_eq!(mismatch(&json!("2024-02-29"), &date), None);
        assert_eq!(
            said(json!("2023-02-29"), date),
            r#"`$` is "2023-02-29", not a date as the spec has"#
        );
    }

    #[test]
    fn other_formats_are_not_checked() {
        let schema = json!({"type": "string", "format": "email"});
        assert_eq!(mismatch(&json!("not an address"), &schema), None);
        // A format on a value that is not a string says nothing.
        assert_eq!(mismatch(&json!(3), &json!({"format": "date-time"})), None);
    }

    #[test]
    fn null_where_a_kind_is_required() {
        let schema = json!({"required": ["id"], "properties": {"id": {"type": "integer"}}});
        assert_eq!(
            said(json!({"id": null}), schema),
            "`id` is null, where the spec has an integer"
        );
    }

    #[test]
    fn kinds_are_named() {
        let string = json!({"type": "string"});
        assert_eq!(
            said(json!(true), string.clone()),
            "`$` is a boolean, where the spec has a string"
        );
        assert_eq!(
            said(json!(1.5), string.clone()),
            "`$` is the number 1.5, where the spec has a string"
        );
        assert_eq!(
            said(json!({}), string.clone()),
            "`$` is an object, where the spec has a string"
        );
        assert_eq!(
            said(json!([]), string),
            "`$` is an array, where the spec has a string"
        );
        assert_eq!(
            said(json!("x"), json!({"type": "boolean"})),
            r#"`$` is the string "x", where the spec has a boolean"#
        );
        assert_eq!(
            said(json!("x"), json!({"type": "number"})),
            r#"`$` is the string "x", where the spec has a number"#
        );
    }

    #[test]
    fn nullable_and_optional_accept_null() {
        let schema = json!({
            "required": ["given"],
            "properties": {
                "given": {"type": "integer", "nullable": true},
                "optional": {"type": "integer"}
            }
        });
        assert_eq!(
            mismatch(&json!({"given": null, "optional": null}), &schema),
            None
        );
        assert_eq!(mismatch(&json!({"given": null}), &schema), None);
        assert_eq!(
            said(json!({"given": 1, "optional": "1"}), schema),
            r#"`optional` is the string "1", where the spec has an integer"#
        );
        // Null in an additional property is checked as any value.
        let map = json!({"additionalProperties": {"type": "integer"}});
        assert_eq!(
            said(json!({"k": null}), map),
            "`k` is null, where the spec has an integer"
        );
    }

    #[test]
    fn type_arrays_of_openapi_3_1() {
        let schema = json!({"type": ["string", "null"]});
        assert_eq!(mismatch(&Value::Null, &schema), None);
        assert_eq!(mismatch(&json!("x"), &schema), None);
        assert_eq!(
            said(json!(1), schema),
            "`$` is the number 1, where the spec has a string or null"
        );
        let three = json!({"type": ["integer", "boolean", "array"]});
        assert_eq!(mismatch(&json!([]), &three), None);
        assert_eq!(
            said(json!("x"), three),
            r#"`$` is the string "x", where the spec has an integer, a boolean or an array"#
        );
    }

    #[test]
    fn integer_is_not_a_float() {
        let schema = json!({"type": "integer"});
        assert_eq!(mismatch(&json!(1), &schema), None);
        assert_eq!(mismatch(&json!(-1), &schema), None);
        assert_eq!(mismatch(&json!(u64::MAX), &schema), None);
        assert_eq!(
            said(json!(1.0), schema),
            "`$` is the number 1.0, where the spec has an integer"
        );
        assert_eq!(mismatch(&json!(1.0), &json!({"type": "number"})), None);
    }

    #[test]
    fn one_of_and_any_of_need_one_fit() {
        for keyword in ["oneOf", "anyOf"] {
            let schema = json!({keyword: [{"type": "integer"}, {"required": ["a"], "properties": {"a": {}}}]});
            assert_eq!(mismatch(&json!(3), &schema), None);
            assert_eq!(mismatch(&json!({"a": 1}), &schema), None);
            assert_eq!(
                said(json!({"b": 1}), schema.clone()),
                "`$` is an object, which matches none of the spec's alternatives"
            );
            assert_eq!(
                said(json!("s"), schema),
                r#"`$` is the string "s", which matches none of the spec's alternatives"#
            );
        }
        // Both alternatives fitting is fine: typify takes the first.
        let both = json!({"oneOf": [{"type": "number"}, {"type": "integer"}]});
        assert_eq!(mismatch(&json!(1), &both), None);
    }

    #[test]
    fn all_of_reports_the_first_failure() {
        let schema = json!({"allOf": [
            {"properties": {"a": {"type": "string"}}},
            {"required": ["b"]},
            {"required": ["c"]}
        ]});
        assert_eq!(mismatch(&json!({"a": "x", "b": 1, "c": 2}), &schema), None);
        assert_eq!(
            said(json!({"a": "x"}), schema.clone()),
            "`$` lacks `b`, which the spec requires"
        );
        assert_eq!(
            said(json!({"a": 1}), schema),
            "`a` is the number 1, where the spec has a string"
        );
    }

    #[test]
    fn nested_array_paths() {
        let schema = json!({"properties": {"a": {"items": {"items": {"properties": {"b": {"type": "string"}}}}}}});
        let body = json!({"a": [[], [{}, {"b": "ok"}, {"b": 7}]]});
        assert_eq!(
            said(body, schema),
            "`a[1][2].b` is the number 7, where the spec has a string"
        );
        let top = json!({"items": {"items": {"type": "integer"}}});
        assert_eq!(
            said(json!([[1], [2, "x"]]), top),
            r#"`$[1][1]` is the string "x", where the spec has an integer"#
        );
    }

    #[test]
    fn inferred_object_and_array() {
        assert_eq!(
            said(json!(1), json!({"properties": {}})),
            "`$` is the number 1, where the spec has an object"
        );
        assert_eq!(
            said(json!({}), json!({"items": {}})),
            "`$` is an object, where the spec has an array"
        );
        assert_eq!(mismatch(&json!([{"x": 1}]), &json!({})), None);
        assert_eq!(
            mismatch(&Value::Null, &json!({"description": "anything"})),
            None
        );
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(100);
        let expected = format!(
            "`$` is the string \"{}…, where the spec has an integer",
            "x".repeat(38)
        );
        assert_eq!(said(json!(long), json!({"type": "integer"})), expected);
        let quoted = quote(&json!(long));
        assert_eq!(quoted.chars().count(), QUOTE_CHARS);
        // Exactly the limit is not cut.
        let fits = "y".repeat(QUOTE_CHARS - 2);
        assert_eq!(quote(&json!(fits)), format!("\"{fits}\""));
    }

    #[test]
    fn terminal_characters_are_escaped() {
        assert_eq!(
            quote(&json!("a\u{1b}[31m\u{202e}\n\"")),
            r#""a\u001b[31m\u202e\n\"""#
        );
        let schema = json!({"additionalProperties": false});
        assert_eq!(
            said(json!({"k\u{1b}": 1}), schema),
            "`k\\u{1b}` is not a field the spec allows"
        );
    }

    #[test]
    fn malformed_schemas_accept_rather_than_panic() {
        let odd = [
            json!(true),
            json!(null),
            json!([1, 2]),
            json!({"type": 5, "enum": "x", "properties": [], "required": "id", "items": true}),
            json!({"type": ["nonsense"], "allOf": {}, "oneOf": [], "anyOf": 3, "format": 1}),
            json!({"required": [1, null], "additionalProperties": "no", "nullable": "yes"}),
        ];
        for schema in odd {
            assert_eq!(
                mismatch(&json!({"a": [1, "b", null]}), &schema),
                None,
                "{schema}"
            );
        }
    }

    /// A body nested far deeper than [`MAX_DEPTH`] neither overflows the stack when checked nor
    /// when quoted; taken apart level by level so dropping it does not recurse either.
    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut schema = json!({"type": "integer"});
        for _ in 0..200 {
            schema = json!({"type": "array", "items": schema});
        }
        let mut value = json!(1);
        for _ in 0..10_000 {
            value = Value::Array(vec![value]);
        }
        assert_eq!(mismatch(&value, &schema), None);
        assert_eq!(
            mismatch(&value, &json!({"enum": [1]})).unwrap_or_default(),
            format!(
                "`$` is {}…, not one of the spec's values (1)",
                "[".repeat(39)
            )
        );
        let alternatives = json!({"oneOf": [{"type": "object"}, {"items": {"type": "string"}}]});
        assert_eq!(
            mismatch(&value, &alternatives).unwrap_or_default(),
            "`$` is an array, which matches none of the spec's alternatives"
        );
        take_apart(value);
    }

    /// Drops a nested array one level at a time.
    fn take_apart(mut value: Value) {
        while let Value::Array(mut items) = value {
            value = items.pop().unwrap_or(Value::Null);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any value against any schema made of the keywords this reads answers, never panics.
        #[test]
        fn any_value_and_schema_answer(value in json_value(), schema in json_value()) {
            let _ = mismatch(&value, &schema);
        }
    }

    /// Arbitrary JSON whose keys and strings are mostly the keywords and type names a schema has.
    fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let words = prop::sample::select(vec![
            "type",
            "nullable",
            "enum",
            "format",
            "properties",
            "required",
            "items",
            "allOf",
            "oneOf",
            "anyOf",
            "additionalProperties",
            "null",
            "integer",
            "number",
            "string",
            "boolean",
            "array",
            "object",
            "date-time",
            "date",
            "uuid",
            "a",
        ])
        .prop_map(str::to_owned);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            words.clone().prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(words.clone(), inner, 0..6)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }
}
