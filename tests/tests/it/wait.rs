//! `vast create instance` (the new id, `--wait`) and `vast wait instance` against a local server
//! that answers each request in turn: exact output, exit codes, and the requests on the wire.
//! A spec without `show instance` has no `wait instance`: the tests then print SKIPPED.

use vast_tests::TEST_KEY;
use vast_tests::raw_server::{RawServer, Reply};

use crate::support::{Run, builds, home, vast};

/// Whether this build has `vast wait instance` (the spec has `show instance` and `create
/// instance`); says SKIPPED when not.
fn has_wait() -> bool {
    builds(
        &["create", "instance"],
        "--wait",
        "this spec has no `create instance` and `show instance` to wait with",
    )
}

/// `show instance`'s answer for an instance in this status (a JSON value: `null`, `"loading"`).
fn instance(status: &str) -> Reply {
    Reply::json(
        200,
        &format!(
            r#"{{"instances": {{"id": 1234568, "actual_status": {status}, "intended_status": "running",
                "ssh_host": "ssh4.vast.ai", "ssh_port": 22014}}}}"#
        ),
    )
}

/// `vast ARGS…` against `server` with the test key, on a terminal or in a pipe.
fn run(server: &RawServer, args: &[&str], terminal: bool) -> Run {
    let home = home();
    let mut line = vec!["--url", server.url.as_str()];
    line.extend(args);
    let mut env = vec![("VAST_API_KEY", TEST_KEY)];
    if terminal {
        env.push(("VAST_FORCE_TTY", "1"));
    }
    vast(&line, &env, home.path())
}

/// The request line of each request the server read.
fn request_lines(server: &RawServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|head| head.lines().next().unwrap_or_default().to_string())
        .collect()
}

const CREATED: &str = r#"{"success": true, "new_contract": 1234568}"#;

#[test]
fn create_instance_prints_the_new_id_then_waits_until_running() {
    if !has_wait() {
        return;
    }
    let server = RawServer::start(vec![
        Reply::json(200, CREATED),
        instance("null"),
        instance(r#""loading""#),
        instance(r#""running""#),
    ]);
    let args = ["create", "instance", "42", "--wait", "--interval", "10ms"];
    let run = run(&server, &args, true);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "created instance 1234568\nssh -p 22014 root@ssh4.vast.ai\n",
            "instance 1234568: not listed yet\ninstance 1234568: loading\ninstance 1234568: running\n"
        )
    );
    let get = "GET /api/v0/instances/1234568 HTTP/1.1";
    assert_eq!(
        request_lines(&server),
        ["PUT /api/v0/asks/42 HTTP/1.1", get, get, get]
    );
}

#[test]
fn create_instance_in_a_pipe_keeps_the_json() {
    if !has_wait() {
        return;
    }
    let server = RawServer::start(vec![Reply::json(200, CREATED)]);
    let run = run(&server, &["create", "instance", "42"], false);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "{\n  \"success\": true,\n  \"new_contract\": 1234568\n}\n",
            ""
        )
    );
    assert_eq!(request_lines(&server), ["PUT /api/v0/asks/42 HTTP/1.1"]);
}

#[test]
fn wait_instance_stops_at_the_poll_trap_with_exit_8() {
    if !has_wait() {
        return;
    }
    let server = RawServer::start(vec![instance(r#""loading""#), instance(r#""exited""#)]);
    let args = ["wait", "instance", "1234568", "--interval", "10ms"];
    let run = run(&server, &args, true);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            8,
            "",
            "instance 1234568: loading\ninstance 1234568: exited\n\
             error: instance 1234568 is exited and will never reach running\n\
             hint: destroy it (`vast destroy instance 1234568 --yes`) and rent another\n"
        )
    );
    assert_eq!(server.requests().len(), 2, "no poll after the trap");
}

#[test]
fn wait_instance_gives_up_at_max_wait_with_exit_9() {
    if !has_wait() {
        return;
    }
    let server = RawServer::start(vec![instance(r#""loading""#)]);
    let args = [
        "wait",
        "instance",
        "1234568",
        "--interval",
        "50ms",
        "--max-wait",
        "300ms",
    ];
    let run = run(&server, &args, false);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            9,
            "",
            "error: the instance is not running after 0.3 s (last status: loading)\n\
             hint: `vast wait instance 1234568` waits again; --max-wait longer than 0.3 s waits longer\n"
        )
    );
    let polls = server.requests().len();
    assert!((2..=6).contains(&polls), "{polls} polls in 300 ms");
}

#[test]
fn wait_instance_refuses_a_bad_duration() {
    if !has_wait() {
        return;
    }
    let server = RawServer::start(vec![instance(r#""running""#)]);
    let run = run(
        &server,
        &["wait", "instance", "7", "--max-wait", "soon"],
        false,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`soon` is not a duration: write 90s, 10m, 1h or 500ms"),
        "{}",
        run.stderr
    );
    assert!(server.requests().is_empty());
}
