//! Hostile output, second round (issue 23): what a server, a path or a URL from outside can make
//! `vast` write to a terminal; Ctrl-C while a write is blocked; the key echoed in encoded forms.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use vast_tests::TEST_KEY;
use vast_tests::raw_server::{RawServer, Reply};

use crate::support::{
    assert_starts_with, home, show_api_keys_at, show_api_keys_command, unused_url, vast,
    vast_with_input,
};

/// An answer with this status (`200 OK`) and this body, whatever it is.
fn answer(status: &str, body: &[u8]) -> Reply {
    let mut bytes = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    Reply::Raw(bytes)
}

/// `text` with JSON `\u00XX` escapes and `%XX` percent-encodings decoded: where a program
/// reading the output would find the key.
fn decoded(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let (hex, skip) = match c {
            '\\' if rest[1..].starts_with("u00") => (rest.get(4..6), 6),
            '%' => (rest.get(1..3), 3),
            _ => (None, 0),
        };
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b) if b.is_ascii() => {
                out.push(b as char);
                rest = &rest[skip..];
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The key is in neither output, in no spelling.
#[track_caller]
fn assert_no_key(run: &crate::support::Run) {
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(
            !decoded(text).contains(TEST_KEY),
            "the key, encoded, reached {name}:\n{text}"
        );
    }
}

/// TEST_KEY with its first `s` written as a JSON escape.
fn key_escaped() -> String {
    TEST_KEY.replacen('s', "\\u0073", 1)
}

/// TEST_KEY with its first `s` and `-` percent-encoded.
fn key_percent_encoded() -> String {
    TEST_KEY.replacen('s', "%73", 1).replacen('-', "%2D", 1)
}

// Class 7: `--raw` to a terminal.

#[test]
fn raw_output_on_a_terminal_escapes_what_acts_on_it_and_a_pipe_gets_the_bytes() {
    // JSON allows C1 and bidirectional controls in a string as they are.
    let json = "{\"apikeys\": [{\"id\": 1, \"rights\": \"a\u{9b}31m\u{202e}b\u{2066}\"}]}";
    // Not JSON: an OSC 52 clipboard write, a title, a carriage return over the line.
    let other = "\x1b]52;c;ZWNobyBoaQ==\x07\x1b]0;pwned\x07\rvast: ok\r\n";
    for (body, on_terminal) in [
        (
            json,
            "{\"apikeys\": [{\"id\": 1, \"rights\": \"a\\u009b31m\\u202eb\\u2066\"}]}\n",
        ),
        (
            other,
            "\\u001b]52;c;ZWNobyBoaQ==\\u0007\\u001b]0;pwned\\u0007\\u000dvast: ok\r\n",
        ),
    ] {
        let server = RawServer::start(vec![answer("200 OK", body.as_bytes())]);
        let run = show_api_keys_at(&server.url, &["--raw"], &[("VAST_FORCE_TTY", "1")]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, on_terminal),
            "{body:?}"
        );
        let run = show_api_keys_at(&server.url, &["--raw"], &[]);
        let exact = match body.ends_with('\n') {
            true => body.to_string(),
            false => format!("{body}\n"),
        };
        assert_eq!((run.code, run.stdout), (0, exact), "{body:?}");
    }
}

// Class 9: Ctrl-C while a write is blocked.

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_ends_a_write_blocked_on_a_pipe_nobody_reads_at_once() {
    // Far more than a pipe holds (64 KiB).
    let body = format!(r#"{{"apikeys": [], "x": "{}"}}"#, "a".repeat(4 << 20));
    let server = RawServer::start(vec![answer("200 OK", body.as_bytes())]);
    let home = home();
    let mut child = show_api_keys_command(&server.url, &["--raw"], home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Nobody reads stdout: once the pipe is full, vast's write blocks.
    let unread = child.stdout.take().unwrap();
    let pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.requests().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Until the write blocks, where the kernel says so; else long enough for it to.
    let blocked =
        || std::fs::read_to_string(format!("/proc/{pid}/wchan")).is_ok_and(|w| w == "pipe_write");
    let settling = Instant::now();
    while !blocked() && settling.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Instant::now();
    // SAFETY: signals a child of this test, still running.
    assert_eq!(unsafe { libc::kill(pid as i32, libc::SIGINT) }, 0);
    let mut status = None;
    while status.is_none() && sent.elapsed() < Duration::from_secs(5) {
        status = child.try_wait().unwrap();
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = sent.elapsed();
    // Only now does the reader go away: too late to make the output look complete.
    drop(unread);
    let output = crate::support::finished(child, Duration::from_secs(10));
    assert!(took < Duration::from_secs(1), "Ctrl-C took {took:?}");
    assert_eq!(
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).as_ref()
        ),
        (Some(130), "error: interrupted\n")
    );
}

/// A Ctrl-C that comes while the body is decoded, between the call's last wait (where the runtime
/// acts on it) and the output, stops the output before it starts: it must not be printed whole
/// and end as a success.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_while_a_body_is_decoded_stops_the_output_before_it_starts() {
    use std::io::{BufRead, Write};
    // 4 Mi empty objects: a 12 MiB body that takes a while to decode.
    let n = (4 << 20) - 2;
    let mut body = b"{\"apikeys\": [".to_vec();
    body.extend(std::iter::repeat_n(&b"{},"[..], n).flatten());
    body.pop();
    body.extend_from_slice(b"]}");
    // A server of its own, to know when the whole answer is sent and where from.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (sent, sent_rx) = std::sync::mpsc::channel();
    let answer = body.clone();
    std::thread::spawn(move || {
        let (mut stream, client) = listener.accept().unwrap();
        let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            answer.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&answer).unwrap();
        sent.send(client).unwrap();
        // Open until vast is done.
        let _ = reader.read_line(&mut line);
    });
    let home = home();
    let child = show_api_keys_command(&url, &["--raw"], home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let client = sent_rx.recv_timeout(Duration::from_secs(60)).unwrap();
    // The bytes received on vast's end of the connection that it has not read yet
    // (/proc/net/tcp's rx_queue, by its local address): none, and the body is in vast's hands.
    let port = format!(":{:04X}", client.port());
    let unread = || {
        let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
        table
            .lines()
            .find(|l| {
                l.split_whitespace()
                    .nth(1)
                    .is_some_and(|a| a.ends_with(port.trim_end()))
            })
            .and_then(|l| {
                l.split_whitespace()
                    .nth(4)?
                    .split(':')
                    .nth(1)
                    .map(String::from)
            })
            .and_then(|q| usize::from_str_radix(&q, 16).ok())
            .unwrap_or(0)
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while unread() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    // SAFETY: signals a child of this test, still running.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let output = crate::support::finished(child, Duration::from_secs(30));
    assert_eq!(
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).as_ref(),
            output.stdout.len()
        ),
        (Some(130), "error: interrupted\n", 0)
    );
}

// Class 10: the key in encoded forms.

#[test]
fn a_key_spelt_with_escapes_is_redacted_in_raw_output_however_the_body_starts() {
    // An escaped newline and a stray quote first: a scanner of JSON strings would pair the
    // quotes wrongly and read the key as outside any string.
    let body = format!(r#"\n" "{}" "{}""#, key_escaped(), key_percent_encoded());
    let server = RawServer::start(vec![answer("200 OK", body.as_bytes())]);
    let run = show_api_keys_at(&server.url, &["--raw"], &[]);
    assert_no_key(&run);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "\\n\" \"<redacted>\" \"<redacted>\"\n")
    );
    assert_starts_with(
        &run.stderr,
        "warning: the server's response (200 OK) is not what the API spec describes: ",
    );
    assert!(
        run.stderr
            .ends_with("body: \\n\" \"<redacted>\" \"<redacted>\"; printed as received\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_key_spelt_with_escapes_is_redacted_in_error_excerpts() {
    let body = format!(
        "<html>{} and {}</html>",
        key_escaped(),
        key_percent_encoded()
    );
    let server = RawServer::start(vec![answer("502 Bad Gateway", body.as_bytes())]);
    let run = show_api_keys_at(&server.url, &["--retry", "1"], &[]);
    assert_no_key(&run);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: the server answered 502 Bad Gateway: <html><redacted> and <redacted></html>\n"
        )
    );
}

#[test]
fn a_refused_redirect_is_quoted_with_a_percent_encoded_key_redacted() {
    let head = format!(
        "HTTP/1.1 302 Found\r\nlocation: ftp://example.com/?k={}\r\ncontent-length: 0\r\n\r\n",
        key_percent_encoded()
    );
    let server = RawServer::start(vec![Reply::Raw(head.into_bytes())]);
    let run = show_api_keys_at(&server.url, &["--retry", "1"], &[]);
    assert_no_key(&run);
    assert_eq!(
        (run.code, run.stderr),
        (
            1,
            format!(
                "error: the server at {} answered with a redirect that was not followed: \
                 a redirect to a URL that is neither http:// nor https://: ftp://example.com/?k=<redacted>\n",
                server.url
            )
        )
    );
}

#[test]
fn a_usage_error_never_quotes_the_key_whatever_its_source() {
    let home = home();
    let file = home.path().join(".vast_api_key");
    std::fs::write(&file, format!("{TEST_KEY}\n")).unwrap();
    for stray in [TEST_KEY.to_string(), key_percent_encoded(), key_escaped()] {
        // From the key file, from VAST_API_KEY, and given with --api-key.
        for (env, args) in [
            (vec![], vec![]),
            (vec![("VAST_API_KEY", TEST_KEY)], vec![]),
            (vec![], vec!["--api-key", TEST_KEY]),
        ] {
            let mut all = args.clone();
            all.extend(["show", "api-keys", stray.as_str()]);
            let run = vast(&all, &env, home.path());
            assert_no_key(&run);
            assert_eq!(run.code, 2, "{stray} {env:?} {args:?}");
            assert_starts_with(
                &run.stderr,
                "error: unexpected argument '<redacted>' found\n",
            );
        }
    }
}

// Class 11: paths and URLs from outside.

/// What an attacker puts in a path or URL: a title change (ESC … BEL), a right-to-left override,
/// and a line that forges one of `vast -v`'s.
const FORGED: &str = "\x1b]0;t\x07\u{202e}\nvast: server https://console.vast.ai";
/// [`FORGED`] as messages show it.
const FORGED_SHOWN: &str = "\\u{1b}]0;t\\u{7}\\u{202e}\\u{a}vast: server https://console.vast.ai";

/// A home of its own whose path ends in [`FORGED`]: the temporary folder, and the home in it.
fn forged_home() -> (tempfile::TempDir, PathBuf) {
    let dir = home();
    let path = dir.path().join(FORGED);
    std::fs::create_dir_all(&path).unwrap();
    (dir, path)
}

#[cfg(unix)]
#[test]
fn a_home_path_is_shown_escaped_in_the_warning_v_and_the_401_hint() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, forged) = forged_home();
    let file = forged.join(".vast_api_key");
    std::fs::write(&file, TEST_KEY).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let server = RawServer::start(vec![Reply::json(401, r#"{"msg": "bad key"}"#)]);
    let run = vast(
        &["-v", "--url", &server.url, "show", "api-keys"],
        &[],
        &forged,
    );
    let shown = format!("{}/{FORGED_SHOWN}/.vast_api_key", dir.path().display());
    assert!(
        shown.chars().count() <= 100,
        "{shown}: cut, the test must change"
    );
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with("vast: 401"))
        .collect();
    let expected = [
        format!(
            "warning: the key file {shown} can be read by other users (mode 644); fix: chmod 600 {shown}"
        ),
        format!("vast: API key from the key file {shown}"),
        format!("vast: server {}", server.url),
        "error: the server rejected the API key (401 Unauthorized): bad key".into(),
        format!(
            "hint: check the key from the key file {shown}; keys are managed at https://cloud.vast.ai/manage-keys/"
        ),
    ];
    assert_eq!(
        (run.code, lines),
        (4, expected.iter().map(String::as_str).collect())
    );
}

#[test]
fn set_api_key_shows_the_config_path_escaped() {
    let (dir, forged) = forged_home();
    let run = vast_with_input(
        &["set", "api-key"],
        &[("XDG_CONFIG_HOME", forged.to_str().unwrap())],
        dir.path(),
        Some(b"key-typed-12345678\n"),
    );
    let shown = format!(
        "{}/{FORGED_SHOWN}/vastai/vast_api_key",
        dir.path().display()
    );
    assert!(
        shown.chars().count() <= 100,
        "{shown}: cut, the test must change"
    );
    assert_eq!(
        (run.code, run.stdout, run.stderr.as_str()),
        (0, format!("API key saved in {shown}\n"), "")
    );
}

#[test]
fn a_server_url_is_shown_escaped_in_v_and_errors() {
    let url = format!("http://127.0.0.1:1/{FORGED}");
    let run = vast(
        &[
            "-v",
            "--url",
            &url,
            "--api-key",
            TEST_KEY,
            "show",
            "api-keys",
        ],
        &[],
        home().path(),
    );
    let shown = format!("http://127.0.0.1:1/{FORGED_SHOWN}");
    assert_eq!(
        (run.code, run.stderr),
        (
            2,
            format!(
                "vast: API key from --api-key\nvast: server {shown}\n\
                 error: invalid server URL `{shown}`: it contains spaces or control characters \
                 (expected e.g. https://console.vast.ai)\n"
            )
        )
    );
    // A URL the client accepts (U+202E is no control character) is named escaped too.
    let url = format!("{}/\u{202e}x", unused_url());
    let run = show_api_keys_at(&url, &["--retry", "1"], &[]);
    assert_eq!(run.code, 7);
    assert_starts_with(
        &run.stderr,
        &format!(
            "error: cannot connect to {}: ",
            url.replace('\u{202e}', "\\u{202e}")
        ),
    );
}

#[test]
fn a_huge_home_gives_short_messages() {
    let huge = format!("/{}", "a".repeat(100_000));
    // The system refuses so long a path: the first key file cannot be read.
    let run = vast(&["show", "api-keys"], &[], Path::new(&huge));
    assert_eq!(
        (run.code, run.stderr),
        (
            3,
            format!(
                "error: cannot read the key file /{}…{}/.config/vastai/vast_api_key: File name too long (os error 36)\n",
                "a".repeat(58),
                "a".repeat(12),
            )
        )
    );
    let run = vast_with_input(
        &["set", "api-key"],
        &[],
        Path::new(&huge),
        Some(b"key-typed-12345678\n"),
    );
    assert_eq!(run.code, 1);
    assert_starts_with(
        &run.stderr,
        &format!(
            "error: cannot save the key in /{}…{}/.config/vastai/vast_api_key: ",
            "a".repeat(58),
            "a".repeat(12)
        ),
    );
    assert!(run.stderr.len() < 300, "{} bytes", run.stderr.len());
}

/// A usage error quotes the argument it refuses: what in it acts on a terminal is shown
/// escaped, as every other value from outside is.
#[test]
fn a_usage_error_shows_the_argument_it_quotes_escaped() {
    let home = crate::support::home();
    let run = crate::support::vast(
        &["show", "api-keys", "a\u{202e}b\u{7}"],
        &[("VAST_FORCE_TTY", "1")],
        home.path(),
    );
    assert_eq!(run.code, 2);
    // The bidi control escaped; the BEL clap's plain text leaves out itself.
    assert_eq!(
        run.stderr,
        "error: unexpected argument 'a\\u{202e}b' found\n\n\
         Usage: vast show api-keys [OPTIONS]\n\n\
         For more information, try '--help'.\n"
    );
}
