//! An answer that names a `result_url` (`show logs`, `execute`): `vast` fetches the text there,
//! without the API key, waiting while it is not ready, and prints it; `--raw` prints the answer.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use vast_test_servers::http::{Reply, Server};
use vast_tests::TEST_KEY;

use crate::support::{home, vast};

/// A storage host whose result is missing (404) for the first `missing` requests, then there.
fn storage(missing: usize, text: &'static str) -> Server {
    let asked = Arc::new(AtomicUsize::new(0));
    Server::answering(move |_| {
        if asked.fetch_add(1, Ordering::SeqCst) < missing {
            Reply::Raw(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n".to_vec())
        } else {
            Reply::Raw(
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n{text}",
                    text.len()
                )
                .into_bytes(),
            )
        }
    })
    .unwrap()
}

/// The API, answering every request with a `result_url` on `storage`.
fn api(storage: &Server, extra: &'static str) -> Server {
    let answer = format!(
        r#"{{"success": true, "result_url": "{}/results/log-5.txt?sig=abc"{extra}}}"#,
        storage.url
    );
    Server::answering(move |_| Reply::json(200, &answer)).unwrap()
}

#[test]
fn the_log_behind_the_result_url_is_fetched_without_the_key_and_printed() {
    let storage = storage(2, "booting\nready\n");
    let api = api(&storage, "");
    let run = vast(
        &[
            "--url",
            &api.url,
            "--api-key",
            TEST_KEY,
            "show",
            "logs",
            "5",
            "--tail",
            "10",
        ],
        &[],
        home().path(),
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "booting\nready\n", "")
    );
    let asked = storage.requests();
    assert_eq!(asked.len(), 3, "two not ready, then the result: {asked:?}");
    for head in &asked {
        assert!(
            head.starts_with("GET /results/log-5.txt?sig=abc HTTP/1.1\r\n"),
            "{head}"
        );
        assert!(
            !head.to_ascii_lowercase().contains("authorization") && !head.contains(TEST_KEY),
            "the key went to the storage host: {head}"
        );
    }
    assert_eq!(api.requests().len(), 1);
}

/// `execute`'s text names the instance's folder (`writeable_path`), which `vastai` takes out.
#[test]
fn execute_prints_the_command_s_output_without_the_instance_folder() {
    let storage = storage(0, "total 0\n/data/x1/a.txt\n");
    let api = api(&storage, r#", "writeable_path": "/data/x1/""#);
    let run = vast(
        &[
            "--url",
            &api.url,
            "--api-key",
            TEST_KEY,
            "execute",
            "5",
            "--command",
            "ls -l",
        ],
        &[],
        home().path(),
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "total 0\na.txt\n", "")
    );
}

/// `--raw` prints the answer, result URL and all, and fetches nothing.
#[test]
fn raw_prints_the_answer_and_fetches_nothing() {
    let storage = storage(0, "never read");
    let api = api(&storage, "");
    let run = vast(
        &[
            "--url",
            &api.url,
            "--api-key",
            TEST_KEY,
            "--raw",
            "show",
            "logs",
            "5",
        ],
        &[],
        home().path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\"result_url\""), "{}", run.stdout);
    assert!(storage.requests().is_empty());
}

#[test]
fn a_result_url_that_is_not_a_url_leaves_the_answer_as_it_is() {
    // Prism's dynamic answers fill a `result_url` with a word: nothing names a result to fetch.
    let api =
        Server::answering(|_| Reply::json(200, r#"{"success": true, "result_url": "dolore"}"#))
            .unwrap();
    let run = vast(
        &[
            "--url",
            &api.url,
            "--api-key",
            TEST_KEY,
            "show",
            "logs",
            "5",
        ],
        &[],
        home().path(),
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{}", run.stdout);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed["result_url"], "dolore");
}
