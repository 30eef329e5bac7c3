//! `vast search offers` as a Vast.ai user types it: the request that goes out means what the
//! same line means to the vendor's `vastai` (units, its field names, versions, `-o`), the spec's
//! default conditions hold whatever the body comes from, and a value that cannot mean what it
//! says is refused before anything is sent.

use serde_json::{Value, json};

use crate::support::{Recorder, Run, home};

/// Runs `vast search offers ARGS…` against `server`; the run, and the bodies the server received
/// during it.
fn search(server: &Recorder, args: &[&str]) -> (Run, Vec<Value>) {
    let mut words = vec!["search", "offers"];
    words.extend_from_slice(args);
    let (run, requests) = server.run(&words);
    for (method, path, _) in &requests {
        assert_eq!(
            (method.as_str(), path.as_str()),
            ("POST", "/api/v0/bundles")
        );
    }
    (run, requests.into_iter().map(|(.., body)| body).collect())
}

/// The line `vastai search offers` documents, with its units, names and sort order, goes out
/// as `vastai` 1.9.1 sends it (checked against a logging server): GB and days converted to the
/// API's MB and seconds, `dph` as `dph_total`, a driver version as one number, and `-o` as
/// [field, direction] pairs. `vastai` also sends `external=false`, `type` and
/// `allocated_storage` by default, where `vast` sends the spec's defaults (README).
#[test]
fn a_vastai_query_means_what_it_means_to_vastai() {
    let server = Recorder::start(r#"{"offers": []}"#);
    let (run, bodies) = search(
        &server,
        &[
            "gpu_ram>=24 dph<1.5 duration>=3 cuda_vers>=12.1 driver_version>=535.86.05",
            "-o",
            "dph,num_gpus-",
            "--raw",
        ],
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        bodies,
        [json!({
            "rentable": {"eq": true}, "rented": {"eq": false}, "verified": {"eq": true},
            "gpu_ram": {"gte": 24000}, "dph_total": {"lt": 1.5}, "duration": {"gte": 259_200},
            "cuda_max_good": {"gte": 12.1}, "driver_version": {"gte": 535_086_005},
            "order": [["dph_total", "asc"], ["num_gpus", "desc"]]
        })]
    );
}

/// A unit written after a number converts to the API's; a bare number for a field without a
/// `vastai` reading is in the API's unit.
#[test]
fn units_convert_to_the_api_s() {
    let server = Recorder::start(r#"{"offers": []}"#);
    let (run, bodies) = search(
        &server,
        &[
            "gpu_ram>=80GB gpu_total_ram<=640000MB duration>12h inet_down>=1GB/s disk_space>=100",
            "--raw",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body = &bodies[0];
    assert_eq!(
        [
            &body["gpu_ram"],
            &body["gpu_total_ram"],
            &body["duration"],
            &body["inet_down"],
            &body["disk_space"]
        ],
        [
            &json!({"gte": 80000}),
            &json!({"lte": 640_000}),
            &json!({"gt": 43200}),
            &json!({"gte": 1000}),
            &json!({"gte": 100})
        ]
    );
}

/// A body from `--json-body` keeps the spec's default conditions it does not set, as flags do;
/// `FIELD=any` drops one, and `-o` sets the order over the file's.
#[test]
fn a_body_file_keeps_the_default_conditions() {
    let dir = home();
    let file = dir.path().join("body.json");
    std::fs::write(
        &file,
        r#"{"rented": {"eq": true}, "order": [["score", "desc"]]}"#,
    )
    .unwrap();
    let server = Recorder::start(r#"{"offers": []}"#);
    let path = file.to_str().unwrap();
    let (run, bodies) = search(
        &server,
        &["--json-body", path, "rentable=any", "-o", "dph_total"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        bodies,
        [
            json!({"rented": {"eq": true}, "order": [["dph_total", "asc"]], "verified": {"eq": true}})
        ]
    );
}

/// A value that is not in the field's terms is refused, naming the field's unit and how to
/// write one, and nothing is sent.
#[test]
fn a_value_a_field_cannot_take_is_refused_before_sending() {
    let server = Recorder::start(r#"{"offers": []}"#);
    for (query, message) in [
        (
            "gpu_ram>=24GHz",
            "error: `gpu_ram>=24GHz` in the filter: gpu_ram is in MB; write a number with a \
             unit, as in 24GB or 512MB, or a bare number (GB)\n",
        ),
        (
            "gpu_ram>=24G",
            "error: `gpu_ram>=24G` in the filter: gpu_ram is in MB; write a number with a \
             unit, as in 24GB or 512MB, or a bare number (GB)\n",
        ),
        (
            "duration>=a_week",
            "error: `duration>=a_week` in the filter: duration is in seconds; write a number \
             with a unit, as in 7d, 12h or 30m, or a bare number (days)\n",
        ),
        (
            "dph_total<cheap",
            "error: `dph_total<cheap` in the filter: dph_total takes a number\n",
        ),
    ] {
        let (run, bodies) = search(&server, &[query]);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (2, "", message),
            "{query}"
        );
        assert!(bodies.is_empty(), "{query}: sent {bodies:?}");
    }
}
