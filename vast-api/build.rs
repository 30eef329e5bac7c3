//! Fails the build when `openapi.yaml` is not the spec `src/generated.rs` was generated from, so a
//! spec change cannot silently ship with stale client code. The fix is `cargo xtask gen`.
//!
//! It also says which operations the generated client has, as `cfg(vast_op = "show_instance")`
//! for this crate's code, examples and tests, and as `DEP_VAST_API_OPERATIONS` (comma-separated)
//! for the build scripts of crates that depend on this one: code that calls an operation a spec
//! may lack (the wait, the examples) compiles only where the spec has it; likewise
//! `cfg(vast_filter = "search_offers")` for an operation whose builder takes a filter expression,
//! and `cfg(vast_stream = "show_instances")` for a paged list whose builder has `stream()`.

use std::path::Path;

use sha2::{Digest, Sha256};

fn main() {
    no_operations();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = manifest.join("../openapi.yaml");
    let generated = manifest.join("src/generated.rs");
    println!("cargo::rerun-if-changed=src/generated.rs");
    let text = std::fs::read_to_string(&generated).unwrap_or_default();
    operations(&text);
    // A packaged copy of this crate has no workspace spec beside it: nothing to track.
    let Ok(bytes) = std::fs::read(&spec) else {
        return;
    };
    println!("cargo::rerun-if-changed={}", spec.display());
    let actual: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let recorded = text
        .lines()
        .next()
        .and_then(|line| line.split("(sha256 ").nth(1))
        .and_then(|rest| rest.split(')').next())
        .unwrap_or("none");
    if recorded != actual {
        println!(
            "cargo::error=openapi.yaml (sha256 {actual}) is not the spec vast-api/src/generated.rs \
             was generated from (sha256 {recorded}): run `cargo xtask gen`"
        );
    }
}

/// Each operation's id, as every generated `send` hands it to the hooks
/// (`operation_id: "show_instance",`), made a cfg value and the crate's metadata: only the
/// operations whose API area is on in this build (the gate `cargo xtask gen` puts before each
/// operation's code, `#[cfg(feature = "instances")]`, is the nearest one above its id).
fn operations(generated: &str) {
    println!("cargo::rustc-check-cfg=cfg(vast_op, values(any()))");
    let mut area_on = true;
    let mut ids: Vec<&str> = Vec::new();
    for line in generated.lines().map(str::trim) {
        if let Some(area) = line
            .strip_prefix("#[cfg(feature = \"")
            .and_then(|rest| rest.strip_suffix("\")]"))
        {
            area_on = feature_on(area);
        } else if let Some(id) = line
            .strip_prefix("operation_id: \"")
            .and_then(|rest| rest.strip_suffix("\","))
            && area_on
        {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    for id in &ids {
        println!("cargo::rustc-cfg=vast_op=\"{id}\"");
    }
    println!("cargo::metadata=operations={}", ids.join(","));
    // The operations whose builder takes a filter expression, as `cargo xtask gen` documents
    // their fields (`///The filter fields of `search_offers` ...`): `cfg(vast_filter = "...")`.
    // `cfg(vast_filters)` when there is any, for the runtime their `send()` calls.
    println!("cargo::rustc-check-cfg=cfg(vast_filter, values(any()))");
    println!("cargo::rustc-check-cfg=cfg(vast_filters)");
    let mut any = false;
    for line in generated.lines() {
        if let Some(id) = line
            .trim()
            .strip_prefix("///The filter fields of `")
            .and_then(|rest| rest.split('`').next())
            && ids.contains(&id)
        {
            println!("cargo::rustc-cfg=vast_filter=\"{id}\"");
            any = true;
        }
    }
    if any {
        println!("cargo::rustc-cfg=vast_filters");
    }
    streams(generated, &ids);
}

/// The paged lists whose builder has `stream()` (the `streams` rewrite's `impl<'a> ShowInstances<'a>`
/// with its doc, "Every item of … across pages"), as `cfg(vast_stream = "show_instances")`: a
/// spec may have the operation without pages.
fn streams(generated: &str, ids: &[&str]) {
    println!("cargo::rustc-check-cfg=cfg(vast_stream, values(any()))");
    let mut builder: Option<&str> = None;
    for line in generated.lines().map(str::trim) {
        if let Some(name) = line
            .strip_prefix("impl<'a> ")
            .and_then(|rest| rest.strip_suffix("<'a> {"))
        {
            builder = Some(name);
        } else if line.starts_with("///Every item of `") && line.contains(" across pages") {
            let id = builder.map(snake_case).unwrap_or_default();
            if ids.contains(&id.as_str()) {
                println!("cargo::rustc-cfg=vast_stream=\"{id}\"");
            }
        }
    }
}

/// `ShowInstances` → `show_instances`: a builder's name as its operation's id.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.char_indices() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Whether this build turns the cargo feature on (cargo sets `CARGO_FEATURE_<NAME>` for each).
fn feature_on(feature: &str) -> bool {
    let name = feature.to_ascii_uppercase().replace('-', "_");
    std::env::var_os(format!("CARGO_FEATURE_{name}")).is_some()
}

/// Sets `cfg(no_operations)` when no API area is on (`--no-default-features` alone): the crate is
/// then the client without operations, and what only the operations use (the per-call error
/// machinery) is dead code, which lib.rs allows in that build only. Every feature but `tracing`
/// and cargo's `default` is an area (Cargo.toml's block that `cargo xtask gen` writes).
fn no_operations() {
    println!("cargo::rustc-check-cfg=cfg(no_operations)");
    let area_on = std::env::vars().any(|(name, _)| {
        name.strip_prefix("CARGO_FEATURE_")
            .is_some_and(|feature| !["TRACING", "DEFAULT"].contains(&feature))
    });
    if !area_on {
        println!("cargo::rustc-cfg=no_operations");
    }
}
