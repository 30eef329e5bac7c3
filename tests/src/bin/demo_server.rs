//! The mock server behind `cargo xtask demo`: serves `show api keys` with the spec's example
//! through the generated httpmock helpers, prints its URL, and stops when its stdin closes (or
//! after a minute, so it can never be left running).

use std::io::Read;
use std::time::Duration;

use httpmock::MockServer;
use vast_api_httpmock::MockServerExt;

fn main() {
    let server = MockServer::start();
    server.show_api_keys(|_, then| {
        // The type is whatever the spec gives the response (inferred, so any version builds).
        let example = serde_json::from_value(vast_tests::show_api_keys_example())
            .expect("the spec's example decodes as the generated type");
        then.ok(&example);
    });
    println!("{}", server.base_url());
    let (done, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        let _ = done.send(());
    });
    let _ = wait.recv_timeout(Duration::from_secs(60));
}
