//! Fails the build when `openapi.yaml` is not the spec `src/generated.rs` was generated from, so a
//! spec change cannot silently ship with stale client code. The fix is `cargo xtask gen`.
//!
//! It also says which operations the generated client has, as `cfg(vast_op = "show_instance")`
//! for this crate's code, examples and tests, and as `DEP_VAST_API_OPERATIONS` (comma-separated)
//! for the build scripts of crates that depend on this one: code that calls an operation a spec
//! may lack (the wait, the examples) compiles only where the spec has it; likewise
//! `cfg(vast_filter = "search_offers")` for an operation whose builder takes a filter expression.

use std::path::Path;

use sha2::{Digest, Sha256};

fn main() {
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
/// (`operation_id: "show_instance",`), made a cfg value and the crate's metadata.
fn operations(generated: &str) {
    println!("cargo::rustc-check-cfg=cfg(vast_op, values(any()))");
    let mut ids: Vec<&str> = generated
        .lines()
        .filter_map(|line| line.trim().strip_prefix("operation_id: \""))
        .filter_map(|rest| rest.strip_suffix("\","))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for id in &ids {
        println!("cargo::rustc-cfg=vast_op=\"{id}\"");
    }
    println!("cargo::metadata=operations={}", ids.join(","));
    // The operations whose builder takes a filter expression, as `cargo xtask gen` documents
    // their fields (`///The filter fields of `search_offers` ...`): `cfg(vast_filter = "...")`.
    println!("cargo::rustc-check-cfg=cfg(vast_filter, values(any()))");
    for line in generated.lines() {
        if let Some(id) = line
            .trim()
            .strip_prefix("///The filter fields of `")
            .and_then(|rest| rest.split('`').next())
        {
            println!("cargo::rustc-cfg=vast_filter=\"{id}\"");
        }
    }
}
