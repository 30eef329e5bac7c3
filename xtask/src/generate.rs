//! The generator, `cargo xtask gen`: openapi.yaml → normalised document ([`normalize`], with its
//! [`names`] and [`subset`]) → progenitor → code rewrites on its syntax trees ([`rewrites`]) →
//! formatted files in vast-api and vast-api-cli, with the command table ([`commands`]) and the
//! API report ([`surface`]). Nothing here runs what it generated: that is the checks' half (`check.rs`).

use std::path::Path;

use openapiv3::OpenAPI;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

pub mod area_blocks;
pub mod command_records;
pub mod commands;
pub mod names;
pub mod normalize;
pub mod openapi;
mod panics;
pub mod progenitor_names;
pub mod read_openapi;
pub mod requests;
pub mod rewrites;
pub mod spec;
pub mod subset;
pub mod surface;

use rewrites::{
    area_gates, cli_commands, cli_texts, filters, operation_types, servers, streams, typed_errors,
};

pub const SPEC: &str = "openapi.yaml";
/// The generated client: types, `Client`, builders.
pub const CLIENT: &str = "vast-api/src/generated.rs";
/// Typed httpmock helpers for the same operations (crate vast-api-httpmock).
pub const HTTPMOCK: &str = "vast-api/httpmock/src/generated_httpmock.rs";
/// The CLI's command table: each operation's command, arguments, table columns and request.
pub const COMMANDS: &str = "vast-api-cli/src/generated_commands.rs";
/// The seed's one-operation spec: the smallest spec that must generate, build and run; small,
/// so the tests of what `gen` does run in a moment, and the baseline of `cargo xtask bench`.
pub const SEED: &str = "xtask/fixtures/seed.yaml";
/// The vendor's whole current spec in `../shared` beside the checkout (not committed: CI may run
/// without it), which `try-spec` tries when given no spec.
pub const FULL_SPEC: &str = "../shared/specs/vast-openapi-full.yaml";
/// Every file `gen` writes with a "generated" header (it also writes `names.toml`).
pub const GENERATED: [&str; 3] = [CLIENT, HTTPMOCK, COMMANDS];
/// How many diff lines `--check` shows per file before eliding the rest.
const DIFF_LINES: usize = 40;

/// Each generated file's path (from the workspace root) and contents.
pub type Files = Vec<(&'static str, String)>;

#[derive(Clone, Copy, PartialEq)]
pub enum Mode {
    Write,
    Check,
}

pub fn run(root: &Path, mode: Mode) -> Result<(), String> {
    let spec = spec::load(&root.join(SPEC), Path::new(SPEC))?;
    let mut generated = generate_in(root, &spec)?;
    if !root.join(names::FILE).exists() {
        generated.warnings.push(format!(
            "{}: not found: every operation is named from the spec, and `gen` writes the table",
            names::FILE
        ));
    }
    match mode {
        Mode::Write => write(root, &generated),
        Mode::Check => check(root, &files(root, &generated)?),
    }
}

/// What a spec produces: the files, and what `gen` tells the person running it.
pub struct Generated {
    pub files: Files,
    /// What the loader accepted although a strict reader would not (repeated keys).
    pub warnings: Vec<String>,
    pub rewrites: Vec<normalize::Rewrite>,
    /// Naming fallbacks, names kept against the spec, operations gone.
    pub naming: Vec<String>,
    pub operations: usize,
    /// What `subset.toml` kept, when there is one.
    pub subset: Option<subset::Kept>,
    /// What goes between the marker lines of hand-written files: vast-api's area features and
    /// its README's list of areas.
    pub blocks: Vec<area_blocks::Block>,
}

impl Generated {
    /// The generated client's code.
    pub fn client(&self) -> &str {
        self.file(CLIENT)
    }

    pub fn file(&self, path: &str) -> &str {
        self.files
            .iter()
            .find(|(p, _)| *p == path)
            .map_or("", |(_, text)| text.as_str())
    }
}

/// Every file `gen` writes, with its contents: the generated files, `names.toml`, and the
/// hand-written files in `root` with their blocks as the spec makes them.
pub fn files(root: &Path, generated: &Generated) -> Result<Files, String> {
    let mut files = generated.files.clone();
    for block in &generated.blocks {
        let text = std::fs::read_to_string(root.join(block.path))
            .map_err(|e| format!("{}: cannot read: {e}", block.path))?;
        files.push((block.path, block.splice(&normalise_newlines(&text))?));
    }
    Ok(files)
}

/// Writes the files that changed, then prints what the spec needed and what changed for users.
pub fn write(root: &Path, generated: &Generated) -> Result<(), String> {
    let old = std::fs::read_to_string(root.join(CLIENT)).unwrap_or_default();
    let changes = surface::changes(
        &surface::of_code(&old),
        &surface::of_code(generated.client()),
        &crate_version(root)?,
    );
    let mut written = Vec::new();
    for (path, text) in &files(root, generated)? {
        let target = root.join(path);
        let old = std::fs::read_to_string(&target).unwrap_or_default();
        if normalise_newlines(&old) == *text {
            written.push(format!("unchanged {path}"));
            continue;
        }
        std::fs::write(&target, text).map_err(|e| format!("{path}: cannot write: {e}"))?;
        written.push(format!("wrote {path} ({} lines)", text.lines().count()));
    }
    // The report comes once the files are written: a reader that stops early
    // (`cargo xtask gen | head`) ends the task, and must not leave the files half done.
    for warning in &generated.warnings {
        println!("warning: {warning}");
    }
    for rewrite in &generated.rewrites {
        println!("rewrite {rewrite}");
    }
    for note in &generated.naming {
        println!("names: {note}");
    }
    if let Some(subset::Kept { kept, of }) = generated.subset {
        println!("subset: {kept} of {of} operations kept ({})", subset::FILE);
    }
    for line in changes.iter().chain(&written) {
        println!("{line}");
    }
    Ok(())
}

/// The generated crates' version: the workspace's `[workspace.package] version`.
fn crate_version(root: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("Cargo.toml: cannot read: {e}"))?;
    let manifest: toml::Table =
        toml::from_str(&text).map_err(|e| format!("Cargo.toml: {}", e.message()))?;
    manifest
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("version"))
        .and_then(toml::Value::as_str)
        .map(String::from)
        .ok_or_else(|| "Cargo.toml: no [workspace.package] version".into())
}

/// What the spec produces in the workspace at `root`: with its `names.toml`, and only the
/// operations its `subset.toml` keeps. `gen`, `gen --check`, `update-spec` and the test of the
/// checked-in files all generate through this, so they cannot disagree.
pub fn generate_in(root: &Path, spec: &spec::Spec) -> Result<Generated, String> {
    generate(
        spec,
        &names::Table::load(root)?,
        subset::Subset::load(root)?.as_ref(),
    )
}

/// The files the spec produces, with the names in `recorded` kept and only the operations
/// `subset` keeps, and what was done on the way.
pub fn generate(
    spec: &spec::Spec,
    recorded: &names::Table,
    subset: Option<&subset::Subset>,
) -> Result<Generated, String> {
    let name = spec.display.display();
    let normalize::Normalised {
        mut doc,
        mut rewrites,
        naming,
    } = normalize::normalize(spec.doc.clone(), recorded).map_err(|e| {
        // A problem with the names table is the table's, not the spec's.
        if e.starts_with(names::FILE) {
            e
        } else {
            format!("{name}: {e}")
        }
    })?;
    // After naming, which saw every operation: names do not depend on the subset.
    let kept = subset.map(|s| s.apply(&mut doc, &naming)).transpose()?;
    let commands = commands::commands(&doc, &naming);
    let operations = typed_errors::operations(&doc);
    let own_servers = servers::operations(&doc);
    let areas = area_gates::operations(&doc, &naming);
    let blocks = area_blocks::blocks(
        &naming.operations.iter().map(|n| n.area.clone()).collect(),
        &areas,
    );
    let (mut mock_doc, mut cli_doc) = (doc.clone(), doc.clone());
    rewrites.extend(normalize::for_httpmock(&mut mock_doc));
    rewrites.extend(normalize::for_cli(&mut cli_doc));
    let api = read_openapi::to_openapi(doc).map_err(|e| format!("{name}: {e}"))?;
    let mock_api = read_openapi::to_openapi(mock_doc).map_err(|e| format!("{name}: {e}"))?;
    let cli_api = read_openapi::to_openapi(cli_doc).map_err(|e| format!("{name}: {e}"))?;
    // The client's text newtypes, which the CLI reads as text (`cli_texts`).
    let newtypes = std::cell::RefCell::new(Vec::new());
    // The text each enum's values display, which the CLI's arguments take (`cli_commands`).
    let enums = std::cell::RefCell::new(std::collections::HashMap::new());
    let client = run_generator(&api, |g, api| g.generate_tokens(api), &|file| {
        *newtypes.borrow_mut() = cli_texts::text_newtypes(file);
        *enums.borrow_mut() = cli_commands::enum_texts(file);
        document_client(file, &api.info);
        servers::apply(file, &own_servers)?;
        typed_errors::apply(file, &operations)?;
        operation_types::apply(file)?;
        streams::apply(file, &commands)?;
        filters::apply(file, &commands)?;
        // Last: it gates what the passes before it wrote, by each operation's area.
        area_gates::apply(file, &areas)
    })
    .map_err(|e| format!("{name}: {e}"))?;
    let httpmock = run_generator(&mock_api, |g, api| g.httpmock(api, "vast_api"), &|_| Ok(()))
        .map_err(|e| format!("{name}: {e}"))?;
    // progenitor's CLI is read for its command definitions only (`cli_commands`); no code of
    // it is written.
    let definitions = std::cell::RefCell::new(std::collections::HashMap::new());
    run_generator(&cli_api, |g, api| g.cli(api, "vast_api"), &|file| {
        cli_texts::apply(file, &newtypes.borrow());
        *definitions.borrow_mut() = cli_commands::definitions(file, &enums.borrow())?;
        file.items.clear();
        Ok(())
    })
    .map_err(|e| format!("{name}: {e}"))?;
    let commands_code = command_records::render(&commands, &definitions.borrow())
        .map_err(|e| format!("{name}: {e}"))?;
    let header = header(&spec.sha256, kept);
    Ok(Generated {
        files: GENERATED
            .into_iter()
            .zip([client, httpmock, commands_code])
            .map(|(path, code)| (path, format!("{header}{code}")))
            .chain([(names::FILE, naming.table.render())])
            .collect(),
        warnings: spec.warnings.clone(),
        rewrites,
        naming: naming.notes,
        operations: commands.len(),
        subset: kept,
        blocks,
    })
}

/// The first line names the spec's hash; vast-api's build script compares it with openapi.yaml.
/// A subset is named too, so that `gen --check` sees a changed `subset.toml`.
pub fn header(sha256: &str, subset: Option<subset::Kept>) -> String {
    let only = subset.map_or_else(String::new, |subset::Kept { kept, of }| {
        format!(
            "// Only the operations {} keeps ({kept} of {of}).\n",
            subset::FILE
        )
    });
    format!(
        "// Generated by `cargo xtask gen` from {SPEC} (sha256 {sha256}).\n\
         // Do not edit by hand: change {SPEC}, then run `cargo xtask gen`.\n{only}\n"
    )
}

type Emit = fn(&mut Generator, &OpenAPI) -> Result<proc_macro2::TokenStream, progenitor::Error>;

fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        // Per-client settings the hand-written hooks read (body limit, response capture).
        .with_inner_type("crate::ClientState".parse().expect("a valid path"))
        // vast-api implements the hooks (retries, headers) by hand, once, for every operation.
        .with_hooks(HooksMode::Expected);
    settings
}

/// Runs one progenitor emitter, then `rewrite` on its syntax tree, and formats the result. When
/// progenitor fails or panics, each operation is tried alone so the error can name the one it
/// came from.
fn run_generator(
    api: &OpenAPI,
    emit: Emit,
    rewrite: &dyn Fn(&mut syn::File) -> Result<(), String>,
) -> Result<String, String> {
    let attempt = |api: &OpenAPI| -> Result<String, String> {
        let tokens = panics::catch(|| emit(&mut Generator::new(&settings()), api))
            .map_err(|panic| format!("the generator panicked: {panic}"))?
            .map_err(|e| e.to_string())?;
        let mut file: syn::File = syn::parse2(edition_2024(tokens))
            .map_err(|e| format!("generated code does not parse: {e}"))?;
        rewrite(&mut file)?;
        Ok(prettyplease::unparse(&file))
    };
    let whole_error = match attempt(api) {
        Ok(code) => return Ok(code),
        Err(e) => e,
    };
    let mut alone = api.clone();
    alone.paths.paths.clear();
    if let Err(e) = attempt(&alone) {
        return Err(format!("components: {e}"));
    }
    for (path, item) in &api.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, _) in item.iter() {
            let mut single = item.clone();
            for other in crate::generate::openapi::METHODS
                .iter()
                .filter(|m| **m != method)
            {
                clear_method(&mut single, other);
            }
            alone.paths.paths = [(path.clone(), openapiv3::ReferenceOr::Item(single))]
                .into_iter()
                .collect();
            if let Err(e) = attempt(&alone) {
                return Err(format!(
                    "paths.{path}.{method}: this operation cannot be generated: {e}"
                ));
            }
        }
    }
    Err(whole_error)
}

/// The documentation of the generated `Client`, for any spec. progenitor makes the spec's
/// `info.description` the type's doc comment: text about the API (for the vendor's spec, an "AI
/// Agent Quick-Start"), where a reader looks for what the type is and how to get one; the
/// operations carry the spec's own words. So the type gets ours. `Client::new` builds a
/// `reqwest::Client` that panics without a rustls crypto provider installed (reqwest is built
/// without one, see vast-api's Cargo.toml), so it is hidden from the docs, leaving
/// `ClientConfig` the one way shown; `new_with_client`, the way in for a `reqwest::Client` of
/// one's own, says what it leaves to the caller.
fn document_client(file: &mut syn::File, info: &openapiv3::Info) {
    let client_doc = CLIENT_DOC
        .replace("{title}", &info.title)
        .replace("{version}", &info.version);
    for item in &mut file.items {
        match item {
            syn::Item::Struct(s) if s.ident == "Client" => set_doc(&mut s.attrs, &client_doc),
            syn::Item::Impl(i) if i.trait_.is_none() && is_client(&i.self_ty) => {
                for member in &mut i.items {
                    let syn::ImplItem::Fn(f) = member else {
                        continue;
                    };
                    if f.sig.ident == "new" {
                        f.attrs.push(syn::parse_quote!(#[doc(hidden)]));
                    } else if f.sig.ident == "new_with_client" {
                        set_doc(&mut f.attrs, NEW_WITH_CLIENT_DOC);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The doc comment of `Client`; `{title}` and `{version}` are the spec's.
const CLIENT_DOC: &str = r#"A client for the {title} (spec version {version}): one method per operation,
each returning a builder whose `send()` makes the request.

Build one with [`ClientConfig`](crate::ClientConfig), or with [`Client::from_env`], which reads
`VAST_URL`, `VAST_API_KEY` and the key files as the vendor CLI does. A clone is cheap and shares
the connection pool.

```
use std::time::Duration;

let client = vast_api::ClientConfig::new()
    .api_key("0123456789abcdef")
    .base_url("http://127.0.0.1:8080")
    .timeout(Duration::from_secs(10))
    .build()?;
assert_eq!(client.base_url(), "http://127.0.0.1:8080");
# Ok::<(), vast_api::ConfigError>(())
```"#;

/// The doc comment of `Client::new_with_client`.
const NEW_WITH_CLIENT_DOC: &str = r#"A client that sends through `client`, a `reqwest::Client` configured as
you need (default headers, a proxy), to the server at `baseurl` (scheme, host, and a path prefix
if any, without a trailing `/`).

None of [`ClientConfig`](crate::ClientConfig)'s settings apply: `client` must send the
`Authorization: Bearer <key>` header itself (as a default header), and its timeouts are its own.
`inner` holds what every call reads besides the HTTP client (retries, the response size limit, a
capture): `ClientState::default()` for the defaults, see [`ClientState`](crate::ClientState).
reqwest is built here without a crypto provider of its own, so building `client` panics unless
one is installed: building any client with `ClientConfig` installs one, or call
`rustls::crypto::ring::default_provider().install_default()` first."#;

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("Client"))
}

/// Replaces an item's doc comment with `text`, one `///` line per line.
fn set_doc(attrs: &mut Vec<syn::Attribute>, text: &str) {
    attrs.retain(|a| !a.path().is_ident("doc"));
    attrs.extend(text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        syn::parse_quote!(#[doc = #line])
    }));
}

/// progenitor and typify write edition 2021 code; in edition 2024 `gen` is a keyword (typify
/// names schemars 0.8's `schemars::gen` module and variables `gen`), so it becomes `r#gen`.
fn edition_2024(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Group, Ident, TokenTree};
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) if ident == "gen" => {
                TokenTree::Ident(Ident::new_raw("gen", ident.span()))
            }
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), edition_2024(group.stream()));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            other => other,
        })
        .collect()
}

fn clear_method(item: &mut openapiv3::PathItem, method: &str) {
    let slot = match method {
        "get" => &mut item.get,
        "put" => &mut item.put,
        "post" => &mut item.post,
        "delete" => &mut item.delete,
        "options" => &mut item.options,
        "head" => &mut item.head,
        "patch" => &mut item.patch,
        _ => &mut item.trace,
    };
    *slot = None;
}

fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Compares the checked-in files with what the spec produces; on a difference, shows a short
/// unified diff and names the command that fixes it.
pub fn check(root: &Path, files: &Files) -> Result<(), String> {
    let mut stale = Vec::new();
    for (path, expected) in files {
        let actual =
            normalise_newlines(&std::fs::read_to_string(root.join(path)).unwrap_or_default());
        if actual == *expected {
            continue;
        }
        let diff = similar::TextDiff::from_lines(&actual, expected);
        let text = diff
            .unified_diff()
            .context_radius(2)
            .header(
                &format!("{path} (checked in)"),
                &format!("{path} (from {SPEC})"),
            )
            .to_string();
        let mut lines: Vec<&str> = text.lines().collect();
        let total = lines.len();
        lines.truncate(DIFF_LINES);
        eprintln!("{}", lines.join("\n"));
        if total > DIFF_LINES {
            eprintln!("... ({} more diff lines)", total - DIFF_LINES);
        }
        stale.push(*path);
    }
    if stale.is_empty() {
        return Ok(());
    }
    let ci = if std::env::var_os("CI").is_some() {
        " locally and commit the result"
    } else {
        ""
    };
    Err(format!(
        "{} {} not what {SPEC} produces: run `cargo xtask gen`{ci}",
        stale.join(", "),
        if stale.len() == 1 { "is" } else { "are" },
    ))
}

#[cfg(test)]
pub mod tests {
    use super::*;

    fn root() -> std::path::PathBuf {
        crate::workspace_root()
    }

    /// rust-analyzer's trick: `cargo test` alone catches generated code that is out of date.
    #[test]
    fn checked_in_code_matches_openapi_yaml() {
        let spec = spec::load(&root().join(SPEC), Path::new(SPEC)).unwrap();
        let generated = generate_in(&root(), &spec).unwrap();
        if let Err(message) = check(&root(), &files(&root(), &generated).unwrap()) {
            panic!("{message}");
        }
    }

    /// Generated code as text without white space, for the syntax passes' tests to search.
    pub fn squashed(file: &syn::File) -> String {
        prettyplease::unparse(file)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    /// A workspace in a temporary folder whose `openapi.yaml` is the seed's, with its code and
    /// `names.toml` generated: what `gen` reads and writes, up to date.
    pub fn scratch_workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (from, to) in [
            (super::SEED, SPEC),
            ("Cargo.toml", "Cargo.toml"),
            (area_blocks::MANIFEST, area_blocks::MANIFEST),
            (area_blocks::README, area_blocks::README),
        ] {
            std::fs::create_dir_all(dir.path().join(to).parent().unwrap()).unwrap();
            std::fs::copy(root().join(from), dir.path().join(to)).unwrap();
        }
        for file in GENERATED {
            std::fs::create_dir_all(dir.path().join(file).parent().unwrap()).unwrap();
        }
        run(dir.path(), Mode::Write).unwrap();
        dir
    }

    #[test]
    fn a_stale_names_table_fails_the_check() {
        let dir = scratch_workspace();
        std::fs::write(dir.path().join(names::FILE), "").unwrap();
        let spec = spec::load(&dir.path().join(SPEC), Path::new(SPEC)).unwrap();
        let generated = generate(&spec, &names::Table::load(dir.path()).unwrap(), None).unwrap();
        let err = check(dir.path(), &generated.files).unwrap_err();
        assert!(
            err.starts_with("names.toml is not what openapi.yaml produces: run `cargo xtask gen`"),
            "{err}"
        );
    }

    /// vast-api's features are the areas the code is gated on: a features block that is not what
    /// `gen` writes fails the check, naming the command; a block without its markers is refused.
    #[test]
    fn a_stale_feature_block_fails_the_check() {
        let dir = scratch_workspace();
        // The seed's one operation: generating it is quick.
        std::fs::copy(
            root().join("xtask/fixtures/seed.yaml"),
            dir.path().join(SPEC),
        )
        .unwrap();
        run(dir.path(), Mode::Write).unwrap();
        run(dir.path(), Mode::Check).unwrap();
        let manifest = dir.path().join(area_blocks::MANIFEST);
        let text = std::fs::read_to_string(&manifest).unwrap();
        assert!(text.contains("\ndefault = [\"accounts\"]\naccounts = []\n# END areas\n"));
        std::fs::write(&manifest, text.replace("accounts = []\n", "")).unwrap();
        let err = run(dir.path(), Mode::Check).unwrap_err();
        assert!(
            err.starts_with(
                "vast-api/Cargo.toml is not what openapi.yaml produces: run `cargo xtask gen`"
            ),
            "{err}"
        );
        std::fs::write(&manifest, text.replace("# END areas\n", "")).unwrap();
        let err = run(dir.path(), Mode::Check).unwrap_err();
        assert!(
            err.starts_with("vast-api/Cargo.toml: the line `# END areas` is missing"),
            "{err}"
        );
    }

    #[test]
    fn check_reports_a_stale_file_and_the_command() {
        let dir = tempfile::tempdir().unwrap();
        for file in [CLIENT, HTTPMOCK] {
            std::fs::create_dir_all(dir.path().join(file).parent().unwrap()).unwrap();
        }
        std::fs::write(dir.path().join(CLIENT), "// old\n").unwrap();
        std::fs::write(dir.path().join(HTTPMOCK), "// new\n").unwrap();
        let files = vec![
            (CLIENT, "// new\n".to_string()),
            (HTTPMOCK, "// new\n".to_string()),
        ];
        let err = check(dir.path(), &files).unwrap_err();
        assert!(
            err.starts_with(
                "vast-api/src/generated.rs is not what openapi.yaml produces: run `cargo xtask gen`"
            ),
            "{err}"
        );
    }

    fn spec_from(text: &str) -> spec::Spec {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("openapi.yaml");
        std::fs::write(&path, text).unwrap();
        spec::load(&path, Path::new("openapi.yaml")).unwrap()
    }

    #[test]
    fn the_seed_generates_with_every_error_field() {
        let spec = spec::load(&root().join(SEED), Path::new(SPEC)).unwrap();
        let generated = generate(&spec, &names::Table::load(&root()).unwrap(), None).unwrap();
        let (client, rewrites) = (generated.client(), &generated.rewrites);
        assert!(client.starts_with(&header(&spec.sha256, None)));
        assert!(client.contains("pub fn show_api_keys(&self)"));
        for field in ["pub msg:", "pub detail:", "pub error:", "pub success:"] {
            assert!(client.contains(field), "missing {field}");
        }
        assert_eq!(
            rewrites.iter().map(|r| r.rule).collect::<Vec<_>>(),
            [
                "openapi-3.1",
                "operation-id",
                "response-shapes",
                "optional-nulls",
                "vendor-cli-usage",
                "summaries"
            ]
        );
    }

    /// Each fixture's normalised document and rewrites, as checked in beside it
    /// (`<fixture>.normalised.json`), so a change to a rule shows in review as a change to what it
    /// makes of the fixtures. `UPDATE_SNAPSHOTS=1 cargo test -p xtask` rewrites them, as it does every snapshot.
    #[test]
    fn the_fixtures_normalise_as_recorded() {
        for fixture in [
            "xtask/fixtures/messy-3.1.yaml",
            "xtask/fixtures/messy-3.0.json",
        ] {
            let spec = spec::load(&root().join(fixture), Path::new(fixture)).unwrap();
            let normalised = normalize::normalize(spec.doc, &names::Table::default()).unwrap();
            let actual = serde_json::to_string_pretty(&serde_json::json!({
                "rewrites": normalised.rewrites.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "names": normalised.naming.table.0.iter().map(|(key, entry)| {
                    (key.clone(), serde_json::json!({
                        "rust": entry.rust, "cli": entry.cli.join(" "), "params": entry.params,
                        "area": entry.area,
                    }))
                }).collect::<serde_json::Map<_, _>>(),
                "document": normalised.doc,
            }))
            .unwrap()
                + "\n";
            let golden = root().join(format!("{fixture}.normalised.json"));
            if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
                std::fs::write(&golden, &actual).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&golden).unwrap_or_default();
            if expected != actual {
                let diff = similar::TextDiff::from_lines(&expected, &actual)
                    .unified_diff()
                    .context_radius(2)
                    .to_string();
                panic!(
                    "{fixture} normalises differently from {}:\n{diff}\nIf the change is intended: UPDATE_SNAPSHOTS=1 cargo test -p xtask",
                    golden.display()
                );
            }
        }
    }

    /// Both fixture documents, 3.1 in YAML and 3.0 in JSON, generate; between them every rule
    /// has something to rewrite.
    #[test]
    fn the_messy_fixtures_generate_and_every_rule_fires() {
        let mut fired = std::collections::BTreeSet::new();
        let (mut warned, mut notes) = (Vec::new(), Vec::new());
        for fixture in [
            "xtask/fixtures/messy-3.1.yaml",
            "xtask/fixtures/messy-3.0.json",
        ] {
            let spec = spec::load(&root().join(fixture), Path::new(fixture)).unwrap();
            let generated =
                generate(&spec, &names::Table::default(), None).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                generated.client().contains("pub fn show_api_keys(&self)"),
                "{fixture}"
            );
            fired.extend(generated.rewrites.iter().map(|r| r.rule));
            warned.extend(generated.warnings.iter().cloned());
            notes.extend(generated.naming.iter().cloned());
        }
        let all = [
            "auth-headers",
            "defaulted-required",
            "document-defects",
            "media-schemas",
            "mistyped-values",
            "openapi-3.1",
            "operation-id",
            "optional-nulls",
            "plain-help",
            "query-objects",
            "response-shapes",
            "scalar-bodies",
            "status-codes",
            "summaries",
            "vendor-cli-usage",
        ];
        assert_eq!(fired.into_iter().collect::<Vec<_>>(), all);
        assert_eq!(
            warned,
            [
                "xtask/fixtures/messy-3.1.yaml: paths./api/v0/instances/bid_price/{id}/.get.operationId: the key is repeated; the last value is kept, as the vendor's tooling reads it"
            ]
        );
        assert_eq!(
            notes,
            [
                "paths./api/v0/instances/bid_price/{id}/.get: the command `show instance` (from the summary) is taken by paths./api/v0/instances/{id}.get; named `show bid-price` from the operationId",
                "paths./api/v0/machines/{machine_id}/reports.get: the method name `show_api_keys` (from the operationId) is taken by paths./api/v0/auth/apikeys.get; named `show_reports` from the summary",
            ]
        );
    }

    /// Whatever the spec's `info` says, `Client`'s doc is ours (with the spec's title and
    /// version), the panicking `new` is hidden, and `new_with_client` says what it leaves to
    /// the caller; the spec's own words stay on its operations.
    #[test]
    fn the_client_is_documented_by_us_not_by_the_spec_info() {
        let spec = spec_from(
            "openapi: 3.0.3\ninfo: {title: Widget API, version: '2.5', description: 'AI Agent Quick-Start: npx skills add'}\npaths:\n  /w:\n    get:\n      operationId: list_widgets\n      description: Lists every widget.\n      responses:\n        '200': {description: ok}\n",
        );
        let generated = generate(&spec, &names::Table::default(), None).unwrap();
        let client = generated.client();
        assert!(!client.contains("Quick-Start"), "{client}");
        assert!(client.contains(
            "#[derive(Clone, Debug)]\n/// A client for the Widget API (spec version 2.5): one method per operation,\n"
        ));
        assert!(client.contains(
            "/// Build one with [`ClientConfig`](crate::ClientConfig), or with [`Client::from_env`]"
        ));
        assert!(client.contains("    #[doc(hidden)]\n    pub fn new(baseurl: &str"));
        let documented: String = NEW_WITH_CLIENT_DOC
            .lines()
            .map(|line| format!("    ///{}{line}\n", if line.is_empty() { "" } else { " " }))
            .collect();
        assert!(
            client.contains(&format!("{documented}    pub fn new_with_client(")),
            "{client}"
        );
        assert!(client.contains("Lists every widget."));
    }

    #[test]
    fn gen_becomes_a_raw_identifier() {
        let tokens: proc_macro2::TokenStream = "fn f(gen: &mut schemars::gen::G) { (gen) }"
            .parse()
            .unwrap();
        assert_eq!(
            edition_2024(tokens).to_string(),
            "fn f (r#gen : & mut schemars :: r#gen :: G) { (r#gen) }"
        );
    }

    #[test]
    fn an_unreadable_construct_is_named_by_location() {
        let spec = spec_from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          headers: {X-Rate: 5}\n",
        );
        let err = generate(&spec, &names::Table::default(), None)
            .err()
            .unwrap();
        assert!(
            err.starts_with("openapi.yaml: paths./a.get.responses"),
            "{err}"
        );
    }

    #[test]
    fn parameters_of_one_name_in_the_path_and_the_query_generate() {
        let spec = spec_from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x/{id}/{Id}:\n    get:\n      summary: show x\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n        - {name: Id, in: path, required: true, schema: {type: integer}}\n        - {name: id, in: query, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n",
        );
        let generated = generate(&spec, &names::Table::default(), None).unwrap();
        assert!(
            generated.client().contains("/x/{}/{}"),
            "the path keeps its shape"
        );
        assert_eq!(
            generated.naming,
            [
                "paths./x/{id}/{Id}.get: the path parameter `id` has the name of another of its parameters: named `id_path`",
                "paths./x/{id}/{Id}.get: the path parameter `Id` has the name of another of its parameters: named `Id_path_2`",
            ]
        );
    }

    #[test]
    fn a_generator_failure_names_the_operation() {
        // A JSON body with an `encoding` map: progenitor 0.15 asserts there is none.
        let spec = spec_from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /ok:\n    get:\n      operationId: ok\n      responses:\n        '200': {description: ok}\n  /bad:\n    get:\n      operationId: bad\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object}\n              encoding: {a: {contentType: text/plain}}\n",
        );
        let err = generate(&spec, &names::Table::default(), None)
            .err()
            .unwrap();
        assert!(
            err.starts_with("openapi.yaml: paths./bad.get: this operation cannot be generated: the generator panicked: assertion failed: mt.encoding.is_empty()"),
            "{err}"
        );
    }
}
