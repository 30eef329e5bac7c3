//! Prism (`@stoplight/prism-cli`, from `tests/prism/`) serving a spec, for `cargo xtask
//! try-spec`: every GET operation without required parameters must decode Prism's example and
//! dynamic responses through the generated CLI.

use std::path::Path;
use std::process::Command;

use vast_test_servers::prism::{NotStarted, Prism};

/// Runs each command (its words after `vast`, and arguments) against Prism in static, then
/// dynamic mode.
/// Returns the lines to print; an error names every command that failed.
pub fn check(spec: &Path, vast: &Path, commands: &[Vec<String>]) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    // Dynamic mode is not seeded: with `--seed`, Prism sends the same body every time. A
    // failure quotes the body (vast's errors do), which is what reproduces it.
    for (mode, extra, runs) in [("static", &[][..], 1), ("dynamic", &["-d"][..], 5)] {
        let prism = match Prism::start(spec, extra) {
            Ok(prism) => prism,
            Err(NotStarted::Skipped(why)) => {
                return Ok(vec![format!("{why}: conformance SKIPPED")]);
            }
            Err(NotStarted::Failed(why)) => return Err(why),
        };
        let mut failed = Vec::new();
        for words in commands {
            for _ in 0..runs {
                let output = Command::new(vast)
                    .args([
                        "--url",
                        &prism.url,
                        "--api-key",
                        "prism-key-0",
                        "--retry",
                        "1",
                    ])
                    .args(words)
                    .output()
                    .map_err(|e| format!("cannot run vast: {e}"))?;
                // 10: a paged list whose pages decoded, stopped on a token Prism's static example
                // repeats before an item came.
                if !matches!(output.status.code(), Some(0 | 10)) {
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
