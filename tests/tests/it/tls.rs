//! HTTPS against a local TLS server whose certificate comes from a CA made for the test: it works
//! when the CA is passed the way a corporate CA is (`SSL_CERT_FILE`), and fails cleanly when not.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use vast_tests::TEST_KEY;

use crate::support::{home, show_api_keys_at};

pub(crate) struct TlsServer {
    pub(crate) url: String,
    pub(crate) ca_pem: String,
}

/// The server's side of one connection, once the request head is read.
pub(crate) type Tls = rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>;

/// Serves one JSON list, over TLS, for `localhost`, with a certificate signed by a new CA.
pub(crate) fn start() -> TlsServer {
    start_answering(|tls| {
        let body = r#"{"apikeys": [{"id": 1, "user_id": 2, "rights": "read"}]}"#;
        let _ = write!(
            tls,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
    })
}

/// As [`start`], each connection answered by `answer`, then closed.
pub(crate) fn start_answering(answer: fn(&mut Tls)) -> TlsServer {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "vast-api test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![leaf.der().clone()],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
    )
    .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let Ok(connection) = rustls::ServerConnection::new(config.clone()) else {
                continue;
            };
            let mut tls = rustls::StreamOwned::new(connection, stream);
            let mut reader = BufReader::new(&mut tls);
            let mut line = String::new();
            // Read the request head; a failed handshake ends here.
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            answer(&mut tls);
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    });
    TlsServer {
        url: format!("https://localhost:{port}"),
        ca_pem: ca.pem(),
    }
}

#[test]
fn https_works_with_a_ca_given_by_ssl_cert_file() {
    let server = start();
    let home = home();
    let ca = home.path().join("ca.pem");
    std::fs::write(&ca, &server.ca_pem).unwrap();
    let run = show_api_keys_at(&server.url, &[], &[("SSL_CERT_FILE", ca.to_str().unwrap())]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "1\t2\tread\t\t\n", "")
    );
}

#[test]
fn an_unknown_ca_is_refused_with_a_clear_error() {
    let server = start();
    let run = show_api_keys_at(&server.url, &["--retry", "1"], &[]);
    assert_eq!(run.code, 7, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with(&format!("error: cannot connect to {}: ", server.url)),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with(
            "\nhint: the server's certificate is not trusted here: put a private CA's certificate in SSL_CERT_FILE\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(TEST_KEY));
}

#[test]
fn https_to_a_plain_http_server_says_so() {
    let server = httpmock::MockServer::start();
    let url = server.base_url().replace("http://", "https://");
    let run = show_api_keys_at(&url, &["--retry", "1"], &[]);
    assert_eq!(run.code, 7, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!("error: cannot connect to {url}: "))
            && run.stderr.ends_with(
                "\nhint: the TLS handshake failed: if the server speaks plain HTTP, use an http:// URL\n"
            ),
        "{}",
        run.stderr
    );
}
