//! The library against httpmock: typed results, typed errors, and the request on the wire.
//!
//! Typed values are compared through their JSON form, so these tests compile against whatever
//! types another version of the spec gives the operation (`try-spec` builds them that way).

use httpmock::{Method::GET, MockServer};
use serde_json::{Value, json};
use vast_api::{Client, ClientConfig, ErrorKind, HeldRequest, RequestCapture, RetryPolicy};
use vast_api_httpmock::MockServerExt;
use vast_tests::{TEST_KEY, show_api_keys_example};

use crate::support::show_api_keys_path;

fn client(server: &MockServer) -> Client {
    ClientConfig::new()
        .api_key(TEST_KEY)
        .base_url(server.base_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A mock that answers only the request the spec describes: GET on the exact path, the bearer
/// key, JSON accepted, and no `api-version` header.
fn exact_request<'a>(server: &'a MockServer, status: u16, body: &str) -> httpmock::Mock<'a> {
    server.mock(|when, then| {
        when.method(GET)
            .path(show_api_keys_path())
            .header("authorization", format!("Bearer {TEST_KEY}"))
            .header("accept", "application/json")
            .header_missing("api-version");
        then.status(status)
            .header("content-type", "application/json")
            .body(body);
    })
}

#[tokio::test]
async fn the_spec_example_comes_back_typed() {
    let server = MockServer::start_async().await;
    let mock = exact_request(&server, 200, vast_tests::SHOW_API_KEYS_EXAMPLE);
    let response = client(&server).show_api_keys().send().await.unwrap();
    mock.assert_calls(1);
    assert_eq!(response.status(), 200);
    let keys = serde_json::to_value(response.into_inner()).unwrap();
    assert_eq!(
        keys,
        json!({"apikeys": [{"id": 123, "user_id": 456, "rights": "read", "team_id": 789, "team_name": "Team Alpha"}]})
    );
}

#[tokio::test]
async fn edit_requests_changes_each_request_once_before_it_is_sent() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path(show_api_keys_path())
            .query_param("page", "2");
        then.status(503);
    });
    let edits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = edits.clone();
    let client = ClientConfig::new()
        .api_key(TEST_KEY)
        .base_url(server.base_url())
        .retry(RetryPolicy::default().with_attempts(2))
        .edit_requests(move |request| {
            counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            request.url_mut().query_pairs_mut().append_pair("page", "2");
        })
        .build()
        .unwrap();
    let error = client.show_api_keys().send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    // Both attempts carried the edit; the edit ran once, so the retry did not add it twice.
    mock.assert_calls(2);
    assert_eq!(edits.load(std::sync::atomic::Ordering::Relaxed), 1);
}

#[tokio::test]
async fn the_generated_mock_helper_serves_typed_values() {
    let server = MockServer::start_async().await;
    let mock = server.show_api_keys(|_, then| {
        then.ok(&serde_json::from_value(show_api_keys_example()).unwrap());
    });
    let keys = client(&server)
        .show_api_keys()
        .send()
        .await
        .unwrap()
        .into_inner();
    mock.assert_calls(1);
    assert_eq!(
        serde_json::to_value(keys).unwrap()["apikeys"][0]["team_name"],
        "Team Alpha"
    );
}

/// The typed body the client makes of a 200 carrying `body`, as JSON.
async fn decoded(body: &str) -> Value {
    let server = MockServer::start_async().await;
    exact_request(&server, 200, body);
    let typed = client(&server)
        .show_api_keys()
        .send()
        .await
        .unwrap()
        .into_inner();
    serde_json::to_value(typed).unwrap()
}

#[tokio::test]
async fn an_empty_list_is_empty() {
    assert_eq!(decoded(r#"{"apikeys": []}"#).await, json!({"apikeys": []}));
}

#[tokio::test]
async fn unknown_fields_and_nulls_are_accepted() {
    let body = json!({
        "apikeys": [{"id": 1, "user_id": null, "rights": null, "team_id": null, "team_name": null,
                     "created_at": "2026-01-01", "scopes": {"x": [1]}}],
        "total": 1
    });
    let key = &decoded(&body.to_string()).await["apikeys"][0];
    assert_eq!(
        (&key["id"], &key["user_id"], &key["rights"]),
        (&json!(1), &Value::Null, &Value::Null)
    );

    assert_eq!(
        decoded(r#"{"apikeys": null}"#).await["apikeys"],
        Value::Null
    );
}

/// The status and typed error body (as JSON) the client makes of an error response.
async fn error_body(status: u16, body: Value) -> (u16, Value) {
    let server = MockServer::start_async().await;
    exact_request(&server, status, &body.to_string());
    let e = client(&server).show_api_keys().send().await.unwrap_err();
    match e.kind() {
        ErrorKind::Api { status } => (
            status.as_u16(),
            serde_json::to_value(e.into_body().expect("a typed body")).unwrap(),
        ),
        other => panic!("expected a typed error response, got {other:?}"),
    }
}

#[tokio::test]
async fn each_documented_error_shape_is_typed() {
    let (status, e) =
        error_body(400, json!({"msg": "API Key not provided as bearer token."})).await;
    assert_eq!(
        (status, e["msg"].as_str()),
        (400, Some("API Key not provided as bearer token."))
    );

    let (status, e) = error_body(
        401,
        json!({"success": false, "error": "invalid_user_key", "msg": "Invalid user key"}),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        (
            e["success"].as_bool(),
            e["error"].as_str(),
            e["msg"].as_str()
        ),
        (
            Some(false),
            Some("invalid_user_key"),
            Some("Invalid user key")
        )
    );

    let (status, e) = error_body(
        429,
        json!({"detail": "API requests too frequent endpoint threshold=1.0"}),
    )
    .await;
    assert_eq!(
        (status, e["detail"].as_str()),
        (
            429,
            Some("API requests too frequent endpoint threshold=1.0")
        )
    );
}

#[tokio::test]
async fn a_status_the_spec_does_not_list_is_unexpected() {
    let server = MockServer::start_async().await;
    exact_request(&server, 500, r#"{"msg": "boom"}"#);
    let e = client(&server).show_api_keys().send().await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "the server answered 500 Internal Server Error: boom"
    );
    assert_eq!(
        (e.status().map(|s| s.as_u16()), e.server_message()),
        (Some(500), Some("boom"))
    );
    match e.kind() {
        ErrorKind::Status { body, .. } => assert_eq!(&body[..], br#"{"msg": "boom"}"#),
        other => panic!("expected an undocumented status, got {other:?}"),
    }
}

#[tokio::test]
async fn a_non_json_200_is_an_invalid_payload() {
    let server = MockServer::start_async().await;
    exact_request(&server, 200, "<html>maintenance</html>");
    let e = client(&server).show_api_keys().send().await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "the server's response (200 OK) is not what the API spec describes: expected value at line 1 column 1; body: <html>maintenance</html>"
    );
    match e.kind() {
        ErrorKind::InvalidBody { body, source, .. } => {
            assert_eq!(&body[..], b"<html>maintenance</html>");
            assert!(source.is_syntax(), "{source}");
        }
        other => panic!("expected an invalid body, got {other:?}"),
    }
    assert_eq!(e.received_json(), None, "not JSON");
}

#[tokio::test]
async fn wrong_types_are_an_invalid_payload() {
    let server = MockServer::start_async().await;
    exact_request(&server, 200, r#"{"apikeys": [{"id": "one"}]}"#);
    let e = client(&server).show_api_keys().send().await.unwrap_err();
    // The answer is still readable, as JSON.
    assert_eq!(
        e.received_json(),
        Some(serde_json::json!({"apikeys": [{"id": "one"}]}))
    );
    match e.into_kind() {
        ErrorKind::InvalidBody { source, .. } => assert!(source.is_data(), "{source}"),
        other => panic!("expected an invalid body, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_communication_error() {
    let url = crate::support::unused_url();
    let client = ClientConfig::new()
        .api_key(TEST_KEY)
        .base_url(&url)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let e = client.show_api_keys().send().await.unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&format!("cannot connect to {url}: ")),
        "{e}"
    );
    match e.kind() {
        ErrorKind::Connect(source) => assert!(source.is_connect(), "{source}"),
        other => panic!("expected a failed connection, got {other:?}"),
    }
    // What the chain says, as anyhow's `{:#}` prints it: the cause once, in the sentence.
    let chain: Vec<String> =
        std::iter::successors(Some(&e as &dyn std::error::Error), |e| e.source())
            .map(ToString::to_string)
            .collect();
    assert_eq!(chain, [e.to_string()]);
    assert_eq!(
        chain[0].matches("Connection refused").count(),
        1,
        "{chain:?}"
    );
}

#[tokio::test]
async fn from_env_reads_the_key_and_url_like_the_vendor_cli() {
    // The only test that reads this process's environment; it sets what it reads.
    let server = MockServer::start_async().await;
    let mock = exact_request(&server, 200, r#"{"apikeys": []}"#);
    let home = tempfile::tempdir().unwrap();
    // SAFETY: no other test in this binary reads or writes these variables.
    unsafe {
        std::env::set_var("HOME", home.path());
        std::env::remove_var("XDG_CONFIG_HOME");
        std::env::set_var("VAST_API_KEY", TEST_KEY);
        std::env::set_var("VAST_URL", server.base_url());
    }
    let client = Client::from_env().unwrap();
    client.show_api_keys().send().await.unwrap();
    mock.assert_calls(1);
}

/// A client that holds its requests records each one (never its headers) and sends nothing.
#[tokio::test]
async fn held_requests_are_recorded_and_not_sent() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET);
        then.status(200).body("{}");
    });
    let held = RequestCapture::new();
    let client = ClientConfig::new()
        .api_key(TEST_KEY)
        .base_url(server.base_url())
        .hold_requests(held.clone())
        .build()
        .unwrap();
    let e = client.show_api_keys().send().await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::NotSent), "{e:?}");
    assert_eq!(e.to_string(), "the request was held, not sent");
    assert_eq!(
        held.last(),
        Some(HeldRequest {
            method: "GET".into(),
            url: format!("{}{}", server.base_url(), show_api_keys_path()),
            body: None,
        })
    );
    mock.assert_calls(0);
}

/// `send_json`'s description of `GET /things/{id}/`: a 200 or any 2XX of the schema's shape, a
/// documented 404.
fn thing_call(
    id: &str,
    answers: &'static [vast_api::Documented<'static>],
) -> vast_api::JsonCall<'static> {
    vast_api::JsonCall {
        operation_id: "show_thing",
        method: "GET",
        path: "/things/{id}/",
        path_params: vec![("id", id.to_string())],
        query: vec![("verbose", "true".into())],
        body: None,
        server: None,
        responses: vast_api::Responses {
            documented: answers,
        },
    }
}

fn thing_answers() -> &'static [vast_api::Documented<'static>] {
    let schema: &'static Value = Box::leak(Box::new(
        json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}),
    ));
    Box::leak(Box::new([
        vast_api::Documented {
            status: 2,
            json: true,
            schema: Some(schema),
        },
        vast_api::Documented {
            status: 404,
            json: true,
            schema: None,
        },
    ]))
}

/// An operation described as data goes out as described and comes back checked against its
/// schema: a success in a documented range (`2XX`), a documented error, a body off the schema
/// (its sentence never quoting a part of the key), and what cannot make a request at all.
#[tokio::test]
async fn an_operation_described_as_data_is_sent_and_checked() {
    let server = MockServer::start_async().await;
    let answer = |id: &'static str, status: u16, body: String| {
        server.mock(move |when, then| {
            when.method(GET)
                .path(format!("/things/{id}/"))
                .query_param("verbose", "true")
                .header("authorization", format!("Bearer {TEST_KEY}"));
            then.status(status)
                .header("content-type", "application/json")
                .body(body);
        })
    };
    answer("7", 201, r#"{"id": 7}"#.into());
    answer("8", 404, r#"{"msg": "no such thing"}"#.into());
    answer("9", 200, format!(r#"{{"id": "{TEST_KEY}"}}"#));
    let client = client(&server);
    let ok = client
        .send_json(thing_call("7", thing_answers()))
        .await
        .unwrap();
    assert_eq!(
        (ok.status().as_u16(), ok.into_inner()),
        (201, json!({"id": 7}))
    );
    let missing = client
        .send_json(thing_call("8", thing_answers()))
        .await
        .unwrap_err();
    assert_eq!(
        (
            missing.status().map(|s| s.as_u16()),
            missing.server_message()
        ),
        (Some(404), Some("no such thing"))
    );
    assert!(
        matches!(missing.kind(), ErrorKind::Api { .. }),
        "{missing:?}"
    );
    let drift = client
        .send_json(thing_call("9", thing_answers()))
        .await
        .unwrap_err();
    let said = drift.to_string();
    assert!(
        said.contains("`id` is the string \"<redacted>\", where the spec has an integer"),
        "{said}"
    );
    assert!(!said.contains(&TEST_KEY[..12]), "{said}");
    assert_eq!(drift.received_json(), Some(json!({"id": TEST_KEY})));
    for (id, why) in [
        (
            "..",
            "invalid request: `..` is not a value for the path parameter `id`",
        ),
        (
            ".",
            "invalid request: `.` is not a value for the path parameter `id`",
        ),
    ] {
        let refused = client
            .send_json(thing_call(id, thing_answers()))
            .await
            .unwrap_err();
        assert_eq!(refused.to_string(), why);
    }
    let mut unfilled = thing_call("7", thing_answers());
    unfilled.path_params.clear();
    let refused = client.send_json(unfilled).await.unwrap_err();
    assert_eq!(
        refused.to_string(),
        "invalid request: no value for the path parameter `id`"
    );
}
