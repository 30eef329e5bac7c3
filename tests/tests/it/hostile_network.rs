//! Hostile name resolution and framing: a system resolver that sends `localhost` elsewhere, a
//! name server that never answers (with `--timeout` and Ctrl-C), and chunked bodies whose framing
//! is not HTTP. The resolver tests run `vast` in namespaces of their own (`unshare`), with their
//! own /etc/hosts, /etc/nsswitch.conf and /etc/resolv.conf; where the machine cannot make them,
//! they say why and pass.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use vast_tests::TEST_KEY;
use vast_tests::raw_server::{RawServer, Reply};

use crate::support::{Run, finished, home, show_api_keys_at, vast_bin};

const KEYS: &str = r#"{"apikeys": [{"id": 1, "user_id": 2, "rights": "read"}]}"#;

/// Sets up the namespaces, then runs the command after the arguments `DIR NET`: the files in DIR
/// replace /etc's, and with NET set only loopback is up, with TEST-NET-1 (192.0.2.0/24) routed
/// into it, where packets to addresses that are not its own are dropped: a name server there
/// never answers, and nothing leaves the machine.
const SETUP: &str = r#"set -e
dir=$1 net=$2
shift 2
if [ -n "$net" ]; then
    ip link set lo up
    ip route add 192.0.2.0/24 dev lo
fi
for file in hosts nsswitch.conf resolv.conf; do
    mount --bind "$dir/$file" "/etc/$file"
done
exec "$@""#;

/// Where `vast` sees the system resolver the test wrote.
struct Isolated {
    dir: tempfile::TempDir,
    own_network: bool,
}

impl Isolated {
    /// Namespaces whose resolver reads these files; `None` (the reason printed) where the
    /// machine cannot make them.
    fn new(own_network: bool, hosts: &str, nsswitch: &str, resolv: &str) -> Option<Self> {
        let dir = home();
        for (name, text) in [
            ("hosts", hosts),
            ("nsswitch.conf", nsswitch),
            ("resolv.conf", resolv),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let isolated = Self { dir, own_network };
        let probe = isolated.command(&["true".as_ref()]).output();
        match probe {
            Ok(output) if output.status.success() => Some(isolated),
            Ok(output) => {
                eprintln!(
                    "skipped: cannot make namespaces with their own resolver files here: {}",
                    String::from_utf8_lossy(&output.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run unshare here: {e}");
                None
            }
        }
    }

    fn command(&self, program_and_args: &[&std::ffi::OsStr]) -> Command {
        // A user namespace: no root needed. `unshare` and `sh` exec what they run, so the
        // process is `vast` itself, for signals.
        let flags = if self.own_network { "-rmn" } else { "-rm" };
        let mut command = Command::new("unshare");
        command
            .args([flags, "sh", "-c", SETUP, "sh"])
            .arg(self.dir.path())
            .arg(if self.own_network { "1" } else { "" })
            .args(program_and_args)
            .env_clear()
            .env("HOME", self.dir.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// `vast ARGS…` started in the namespaces, with `env`.
    fn spawn(&self, args: &[&str], env: &[(&str, &str)]) -> Child {
        let mut all = vec![vast_bin().as_os_str()];
        all.extend(args.iter().map(std::ffi::OsStr::new));
        self.command(&all)
            .envs(env.iter().copied())
            .spawn()
            .unwrap()
    }

    /// `vast ARGS…` run in the namespaces, and how long it took.
    fn vast(&self, args: &[&str], env: &[(&str, &str)]) -> (Run, Duration) {
        vast_bin(); // built (the first time) before the clock starts
        let started = Instant::now();
        let run = Run::of(finished(self.spawn(args, env), Duration::from_secs(60)));
        (run, started.elapsed())
    }
}

/// The port of a server's URL.
fn port_of(server: &RawServer) -> &str {
    server.url.rsplit(':').next().unwrap()
}

#[test]
fn localhost_is_this_machine_whatever_the_system_resolver_says() {
    let server = RawServer::start(vec![Reply::json(200, KEYS)]);
    let port = port_of(&server);
    // Another machine to the client: a server that must never get the key.
    let Ok(elsewhere) =
        RawServer::start_at(&format!("127.0.0.2:{port}"), vec![Reply::json(200, KEYS)])
    else {
        eprintln!("skipped: 127.0.0.2:{port} is taken");
        return;
    };
    // A hosts file that sends the name elsewhere, as a DNS answer would where none lists it.
    let Some(isolated) = Isolated::new(false, "127.0.0.2 localhost\n", "hosts: files\n", "") else {
        return;
    };
    let url = format!("http://LocalHost:{port}");
    let (run, _) = isolated.vast(
        &["--url", &url, "--api-key", TEST_KEY, "show", "api-keys"],
        &[],
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "1\t2\tread\t\t\n", "")
    );
    assert_eq!(elsewhere.connections(), 0, "the key went to 127.0.0.2");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].contains(&format!("authorization: Bearer {TEST_KEY}")),
        "{}",
        requests[0]
    );
}

/// Namespaces with a network of their own, whose name server never answers. The system
/// resolver waits 30 s for it (its longest), so every limit of the client's comes first:
/// with the default 5 s, twice, the resolver's own 10 s raced the 10 s connect limit.
fn silent_name_server() -> Option<Isolated> {
    Isolated::new(
        true,
        "127.0.0.1 localhost\n",
        "hosts: files dns\n",
        "nameserver 192.0.2.53\noptions timeout:30 attempts:1\n",
    )
}

#[test]
fn a_name_lookup_that_never_ends_stops_at_the_timeout() {
    let Some(isolated) = silent_name_server() else {
        return;
    };
    let url = "http://api.example.test:1";
    let (run, took) = isolated.vast(
        &[
            "--url",
            url,
            "--allow-http",
            "--api-key",
            TEST_KEY,
            "--timeout",
            "2",
            "--retry",
            "1",
            "show",
            "api-keys",
        ],
        &[],
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            7,
            "error: no answer from http://api.example.test:1: timed out after 2 s\n\
             hint: raise --timeout, or check that the server is up\n"
        )
    );
    // The system resolver alone would take 30 s.
    assert!(took < Duration::from_millis(3500), "{took:?}");
}

#[test]
fn a_name_lookup_that_never_ends_is_a_connection_not_made_at_the_connect_limit() {
    let Some(isolated) = silent_name_server() else {
        return;
    };
    let (run, took) = isolated.vast(
        &[
            "--url",
            "http://api.example.test:1",
            "--allow-http",
            "--api-key",
            TEST_KEY,
            "--retry",
            "1",
            "show",
            "api-keys",
        ],
        &[],
    );
    // Not `no answer …: timed out after 30 s` (the whole attempt's limit, which had not passed):
    // nothing was sent.
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            7,
            "error: cannot connect to http://api.example.test:1: timed out after 10 s\n\
             hint: check --url (or VAST_URL) and the network\n"
        )
    );
    assert!(took < Duration::from_millis(11_500), "{took:?}");
}

#[test]
fn a_proxy_whose_name_never_resolves_stops_at_the_timeout() {
    let Some(isolated) = silent_name_server() else {
        return;
    };
    let (run, took) = isolated.vast(
        &[
            "--url",
            "https://api.example.test",
            "--api-key",
            TEST_KEY,
            "--timeout",
            "2",
            "--retry",
            "1",
            "show",
            "api-keys",
        ],
        &[("HTTPS_PROXY", "http://proxy.example.test:3128")],
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            7,
            "error: no answer from https://api.example.test through the proxy http://proxy.example.test:3128 (from HTTPS_PROXY): timed out after 2 s\n\
             hint: raise --timeout, or check that the server is up\n"
        )
    );
    assert!(took < Duration::from_millis(3500), "{took:?}");
}

#[test]
fn ctrl_c_in_a_name_lookup_ends_at_once() {
    let Some(isolated) = silent_name_server() else {
        return;
    };
    let mut child = isolated.spawn(
        &[
            "--url",
            "http://api.example.test:1",
            "--allow-http",
            "--api-key",
            TEST_KEY,
            "show",
            "api-keys",
        ],
        &[],
    );
    // Well into the lookup, which the system resolver would keep up for 10 s.
    std::thread::sleep(Duration::from_secs(1));
    assert!(child.try_wait().unwrap().is_none(), "vast ended early");
    let sent = Instant::now();
    // SAFETY: a signal to the child this test started and has not reaped.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let run = Run::of(finished(child, Duration::from_secs(30)));
    assert!(
        sent.elapsed() < Duration::from_secs(1),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (130, "error: interrupted\n")
    );
}

/// A 200 whose chunked body is framed as `body` says.
fn chunked(body: &str, extra_header: &str) -> RawServer {
    RawServer::start(vec![Reply::Raw(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n{extra_header}\r\n{body}"
        )
        .into_bytes(),
    )])
}

#[test]
fn malformed_chunked_framing_is_the_servers_failure_and_not_retried() {
    for (body, why) in [
        (
            "zz\r\n{}\r\n0\r\n\r\n".to_string(),
            "Invalid chunk size line: missing size digit",
        ),
        (
            "2zz\r\n{}\r\n0\r\n\r\n".into(),
            "Invalid chunk size line: Invalid Size",
        ),
        (
            "10000000000000000\r\n{}\r\n0\r\n\r\n".into(),
            "invalid chunk size: overflow",
        ),
        (
            format!("2;{}\r\n{{}}\r\n0\r\n\r\n", "e".repeat(20_000)),
            "chunk extensions over limit",
        ),
        (
            format!("2\r\n{{}}\r\n0\r\nx: {}\r\n\r\n", "t".repeat(20_000)),
            "chunk trailers bytes over limit",
        ),
        (
            format!("2\r\n{{}}\r\n0\r\n{}\r\n", "x: 1\r\n".repeat(200)),
            "chunk trailers count overflow",
        ),
    ] {
        let server = chunked(&body, "");
        // The default three attempts: an answer that is not HTTP is not asked for again.
        let run = show_api_keys_at(&server.url, &[], &[]);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr),
            (
                1,
                "",
                format!(
                    "error: the response from {} is not valid HTTP: {why}\n",
                    server.url
                )
            ),
            "{why}"
        );
        assert_eq!(server.requests().len(), 1, "{why}");
    }
}

#[test]
fn a_chunked_body_that_stops_early_still_broke_off() {
    let server = chunked("20\r\n{\"apikeys\": [", "connection: close\r\n");
    let run = show_api_keys_at(&server.url, &["--retry", "2"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr),
        (
            7,
            "",
            format!(
                "error: the response from {} (200 OK) broke off after 13 bytes: end of file before message length reached (after 2 attempts)\n",
                server.url
            )
        )
    );
    // Broke off, so a GET is asked for again.
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_tls_record_that_does_not_decrypt_is_the_networks_failure_not_bad_framing() {
    // rustls reports it as invalid data too, as hyper does bad framing; here it is the
    // connection that failed, so the body broke off.
    let server = crate::tls::start_answering(|tls| {
        let _ = write!(
            tls,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"apikeys\": ["
        );
        let _ = tls.flush();
        // Read by the client on its own, before the record that follows.
        std::thread::sleep(Duration::from_millis(300));
        // An application-data record that no key encrypted, as a tampering network would send.
        let _ = tls.sock.write_all(b"\x17\x03\x03\x00\x20");
        let _ = tls.sock.write_all(&[0x41; 32]);
    });
    let dir = home();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &server.ca_pem).unwrap();
    let run = show_api_keys_at(
        &server.url,
        &["--retry", "1"],
        &[("SSL_CERT_FILE", ca.to_str().unwrap())],
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr),
        (
            7,
            "",
            format!(
                "error: the response from {} (200 OK) broke off after 13 bytes: cannot decrypt peer's message\n",
                server.url
            )
        )
    );
}
