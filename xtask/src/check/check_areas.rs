//! `cargo xtask check-areas`: vast-api builds with each API area alone, and with none, without a
//! warning. The areas are the features `gen` wrote into vast-api's Cargo.toml (its `default`
//! set), so a new area is checked as soon as it is generated. A workspace build cannot tell: it
//! turns every area on, so a type that one area needs but only another's feature compiles would
//! go unnoticed. The library alone (`--lib`) is checked: its examples and tests call
//! `show_api_keys`, and require its area.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::generate::area_blocks::MANIFEST;

pub fn run(root: &Path) -> Result<(), String> {
    let areas = areas(root)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = Instant::now();
    let mut failed = Vec::new();
    for area in std::iter::once(None).chain(areas.iter().map(Some)) {
        let mut args = vec![
            "check",
            "--quiet",
            "-p",
            "vast-api",
            "--lib",
            "--no-default-features",
        ];
        args.extend(area.iter().flat_map(|a| ["--features", a.as_str()]));
        let shown = format!("cargo {}", args.join(" "));
        let began = Instant::now();
        let output = Command::new(&cargo)
            .current_dir(root)
            .args(&args)
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        // A warning only one area's build shows (dead code, an unused import) is a gate gone
        // wrong as surely as an error.
        let passed = output.status.success() && !stderr.contains("warning");
        println!(
            "check-areas: {}: {} ({:.1} s)",
            area.map_or("no area", String::as_str),
            if passed { "ok" } else { "FAILED" },
            began.elapsed().as_secs_f64()
        );
        if !passed {
            eprint!("{stderr}");
            failed.push(shown);
        }
    }
    println!(
        "check-areas: {} builds of vast-api ({} areas and none) in {:.0} s",
        areas.len() + 1,
        areas.len(),
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "vast-api does not build cleanly with: {}",
            failed.join("; ")
        ))
    }
}

/// The areas: the features vast-api has on by default (all of them, as `gen` writes them).
fn areas(root: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(root.join(MANIFEST))
        .map_err(|e| format!("{MANIFEST}: cannot read: {e}"))?;
    let manifest: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{MANIFEST}: {}", e.message()))?;
    manifest
        .get("features")
        .and_then(|f| f.get("default"))
        .and_then(toml::Value::as_array)
        .and_then(|list| list.iter().map(|a| a.as_str().map(String::from)).collect())
        .ok_or_else(|| format!("{MANIFEST}: no `default` list of features: run `cargo xtask gen`"))
}
