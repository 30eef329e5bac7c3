//! The call a command line describes, made from its operation's entry in the command table
//! (`generated_commands.rs`): each path and query parameter from its argument, the JSON body
//! from the flags and what else the command line wrote ([`Edits`]), and the documented answers
//! with their schemas. `vast` sends it through the library's untyped call
//! ([`vast_api::JsonCall`]), so the binary holds no code per operation.

use clap::ArgMatches;
use serde_json::Value;
use vast_api::{Documented, JsonCall, Responses};

use crate::command_table::{CommandSpec, TextCheck};
use crate::failure::{Exit, Failure};
use crate::request_edit::{self, Edits};

/// An operation's documented answers, their schemas read once for all its pages.
pub struct Answers {
    schemas: Vec<(u16, bool, Option<Value>)>,
}

impl Answers {
    pub fn of(spec: &CommandSpec) -> Self {
        let schemas = spec
            .request
            .answers
            .iter()
            .map(|a| {
                let schema = a.schema.and_then(|s| serde_json::from_str(s).ok());
                (a.status, a.json, schema)
            })
            .collect();
        Answers { schemas }
    }

    pub fn documented(&self) -> Vec<Documented<'_>> {
        self.schemas
            .iter()
            .map(|(status, json, schema)| Documented {
                status: *status,
                json: *json,
                schema: schema.as_ref(),
            })
            .collect()
    }
}

/// The call: `page` is the token of the page to ask for, `None` for the first.
pub fn call<'a>(
    spec: &'static CommandSpec,
    leaf: &ArgMatches,
    edits: &Edits,
    page: Option<&str>,
    documented: &'a [Documented<'a>],
) -> Result<JsonCall<'a>, Failure> {
    let request = &spec.request;
    let (mut path_params, mut query) = (Vec::new(), Vec::new());
    for param in request.params {
        let Some(value) = argument(leaf, param.id) else {
            continue;
        };
        match param.path {
            true => path_params.push((param.name, text(value))),
            false => query.push((param.name, text(value))),
        }
    }
    if let (Some(token), Some(pages)) = (page, spec.pagination) {
        query.retain(|(name, _)| *name != pages.query_param);
        query.push((pages.query_param, token.to_string()));
    }
    let body = match &request.body {
        Some(body_spec) => {
            let body = request_edit::body(body_spec, edits);
            lacking(spec, &body)?;
            Some(body)
        }
        None => None,
    };
    Ok(JsonCall {
        operation_id: spec.operation_id,
        method: spec.method,
        path: request.path,
        path_params,
        query,
        body,
        server: spec.server,
        responses: Responses { documented },
    })
}

/// What the command line gives that the spec refuses, refused once before any request is made
/// (not again for each page): a text the spec constrains, a number JSON cannot hold.
pub fn checked(spec: &CommandSpec, leaf: &ArgMatches) -> Result<(), Failure> {
    checked_texts(spec.request.checks, leaf)?;
    finite_numbers(leaf)
}

/// The constrained text arguments given, checked as the library's text newtypes check them (the
/// most characters, the least, the pattern), with the same words.
fn checked_texts(checks: &[TextCheck], leaf: &ArgMatches) -> Result<(), Failure> {
    for check in checks {
        let Some(Value::String(text)) = argument(leaf, check.id) else {
            continue;
        };
        let length = text.chars().count();
        let unmatched =
            |pattern: &str| regress::Regex::new(pattern).is_ok_and(|re| re.find(&text).is_none());
        let why = match (check.max, check.min, check.pattern) {
            (Some(most), ..) if length > most => format!("longer than {most} characters"),
            (_, Some(least), _) if length < least => format!("shorter than {least} characters"),
            (.., Some(pattern)) if unmatched(pattern) => {
                format!("doesn't match pattern {pattern:?}")
            }
            _ => continue,
        };
        return Err(Failure::new(
            Exit::Usage,
            format!("invalid value for --{}: {why}", check.id),
        ));
    }
    Ok(())
}

/// A body without a field the spec requires is refused before anything is sent, naming it and
/// how to give it.
fn lacking(spec: &CommandSpec, body: &Value) -> Result<(), Failure> {
    let Some(body_spec) = &spec.request.body else {
        return Ok(());
    };
    let Some(missing) = body_spec
        .required
        .iter()
        .find(|field| body.get(**field).is_none())
    else {
        return Ok(());
    };
    let flag = spec
        .body_flags
        .iter()
        .map(|(flag, field)| (*flag, *field))
        .chain(spec.json_flags.iter().map(|f| (f.long, f.field)))
        .find(|(_, field)| field == missing)
        .map(|(flag, _)| format!("--{flag} or "))
        .unwrap_or_default();
    Err(Failure::new(
        Exit::Usage,
        format!(
            "`vast {}` needs the body field `{missing}`, which the spec requires",
            spec.words.join(" ")
        ),
    )
    .hint(format!(
        "give it with {flag}a --json-body document that has it"
    )))
}

/// An argument's value as JSON, by the types the command's arguments have (`cargo xtask gen`
/// refuses a generated argument of a type not read here): a boolean from its switch pair; a
/// number, a time, a date or a uuid as the library's typed body wrote it; text as typed (an
/// enum, a checked string); `None` when it was not given.
pub fn argument(leaf: &ArgMatches, id: &str) -> Option<Value> {
    if !leaf.ids().any(|given| given.as_str() == id) {
        return None;
    }
    if leaf.try_get_one::<bool>(id).is_ok() {
        return crate::switches::switch(leaf, id).map(|b| Value::Bool(*b));
    }
    if let Ok(Some(n)) = leaf.try_get_one::<f32>(id) {
        // As an `f32` writes itself (`0.1`), not as the `f64` it widens to (0.100000001…).
        return Some(number(n.to_string().parse().unwrap_or(f64::NAN)));
    }
    if let Ok(Some(n)) = leaf.try_get_one::<f64>(id) {
        return Some(number(*n));
    }
    typed::<String>(leaf, id)
        .or_else(|| typed::<i64>(leaf, id))
        .or_else(|| typed::<std::num::NonZeroU64>(leaf, id))
        .or_else(|| typed::<u64>(leaf, id))
        .or_else(|| typed::<i32>(leaf, id))
        .or_else(|| typed::<u32>(leaf, id))
        .or_else(|| typed::<chrono::DateTime<chrono::Utc>>(leaf, id))
        .or_else(|| typed::<chrono::NaiveDate>(leaf, id))
        .or_else(|| typed::<uuid::Uuid>(leaf, id))
}

/// The value of argument `id` if it is a `T`, as JSON.
fn typed<T: serde::Serialize + Clone + Send + Sync + 'static>(
    leaf: &ArgMatches,
    id: &str,
) -> Option<Value> {
    let value = leaf.try_get_one::<T>(id).ok()??;
    serde_json::to_value(value).ok()
}

/// A number as JSON; one JSON cannot hold (`nan`, `inf`) was refused already ([`checked`]).
fn number(n: f64) -> Value {
    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// A number argument that JSON cannot hold (clap reads `nan` and `inf` as numbers) is refused,
/// naming it, rather than sent as `null`.
fn finite_numbers(leaf: &ArgMatches) -> Result<(), Failure> {
    for id in leaf.ids() {
        let id = id.as_str();
        let value = match (leaf.try_get_one::<f64>(id), leaf.try_get_one::<f32>(id)) {
            (Ok(Some(n)), _) => *n,
            (_, Ok(Some(n))) => f64::from(*n),
            _ => continue,
        };
        if !value.is_finite() {
            return Err(Failure::new(
                Exit::Usage,
                format!("invalid value for --{id}: {value} is not a number the API takes"),
            ));
        }
    }
    Ok(())
}

/// A parameter's value as it goes into a path or query: text as it is, anything else as JSON.
fn text(value: Value) -> String {
    match value {
        Value::String(text) => text,
        other => other.to_string(),
    }
}
