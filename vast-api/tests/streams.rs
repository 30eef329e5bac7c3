//! `stream()` of a paged list (`show instances`: `next_token` into `after_token`) against a
//! local server: every item of every page, each page asked for once, and a repeated token
//! ending the stream with an error. Built only where the spec's `show instances` is paged.
#![cfg(vast_stream = "show_instances")]

use futures_util::{StreamExt, TryStreamExt};
use httpmock::{Method::GET, MockServer};
use vast_api::pages::PagesStopped;
use vast_api::{ClientConfig, ErrorKind};

/// Serves page `id` (one instance of that id) when asked with `asked`, naming `next`.
fn page<'a>(
    server: &'a MockServer,
    asked: Option<&str>,
    id: i64,
    next: Option<&str>,
) -> httpmock::Mock<'a> {
    server.mock(|when, then| {
        let when = when.method(GET).path("/api/v1/instances");
        match asked {
            Some(token) => when.query_param("after_token", token),
            None => when.query_param_missing("after_token"),
        };
        then.status(200)
            .header("content-type", "application/json")
            .json_body(serde_json::json!({"instances": [{"id": id}], "next_token": next}));
    })
}

fn client(server: &MockServer) -> vast_api::Client {
    ClientConfig::new()
        .api_key("0123456789abcdef")
        .base_url(server.base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn show_instances_streams_every_item_of_three_pages() {
    let server = MockServer::start();
    let pages = [
        page(&server, None, 1, Some("a")),
        page(&server, Some("a"), 2, Some("b")),
        page(&server, Some("b"), 3, None),
    ];
    let client = client(&server);
    let ids: Vec<Option<i64>> = client
        .show_instances()
        .stream()
        // Through JSON: another version of the spec gives the items another type.
        .map_ok(|instance| serde_json::to_value(instance).unwrap()["id"].as_i64())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [Some(1), Some(2), Some(3)]);
    for page in pages {
        page.assert_calls(1);
    }
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream_with_an_error() {
    let server = MockServer::start();
    let first = page(&server, None, 1, Some("a"));
    let second = page(&server, Some("a"), 2, Some("a"));
    let client = client(&server);
    let items: Vec<_> = client.show_instances().stream().collect().await;
    assert_eq!(items.len(), 3, "two items, then the error");
    let error = items[2].as_ref().unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::PagesStopped(PagesStopped::Repeated { pages: 2, .. })
    ));
    assert_eq!(
        error.to_string(),
        "stopped after 2 pages: the server gave the page token \"a\" a second time"
    );
    first.assert_calls(1);
    second.assert_calls(1);
}
