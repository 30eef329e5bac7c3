//! `cargo xtask try-spec [SPEC]`: what a user gets by dropping another spec into `openapi.yaml`.
//!
//! A scratch copy of the workspace (under `target/try-spec/`) gets SPEC (default: the vendor's
//! whole spec, `../shared/specs/vast-openapi-full.yaml`) as its `openapi.yaml`; then, as a user
//! would: `cargo xtask gen`, `cargo check --workspace --all-targets`, and `vast show api-keys` plus
//! other generated commands against a local mock that answers with the spec's examples. The
//! scratch copy keeps its build between runs, so a second run builds incrementally. A
//! `subset.toml` is not applied (nor copied): try-spec tests whole specs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::check::spec_mock::SpecMock;
use crate::generate::{self, FULL_SPEC, commands, names, normalize, spec};

const KEY: &str = "try-spec-key-0d9f";

pub fn run(root: &Path, gen_only: bool, release: bool, specs: Vec<PathBuf>) -> Result<(), String> {
    let specs = if specs.is_empty() {
        vec![root.join(FULL_SPEC)]
    } else {
        specs
    };
    let mut failed = Vec::new();
    for spec_path in &specs {
        if !spec_path.exists() {
            println!(
                "try-spec: SKIPPED: {} is absent (the vendor's specs come with ../shared beside the checkout)",
                spec_path.display()
            );
            continue;
        }
        let result = if gen_only {
            generate_only(root, spec_path)
        } else {
            try_one(root, spec_path, release)
        };
        match result {
            Ok(row) => println!("try-spec: {row}"),
            Err(e) => {
                eprintln!("try-spec: {}: FAILED: {e}", spec_path.display());
                failed.push(spec_path.display().to_string());
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("try-spec failed for {}", failed.join(", ")))
    }
}

/// `gen` in memory, with the workspace's names table: what a user gets from `cargo xtask gen`
/// on this spec, without building. The stable names must hold and every operation must be a
/// command.
fn generate_only(root: &Path, spec_path: &Path) -> Result<String, String> {
    let spec = spec::load(spec_path, spec_path)?;
    let generated = generate::generate(&spec, &names::Table::load(root)?, None)?;
    let table = names::Table::parse(generated.file(names::FILE))?;
    stable_names_hold(&table)?;
    Ok(summary(spec_path, &generated, "not built"))
}

/// The seed's names, and its area, which every version of the spec must keep.
fn stable_names_hold(table: &names::Table) -> Result<(), String> {
    let show = table
        .0
        .values()
        .find(|e| e.rust == "show_api_keys")
        .ok_or("no operation is named show_api_keys")?;
    if show.cli != ["show", "api-keys"] {
        return Err(format!(
            "show_api_keys is `vast {}`, not `vast show api-keys`",
            show.cli.join(" ")
        ));
    }
    // vast-api's examples and tracing test require this feature (vast-api/Cargo.toml).
    if show.area.as_deref() != Some("accounts") {
        return Err(format!(
            "show_api_keys is in area {:?}, not `accounts`, which vast-api's examples require",
            show.area
        ));
    }
    Ok(())
}

/// One line for the README's table of spec versions.
fn summary(spec_path: &Path, generated: &generate::Generated, build: &str) -> String {
    let fallbacks = generated
        .naming
        .iter()
        .filter(|n| n.contains(" is taken by "))
        .count();
    let kept = generated
        .naming
        .iter()
        .filter(|n| n.contains(": kept the "))
        .count();
    format!(
        "{}: {} operations; {} repeated keys, {} name fallbacks, {} names kept, {} rewrites; {build}",
        spec_path.display(),
        generated.operations,
        generated.warnings.len(),
        fallbacks,
        kept,
        generated.rewrites.len()
    )
}

/// A scratch copy of the workspace with another spec as its `openapi.yaml`, generated: its
/// folder (`workspace/` and its own `target/` inside) keeps its build between runs.
pub struct Scratch {
    pub dir: PathBuf,
    pub workspace: PathBuf,
}

impl Scratch {
    /// Copies the workspace at `root` to `dir`, with `spec_path` as its spec, and runs `gen`
    /// there; the generated files, and how long `gen` took.
    pub fn prepare(
        root: &Path,
        spec_path: &Path,
        dir: PathBuf,
    ) -> Result<(Self, generate::Generated, std::time::Duration), String> {
        let workspace = dir.join("workspace");
        sync_workspace(root, &workspace)?;
        let spec_bytes =
            std::fs::read(spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
        write_if_changed(&workspace.join(generate::SPEC), &spec_bytes)?;
        let started = Instant::now();
        let spec = spec::load(&workspace.join(generate::SPEC), Path::new(generate::SPEC))?;
        let generated = generate::generate(&spec, &names::Table::load(&workspace)?, None)?;
        generate::write(&workspace, &generated)?;
        Ok((Self { dir, workspace }, generated, started.elapsed()))
    }

    /// `cargo ARGS…` in the copy; the seconds it took.
    pub fn cargo(&self, args: &[&str]) -> Result<f64, String> {
        let started = Instant::now();
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&self.workspace)
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .args(args)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!(
                "`cargo {}` failed in {} (see above)",
                args.join(" "),
                self.workspace.display()
            ));
        }
        Ok(started.elapsed().as_secs_f64())
    }
}

fn try_one(root: &Path, spec_path: &Path, release: bool) -> Result<String, String> {
    let (scratch, generated, gen_time) =
        Scratch::prepare(root, spec_path, root.join("target/try-spec"))?;
    let workspace = &scratch.workspace;
    println!(
        "try-spec: {} as openapi.yaml in {}",
        spec_path.display(),
        workspace.display()
    );
    stable_names_hold(&names::Table::load(workspace)?)?;
    let cargo = |args: &[&str]| scratch.cargo(args);
    let check_time = cargo(&["check", "--quiet", "--workspace", "--all-targets"])?;
    let profile = if release { "release" } else { "debug" };
    let mut build = vec!["build", "--quiet", "-p", "vast-api-cli", "--bin", "vast"];
    if release {
        build.push("--release");
    }
    let build_time = cargo(&build)?;
    let vast = scratch.dir.join("target").join(profile).join("vast");

    let mut results = exercise(&scratch.dir, workspace, &vast)?;
    results.push(crate::check::required_calls::run(
        &scratch.dir,
        workspace,
        &vast,
    )?);

    println!("try-spec: results");
    println!("  operations: {}", generated.operations);
    for file in generate::GENERATED {
        let lines = std::fs::read_to_string(workspace.join(file))
            .map(|t| t.lines().count())
            .unwrap_or(0);
        println!("  {file}: {lines} lines");
    }
    println!("  cargo xtask gen: {:.2} s", gen_time.as_secs_f64());
    println!("  cargo check --workspace --all-targets: {check_time:.1} s");
    println!("  cargo build -p vast-api-cli ({profile}): {build_time:.1} s");
    let size = std::fs::metadata(&vast).map(|m| m.len()).unwrap_or(0);
    println!(
        "  vast binary ({profile}): {:.1} MiB",
        size as f64 / (1 << 20) as f64
    );
    for line in results {
        println!("  {line}");
    }
    Ok(summary(
        spec_path,
        &generated,
        "builds; every command and alias answers --help; `vast show api-keys` works against the mock",
    ))
}

/// What a user does with the `vast` built from the workspace at `workspace`: every command and
/// alias answers `--help`, commands run against a mock answering with the spec's examples
/// (filters, pages and typed arguments included) and against Prism. The lines to print.
/// `scratch` holds the files the runs need. The workspace's own tests run this on the vendored
/// spec; try-spec on any other.
pub fn exercise(scratch: &Path, workspace: &Path, vast: &Path) -> Result<Vec<String>, String> {
    let normalised = normalize::load(workspace)?;
    let doc = normalised.doc;
    let table = commands::commands(&doc, &normalised.naming);
    let spec = workspace.join(generate::SPEC);
    let mut lines = vec![every_command_runs(vast, &table)?];
    let ran = run_commands(vast, &doc, &table)?;
    lines.push(format!("commands run against the mock: {}", ran.join("; ")));
    lines.extend(crate::check::try_lists::check(
        scratch, &spec, vast, &doc, &table,
    )?);
    lines.extend(arguments_behave(vast, &doc, &table)?);
    let plain_gets: Vec<Vec<String>> = operations(&doc)
        .into_iter()
        .filter(Op::is_plain_get)
        .filter_map(|op| table.iter().find(|c| c.operation_id == op.id))
        .filter(|c| c.positional.is_empty())
        .map(|c| {
            // A paged list follows every page: Prism's dynamic tokens never end, so one item.
            let one = ["--max-items".to_string(), "1".to_string()];
            let paged = c.pagination.is_some();
            [&c.words[..], if paged { &one[..] } else { &[] }].concat()
        })
        .collect();
    lines.extend(crate::check::prism::check(&spec, vast, &plain_gets)?);
    Ok(lines)
}

/// Every operation's command, and every alias, is a command of the built `vast`.
fn every_command_runs(vast: &Path, table: &[commands::Command]) -> Result<String, String> {
    let mut count = 0;
    for words in table
        .iter()
        .flat_map(|c| std::iter::once(&c.words).chain(&c.aliases))
    {
        let output = Command::new(vast)
            .args(words)
            .arg("--help")
            .output()
            .map_err(|e| format!("cannot run vast: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "`vast {} --help` failed ({}): {}",
                words.join(" "),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        count += 1;
    }
    Ok(format!(
        "commands: all {count} (operations and aliases) answer --help"
    ))
}

/// `vast show api-keys`, then other generated commands: the first two GET operations without
/// required parameters, and the first with one path parameter (given positionally, as in the
/// vendor CLI). Each must succeed and send the request the spec describes, with the key.
fn run_commands(
    vast: &Path,
    doc: &Value,
    table: &[commands::Command],
) -> Result<Vec<String>, String> {
    let mock = SpecMock::start(doc).map_err(|e| format!("cannot start the mock server: {e}"))?;
    let operations = operations(doc);
    let mut ran = Vec::new();
    for (words, extra, op) in picked(&operations, table)? {
        ran.push(run_one(vast, &mock, &words, &extra, op)?);
    }
    Ok(ran)
}

/// What to run: the words after `vast`, the extra arguments, and the operation.
type Picked<'a> = (Vec<String>, Vec<String>, &'a Op);

fn picked<'a>(
    operations: &'a [Op],
    table: &[commands::Command],
) -> Result<Vec<Picked<'a>>, String> {
    let words_of = |id: &str| -> Vec<String> {
        table
            .iter()
            .find(|c| c.operation_id == id)
            .map(|c| c.words.clone())
            .unwrap_or_default()
    };
    let mut picked: Vec<Picked> = Vec::new();
    let api_keys = operations
        .iter()
        .find(|op| op.id == "show_api_keys")
        .ok_or("the spec has no `show api keys` operation")?;
    // The stable name, then every name the spec now gives it.
    let api_keys_words = std::iter::once(vec!["show".to_string(), "api-keys".to_string()]).chain(
        table
            .iter()
            .filter(|c| c.operation_id == "show_api_keys")
            .flat_map(|c| c.aliases.clone()),
    );
    for words in api_keys_words {
        picked.push((words, vec![], api_keys));
    }
    for op in operations
        .iter()
        .filter(|op| op.is_plain_get() && op.path != api_keys.path)
        .take(2)
    {
        picked.push((words_of(&op.id), vec![], op));
    }
    if let Some(op) = operations.iter().find(|op| {
        op.method == "GET"
            && op.succeeds
            && op.required.len() == 1
            && crate::generate::openapi::path_params(&op.path).len() == 1
    }) {
        picked.push((words_of(&op.id), vec!["42".into()], op));
    }
    Ok(picked)
}

/// Runs one command against the mock: it must succeed, print no key, and send the operation's
/// method and path with the key. The command as shown.
fn run_one(
    vast: &Path,
    mock: &SpecMock,
    words: &[String],
    extra: &[String],
    op: &Op,
) -> Result<String, String> {
    let (method, path) = (&op.method, &op.path);
    let mut args: Vec<String> = ["--url", &mock.url, "--api-key", KEY, "--retry", "1"]
        .map(String::from)
        .to_vec();
    args.extend(words.iter().cloned());
    args.extend(extra.iter().cloned());
    let shown = format!(
        "vast {}{}",
        words.join(" "),
        extra.iter().map(|e| format!(" {e}")).collect::<String>()
    );
    let output = Command::new(vast)
        .args(&args)
        .output()
        .map_err(|e| format!("cannot run vast: {e}"))?;
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    // Nothing printed is right only for a list with nothing in it (an empty table).
    let empty_but_has_rows = stdout.trim().is_empty() && {
        let raw = Command::new(vast)
            .args(&args)
            .arg("--raw")
            .output()
            .map_err(|e| format!("cannot run vast: {e}"))?;
        serde_json::from_slice::<Value>(&raw.stdout).map_or(true, |v| has_items(&v))
    };
    if !output.status.success() || empty_but_has_rows {
        return Err(format!(
            "`{shown}` failed ({}):\n{stdout}{stderr}",
            output.status
        ));
    }
    if stdout.contains(KEY) || stderr.contains(KEY) {
        return Err(format!("`{shown}` printed the API key"));
    }
    let seen = mock.last();
    let expected_path = path.replace("{", "").replace("}", "");
    let ok = seen.as_ref().is_some_and(|s| {
        s.method == *method
            && s.authorization.as_deref() == Some(&format!("Bearer {KEY}"))
            && crate::generate::openapi::path_matches(path, &s.path)
    });
    if !ok {
        return Err(format!(
            "`{shown}` did not send {method} {expected_path} with the key; the mock saw {seen:?}"
        ));
    }
    println!(
        "try-spec: `{shown}` → {method} {path}: ok\n{}",
        indent(&stdout)
    );
    Ok(shown)
}

/// What people type, checked on the first operations of the spec that have it: a DELETE that
/// needs only its path parameters (no body) prints its request with `--dry-run` and sends nothing, and
/// without `--yes` in a pipe is refused with exit 2, sending nothing; a boolean body field or
/// query parameter is a switch (`--NAME`, with `--no-NAME` named in its help).
fn arguments_behave(
    vast: &Path,
    doc: &Value,
    table: &[commands::Command],
) -> Result<Vec<String>, String> {
    let mock = SpecMock::start(doc).map_err(|e| format!("cannot start the mock server: {e}"))?;
    let runner = Runner { vast, mock: &mock };
    let mut checked = Vec::new();
    checked.extend(delete_is_confirmed(&runner, doc, table)?);
    checked.extend(booleans_are_switches(&runner, doc, table)?);
    Ok(checked)
}

/// `vast` against the mock, with the key given.
struct Runner<'a> {
    vast: &'a Path,
    mock: &'a SpecMock,
}

impl Runner<'_> {
    /// Exit code, stdout and stderr; an error if the key was printed.
    fn run(&self, args: &[String]) -> Result<(i32, String, String), String> {
        let output = Command::new(self.vast)
            .args(["--url", &self.mock.url, "--api-key", KEY, "--retry", "1"])
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| format!("cannot run vast: {e}"))?;
        let (stdout, stderr) = (
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        );
        if stdout.contains(KEY) || stderr.contains(KEY) {
            return Err(format!("`vast {}` printed the API key", args.join(" ")));
        }
        Ok((output.status.code().unwrap_or(-1), stdout, stderr))
    }

    fn sent_nothing(&self, shown: &str) -> Result<(), String> {
        match self
            .mock
            .seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_slice()
        {
            [] => Ok(()),
            seen => Err(format!("`{shown}` sent a request: {seen:?}")),
        }
    }
}

/// The first DELETE without a body: `--dry-run` prints it and sends nothing; without `--yes` in
/// a pipe it is refused with exit 2.
fn delete_is_confirmed(
    runner: &Runner,
    doc: &Value,
    table: &[commands::Command],
) -> Result<Option<String>, String> {
    let has_body = |id: &str| {
        crate::generate::openapi::operations(doc).any(|(_, _, op)| {
            op.get("operationId").and_then(Value::as_str) == Some(id)
                && op.get("requestBody").is_some()
        })
    };
    let delete = operations(doc).into_iter().find_map(|op| {
        let params = crate::generate::openapi::path_params(&op.path);
        let command = table.iter().find(|c| c.operation_id == op.id)?;
        (op.method == "DELETE" && op.required.len() == params.len() && !has_body(&op.id))
            .then_some((op, command))
    });
    let Some((op, command)) = delete else {
        return Ok(None);
    };
    let mut args: Vec<String> = command.words.clone();
    args.extend(command.positional.iter().map(|_| "42".to_string()));
    let shown = format!("vast {}", args.join(" "));
    let dry = [args.clone(), vec!["--dry-run".into()]].concat();
    let (code, stdout, stderr) = runner.run(&dry)?;
    let first = stdout.lines().next().unwrap_or_default();
    let url = format!(
        "{}{}",
        runner.mock.url,
        op.path.split('{').next().unwrap_or_default()
    );
    if code != 0 || !first.starts_with(&format!("DELETE {url}")) {
        return Err(format!(
            "`{shown} --dry-run` should print `DELETE {url}…` and exit 0; exit {code}:\n{stdout}{stderr}"
        ));
    }
    runner.sent_nothing(&format!("{shown} --dry-run"))?;
    let (code, stdout, stderr) = runner.run(&args)?;
    if code != 2 || !stderr.contains("--yes") {
        return Err(format!(
            "`{shown}` in a pipe should refuse with exit 2 and name --yes; exit {code}:\n{stdout}{stderr}"
        ));
    }
    runner.sent_nothing(&shown)?;
    Ok(Some(format!(
        "`{shown} --dry-run` printed `{first}` and sent nothing; without --yes in a pipe: exit 2, nothing sent"
    )))
}

/// The first boolean body field or query parameter is a switch, `--no-NAME` named in its help.
fn booleans_are_switches(
    runner: &Runner,
    doc: &Value,
    table: &[commands::Command],
) -> Result<Option<String>, String> {
    let switch = table.iter().find_map(|c| {
        let (_, _, op) = crate::generate::openapi::operations(doc).find(|(_, _, op)| {
            op.get("operationId").and_then(Value::as_str) == Some(&c.operation_id)
        })?;
        let name = boolean_argument(op, doc)?;
        Some((c, name))
    });
    let Some((command, name)) = switch else {
        return Ok(None);
    };
    let shown = format!("vast {} --help", command.words.join(" "));
    let (code, stdout, stderr) =
        runner.run(&[command.words.clone(), vec!["--help".into()]].concat())?;
    // The help may wrap `[--no-NAME sends false]`; the names are whole.
    let flag = format!("--{name}");
    let listed = stdout
        .lines()
        .any(|l| l.split_whitespace().next() == Some(flag.as_str()));
    if code != 0 || !listed || !stdout.contains(&format!("[--no-{name} sends")) {
        return Err(format!(
            "`{shown}` should list the switch `--{name}` and name `--no-{name}`; exit {code}:\n{stdout}{stderr}"
        ));
    }
    Ok(Some(format!(
        "`{shown}` lists the switch --{name} (and --no-{name})"
    )))
}

/// The first boolean query parameter or top-level JSON body field of `op`, as progenitor names
/// its argument (kebab case).
fn boolean_argument(op: &Value, doc: &Value) -> Option<String> {
    use crate::generate::progenitor_names;
    let is_bool = |schema: &Value| {
        crate::generate::openapi::resolve(schema, doc)
            .get("type")
            .and_then(Value::as_str)
            == Some("boolean")
    };
    let query = op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| crate::generate::openapi::resolve(p, doc))
        .find(|p| {
            p.get("in").and_then(Value::as_str) == Some("query")
                && p.get("schema").is_some_and(is_bool)
        })
        .and_then(|p| p.get("name")?.as_str().map(String::from));
    let body = || {
        op.pointer("/requestBody/content/application~1json/schema")
            .map(|s| crate::generate::openapi::resolve(s, doc))
            .and_then(|s| s.get("properties")?.as_object())
            .and_then(|props| {
                props
                    .iter()
                    .find(|(_, s)| is_bool(s))
                    .map(|(n, _)| n.clone())
            })
    };
    query
        .or_else(body)
        .map(|name| progenitor_names::parameter_argument(&name))
}

/// Whether a body has rows a table would show (a list response: an array, or an object with one
/// array field); anything else prints as JSON, which is never empty.
fn has_items(value: &Value) -> bool {
    match value {
        Value::Array(items) => !items.is_empty(),
        Value::Object(fields) => {
            let arrays: Vec<&Vec<Value>> = fields.values().filter_map(Value::as_array).collect();
            !matches!(arrays.as_slice(), [one] if one.is_empty())
        }
        _ => true,
    }
}

fn indent(text: &str) -> String {
    text.lines().take(6).map(|l| format!("    {l}\n")).collect()
}

/// What try-spec needs to know of one operation to pick and check it.
struct Op {
    /// Upper case: `GET`.
    method: String,
    /// As the spec spells it.
    path: String,
    /// The method name, once normalised.
    id: String,
    /// The names of its required parameters.
    required: Vec<String>,
    /// Whether it documents a success (2xx) response: an operation that only documents errors
    /// (a disabled endpoint) cannot be expected to succeed.
    succeeds: bool,
}

impl Op {
    /// A GET that needs nothing and answers with success: runnable as it is.
    fn is_plain_get(&self) -> bool {
        self.method == "GET" && self.required.is_empty() && self.succeeds
    }
}

fn operations(doc: &Value) -> Vec<Op> {
    crate::generate::openapi::operations(doc)
        .map(|(path, method, op)| Op {
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            id: op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            required: op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|p| p.get("required") == Some(&Value::Bool(true)))
                .filter_map(|p| p.get("name").and_then(Value::as_str).map(String::from))
                .collect(),
            succeeds: op
                .get("responses")
                .and_then(Value::as_object)
                .is_some_and(|r| r.keys().any(|status| status.starts_with('2'))),
        })
        .collect()
}

/// Copies the workspace's sources into `to`, leaving files whose content is unchanged untouched
/// (so cargo's incremental build still applies) and the generated files as the last `gen` left
/// them (so `gen` reports what changed since the previous run).
fn sync_workspace(root: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("creating {}: {e}", to.display()))?;
    for entry in [
        "Cargo.toml",
        "Cargo.lock",
        names::FILE,
        ".cargo",
        "vast-api",
        "vast-api-cli",
        "workspace-hack",
        "xtask",
        "tests",
    ] {
        sync(&root.join(entry), &to.join(entry))?;
    }
    Ok(())
}

fn is_generated(path: &Path) -> bool {
    generate::GENERATED.iter().any(|g| path.ends_with(g))
}

fn sync(from: &Path, to: &Path) -> Result<(), String> {
    let err = |e: std::io::Error| format!("copying {} to {}: {e}", from.display(), to.display());
    if from.is_dir() {
        std::fs::create_dir_all(to).map_err(err)?;
        let mut names = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(from).map_err(err)? {
            let entry = entry.map_err(err)?;
            let name = entry.file_name();
            if name == "target" || name == "node_modules" {
                continue;
            }
            sync(&entry.path(), &to.join(&name))?;
            names.insert(name);
        }
        // Files deleted from the workspace go from the copy too.
        for entry in std::fs::read_dir(to).map_err(err)? {
            let entry = entry.map_err(err)?;
            if !names.contains(&entry.file_name()) && !is_generated(&entry.path()) {
                let path = entry.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
        return Ok(());
    }
    if is_generated(to) && to.exists() {
        return Ok(());
    }
    let mut bytes = std::fs::read(from).map_err(err)?;
    // A file with a block `gen` writes takes the workspace's text around the block the last
    // `gen` left in the copy, so that an unchanged spec leaves it as it was.
    if let Some(block) =
        crate::generate::area_blocks::blocks(&Default::default(), &Default::default())
            .into_iter()
            .find(|b| to.ends_with(b.path))
        && let (Ok(file), Ok(current)) = (
            String::from_utf8(bytes.clone()),
            std::fs::read_to_string(to),
        )
        && let Some(carried) = block.carried(&file, &current)
    {
        bytes = carried.into_bytes();
    }
    write_if_changed(to, &bytes)
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What try-spec does with any spec, done with the vendored one and the workspace's own
    /// `vast`: every command answers, commands run against the spec's examples and Prism.
    #[test]
    fn the_vendored_spec_runs_against_the_mock_and_prism() {
        let vast = vast_test_servers::vast_binary::vast_bin();
        let scratch = tempfile::tempdir().unwrap();
        let lines = exercise(scratch.path(), &crate::workspace_root(), vast).unwrap();
        assert!(lines[0].starts_with("commands: all "), "{lines:?}");
        for line in lines {
            println!("{line}");
        }
    }
}
