//! `vastai`'s everyday commands whose operation the spec names otherwise (`vast start instance
//! ID` runs `manage instance` with `state` running): the exact request each sends, which is the
//! one `vastai` 1.9.1 sends for the same input (recorded against a logging server, in each
//! test's comment; `vastai` adds a trailing `/` to the path, `vast` writes it as the spec does),
//! and their help. A spec without the operations has none of them: the tests then print SKIPPED.

use std::sync::{Arc, Mutex};

use vast_tests::TEST_KEY;
use vast_tests::raw_server::{RawServer, Reply};

use crate::support::{Run, home, vast};

/// Whether this build has `vast WORDS`; says SKIPPED when not.
fn has(words: &[&str]) -> bool {
    let home = home();
    let mut line = words.to_vec();
    line.push("--help");
    let has = vast(&line, &[], home.path()).code == 0;
    if !has {
        println!(
            "SKIPPED: this spec has no operation for `vast {}`",
            words.join(" ")
        );
    }
    has
}

/// Runs `vast ARGS…` against a server that records each request (method, target, body) and
/// answers success; the run and the requests.
fn sent(args: &[&str]) -> (Run, Vec<String>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let server = RawServer::answering(move |request| {
        let line = request.head.lines().next().unwrap_or_default();
        let target = line.rsplit_once(' ').map_or(line, |(target, _)| target);
        let body = String::from_utf8_lossy(&request.body);
        log.lock()
            .unwrap()
            .push(format!("{target} {body}").trim_end().to_string());
        Reply::json(200, r#"{"success": true}"#)
    })
    .unwrap();
    let home = home();
    let mut line = vec!["--url", server.url.as_str()];
    line.extend(args);
    let run = vast(&line, &[("VAST_API_KEY", TEST_KEY)], home.path());
    let requests = seen.lock().unwrap().clone();
    (run, requests)
}

/// `vast ARGS…` sends exactly `request` and prints the server's answer.
#[track_caller]
fn sends(args: &[&str], request: &str) {
    let (run, requests) = sent(args);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "{\n  \"success\": true\n}\n", ""),
        "{args:?}"
    );
    assert_eq!(requests, [request], "{args:?}");
}

#[test]
fn start_and_stop_instance_set_its_state() {
    if !has(&["start", "instance"]) {
        return;
    }
    // vastai start instance 312: PUT /api/v0/instances/312/ {"state": "running"}
    sends(
        &["start", "instance", "312"],
        r#"PUT /api/v0/instances/312 {"state":"running"}"#,
    );
    // vastai stop instance 312: PUT /api/v0/instances/312/ {"state": "stopped"}
    sends(
        &["stop", "instance", "312"],
        r#"PUT /api/v0/instances/312 {"state":"stopped"}"#,
    );
    // The state is the command's: given again, it is refused, and nothing is sent.
    let (run, requests) = sent(&["start", "instance", "312", "--state", "stopped"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "error: `vast start instance` sets --state itself\n")
    );
    assert!(requests.is_empty());
}

#[test]
fn label_instance_sets_its_label() {
    if !has(&["label", "instance"]) {
        return;
    }
    // vastai label instance 312 'ML job': PUT /api/v0/instances/312/ {"label": "ML job"}
    sends(
        &["label", "instance", "312", "ML job"],
        r#"PUT /api/v0/instances/312 {"label":"ML job"}"#,
    );
}

#[test]
fn logs_asks_for_the_instances_logs() {
    if !has(&["logs"]) {
        return;
    }
    // vastai logs 312: PUT /api/v0/instances/request_logs/312/ {}
    sends(
        &["logs", "312"],
        "PUT /api/v0/instances/request_logs/312 {}",
    );
    // vastai logs 312 --tail 100: PUT /api/v0/instances/request_logs/312/ {"tail": "100"}
    sends(
        &["logs", "312", "--tail", "100"],
        r#"PUT /api/v0/instances/request_logs/312 {"tail":"100"}"#,
    );
}

#[test]
fn attach_ssh_sends_the_key_or_the_files_contents() {
    if !has(&["attach", "ssh"]) {
        return;
    }
    // vastai attach ssh 312 'ssh-ed25519 AAAAC3Nza me@host':
    // POST /api/v0/instances/312/ssh/ {"ssh_key": "ssh-ed25519 AAAAC3Nza me@host"}
    sends(
        &["attach", "ssh", "312", "ssh-ed25519 AAAAC3Nza me@host"],
        r#"POST /api/v0/instances/312/ssh {"ssh_key":"ssh-ed25519 AAAAC3Nza me@host"}"#,
    );
    // A file's path sends its contents, as vastai's does (vastai keeps the final line break).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("id_ed25519.pub");
    std::fs::write(&path, "ssh-ed25519 AAAAC3Nza me@host\n").unwrap();
    let path = path.to_str().unwrap();
    let expected = r#"POST /api/v0/instances/312/ssh {"ssh_key":"ssh-ed25519 AAAAC3Nza me@host"}"#;
    sends(&["attach", "ssh", "312", path], expected);
    sends(&["attach", "ssh", "312", &format!("@{path}")], expected);
    // So does the operation's own command, whose key field has a type of its own.
    sends(&["attach", "ssh-key", "312", "--ssh-key", path], expected);
}

#[test]
fn detach_ssh_deletes_the_instances_key() {
    if !has(&["detach", "ssh"]) {
        return;
    }
    // vastai detach ssh 312 45: DELETE /api/v0/instances/312/ssh/45/ {}
    sends(
        &["detach", "ssh", "312", "45", "--yes"],
        "DELETE /api/v0/instances/312/ssh/45",
    );
}

#[test]
fn each_says_what_it_runs() {
    if !has(&["start", "instance"]) {
        return;
    }
    let home = home();
    let help = vast(&["start", "instance", "--help"], &[], home.path());
    assert!(
        help.stdout.starts_with(
            "vastai's `start instance`: runs `vast manage instance <id> --state running` \
             (operation\n`manage_instance`), the request `vastai` sends.\n"
        ),
        "{}",
        help.stdout
    );
    // The state is the command's, not an option.
    assert!(!help.stdout.contains("      --state"), "{}", help.stdout);
    let group = vast(&["start", "--help"], &[], home.path());
    assert!(
        group.stdout.contains(
            "  instance    Start a stopped instance: runs `vast manage instance <id> --state running`\n"
        ),
        "{}",
        group.stdout
    );
}
