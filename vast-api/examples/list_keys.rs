//! Lists the account's API keys, one per line: id, rights, and team if any.
//!
//! ```sh
//! VAST_API_KEY=… cargo run -p vast-api --example list_keys
//! ```
//!
//! The key comes from `VAST_API_KEY` or the vastai key file, the server from `VAST_URL`
//! (default `https://console.vast.ai`), as for the vendor's CLI. On an error it prints the error
//! and exits with status 1.

use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match list_keys().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn list_keys() -> Result<(), Box<dyn std::error::Error>> {
    let client = vast_api::Client::from_env()?;
    let keys = client.show_api_keys().send().await?.into_inner();
    // Read through JSON, so this example builds with any version of the spec (`cargo xtask
    // try-spec` builds it with others, where a key's fields are typed differently or not at all).
    let keys = serde_json::to_value(keys)?;
    for key in keys["apikeys"].as_array().into_iter().flatten() {
        let shown = |value: &serde_json::Value| match value {
            serde_json::Value::Null => "-".to_string(),
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let mut line = format!("{} {}", shown(&key["id"]), shown(&key["rights"]));
        if let Some(team) = key["team_name"].as_str() {
            line.push_str(&format!(" (team {team})"));
        }
        println!("{line}");
    }
    Ok(())
}
