//! Conformance against Prism (`@stoplight/prism-cli`, installed by `npm ci` in `tests/prism/`),
//! an independent implementation that mocks `openapi.yaml` and validates each request against
//! it. `.ci/run` starts it and passes its address in `VAST_PRISM_URL` and its log in
//! `VAST_PRISM_LOG`; without them a test starts its own when Prism is installed, and is skipped,
//! saying so, when it is not (under CI it must be).

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
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
    url: String,
    log: PathBuf,
    /// The Prism this test started, and the folder of its log; none when `.ci/run` started it.
    own: Option<(Child, tempfile::TempDir)>,
}

impl Prism {
    /// Prism serving openapi.yaml in static mode; `None` (skip) when it is not installed.
    fn serving_openapi_yaml() -> Option<Prism> {
        if let Ok(url) = std::env::var("VAST_PRISM_URL") {
            let log = std::env::var_os("VAST_PRISM_LOG")
                .expect("VAST_PRISM_URL is set without VAST_PRISM_LOG, the file Prism logs to");
            return Some(Prism {
                url,
                log: log.into(),
                own: None,
            });
        }
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
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let prism = Prism {
            url: format!("http://127.0.0.1:{port}"),
            log,
            own: Some((child, dir)),
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

    /// Prism logs each request that does not conform to the spec.
    fn assert_no_violations(&self) {
        let log = self.log_text();
        assert!(
            log.contains("Request received"),
            "Prism's log shows no request, so it cannot show violations either:\n{log}"
        );
        for marker in ["did not pass the validation", "Violation", "✖"] {
            assert!(!log.contains(marker), "Prism reports a violation:\n{log}");
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        if let Some((child, _)) = &mut self.own {
            let _ = child.kill();
            let _ = child.wait();
        }
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

/// A client whose every request carries this `Prefer` header: `code=N` asks Prism for that
/// status, `dynamic=true` for a body generated from the schema instead of the example.
fn preferring(url: &str, prefer: &str) -> vast_api::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "authorization",
        format!("Bearer {TEST_KEY}").parse().unwrap(),
    );
    headers.insert("prefer", prefer.parse().unwrap());
    // As the README says for a reqwest client of one's own: reqwest here has no crypto provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    vast_api::Client::new_with_client(url, http, ClientState::default())
}

#[test]
fn static_mode_serves_the_example_and_sees_conforming_requests() {
    let Some(prism) = Prism::serving_openapi_yaml() else {
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
        let forcing = preferring(&prism.url, &format!("code={status}"));
        match runtime.block_on(forcing.show_api_keys().send()) {
            Err(Error::ErrorResponse(response)) => {
                assert_eq!(response.status().as_u16(), status);
                let body = response.into_inner();
                assert_eq!(body.msg.as_deref().or(body.detail.as_deref()), Some(field));
            }
            other => panic!("{status}: expected a typed error, got {other:?}"),
        }
    }
    match runtime.block_on(preferring(&prism.url, "code=401").show_api_keys().send()) {
        Err(Error::ErrorResponse(response)) => assert_eq!(response.status().as_u16(), 401),
        other => panic!("401: expected a typed error, got {other:?}"),
    }

    // And the CLI gives each its exit code, through a proxy that adds the Prefer header.
    for (status, code) in [(400, 5), (401, 4), (429, 6)] {
        let proxy = PreferProxy::start(&prism.url, &format!("code={status}"));
        let run = vast(
            &[
                "--url",
                &proxy.url,
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
    let Some(prism) = Prism::serving_openapi_yaml() else {
        return;
    };
    // Not seeded: given `--seed`, Prism generates the same body for every request (an empty
    // list, for this schema). A failure prints the body instead, which is what reproduces it.
    let dynamic = "dynamic=true";
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = preferring(&prism.url, dynamic);
    let mut bodies = HashSet::new();
    for i in 0..300 {
        match runtime.block_on(client.show_api_keys().send()) {
            Ok(response) => bodies.insert(serde_json::to_string(response.as_ref()).unwrap()),
            Err(e) => panic!("dynamic response {i} did not decode: {e:?}"),
        };
    }
    // Real variety, not one body 300 times (about a sixth are an empty or absent list).
    assert!(bodies.len() > 150, "only {} distinct bodies", bodies.len());
    assert!(bodies.iter().any(|body| body.contains("team_name")));

    // The CLI prints each body it gets: the rows, or with --raw the bytes.
    let proxy = PreferProxy::start(&prism.url, dynamic);
    let home = home();
    for i in 0..60 {
        let mut args = vec![
            "--url",
            &proxy.url,
            "--api-key",
            TEST_KEY,
            "show",
            "api-keys",
        ];
        if i % 2 == 1 {
            args.push("--raw");
        }
        let run = vast(&args, &[], home.path());
        let body = proxy.last_body();
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (0, ""),
            "CLI run {i}: {body}"
        );
        let expected = if i % 2 == 1 {
            format!("{body}\n")
        } else {
            rows(&body)
        };
        assert_eq!(run.stdout, expected, "CLI run {i}: {body}");
    }
    prism.assert_no_violations();
}

/// What `vast show api-keys` prints, piped, for this body: a line per key, its fields in the
/// spec's order, tab-separated, absent ones blank.
fn rows(body: &str) -> String {
    let body: Value = serde_json::from_str(body).unwrap();
    let mut out = String::new();
    for key in body["apikeys"].as_array().into_iter().flatten() {
        let cells: Vec<String> = ["id", "user_id", "rights", "team_id", "team_name"]
            .iter()
            .map(|field| match &key[field] {
                Value::Null => String::new(),
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect();
        out += &cells.join("\t");
        out.push('\n');
    }
    out
}

/// Forwards each request to Prism with a `Prefer` header added (the CLI has no flag for
/// arbitrary headers, and should not need one), and keeps the last body it passed back.
struct PreferProxy {
    url: String,
    last_body: Arc<Mutex<String>>,
}

impl PreferProxy {
    fn start(upstream: &str, prefer: &str) -> PreferProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_string();
        let prefer = prefer.to_string();
        let last_body = Arc::new(Mutex::new(String::new()));
        let keep = last_body.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let _ = forward(client, &upstream, &prefer, &keep);
            }
        });
        PreferProxy { url, last_body }
    }

    fn last_body(&self) -> String {
        self.last_body.lock().unwrap().clone()
    }
}

/// One request, with `prefer` added; the response's body is kept in `body` before the client
/// gets it, so it is there once the client is done.
fn forward(
    client: TcpStream,
    upstream: &str,
    prefer: &str,
    body: &Mutex<String>,
) -> std::io::Result<()> {
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
    head.push_str(&format!("prefer: {prefer}\r\nconnection: close\r\n\r\n"));
    let mut server = TcpStream::connect(upstream)?;
    server.write_all(head.as_bytes())?;
    let mut response = Vec::new();
    server.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    *body.lock().unwrap() = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, body)| body.to_string());
    let mut client = client;
    client.write_all(&response)?;
    client.shutdown(std::net::Shutdown::Both)
}
