//! Running the real `vast` binary the way a user does, with a clean environment.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use vast_tests::TEST_KEY;

pub use vast_test_servers::vast_binary::vast_bin;

/// The path `show_api_keys` requests, as the spec in openapi.yaml spells it (the seed's ends in
/// `/`, the vendor's whole spec's does not), read from a request the generated client holds.
pub fn show_api_keys_path() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        // A thread of its own: async tests call this from inside their runtime.
        std::thread::spawn(|| {
            let held = vast_api::RequestCapture::new();
            let client = vast_api::ClientConfig::new()
                .api_key(TEST_KEY)
                .base_url("http://127.0.0.1:9")
                .hold_requests(held.clone())
                .build()
                .unwrap();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let _not_sent = runtime.block_on(client.show_api_keys().send());
            let url = held.last().expect("the request is held").url;
            url.strip_prefix("http://127.0.0.1:9").unwrap().to_string()
        })
        .join()
        .unwrap()
    })
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The run of a finished program (`vast`, an example), which must have exited and printed
    /// UTF-8 without the test key.
    pub fn of(output: Output) -> Run {
        let run = Run {
            code: output.status.code().expect("exited, not killed"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        };
        assert!(
            !run.stdout.contains(TEST_KEY) && !run.stderr.contains(TEST_KEY),
            "the key leaked:\n{}{}",
            run.stdout,
            run.stderr
        );
        run
    }
}

/// `vast ARGS…` with a clean environment (only `HOME`), ready to run.
pub fn vast_command(args: &[&str], home: &Path) -> Command {
    let mut command = Command::new(vast_bin());
    command.args(args).env_clear().env("HOME", home);
    command
}

/// `vast --url URL --api-key TEST_KEY ARGS… show api-keys`, as [`vast_command`] makes it, for a
/// test that starts and watches it itself.
pub fn show_api_keys_command(url: &str, args: &[&str], home: &Path) -> Command {
    let mut all = vec!["--url", url, "--api-key", TEST_KEY];
    all.extend_from_slice(args);
    all.extend_from_slice(&["show", "api-keys"]);
    vast_command(&all, home)
}

/// Runs `vast` with a clean environment: only `HOME` and the variables given.
pub fn vast(args: &[&str], env: &[(&str, &str)], home: &Path) -> Run {
    vast_with_input(args, env, home, None)
}

/// As [`vast`], with `input` on its standard input (none: `/dev/null`).
pub fn vast_with_input(
    args: &[&str],
    env: &[(&str, &str)],
    home: &Path,
    input: Option<&[u8]>,
) -> Run {
    let mut child = vast_command(args, home)
        .envs(env.iter().copied())
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vast runs");
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        let input = input.to_vec();
        // Written beside the wait: vast may stop reading (and close the pipe) before the end.
        std::thread::spawn(move || {
            let _ = std::io::Write::write_all(&mut stdin, &input);
        });
    }
    let run = Run::of(finished(child, Duration::from_secs(60)));
    let keys = args
        .iter()
        .chain(env.iter().map(|(_, v)| v))
        .filter(|a| a.contains("key-"));
    for key in keys {
        assert!(
            !run.stdout.contains(key),
            "the key leaked to stdout:\n{}",
            run.stdout
        );
        assert!(
            !run.stderr.contains(key),
            "the key leaked to stderr:\n{}",
            run.stderr
        );
    }
    run
}

/// The output of `child`, which must end within `limit`: a hang is a failure of its own, not a
/// test run that never ends.
pub fn finished(mut child: Child, limit: Duration) -> Output {
    // Read while waiting: a child blocked on a full pipe would never end.
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = read(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = read(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting works") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("vast did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: stdout.join().expect("reading stdout"),
        stderr: stderr.join().expect("reading stderr"),
    }
}

/// `vast --url URL --api-key TEST_KEY ARGS… show api-keys`, in a home of its own, with `env`.
pub fn show_api_keys_at(url: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let home = home();
    let mut all = vec!["--url", url, "--api-key", TEST_KEY];
    all.extend_from_slice(args);
    all.extend_from_slice(&["show", "api-keys"]);
    vast(&all, env, home.path())
}

/// A URL on this machine where nothing listens: a listener is bound and dropped, so the port is
/// free.
pub fn unused_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

pub fn home() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// `text` starts with `start`; on failure, both are shown.
#[track_caller]
pub fn assert_starts_with(text: &str, start: &str) {
    assert!(
        text.starts_with(start),
        "expected to start with:\n{start}\ngot:\n{text}"
    );
}

/// A server that answers every request with one JSON body and keeps what each request sent, for
/// tests of the exact request a command line makes.
pub struct Recorder {
    server: vast_test_servers::http::Server,
    requests: std::sync::Arc<std::sync::Mutex<Vec<(String, String, serde_json::Value)>>>,
}

impl Recorder {
    pub fn start(answer: &'static str) -> Recorder {
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = requests.clone();
        let server = vast_test_servers::http::Server::answering(move |request| {
            let body = match request.body.as_slice() {
                [] => serde_json::Value::Null,
                bytes => serde_json::from_slice(bytes).expect("a JSON body"),
            };
            let sent = (
                request.method().to_string(),
                request.path().to_string(),
                body,
            );
            kept.lock().unwrap().push(sent);
            vast_test_servers::http::Reply::json(200, answer)
        })
        .expect("a local server starts");
        Recorder { server, requests }
    }

    /// Runs `vast --url URL --api-key TEST_KEY ARGS…` in a fresh home; the run, and the
    /// requests (method, path, JSON body or `null`) the server received during it.
    pub fn run(&self, args: &[&str]) -> (Run, Vec<(String, String, serde_json::Value)>) {
        let mut all = vec!["--url", self.server.url.as_str(), "--api-key", TEST_KEY];
        all.extend_from_slice(args);
        let run = vast(&all, &[], home().path());
        (run, std::mem::take(&mut *self.requests.lock().unwrap()))
    }
}

/// Whether this build has the command `words` name with `option` in its help (a spec without
/// the operations has neither); prints `SKIPPED: {missing}` when not, for a test to return.
pub fn builds(words: &[&str], option: &str, missing: &str) -> bool {
    let home = home();
    let help = vast(&[words, &["--help"]].concat(), &[], home.path());
    let has = help.code == 0 && help.stdout.contains(option);
    if !has {
        println!("SKIPPED: {missing}");
    }
    has
}
