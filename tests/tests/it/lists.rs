//! Paged lists (`vast show instances`) against a local server that pages by `next_token` into
//! `after_token`: every page by default, `--max-items`, `--raw`, `--after-token`, `--all`, and
//! the bounds, with the exact output, exit code and requests on the wire. A spec without
//! `show instances` has none: the tests then print SKIPPED.

use std::sync::{Arc, Mutex};

use vast_tests::TEST_KEY;
use vast_tests::raw_server::{RawServer, Reply};

use crate::support::{Run, builds, home, vast};

/// Whether this build has `vast show instances` as a paged list; says SKIPPED when not.
fn has_show_instances() -> bool {
    builds(
        &["show", "instances"],
        "--max-items",
        "this spec has no paged `show instances`",
    )
}

/// A server paging instances: the page asked for with `after_token` (none: the first) is
/// `pages(token)`, its ids and next token. Records each request's target.
fn pager(
    pages: impl Fn(Option<&str>) -> (Vec<i64>, Option<String>) + Send + Sync + 'static,
) -> (RawServer, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let server = RawServer::answering(move |request| {
        let line = request.head.lines().next().unwrap_or_default();
        let target = line.rsplit_once(' ').map_or(line, |(target, _)| target);
        log.lock().unwrap().push(target.to_string());
        let token = request
            .query()
            .split('&')
            .find_map(|pair| pair.strip_prefix("after_token="));
        let (ids, next) = pages(token);
        let rows: Vec<_> = ids.iter().map(|id| serde_json::json!({"id": id})).collect();
        let body = serde_json::json!({"instances": rows, "next_token": next});
        Reply::json(200, &body.to_string())
    })
    .unwrap();
    (server, seen)
}

/// Three pages: 1 2, then 3 4, then 5.
fn three_pages(token: Option<&str>) -> (Vec<i64>, Option<String>) {
    match token {
        None => (vec![1, 2], Some("a".into())),
        Some("a") => (vec![3, 4], Some("b".into())),
        _ => (vec![5], None),
    }
}

/// `vast show instances ARGS…` against `server`, in a pipe, with `env`.
fn show_instances(server: &RawServer, args: &[&str], env: &[(&str, &str)]) -> Run {
    let home = home();
    let mut line = vec!["--url", server.url.as_str(), "show", "instances"];
    line.extend(args);
    let mut env = env.to_vec();
    env.push(("VAST_API_KEY", TEST_KEY));
    vast(&line, &env, home.path())
}

fn requests(seen: &Mutex<Vec<String>>) -> Vec<String> {
    seen.lock().unwrap().clone()
}

#[test]
fn every_page_prints_by_default_in_a_pipe() {
    if !has_show_instances() {
        return;
    }
    let (server, seen) = pager(three_pages);
    let run = show_instances(&server, &["--cols", "id"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "1\n2\n3\n4\n5\n", "")
    );
    assert_eq!(
        requests(&seen),
        [
            "GET /api/v1/instances",
            "GET /api/v1/instances?after_token=a",
            "GET /api/v1/instances?after_token=b"
        ]
    );
    // `--all`, which asked for this before, still runs and changes nothing.
    let (server, _) = pager(three_pages);
    let all = show_instances(&server, &["--cols", "id", "--all"], &[]);
    assert_eq!((all.code, all.stdout), (0, run.stdout));
}

#[test]
fn every_page_prints_as_one_table_on_a_terminal() {
    if !has_show_instances() {
        return;
    }
    let (server, _) = pager(three_pages);
    let run = show_instances(&server, &["--cols", "id"], &[("VAST_FORCE_TTY", "1")]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "id\n1\n2\n3\n4\n5\n", "")
    );
}

#[test]
fn max_items_stops_on_purpose_within_a_page() {
    if !has_show_instances() {
        return;
    }
    let (server, seen) = pager(three_pages);
    let run = show_instances(&server, &["--cols", "id", "--max-items", "3"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "1\n2\n3\n", "")
    );
    assert_eq!(requests(&seen).len(), 2, "no page past the third item");
    // Not the API's page size: `--limit` is sent as it is, and is another thing.
    let (server, seen) = pager(three_pages);
    let run = show_instances(
        &server,
        &["--cols", "id", "--max-items", "1", "--limit", "5"],
        &[],
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, "1\n"));
    assert_eq!(requests(&seen), ["GET /api/v1/instances?limit=5"]);
}

#[test]
fn raw_prints_each_page_as_it_came() {
    if !has_show_instances() {
        return;
    }
    let (server, _) = pager(three_pages);
    let run = show_instances(&server, &["--raw", "--max-items", "3"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "{\"instances\":[{\"id\":1},{\"id\":2}],\"next_token\":\"a\"}\n\
             {\"instances\":[{\"id\":3},{\"id\":4}],\"next_token\":\"b\"}\n",
            ""
        )
    );
}

#[test]
fn after_token_starts_at_that_page_and_follows_on() {
    if !has_show_instances() {
        return;
    }
    let (server, seen) = pager(three_pages);
    let run = show_instances(&server, &["--cols", "id", "--after-token", "a"], &[]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "3\n4\n5\n"));
    assert_eq!(
        requests(&seen),
        [
            "GET /api/v1/instances?after_token=a",
            "GET /api/v1/instances?after_token=b"
        ]
    );
}

#[test]
fn a_repeated_token_prints_what_came_and_exits_10_in_one_line_that_fits() {
    if !has_show_instances() {
        return;
    }
    let circle = |token: Option<&str>| match token {
        None => (vec![1], Some("a".to_string())),
        Some("a") => (vec![2], Some("b".to_string())),
        _ => (vec![3], Some("a".to_string())),
    };
    let (server, seen) = pager(circle);
    let run = show_instances(&server, &["--cols", "id"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            10,
            "1\n2\n3\n",
            "error: list incomplete: the server repeated a page token after 3 pages\n"
        )
    );
    assert_eq!(requests(&seen).len(), 3);
    // On a terminal 40 columns wide, the line is cut to fit.
    let (server, _) = pager(circle);
    let env = [("VAST_FORCE_TTY", "1"), ("COLUMNS", "40")];
    let run = show_instances(&server, &["--cols", "id"], &env);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            10,
            "id\n1\n2\n3\n",
            "error: list incomplete: the server repe…\n"
        )
    );
}

#[test]
fn a_page_that_fails_ends_the_list_after_the_pages_before_it() {
    if !has_show_instances() {
        return;
    }
    let seen = Arc::new(Mutex::new(0));
    let count = seen.clone();
    let server = RawServer::answering(move |request| {
        *count.lock().unwrap() += 1;
        match request.query() {
            "" => Reply::json(200, r#"{"instances": [{"id": 1}], "next_token": "a"}"#),
            _ => Reply::json(400, r#"{"success": false, "msg": "bad token"}"#),
        }
    })
    .unwrap();
    let run = show_instances(&server, &["--cols", "id"], &[]);
    assert_eq!((run.code, run.stdout.as_str()), (5, "1\n"));
    assert!(
        run.stderr.starts_with("error: ") && run.stderr.contains("bad token"),
        "{}",
        run.stderr
    );
    assert_eq!(*seen.lock().unwrap(), 2);
}

#[test]
fn a_page_the_spec_describes_otherwise_is_shown_and_the_list_goes_on() {
    if !has_show_instances() {
        return;
    }
    let server = RawServer::answering(|request| match request.query() {
        "" => Reply::json(200, r#"{"instances": [{"id": 1}], "next_token": "a"}"#),
        "after_token=a" => Reply::json(200, r#"{"instances": [{"id": "two"}], "next_token": "b"}"#),
        _ => Reply::json(200, r#"{"instances": [{"id": 3}], "next_token": null}"#),
    })
    .unwrap();
    let run = show_instances(&server, &["--cols", "id"], &[]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "1\ntwo\n3\n"));
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("warning: ") && run.stderr.ends_with("; printed as received\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_list_past_1000_pages_prints_them_and_exits_10() {
    if !has_show_instances() {
        return;
    }
    let endless = |token: Option<&str>| {
        let n: i64 = token.map_or(0, |t| t.parse().unwrap());
        (vec![n], Some((n + 1).to_string()))
    };
    let (server, seen) = pager(endless);
    let run = show_instances(&server, &["--cols", "id"], &[]);
    let expected: String = (0..1000).map(|n| format!("{n}\n")).collect();
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            10,
            expected.as_str(),
            "error: list incomplete: stopped at 1000 pages, the most followed; more remain\n"
        )
    );
    assert_eq!(requests(&seen).len(), 1000);
}
