//! Misbehaving networks and servers: retries, timeouts, broken and hostile responses, redirects,
//! the key file, signals and concurrency. Each test checks the outcome, the exit code, the
//! message, how many requests the server saw and, where time is the point, how long it took.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vast_api::{ClientConfig, ErrorKind, RetryPolicy};
use vast_tests::TEST_KEY;
use vast_tests::raw_server::{RawServer, Reply};

use crate::support::{
    assert_starts_with, home, show_api_keys_at, show_api_keys_command, show_api_keys_path, vast,
    vast_bin, vast_command,
};

const KEYS: &str = r#"{"apikeys": [{"id": 1, "user_id": 2, "rights": "read"}]}"#;

fn show_api_keys(server: &RawServer, extra: &[&str]) -> (crate::support::Run, Duration) {
    vast_bin(); // built (the first time) before the clock starts
    let started = Instant::now();
    let run = show_api_keys_at(&server.url, extra, &[("RUST_LOG", "trace")]);
    (run, started.elapsed())
}

/// A request head that carries no `Authorization` header: the key did not go there.
fn assert_no_authorization(head: &str) {
    assert!(
        !head.to_ascii_lowercase().contains("authorization"),
        "{head}"
    );
}

#[test]
fn transient_statuses_are_retried_until_success() {
    let server = RawServer::start(vec![
        Reply::json(503, r#"{"detail": "busy"}"#),
        Reply::json(502, "<html>bad gateway</html>"),
        Reply::json(200, KEYS),
    ]);
    let (run, took) = show_api_keys(&server, &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "1\t2\tread\t\t\n"),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests().len(), 3);
    // Two backoff waits: at least 0.25 s + 0.5 s with jitter.
    assert!(
        took >= Duration::from_millis(700) && took < Duration::from_secs(10),
        "{took:?}"
    );
}

#[test]
fn when_retries_run_out_the_error_counts_them_and_quotes_the_server() {
    let server = RawServer::start(vec![Reply::json(
        429,
        r#"{"detail": "API requests too frequent"}"#,
    )]);
    let (run, _) = show_api_keys(&server, &["--retry", "2"]);
    assert_eq!(run.code, 6);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "error: rate limited by the server (429 Too Many Requests): API requests too frequent (after 2 attempts)"
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn retry_after_is_honoured() {
    let server = RawServer::start(vec![
        Reply::Json(
            429,
            r#"{"detail": "wait"}"#.into(),
            vec!["retry-after: 1".into()],
        ),
        Reply::json(200, KEYS),
    ]);
    let (run, took) = show_api_keys(&server, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(server.requests().len(), 2);
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(5),
        "{took:?}"
    );
}

#[test]
fn a_retry_after_beyond_the_cap_gives_up_at_once_and_says_so() {
    let server = RawServer::start(vec![Reply::Json(
        429,
        r#"{"detail": "come back later"}"#.into(),
        vec!["retry-after: 120".into()],
    )]);
    let (run, took) = show_api_keys(&server, &[]);
    assert_eq!(run.code, 6);
    assert_eq!(
        run.stderr,
        "error: rate limited by the server (429 Too Many Requests): come back later \
         (gave up: the server asked to wait 120 s before retrying, more than the 60 s limit)\n\
         hint: try again once the server's wait is over\n"
    );
    assert_eq!(server.requests().len(), 1);
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = RawServer::start(vec![Reply::Hang]);
    let (run, took) = show_api_keys(&server, &["--timeout", "1", "--retry", "1"]);
    assert_eq!(run.code, 7);
    assert_eq!(
        run.stderr,
        format!(
            "error: no answer from {}: timed out after 1 s\nhint: raise --timeout, or check that the server is up\n",
            server.url
        )
    );
    assert_eq!(server.requests().len(), 1);
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(4),
        "{took:?}"
    );
}

#[test]
fn a_body_that_stalls_times_out_naming_the_status() {
    // The connection stays open with 89 bytes of the body still to come.
    let server = RawServer::start(vec![Reply::Raw(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"apikeys\":"
            .to_vec(),
    )]);
    let (run, _) = show_api_keys(&server, &["--timeout", "2", "--retry", "1"]);
    assert_eq!(run.code, 7);
    assert_eq!(
        run.stderr,
        format!(
            "error: the response from {} (200 OK) stalled after 11 bytes: timed out after 2 s\n\
             hint: raise --timeout, or try again\n",
            server.url
        )
    );
}

#[test]
fn a_body_shorter_than_its_length_is_a_broken_response() {
    let server = RawServer::start(vec![Reply::Raw(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{\"apikeys\":"
            .to_vec(),
    )]);
    let (run, _) = show_api_keys(&server, &["--retry", "1"]);
    assert_eq!(run.code, 7);
    assert_starts_with(
        &run.stderr,
        &format!(
            "error: the response from {} (200 OK) broke off after 11 bytes: ",
            server.url
        ),
    );
    assert_eq!(run.stderr.lines().count(), 1);
}

#[test]
fn a_huge_body_is_refused_at_the_limit() {
    let server = RawServer::start(vec![Reply::Huge(64 << 20)]);
    let (run, took) = show_api_keys(&server, &["--retry", "1"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: the response (200 OK) is larger than the 32 MiB limit and was not read\n"
        )
    );
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn invalid_utf8_and_wrong_types_name_the_status_and_quote_safely() {
    let mut body = br#"{"apikeys": [{"id": 1, "rights": ""#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0x1b]);
    body.extend_from_slice(br#""}]}"#);
    let mut raw = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    raw.extend_from_slice(&body);
    let server = RawServer::start(vec![Reply::Raw(raw)]);
    let (run, _) = show_api_keys(&server, &[]);
    assert_eq!(run.code, 1);
    assert_starts_with(
        &run.stderr,
        "error: the server's response (200 OK) is not what the API spec describes: ",
    );
    assert!(
        run.stderr
            .ends_with("body: {\"apikeys\": [{\"id\": 1, \"rights\": \"\u{fffd}\u{fffd} \"}]}\n"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\u{1b}'));
}

#[test]
fn the_key_does_not_follow_a_redirect_to_another_host() {
    let other = RawServer::start_on("127.0.0.2", vec![Reply::json(200, KEYS)]);
    let location = format!("{}{}", other.url, show_api_keys_path());
    let first = RawServer::start(vec![Reply::Raw(
        format!("HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n")
            .into_bytes(),
    )]);
    let (run, _) = show_api_keys(&first, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        first.requests()[0]
            .to_ascii_lowercase()
            .contains(&format!("authorization: bearer {TEST_KEY}").to_ascii_lowercase())
    );
    let followed = other.requests();
    assert_eq!(followed.len(), 1);
    assert_no_authorization(&followed[0]);
}

#[test]
fn plain_http_to_another_host_is_refused_before_sending() {
    let run = show_api_keys_at("http://console.vast.ai", &[], &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: refusing to send the API key over plain http:// to console.vast.ai: anyone on the way could read it\n\
         hint: use https://, or pass --allow-http if this network is trusted\n"
    );
}

#[cfg(unix)]
#[test]
fn set_api_key_saves_an_owner_only_file_that_later_calls_use() {
    use std::os::unix::fs::PermissionsExt;
    let home = home();
    let run = vast(&["set", "api-key", "saved-key-77"], &[], home.path());
    let path = home.path().join(".config/vastai/vast_api_key");
    assert_eq!(
        (run.code, run.stdout.clone()),
        (0, format!("API key saved in {}\n", path.display()))
    );
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!((mode(&path), mode(path.parent().unwrap())), (0o600, 0o700));

    let server = RawServer::start(vec![Reply::json(200, KEYS)]);
    let run = vast(
        &["--url", &server.url, "show", "api-keys"],
        &[],
        home.path(),
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(
        server.requests()[0].contains("Bearer saved-key-77")
            || server.requests()[0].contains("bearer saved-key-77")
    );

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = vast(
        &["--url", &server.url, "show", "api-keys"],
        &[],
        home.path(),
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        format!(
            "warning: the key file {} can be read by other users (mode 644); fix: chmod 600 {}\n",
            path.display(),
            path.display()
        )
    );
}

#[test]
fn set_api_key_refuses_an_empty_key_and_says_when_it_cannot_save() {
    let home = home();
    let run = vast(&["set", "api-key", ""], &[], home.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: a value is required for '[KEY]' but none was supplied"),
        "{}",
        run.stderr
    );
    // A HOME that is a file: the folder for the key cannot be made.
    let file = home.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let run = vast(
        &["set", "api-key", "saved-key-78"],
        &[("HOME", file.to_str().unwrap())],
        home.path(),
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "error: cannot save the key in {}/.config/vastai/vast_api_key: Not a directory (os error 20)\n",
                file.display()
            )
            .as_str()
        )
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_a_retry_wait_ends_at_once() {
    let server = RawServer::start(vec![Reply::Json(
        503,
        "{}".into(),
        vec!["retry-after: 30".into()],
    )]);
    let home = home();
    let child = show_api_keys_command(&server.url, &[], home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first attempt; the client is then sleeping 30 s before the next.
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.requests().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    let sent = Instant::now();
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(output.status.code(), Some(130));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: interrupted\n"
    );
    assert_eq!(server.requests().len(), 1);
}

fn client(server: &RawServer, policy: RetryPolicy) -> vast_api::Client {
    ClientConfig::new()
        .api_key(TEST_KEY)
        .base_url(&server.url)
        .retry(policy)
        .build()
        .unwrap()
}

#[tokio::test]
async fn one_client_reuses_its_connection_and_serves_concurrent_calls() {
    let server = RawServer::start(vec![Reply::json(200, KEYS)]);
    let client = client(&server, RetryPolicy::none());
    for _ in 0..20 {
        client.show_api_keys().send().await.unwrap();
    }
    assert_eq!((server.requests().len(), server.connections()), (20, 1));

    fn assert_shareable<T: Clone + Send + Sync + 'static>(_: &T) {}
    assert_shareable(&client);
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.show_api_keys().send().await.map(|r| r.status()) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), 200);
    }
    assert_eq!(server.requests().len(), 70);
}

#[tokio::test]
async fn the_library_reports_a_huge_body_as_an_error_not_an_allocation() {
    let server = RawServer::start(vec![Reply::Huge(2 << 20)]);
    let client = ClientConfig::new()
        .api_key(TEST_KEY)
        .base_url(&server.url)
        .max_response_bytes(1 << 20)
        .build()
        .unwrap();
    let e = client.show_api_keys().send().await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "the response (200 OK) is larger than the 1 MiB limit and was not read"
    );
    match e.kind() {
        ErrorKind::BodyTooLarge { status, limit } => {
            assert_eq!((status.as_u16(), *limit), (200, 1 << 20))
        }
        other => panic!("expected the size error, got {other:?}"),
    }
}

/// Every variable a proxy can come from, pointing at `proxy`.
fn all_proxy_variables(proxy: &str) -> Vec<(&'static str, &str)> {
    [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ]
    .into_iter()
    .map(|name| (name, proxy))
    .collect()
}

/// A proxy on 127.0.0.2 that answers everything with 407.
fn proxy_asking_for_credentials() -> RawServer {
    RawServer::start_on(
        "127.0.0.2",
        vec![Reply::Raw(
            b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n".to_vec(),
        )],
    )
}

#[test]
fn a_call_to_this_machine_never_goes_through_a_proxy() {
    let proxy = RawServer::start_on("127.0.0.2", vec![Reply::json(200, KEYS)]);
    let server = RawServer::start(vec![Reply::json(200, KEYS)]);
    let run = show_api_keys_at(&server.url, &["-v"], &all_proxy_variables(&proxy.url));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!((proxy.requests().len(), server.requests().len()), (0, 1));
    assert!(!run.stderr.contains("proxy"), "{}", run.stderr);
}

#[test]
fn an_https_call_tunnels_through_the_proxy_and_its_407_is_named() {
    let proxy = proxy_asking_for_credentials();
    let run = show_api_keys_at(
        "https://vast.invalid",
        &["-v", "--retry", "1"],
        &[("HTTPS_PROXY", &proxy.url)],
    );
    let named = format!("the proxy {} (from HTTPS_PROXY)", proxy.url);
    assert_eq!(run.code, 7);
    assert_eq!(
        run.stderr,
        format!(
            "vast: API key from --api-key\nvast: server https://vast.invalid\nvast: through {named}\n\
             error: {named} requires authentication (407 Proxy Authentication Required); nothing reached https://vast.invalid\n\
             hint: put the proxy's user name and password in HTTPS_PROXY (http://user:password@host:port), or exclude the server with NO_PROXY\n"
        )
    );
    // The proxy saw where to connect, never the key.
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    assert_starts_with(&seen[0], "CONNECT vast.invalid:443 ");
    assert_no_authorization(&seen[0]);
}

#[test]
fn a_plain_http_call_through_a_proxy_needs_allow_http_and_a_407_is_not_the_servers() {
    let proxy = proxy_asking_for_credentials();
    let env = [("http_proxy", proxy.url.as_str())];
    let run = show_api_keys_at("http://10.255.255.1", &[], &env);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(proxy.requests().is_empty());
    let run = show_api_keys_at(
        "http://10.255.255.1",
        &["--allow-http", "--retry", "1"],
        &env,
    );
    assert_eq!(run.code, 7);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        format!(
            "error: the proxy {} (from http_proxy) requires authentication (407 Proxy Authentication Required); nothing reached http://10.255.255.1",
            proxy.url
        )
    );
    assert!(proxy.requests()[0].starts_with("GET http://10.255.255.1/api/v0/"));
}

#[test]
fn an_unusable_or_unreachable_proxy_is_named() {
    let run = show_api_keys_at(
        "https://vast.invalid",
        &[],
        &[("HTTPS_PROXY", "socks5://p:1080")],
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: the proxy in HTTPS_PROXY is not usable: socks5:// proxies are not supported (use http:// or https://)\n"
        )
    );
    let run = show_api_keys_at(
        "https://vast.invalid",
        &["--retry", "1"],
        &[("ALL_PROXY", "http://127.0.0.2:1")],
    );
    assert_eq!(run.code, 7);
    assert_starts_with(
        &run.stderr,
        "error: cannot connect to https://vast.invalid through the proxy http://127.0.0.2:1 (from ALL_PROXY): ",
    );
    assert!(
        run.stderr.ends_with(
            "hint: check the proxy in ALL_PROXY and the network, or exclude the server with NO_PROXY\n"
        ),
        "{}",
        run.stderr
    );
}

fn mkfifo(path: &std::path::Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

/// `vast show api-keys` with the key in the legacy key file `~/.vast_api_key`, made by `make`.
#[cfg(unix)]
fn with_key_file(make: impl FnOnce(&std::path::Path)) -> (crate::support::Run, String, RawServer) {
    let server = RawServer::start(vec![Reply::json(200, KEYS)]);
    let home = home();
    let path = home.path().join(".vast_api_key");
    make(&path);
    let run = vast(
        &["--url", &server.url, "show", "api-keys"],
        &[],
        home.path(),
    );
    (run, path.display().to_string(), server)
}

#[cfg(unix)]
#[test]
fn key_files_that_are_not_files_are_refused_at_once() {
    vast_bin(); // built before the clock starts
    type Make = Box<dyn FnOnce(&std::path::Path)>;
    let cases: [(&str, Make); 3] = [
        (
            "it is a named pipe (FIFO), not a regular file",
            Box::new(mkfifo),
        ),
        (
            "it is a character device, not a regular file",
            Box::new(|p| std::os::unix::fs::symlink("/dev/zero", p).unwrap()),
        ),
        (
            "it is a folder, not a regular file",
            Box::new(|p| std::fs::create_dir(p).unwrap()),
        ),
    ];
    for (why, make) in cases {
        let started = Instant::now();
        let (run, path, server) = with_key_file(make);
        assert_eq!(
            (run.code, run.stderr),
            (
                3,
                format!("error: cannot read the key file {path}: {why}\n")
            )
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(server.requests().is_empty());
    }
}

#[cfg(unix)]
#[test]
fn large_key_files_and_long_keys_are_refused_unread_and_unsent() {
    vast_bin(); // built before the clock starts
    let started = Instant::now();
    let (run, path, server) =
        with_key_file(|p| std::fs::File::create(p).unwrap().set_len(1 << 30).unwrap());
    assert_eq!(
        (run.code, run.stderr),
        (
            3,
            format!(
                "error: cannot read the key file {path}: it is larger than the 4 KiB limit for this file\n"
            )
        )
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let (run, path, _) = with_key_file(|p| std::fs::write(p, "k".repeat(3000)).unwrap());
    assert_eq!(
        (run.code, run.stderr),
        (
            3,
            format!(
                "error: the API key from the key file {path} is 3000 characters long, longer than any API key (at most 256): check that it holds the key alone\n"
            )
        )
    );
    let long = format!("key-{}", "x".repeat(300));
    let run = show_api_keys_at(&server.url, &[], &[("VAST_API_KEY", &long)]);
    // --api-key wins; the variable's key is checked only when it is the one used.
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = vast(
        &["--url", &server.url, "show", "api-keys"],
        &[("VAST_API_KEY", &long)],
        home().path(),
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            3,
            "error: the API key from the VAST_API_KEY environment variable is 304 characters long, longer than any API key (at most 256): check that it holds the key alone\n"
        )
    );
    assert!(
        server.requests().len() == 1,
        "only the --api-key call was sent"
    );
}

#[cfg(unix)]
#[test]
fn certificate_variables_that_cannot_be_used_are_named() {
    vast_bin(); // built before the clock starts
    let dir = home();
    let fifo = dir.path().join("ca.pem");
    mkfifo(&fifo);
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "not a certificate\n").unwrap();
    let missing = dir.path().join("none");
    let cases = [
        (
            "SSL_CERT_FILE",
            &fifo,
            "it is a named pipe (FIFO), not a regular file",
        ),
        (
            "SSL_CERT_FILE",
            &junk,
            "no certificate could be read from it",
        ),
        ("SSL_CERT_DIR", &missing, "it does not exist"),
        ("SSL_CERT_DIR", &junk, "it is a file, not a folder"),
    ];
    for (variable, path, why) in cases {
        let started = Instant::now();
        let run = show_api_keys_at(
            "https://vast.invalid",
            &[],
            &[(variable, path.to_str().unwrap())],
        );
        assert_eq!(
            (run.code, run.stderr),
            (
                2,
                format!(
                    "error: the CA certificates named by {variable} ({}) cannot be used: {why}\n",
                    path.display()
                )
            )
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

#[cfg(unix)]
#[test]
fn set_api_key_in_a_folder_others_can_change_saves_owner_only_and_warns() {
    use std::os::unix::fs::PermissionsExt;
    let home = home();
    let config = home.path().join("config");
    let folder = config.join("vastai");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o777)).unwrap();
    let run = vast(
        &["set", "api-key", "saved-key-79"],
        &[("XDG_CONFIG_HOME", config.to_str().unwrap())],
        home.path(),
    );
    let path = folder.join("vast_api_key");
    assert_eq!(
        (run.code, run.stdout, run.stderr),
        (
            0,
            format!("API key saved in {}\n", path.display()),
            format!(
                "warning: the folder {} can be changed by other users (mode 777), who could replace the key; fix: chmod 700 {}\n",
                folder.display(),
                folder.display()
            )
        )
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Only the key file is left in the folder: no temporary file.
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
}

/// A 200 with `body`, declared length, connection closed after it.
fn ok_body(body: &[u8]) -> Reply {
    let mut raw = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    raw.extend_from_slice(body);
    Reply::Raw(raw)
}

/// `{"apikeys": [{}, {}, …]}` with `n` empty objects: the shape that costs the most memory per
/// byte once decoded.
fn empty_objects(n: usize) -> Vec<u8> {
    let mut body = br#"{"apikeys":["#.to_vec();
    for i in 0..n {
        body.extend_from_slice(if i == 0 { b"{}" } else { b",{}" });
    }
    body.extend_from_slice(b"]}");
    body
}

#[test]
fn a_body_of_millions_of_tiny_objects_is_refused_before_decoding() {
    // One JSON object or array per 8 bytes of the 32 MiB limit: 4 Mi in all.
    let server = RawServer::start(vec![ok_body(&empty_objects(4 << 20))]);
    let (run, _) = show_api_keys(&server, &["--retry", "1"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: the response (200 OK) holds more than 4194304 JSON objects and arrays, the limit for its size, and was not decoded\n"
        )
    );
}

/// The worst shape the limits let through, printed in each mode, stays far below the 1 GiB
/// bound (the README has the measured figures).
#[cfg(target_os = "linux")]
#[test]
fn the_worst_body_within_the_limits_is_printed_in_bounded_memory() {
    let body = empty_objects((4 << 20) - 2);
    let server = RawServer::start(vec![ok_body(&body)]);
    let home = home();
    for (mode, env) in [("--verbose", "0"), ("--verbose", "1"), ("--raw", "0")] {
        let args = [
            "--url",
            &server.url,
            "--api-key",
            TEST_KEY,
            "--retry",
            "1",
            mode,
        ];
        // Reaped by `wait4` below, which also gives its peak memory.
        #[allow(clippy::zombie_processes)]
        let child = vast_command(&args, home.path())
            .args(["show", "api-keys"])
            .env("VAST_FORCE_TTY", env)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (mut status, mut usage) = (0, unsafe { std::mem::zeroed::<libc::rusage>() });
        let waited = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
        assert_eq!(waited, child.id() as i32);
        assert_eq!(libc::WEXITSTATUS(status), 0, "{mode} {env}");
        let peak_mib = usage.ru_maxrss / 1024;
        assert!(
            peak_mib < 600,
            "{mode} VAST_FORCE_TTY={env}: {peak_mib} MiB"
        );
    }
}

#[test]
fn a_huge_value_of_the_wrong_type_is_quoted_in_at_most_200_characters() {
    let body = format!(r#"{{"apikeys": [{{"id": "{}"}}]}}"#, "9".repeat(1 << 20));
    let server = RawServer::start(vec![ok_body(body.as_bytes())]);
    let (run, _) = show_api_keys(&server, &["--retry", "1"]);
    // The mismatch quotes the value in 40 characters, the body's excerpt in 200. The body,
    // which is JSON, is still shown (its one cell in full, in a pipe).
    assert_eq!(
        (run.code, run.stderr),
        (
            0,
            format!(
                "warning: the server's response (200 OK) is not what the API spec describes: \
                 `apikeys[0].id` is the string \"{}…, where the spec has an integer; body: \
                 {{\"apikeys\": [{{\"id\": \"{}…; printed as received\n",
                "9".repeat(38),
                "9".repeat(179)
            )
        )
    );
    assert_eq!(
        run.stdout.len(),
        (1 << 20) + 5,
        "the id and four empty cells, then a newline"
    );
}

#[cfg(unix)]
#[test]
fn set_api_key_reads_the_key_from_stdin_keeping_it_out_of_the_process_list() {
    use crate::support::vast_with_input;
    let home = home();
    let path = home.path().join(".config/vastai/vast_api_key");
    for args in [&["set", "api-key"][..], &["set", "api-key", "-"]] {
        let run = vast_with_input(args, &[], home.path(), Some(b"key-from-stdin-1\n"));
        assert_eq!(
            (run.code, run.stdout, run.stderr.as_str()),
            (0, format!("API key saved in {}\n", path.display()), "")
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "key-from-stdin-1");
    }
    let run = vast_with_input(&["set", "api-key"], &[], home.path(), Some(b"\n"));
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (3, "error: the API key from standard input is empty\n")
    );
    let run = vast_with_input(&["set", "api-key"], &[], home.path(), Some(&[b'k'; 10_000]));
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            3,
            "error: standard input holds more than 4 KiB, which is no API key\n\
             hint: pipe the key alone: vast set api-key < key.txt\n"
        )
    );
    // The saved key is still the good one.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "key-from-stdin-1");
}

#[test]
fn a_key_spelt_with_json_escapes_is_redacted_in_raw_output() {
    // TEST_KEY with its first `s` written as `\u0073`.
    let echoed = TEST_KEY.replacen('s', "\\u0073", 1);
    let body = format!(r#"{{"apikeys": [{{"id": 1, "rights": "{echoed}"}}]}}"#);
    let server = RawServer::start(vec![ok_body(body.as_bytes())]);
    let (run, _) = show_api_keys(&server, &["--raw"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            0,
            "{\"apikeys\": [{\"id\": 1, \"rights\": \"<redacted>\"}]}\n"
        )
    );
}

#[test]
fn characters_that_act_on_a_terminal_never_reach_it() {
    let text = r#"a\u009b31m\u007f\u202e\u2066\u200f\u2028\u200b\ufeffb"#;
    // Two lists: not a table, so pretty JSON, where they are escapes.
    let body = format!(r#"{{"apikeys": [{{"rights": "{text}"}}], "x": []}}"#);
    let server = RawServer::start(vec![ok_body(body.as_bytes())]);
    let (run, _) = show_api_keys(&server, &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            0,
            "{\n  \"apikeys\": [\n    {\n      \"rights\": \"a\\u009b31m\\u007f\\u202e\\u2066\\u200f\\u2028\\u200b\\ufeffb\"\n    }\n  ],\n  \"x\": []\n}\n"
        )
    );
    // In a table, spaces.
    let body = format!(r#"{{"apikeys": [{{"id": 1, "rights": "{text}"}}]}}"#);
    let server = RawServer::start(vec![ok_body(body.as_bytes())]);
    let (run, _) = show_api_keys(&server, &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "1\t\ta 31m       b\t\t\n")
    );
    // In a message, spaces too.
    let body = format!(r#"{{"msg": "{text}"}}"#);
    let server = RawServer::start(vec![Reply::json(400, &body)]);
    let (run, _) = show_api_keys(&server, &[]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            5,
            "error: the server refused the request (400 Bad Request): a 31m       b\n"
        )
    );
}

/// `show api-keys` against a server that answers every request with `head` and no body.
fn answered_with(head: &str) -> (crate::support::Run, RawServer) {
    let server = RawServer::start(vec![Reply::Raw(head.as_bytes().to_vec())]);
    let (run, _) = show_api_keys(&server, &["--retry", "1"]);
    (run, server)
}

#[test]
fn redirects_that_cannot_be_followed_are_the_servers_failure_each_named() {
    let (run, server) =
        answered_with("HTTP/1.1 302 Found\r\nlocation: /again\r\ncontent-length: 0\r\n\r\n");
    assert_eq!(
        (run.code, run.stderr),
        (
            1,
            format!(
                "error: the server at {} answered with a redirect that was not followed: more than 10 redirects\n",
                server.url
            )
        )
    );
    let (run, server) = answered_with(
        "HTTP/1.1 302 Found\r\nlocation: ftp://example.com/x\r\ncontent-length: 0\r\n\r\n",
    );
    assert_eq!(
        (run.code, run.stderr),
        (
            1,
            format!(
                "error: the server at {} answered with a redirect that was not followed: \
                 a redirect to a URL that is neither http:// nor https://: ftp://example.com/x\n",
                server.url
            )
        )
    );
    let (run, _) = answered_with(
        "HTTP/1.1 302 Found\r\nlocation: file:///etc/passwd\r\ncontent-length: 0\r\n\r\n",
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: the server answered 302 Found, a redirect that was not followed: \
             its Location is missing or not an http:// or https:// URL\n"
        )
    );
    // A redirect to a host that refuses: that host is named, not the one in --url.
    let (run, server) = answered_with(
        "HTTP/1.1 302 Found\r\nlocation: http://127.0.0.2:1/x\r\ncontent-length: 0\r\n\r\n",
    );
    assert_eq!(run.code, 7);
    assert_starts_with(
        &run.stderr,
        &format!(
            "error: cannot connect to http://127.0.0.2:1 (where {} redirected the call): ",
            server.url
        ),
    );
}

#[test]
fn a_malformed_response_head_is_the_servers_failure_not_the_networks() {
    for (head, why) in [
        (
            "HTTP/1.1 200 OK\r\ncontent-length: abc\r\n\r\n{}".to_string(),
            "invalid content-length parsed",
        ),
        (
            format!(
                "HTTP/1.1 200 OK\r\nx: {}\r\ncontent-length: 2\r\n\r\n{{}}",
                // Well over hyper's limit (about 400 KiB): one read can take up to that much,
                // so a head under twice the limit may arrive whole before the check.
                "a".repeat(2_000_000)
            ),
            "message head is too large",
        ),
    ] {
        let (run, server) = answered_with(&head);
        assert_eq!(
            (run.code, run.stderr),
            (
                1,
                format!(
                    "error: the response from {} is not valid HTTP: {why}\n",
                    server.url
                )
            )
        );
    }
}

#[test]
fn a_server_url_that_only_looks_valid_is_a_usage_error() {
    let run = show_api_keys_at("http://127.0.0.1:1 ", &[], &[]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: invalid server URL `http://127.0.0.1:1 `: it contains spaces or control characters (expected e.g. https://console.vast.ai)\n"
        )
    );
    let long = format!("http://127.0.0.1:1/{}", "a".repeat(100_000));
    let run = show_api_keys_at(&long, &[], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(
            ": it is longer than 8192 characters (expected e.g. https://console.vast.ai)\n"
        ) && run.stderr.len() < 300,
        "{}",
        &run.stderr[..300.min(run.stderr.len())]
    );
}

#[test]
fn retry_after_values_read_one_way() {
    // Beyond any integer: the longest wait there is, so the call ends at once.
    let server = RawServer::start(vec![Reply::Json(
        429,
        r#"{"detail": "later"}"#.into(),
        vec!["retry-after: 99999999999999999999999".into()],
    )]);
    let (run, took) = show_api_keys(&server, &[]);
    assert_eq!(
        (run.code, run.stderr.lines().next().unwrap()),
        (
            6,
            "error: rate limited by the server (429 Too Many Requests): later \
             (gave up: the server asked to wait longer than can be counted before retrying, more than the 60 s limit)"
        )
    );
    assert_eq!(server.requests().len(), 1);
    assert!(took < Duration::from_secs(3), "{took:?}");
    // Zero: again at once. Negative and fractional values are no value: the backoff applies.
    for (value, at_least) in [("0", 0), ("-5", 200), ("1.5", 200)] {
        let server = RawServer::start(vec![
            Reply::Json(503, "{}".into(), vec![format!("retry-after: {value}")]),
            Reply::json(200, KEYS),
        ]);
        let (run, took) = show_api_keys(&server, &[]);
        assert_eq!((run.code, server.requests().len()), (0, 2), "{value}");
        assert!(
            took >= Duration::from_millis(at_least) && took < Duration::from_secs(3),
            "{value}: {took:?}"
        );
    }
}

/// `vast set api-key` on a terminal (a pseudo-terminal here): `type_in` is sent once the echo
/// is off, then `signal` if given. Gives the exit code as a shell shows it (128 + N for a process
/// ended by signal N), what the terminal showed, and whether the echo is back on.
#[cfg(target_os = "linux")]
pub(crate) fn set_api_key_on_a_terminal(
    home: &std::path::Path,
    type_in: &[u8],
    signal: Option<libc::c_int>,
) -> (i32, String, bool) {
    use std::io::{Read, Write};
    use std::os::fd::FromRawFd;
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes the two descriptors it opens; the others may be null.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(opened, 0);
    // SAFETY: both descriptors were just opened and are owned here alone.
    let (mut terminal, slave) = unsafe {
        (
            std::fs::File::from_raw_fd(master),
            std::fs::File::from_raw_fd(slave),
        )
    };
    let echo_on = |fd| {
        // SAFETY: tcgetattr writes the termios given, for an open descriptor.
        let mut settings: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut settings) }, 0);
        settings.c_lflag & libc::ECHO != 0
    };
    let mut command = vast_command(&["set", "api-key"], home);
    command
        .stdin(slave.try_clone().unwrap())
        .stderr(slave.try_clone().unwrap())
        .stdout(Stdio::null());
    // A session of its own with the terminal as its controlling one, as a shell gives: else
    // Ctrl-C there signals nobody.
    // SAFETY: setsid and ioctl are async-signal-safe, as code between fork and exec must be.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, || {
            libc::setsid();
            libc::ioctl(libc::STDIN_FILENO, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let child = command.spawn().unwrap();
    // The terminal's other end must be closed everywhere but in the child, or reading what
    // it showed never ends.
    drop(command);
    let deadline = Instant::now() + Duration::from_secs(20);
    while echo_on(master) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    terminal.write_all(type_in).unwrap();
    if let Some(signal) = signal {
        // SAFETY: kill only sends the signal, to the child still running.
        assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
    }
    let output = crate::support::finished(child, Duration::from_secs(20));
    drop(slave);
    let echo_back = echo_on(master);
    let mut shown = Vec::new();
    let _ = terminal.read_to_end(&mut shown); // ends with EIO once the child is gone
    let signalled = std::os::unix::process::ExitStatusExt::signal(&output.status);
    (
        output
            .status
            .code()
            .or(signalled.map(|n| 128 + n))
            .unwrap_or(-1),
        String::from_utf8_lossy(&shown).into_owned(),
        echo_back,
    )
}

#[cfg(target_os = "linux")]
#[test]
fn set_api_key_on_a_terminal_hides_the_typing_and_ctrl_c_gives_the_echo_back() {
    let home = home();
    let (code, shown, echo) = set_api_key_on_a_terminal(home.path(), b"key-typed-4242\n", None);
    assert_eq!(
        (code, shown.as_str(), echo),
        (
            0,
            "Paste the API key (it is not shown), then press Enter: \r\n",
            true
        )
    );
    let path = home.path().join(".config/vastai/vast_api_key");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "key-typed-4242");
    let (code, shown, echo) = set_api_key_on_a_terminal(home.path(), b"key-\x03", None);
    assert_eq!(
        (code, shown.as_str(), echo),
        (
            130,
            "Paste the API key (it is not shown), then press Enter: \r\nerror: interrupted\r\n",
            true
        )
    );
}
