//! `cargo xtask bench`: `vast show api-keys --raw` against curl (and the vendor's `vastai`, when
//! installed) on a local server, the release binary's size, and the library against a bare
//! reqwest client. Prints a table of medians and ratios; the README records a run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::check::spec_mock::SpecMock;
use crate::generate::normalize;

const KEY: &str = "bench-key-00";
/// Runs per command for wall time when hyperfine is absent, and for peak memory.
const RUNS: usize = 100;
const RSS_RUNS: usize = 30;
const LIB_CALLS: &str = "10000";

/// What `cargo xtask bench` measures: everything, or (`--lib`) only the library.
#[derive(Clone, Copy, PartialEq)]
pub enum Scope {
    All,
    Library,
}

pub fn run(root: &Path, scope: Scope) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("building release binaries…");
    // `vast` as installed: the release profile, without the workspace-hack (README, "Run the
    // tests"). The library as a program that depends on it builds it: its own profile
    // (Cargo.toml, `library-bench`), since ours is for the size of `vast`. Two builds, also so
    // that the example's dev-dependencies do not add their features to the CLI's.
    let builds: [(&str, &[&str]); 2] = [
        (
            "release",
            &[
                "-p",
                "vast-api-cli",
                "--bin",
                "vast",
                "--no-default-features",
            ],
        ),
        (
            "library-bench",
            &["-p", "vast-api", "--example", "lib_bench"],
        ),
    ];
    for (profile, build) in builds {
        let status = Command::new(&cargo)
            .current_dir(root)
            .args(["build", "--quiet", "--profile", profile])
            .args(build)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!(
                "the build failed: cargo build --profile {profile} {}",
                build.join(" ")
            ));
        }
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));

    let doc = normalize::load(root)?.doc;
    let mock = SpecMock::start(&doc).map_err(|e| format!("cannot start the local server: {e}"))?;
    let path = crate::generate::openapi::operation_path(&doc, "show_api_keys")
        .ok_or("openapi.yaml has no show_api_keys")?;
    let url = format!("{}{path}", mock.url);
    if scope == Scope::All {
        let seed = seed_vast(root)?;
        command_line(&target.join("release"), &seed, &mock.url, &url)?;
    }
    library(&target.join("library-bench"), &mock.url)
}

/// The release `vast` of the seed's one-operation spec, built as installed in a scratch copy of
/// the workspace (`target/bench-seed/`): the whole API's `vast` must run as fast and as small.
fn seed_vast(root: &Path) -> Result<PathBuf, String> {
    eprintln!("building the seed's vast (one operation) in target/bench-seed…");
    let seed = root.join(crate::generate::SEED);
    let (scratch, _, _) =
        crate::check::try_spec::Scratch::prepare(root, &seed, root.join("target/bench-seed"))?;
    scratch.cargo(&[
        "build",
        "--quiet",
        "--release",
        "-p",
        "vast-api-cli",
        "--bin",
        "vast",
        "--no-default-features",
    ])?;
    Ok(scratch.dir.join("target/release/vast"))
}

/// `vast` (the whole API's and the seed's) against curl and `vastai`: wall time, peak memory,
/// and the binaries' sizes.
fn command_line(release: &Path, seed: &Path, server: &str, url: &str) -> Result<(), String> {
    let vast = release.join("vast");
    let commands = compared(&vast, seed, server, url);
    let walls = if found("hyperfine") {
        hyperfine(&commands)?
    } else {
        println!("hyperfine is not installed: timing {RUNS} runs of each directly");
        commands
            .iter()
            .map(|(_, argv)| own_timing(argv))
            .collect::<Result<Vec<_>, _>>()?
    };
    let rss = commands
        .iter()
        .map(|(_, argv)| peak_rss(argv))
        .collect::<Result<Vec<_>, _>>()?;
    print_table(&commands, &walls, &rss, server);
    for binary in [&vast, seed] {
        let size = std::fs::metadata(binary).map(|m| m.len()).unwrap_or(0);
        println!(
            "release binary {}: {:.2} MiB",
            binary.display(),
            size as f64 / (1 << 20) as f64
        );
    }
    Ok(())
}

/// The command lines compared, each with its label: curl first (the baseline) when installed,
/// the whole API's `vast`, the seed's, then `vastai` when installed.
fn compared(vast: &Path, seed: &Path, server: &str, url: &str) -> Vec<(&'static str, Vec<String>)> {
    let mut commands: Vec<(&str, Vec<String>)> = Vec::new();
    if found("curl") {
        let auth = format!("Authorization: Bearer {KEY}");
        let curl = ["curl", "-s", "-H", &auth, url];
        commands.push(("curl -s", curl.map(String::from).to_vec()));
    } else {
        println!("curl is not installed: no curl baseline");
    }
    let vast_args = |bin: &str| {
        [
            bin,
            "--url",
            server,
            "--api-key",
            KEY,
            "show",
            "api-keys",
            "--raw",
        ]
        .map(String::from)
        .to_vec()
    };
    commands.push((
        "vast show api-keys --raw",
        vast_args(&vast.to_string_lossy()),
    ));
    commands.push((
        "  the seed's vast (1 operation)",
        vast_args(&seed.to_string_lossy()),
    ));
    if let Some(vastai) = vendor_cli() {
        commands.push(("vastai show api-keys --raw", vast_args(&vastai)));
    } else {
        println!(
            "vastai (the vendor's Python CLI) is not installed: not compared (pip install vastai)"
        );
    }
    commands
}

/// Wall time and peak memory of each command beside the first's, then the whole API's `vast`
/// beside the seed's.
fn print_table(commands: &[(&str, Vec<String>)], walls: &[f64], rss: &[u64], server: &str) {
    println!(
        "\nlocal server {server}; {} runs each",
        if found("hyperfine") {
            "hyperfine, 200"
        } else {
            "100"
        }
    );
    println!(
        "{:<30} {:>12} {:>9} {:>14} {:>9}",
        "command", "median wall", "vs curl", "median max RSS", "vs curl"
    );
    let (base_wall, base_rss) = (walls[0], rss[0]);
    for (i, (name, _)) in commands.iter().enumerate() {
        println!(
            "{:<30} {:>9.2} ms {:>8.2}x {:>11.1} MB {:>8.2}x",
            name,
            walls[i] * 1e3,
            walls[i] / base_wall,
            rss[i] as f64 / 1024.0,
            rss[i] as f64 / base_rss as f64
        );
    }
    let whole = commands
        .iter()
        .position(|(name, _)| name.starts_with("vast"))
        .unwrap_or(0);
    let seeded = whole + 1;
    println!(
        "whole API vs the seed's: {:.3}x wall, {:.3}x max RSS",
        walls[whole] / walls[seeded],
        rss[whole] as f64 / rss[seeded] as f64
    );
}

/// `vast_api::Client` against a bare `reqwest::Client` (`vast-api/examples/lib_bench.rs`, which
/// prints its own table).
fn library(profile_dir: &Path, server: &str) -> Result<(), String> {
    eprintln!("\ntiming the library…");
    println!();
    let status = pinned(&profile_dir.join("examples/lib_bench"))
        .args([server, LIB_CALLS])
        .status()
        .map_err(|e| format!("cannot run lib_bench: {e}"))?;
    if !status.success() {
        return Err(format!("lib_bench failed ({status})"));
    }
    Ok(())
}

/// `program` on one CPU and this process, whose threads serve the local server, on another.
/// Unpinned, the kernel places each connection's server thread as it likes, and that placement,
/// not the client, decides a connection's times: calls over one connection ran 40 % faster than
/// calls over another in the same stretch of time.
fn pinned(program: &Path) -> Command {
    let allowed = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Cpus_allowed_list:"))
                .map(cpu_list)
        })
        .unwrap_or_default();
    if let [server, bench, ..] = allowed.as_slice()
        && found("taskset")
    {
        let (server, bench) = (server.to_string(), bench.to_string());
        let pinned_self = Command::new("taskset")
            .args(["-a", "-p", "-c", &server, &std::process::id().to_string()])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if pinned_self {
            eprintln!("server pinned to CPU {server}, benchmark to CPU {bench}");
            let mut command = Command::new("taskset");
            command.args(["-c", &bench]).arg(program);
            return command;
        }
    }
    eprintln!("taskset is missing or there is one CPU: not pinned, so the figures are noisier");
    Command::new(program)
}

/// The CPUs of a Linux CPU list (`0-1`, `2,5-7`), in order.
fn cpu_list(text: &str) -> Vec<usize> {
    let mut cpus = Vec::new();
    for part in text.trim().split(',') {
        let (first, last) = part.split_once('-').unwrap_or((part, part));
        if let (Ok(first), Ok(last)) = (first.trim().parse::<usize>(), last.trim().parse::<usize>())
        {
            cpus.extend(first..=last);
        }
    }
    cpus
}

/// The vendor's `vastai` script itself: behind a pyenv shim, the shim's own start-up (a shell
/// script running `pyenv exec`) would be charged to it.
fn vendor_cli() -> Option<String> {
    let real = Command::new("pyenv")
        .args(["which", "vastai"])
        .output()
        .ok()
        .filter(|o| o.status.success());
    match real {
        Some(output) => Some(String::from_utf8_lossy(&output.stdout).trim().to_string()),
        None => found("vastai").then(|| "vastai".to_string()),
    }
}

fn found(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Median wall seconds of each command, from hyperfine's JSON export (no shell in between).
fn hyperfine(commands: &[(&str, Vec<String>)]) -> Result<Vec<f64>, String> {
    let export = std::env::temp_dir().join(format!("vast-bench-{}.json", std::process::id()));
    let mut args: Vec<String> = vec![
        "-N".into(),
        "--warmup".into(),
        "10".into(),
        "--runs".into(),
        "200".into(),
        "--style".into(),
        "basic".into(),
        "--export-json".into(),
        export.to_string_lossy().into(),
    ];
    args.extend(commands.iter().map(|(_, argv)| {
        argv.iter()
            .map(|a| shell_word(a))
            .collect::<Vec<_>>()
            .join(" ")
    }));
    let status = Command::new("hyperfine")
        .args(&args)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("hyperfine: {e}"))?;
    if !status.success() {
        return Err("hyperfine failed".into());
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&export).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&export);
    json["results"]
        .as_array()
        .ok_or("hyperfine wrote no results")?
        .iter()
        .map(|r| {
            r["median"]
                .as_f64()
                .ok_or_else(|| "hyperfine result without a median".to_string())
        })
        .collect()
}

fn shell_word(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:=".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn own_timing(argv: &[String]) -> Result<f64, String> {
    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        run_quiet(argv)?;
        samples.push(started.elapsed());
    }
    samples.sort();
    Ok(samples[RUNS / 2].as_secs_f64())
}

/// Median peak resident set size in KiB, as GNU time reports it.
fn peak_rss(argv: &[String]) -> Result<u64, String> {
    let mut samples = Vec::with_capacity(RSS_RUNS);
    for _ in 0..RSS_RUNS {
        let output = Command::new("/usr/bin/time")
            .args(["-f", "%M"])
            .args(argv)
            .stdout(Stdio::null())
            .output()
            .map_err(|e| format!("/usr/bin/time: {e} (install GNU time)"))?;
        let text = String::from_utf8_lossy(&output.stderr);
        let kib = text
            .lines()
            .last()
            .and_then(|l| l.trim().parse::<u64>().ok())
            .ok_or(format!("no RSS from /usr/bin/time: {text}"))?;
        samples.push(kib);
    }
    samples.sort();
    Ok(samples[RSS_RUNS / 2])
}

fn run_quiet(argv: &[String]) -> Result<Duration, String> {
    let started = Instant::now();
    let status = Command::new(&argv[0])
        .args(&argv[1..])
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("{}: {e}", argv[0]))?;
    if !status.success() {
        return Err(format!("`{}` failed", argv.join(" ")));
    }
    Ok(started.elapsed())
}

#[cfg(test)]
mod tests {
    use super::cpu_list;

    #[test]
    fn cpu_lists_expand_in_order() {
        assert_eq!(cpu_list(" 0-1\n"), [0, 1]);
        assert_eq!(cpu_list("2,5-7"), [2, 5, 6, 7]);
        assert_eq!(cpu_list("3"), [3]);
        assert!(cpu_list("").is_empty());
    }
}
