//! The JSON body a command line writes: the `--json-body` document as written (with the JSON
//! flags' fields), the flags given over it, the spec's default conditions for the filter fields
//! it does not set, then the filter expression's fields and `--order`. Without a document, the
//! body is what the library's typed body would be: the spec's defaults and the flags' values,
//! in field-name order.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::command_table::BodySpec;

/// What the edit needs to know, filled in as the command line is read.
#[derive(Debug, Default)]
pub struct Edits {
    /// The `--json-body` document as written, with the JSON flags' fields set in it (or those
    /// alone, when there is no file).
    pub json_body: Option<Value>,
    /// The values of the body flags given, as JSON.
    pub flag_values: Vec<(&'static str, Value)>,
    /// The filter expression: operator objects, or `null` to leave a field out.
    pub filter: Option<vast_api::filter::Filter>,
    /// `-o`: the body's `order`, over the one `--json-body` has.
    pub order: Option<Value>,
    /// The operation's filter fields, whose spec defaults a written body gets where it does not
    /// set them.
    pub filter_fields: &'static [vast_api::filter::FilterField],
}

/// The body `edits` make of an operation's body (`spec`).
pub fn body(spec: &BodySpec, edits: &Edits) -> Value {
    let mut body = match &edits.json_body {
        Some(written) => {
            let mut body = written.clone();
            if let Value::Object(fields) = &mut body {
                for (field, value) in &edits.flag_values {
                    fields.insert(field.to_string(), value.clone());
                }
                with_defaults(fields, edits.filter_fields);
            }
            body
        }
        None => {
            let mut fields: BTreeMap<&str, Value> = spec
                .defaults
                .iter()
                .filter_map(|(field, default)| Some((*field, serde_json::from_str(default).ok()?)))
                .collect();
            for (field, value) in &edits.flag_values {
                fields.insert(field, value.clone());
            }
            Value::Object(
                fields
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            )
        }
    };
    if let Value::Object(fields) = &mut body {
        if let Some(filter) = &edits.filter {
            filter.merge_into(fields);
        }
        if let Some(order) = &edits.order {
            fields.insert("order".into(), order.clone());
        }
    }
    body
}

/// The spec's default condition of each filter field `body` does not set (`"verified":
/// {"eq": true}`): a body file means the same search as flags do, and `FIELD=any` drops one.
fn with_defaults(body: &mut Map<String, Value>, fields: &[vast_api::filter::FilterField]) {
    for field in fields {
        let default = field
            .default
            .and_then(|d| serde_json::from_str::<Value>(d).ok());
        if let (false, Some(default)) = (body.contains_key(field.name), default) {
            body.insert(field.name.to_string(), default);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(name: &'static str, default: Option<&'static str>) -> vast_api::filter::FilterField {
        vast_api::filter::FilterField {
            name,
            typed: &[],
            kind: None,
            description: "",
            default,
        }
    }

    const SPEC: BodySpec = BodySpec {
        required: &[],
        defaults: &[("limit", "10"), ("verified", r#"{"eq":true}"#)],
    };

    #[test]
    fn without_a_document_the_body_is_the_defaults_and_the_flags_in_name_order() {
        let edits = Edits {
            flag_values: vec![("limit", json!(5)), ("disk", json!(0.1))],
            ..Edits::default()
        };
        assert_eq!(
            serde_json::to_string(&body(&SPEC, &edits)).unwrap(),
            r#"{"disk":0.1,"limit":5,"verified":{"eq":true}}"#
        );
    }

    #[test]
    fn the_written_body_goes_out_as_written_with_given_flags_over_it() {
        let edits = Edits {
            json_body: Some(
                json!({"num_gpus": {"gte": 2}, "order": [["score", "desc"]], "limit": 5}),
            ),
            flag_values: vec![("limit", json!(10))],
            ..Edits::default()
        };
        // No spec default but a filter field's joins a written document.
        assert_eq!(
            body(&SPEC, &edits),
            json!({"num_gpus": {"gte": 2}, "order": [["score", "desc"]], "limit": 10})
        );
    }

    #[test]
    fn the_filter_merges_into_the_body() {
        let fields: &'static [vast_api::filter::FilterField] = Box::leak(Box::new([
            field("gpu_ram", None),
            field("verified", Some(r#"{"eq":true}"#)),
            field("rentable", Some(r#"{"eq":true}"#)),
        ]));
        let spec = BodySpec {
            required: &[],
            defaults: &[
                ("gpu_ram", r#"{"lt":80}"#),
                ("rentable", r#"{"eq":true}"#),
                ("verified", r#"{"eq":true}"#),
            ],
        };
        let edits = Edits {
            filter: Some(
                vast_api::filter::Filter::parse("gpu_ram>=24 verified=false rentable=any", fields)
                    .unwrap(),
            ),
            filter_fields: fields,
            ..Edits::default()
        };
        assert_eq!(
            body(&spec, &edits),
            json!({"gpu_ram": {"lt": 80, "gte": 24000}, "verified": {"eq": false}})
        );
    }

    #[test]
    fn a_written_body_gets_the_defaults_it_does_not_set() {
        let fields: &'static [vast_api::filter::FilterField] = Box::leak(Box::new([
            field("verified", Some(r#"{"eq":true}"#)),
            field("rented", Some(r#"{"eq":false}"#)),
            field("rentable", Some(r#"{"eq":true}"#)),
            field("gpu_ram", None),
        ]));
        let edits = Edits {
            json_body: Some(json!({"rented": {"eq": true}, "order": [["dph_total", "asc"]]})),
            filter: Some(vast_api::filter::Filter::parse("rentable=any", fields).unwrap()),
            filter_fields: fields,
            ..Edits::default()
        };
        assert_eq!(
            body(&SPEC, &edits),
            json!({"rented": {"eq": true}, "order": [["dph_total", "asc"]], "verified": {"eq": true}})
        );
    }
}
