//! What the CLI changes in a request after the generated code built it, through
//! `ClientConfig::edit_requests`: the JSON body as the user wrote it; and what the generated
//! code asks the CLI for as it builds one ([`Inputs`]: the typed body, a page's token).
//!
//! The generated code can only send the operation's typed body, which drops what the spec's
//! types do not list (`{"num_gpus":{"gte":2}}` went out as `{"num_gpus":{}}`) and refuses
//! what they forbid. So the body sent is the `--json-body` document as written, with the
//! fields of the flags given on the command line taken from the typed body, and the spec's
//! default conditions for the filter fields it does not set (as the typed body has them), then
//! the filter expression's fields merged in.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::generated_cli::CliConfig;

/// What the edit needs to know, filled in as the command line is read.
#[derive(Debug, Default)]
pub struct Edits {
    /// The `--json-body` document as written, with the JSON flags' fields set in it (or those
    /// alone, when there is no file).
    pub json_body: Option<Value>,
    /// The body fields whose flags were given on the command line.
    pub flag_fields: Vec<&'static str>,
    /// The values of the flags given, as JSON, for the typed body the generated code needs
    /// ([`Inputs`]): a required field set by its flag must be there for the written document
    /// to read as the operation's body type.
    pub flag_values: Vec<(&'static str, Value)>,
    /// The filter expression: operator objects, or `null` to leave a field out.
    pub filter: Option<vast_api::filter::Filter>,
    /// `-o`: the body's `order`, over the one `--json-body` has.
    pub order: Option<Value>,
    /// The operation's filter fields, whose spec defaults a written body gets where it does not
    /// set them.
    pub filter_fields: &'static [vast_api::filter::FilterField],
}

/// The edit that applies `edits`, for `ClientConfig::edit_requests`.
pub fn editor(edits: &Arc<Edits>) -> impl Fn(&mut reqwest::Request) + Send + Sync + 'static {
    let edits = edits.clone();
    move |request: &mut reqwest::Request| {
        let typed = request.body().and_then(|b| b.as_bytes());
        if let Some(body) = composed(typed, &edits) {
            *request.body_mut() = Some(body.into());
        }
    }
}

/// What the generated code asks the CLI for as it builds a request (its `CliConfig`): the typed
/// body of what the command line wrote, and for a paged list the token of the page to ask for.
pub struct Inputs<'a> {
    pub edits: &'a Edits,
    /// The token the page before named; `None` for the first page.
    pub page: Option<String>,
}

impl CliConfig for Inputs<'_> {
    /// The written document read as the operation's body type, with the flags' values in (they
    /// are set over it after this anyway), so that a body whose builder wants a field no flag
    /// of progenitor's sets (a map of further fields, `additionalProperties`) is complete; when
    /// the types refuse that (a required filter field missing), with the filter expression's
    /// fields and `--order` in too. `None` when the spec's types refuse both, and the typed body
    /// is the flags' alone. What goes out is the document as written ([`composed`]), the
    /// expression's fields after the spec's defaults.
    fn json_body<B: serde::de::DeserializeOwned>(&self) -> Option<B> {
        let edits = self.edits;
        let mut with_flags = edits
            .json_body
            .clone()
            .unwrap_or_else(|| Value::Object(Map::new()));
        if let Value::Object(fields) = &mut with_flags {
            for (field, value) in &edits.flag_values {
                fields.insert(field.to_string(), value.clone());
            }
        }
        let mut complete = with_flags.clone();
        if let Value::Object(fields) = &mut complete {
            if let Some(filter) = &edits.filter {
                filter.merge_into(fields);
            }
            if let Some(order) = &edits.order {
                fields.insert("order".into(), order.clone());
            }
        }
        serde_json::from_value(with_flags)
            .or_else(|_| serde_json::from_value(complete))
            .ok()
    }

    fn page_token(&self) -> Option<String> {
        self.page.clone()
    }
}

/// The body to send instead of the typed one, when the user wrote JSON or a filter.
pub fn composed(typed: Option<&[u8]>, edits: &Edits) -> Option<Vec<u8>> {
    if edits.json_body.is_none() && edits.filter.is_none() && edits.order.is_none() {
        return None;
    }
    let typed: Value = typed
        .and_then(|b| serde_json::from_slice(b).ok())
        .unwrap_or(Value::Object(Map::new()));
    let mut body = match &edits.json_body {
        Some(written) => {
            let mut body = written.clone();
            if let (Value::Object(fields), Value::Object(typed)) = (&mut body, &typed) {
                for field in &edits.flag_fields {
                    if let Some(value) = typed.get(*field) {
                        fields.insert(field.to_string(), value.clone());
                    }
                }
                with_defaults(fields, edits.filter_fields);
            }
            body
        }
        None => typed,
    };
    if let Value::Object(fields) = &mut body {
        if let Some(filter) = &edits.filter {
            filter.merge_into(fields);
        }
        if let Some(order) = &edits.order {
            fields.insert("order".into(), order.clone());
        }
    }
    Some(serde_json::to_vec(&body).expect("JSON values serialise"))
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

    fn sent(typed: Value, edits: Edits) -> Value {
        let typed = serde_json::to_vec(&typed).unwrap();
        serde_json::from_slice(&composed(Some(&typed), &edits).unwrap()).unwrap()
    }

    #[test]
    fn the_written_body_goes_out_as_written_with_given_flags_over_it() {
        let edits = Edits {
            json_body: Some(
                json!({"num_gpus": {"gte": 2}, "order": [["score", "desc"]], "limit": 5}),
            ),
            flag_fields: vec!["limit"],
            ..Edits::default()
        };
        // The typed body lost the operator and holds the flag's value and a default.
        let typed = json!({"num_gpus": {}, "limit": 10, "verified": {"eq": true}});
        assert_eq!(
            sent(typed, edits),
            json!({"num_gpus": {"gte": 2}, "order": [["score", "desc"]], "limit": 10})
        );
    }

    #[test]
    fn the_filter_merges_into_the_body() {
        let edits = Edits {
            filter: Some(
                vast_api::filter::Filter::parse(
                    "gpu_ram>=24 verified=false rentable=any",
                    &["gpu_ram", "verified", "rentable"].map(|name| {
                        vast_api::filter::FilterField {
                            name,
                            typed: &[],
                            kind: None,
                            description: "",
                            default: None,
                        }
                    }),
                )
                .unwrap(),
            ),
            ..Edits::default()
        };
        let typed =
            json!({"verified": {"eq": true}, "rentable": {"eq": true}, "gpu_ram": {"lt": 80}});
        assert_eq!(
            sent(typed, edits),
            json!({"verified": {"eq": false}, "gpu_ram": {"lt": 80, "gte": 24000}})
        );
    }

    #[test]
    fn a_written_body_gets_the_defaults_it_does_not_set() {
        let field = |name, default| vast_api::filter::FilterField {
            name,
            typed: &[],
            kind: None,
            description: "",
            default,
        };
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
            sent(json!({}), edits),
            json!({"rented": {"eq": true}, "order": [["dph_total", "asc"]], "verified": {"eq": true}})
        );
    }

    #[test]
    fn nothing_written_leaves_the_typed_body() {
        assert_eq!(composed(Some(b"{}"), &Edits::default()), None);
    }

    #[test]
    fn the_typed_body_takes_the_expression_only_when_the_types_need_it() {
        #[derive(serde::Deserialize, PartialEq, Debug)]
        struct Required {
            gpu_ram: Value,
        }
        #[derive(serde::Deserialize, PartialEq, Debug)]
        struct Optional {
            gpu_ram: Option<Value>,
            limit: Option<i64>,
        }
        let fields: &'static [vast_api::filter::FilterField] =
            Box::leak(Box::new([vast_api::filter::FilterField {
                name: "gpu_ram",
                typed: &[],
                kind: None,
                description: "",
                default: None,
            }]));
        let edits = Edits {
            filter: Some(vast_api::filter::Filter::parse("gpu_ram>=24", fields).unwrap()),
            flag_values: vec![("limit", json!(5))],
            ..Edits::default()
        };
        let inputs = Inputs {
            edits: &edits,
            page: None,
        };
        // A required filter field: the expression's value makes the body.
        assert_eq!(
            inputs.json_body::<Required>(),
            Some(Required {
                gpu_ram: json!({"gte": 24000})
            })
        );
        // Otherwise the flags' alone; the expression is merged into what goes out after the
        // spec's defaults.
        assert_eq!(
            inputs.json_body::<Optional>(),
            Some(Optional {
                gpu_ram: None,
                limit: Some(5)
            })
        );
    }
}
