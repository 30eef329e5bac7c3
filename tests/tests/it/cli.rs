//! The real `vast` binary against httpmock: exact output, exit codes, error text, key sources.
//! Every run is checked for the API keys it was given: none may appear in stdout or stderr.

use std::path::Path;
use std::process::Command;

use httpmock::{Method::GET, MockServer};
use vast_tests::TEST_KEY;

use crate::support::{Run, home, show_api_keys_at, show_api_keys_path, vast, vast_bin};

/// Compares with `tests/data/<name>`; `UPDATE_SNAPSHOTS=1` rewrites the file instead.
fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {}", path.display()));
    assert_eq!(
        actual, expected,
        "output differs from tests/data/{name} (UPDATE_SNAPSHOTS=1 refreshes it)"
    );
}

fn serve<'a>(server: &'a MockServer, key: &str, status: u16, body: &str) -> httpmock::Mock<'a> {
    server.mock(|when, then| {
        when.method(GET)
            .path(show_api_keys_path())
            .header("authorization", format!("Bearer {key}"));
        then.status(status)
            .header("content-type", "application/json")
            .body(body);
    })
}

fn keys_example(server: &MockServer) -> httpmock::Mock<'_> {
    let body = r#"{"apikeys": [{"id": 123, "user_id": 456, "rights": "read", "team_id": 789, "team_name": "Team Alpha"},
                               {"id": 7, "user_id": 456, "rights": null, "created": "2026-01-01"}]}"#;
    serve(server, TEST_KEY, 200, body)
}

#[test]
fn a_terminal_gets_an_aligned_table_with_a_header() {
    let server = MockServer::start();
    let mock = keys_example(&server);
    let run = show_api_keys_at(&server.base_url(), &[], &[("VAST_FORCE_TTY", "1")]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    snapshot("show-api-keys.terminal.stdout", &run.stdout);
    mock.assert_calls(1);
}

#[test]
fn a_pipe_gets_tab_separated_rows() {
    let server = MockServer::start();
    keys_example(&server);
    let home = home();
    let run = vast(
        &[
            "show",
            "api-keys",
            "--url",
            &server.base_url(),
            "--api-key",
            TEST_KEY,
        ],
        &[],
        home.path(),
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    snapshot("show-api-keys.piped.stdout", &run.stdout);
}

#[test]
fn a_terminal_table_keeps_the_columns_that_fit_and_names_the_rest() {
    let server = MockServer::start();
    keys_example(&server);
    let tty = [("VAST_FORCE_TTY", "1"), ("COLUMNS", "22")];
    let run = show_api_keys_at(&server.base_url(), &[], &tty);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "id   user_id  rights\n123  456      read\n7    456\n",
            // The note names as many of the columns as fit the width: none, in 22 cells.
            "vast: 2 more columns (…): --cols A,B,C chooses, --all-cols shows all\n"
        )
    );
    let chosen = show_api_keys_at(
        &server.base_url(),
        &["--cols", "team_name,id,created"],
        &tty,
    );
    assert_eq!(
        (chosen.code, chosen.stdout.as_str(), chosen.stderr.as_str()),
        (
            0,
            "team_name   id   created\nTeam Alpha  123\n            7    2026-01-01\n",
            ""
        ),
        "--cols shows any field, in its order, however wide"
    );
    let all = show_api_keys_at(&server.base_url(), &["--all-cols"], &tty);
    assert_eq!(
        (all.code, all.stdout.as_str(), all.stderr.as_str()),
        (
            0,
            "id   user_id  rights  team_id  team_name\n123  456      read    789      Team Alpha\n7    456\n",
            ""
        )
    );
    let conflicting = show_api_keys_at(&server.base_url(), &["--all-cols", "--cols", "id"], &tty);
    assert_eq!(conflicting.code, 2, "{}", conflicting.stderr);
}

#[test]
fn raw_prints_the_servers_document_unchanged() {
    let server = MockServer::start();
    let body = r#"{"apikeys": [{"id": 1, "undocumented": {"kept": true}}]}"#;
    serve(&server, TEST_KEY, 200, body);
    let home = home();
    // Global flags work before and after the subcommand.
    for args in [
        vec!["--raw", "--url", &server.base_url(), "show", "api-keys"],
        vec!["show", "api-keys", "--raw", "--url", &server.base_url()],
    ] {
        let run = vast(&args, &[("VAST_API_KEY", TEST_KEY)], home.path());
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (0, format!("{body}\n").as_str(), "")
        );
    }
}

#[test]
fn an_empty_or_null_list_prints_only_the_header_on_a_terminal_and_nothing_to_a_pipe() {
    for body in [r#"{"apikeys": []}"#, r#"{"apikeys": null}"#] {
        let server = MockServer::start();
        serve(&server, TEST_KEY, 200, body);
        let url = server.base_url();
        let run = show_api_keys_at(&url, &[], &[("VAST_FORCE_TTY", "1")]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, "id  user_id  rights  team_id  team_name\n"),
            "{body}"
        );
        let run = show_api_keys_at(&url, &[], &[]);
        assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{body}");
    }
}

/// Status, body → exit code and the exact stderr.
fn failure(status: u16, body: &str, extra: &[&str]) -> Run {
    let server = MockServer::start();
    serve(&server, TEST_KEY, status, body);
    let run = show_api_keys_at(
        &server.base_url(),
        &[&["--retry", "1"], extra].concat(),
        &[],
    );
    assert_eq!(run.stdout, "", "nothing on stdout when a call fails");
    run
}

#[test]
fn a_401_shows_the_servers_msg_and_how_to_fix_the_key() {
    let run = failure(
        401,
        r#"{"success": false, "error": "invalid_user_key", "msg": "Invalid user key"}"#,
        &[],
    );
    assert_eq!(run.code, 4);
    assert_eq!(
        run.stderr,
        "error: the server rejected the API key (401 Unauthorized): Invalid user key\n\
         hint: check the key from --api-key; keys are managed at https://cloud.vast.ai/manage-keys/\n"
    );
}

#[test]
fn a_key_the_server_echoes_is_not_printed() {
    let echo = format!(r#"{{"msg": "bad key Bearer {TEST_KEY}"}}"#);
    let run = failure(401, &echo, &[]);
    assert_eq!(run.code, 4);
    assert!(
        run.stderr.starts_with(
            "error: the server rejected the API key (401 Unauthorized): bad key Bearer <redacted>\n"
        ),
        "{}",
        run.stderr
    );
    // Nor any part of it when a long message is cut short.
    let long = format!(r#"{{"msg": "{} {TEST_KEY}"}}"#, "x".repeat(190));
    let run = failure(401, &long, &[]);
    assert_eq!(run.code, 4);
    assert!(
        !run.stderr.contains(&TEST_KEY[..8]) && run.stderr.contains(" <redacted…"),
        "{}",
        run.stderr
    );
    // Nor in a usage error that quotes it.
    let dir = home();
    let run = vast(
        &["--api-key", TEST_KEY, "show", "api-keys", TEST_KEY],
        &[],
        dir.path(),
    );
    assert_eq!(
        (run.code, run.stderr.lines().next()),
        (2, Some("error: unexpected argument '<redacted>' found"))
    );
    // Nor in the server's own bytes.
    let server = MockServer::start();
    serve(
        &server,
        TEST_KEY,
        200,
        &format!(r#"{{"apikeys": [], "note": "{TEST_KEY}"}}"#),
    );
    let run = show_api_keys_at(&server.base_url(), &["--raw"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "{\"apikeys\": [], \"note\": \"<redacted>\"}\n")
    );
}

#[test]
fn a_429_shows_the_servers_detail() {
    let run = failure(
        429,
        r#"{"detail": "API requests too frequent endpoint threshold=1.0"}"#,
        &[],
    );
    assert_eq!(run.code, 6);
    assert_eq!(
        run.stderr,
        "error: rate limited by the server (429 Too Many Requests): API requests too frequent endpoint threshold=1.0\n\
         hint: wait a little and try again\n"
    );
}

#[test]
fn a_400_shows_the_servers_msg() {
    let run = failure(
        400,
        r#"{"msg": "API Key not provided as bearer token."}"#,
        &[],
    );
    assert_eq!(run.code, 5);
    assert_eq!(
        run.stderr,
        "error: the server refused the request (400 Bad Request): API Key not provided as bearer token.\n"
    );
}

#[test]
fn an_unlisted_status_and_a_proxy_error_page() {
    let run = failure(500, r#"{"error": "internal"}"#, &[]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: the server answered 500 Internal Server Error: internal\n"
        )
    );
    let run = failure(
        502,
        "<html>\n<body><h1>502 Bad Gateway</h1></body>\n</html>\n",
        &[],
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: the server answered 502 Bad Gateway: <html> <body><h1>502 Bad Gateway</h1></body> </html>\n"
        )
    );
}

/// A success body the spec describes otherwise is still shown, as a table like any list; the
/// mismatch is one warning line and the call succeeds.
#[test]
fn a_body_that_is_not_the_spec_is_shown_with_a_warning_that_quotes_it() {
    let server = MockServer::start();
    serve(
        &server,
        TEST_KEY,
        200,
        r#"{"apikeys": [{"id": "one", "rights": "r"}]}"#,
    );
    let run = show_api_keys_at(&server.base_url(), &[], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "one\t\tr\t\t\n",
            "warning: the server's response (200 OK) is not what the API spec describes: \
             `apikeys[0].id` is the string \"one\", where the spec has an integer; body: \
             {\"apikeys\": [{\"id\": \"one\", \"rights\": \"r\"}]}; printed as received\n"
        )
    );
    // Not JSON at all: nothing to show but the error.
    let run = failure(200, "<html>maintenance</html>", &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            1,
            "",
            "error: the server's response (200 OK) is not what the API spec describes: \
             expected value at line 1 column 1; body: <html>maintenance</html>\n"
        )
    );
}

/// `--raw` prints what the server sent, whatever the spec says: a mistyped success body is
/// printed as received (the key redacted), the mismatch is a warning, and the call succeeds.
#[test]
fn raw_prints_a_body_that_is_not_the_spec_with_a_warning() {
    let server = MockServer::start();
    let body = format!(r#"{{"apikeys": [{{"id": "one", "key": "{TEST_KEY}"}}]}}"#);
    serve(&server, TEST_KEY, 200, &body);
    let run = show_api_keys_at(&server.base_url(), &["--raw"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "{\"apikeys\": [{\"id\": \"one\", \"key\": \"<redacted>\"}]}\n",
            "warning: the server's response (200 OK) is not what the API spec describes: \
             `apikeys[0].id` is the string \"one\", where the spec has an integer; body: \
             {\"apikeys\": [{\"id\": \"one\", \"key\": \"<redacted>\"}]}; printed as received\n"
        )
    );
}

/// `--dry-run` prints the request the command would send (never the key) and sends nothing.
#[test]
fn dry_run_prints_the_request_and_sends_nothing() {
    let server = MockServer::start();
    let mock = keys_example(&server);
    let run = show_api_keys_at(&server.base_url(), &["--dry-run"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            format!("GET {}{}\n", server.base_url(), show_api_keys_path()).as_str(),
            ""
        )
    );
    mock.assert_calls(0);
}

#[test]
fn a_refused_connection_is_one_line_and_a_hint() {
    let url = crate::support::unused_url();
    let run = show_api_keys_at(&url, &["--retry", "1"], &[]);
    assert_eq!(run.code, 7);
    assert_eq!(
        run.stderr,
        format!(
            "error: cannot connect to {url}: Connection refused (os error 111)\n\
             hint: check --url (or VAST_URL) and the network\n"
        )
    );
}

#[test]
fn no_key_anywhere_names_every_source_and_sends_nothing() {
    let server = MockServer::start();
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(200);
    });
    let home = home();
    let run = vast(
        &["--url", &server.base_url(), "show", "api-keys"],
        &[],
        home.path(),
    );
    let dir = home.path().display();
    assert_eq!(run.code, 3);
    assert_eq!(
        run.stderr,
        format!(
            "error: no API key found: set VAST_API_KEY, or save the key in \
             {dir}/.config/vastai/vast_api_key (also read: {dir}/.vast_api_key)\n\
             hint: `vast set api-key` saves it, read from standard input (paste it when asked, or pipe it in)\n"
        )
    );
    any.assert_calls(0);
}

/// A key file as `vast set api-key` leaves it: readable by its owner only.
fn write_key_file(path: &Path, key: &str) {
    std::fs::write(path, key).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
}

#[test]
fn keys_are_found_in_the_vendor_clis_order() {
    let home = home();
    let xdg = home.path().join("xdg");
    std::fs::create_dir_all(xdg.join("vastai")).unwrap();
    let xdg_file = xdg.join("vastai/vast_api_key");
    let legacy_file = home.path().join(".vast_api_key");
    write_key_file(&xdg_file, "xdg-key-1\n");
    write_key_file(&legacy_file, "legacy-key-2\n");
    let xdg_env = ("XDG_CONFIG_HOME", xdg.to_str().unwrap());

    let used = |args: &[&str], env: &[(&str, &str)], key: &str, source: &str| {
        let server = MockServer::start();
        let mock = serve(&server, key, 200, r#"{"apikeys": []}"#);
        let url = server.base_url();
        let mut all = vec!["-v", "--url", url.as_str(), "show", "api-keys"];
        all.extend_from_slice(args);
        let run = vast(&all, env, home.path());
        assert_eq!(run.code, 0, "{}", run.stderr);
        mock.assert_calls(1);
        assert!(
            run.stderr
                .starts_with(&format!("vast: API key from {source}\n")),
            "{}",
            run.stderr
        );
    };
    used(
        &["--api-key", "flag-key-0"],
        &[("VAST_API_KEY", "env-key-3"), xdg_env],
        "flag-key-0",
        "--api-key",
    );
    used(
        &[],
        &[("VAST_API_KEY", "env-key-3"), xdg_env],
        "env-key-3",
        "the VAST_API_KEY environment variable",
    );
    used(
        &[],
        &[xdg_env],
        "xdg-key-1",
        &format!("the key file {}", xdg_file.display()),
    );
    std::fs::remove_file(&xdg_file).unwrap();
    used(
        &[],
        &[xdg_env],
        "legacy-key-2",
        &format!("the key file {}", legacy_file.display()),
    );
    // Without XDG_CONFIG_HOME the vendor's file is under ~/.config.
    let default_file = home.path().join(".config/vastai/vast_api_key");
    std::fs::create_dir_all(default_file.parent().unwrap()).unwrap();
    write_key_file(&default_file, "default-key-4");
    used(
        &[],
        &[],
        "default-key-4",
        &format!("the key file {}", default_file.display()),
    );
}

#[test]
fn bad_flags_and_unknown_commands_are_usage_errors() {
    let home = home();
    for args in [
        vec!["show", "api-kez"],
        vec!["--timeout", "0", "show", "api-keys"],
        vec!["--retry", "many", "show", "api-keys"],
        vec!["--bogus"],
    ] {
        let run = vast(&args, &[("VAST_API_KEY", TEST_KEY)], home.path());
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    }
    let run = show_api_keys_at("console.vast.ai", &[], &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: invalid server URL `console.vast.ai`: relative URL without a base (expected e.g. https://console.vast.ai)\n"
    );
}

/// The names a help text lists under `Commands:` (not `help`): an entry starts two spaces in.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.strip_prefix("  "))
        .filter(|entry| !entry.starts_with(' '))
        .filter_map(|entry| entry.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(String::from)
        .collect()
}

/// Every command's `--help`, the whole tree in one file (`tests/data/command-tree.txt`), so that
/// any change to the commands, their arguments or their words (a new spec, a renamed flag) is
/// seen and reviewed in the diff: refresh it with `UPDATE_SNAPSHOTS=1 cargo test`.
#[test]
fn the_command_tree_is_as_reviewed() {
    let home = home();
    let mut tree = String::new();
    let mut pending: Vec<Vec<String>> = vec![vec![]];
    while let Some(words) = pending.pop() {
        let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
        args.push("--help");
        // A fixed width: clap wraps help to the terminal, and the file must not depend on it.
        let run = vast(&args, &[("COLUMNS", "100")], home.path());
        assert_eq!(run.code, 0, "vast {}: {}", args.join(" "), run.stderr);
        tree.push_str(&format!("$ vast {}\n{}\n", args.join(" "), run.stdout));
        // Depth first, in the order the help lists them.
        for name in subcommands(&run.stdout).into_iter().rev() {
            pending.push([words.clone(), vec![name]].concat());
        }
    }
    snapshot("command-tree.txt", &tree);
}

#[test]
fn help_documents_exit_codes_and_completions_are_generated() {
    let home = home();
    let run = vast(&["--help"], &[], home.path());
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("  6  rate limited (429)\n"),
        "{}",
        run.stdout
    );
    let run = vast(&["show", "api-keys", "--help"], &[], home.path());
    assert!(
        run.stdout.starts_with(
            "Retrieves all API keys associated with the authenticated user.\n\n\
             Usage: vast show api-keys [OPTIONS]\n"
        ),
        "the description's first sentence in place of a summary that restates the command, \
         without the vendor CLI's usage line:\n{}",
        run.stdout
    );
    let run = vast(&["show", "--help"], &[], home.path());
    // Aligned with the other `show` commands, however many the spec has.
    assert!(
        run.stdout.lines().any(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            words.first() == Some(&"api-keys")
                && words[1..].join(" ")
                    == "Retrieves all API keys associated with the authenticated user."
        }),
        "{}",
        run.stdout
    );
    for shell in ["bash", "zsh", "fish"] {
        let run = vast(&["completions", shell], &[], home.path());
        assert_eq!(run.code, 0, "{shell}");
        assert!(run.stdout.contains("api-keys"), "{shell}: {}", run.stdout);
    }
}

#[test]
fn the_exit_code_follows_the_status_whatever_the_body() {
    for (status, body, code, stderr) in [
        (
            401,
            "<html>Unauthorized</html>",
            4,
            "error: the server rejected the API key (401 Unauthorized): <html>Unauthorized</html>\n",
        ),
        (
            429,
            "",
            6,
            "error: rate limited by the server (429 Too Many Requests)\n",
        ),
        (
            400,
            "<h1>Bad</h1>",
            5,
            "error: the server refused the request (400 Bad Request): <h1>Bad</h1>\n",
        ),
    ] {
        let run = failure(status, body, &[]);
        assert_eq!(run.code, code, "{status}: {}", run.stderr);
        assert_eq!(
            run.stderr.lines().next().unwrap(),
            stderr.trim_end(),
            "{status}"
        );
    }
}

#[test]
fn a_blank_key_or_url_is_refused_before_anything_is_sent() {
    let server = MockServer::start();
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(200);
    });
    let home = home();
    let url = server.base_url();
    let run = vast(
        &["--url", &url, "--api-key", " ", "show", "api-keys"],
        &[],
        home.path(),
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (3, "error: the API key from --api-key is empty\n")
    );
    let run = vast(
        &["--url", &url, "--api-key", "two words", "show", "api-keys"],
        &[],
        home.path(),
    );
    assert_eq!(run.code, 3);
    assert!(
        run.stderr
            .starts_with("error: the API key from --api-key contains spaces"),
        "{}",
        run.stderr
    );
    let run = vast(
        &["--url", "", "--api-key", TEST_KEY, "show", "api-keys"],
        &[],
        home.path(),
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: invalid server URL ``: it is empty (expected e.g. https://console.vast.ai)\n"
        )
    );
    any.assert_calls(0);
}

#[test]
fn a_key_that_looks_like_a_flag_is_still_the_key() {
    let server = MockServer::start();
    let mock = serve(&server, "--key-like-flag", 200, r#"{"apikeys": []}"#);
    let home = home();
    let run = vast(
        &[
            "--url",
            &server.base_url(),
            "--api-key",
            "--key-like-flag",
            "show",
            "api-keys",
        ],
        &[],
        home.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    mock.assert_calls(1);
}

#[test]
fn closed_pipes_end_quietly_instead_of_panicking() {
    let server = MockServer::start();
    serve(
        &server,
        "wrong-key-1",
        401,
        r#"{"msg": "Invalid user key"}"#,
    );
    keys_example(&server);
    let home = home();
    let url = server.base_url();
    for (stream, key, expected) in [("stderr", "wrong-key-1", 4), ("stdout", TEST_KEY, 0)] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut command = Command::new(vast_bin());
        command
            .args([
                "-v",
                "--url",
                &url,
                "--api-key",
                key,
                "--retry",
                "1",
                "show",
                "api-keys",
            ])
            .env_clear()
            .env("HOME", home.path());
        if stream == "stderr" {
            command.stderr(writer).stdout(std::process::Stdio::null());
        } else {
            command.stdout(writer).stderr(std::process::Stdio::null());
        }
        let status = command.status().unwrap();
        assert_eq!(status.code(), Some(expected), "closed {stream}");
    }
}
