//! Rents the cheapest verified offer matching a filter expression, waits for it to run, and
//! prints its ssh command. Ctrl-C while waiting destroys it (an instance bills from the
//! moment it is rented); `--destroy` destroys it at the end too, for a trial run.
//!
//! ```sh
//! VAST_API_KEY=… cargo run -p vast-api --example rent_and_wait -- \
//!     'gpu_ram>=24 num_gpus=1 reliability>0.99' --image vastai/base-image [--destroy]
//! ```
//!
//! The filter is the one `vast search offers` takes (`vast_api::filter`), with `verified=true`
//! before it; the cheapest offer is the one with the lowest `dph_total` (dollars per hour).
//! `--poll-ms N` sets the first gap between polls of the instance (default 2000). The key
//! comes from `VAST_API_KEY` or the vastai key file, the server from `VAST_URL`, as for
//! `list_keys`. On an error it prints the error and exits with status 1, having destroyed an
//! instance it rented that will not run.

#[cfg(all(
    vast_op = "search_offers",
    vast_filter = "search_offers",
    vast_op = "create_instance",
    vast_op = "show_instance",
    vast_op = "destroy_instance"
))]
mod rent {
    use std::time::Duration;

    use serde_json::Value;
    use vast_api::{Client, Id, WaitOptions};

    type Failure = Box<dyn std::error::Error>;

    /// What the command line asks for.
    pub struct Args {
        query: String,
        image: String,
        destroy_at_end: bool,
        poll: Duration,
    }

    impl Args {
        pub fn from_env() -> Result<Args, Failure> {
            let mut args = Args {
                query: String::new(),
                image: "vastai/base-image".into(),
                destroy_at_end: false,
                poll: Duration::from_millis(2000),
            };
            let mut words = std::env::args().skip(1);
            while let Some(word) = words.next() {
                let mut value = |flag: &str| words.next().ok_or(format!("{flag} needs a value"));
                match word.as_str() {
                    "--destroy" => args.destroy_at_end = true,
                    "--image" => args.image = value("--image")?,
                    "--poll-ms" => {
                        let ms = value("--poll-ms")?;
                        let ms = ms.parse().map_err(|_| {
                            format!("--poll-ms {ms}: not a whole number of milliseconds")
                        })?;
                        args.poll = Duration::from_millis(ms);
                    }
                    flag if flag.starts_with("--") => {
                        return Err(format!("unknown flag {flag}").into());
                    }
                    query => args.query = format!("{} {query}", args.query),
                }
            }
            Ok(args)
        }
    }

    pub async fn run(args: Args) -> Result<(), Failure> {
        let client = Client::from_env()?;
        let (offer, price) = cheapest_offer(&client, &args.query).await?;
        println!("cheapest offer: {offer} at ${price:.3}/h");
        let id = rent(&client, offer, &args.image).await?;
        println!("rented instance {id}");
        let options = WaitOptions::default()
            .interval(args.poll)
            .on_change(|state| {
                let status = state.actual_status.as_deref().unwrap_or("not listed yet");
                eprintln!("instance {}: {status}", state.id);
            });
        let state = tokio::select! {
            waited = client.wait_for_instance(id, options) => match waited {
                Ok(state) => state,
                Err(e) => {
                    // It will not run, or the wait gave up: stop paying for it.
                    destroy(&client, id).await?;
                    return Err(e.into());
                }
            },
            _ = tokio::signal::ctrl_c() => {
                eprintln!("interrupted");
                return destroy(&client, id).await;
            }
        };
        match state.ssh_command() {
            Some(ssh) => println!("{ssh}"),
            None => println!("instance {id} is running; the server gave no ssh address"),
        }
        if args.destroy_at_end {
            destroy(&client, id).await?;
        }
        Ok(())
    }

    /// The id and price of the verified offer with the lowest `dph_total` matching `query`.
    async fn cheapest_offer(client: &Client, query: &str) -> Result<(i64, f64), Failure> {
        let answer = client
            .search_offers()
            .filter(&format!("verified=true {query}"))?
            .send()
            .await?
            .into_inner();
        // Read through JSON, so this builds with any version of the spec's offer type.
        let answer = serde_json::to_value(answer)?;
        let priced = |offer: &Value| Some((offer["id"].as_i64()?, offer["dph_total"].as_f64()?));
        answer["offers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(priced)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .ok_or_else(|| format!("no verified offer matches `{}`", query.trim()).into())
    }

    /// Rents `offer` with `image`; the new instance's id.
    async fn rent(client: &Client, offer: i64, image: &str) -> Result<i64, Failure> {
        let answer = client
            .create_instance()
            .id(Id(offer))
            .body_map(|body| body.image(image.to_string()))
            .send()
            .await?
            .into_inner();
        serde_json::to_value(answer)?["new_contract"]
            .as_i64()
            .ok_or_else(|| "the server's answer names no new instance (`new_contract`)".into())
    }

    async fn destroy(client: &Client, id: i64) -> Result<(), Failure> {
        client.destroy_instance().id(Id(id)).send().await?;
        println!("destroyed instance {id}");
        Ok(())
    }
}

#[cfg(all(
    vast_op = "search_offers",
    vast_filter = "search_offers",
    vast_op = "create_instance",
    vast_op = "show_instance",
    vast_op = "destroy_instance"
))]
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let outcome = match rent::Args::from_env() {
        Ok(args) => rent::run(args).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// A spec without the operations this needs builds this instead (`cargo xtask try-spec`).
#[cfg(not(all(
    vast_op = "search_offers",
    vast_filter = "search_offers",
    vast_op = "create_instance",
    vast_op = "show_instance",
    vast_op = "destroy_instance"
)))]
fn main() {
    println!(
        "rent_and_wait needs search_offers with a filter body, create_instance, show_instance \
         and destroy_instance, which this spec does not have all of"
    );
}
