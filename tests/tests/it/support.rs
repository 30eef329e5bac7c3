//! Running the real `vast` binary the way a user does, with a clean environment.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use vast_tests::TEST_KEY;

/// The `vast` binary, built once per test run (cargo builds only test harnesses for `cargo test`).
pub fn vast_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "vast-api-cli", "--bin", "vast"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building vast failed");
        // target/debug/deps/it-… → target/debug/vast
        let exe = std::env::current_exe().unwrap();
        exe.parent()
            .unwrap()
            .parent()
            .unwrap()
            .join(format!("vast{}", std::env::consts::EXE_SUFFIX))
    })
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `vast` with a clean environment: only `HOME` and the variables given.
pub fn vast(args: &[&str], env: &[(&str, &str)], home: &Path) -> Run {
    let output = Command::new(vast_bin())
        .args(args)
        .env_clear()
        .env("HOME", home)
        .envs(env.iter().copied())
        .output()
        .expect("vast runs");
    let run = Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    let keys = args
        .iter()
        .chain(env.iter().map(|(_, v)| v))
        .filter(|a| a.contains("key-"));
    for key in keys.chain([&TEST_KEY]) {
        assert!(
            !run.stdout.contains(key),
            "the key leaked to stdout:\n{}",
            run.stdout
        );
        assert!(
            !run.stderr.contains(key),
            "the key leaked to stderr:\n{}",
            run.stderr
        );
    }
    run
}

/// `vast --url URL --api-key TEST_KEY ARGS… show api-keys`, in a home of its own, with `env`.
pub fn show_api_keys_at(url: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let home = home();
    let mut all = vec!["--url", url, "--api-key", TEST_KEY];
    all.extend_from_slice(args);
    all.extend_from_slice(&["show", "api-keys"]);
    vast(&all, env, home.path())
}

pub fn home() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}
