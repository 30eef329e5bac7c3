//! A program that needs one area of the API compiles only that area. This one calls
//! `show_api_keys`, of area `accounts`, and is built with no other:
//!
//! ```sh
//! VAST_API_KEY=… cargo run -p vast-api --no-default-features --features accounts --example one_area
//! ```
//!
//! (in a program's own Cargo.toml: `vast-api = { version = "0.1", default-features = false,
//! features = ["accounts"] }`). It prints how many API keys the account has. The tests build and
//! run it so, in a cargo run of its own: a workspace build turns every area on.

use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match count_keys().await {
        Ok(count) => {
            println!("{count} API keys");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn count_keys() -> Result<usize, Box<dyn std::error::Error>> {
    let client = vast_api::Client::from_env()?;
    let keys = client.show_api_keys().send().await?.into_inner();
    // Through JSON, so that it builds with any version of the spec (as list_keys does).
    let keys = serde_json::to_value(keys)?;
    Ok(keys["apikeys"].as_array().map_or(0, Vec::len))
}
