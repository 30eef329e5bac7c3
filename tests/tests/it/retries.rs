//! Retries by what the server may have done with the request, each test counting the requests a
//! local server read: a failure before anything was sent, or a 429, is retried for every method;
//! one after the request went out (no answer, a broken connection, 502, 503, 504) only for a
//! GET, and the error of a PUT that was not sent again says it may have been carried out.
//!
//! `show api keys` is the one operation every spec has, so the library's PUTs are that call with
//! its method changed by `edit_requests`, which runs before the hooks decide on retries: they see
//! a PUT as they would `create instance` (`PUT /api/v0/asks/{id}/`).

use std::time::Duration;

use reqwest::Method;
use vast_api::{ClientConfig, ErrorKind, RetryPolicy};
use vast_tests::TEST_KEY;
use vast_tests::raw_server::{RawServer, Reply};

use crate::support::{assert_starts_with, home, show_api_keys_at, unused_url, vast};

const KEYS: &str = r#"{"apikeys": [{"id": 1, "user_id": 2, "rights": "read"}]}"#;

/// A client of `url` sending `show api keys` as `method`, with a 0.5 s timeout and `policy`
/// waiting 1 ms between attempts.
fn client(url: &str, method: Method, policy: RetryPolicy) -> vast_api::Client {
    ClientConfig::new()
        .api_key(TEST_KEY)
        .base_url(url)
        .timeout(Duration::from_millis(500))
        .retry(policy.with_backoff(Duration::from_millis(1), Duration::from_millis(1)))
        .edit_requests(move |request| *request.method_mut() = method.clone())
        .build()
        .unwrap()
}

/// `show api keys` sent as `method` by [`client`]: the status of a success, or the error (whose
/// body type, the spec's, is left unnamed).
async fn send(
    url: &str,
    method: Method,
    policy: RetryPolicy,
) -> Result<u16, vast_api::Error<impl std::fmt::Debug>> {
    let response = client(url, method, policy).show_api_keys().send().await?;
    Ok(response.status().as_u16())
}

/// The method of each request the server read, in order.
fn methods(server: &RawServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|head| {
            head.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// Each failure after the request went out, and the start and end of the error it makes.
fn ambiguous_failures(url: &str) -> Vec<(Reply, String, &'static str)> {
    let carried_out = "; the request may have been carried out";
    let status = |code: u16, reason: &str| {
        (
            Reply::json(code, r#"{"detail": "try later"}"#),
            format!("the server answered {code} {reason}: try later{carried_out}"),
            "",
        )
    };
    vec![
        (
            Reply::Hang,
            format!("no answer from {url}: timed out after 0.5 s{carried_out}"),
            "",
        ),
        // hyper's words for the closed connection follow the start.
        (
            Reply::Close,
            format!("the connection to {url} failed: "),
            carried_out,
        ),
        status(502, "Bad Gateway"),
        status(503, "Service Unavailable"),
        status(504, "Gateway Timeout"),
    ]
}

#[tokio::test]
async fn a_put_that_may_have_been_carried_out_is_sent_once_and_says_so() {
    for (reply, start, end) in ambiguous_failures("URL") {
        let server = RawServer::start(vec![reply, Reply::json(200, KEYS)]);
        let start = start.replace("URL", &server.url);
        let e = send(&server.url, Method::PUT, RetryPolicy::default())
            .await
            .unwrap_err();
        assert_eq!(methods(&server), ["PUT"], "{start}");
        let shown = e.to_string();
        assert!(
            shown.starts_with(&start) && shown.ends_with(end),
            "{shown}\nexpected: {start}…{end}"
        );
        assert!(e.may_have_been_carried_out(), "{shown}");
        assert_eq!((e.attempts(), e.gave_up()), (1, None), "{shown}");
    }
}

#[tokio::test]
async fn a_get_is_sent_again_after_any_transient_failure() {
    for (reply, start, _) in ambiguous_failures("URL") {
        let server = RawServer::start(vec![reply.clone(), reply, Reply::json(200, KEYS)]);
        let status = send(&server.url, Method::GET, RetryPolicy::default()).await;
        assert_eq!(status.map_err(|e| e.to_string()), Ok(200), "{start}");
        assert_eq!(methods(&server), ["GET", "GET", "GET"], "{start}");
    }
    // When the attempts run out, a GET's error says nothing of carrying out.
    let server = RawServer::start(vec![Reply::Hang]);
    let e = send(&server.url, Method::GET, RetryPolicy::default())
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "no answer from {}: timed out after 0.5 s (after 3 attempts)",
            server.url
        )
    );
    assert!(!e.may_have_been_carried_out());
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_put_that_never_reached_the_server_or_was_refused_with_429_is_sent_again() {
    let server = RawServer::start(vec![
        Reply::Json(
            429,
            r#"{"detail": "slow down"}"#.into(),
            vec!["retry-after: 0".into()],
        ),
        Reply::json(200, KEYS),
    ]);
    let status = send(&server.url, Method::PUT, RetryPolicy::default()).await;
    assert_eq!(status.map_err(|e| e.to_string()), Ok(200));
    assert_eq!(methods(&server), ["PUT", "PUT"]);

    // Nothing listens: no connection, so nothing was sent, three times.
    let url = unused_url();
    let e = send(&url, Method::PUT, RetryPolicy::default())
        .await
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Connect(_)), "{e:?}");
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("cannot connect to {url}: "))
            && shown.ends_with(" (after 3 attempts)"),
        "{shown}"
    );
    assert!(!e.may_have_been_carried_out());
    assert_eq!(e.attempts(), 3);
}

#[tokio::test]
async fn retrying_ambiguous_failures_of_any_method_sends_a_put_again() {
    let server = RawServer::start(vec![Reply::Close]);
    let e = send(
        &server.url,
        Method::PUT,
        RetryPolicy::default().with_retry_ambiguous(true),
    )
    .await
    .unwrap_err();
    assert_eq!(methods(&server), ["PUT", "PUT", "PUT"]);
    let shown = e.to_string();
    assert!(
        shown.ends_with(" (after 3 attempts); the request may have been carried out"),
        "{shown}"
    );
    assert!(e.may_have_been_carried_out());
}

#[test]
fn vast_retries_a_get_whose_connection_broke_or_whose_body_broke_off() {
    let broken_body = Reply::Raw(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{\"apikeys\":"
            .to_vec(),
    );
    let server = RawServer::start(vec![Reply::Close, broken_body, Reply::json(200, KEYS)]);
    let run = show_api_keys_at(&server.url, &[], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "1\t2\tread\t\t\n", "")
    );
    assert_eq!(methods(&server), ["GET", "GET", "GET"]);
}

#[test]
fn vast_retries_a_get_that_got_no_answer_and_says_nothing_of_carrying_out() {
    let server = RawServer::start(vec![Reply::Hang]);
    let run = show_api_keys_at(&server.url, &["--timeout", "1"], &[]);
    assert_eq!(run.code, 7);
    assert_eq!(
        run.stderr,
        format!(
            "error: no answer from {}: timed out after 1 s (after 3 attempts)\n\
             hint: raise --timeout, or check that the server is up\n",
            server.url
        )
    );
    assert_eq!(methods(&server), ["GET", "GET", "GET"]);
}

/// The failure as users met it: `vast create instance` to a server that read the request and
/// never answered sent the PUT three times, and could have rented three machines. Only a spec
/// with that command runs it (the vendor's whole spec; the checked-in seed has one GET), so
/// with another this test says SKIPPED.
#[test]
fn vast_create_instance_that_got_no_answer_is_sent_once_with_a_way_to_check() {
    let home = home();
    if vast(&["create", "instance", "--help"], &[], home.path()).code != 0 {
        eprintln!("SKIPPED: this build's spec has no `vast create instance`");
        return;
    }
    let server = RawServer::start(vec![Reply::Hang]);
    let args = [
        "--url",
        &server.url,
        "--api-key",
        TEST_KEY,
        "--timeout",
        "1",
        "create",
        "instance",
        "123",
        "--image",
        "pytorch/pytorch",
    ];
    let run = vast(&args, &[], home.path());
    assert_eq!(methods(&server), ["PUT"]);
    assert_starts_with(&server.requests()[0], "PUT /api/v0/asks/123");
    assert_eq!(run.code, 7);
    assert_eq!(
        run.stderr,
        format!(
            "error: no answer from {}: timed out after 1 s; the request may have been carried out\n\
             hint: check with `vast show instances` whether it took effect before running it again\n",
            server.url
        )
    );
}
