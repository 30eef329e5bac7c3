//! `cargo xtask demo`: the everyday flow of a Vast.ai user (find an offer with a filter, rent it,
//! list instances, destroy it, list API keys), run with the real `vast` against a local mock
//! that answers every operation with the spec's examples, for someone with no account or
//! network. A step whose operation the spec lacks is skipped, so every spec has a demo.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::check::spec_mock::SpecMock;
use crate::generate::{commands, normalize};

/// The key the demo's commands carry; the mock accepts any.
const KEY: &str = "demo-key";

/// One step of the flow: the operation (its Rust name, as names.toml keeps it), the arguments
/// after its command words, and what it shows a person.
struct Step {
    operation: &'static str,
    args: fn(&Ids) -> Vec<String>,
    says: &'static str,
}

/// What earlier steps found, for the steps after them (as a person copies an id from a table).
#[derive(Default)]
struct Ids {
    offer: Option<String>,
    instance: Option<String>,
}

const FLOW: [Step; 5] = [
    Step {
        operation: "search_offers",
        args: |_| vec!["num_gpus>=1 reliability>=0.9".into()],
        says: "find an offer: one GPU or more, 90% reliable",
    },
    Step {
        operation: "create_instance",
        args: |ids| {
            let offer = ids.offer.clone().unwrap_or_else(|| "1".into());
            vec![offer, "--image".into(), "pytorch/pytorch".into()]
        },
        says: "rent it, with an image",
    },
    Step {
        operation: "show_instances",
        args: |_| vec![],
        says: "list your instances",
    },
    Step {
        operation: "destroy_instance",
        args: |ids| {
            let instance = ids.instance.clone().unwrap_or_else(|| "1".into());
            vec![instance, "--yes".into()]
        },
        says: "destroy it (--yes: no question asked)",
    },
    Step {
        operation: "show_api_keys",
        args: |_| vec![],
        says: "list your API keys",
    },
];

pub fn run(root: &Path) -> Result<(), String> {
    eprintln!("building the vast CLI…");
    let vast = build_vast(root)?;
    let normalised = normalize::load(root)?;
    let table = commands::commands(&normalised.doc, &normalised.naming);
    let mock = SpecMock::start(&normalised.doc)
        .map_err(|e| format!("cannot start the mock server: {e}"))?;
    println!(
        "A local mock at {} answers every operation with the examples in openapi.yaml.\n\
         Each command runs with VAST_URL set to it and VAST_API_KEY={KEY}.\n",
        mock.url
    );
    for shown in flow(&vast, &mock, &table)? {
        print!("{shown}");
    }
    Ok(())
}

/// Runs each step the spec has an operation for; what a person reads, step by step.
fn flow(vast: &Path, mock: &SpecMock, table: &[commands::Command]) -> Result<Vec<String>, String> {
    let mut ids = Ids::default();
    let mut shown = Vec::new();
    for step in &FLOW {
        let Some(command) = table.iter().find(|c| c.operation_id == step.operation) else {
            shown.push(format!(
                "# {}: skipped, the spec has no `{}`\n\n",
                step.says, step.operation
            ));
            continue;
        };
        let mut args = command.words.clone();
        args.extend((step.args)(&ids));
        let output = vast_at(vast, &mock.url, &args, true)?;
        shown.push(format!(
            "# {}\n$ vast {}\n{output}\n",
            step.says,
            shell_words(&args)
        ));
        // What the next steps need, read as a script would: the first id in the JSON.
        let raw = vast_at(
            vast,
            &mock.url,
            &[args, vec!["--raw".into()]].concat(),
            false,
        )?;
        // The first document: a paged list's `--raw` prints one per page.
        let first_id = serde_json::Deserializer::from_str(&raw)
            .into_iter::<Value>()
            .next()
            .and_then(Result::ok)
            .and_then(|v| first_id(&v));
        match step.operation {
            "search_offers" => ids.offer = first_id,
            "show_instances" => ids.instance = first_id,
            _ => {}
        }
    }
    Ok(shown)
}

/// `vast ARGS…` against the mock, as on a terminal when `tty`; its stdout, or an error with
/// its stderr.
fn vast_at(vast: &Path, url: &str, args: &[String], tty: bool) -> Result<String, String> {
    let mut command = Command::new(vast);
    command
        .args(args)
        .env("VAST_URL", url)
        .env("VAST_API_KEY", KEY);
    if tty {
        command.env("VAST_FORCE_TTY", "1");
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run vast: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "`vast {}` failed ({}): {stderr}",
            shell_words(args),
            output.status
        ));
    }
    Ok(stdout + &stderr)
}

/// The `id` of the first object of the first list in a response (depth first).
fn first_id(value: &Value) -> Option<String> {
    match value {
        Value::Array(items) => items.iter().find_map(|item| match item.get("id") {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) => Some(s.clone()),
            _ => first_id(item),
        }),
        Value::Object(fields) => fields.values().find_map(first_id),
        _ => None,
    }
}

/// Arguments as a person would type them: quoted where the shell would split them.
fn shell_words(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if a.contains([' ', '>', '<', '\'']) {
                format!("'{}'", a.replace('\'', r"'\''"))
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn build_vast(root: &Path) -> Result<std::path::PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args(["build", "--quiet", "-p", "vast-api-cli", "--bin", "vast"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building vast failed (see cargo's output above)".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("debug").join("vast"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vendored spec's demo: each step's request, once as shown and once as read for the
    /// next step's id, with the key; and the API keys as the seed's example prints them.
    #[test]
    fn the_demo_runs_the_everyday_flow_on_the_vendored_spec() {
        let root = crate::workspace_root();
        let vast = vast_test_servers::vast_binary::vast_bin();
        let normalised = normalize::load(&root).unwrap();
        let table = commands::commands(&normalised.doc, &normalised.naming);
        let mock = SpecMock::start(&normalised.doc).unwrap();
        let shown = flow(vast, &mock, &table).unwrap();
        // Each step runs twice: as shown, then for the next step's id.
        let twice = |lines: &[&'static str]| lines.repeat(2);
        // The spec's default filters, then the expression's; the ids the examples give; the
        // instances' second page, which the example names and the mock answers as the last.
        let expected = [
            twice(&[
                r#"POST /api/v0/bundles {"rentable":{"eq":true},"rented":{"eq":false},"verified":{"eq":true},"num_gpus":{"gte":1},"reliability":{"gte":0.9}}"#,
            ]),
            twice(&[r#"PUT /api/v0/asks/12345678 {"image":"pytorch/pytorch"}"#]),
            twice(&[
                "GET /api/v1/instances ",
                "GET /api/v1/instances?after_token=eyJ2YWx1ZXMiOiB7ImlkIjogMTIzfX0%3D ",
            ]),
            twice(&["DELETE /api/v0/instances/312 "]),
            twice(&["GET /api/v0/auth/apikeys "]),
        ]
        .concat();
        assert_eq!(sent(&mock), expected);
        assert!(
            mock.seen
                .lock()
                .unwrap()
                .iter()
                .all(|s| s.authorization.as_deref() == Some("Bearer demo-key"))
        );
        assert!(shown[0].starts_with(
            "# find an offer: one GPU or more, 90% reliable\n\
             $ vast search offers 'num_gpus>=1 reliability>=0.9'\n"
        ));
        assert!(shown[4].contains("123  456      read    789      Team Alpha\n"));
    }

    /// The requests a flow sent, as `METHOD path?query body` lines, to compare with what a
    /// user expects.
    fn sent(mock: &SpecMock) -> Vec<String> {
        let seen: Vec<crate::check::spec_mock::Seen> = mock.seen.lock().unwrap().clone();
        seen.iter()
            .map(|s| {
                let query = match s.query.as_str() {
                    "" => String::new(),
                    query => format!("?{query}"),
                };
                format!("{} {}{query} {}", s.method, s.path, s.body)
            })
            .collect()
    }
}
