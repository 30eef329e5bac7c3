//! What the tests share: the spec's example response of `show api keys`, a test key, and a raw
//! HTTP server for what httpmock cannot express.

/// The HTTP server xtask's mock runs on, under the name the tests know it by.
pub mod raw_server {
    pub use vast_test_servers::http::{Reply, Server as RawServer};
}

use serde_json::Value;

/// The key every test uses; the CLI tests check it never appears in anything `vast` prints.
pub const TEST_KEY: &str = "test-key-5ac1d0e7f3";

/// The example response of `show api keys`, assembled from the property examples in
/// openapi.yaml. xtask's tests check this file against the spec, so it cannot drift from it.
pub const SHOW_API_KEYS_EXAMPLE: &str = include_str!("../data/show-api-keys.example.json");

pub fn show_api_keys_example() -> Value {
    serde_json::from_str(SHOW_API_KEYS_EXAMPLE).expect("the example file is JSON")
}
