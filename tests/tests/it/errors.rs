//! The library's error: for each kind, the sentence a person reads (`Display`) and what a program
//! matches and reads (`kind()`, `status()`, `server_message()`, `attempts()`, `gave_up()`).

use std::time::Duration;

use vast_api::{ClientConfig, Error, ErrorKind, GaveUp, ResponseCapture, RetryPolicy};
use vast_tests::TEST_KEY;
use vast_tests::raw_server::{RawServer, Reply};

/// One call of `show api keys` to `url`, with `policy` and a 1 s timeout.
/// The error type is whatever the spec gives the operation (`try-spec` builds these tests with
/// other versions of it), so it is only serialised, never named.
async fn fail(url: String, policy: RetryPolicy) -> Error<impl serde::Serialize + std::fmt::Debug> {
    ClientConfig::new()
        .api_key(TEST_KEY)
        .base_url(url)
        .timeout(Duration::from_secs(1))
        .retry(policy.with_backoff(Duration::from_millis(1), Duration::from_millis(1)))
        .build()
        .unwrap()
        .show_api_keys()
        .send()
        .await
        .unwrap_err()
}

async fn fail_once(
    replies: Vec<Reply>,
) -> (Error<impl serde::Serialize + std::fmt::Debug>, String) {
    let server = RawServer::start(replies);
    (
        fail(server.url.clone(), RetryPolicy::none()).await,
        server.url.clone(),
    )
}

#[tokio::test]
async fn a_documented_error_reads_as_the_servers_message_with_its_typed_body() {
    let (e, _) = fail_once(vec![Reply::json(
        401,
        r#"{"success": false, "error": "invalid_api_key", "msg": "Invalid API key."}"#,
    )])
    .await;
    assert_eq!(
        e.to_string(),
        "the server rejected the API key (401 Unauthorized): Invalid API key."
    );
    assert_eq!(e.status().unwrap(), 401);
    assert_eq!(e.server_message(), Some("Invalid API key."));
    assert_eq!(
        serde_json::to_value(e.body().unwrap()).unwrap()["error"],
        "invalid_api_key"
    );
    assert!(matches!(e.kind(), ErrorKind::Api { .. }));
    assert_eq!((e.attempts(), e.gave_up()), (1, None));

    let (e, _) = fail_once(vec![Reply::json(400, r#"{"msg": "bad filter"}"#)]).await;
    assert_eq!(
        e.to_string(),
        "the server refused the request (400 Bad Request): bad filter"
    );
}

#[tokio::test]
async fn retries_that_run_out_say_how_many_attempts_were_made() {
    let server = RawServer::start(vec![Reply::json(
        429,
        r#"{"detail": "API requests too frequent"}"#,
    )]);
    let e = fail(server.url.clone(), RetryPolicy::default()).await;
    assert_eq!(
        e.to_string(),
        "rate limited by the server (429 Too Many Requests): API requests too frequent (after 3 attempts)"
    );
    assert_eq!(
        (e.attempts(), e.gave_up()),
        (3, Some(&GaveUp::AttemptsUsed))
    );
    assert_eq!(server.requests().len(), 3);

    let server = RawServer::start(vec![Reply::Json(
        503,
        r#"{"detail": "maintenance"}"#.into(),
        vec!["retry-after: 3600".into()],
    )]);
    let e = fail(server.url.clone(), RetryPolicy::default()).await;
    assert_eq!(
        e.to_string(),
        "the server answered 503 Service Unavailable: maintenance (gave up: the server asked to wait 3600 s before retrying, more than the 60 s limit)"
    );
    assert_eq!(
        e.gave_up(),
        Some(&GaveUp::WaitTooLong {
            asked: Some(Duration::from_secs(3600)),
            limit: Duration::from_secs(60)
        })
    );
}

#[tokio::test]
async fn a_page_that_is_not_the_documented_json_is_quoted_short_and_clean() {
    let page = format!(
        "<html>\n<h1>502 Bad Gateway</h1>\u{1b}[31m{}</html>",
        "x".repeat(500)
    );
    let reply = format!(
        "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\r\n{page}",
        page.len()
    );
    let (e, _) = fail_once(vec![Reply::Raw(reply.into_bytes())]).await;
    let shown = e.to_string();
    assert!(
        shown.starts_with(
            "the server answered 502 Bad Gateway: <html> <h1>502 Bad Gateway</h1> [31mxxx"
        ),
        "{shown}"
    );
    assert!(shown.ends_with("x…"), "{shown}");
    assert_eq!(e.excerpt().unwrap().chars().count(), 201);
    assert_eq!(e.server_message(), None);
    match e.kind() {
        ErrorKind::Status { status, body } => {
            assert_eq!((status.as_u16(), body.len()), (502, page.len()))
        }
        other => panic!("expected a status error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_echoes_the_key_does_not_get_it_into_the_message() {
    let (e, _) = fail_once(vec![Reply::json(
        401,
        &format!(r#"{{"msg": "bad key {TEST_KEY}"}}"#),
    )])
    .await;
    assert_eq!(
        e.to_string(),
        "the server rejected the API key (401 Unauthorized): bad key <redacted>"
    );
    assert!(!format!("{e:?}").contains(TEST_KEY));
}

#[tokio::test]
async fn body_limits_are_their_own_kinds() {
    let objects = format!("[{}{{}}]", "{},".repeat(200_000));
    let server = RawServer::start(vec![Reply::json(200, &objects)]);
    let e = ClientConfig::new()
        .api_key(TEST_KEY)
        .base_url(&server.url)
        .max_response_bytes(1 << 20)
        // The bound applies where the client reads the body itself: with a capture, or without
        // a declared length (see the README's "Memory").
        .capture_responses(ResponseCapture::new())
        .build()
        .unwrap()
        .show_api_keys()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the response (200 OK) holds more than 131072 JSON objects and arrays, the limit for its size, and was not decoded"
    );
    assert!(matches!(
        e.kind(),
        ErrorKind::BodyTooComplex { limit: 131072, .. }
    ));
}

#[tokio::test]
async fn failures_without_a_response_name_the_server_and_what_happened() {
    let (e, url) = fail_once(vec![Reply::Hang]).await;
    assert_eq!(
        e.to_string(),
        format!("no answer from {url}: timed out after 1 s")
    );
    assert!(matches!(e.kind(), ErrorKind::Timeout(_)));

    let url = crate::support::unused_url();
    let e = fail(url.clone(), RetryPolicy::default().with_attempts(2)).await;
    assert!(
        e.to_string()
            .starts_with(&format!("cannot connect to {url}: ")),
        "{e}"
    );
    assert!(e.to_string().ends_with(" (after 2 attempts)"), "{e}");
    assert!(matches!(e.kind(), ErrorKind::Connect(_)));
    // The sentence quotes the cause, so the chain does not repeat it.
    assert!(std::error::Error::source(&e).is_none());

    let (e, url) = fail_once(vec![Reply::Raw(
        b"HTTP/1.1 200 OK\r\ncontent-length: 99\r\nconnection: close\r\n\r\n{\"api".to_vec(),
    )])
    .await;
    assert!(
        e.to_string()
            .starts_with(&format!("the response from {url} (200 OK) broke off: ")),
        "{e}"
    );
    assert!(matches!(e.kind(), ErrorKind::BodyBrokeOff { status, .. } if status.as_u16() == 200));

    let (e, url) = fail_once(vec![Reply::Raw(b"HTTP/1.1 2000 Nope\r\n\r\n".to_vec())]).await;
    assert!(
        e.to_string()
            .starts_with(&format!("the response from {url} is not valid HTTP: ")),
        "{e}"
    );
    assert!(matches!(e.kind(), ErrorKind::InvalidHttp(_)));

    let (e, url) = fail_once(vec![Reply::Raw(
        b"HTTP/1.1 302 Found\r\nlocation: ftp://example.com/\r\ncontent-length: 0\r\n\r\n".to_vec(),
    )])
    .await;
    assert_eq!(
        e.to_string(),
        format!(
            "the server at {url} answered with a redirect that was not followed: a redirect to a URL that is neither http:// nor https://: ftp://example.com/"
        )
    );
    assert!(matches!(e.kind(), ErrorKind::Redirect(_)));

    let (e, url) = fail_once(vec![Reply::Raw(
        b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n".to_vec(),
    )])
    .await;
    assert_eq!(
        e.to_string(),
        format!(
            "a proxy between here and the server requires authentication (407 Proxy Authentication Required); nothing reached {url}"
        )
    );
    assert!(matches!(e.kind(), ErrorKind::ProxyAuthentication));
}
