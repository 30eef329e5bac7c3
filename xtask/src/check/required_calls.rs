//! Every operation called with its required arguments alone must make a request the spec
//! accepts: `vast <command> <required arguments>` for each operation of a spec, against Prism
//! with `--errors`, which checks each request against the spec and names what it got wrong in an
//! `sl-violations` header (kept by a proxy in front of it, `vast_test_servers::prism::Proxy`).
//!
//! The arguments are what the published spec requires: path parameters, given positionally; required query parameters; the body's required
//! fields (those rule `defaulted-required` made optional included: Prism reads the spec as
//! published), each by its flag (a boolean as its switch, an object or list as JSON through the
//! flag `vast` gives it), or, for a body that is not an object of fields, a `--json-body` file. Each
//! value is the spec's `example`, else its `default`, else one assembled from the schema
//! ([`examples::example`]). A DELETE gets `--yes`.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};
use vast_test_servers::prism::{NotStarted, Prism, Proxy, Seen};

use crate::check::examples;
use crate::generate::commands;
use crate::generate::normalize::defaulted_required::RELAXED;
use crate::generate::openapi::{path_params, resolve};
use crate::generate::progenitor_names::{body_argument, parameter_argument};

/// One operation's command line: the words after `vast`, and what to write to the
/// `--json-body` file when it needs one.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub args: Vec<String>,
    pub json_body: Option<Value>,
}

/// The value for an argument of this schema (a parameter's or a body field's).
fn value(schema: &Value, doc: &Value) -> Value {
    let resolved = resolve(schema, doc);
    if resolved.get("example").is_none()
        && let Some(default) = resolved.get("default")
    {
        return default.clone();
    }
    examples::example(schema, doc)
}

/// A value as typed on the command line: text as it is, anything else as JSON.
fn typed(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `--name value`, or for a boolean the switch that says it (`--vm`, `--no-vm`).
fn flag(name: &str, schema: &Value, value: Value, doc: &Value) -> Vec<String> {
    let is_boolean = resolve(schema, doc).get("type").and_then(Value::as_str) == Some("boolean");
    match (is_boolean, value) {
        (true, Value::Bool(false)) => vec![format!("--no-{name}")],
        (true, _) => vec![format!("--{name}")],
        (false, value) => vec![format!("--{name}"), typed(&value)],
    }
}

/// Each operation's command line with its required arguments alone, in document order.
pub fn calls(doc: &Value, table: &[commands::Command]) -> Vec<Call> {
    crate::generate::openapi::operations(doc)
        .filter_map(|(path, method, op)| {
            let id = op.get("operationId")?.as_str()?;
            let command = table.iter().find(|c| c.operation_id == id)?;
            let params = parameters(&doc["paths"][path], op, doc);
            let mut args = command.words.clone();
            for name in path_params(path) {
                let param = params
                    .iter()
                    .find(|p| p["in"] == "path" && p["name"] == name);
                args.push(typed(&param.map_or(json!(1), |p| param_value(p, doc))));
            }
            for param in params
                .iter()
                .filter(|p| p["in"] == "query" && p["required"] == true)
            {
                let name = parameter_argument(param["name"].as_str().unwrap_or_default());
                let schema = param.get("schema").unwrap_or(&Value::Null);
                args.extend(flag(&name, schema, param_value(param, doc), doc));
            }
            let json_body = body_arguments(op, doc, &mut args);
            if method == "delete" {
                args.push("--yes".into());
            }
            Some(Call { args, json_body })
        })
        .collect()
}

/// The operation's parameters and its path's, resolved.
fn parameters<'a>(item: &'a Value, op: &'a Value, doc: &'a Value) -> Vec<&'a Value> {
    [item, op]
        .into_iter()
        .filter_map(|at| at.get("parameters").and_then(Value::as_array))
        .flatten()
        .map(|p| resolve(p, doc))
        .collect()
}

/// A parameter's value: its own `example`, else its schema's value.
fn param_value(param: &Value, doc: &Value) -> Value {
    match param.get("example") {
        Some(example) => example.clone(),
        None => value(param.get("schema").unwrap_or(&Value::Null), doc),
    }
}

/// Adds the body's required fields to `args`; returns the `--json-body` document instead when
/// the body is not an object of fields.
fn body_arguments(op: &Value, doc: &Value, args: &mut Vec<String>) -> Option<Value> {
    let body = op
        .get("requestBody")
        .map(|b| resolve(b, doc))
        .and_then(|b| b.pointer("/content/application~1json/schema"))?;
    let schema = resolve(body, doc);
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return Some(examples::example(body, doc));
    };
    // What the published spec requires: the normalised `required`, and what rule
    // `defaulted-required` made optional, which Prism, reading the published spec, requires.
    let required = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    let relaxed = properties
        .iter()
        .filter(|(_, p)| p.get(RELAXED) == Some(&Value::Bool(true)))
        .map(|(name, _)| name.as_str());
    for name in required.chain(relaxed) {
        let Some(field) = properties.get(name) else {
            // Required, yet not described: any JSON, through the flag `vast` gives it.
            args.extend([format!("--{}", body_argument(name)), "{}".into()]);
            continue;
        };
        let is_scalar = matches!(
            resolve(field, doc).get("type").and_then(Value::as_str),
            Some("string" | "integer" | "number" | "boolean")
        );
        let flag_name = body_argument(name);
        if is_scalar {
            args.extend(flag(&flag_name, field, value(field, doc), doc));
        } else {
            args.extend([format!("--{flag_name}"), value(field, doc).to_string()]);
        }
    }
    None
}

/// Why Prism refused a request, if it did: a violation it found in the request, or a request it
/// could not route to an operation.
fn refusal(seen: &Seen) -> Option<String> {
    if seen.requests == 0 {
        return Some("sent nothing".into());
    }
    let in_request: Vec<&String> = seen
        .violations
        .iter()
        .filter(|v| v.contains(r#""location":["request""#))
        .collect();
    if !in_request.is_empty() {
        return Some(format!("Prism refused the request: {in_request:?}"));
    }
    // Prism's own errors about the request (no such path, method, or media type); a response
    // it made that breaks the spec (`#VIOLATIONS` about the response) says nothing of the request.
    let body = &seen.last_body;
    (body.contains("stoplight.io/prism/errors#")
        && !body.contains("stoplight.io/prism/errors#VIOLATIONS"))
    .then(|| format!("Prism answered {:?}: {body}", seen.last_status))
}

/// Runs every operation's call against one Prism with `--errors`. The line to print, or an
/// error naming each command Prism refused and why.
pub fn check(scratch: &Path, spec: &Path, vast: &Path, calls: &[Call]) -> Result<String, String> {
    let prism = match Prism::start(spec, &["--errors"]) {
        Ok(prism) => prism,
        Err(NotStarted::Skipped(why)) => return Ok(format!("{why}: required arguments SKIPPED")),
        Err(NotStarted::Failed(why)) => return Err(why),
    };
    let proxy =
        Proxy::start(&prism.url, None).map_err(|e| format!("cannot start the proxy: {e}"))?;
    let body_file = scratch.join("required-body.json");
    let mut refused = Vec::new();
    for call in calls {
        let mut command = Command::new(vast);
        command.args([
            "--url",
            &proxy.url,
            "--api-key",
            "prism-key-0",
            "--retry",
            "1",
        ]);
        command.args(&call.args);
        if let Some(body) = &call.json_body {
            std::fs::write(&body_file, body.to_string())
                .map_err(|e| format!("writing {}: {e}", body_file.display()))?;
            command.arg("--json-body").arg(&body_file);
        }
        let output = command
            .output()
            .map_err(|e| format!("cannot run vast: {e}"))?;
        if let Some(why) = refusal(&proxy.take()) {
            let stderr = String::from_utf8_lossy(&output.stderr);
            refused.push(format!(
                "vast {}: {why}\n    {}",
                call.args.join(" "),
                stderr.trim()
            ));
        }
    }
    if !refused.is_empty() {
        return Err(format!(
            "{} of {} operations, called with their required arguments alone, were refused:\n  {}",
            refused.len(),
            calls.len(),
            refused.join("\n  ")
        ));
    }
    Ok(format!(
        "required arguments alone: all {} operations' requests accepted by Prism (--errors)",
        calls.len()
    ))
}

/// The check for the workspace at `workspace` (its `openapi.yaml`, normalised with its names)
/// and the `vast` built from it; `scratch` holds the `--json-body` files. try-spec runs it on
/// any spec, the workspace's tests on the vendored one.
pub fn run(scratch: &Path, workspace: &Path, vast: &Path) -> Result<String, String> {
    let normalised = crate::generate::normalize::load(workspace)?;
    let table = commands::commands(&normalised.doc, &normalised.naming);
    let calls = calls(&normalised.doc, &table);
    if calls.len() != table.len() {
        return Err(format!(
            "internal error: {} calls for {} operations",
            calls.len(),
            table.len()
        ));
    }
    check(
        scratch,
        &workspace.join(crate::generate::SPEC),
        vast,
        &calls,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_call_carries_what_the_spec_requires_and_nothing_else() {
        let doc = json!({"paths": {
            "/things/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}, "example": 7}],
                "put": {
                    "operationId": "update_thing",
                    "parameters": [
                        {"name": "dryRun", "in": "query", "required": true, "schema": {"type": "boolean"}},
                        {"name": "note", "in": "query", "schema": {"type": "string"}},
                    ],
                    "requestBody": {"content": {"application/json": {"schema": {
                        "type": "object", "required": ["name", "tags", "size", "extra"],
                        "properties": {
                            "name": {"type": "string", "format": "email"},
                            "tags": {"type": "array", "items": {"type": "string", "example": "a"}},
                            "size": {"type": "number", "default": 2.5},
                            "image": {"type": "string", "description": "Default: `x`.", "x-required-in-spec": true},
                            "label": {"type": "string"},
                        }
                    }}}},
                },
                "delete": {"operationId": "delete_thing"},
            },
            "/raw": {"post": {"operationId": "raw", "requestBody": {"content": {"application/json": {
                "schema": {"type": "array", "items": {"type": "integer"}}
            }}}}},
        }});
        let command = |id: &str, words: &[&str]| commands::Command {
            operation_id: id.into(),
            words: words.iter().map(|w| w.to_string()).collect(),
            ..Default::default()
        };
        let table = [
            command("update_thing", &["update", "thing"]),
            command("delete_thing", &["delete", "thing"]),
            command("raw", &["raw"]),
        ];
        let lines: Vec<(String, Option<Value>)> = calls(&doc, &table)
            .into_iter()
            .map(|c| (c.args.join(" "), c.json_body))
            .collect();
        assert_eq!(
            lines,
            [
                (
                    r#"update thing 7 --no-dry-run --name user@example.com --tags ["a"] --size 2.5 --extra {} --image string"#.to_string(),
                    None
                ),
                ("delete thing 7 --yes".to_string(), None),
                ("raw".to_string(), Some(json!([0]))),
            ]
        );
    }

    #[test]
    fn a_violation_in_the_request_or_an_unrouted_one_is_a_refusal() {
        let seen = |violations: &[&str], body: &str| Seen {
            requests: 1,
            last_status: Some(200),
            last_body: body.into(),
            violations: violations.iter().map(|v| v.to_string()).collect(),
        };
        assert_eq!(refusal(&Seen::default()).as_deref(), Some("sent nothing"));
        assert!(
            refusal(&seen(
                &[r#"[{"location":["request","body"],"code":"required"}]"#],
                "{}"
            ))
            .is_some()
        );
        assert!(
            refusal(&seen(
                &[],
                r#"{"type":"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR"}"#
            ))
            .is_some()
        );
        // Prism's own response breaking the spec says nothing of the request.
        let response = r#"[{"location":["response","body"],"code":"oneOf"}]"#;
        let body = r#"{"type":"https://stoplight.io/prism/errors#VIOLATIONS"}"#;
        assert_eq!(refusal(&seen(&[response], body)), None);
    }

    /// The vendored spec: every operation, called with what it requires, is accepted.
    #[test]
    fn every_operation_with_its_required_arguments_alone_is_accepted_by_prism() {
        let vast = vast_test_servers::vast_binary::vast_bin();
        let scratch = tempfile::tempdir().unwrap();
        let line =
            run(scratch.path(), &crate::workspace_root(), vast).unwrap_or_else(|e| panic!("{e}"));
        println!("{line}");
    }
}
