//! Conformance against Prism (`@stoplight/prism-cli`, installed by `npm ci` in `tests/prism/`),
//! an independent implementation that mocks `openapi.yaml` and validates each request against
//! it, naming what a request got wrong in an `sl-violations` response header. Each test starts
//! its own; without Prism installed the tests are skipped, saying so (under CI they fail).

use std::collections::HashSet;
use std::path::Path;

use reqwest::header::HeaderMap;
use serde_json::Value;
use vast_api::{ClientConfig, ClientState, ErrorKind, RetryPolicy};
use vast_test_servers::prism::{NotStarted, Prism, Proxy, VIOLATIONS};
use vast_tests::TEST_KEY;

use crate::support::{show_api_keys_at, show_api_keys_path};

/// Prism serving openapi.yaml in static mode; `None` when the test is skipped.
fn prism() -> Option<Prism> {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml");
    match Prism::start(&spec, &[]) {
        Ok(prism) => Some(prism),
        Err(NotStarted::Skipped(why)) => {
            eprintln!("SKIPPED: {why}");
            None
        }
        Err(NotStarted::Failed(why)) => panic!("{why}"),
    }
}

/// Prism found nothing wrong with the request these response headers answer.
fn assert_conforming(headers: &HeaderMap, what: &str) {
    if let Some(violations) = headers.get(VIOLATIONS) {
        panic!("{what}: Prism reports a violation: {violations:?}");
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
    let mut headers = HeaderMap::new();
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

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn static_mode_serves_the_example_and_sees_conforming_requests() {
    let Some(prism) = prism() else {
        return;
    };
    let proxy = Proxy::start(&prism.url, None).unwrap();
    let run = show_api_keys_at(&proxy.url, &[], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "123\t456\tread\t789\tTeam Alpha\n", "")
    );
    let run = show_api_keys_at(&proxy.url, &["--raw"], &[]);
    let raw: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(raw, vast_tests::show_api_keys_example());
    assert_proxied_conforming(&proxy);

    let runtime = runtime();
    let response = runtime
        .block_on(client(&prism.url).show_api_keys().send())
        .unwrap();
    assert_conforming(response.headers(), "the library's call");
    assert_eq!(
        serde_json::to_value(response.into_inner()).unwrap(),
        vast_tests::show_api_keys_example()
    );

    // Forced error statuses come back as the typed errors, with the spec's examples in them.
    for (status, field) in [
        (400, Some("API Key not provided as bearer token.")),
        (401, None),
        (
            429,
            Some("API requests too frequent endpoint threshold=1.0"),
        ),
    ] {
        let forcing = preferring(&prism.url, &format!("code={status}"));
        let e = runtime
            .block_on(forcing.show_api_keys().send())
            .unwrap_err();
        match (e.kind(), e.api_response()) {
            (ErrorKind::Api { status: got }, Some(response)) => {
                assert_eq!((got.as_u16(), response.status().as_u16()), (status, status));
                assert_conforming(response.headers(), &format!("code={status}"));
                let body = serde_json::to_value(e.into_body()).unwrap();
                if field.is_some() {
                    assert_eq!(body["msg"].as_str().or(body["detail"].as_str()), field);
                }
            }
            (other, _) => panic!("{status}: expected a typed error, got {other:?}"),
        }
    }

    // And the CLI gives each its exit code, through a proxy that adds the Prefer header.
    for (status, code) in [(400, 5), (401, 4), (429, 6)] {
        let proxy = Proxy::start(&prism.url, Some(&format!("code={status}"))).unwrap();
        let run = show_api_keys_at(&proxy.url, &["--retry", "1"], &[]);
        assert_eq!(run.code, code, "{status}: {}", run.stderr);
        assert_proxied_conforming(&proxy);
    }

    // The checks can fail: a request without the key is one Prism reports, to either of them.
    let proxy = Proxy::start(&prism.url, None).unwrap();
    let url = format!("{}{}", proxy.url, show_api_keys_path());
    let response = runtime.block_on(reqwest::get(url)).unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.headers().contains_key(VIOLATIONS));
    assert!(!proxy.seen().violations.is_empty());
}

#[test]
fn hundreds_of_dynamic_responses_all_decode_and_print() {
    let Some(prism) = prism() else {
        return;
    };
    // Not seeded: given `--seed`, Prism generates the same body for every request (an empty
    // list, for this schema). A failure prints the body instead, which is what reproduces it.
    let dynamic = "dynamic=true";
    let runtime = runtime();
    let client = preferring(&prism.url, dynamic);
    let mut bodies = HashSet::new();
    for i in 0..300 {
        match runtime.block_on(client.show_api_keys().send()) {
            Ok(response) => {
                assert_conforming(response.headers(), &format!("call {i}"));
                bodies.insert(serde_json::to_string(response.as_ref()).unwrap());
            }
            Err(e) => panic!("dynamic response {i} did not decode: {e:?}"),
        };
    }
    // Real variety, not one body 300 times (about a sixth are an empty or absent list).
    assert!(bodies.len() > 150, "only {} distinct bodies", bodies.len());
    assert!(bodies.iter().any(|body| body.contains("team_name")));

    // The CLI prints each body it gets: the rows, or with --raw the bytes.
    let proxy = Proxy::start(&prism.url, Some(dynamic)).unwrap();
    for i in 0..60 {
        let raw = i % 2 == 1;
        let run = show_api_keys_at(&proxy.url, if raw { &["--raw"] } else { &[] }, &[]);
        let body = proxy.seen().last_body;
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (0, ""),
            "CLI run {i}: {body}"
        );
        let expected = if raw {
            format!("{body}\n")
        } else {
            rows(&body)
        };
        assert_eq!(run.stdout, expected, "CLI run {i}: {body}");
    }
    assert_proxied_conforming(&proxy);
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

fn assert_proxied_conforming(proxy: &Proxy) {
    let violations = proxy.seen().violations;
    assert!(
        violations.is_empty(),
        "Prism reports violations: {violations:?}"
    );
}
