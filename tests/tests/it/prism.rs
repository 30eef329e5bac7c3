//! Conformance against Prism (`@stoplight/prism-cli`, installed by `npm ci` in `tests/prism/`),
//! an independent implementation that mocks `openapi.yaml` and validates each request against
//! it. Skipped, saying so, when Prism is not installed; under CI it must be.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use vast_api::{ClientConfig, ClientState, Error, RetryPolicy};
use vast_tests::TEST_KEY;

use crate::support::{home, vast};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

struct Prism {
    child: Child,
    url: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Prism {
    /// Prism serving openapi.yaml on a free port, once it answers; `None` (skip) when absent.
    fn start(extra: &[&str]) -> Option<Prism> {
        let bin = root().join("tests/prism/node_modules/.bin/prism");
        if !bin.exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "Prism is not installed: .ci/run runs `npm ci` in tests/prism"
            );
            eprintln!("SKIPPED: Prism is not installed (cd tests/prism && npm ci)");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("prism.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(bin)
            .args([
                "mock",
                root().join("openapi.yaml").to_str().unwrap(),
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .args(extra)
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let prism = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(90);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "Prism did not start: {}",
                prism.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(prism)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Prism reports each request that does not conform to the spec.
    fn assert_no_violations(&self) {
        let log = self.log_text();
        for marker in ["did not pass the validation", "Violation", "✖"] {
            assert!(!log.contains(marker), "Prism reports a violation:\n{log}");
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client(url: &str) -> vast_api::Client {
    ClientConfig::new()
        .api_key(TEST_KEY)
        .base_url(url)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A client whose every request asks Prism for this status (`Prefer: code=N`).
fn forcing(url: &str, status: u16) -> vast_api::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "authorization",
        format!("Bearer {TEST_KEY}").parse().unwrap(),
    );
    headers.insert("prefer", format!("code={status}").parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    vast_api::Client::new_with_client(url, http, ClientState::default())
}

#[test]
fn static_mode_serves_the_example_and_sees_conforming_requests() {
    let Some(prism) = Prism::start(&[]) else {
        return;
    };
    let home = home();
    let run = vast(
        &[
            "--url",
            &prism.url,
            "--api-key",
            TEST_KEY,
            "show",
            "api-keys",
        ],
        &[],
        home.path(),
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "123\t456\tread\t789\tTeam Alpha\n", "")
    );
    let run = vast(
        &[
            "--url",
            &prism.url,
            "--api-key",
            TEST_KEY,
            "show",
            "api-keys",
            "--raw",
        ],
        &[],
        home.path(),
    );
    let raw: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(raw, vast_tests::show_api_keys_example());

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let response = runtime
        .block_on(client(&prism.url).show_api_keys().send())
        .unwrap();
    assert!(response.headers().get("sl-violations").is_none());
    let example: vast_api::types::ShowApiKeysResponse =
        serde_json::from_value(vast_tests::show_api_keys_example()).unwrap();
    assert_eq!(response.into_inner(), example);

    // Forced error statuses come back as the typed errors, with the spec's examples in them.
    for (status, field) in [
        (400, "API Key not provided as bearer token."),
        (429, "API requests too frequent endpoint threshold=1.0"),
    ] {
        match runtime.block_on(forcing(&prism.url, status).show_api_keys().send()) {
            Err(Error::ErrorResponse(response)) => {
                assert_eq!(response.status().as_u16(), status);
                let body = response.into_inner();
                assert_eq!(body.msg.as_deref().or(body.detail.as_deref()), Some(field));
            }
            other => panic!("{status}: expected a typed error, got {other:?}"),
        }
    }
    match runtime.block_on(forcing(&prism.url, 401).show_api_keys().send()) {
        Err(Error::ErrorResponse(response)) => assert_eq!(response.status().as_u16(), 401),
        other => panic!("401: expected a typed error, got {other:?}"),
    }

    // And the CLI gives each its exit code, through a proxy that adds the Prefer header.
    for (status, code) in [(400, 5), (401, 4), (429, 6)] {
        let proxy = PreferProxy::start(&prism.url, status);
        let run = vast(
            &[
                "--url",
                &proxy,
                "--api-key",
                TEST_KEY,
                "--retry",
                "1",
                "show",
                "api-keys",
            ],
            &[],
            home.path(),
        );
        assert_eq!(run.code, code, "{status}: {}", run.stderr);
    }
    prism.assert_no_violations();
}

#[test]
fn hundreds_of_dynamic_responses_all_decode_and_print() {
    let Some(prism) = Prism::start(&["-d", "--seed", "7"]) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = client(&prism.url);
    for i in 0..300 {
        if let Err(e) = runtime.block_on(client.show_api_keys().send()) {
            panic!("dynamic response {i} did not decode: {e:?}");
        }
    }
    let home = home();
    for i in 0..60 {
        let run = vast(
            &[
                "--url",
                &prism.url,
                "--api-key",
                TEST_KEY,
                "show",
                "api-keys",
            ],
            &[],
            home.path(),
        );
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "CLI run {i}");
    }
    prism.assert_no_violations();
}

/// Forwards each request to Prism with `Prefer: code=N` added: the CLI has no flag for
/// arbitrary headers, and should not need one.
struct PreferProxy;

impl PreferProxy {
    fn start(upstream: &str, status: u16) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_string();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let _ = forward(client, &upstream, status);
            }
        });
        url
    }
}

fn forward(client: TcpStream, upstream: &str, status: u16) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if line == "\r\n" {
            break;
        }
        if !line.to_ascii_lowercase().starts_with("connection:") {
            head.push_str(&line);
        }
    }
    head.push_str(&format!(
        "prefer: code={status}\r\nconnection: close\r\n\r\n"
    ));
    let mut server = TcpStream::connect(upstream)?;
    server.write_all(head.as_bytes())?;
    let mut response = Vec::new();
    server.read_to_end(&mut response)?;
    let mut client = client;
    client.write_all(&response)?;
    client.shutdown(std::net::Shutdown::Both)
}
