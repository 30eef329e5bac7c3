//! Property tests: no response body a server can send, and no bytes in a key file, make the
//! library or the CLI panic.

use proptest::prelude::*;
use vast_api::{ClientConfig, RetryPolicy};
use vast_tests::TEST_KEY;
use vast_tests::raw_server::{RawServer, Reply};

use crate::support::{home, vast};

/// The statuses the spec lists for `show api keys`, one it does not, and a retryable one.
fn status() -> impl Strategy<Value = u16> {
    prop::sample::select(vec![200u16, 400, 401, 404, 429, 500, 503])
}

/// Bodies: arbitrary bytes, and arbitrary JSON-ish text near the real shape.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        "\\{\"(apikeys|msg|detail)\": (null|\\[\\]|\\[\\{\"id\": ?(-?[0-9]{1,20}|\"x\"|null)\\}\\]|\"[^\"]{0,10}\"|[0-9.e+-]{1,8})\\}"
            .prop_map(String::into_bytes),
    ]
}

fn raw(status: u16, body: &[u8]) -> Reply {
    let mut bytes = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    Reply::Raw(bytes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_library_never_panics_on_a_response(status in status(), body in body()) {
        let server = RawServer::start(vec![raw(status, &body)]);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let client = ClientConfig::new().api_key(TEST_KEY).base_url(&server.url).retry(RetryPolicy::none()).build().unwrap();
        let result = runtime.block_on(client.show_api_keys().send());
        if status != 200 {
            prop_assert!(result.is_err());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_cli_never_panics_and_keeps_to_its_exit_codes(status in status(), body in body()) {
        let server = RawServer::start(vec![raw(status, &body)]);
        let home = home();
        let run = vast(&["--url", &server.url, "--api-key", TEST_KEY, "--retry", "1", "show", "api-keys"], &[], home.path());
        prop_assert!([0, 1, 4, 5, 6, 7].contains(&run.code), "exit {}: {}", run.code, run.stderr);
        prop_assert!(run.stderr.lines().count() <= 2, "{}", run.stderr);
        prop_assert!(!run.stderr.contains("panicked"));
    }

    #[test]
    fn the_cli_never_panics_on_a_key_file(bytes in prop::collection::vec(any::<u8>(), 0..48)) {
        let server = RawServer::start(vec![raw(200, br#"{"apikeys": []}"#)]);
        let home = home();
        std::fs::write(home.path().join(".vast_api_key"), &bytes).unwrap();
        let run = vast(&["--url", &server.url, "show", "api-keys"], &[], home.path());
        prop_assert!([0, 3].contains(&run.code), "exit {}: {}", run.code, run.stderr);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let key = text.trim();
            if key.len() >= 4 {
                prop_assert!(!run.stderr.contains(key) && !run.stdout.contains(key), "{}", run.stderr);
            }
        }
    }
}

/// Text a hostile server might send: any characters, weighted towards those that act on a
/// terminal (C0, DEL, C1, bidirectional and invisible format characters, separators).
fn hostile_text() -> impl Strategy<Value = String> {
    let unsafe_char = prop::sample::select(vec![
        '\u{1b}',
        '\u{7}',
        '\u{7f}',
        '\u{9b}',
        '\u{85}',
        '\u{202e}',
        '\u{2066}',
        '\u{200f}',
        '\u{200b}',
        '\u{2028}',
        '\u{2029}',
        '\u{feff}',
        '\u{61c}',
        '\u{e0041}',
        '\r',
    ]);
    prop::collection::vec(prop_oneof![any::<char>(), unsafe_char], 0..300)
        .prop_map(|chars| chars.into_iter().collect())
}

/// A character that must not reach a terminal from a server (tab and newline are the layout's).
fn acts_on_a_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{61c}' | '\u{e0000}'..='\u{e007f}')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever text a server puts in a table cell, a pretty-printed document or an error
    /// message, nothing that acts on a terminal is printed, and a message stays one short line.
    #[test]
    fn server_text_never_reaches_the_terminal_as_is(text in hostile_text(), shape in 0..3u8) {
        let text = serde_json::to_string(&text).unwrap();
        let (status, body) = match shape {
            // A table.
            0 => (200, format!(r#"{{"apikeys": [{{"id": 1, "rights": {text}}}], "other": {text}}}"#)),
            // Two lists: pretty JSON.
            1 => (200, format!(r#"{{"apikeys": [{{"rights": {text}}}], "other": [{text}]}}"#)),
            // An error message.
            _ => (400, format!(r#"{{"msg": {text}}}"#)),
        };
        let server = RawServer::start(vec![raw(status, body.as_bytes())]);
        let home = home();
        let run = vast(&["--url", &server.url, "--api-key", TEST_KEY, "--retry", "1", "show", "api-keys"], &[("VAST_FORCE_TTY", "1")], home.path());
        prop_assert!(!run.stdout.chars().any(acts_on_a_terminal), "{:?}", run.stdout);
        prop_assert!(!run.stderr.chars().any(acts_on_a_terminal), "{:?}", run.stderr);
        prop_assert!(run.stderr.lines().all(|line| line.chars().count() < 300), "{}", run.stderr);
    }
}
