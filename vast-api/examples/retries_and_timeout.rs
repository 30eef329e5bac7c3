//! A client with its own retry policy and timeouts, which then lists the account's API keys
//! and says how many attempts the call took.
//!
//! ```sh
//! VAST_API_KEY=… cargo run -p vast-api --example retries_and_timeout -- https://console.vast.ai
//! ```
//!
//! The server is the first argument, else `VAST_URL`, else `https://console.vast.ai`; the key
//! comes from `VAST_API_KEY` or the vastai key file.

use std::process::ExitCode;
use std::time::Duration;

use vast_api::{ClientConfig, ResponseCapture, RetryPolicy};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = ClientConfig::from_env();
    if let Some(url) = std::env::args().nth(1) {
        config = config.base_url(url);
    }
    // Up to 4 attempts after a transient failure (a GET, this one, is sent again after any),
    // waiting 0.1 s, then 0.2 s, 0.4 s (each with jitter), or what the server's Retry-After asks
    // up to 10 s; no retry starts once 20 s have passed.
    let retry = RetryPolicy::default()
        .with_attempts(4)
        .with_backoff(Duration::from_millis(100), Duration::from_secs(1))
        .with_max_retry_after(Duration::from_secs(10))
        .with_deadline(Duration::from_secs(20));
    // Records each call's attempts, final status and body, for the report below.
    let capture = ResponseCapture::new();
    let client = config
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
        .retry(retry)
        .capture_responses(capture.clone())
        .build()?;
    let keys = client.show_api_keys().send().await?.into_inner();
    let attempts = capture.last().map_or(0, |call| call.attempts);
    println!(
        "{} API key(s) from {} in {attempts} attempt(s)",
        keys.apikeys.iter().flatten().count(),
        client.base_url()
    );
    Ok(())
}
