//! `cargo xtask`: the project's own tasks, run through the alias in `.cargo/config.toml`.

mod check;
mod generate;
mod update_spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The project's own tasks.
#[derive(clap::Parser)]
#[command(name = "xtask", bin_name = "cargo xtask", disable_version_flag = true)]
struct Xtask {
    #[command(subcommand)]
    task: Task,
}

#[derive(clap::Subcommand)]
enum Task {
    /// Regenerate vast-api from openapi.yaml, keeping the names in names.toml (and only the
    /// operations subset.toml keeps, if there is one)
    Gen {
        /// Fail, with a diff, if the checked-in code or names.toml is not what openapi.yaml gives
        #[arg(long)]
        check: bool,
    },
    /// Replace openapi.yaml with the vendor's published spec, if it can be generated, and run gen
    UpdateSpec {
        /// An http://, https:// or file:// URL, or a file [default: the vendor's docs
        /// repository's api-reference/openapi.yaml]
        source: Option<String>,
    },
    /// Run `vast show api-keys` against a local mock that answers with the spec's examples
    Demo,
    /// Check vast-api with each API area alone, and with none, as a program that needs a few
    /// areas builds it
    CheckAreas,
    /// Time `vast show api-keys --raw` against curl, and the library against reqwest
    Bench {
        /// Only the library
        #[arg(long)]
        lib: bool,
    },
    /// For each SPEC, generate and build a scratch copy of the workspace from it, then run
    /// generated commands against a local mock and Prism
    TrySpec {
        /// Generate in memory only, checking that the names in names.toml hold
        #[arg(long)]
        gen_only: bool,
        /// Build the release profile
        #[arg(long)]
        release: bool,
        /// Spec files [default: the vendor's whole spec in ../shared]
        specs: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so printing to a closed pipe (`cargo xtask gen | head`) would panic
    // in println!. With the default action the task ends quietly, as other command-line tools do.
    // SAFETY: called first thing, before any thread exists; it changes one signal's disposition.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // A mistyped task or flag is an error with the usage (exit 2), as clap reports it.
    let Xtask { task } = <Xtask as clap::Parser>::parse();
    let root = workspace_root();
    let result = match task {
        Task::Gen { check: false } => generate::run(&root, generate::Mode::Write),
        Task::Gen { check: true } => generate::run(&root, generate::Mode::Check),
        Task::UpdateSpec { source } => update_spec::run(&root, source.as_deref()),
        Task::Demo => check::demo::run(&root),
        Task::CheckAreas => check::check_areas::run(&root),
        Task::Bench { lib: false } => check::bench::run(&root, check::bench::Scope::All),
        Task::Bench { lib: true } => check::bench::run(&root, check::bench::Scope::Library),
        Task::TrySpec {
            gen_only,
            release,
            specs,
        } => check::try_spec::run(&root, gen_only, release, specs),
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
