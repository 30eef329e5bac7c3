//! How to test your own code that calls the Vast.ai API: point a client at an httpmock server and
//! have it answer through `MockServerExt`, one method per operation, whose method and path it
//! already matches. Nothing leaves the machine.
//!
//! The bodies here are written as JSON and read back through it, because `cargo xtask try-spec`
//! builds this test against other versions of the spec, whose types for the operation differ. In
//! your own tests, with one spec, pass the typed values (`then.ok(&ShowApiKeysResponse { … })`):
//! then a response the spec would not allow does not compile.

use httpmock::MockServer;
use serde_json::{Value, json};
use vast_api::{Client, ClientConfig, RetryPolicy};
use vast_api_httpmock::MockServerExt;

/// The code under test: the ids of the account's keys that can only read.
async fn read_only_key_ids(client: &Client) -> Result<Vec<i64>, String> {
    let keys = client
        .show_api_keys()
        .send()
        .await
        .map_err(|e| e.to_string())?
        .into_inner();
    let keys = serde_json::to_value(keys).map_err(|e| e.to_string())?;
    Ok(keys["apikeys"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|key| key["rights"] == "read")
        .filter_map(|key| key["id"].as_i64())
        .collect())
}

/// A client for the mock server: a made-up key, and no retries so a failure shows at once.
fn client_for(server: &MockServer) -> Client {
    ClientConfig::new()
        .api_key("test-key-0123")
        .base_url(server.base_url())
        .retry(RetryPolicy::none())
        .build()
        .expect("a valid configuration")
}

fn key(id: i64, rights: &str) -> Value {
    json!({"id": id, "rights": rights})
}

#[tokio::test]
async fn read_only_keys_are_picked_out() {
    let server = MockServer::start_async().await;
    let mock = server.show_api_keys(|when, then| {
        // The operation's method and path are matched already; add what else must be sent.
        when.into_inner()
            .header("authorization", "Bearer test-key-0123");
        then.into_inner()
            .status(200)
            .json_body(json!({"apikeys": [key(1, "read"), key(2, "admin"), key(3, "read")]}));
    });
    let ids = read_only_key_ids(&client_for(&server)).await.unwrap();
    assert_eq!(ids, [1, 3]);
    mock.assert_calls(1);
}

#[tokio::test]
async fn a_refused_key_comes_back_as_the_error_the_spec_documents() {
    let server = MockServer::start_async().await;
    server.show_api_keys(|_, then| {
        then.into_inner()
            .status(401)
            .json_body(json!({"msg": "invalid API key"}));
    });
    let err = read_only_key_ids(&client_for(&server)).await.unwrap_err();
    assert_eq!(
        err,
        "the server rejected the API key (401 Unauthorized): invalid API key"
    );
}
