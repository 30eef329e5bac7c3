//! Prism (`@stoplight/prism-cli`, from `tests/prism/`) serving a spec, for `cargo xtask
//! try-spec`: every GET operation without required parameters must decode Prism's example and
//! dynamic responses through the generated CLI.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

pub struct Running(Child);

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
    let Some(bin) = installed(root)? else {
        return Ok(vec![
            "Prism is not installed (cd tests/prism && npm ci): conformance SKIPPED".into(),
        ]);
    };
    let mut lines = Vec::new();
    // Dynamic mode is not seeded: with `--seed`, Prism sends the same body every time. A
    // failure quotes the body (vast's errors do), which is what reproduces it.
    for (mode, extra, runs) in [("static", &[][..], 1), ("dynamic", &["-d"][..], 5)] {
        let (_prism, url) = start(&bin, spec, extra)?;
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

/// Prism's program, if `npm ci` installed it in tests/prism; under CI it must have.
pub fn installed(root: &Path) -> Result<Option<std::path::PathBuf>, String> {
    let bin = root.join("tests/prism/node_modules/.bin/prism");
    if bin.exists() {
        Ok(Some(bin))
    } else if std::env::var_os("CI").is_some() {
        Err("Prism is not installed: .ci/run runs `npm ci` in tests/prism".into())
    } else {
        Ok(None)
    }
}

/// Prism serving `spec` on a port of its choosing (port 0, so no other server can be mistaken
/// for it), and its address, from its "Prism is listening on http://…" line.
pub fn start(bin: &Path, spec: &Path, extra: &[&str]) -> Result<(Running, String), String> {
    let mut child = Command::new(bin)
        .args([
            "mock",
            &spec.to_string_lossy(),
            "-h",
            "127.0.0.1",
            "-p",
            "0",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Prism: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let prism = Running(child);
    let log = Arc::new(Mutex::new(Vec::<String>::new()));
    let (found, url) = mpsc::channel();
    // Reads Prism's log to its end, so that Prism never blocks on a full pipe, keeping the lines
    // for an error message.
    let lines = log.clone();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            let text = String::from_utf8_lossy(&line).trim_end().to_string();
            if let Some((_, rest)) = text.split_once("Prism is listening on ") {
                let _ = found.send(rest.trim().to_string());
            }
            lines.lock().unwrap_or_else(|e| e.into_inner()).push(text);
            line.clear();
        }
    });
    let failed = |why: &str| {
        let log = log.lock().unwrap_or_else(|e| e.into_inner());
        let tail = log[log.len().saturating_sub(20)..].join("\n  ");
        format!("Prism {why}; its log ends:\n  {tail}")
    };
    match url.recv_timeout(Duration::from_secs(90)) {
        Ok(url) => Ok((prism, url)),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(failed("did not start within 90 s")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(failed("exited before listening")),
    }
}
