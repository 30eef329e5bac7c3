//! The workspace's `vast`, for test binaries of any crate in it (the end-to-end tests, and
//! xtask's run of the vendored spec).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

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
        // target/debug/deps/<test>-… → target/debug/vast
        let exe = std::env::current_exe().unwrap();
        exe.parent()
            .unwrap()
            .parent()
            .unwrap()
            .join(format!("vast{}", std::env::consts::EXE_SUFFIX))
    })
}
