//! Where a request goes and what it must carry: an operation the spec sends to a server of its
//! own (Vast.ai's serverless `route`, on `https://run.vast.ai`) goes there unless a base URL of
//! one's own is given; what the spec requires is required (rule `defaulted-required`); a body
//! field progenitor has no flag for (an object, a list, a field named as a parameter is) has one
//! of `vast`'s, taking JSON or `@PATH`. The real `vast` binary, against httpmock, or with
//! `--dry-run` where the server is not this machine (the library's calls: `vast-api`'s
//! `config.rs` tests).

use httpmock::Method::{POST, PUT};
use httpmock::MockServer;
use serde_json::json;
use vast_tests::TEST_KEY;

use crate::support::{Run, home, vast};

/// `vast --api-key TEST_KEY ARGS…` in a home of its own, with `env`.
fn run(args: &[&str], env: &[(&str, &str)]) -> Run {
    let home = home();
    let mut all = vec!["--api-key", TEST_KEY];
    all.extend_from_slice(args);
    vast(&all, env, home.path())
}

fn assert_run(run: &Run, code: i32, stdout: &str, stderr: &str) {
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (code, stdout, stderr)
    );
}

#[test]
fn an_operation_goes_to_the_server_the_spec_names_for_it() {
    let route = ["route", "--endpoint", "e", "--cost", "2", "--dry-run"];
    let body = "{\"cost\":2.0,\"endpoint\":\"e\"}\n";
    // No base URL, or the default one given: the spec's server.
    for env in [&[][..], &[("VAST_URL", "https://console.vast.ai/")][..]] {
        let sent = run(&route, env);
        assert_run(
            &sent,
            0,
            &format!("POST https://run.vast.ai/route\n{body}"),
            "",
        );
    }
    let mut explicit = vec!["--url", "https://console.vast.ai"];
    explicit.extend_from_slice(&route);
    assert_run(
        &run(&explicit, &[]),
        0,
        &format!("POST https://run.vast.ai/route\n{body}"),
        "",
    );
    // `-v` names the server the request goes to.
    let mut verbose = vec!["-v"];
    verbose.extend_from_slice(&route);
    assert_run(
        &run(&verbose, &[]),
        0,
        &format!("POST https://run.vast.ai/route\n{body}"),
        "vast: API key from --api-key\nvast: server https://run.vast.ai\n",
    );
    // Any other operation stays on the base URL.
    assert_run(
        &run(&["show", "api-keys", "--dry-run"], &[]),
        0,
        "GET https://console.vast.ai/api/v0/auth/apikeys\n",
        "",
    );
}

#[test]
fn a_base_url_of_ones_own_takes_every_operation() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/route")
            .header("authorization", format!("Bearer {TEST_KEY}"))
            .json_body(json!({"endpoint": "e", "cost": 2.0}));
        then.status(200)
            .header("content-type", "application/json")
            .body(r#"{"endpoint":"e","url":"http://10.0.0.1:8000","cost":2.0}"#);
    });
    let url = server.base_url();
    let args = ["route", "--endpoint", "e", "--cost", "2", "--raw"];
    for (flags, env) in [
        (vec!["--url", url.as_str()], vec![]),
        (vec![], vec![("VAST_URL", url.as_str())]),
    ] {
        let mut all = flags.clone();
        all.extend_from_slice(&args);
        assert_run(
            &run(&all, &env),
            0,
            "{\"endpoint\":\"e\",\"url\":\"http://10.0.0.1:8000\",\"cost\":2.0}\n",
            "",
        );
    }
    mock.assert_calls(2);
}

#[test]
fn what_the_spec_requires_is_required_even_with_a_default() {
    // `cost` has a default in the spec, which is no reason to send one in the caller's place.
    assert_run(
        &run(&["route", "--endpoint", "e", "--dry-run"], &[]),
        2,
        "",
        "error: the following required arguments were not provided:\n  --cost <cost>\n\n\
         Usage: vast route --endpoint <endpoint> --dry-run --cost <cost>\n\n\
         For more information, try '--help'.\n",
    );
    // What another field says can supply it (a template, `image`) may be left out.
    assert_run(
        &run(&["create", "instance", "42", "--dry-run"], &[]),
        0,
        "PUT https://console.vast.ai/api/v0/asks/42\n{}\n",
        "",
    );
}

#[test]
fn an_object_field_takes_json_or_a_file() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/api/v0/team/roles")
            .json_body(json!({"name": "ops", "permissions": {"api": {"misc": {}}}}));
        then.status(200)
            .header("content-type", "application/json")
            .body(r#"{"msg":"ok"}"#);
    });
    let dir = home();
    let file = dir.path().join("permissions.json");
    std::fs::write(&file, r#"{"api": {"misc": {}}}"#).unwrap();
    let at_file = format!("@{}", file.display());
    let url = server.base_url();
    for permissions in [r#"{"api":{"misc":{}}}"#, at_file.as_str()] {
        let args = [
            "--url",
            &url,
            "--raw",
            "create",
            "team-role",
            "--name",
            "ops",
            "--permissions",
            permissions,
        ];
        assert_run(&run(&args, &[]), 0, "{\"msg\":\"ok\"}\n", "");
    }
    mock.assert_calls(2);
    let refused = run(
        &[
            "create",
            "team-role",
            "--name",
            "ops",
            "--permissions",
            "{oops",
            "--dry-run",
        ],
        &[],
    );
    assert_run(
        &refused,
        2,
        "",
        "error: invalid value '{oops' for '--permissions <JSON>': it is not JSON: key must be a string at line 1 column 2\n\n\
         For more information, try '--help'.\n",
    );
    let device = run(
        &[
            "create",
            "team-role",
            "--name",
            "ops",
            "--permissions",
            "@/dev/zero",
            "--dry-run",
        ],
        &[],
    );
    assert_run(
        &device,
        2,
        "",
        "error: invalid value '@/dev/zero' for '--permissions <JSON>': cannot read /dev/zero: it is a character device, not a regular file\n\n\
         For more information, try '--help'.\n",
    );
}

/// `update team-role NAME`: the path parameter is positional, so the body's `name` has the flag.
#[test]
fn a_body_field_named_as_a_path_parameter_has_its_flag() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(PUT)
            .path("/api/v0/team/roles/5")
            .json_body(json!({"name": "new", "permissions": {}}));
        then.status(200)
            .header("content-type", "application/json")
            .body(r#""updated""#);
    });
    let url = server.base_url();
    let args = [
        "--url",
        &url,
        "--raw",
        "update",
        "team-role",
        "5",
        "--name",
        "new",
        "--permissions",
        "{}",
    ];
    assert_run(&run(&args, &[]), 0, "\"updated\"\n", "");
    mock.assert_calls(1);
}

/// A value goes out as the spec types it, whatever way it was typed: a time as UTC in RFC 3339;
/// a number JSON cannot hold, a path value that would leave its segment, and a text the spec
/// constrains are refused before anything is sent.
#[test]
fn values_go_out_as_the_spec_types_them() {
    assert_run(
        &run(
            &[
                "schedule",
                "maint",
                "5",
                "--sdate",
                "2024-06-01 10:00:00+02:00",
                "--duration",
                "2",
                "--dry-run",
            ],
            &[],
        ),
        0,
        "PUT https://console.vast.ai/api/v0/machines/5/dnotify\n\
         {\"duration\":2,\"sdate\":\"2024-06-01T08:00:00Z\"}\n",
        "",
    );
    assert_run(
        &run(&["set", "min-bid", "1", "--price", "nan", "--dry-run"], &[]),
        2,
        "",
        "error: invalid value for --price: NaN is not a number the API takes\n",
    );
    assert_run(
        &run(&["remove", "team-role", "..", "--dry-run"], &[]),
        2,
        "",
        "error: invalid request: `..` is not a value for the path parameter `name`\n",
    );
    assert_run(
        &run(&["remove", "team-role", "ops", "--dry-run"], &[]),
        0,
        "DELETE https://console.vast.ai/api/v0/team/roles/ops\n",
        "",
    );
}
