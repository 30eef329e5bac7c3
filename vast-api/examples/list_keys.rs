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
    for key in keys.apikeys.iter().flatten() {
        let shown = |value: Option<String>| value.unwrap_or_else(|| "-".into());
        let mut line = format!(
            "{} {}",
            shown(key.id.map(|id| id.to_string())),
            shown(key.rights.clone())
        );
        if let Some(team) = &key.team_name {
            line.push_str(&format!(" (team {team})"));
        }
        println!("{line}");
    }
    Ok(())
}
