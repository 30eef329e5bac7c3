//! Fails the build when `openapi.yaml` is not the spec `src/generated.rs` was generated from, so a
//! spec change cannot silently ship with stale client code. The fix is `cargo xtask gen`.

use std::path::Path;

use sha2::{Digest, Sha256};

fn main() {
    no_operations();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = manifest.join("../openapi.yaml");
    let generated = manifest.join("src/generated.rs");
    println!("cargo::rerun-if-changed=src/generated.rs");
    // A packaged copy of this crate has no workspace spec beside it: nothing to track.
    let Ok(bytes) = std::fs::read(&spec) else {
        return;
    };
    println!("cargo::rerun-if-changed={}", spec.display());
    let actual: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let text = std::fs::read_to_string(&generated).unwrap_or_default();
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
