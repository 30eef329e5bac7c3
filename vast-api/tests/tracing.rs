//! The `tracing` feature: one span per request, with what a person reading a trace needs, and
//! never the key, even with every target at TRACE level.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use httpmock::MockServer;
use tracing_subscriber::fmt::format::FmtSpan;
use vast_api::{ClientConfig, RetryPolicy};

const KEY: &str = "trace-test-key-0123456789abcdef";

/// Everything a TRACE-level subscriber writes while `f` runs.
fn traced(f: impl FnOnce()) -> String {
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, f);
    String::from_utf8(sink.0.lock().unwrap().clone()).unwrap()
}

fn call(server: &MockServer, policy: RetryPolicy) {
    let client = ClientConfig::new()
        .api_key(KEY)
        .base_url(server.base_url())
        .retry(policy.with_backoff(Duration::from_millis(1), Duration::from_millis(1)))
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _ = runtime.block_on(client.show_api_keys().send());
}

#[test]
fn each_request_is_one_span_with_method_path_status_attempts_and_time() {
    let server = MockServer::start();
    server.mock(|_, then| {
        then.status(200)
            .header("content-type", "application/json")
            .body(r#"{"apikeys": []}"#);
    });
    let trace = traced(|| call(&server, RetryPolicy::none()));
    let closed: Vec<&str> = trace
        .lines()
        .filter(|l| l.contains("vast_api.request") && l.contains("close"))
        .collect();
    assert_eq!(closed.len(), 1, "{trace}");
    for field in [
        r#"method="GET""#,
        r#"path="/api/v0/auth/apikeys""#,
        "status=200",
        "attempts=1",
        "elapsed_ms=",
    ] {
        assert!(closed[0].contains(field), "{field} in {}", closed[0]);
    }
    assert!(!trace.contains(KEY), "{trace}");
}

#[test]
fn retries_are_traced_and_the_key_never_is() {
    let server = MockServer::start();
    server.mock(|_, then| {
        then.status(503)
            .header("content-type", "application/json")
            .body(format!(r#"{{"msg": "echo {KEY}"}}"#));
    });
    let trace = traced(|| call(&server, RetryPolicy::default()));
    assert_eq!(
        trace.matches("transient failure; retrying").count(),
        2,
        "{trace}"
    );
    assert!(
        trace.contains("status=503") && trace.contains("attempts=3"),
        "{trace}"
    );
    assert!(!trace.contains(KEY), "{trace}");
    assert!(!trace.contains("trace-test-key"), "{trace}");
}
