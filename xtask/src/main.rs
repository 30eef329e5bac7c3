//! `cargo xtask`: the project's own tasks, run through the alias in `.cargo/config.toml`.

mod bench;
mod codegen;
mod commands;
mod demo;
mod examples;
mod names;
mod normalize;
mod panics;
mod prism;
mod read_openapi;
mod spec;
mod spec_mock;
mod surface;
mod try_spec;
mod update_spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  gen           regenerate vast-api from openapi.yaml
  gen --check   fail, with a diff, if the checked-in code is not what openapi.yaml produces
  update-spec [URL|FILE]
                replace openapi.yaml with the vendor's published spec (default: its docs
                repository's api-reference/openapi.yaml), if it can be generated, and run gen
  demo          run `vast show api-keys` against a local mock that answers with the spec's examples
  bench [--lib] time `vast show api-keys --raw` against curl, and the library against reqwest
                (--lib: only the library)
  try-spec [--gen-only] [--release] [SPEC...]
                for each SPEC (default: the vendor's whole spec in ../shared): generate and build a
                scratch copy of the workspace from it, then run generated commands against a local
                mock (--gen-only: generate in memory only, checking the names in names.toml hold)
";

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so printing to a closed pipe (`cargo xtask gen | head`) would panic
    // in println!. With the default action the task ends quietly, as other command-line tools do.
    // SAFETY: called first thing, before any thread exists; it changes one signal's disposition.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["gen"] => codegen::run(&workspace_root(), codegen::Mode::Write),
        ["gen", "--check"] => codegen::run(&workspace_root(), codegen::Mode::Check),
        ["demo"] => demo::run(&workspace_root()),
        ["bench"] => bench::run(&workspace_root(), bench::Scope::All),
        ["bench", "--lib"] => bench::run(&workspace_root(), bench::Scope::Library),
        ["try-spec", rest @ ..] => try_spec::run(&workspace_root(), rest),
        ["update-spec", rest @ ..] => update_spec::run(&workspace_root(), rest),
        [] => Err(format!("no task given\n\n{USAGE}")),
        ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown arguments: {}\n\n{USAGE}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace this xtask was built in (a scratch copy of the workspace builds its own).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
