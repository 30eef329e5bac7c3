//! What this machine can do to `vast`: certificate files that never end or are vast, core files,
//! arguments and variables that are not text, and signals while the key is typed. Each test
//! carries the attack out and checks what a user would notice: the message, the exit code, what
//! reached the server, and where it is the point, memory, a core file or the terminal's echo.

#![cfg(unix)]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vast_tests::TEST_KEY;
use vast_tests::raw_server::{RawServer, Reply};

use crate::support::{
    finished, home, show_api_keys_at, show_api_keys_command, show_api_keys_path, vast_command,
};

fn is_root() -> bool {
    // SAFETY: geteuid only reads the process's user id.
    unsafe { libc::geteuid() == 0 }
}

/// Runs `command` (`vast show api-keys` against a server it never reaches) with at most 64 MiB
/// of data memory: `vast` needs a few, and reads within the certificate limits (16 MiB from a
/// file, 32 MiB in all) fit, while a read without bound fails (an abort: exit 134) instead of
/// taking the machine's memory. Gives its exit code and its stderr. (Its peak memory as the
/// kernel reports it would not do: it counts the test process's own memory at the fork, which
/// other tests running beside this one make as large as they like.)
#[cfg(target_os = "linux")]
fn run_limited(mut command: Command) -> (i32, String) {
    let dir = home();
    let stderr = dir.path().join("stderr");
    // SAFETY: setrlimit is a plain system call, safe between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 64 << 20,
                rlim_max: 64 << 20,
            };
            libc::setrlimit(libc::RLIMIT_DATA, &limit);
            Ok(())
        });
    }
    // Reaped by `waitpid` below.
    #[allow(clippy::zombie_processes)]
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut status = 0;
    // SAFETY: waitpid writes the status given, for our own child.
    while unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) } == 0 {
        if Instant::now() > deadline {
            // SAFETY: the child has not been reaped, so the pid is still its own.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("vast did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    let stderr = std::fs::read_to_string(&stderr).unwrap();
    (code, stderr)
}

/// `vast show api-keys` for an `https://` server (never reached: the certificates are refused
/// first) with `variable` set to `path`.
#[cfg(target_os = "linux")]
fn with_certificates(variable: &str, path: &Path) -> (i32, String) {
    let home = home();
    let mut command = vast_command(
        &[
            "--url",
            "https://vast.invalid",
            "--api-key",
            TEST_KEY,
            "show",
            "api-keys",
        ],
        home.path(),
    );
    command.env(variable, path);
    run_limited(command)
}

#[cfg(target_os = "linux")]
#[test]
fn certificate_files_are_read_within_limits_whatever_size_they_report() {
    let dir = home();
    // A 4 GiB file (sparse: no disk used) in a folder beside a real certificate.
    let huge_folder = dir.path().join("huge");
    std::fs::create_dir(&huge_folder).unwrap();
    std::fs::write(huge_folder.join("ca.pem"), crate::tls::start().ca_pem).unwrap();
    let huge = huge_folder.join("huge.pem");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(4 << 30)
        .unwrap();
    // Three files of 12 MiB each: each within the limit for one, more than all may hold.
    let many_folder = dir.path().join("many");
    std::fs::create_dir(&many_folder).unwrap();
    for name in ["a.pem", "b.pem", "c.pem"] {
        let file = std::fs::File::create(many_folder.join(name)).unwrap();
        file.set_len(12 << 20).unwrap();
    }
    let crowded = dir.path().join("crowded");
    std::fs::create_dir(&crowded).unwrap();
    for n in 0..10_001 {
        std::fs::File::create(crowded.join(n.to_string())).unwrap();
    }
    let too_large = "it is larger than the 16 MiB limit for this file";
    let mut cases = vec![
        ("SSL_CERT_DIR", huge_folder.clone(), huge.clone(), too_large),
        (
            "SSL_CERT_DIR",
            many_folder.clone(),
            many_folder.clone(),
            "its files hold more than the 32 MiB limit for certificates in all",
        ),
        (
            "SSL_CERT_DIR",
            crowded.clone(),
            crowded.clone(),
            "it holds more than 10000 entries",
        ),
    ];
    // A /proc file says it holds 0 bytes, and this one gives 8 bytes for each page of the
    // address space: terabytes. Only root may read it once `vast` is not dumpable.
    let endless = Path::new("/proc/self/pagemap");
    if is_root() {
        let endless_folder = dir.path().join("endless");
        std::fs::create_dir(&endless_folder).unwrap();
        let link = endless_folder.join("endless.pem");
        std::os::unix::fs::symlink(endless, &link).unwrap();
        cases.push(("SSL_CERT_FILE", endless.into(), endless.into(), too_large));
        cases.push(("SSL_CERT_DIR", endless_folder, link, too_large));
    } else {
        println!(
            "SKIPPED /proc/self/pagemap: only root can read it in a process that is not dumpable"
        );
    }
    // A read without bound would hit the 64 MiB limit (an abort) or take the time (60 s).
    for (variable, value, named, why) in cases {
        let (code, stderr) = with_certificates(variable, &value);
        assert_eq!(
            (code, stderr),
            (
                2,
                format!(
                    "error: the CA certificates named by {variable} ({}) cannot be used: {why}\n",
                    named.display()
                )
            ),
            "{variable}={}",
            value.display()
        );
    }
}

#[test]
fn https_works_with_a_ca_in_ssl_cert_dir_beside_entries_that_are_no_certificate() {
    let server = crate::tls::start();
    let dir = home();
    let certs = dir.path().join("certs");
    std::fs::create_dir(&certs).unwrap();
    std::fs::write(certs.join("ca.pem"), &server.ca_pem).unwrap();
    // Twice, as `openssl rehash` names each certificate again.
    std::os::unix::fs::symlink("ca.pem", certs.join("1a2b3c4d.0")).unwrap();
    std::fs::write(certs.join("README"), "not a certificate\n").unwrap();
    std::fs::create_dir(certs.join("folder")).unwrap();
    std::os::unix::fs::symlink("nowhere", certs.join("dangling.pem")).unwrap();
    // A named pipe nobody writes to: opened, it would block (and the run fail after 60 s).
    let made = Command::new("mkfifo")
        .arg(certs.join("pipe.pem"))
        .status()
        .unwrap();
    assert!(made.success());
    let run = show_api_keys_at(
        &server.url,
        &[],
        &[("SSL_CERT_DIR", certs.to_str().unwrap())],
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "1\t2\tread\t\t\n", "")
    );
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_backslash_leaves_no_core_file_to_hold_the_key() {
    let pattern = std::fs::read_to_string("/proc/sys/kernel/core_pattern").unwrap_or_default();
    // As from a shell after `ulimit -c unlimited` (as high as this user may set it): without
    // `vast`'s own limit, a core is written.
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes the limit given.
    unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) };
    if is_root() {
        limit.rlim_max = libc::RLIM_INFINITY;
    }
    limit.rlim_cur = limit.rlim_max;
    if limit.rlim_cur == 0 {
        println!("SKIPPED: core files are limited to 0 bytes for this user, who cannot raise it");
        return;
    }
    let server = RawServer::start(vec![Reply::Hang]);
    let home = home();
    let cwd = tempfile::tempdir().unwrap();
    let mut command = show_api_keys_command(&server.url, &[], home.path());
    command
        .current_dir(cwd.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit and signal are plain system calls, safe between fork and exec. A parent
    // may have Ctrl-\ ignored; a shell's foreground command has it acting.
    unsafe {
        command.pre_exec(move || {
            libc::setrlimit(libc::RLIMIT_CORE, &limit);
            libc::signal(libc::SIGQUIT, libc::SIG_DFL);
            Ok(())
        });
    }
    let child = command.spawn().unwrap();
    // The key is in memory (and on its way to the server) once the request arrived.
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.requests().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        server.requests()[0].contains(TEST_KEY),
        "the key is what a core would hold"
    );
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let core_limit: Vec<&str> = limits
        .lines()
        .find_map(|line| line.strip_prefix("Max core file size"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(core_limit, ["0", "0", "bytes"]);
    // SAFETY: kill only sends the signal, to the child still running.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGQUIT) }, 0);
    let output = finished(child, Duration::from_secs(20));
    assert_eq!(output.status.signal(), Some(libc::SIGQUIT));
    assert!(!output.status.core_dumped(), "core_pattern: {pattern}");
    if !pattern.starts_with('|') && !pattern.starts_with('/') {
        let left: Vec<_> = std::fs::read_dir(cwd.path()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }
}

#[test]
fn a_url_or_argument_that_is_not_utf8_is_a_usage_error_naming_where_it_came_from() {
    let server = RawServer::start(vec![Reply::json(200, r#"{"apikeys": []}"#)]);
    // A path that is not UTF-8: read with its bytes replaced, the URL would still be this
    // server's, and the call would go there with the key.
    let given = [server.url.as_bytes(), b"/\xff"].concat();
    let shown = format!(r"{}/\xFF", server.url);
    let home = home();
    let run = |args: &[&OsStr], env: Option<&OsStr>| {
        let mut command = vast_command(&[], home.path());
        command
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(value) = env {
            command.env("VAST_URL", value);
        }
        let output = finished(command.spawn().unwrap(), Duration::from_secs(60));
        let stderr = String::from_utf8(output.stderr).expect("stderr is text");
        assert!(
            !stderr.contains(TEST_KEY) && !stderr.contains("key-"),
            "{stderr}"
        );
        (output.status.code().unwrap(), stderr)
    };
    let key = OsStr::new(TEST_KEY);
    let show = [OsStr::new("show"), OsStr::new("api-keys")];
    let flag = OsStr::new("--api-key");
    assert_eq!(
        run(
            &[flag, key, show[0], show[1]],
            Some(OsStr::from_bytes(&given))
        ),
        (
            2,
            format!(
                "error: invalid server URL `{shown}`: VAST_URL is not valid UTF-8 (expected e.g. https://console.vast.ai)\n"
            )
        )
    );
    let joined = [b"--url=".as_slice(), &given].concat();
    for args in [
        vec![OsStr::new("--url"), OsStr::from_bytes(&given), flag, key],
        vec![OsStr::from_bytes(&joined), flag, key],
    ] {
        let args: Vec<&OsStr> = args.into_iter().chain(show).collect();
        assert_eq!(
            run(&args, None),
            (
                2,
                format!("error: the value of --url is not valid UTF-8: \"{shown}\"\n")
            )
        );
    }
    // A key is never shown, not even in part.
    let bad_key = [b"key-secret-".as_slice(), b"\xff"].concat();
    let args = [
        OsStr::new("--url"),
        OsStr::new(&server.url),
        flag,
        OsStr::from_bytes(&bad_key),
    ];
    let args: Vec<&OsStr> = args.into_iter().chain(show).collect();
    assert_eq!(
        run(&args, None),
        (
            2,
            "error: the value of --api-key is not valid UTF-8\n".to_string()
        )
    );
    let args = [
        flag,
        key,
        show[0],
        show[1],
        OsStr::from_bytes(b"\xfe\x1b[31m\x07"),
    ];
    assert_eq!(
        run(&args, None),
        (
            2,
            r#"error: argument 5 is not valid UTF-8: "\xFE\u{1b}[31m\u{7}"
"#
            .to_string()
        )
    );
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    // The same server given as text is used, so the refusals above are the bytes' doing.
    let path = show_api_keys_path();
    let run = show_api_keys_at(&server.url, &[], &[]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(server.requests()[0].contains(path));
}

#[cfg(target_os = "linux")]
#[test]
fn set_api_key_gives_the_echo_back_whatever_signal_ends_the_prompt() {
    let prompt = "Paste the API key (it is not shown), then press Enter: ";
    let cases: [(&[u8], Option<libc::c_int>, i32); 3] = [
        // Ctrl-\ typed: the terminal sends SIGQUIT.
        (b"key-\x1c", None, 128 + libc::SIGQUIT),
        (b"key-", Some(libc::SIGTERM), 128 + libc::SIGTERM),
        (b"key-", Some(libc::SIGHUP), 128 + libc::SIGHUP),
    ];
    for (type_in, signal, code) in cases {
        let home = home();
        let (got, shown, echo) =
            crate::hostile::set_api_key_on_a_terminal(home.path(), type_in, signal);
        assert_eq!(
            (got, shown.as_str(), echo),
            (code, prompt, true),
            "{type_in:?} {signal:?}"
        );
        assert!(!home.path().join(".config/vastai/vast_api_key").exists());
    }
}

/// A file named on the command line (`--json-body FILE`, a key as `@PATH`) is read as the key
/// and certificate files are: regular files only, opened without blocking, never past a limit
/// whatever size they report; anything else is a usage error before anything is sent (the URL
/// is a port where nothing listens: a request would say so).
#[cfg(target_os = "linux")]
#[test]
fn files_named_on_the_command_line_are_read_within_limits() {
    let dir = home();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let big = dir.path().join("big.pub");
    std::fs::write(&big, vec![b'a'; (64 << 10) + 1]).unwrap();
    let url = crate::support::unused_url();
    let fifo = fifo.to_str().unwrap();
    let key_at = format!("@{}", big.display());
    let mut cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["search", "offers", "--json-body", "/dev/zero"],
            "error: cannot read /dev/zero: it is a character device, not a regular file\n".into(),
        ),
        (
            vec!["search", "offers", "--json-body", fifo],
            format!("error: cannot read {fifo}: it is a named pipe (FIFO), not a regular file\n"),
        ),
        (
            vec!["create", "ssh-key", "--ssh-key", &key_at],
            format!(
                "error: invalid value '{key_at}' for '--ssh-key <ssh-key>': cannot read {}: it is larger than the 64 KiB limit for this file\n\n\
                 For more information, try '--help'.\n",
                big.display()
            ),
        ),
    ];
    // A file that reports no size and never ends; only root reads it in a process that is not
    // dumpable (`vast` makes itself so).
    if is_root() {
        cases.push((
            vec!["search", "offers", "--json-body", "/proc/self/pagemap"],
            "error: cannot read /proc/self/pagemap: it is larger than the 1 MiB limit for this file\n"
                .into(),
        ));
    }
    for (args, expected) in cases {
        let mut command = vast_command(&["--url", &url, "--api-key", TEST_KEY], dir.path());
        command.args(&args);
        let (code, stderr) = run_limited(command);
        assert_eq!((code, stderr.as_str()), (2, expected.as_str()), "{args:?}");
    }
}
