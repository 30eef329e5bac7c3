//! `cargo xtask demo`: `vast show api-keys` against a local mock, for someone with no account or
//! network. The mock (`vast-demo-server`) answers through the generated httpmock helpers with the
//! spec's example; the CLI prints it as a table.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::{examples, normalize};

/// The example the demo server and the tests serve, kept equal to the spec's by a test.
pub const EXAMPLE_FIXTURE: &str = "tests/data/show-api-keys.example.json";

pub fn run(root: &Path) -> Result<(), String> {
    check_fixture(root)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("building the demo server and the vast CLI…");
    let status = Command::new(&cargo)
        .current_dir(root)
        .args([
            "build",
            "--quiet",
            "-p",
            "vast-tests",
            "--bin",
            "vast-demo-server",
            "-p",
            "vast-api-cli",
            "--bin",
            "vast",
        ])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building the demo failed (see cargo's output above)".into());
    }
    let bin = target_dir(root).join("debug");
    let mut server = Command::new(bin.join("vast-demo-server"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the demo server: {e}"))?;
    let mut url = String::new();
    let stdout = server.stdout.take().expect("piped above");
    BufReader::new(stdout)
        .read_line(&mut url)
        .map_err(|e| format!("the demo server did not start: {e}"))?;
    let url = url.trim();
    eprintln!("mock server at {url}; running: vast --url {url} --api-key demo-key show api-keys\n");
    let result = Command::new(bin.join("vast"))
        .args(["--url", url, "--api-key", "demo-key", "show", "api-keys"])
        .env("VAST_FORCE_TTY", "1")
        .status();
    // Closing its stdin stops the server.
    drop(server.stdin.take());
    let _ = server.wait();
    match result {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("vast exited with {status}")),
        Err(e) => Err(format!("cannot run vast: {e}")),
    }
}

fn target_dir(root: &Path) -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// The demo serves the fixture; it must still be what the spec's examples say.
fn check_fixture(root: &Path) -> Result<(), String> {
    let doc = normalize::load(root)?.doc;
    let schema = crate::openapi::success_schema(&doc, "show_api_keys")
        .ok_or("openapi.yaml has no JSON success response for show_api_keys")?;
    let expected = examples::example(&schema, &doc);
    let fixture: Value = std::fs::read_to_string(root.join(EXAMPLE_FIXTURE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    if fixture != expected {
        return Err(format!(
            "{EXAMPLE_FIXTURE} is not the spec's example any more; replace it with:\n{}",
            serde_json::to_string_pretty(&expected).unwrap_or_default()
        ));
    }
    Ok(())
}
