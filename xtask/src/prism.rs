//! Prism (`@stoplight/prism-cli`, from `tests/prism/`) serving a spec, for `cargo xtask
//! try-spec`: every GET operation without required parameters must decode Prism's example and
//! dynamic responses through the generated CLI.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs each command (its words after `vast`) against Prism in static, then dynamic mode.
/// Returns the lines to print; an error names every command that failed.
pub fn check(
    root: &Path,
    spec: &Path,
    vast: &Path,
    commands: &[Vec<String>],
) -> Result<Vec<String>, String> {
    let bin = root.join("tests/prism/node_modules/.bin/prism");
    if !bin.exists() {
        if std::env::var_os("CI").is_some() {
            return Err("Prism is not installed: .ci/run runs `npm ci` in tests/prism".into());
        }
        return Ok(vec![
            "Prism is not installed (cd tests/prism && npm ci): conformance SKIPPED".into(),
        ]);
    }
    let mut lines = Vec::new();
    // Dynamic mode is not seeded: with `--seed`, Prism sends the same body every time. A
    // failure quotes the body (vast's errors do), which is what reproduces it.
    for (mode, extra, runs) in [("static", &[][..], 1), ("dynamic", &["-d"][..], 5)] {
        let port = TcpListener::bind("127.0.0.1:0")
            .map_err(|e| e.to_string())?
            .local_addr()
            .map_err(|e| e.to_string())?
            .port();
        let _prism = Running(
            Command::new(&bin)
                .args([
                    "mock",
                    &spec.to_string_lossy(),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &port.to_string(),
                ])
                .args(extra)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("cannot start Prism: {e}"))?,
        );
        let deadline = Instant::now() + Duration::from_secs(90);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("Prism did not start within 90 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let url = format!("http://127.0.0.1:{port}");
        let mut failed = Vec::new();
        for words in commands {
            for _ in 0..runs {
                let output = Command::new(vast)
                    .args(["--url", &url, "--api-key", "prism-key-0", "--retry", "1"])
                    .args(words)
                    .output()
                    .map_err(|e| format!("cannot run vast: {e}"))?;
                if !output.status.success() {
                    failed.push(format!(
                        "vast {} ({mode}): {}",
                        words.join(" "),
                        String::from_utf8_lossy(&output.stderr).trim()
                    ));
                    break;
                }
            }
        }
        if !failed.is_empty() {
            return Err(format!(
                "against Prism ({mode}):\n  {}",
                failed.join("\n  ")
            ));
        }
        lines.push(format!(
            "Prism {mode}: {} GET commands without required parameters decoded ({runs} {} each)",
            commands.len(),
            if runs == 1 { "run" } else { "runs" }
        ));
    }
    Ok(lines)
}
