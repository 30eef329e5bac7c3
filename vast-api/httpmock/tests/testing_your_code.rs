//! How to test your own code that calls the Vast.ai API: point a client at an httpmock server and
//! have it answer with typed values through `MockServerExt`, one method per operation. Nothing
//! leaves the machine, and a response the spec would not allow does not compile.

use httpmock::MockServer;
use vast_api::types::{ShowApiKeysError, ShowApiKeysResponse, ShowApiKeysResponseApikeysItem};
use vast_api::{Client, ClientConfig, RetryPolicy};
use vast_api_httpmock::MockServerExt;

/// The code under test: the ids of the account's keys that can only read.
async fn read_only_key_ids(client: &Client) -> Result<Vec<i64>, vast_api::Error<ShowApiKeysError>> {
    let keys = client.show_api_keys().send().await?.into_inner();
    Ok(keys
        .apikeys
        .into_iter()
        .flatten()
        .filter(|key| key.rights.as_deref() == Some("read"))
        .filter_map(|key| key.id)
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

fn key(id: i64, rights: &str) -> ShowApiKeysResponseApikeysItem {
    ShowApiKeysResponseApikeysItem {
        id: Some(id),
        rights: Some(rights.into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn read_only_keys_are_picked_out() {
    let server = MockServer::start_async().await;
    let response = ShowApiKeysResponse {
        apikeys: Some(vec![key(1, "read"), key(2, "admin"), key(3, "read")]),
    };
    let mock = server.show_api_keys(|when, then| {
        // The operation's method and path are matched already; add what else must be sent.
        when.into_inner()
            .header("authorization", "Bearer test-key-0123");
        then.ok(&response);
    });
    let ids = read_only_key_ids(&client_for(&server)).await.unwrap();
    assert_eq!(ids, [1, 3]);
    mock.assert_calls(1);
}

#[tokio::test]
async fn a_refused_key_comes_back_as_the_error_the_spec_documents() {
    let server = MockServer::start_async().await;
    server.show_api_keys(|_, then| {
        then.unauthorized(&ShowApiKeysError {
            msg: Some("invalid API key".into()),
            ..Default::default()
        });
    });
    let err = read_only_key_ids(&client_for(&server)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}
