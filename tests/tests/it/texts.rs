//! Text arguments as files: `@PATH` for any body field's text, a key's file whatever type the
//! library gives the field, `vastai`'s file flags refused when given a path without `@`, and the
//! limits the spec's notes set, each checked on the request that goes out (or that none does).

use serde_json::json;

use crate::support::{Recorder, home};

/// `attach ssh-key`'s `ssh_key` is a newtype in the library (`minLength: 1`); it reads `@PATH`
/// and a bare path like every key field, and an empty key is still refused.
#[test]
fn a_key_field_of_any_type_reads_its_file() {
    let dir = home();
    let key = dir.path().join("id.pub");
    std::fs::write(&key, "ssh-ed25519 AAAAC3Nz me@host\n").unwrap();
    let key = key.to_str().unwrap();
    let server = Recorder::start(r#"{"success": true}"#);
    for given in [format!("@{key}"), key.to_string()] {
        let (run, requests) = server.run(&["attach", "ssh-key", "5", "--ssh-key", &given]);
        assert_eq!(run.code, 0, "{given}: {}", run.stderr);
        assert_eq!(
            requests,
            [(
                "POST".to_string(),
                "/api/v0/instances/5/ssh".to_string(),
                json!({"ssh_key": "ssh-ed25519 AAAAC3Nz me@host"})
            )],
            "{given}"
        );
    }
    let (run, requests) = server.run(&["attach", "ssh-key", "5", "--ssh-key", ""]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: invalid value for --ssh-key: shorter than 1 characters\n"
        )
    );
    assert!(requests.is_empty());
}

/// Any body field's text takes `@PATH`; `--onstart` names a file only with `@` (`vastai`'s
/// `--onstart FILE` reads the file, so a bare path is refused rather than sent as the script),
/// and a script over the 4048 characters the spec's notes allow is refused before sending.
#[test]
fn body_texts_read_files_and_onstart_keeps_to_the_notes() {
    let dir = home();
    let script = dir.path().join("setup.sh");
    std::fs::write(&script, "apt-get update\necho ready\n").unwrap();
    let script = script.to_str().unwrap();
    let big = dir.path().join("big.sh");
    std::fs::write(&big, "x".repeat(4049)).unwrap();
    let big = big.to_str().unwrap();
    let server = Recorder::start(r#"{"success": true, "new_contract": 7}"#);
    let onstart = format!("@{script}");
    let (run, requests) = server.run(&[
        "create",
        "instance",
        "42",
        "--onstart",
        &onstart,
        "--label",
        &onstart,
        "--raw",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = "apt-get update\necho ready";
    assert_eq!(
        requests,
        [(
            "PUT".to_string(),
            "/api/v0/asks/42".to_string(),
            json!({"label": text, "onstart": text})
        )]
    );
    let (run, requests) = server.run(&["create", "instance", "42", "--onstart", script]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            format!(
                "error: invalid value '{script}' for '--onstart <onstart>': it names a file, whose \
                 name would be sent as the text; write @{script} to send the file's contents\n\n\
                 For more information, try '--help'.\n"
            )
            .as_str()
        )
    );
    assert!(requests.is_empty());
    let too_long = format!("@{big}");
    let (run, requests) = server.run(&["create", "instance", "42", "--onstart", &too_long]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: --onstart is 4049 characters; the API takes at most 4048 characters (its \
             notes: gzip+base64 for longer scripts)\n"
        )
    );
    assert!(requests.is_empty());
}

/// A numeric flag whose description names its unit takes a value with a unit, converted to the
/// API's; a bare number is the API's unit, and a unit of another kind is refused.
#[test]
fn a_numeric_flag_with_a_unit_converts() {
    let server = Recorder::start(r#"{"success": true, "new_contract": 7}"#);
    let (run, requests) = server.run(&["create", "instance", "42", "--disk", "512MB", "--raw"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(requests[0].2, json!({"disk": 0.512}));
    let (run, requests) = server.run(&["create", "instance", "42", "--disk", "32", "--raw"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(requests[0].2, json!({"disk": 32.0}));
    let (run, requests) = server.run(&["create", "instance", "42", "--disk", "2h"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: invalid value '2h' for '--disk <disk>': write a number in GB, or one with a \
             unit, as in 24GB or 512MB\n\nFor more information, try '--help'.\n"
        )
    );
    assert!(requests.is_empty());
}
