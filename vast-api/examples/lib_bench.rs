//! The cost of the generated layer: the same GET made through `vast_api::Client` and through a
//! bare `reqwest::Client` with the same settings doing the same work by hand (bearer header, read
//! the body, decode it into the same type), sequentially and 16 at a time, over one connection
//! pool each.
//!
//! `cargo xtask bench` runs it against its local server:
//! `cargo run --release -p vast-api --example lib_bench -- URL CALLS`

use std::time::{Duration, Instant};

use vast_api::types::ShowApiKeysResponse;
use vast_api::{ClientConfig, RetryPolicy};

const KEY: &str = "bench-key-00";
const ROUNDS: usize = 15;
const IN_FLIGHT: usize = 16;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (base, calls) = match args.as_slice() {
        [_, base, calls] => (
            base.clone(),
            calls.parse::<usize>().expect("CALLS is a number"),
        ),
        _ => panic!("usage: lib_bench URL CALLS"),
    };
    let url = format!("{base}/api/v0/auth/apikeys/");
    let vast = ClientConfig::new()
        .api_key(KEY)
        .base_url(&base)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    // The same settings `ClientConfig` gives, so only the generated layer differs.
    let bare = reqwest::Client::builder()
        .user_agent(concat!("vast-api-rust/", env!("CARGO_PKG_VERSION")))
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    let vast_call = || {
        let vast = vast.clone();
        async move { vast.show_api_keys().send().await.unwrap().into_inner() }
    };
    let bare_call = || {
        let (bare, url) = (bare.clone(), url.clone());
        async move {
            let body = bare
                .get(&url)
                .bearer_auth(KEY)
                .header("accept", "application/json")
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            serde_json::from_slice::<ShowApiKeysResponse>(&body).unwrap()
        }
    };

    for (mode, parallel) in [("sequential", 1), ("concurrent", IN_FLIGHT)] {
        let (mut with_vast, mut with_bare) = (Vec::new(), Vec::new());
        // Alternating rounds, so drift on the machine falls on both alike.
        for _ in 0..ROUNDS {
            with_vast.push(timed(calls, parallel, vast_call).await);
            with_bare.push(timed(calls, parallel, bare_call).await);
        }
        // Each round's ratio compares two batches run back to back; their median is the figure
        // least moved by whatever else the machine does meanwhile.
        let mut ratios: Vec<f64> = with_vast
            .iter()
            .zip(&with_bare)
            .map(|(v, b)| v.as_secs_f64() / b.as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        let (v, b) = (median(with_vast), median(with_bare));
        println!(
            "{mode}\t{calls}\t{:.1}\t{:.1}\t{:.3}",
            v.as_secs_f64() * 1e6 / calls as f64,
            b.as_secs_f64() * 1e6 / calls as f64,
            ratios[ratios.len() / 2]
        );
    }
}

/// `calls` calls, `parallel` at a time; the wall time of the whole batch.
async fn timed<F, Fut>(calls: usize, parallel: usize, call: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ShowApiKeysResponse> + Send + 'static,
{
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..calls {
        if set.len() >= parallel {
            set.join_next().await.unwrap().unwrap();
        }
        let future = call();
        set.spawn(future);
        if parallel == 1 {
            set.join_next().await.unwrap().unwrap();
        }
    }
    while let Some(done) = set.join_next().await {
        done.unwrap();
    }
    started.elapsed()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}
