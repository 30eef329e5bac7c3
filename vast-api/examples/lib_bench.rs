//! The cost of the generated layer: the same GET made through `vast_api::Client` and through a
//! bare `reqwest::Client` with the same settings doing the same work by hand (bearer header, read
//! the body, decode it into the same type), one at a time and 16 at a time, over one connection
//! pool each. `vast_api` is measured twice: without retries, as bare reqwest has none, and with
//! the default retry policy, which copies each request in case it must be sent again.
//!
//! Each call is timed twice: wall time, which includes the server and the kernel's loopback and
//! so varies with everything else the machine does, and this thread's CPU time, which is the
//! client's own work. The runtime is tokio's current-thread one, so all of the client's work is
//! on this thread (and a multi-threaded runtime only adds scheduling noise to one request at a
//! time). CPU time is read with `clock_gettime`, so the benchmark runs on Unix only.
//!
//! `cargo xtask bench` runs it against its local server and prints its table:
//! `cargo run --release -p vast-api --example lib_bench -- URL CALLS`

#[cfg(unix)]
mod bench {
    use std::future::Future;
    use std::pin::Pin;
    use std::time::{Duration, Instant};

    use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
    use vast_api::types::ShowApiKeysResponse;
    use vast_api::{ClientConfig, RetryPolicy};

    const KEY: &str = "bench-key-00";
    /// Blocks of sequential calls, each giving one ratio per client.
    const BLOCKS: usize = 25;
    const IN_FLIGHT: usize = 16;
    /// Calls in a concurrent batch. Batches cannot be interleaved call by call like sequential
    /// calls, so there are many short ones, in turn, for the machine's drift to fall on all
    /// clients alike.
    const BATCH: usize = 100;

    type Call = Box<dyn Fn() -> Pin<Box<dyn Future<Output = ShowApiKeysResponse> + Send>>>;

    /// Wall and CPU time of one call (sequential) or per call of one batch (concurrent).
    #[derive(Clone, Copy, Default)]
    struct Cost {
        wall: Duration,
        cpu: Duration,
    }

    pub fn main() -> Result<(), String> {
        let args: Vec<String> = std::env::args().collect();
        let [_, base, calls] = args.as_slice() else {
            return Err("usage: lib_bench URL CALLS".into());
        };
        let calls = calls
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0 && n % BLOCKS == 0 && n % BATCH == 0)
            .ok_or(format!(
                "CALLS must be a multiple of both {BLOCKS} and {BATCH} (calls are split into \
                 {BLOCKS} blocks and batches of {BATCH}), not {calls}"
            ))?;
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start tokio: {e}"))?
            .block_on(run(base, calls));
        Ok(())
    }

    async fn run(base: &str, calls: usize) {
        // vast_api first: building its client installs the rustls crypto provider, which
        // reqwest (built here without one of its own) needs even for plain HTTP.
        let no_retries = vast_call(base, RetryPolicy::none());
        let default_retries = vast_call(base, RetryPolicy::default());
        let clients: [(&str, Call); 3] = [
            (
                "bare reqwest",
                bare_call(format!("{base}/api/v0/auth/apikeys/")),
            ),
            ("vast_api, no retries", no_retries),
            ("vast_api, default retries", default_retries),
        ];
        // Every connection either mode uses is opened, and everything warm, before timing.
        for (_, call) in &clients {
            batch(BATCH, call).await;
        }

        let per_block = calls / BLOCKS;
        // blocks[b][c]: client c's figures in block b.
        let mut sequential = Vec::with_capacity(BLOCKS);
        for block in 0..BLOCKS {
            // Calls interleaved one by one, so whatever else the machine does falls on all
            // alike; which client goes first changes from block to block.
            let mut each: [Vec<Cost>; 3] = Default::default();
            for i in 0..per_block * clients.len() {
                let c = (block + i) % clients.len();
                let (wall, cpu) = (Instant::now(), thread_cpu());
                tokio::spawn(clients[c].1()).await.unwrap();
                each[c].push(Cost {
                    wall: wall.elapsed(),
                    cpu: thread_cpu() - cpu,
                });
            }
            // The median call: a scheduling hiccup moves it little.
            sequential.push(each.map(|costs| Cost {
                wall: median(costs.iter().map(|c| c.wall).collect()),
                cpu: median(costs.iter().map(|c| c.cpu).collect()),
            }));
        }

        let mut concurrent = Vec::with_capacity(calls / BATCH);
        for turn in 0..calls / BATCH {
            let mut costs = [Cost::default(); 3];
            // Each turn starts with a different client, so going first favours none of them.
            for i in 0..clients.len() {
                let c = (turn + i) % clients.len();
                costs[c] = batch(BATCH, &clients[c].1).await;
            }
            concurrent.push(costs);
        }

        println!(
            "library, {calls} calls per client and mode. Per call: sequential, the median call \
             (the clients' calls interleaved, in {BLOCKS} blocks);\nconcurrent ({IN_FLIGHT} in \
             flight), a batch's time / {BATCH} (the clients' batches in turn). vs reqwest: the \
             median of the blocks' or batches' ratios (interquartile range)"
        );
        println!(
            "{:<11} {:<26} {:>10} {:>22} {:>10} {:>22}",
            "calls", "client", "wall", "wall vs reqwest", "CPU", "CPU vs reqwest"
        );
        report("sequential", &clients, &sequential);
        report("concurrent", &clients, &concurrent);
    }

    /// `calls` calls, `IN_FLIGHT` at a time: the batch's time divided by the calls.
    async fn batch(calls: usize, call: &Call) -> Cost {
        let (wall, cpu) = (Instant::now(), thread_cpu());
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..calls {
            if set.len() >= IN_FLIGHT {
                set.join_next().await.unwrap().unwrap();
            }
            set.spawn(call());
        }
        while let Some(done) = set.join_next().await {
            done.unwrap();
        }
        Cost {
            wall: wall.elapsed() / calls as u32,
            cpu: (thread_cpu() - cpu) / calls as u32,
        }
    }

    fn report(mode: &str, clients: &[(&str, Call)], blocks: &[[Cost; 3]]) {
        for (c, (name, _)) in clients.iter().enumerate() {
            let mut line = format!("{mode:<11} {name:<26}");
            for figure in [|cost: &Cost| cost.wall, |cost: &Cost| cost.cpu] {
                // Ratios of figures from the same block, so slow and fast stretches cancel.
                let mut ratios: Vec<f64> = blocks
                    .iter()
                    .map(|b| figure(&b[c]).as_secs_f64() / figure(&b[0]).as_secs_f64())
                    .collect();
                ratios.sort_by(f64::total_cmp);
                let n = ratios.len();
                let typical = median(blocks.iter().map(|b| figure(&b[c])).collect());
                line += &format!(
                    " {:>7.1} µs {:>7.3} ({:.3}–{:.3})",
                    typical.as_secs_f64() * 1e6,
                    ratios[n / 2],
                    ratios[n / 4],
                    ratios[n * 3 / 4]
                );
            }
            println!("{line}");
        }
    }

    fn vast_call(base: &str, retry: RetryPolicy) -> Call {
        let vast = ClientConfig::new()
            .api_key(KEY)
            .base_url(base)
            .retry(retry)
            .build()
            .unwrap();
        Box::new(move || {
            let vast = vast.clone();
            Box::pin(async move { vast.show_api_keys().send().await.unwrap().into_inner() })
        })
    }

    fn bare_call(url: String) -> Call {
        // The settings `ClientConfig` gives (the key as a sensitive default header, reqwest's
        // own retry layer off), so only the generated layer differs.
        let mut auth = HeaderValue::from_str(&format!("Bearer {KEY}")).unwrap();
        auth.set_sensitive(true);
        let bare = reqwest::Client::builder()
            .default_headers(HeaderMap::from_iter([(AUTHORIZATION, auth)]))
            .user_agent(concat!("vast-api-rust/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .retry(reqwest::retry::never().max_retries_per_request(0))
            .build()
            .unwrap();
        Box::new(move || {
            let (bare, url) = (bare.clone(), url.clone());
            Box::pin(async move {
                let body = bare
                    .get(&url)
                    .header("accept", "application/json")
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
                serde_json::from_slice::<ShowApiKeysResponse>(&body).unwrap()
            })
        })
    }

    /// CPU time this thread has used, in user and kernel mode.
    fn thread_cpu() -> Duration {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `now` is a valid, writable timespec; the call writes only into it.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
        Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
    }

    fn median(mut samples: Vec<Duration>) -> Duration {
        samples.sort();
        samples[samples.len() / 2]
    }
}

fn main() -> std::process::ExitCode {
    #[cfg(unix)]
    let result = bench::main();
    #[cfg(not(unix))]
    let result: Result<(), String> = Err("lib_bench reads thread CPU time, on Unix only".into());
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
