//! try-spec's checks of filter expressions and pages, which only a spec with such operations
//! (the vendor's whole one) shows: through the built `vast`, against the local mock (to see the
//! request on the wire) and Prism (to see that the spec accepts it).

use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value, json};

use crate::check::spec_mock::SpecMock;
use crate::generate::commands::{self, FilterField};
use vast_test_servers::prism::{NotStarted, Prism};

const KEY: &str = "try-lists-key-7c1e";

/// A command line tried: the command's words and its arguments.
type Run = (Vec<String>, Vec<String>);

/// Runs the checks, writing the `--json-body` files in `scratch`; returns the lines to print,
/// or what failed.
pub fn check(
    scratch: &Path,
    spec: &Path,
    vast: &Path,
    doc: &Value,
    table: &[commands::Command],
) -> Result<Vec<String>, String> {
    let runnable = |c: &&commands::Command| {
        c.positional.is_empty()
            && crate::generate::openapi::operations(doc).any(|(_, _, op)| {
                op.get("operationId").and_then(Value::as_str) == Some(c.operation_id.as_str())
                    && !required_parameters(op)
            })
    };
    let filters: Vec<&commands::Command> = table
        .iter()
        .filter(|c| !c.filter.is_empty())
        .filter(runnable)
        .collect();
    let paged: Vec<&commands::Command> = table
        .iter()
        .filter(|c| c.pagination.is_some())
        .filter(runnable)
        .collect();
    let mut lines = Vec::new();
    let mock = SpecMock::serve(routes_with_tokens(doc, table))
        .map_err(|e| format!("cannot start the mock server: {e}"))?;
    let mut runs = Vec::new();
    for command in &filters {
        lines.push(check_filter(command, doc, scratch, vast, &mock, &mut runs)?);
    }
    for command in &paged {
        lines.push(check_pages(command, vast, &mock, &mut runs)?);
    }
    // Dynamic responses conform to the spec (some of its examples do not), and with --errors
    // a request that violates it is answered 422, so success means no violation.
    let prism = match Prism::start(spec, &["-d", "--errors"]) {
        Ok(prism) => prism,
        Err(NotStarted::Skipped(why)) => {
            lines.push(format!(
                "{why}: filters and pages not checked against it: SKIPPED"
            ));
            return Ok(lines);
        }
        Err(NotStarted::Failed(why)) => return Err(why),
    };
    for (words, args) in &runs {
        run(vast, &prism.url, words, args)?;
    }
    lines.push(format!(
        "Prism (--errors): {} filter and {} paged commands sent requests the spec accepts",
        filters.len(),
        paged.len()
    ));
    Ok(lines)
}

/// A filter command sends the body its expression means, to the mock.
fn check_filter(
    command: &commands::Command,
    doc: &Value,
    scratch: &Path,
    vast: &Path,
    mock: &SpecMock,
    runs: &mut Vec<Run>,
) -> Result<String, String> {
    let (args, expected) = filter_run(command, doc, scratch)?;
    let (words, shown) = (&command.words, format!("vast {}", command.words.join(" ")));
    run(vast, &mock.url, words, &args)?;
    let seen = mock.last();
    let sent: Option<Value> = seen
        .as_ref()
        .and_then(|s| serde_json::from_str(&s.body).ok());
    if sent.as_ref() != Some(&expected) {
        return Err(format!(
            "`{shown} {}` sent {sent:?}, not {expected}",
            args.join(" ")
        ));
    }
    let line = format!(
        "`{shown} {}` sent {expected}",
        args.iter()
            .map(|a| format!("{a:?}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    runs.push((words.clone(), args));
    Ok(line)
}

/// A paged command follows the token by default, and stops when the mock repeats it: the
/// pages that came, and exit 10 (the list is incomplete).
fn check_pages(
    command: &commands::Command,
    vast: &Path,
    mock: &SpecMock,
    runs: &mut Vec<Run>,
) -> Result<String, String> {
    let pagination = command.pagination.as_ref().expect("paged");
    let shown = format!("vast {}", command.words.join(" "));
    let before = mock.seen.lock().unwrap_or_else(|e| e.into_inner()).len();
    let output = run_exiting(vast, &mock.url, &command.words, &[], 10)?;
    let seen = mock.seen.lock().unwrap_or_else(|e| e.into_inner())[before..].to_vec();
    let asked: Vec<&str> = seen.iter().map(|s| s.query.as_str()).collect();
    let token_sent = format!("{}=tok-1", pagination.query_param);
    let stopped = String::from_utf8_lossy(&output.stderr);
    if asked.len() != 2
        || asked[0].contains(&token_sent)
        || !asked[1].contains(&token_sent)
        || !stopped.contains("repeated a page token after 2 pages")
    {
        return Err(format!(
            "`{shown}` against a server that repeats its token asked with {asked:?} and said {stopped:?}"
        ));
    }
    // Against Prism's random pages, one item is enough to show the requests are the spec's.
    runs.push((
        command.words.clone(),
        vec!["--max-items".into(), "1".into()],
    ));
    Ok(format!(
        "`{shown}` followed `{}` into `{}` and stopped when the token repeated (exit 10)",
        pagination.response_field, pagination.query_param
    ))
}

fn required_parameters(op: &Value) -> bool {
    op.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|p| p.get("required") == Some(&Value::Bool(true)))
}

/// The spec's routes, where each filter and paged operation answers with an example built from
/// its response schema (the spec's own example need not conform: the vendor's `search offers`
/// one does not), paged ones with a next-page token, the same every time: a server that never
/// stops.
fn routes_with_tokens(
    doc: &Value,
    table: &[commands::Command],
) -> Vec<crate::check::spec_mock::Route> {
    let mut routes = crate::check::spec_mock::routes(doc);
    for (path, method, op) in crate::generate::openapi::operations(doc) {
        let id = op.get("operationId").and_then(Value::as_str);
        let Some(command) = table
            .iter()
            .find(|c| Some(c.operation_id.as_str()) == id)
            .filter(|c| !c.filter.is_empty() || c.pagination.is_some())
        else {
            continue;
        };
        let Some(schema) = crate::generate::openapi::success_schema_of(op) else {
            continue;
        };
        let mut body = crate::check::examples::example(&schema, doc);
        if let (Some(p), Some(fields)) = (&command.pagination, body.as_object_mut()) {
            fields.insert(p.response_field.clone(), json!("tok-1"));
        }
        for route in routes
            .iter_mut()
            .filter(|r| r.path == path && r.method.eq_ignore_ascii_case(method))
        {
            route.body = body.to_string();
            // Always `tok-1`: the check below wants a server that repeats its token.
            route.last_page = None;
        }
    }
    routes
}

/// The arguments of a filtering command, and the body they must send: a filter expression over
/// up to three of its fields (a typed `eq`, a typed `in`, one without types), a `--json-body`
/// with an operator the spec does not list for its field, and an integer body flag given
/// beside it, which overrides the file's value; the spec's default conditions are added.
fn filter_run(
    command: &commands::Command,
    doc: &Value,
    dir: &Path,
) -> Result<(Vec<String>, Value), String> {
    let typed = |op: &str| {
        command.filter.iter().find_map(|f| {
            f.typed
                .iter()
                .find(|(o, _)| o == op)
                .map(|(_, t)| (f, t.as_str()))
        })
    };
    let mut query = Vec::new();
    let mut filter = Map::new();
    let mut add = |field: &FilterField, text: String, op: &str, value: Value| {
        query.push(text);
        filter.insert(field.name.clone(), json!({ op: value }));
    };
    if let Some((field, "boolean")) = typed("eq") {
        add(field, format!("{}=false", field.name), "eq", json!(false));
    }
    match typed("in") {
        Some((field, "integer")) => add(
            field,
            format!("{} in [1,2]", field.name),
            "in",
            json!([1, 2]),
        ),
        Some((field, _)) => add(
            field,
            format!("{} in [A_1,B]", field.name),
            "in",
            json!(["A 1", "B"]),
        ),
        None => {}
    }
    // Zero, which is zero in any unit a field may be read in (a bare `gpu_ram` is GB).
    let untyped = command
        .filter
        .iter()
        .find(|f| f.typed.is_empty() && f.kind.as_deref() != Some("string"));
    if let Some(field) = untyped {
        add(field, format!("{}>=0", field.name), "gte", json!(0));
    }
    // An operator the schema does not list for a field that lists others (a numeric one
    // first: `num_gpus`, whose schema lists only `in`, with `gte`).
    let mut written = Map::new();
    let lists_others =
        |f: &&FilterField| !f.typed.is_empty() && f.typed.iter().all(|(op, _)| op != "gte");
    if let Some(field) = command
        .filter
        .iter()
        .filter(lists_others)
        .find(|f| {
            f.typed
                .iter()
                .any(|(_, ty)| ty == "integer" || ty == "number")
        })
        .or_else(|| command.filter.iter().find(lists_others))
    {
        written.insert(field.name.clone(), json!({"gte": 2}));
    }
    let mut args = Vec::new();
    let integer_flag = command.body_flags.iter().find(|(_, field)| {
        body_property(doc, &command.operation_id, field)
            .is_some_and(|p| p.get("type") == Some(&json!("integer")))
    });
    if let Some((flag, field)) = integer_flag {
        written.insert(field.clone(), json!(3));
        args.extend([format!("--{flag}"), "7".into()]);
    }
    let file = dir.join(format!("{}.json", command.operation_id));
    std::fs::write(&file, Value::Object(written.clone()).to_string())
        .map_err(|e| format!("writing {}: {e}", file.display()))?;
    args.extend(["--json-body".into(), file.display().to_string()]);
    args.push(query.join(" "));
    let flag_field = integer_flag.map(|(_, field)| field.as_str());
    Ok((args, expected_body(command, written, flag_field, filter)))
}

/// The body a filter run must send: the file's, with the flag's value (7) over it, the spec's
/// default conditions for the fields it does not set, and the expression's conditions merged in.
fn expected_body(
    command: &commands::Command,
    written: Map<String, Value>,
    flag_field: Option<&str>,
    filter: Map<String, Value>,
) -> Value {
    let mut expected = written;
    if let Some(field) = flag_field {
        expected.insert(field.to_string(), json!(7));
    }
    // The spec's default conditions hold for a body file too, where it does not set the field.
    for field in &command.filter {
        let default = field.default.as_deref().map(serde_json::from_str::<Value>);
        if let (false, Some(Ok(default))) = (expected.contains_key(&field.name), default) {
            expected.insert(field.name.clone(), default);
        }
    }
    for (field, ops) in filter {
        match (expected.get_mut(&field), ops) {
            (Some(Value::Object(present)), Value::Object(ops)) => present.extend(ops),
            (_, ops) => {
                expected.insert(field, ops);
            }
        }
    }
    Value::Object(expected)
}

/// The schema of a property of an operation's JSON body.
fn body_property<'a>(doc: &'a Value, operation_id: &str, field: &str) -> Option<&'a Value> {
    let (_, _, op) = crate::generate::openapi::operations(doc)
        .find(|(_, _, op)| op.get("operationId").and_then(Value::as_str) == Some(operation_id))?;
    let body = crate::generate::openapi::resolve(op.get("requestBody")?, doc);
    let schema =
        crate::generate::openapi::resolve(body.pointer("/content/application~1json/schema")?, doc);
    Some(crate::generate::openapi::resolve(
        schema.get("properties")?.get(field)?,
        doc,
    ))
}

/// `vast` with these arguments against `url`; an error unless it succeeds without showing the key.
fn run(
    vast: &Path,
    url: &str,
    words: &[String],
    args: &[String],
) -> Result<std::process::Output, String> {
    run_exiting(vast, url, words, args, 0)
}

/// As [`run`], which must exit with `code`.
fn run_exiting(
    vast: &Path,
    url: &str,
    words: &[String],
    args: &[String],
    code: i32,
) -> Result<std::process::Output, String> {
    let output = Command::new(vast)
        .args(["--url", url, "--api-key", KEY, "--retry", "1"])
        .args(words)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run vast: {e}"))?;
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    let shown = format!("vast {} {}", words.join(" "), args.join(" "));
    if output.status.code() != Some(code) {
        return Err(format!(
            "`{shown}` at {url} exited with {}, not {code}: {stderr}",
            output.status
        ));
    }
    if stdout.contains(KEY) || stderr.contains(KEY) {
        return Err(format!("`{shown}` printed the API key"));
    }
    Ok(output)
}
