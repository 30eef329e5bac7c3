use serde_json::json;

use super::*;

fn op(summary: Option<&str>, id: Option<&str>) -> Value {
    let mut op = json!({"responses": {}});
    if let Some(summary) = summary {
        op["summary"] = json!(summary);
    }
    if let Some(id) = id {
        op["operationId"] = json!(id);
    }
    op
}

fn table(entries: &[(&str, &str, &str)]) -> Table {
    Table(
        entries
            .iter()
            .map(|(key, rust, cli)| {
                (
                    key.to_string(),
                    Entry {
                        rust: rust.to_string(),
                        cli: cli.split(' ').map(String::from).collect(),
                        params: vec!["id".to_string(); key.matches('{').count()],
                        // The operations here have no tag.
                        area: Some(areas::FALLBACK.to_string()),
                    },
                )
            })
            .collect(),
    )
}

/// (method name, command) of each operation, in document order.
fn names_of(naming: &Naming) -> Vec<(String, String)> {
    naming
        .operations
        .iter()
        .map(|n| (n.rust.clone(), n.words.join(" ")))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn new_operations_are_named_from_the_operation_id_and_the_summary() {
    let doc = json!({"paths": {
        "/api/v0/auth/apikeys/": {"get": op(Some("show api keys"), None)},
        "/api/v0/instances/": {"get": op(Some("show instances"), Some("listInstances"))},
    }});
    let naming = assign(&doc, &Table::default()).unwrap();
    assert_eq!(
        names_of(&naming),
        pairs(&[
            ("show_api_keys", "show api-keys"),
            ("list_instances", "show instances")
        ])
    );
    assert!(naming.notes.is_empty(), "{:?}", naming.notes);
    assert_eq!(
        naming.table.0.keys().collect::<Vec<_>>(),
        ["GET /api/v0/auth/apikeys", "GET /api/v0/instances"]
    );
}

#[test]
fn a_retitled_operation_keeps_its_names_and_the_new_command_is_an_alias() {
    let recorded = table(&[("GET /api/v0/auth/apikeys", "show_api_keys", "show api-keys")]);
    let doc = json!({"paths": {"/api/v0/auth/apikeys": {
        "get": op(Some("List User API Keys"), Some("listUserAPIKeys"))
    }}});
    let naming = assign(&doc, &recorded).unwrap();
    assert_eq!(
        names_of(&naming),
        pairs(&[("show_api_keys", "show api-keys")])
    );
    assert_eq!(naming.operations[0].aliases, [["list", "user-api-keys"]]);
    assert_eq!(naming.table, recorded);
    assert_eq!(
        naming.notes,
        [
            "paths./api/v0/auth/apikeys.get: kept the method `show_api_keys` (the spec suggests `list_user_api_keys`) and the command `vast show api-keys` (the spec suggests `vast list user-api-keys`, which runs it too) from names.toml"
        ]
    );
}

#[test]
fn identity_matches_across_trailing_slashes_and_parameter_names() {
    let recorded = table(&[
        (
            "DELETE /api/v0/auth/apikeys/{}",
            "delete_api_key",
            "delete api-key",
        ),
        ("GET /api/v0/auth/apikeys", "show_api_keys", "show api-keys"),
    ]);
    let doc = json!({"paths": {
        "/api/v0/auth/apikeys/{key_id}/": {"delete": op(Some("Delete API Key"), Some("deleteAPIKey"))},
        "/api/v0/auth/apikeys/": {"get": op(Some("show api keys"), None)},
    }});
    let naming = assign(&doc, &recorded).unwrap();
    assert_eq!(
        names_of(&naming),
        pairs(&[
            ("delete_api_key", "delete api-key"),
            ("show_api_keys", "show api-keys")
        ])
    );
    assert_eq!(naming.table, recorded);
}

#[test]
fn renamed_path_parameters_keep_their_recorded_names() {
    let recorded = table(&[(
        "GET /api/v0/instances/{}/ssh",
        "show_ssh_keys",
        "show ssh-keys",
    )]);
    let doc = json!({"paths": {
        "/api/v0/instances/{instance_id}/ssh": {"get": op(Some("show ssh keys"), None)},
    }});
    let naming = assign(&doc, &recorded).unwrap();
    assert_eq!(naming.operations[0].params, ["id"]);
    assert_eq!(
        naming.notes,
        [
            "paths./api/v0/instances/{instance_id}/ssh.get: kept the path parameter names `id` from names.toml; the spec now calls them `instance_id`"
        ]
    );
    assert_eq!(naming.table, recorded);
}

#[test]
fn a_summary_clash_falls_back_to_the_operation_id() {
    let doc = json!({"paths": {
        "/api/v0/ssh/": {"get": op(Some("show ssh keys"), None)},
        "/api/v0/instances/{id}/ssh/": {"get": op(Some("show ssh keys"), Some("getInstanceSshKeys"))},
    }});
    let naming = assign(&doc, &Table::default()).unwrap();
    assert_eq!(
        names_of(&naming),
        pairs(&[
            ("show_ssh_keys", "show ssh-keys"),
            ("get_instance_ssh_keys", "get instance-ssh-keys")
        ])
    );
    assert_eq!(
        naming.notes,
        [
            "paths./api/v0/instances/{id}/ssh/.get: the command `show ssh-keys` (from the summary) is taken by paths./api/v0/ssh/.get; named `get instance-ssh-keys` from the operationId"
        ]
    );
}

#[test]
fn without_an_operation_id_a_clash_falls_back_to_the_method_and_path() {
    let doc = json!({"paths": {
        "/api/v0/ssh/": {"get": op(Some("show ssh keys"), None)},
        "/api/v0/instances/{instance_id}/ssh/": {"get": op(Some("show ssh keys"), None)},
    }});
    let naming = assign(&doc, &Table::default()).unwrap();
    assert_eq!(
        names_of(&naming),
        pairs(&[
            ("show_ssh_keys", "show ssh-keys"),
            ("get_instances_ssh", "get instances-ssh")
        ])
    );
    assert_eq!(
        naming.notes,
        [
            "paths./api/v0/instances/{instance_id}/ssh/.get: the method name `show_ssh_keys` (from the summary) is taken by paths./api/v0/ssh/.get; named `get_instances_ssh` from the method and path",
            "paths./api/v0/instances/{instance_id}/ssh/.get: the command `show ssh-keys` (from the summary) is taken by paths./api/v0/ssh/.get; named `get instances-ssh` from the method and path",
        ]
    );
}

#[test]
fn when_every_candidate_is_taken_a_number_makes_the_name_unique() {
    let doc = json!({"paths": {
        "/things/": {"get": op(Some("show things"), None), "post": op(Some("get things"), None)},
        "/things": {"get": op(Some("show things"), None)},
    }});
    let naming = assign(&doc, &Table::default()).unwrap();
    assert_eq!(
        names_of(&naming),
        pairs(&[
            ("show_things", "show things"),
            ("get_things", "get things"),
            ("show_things_2", "show things-2"),
        ])
    );
    assert_eq!(naming.operations[2].identity, "GET /things #2");
    assert!(
        naming.notes.last().unwrap().ends_with(
            "; the command `get things` (from the method and path) is taken by paths./things/.post; named `show things-2` from the summary and a number"
        ),
        "{:?}",
        naming.notes
    );
}

#[test]
fn a_group_that_is_a_command_of_its_own_gets_a_one_word_number() {
    let doc = json!({"paths": {
        "/get": {"get": op(Some("get"), None)},
        "/things": {"get": op(Some("get things"), None)},
    }});
    let naming = assign(&doc, &Table::default()).unwrap();
    assert_eq!(
        names_of(&naming),
        pairs(&[("get", "get"), ("get_things", "get-things-2")])
    );
}

#[test]
fn names_the_cli_and_client_use_themselves_are_passed_over() {
    let doc = json!({"paths": {
        "/key": {"put": op(Some("set api key"), Some("new"))},
        "/reboot": {"post": op(Some("reboot"), None)},
        "/reboot/machine": {"post": op(Some("reboot machine"), None)},
    }});
    let naming = assign(&doc, &Table::default()).unwrap();
    assert_eq!(
        names_of(&naming),
        pairs(&[
            ("set_api_key", "new"),
            ("reboot", "reboot"),
            ("reboot_machine", "post reboot-machine"),
        ])
    );
    assert_eq!(
        naming.notes[0],
        "paths./key.put: the method name `new` (from the operationId) is taken by `Client::new`, which the client itself defines; named `set_api_key` from the summary"
    );
    assert!(
        naming.notes[1].contains(
            "the command `set api-key` (from the summary) is taken by the CLI's own `vast set api-key`"
        ),
        "{}",
        naming.notes[1]
    );
    // `reboot machine` would make `reboot` both a command and a group.
    assert!(
        naming.notes[2].contains(
            "the command `reboot machine` (from the summary) is taken by paths./reboot.post"
        ),
        "{}",
        naming.notes[2]
    );
}

#[test]
fn recorded_names_hold_against_new_operations() {
    let recorded = table(&[("GET /old", "show_things", "show things")]);
    let doc = json!({"paths": {
        "/new": {"get": op(Some("show things"), None)},
        "/old": {"get": op(Some("list old things"), None)},
    }});
    let naming = assign(&doc, &recorded).unwrap();
    assert_eq!(
        names_of(&naming),
        pairs(&[("get_new", "get new"), ("show_things", "show things")])
    );
    assert!(
        naming.notes[0].contains("is taken by paths./old.get (recorded in names.toml)"),
        "{:?}",
        naming.notes
    );
}

#[test]
fn an_operation_gone_from_the_spec_is_reported_and_dropped() {
    let recorded = table(&[
        ("GET /a", "show_a", "show a"),
        ("DELETE /gone/{}", "delete_gone", "delete gone"),
    ]);
    let doc = json!({"paths": {"/a": {"get": op(Some("show a"), None)}}});
    let naming = assign(&doc, &recorded).unwrap();
    assert_eq!(
        naming.notes,
        [
            "DELETE /gone/{}: no longer in the spec: `delete_gone` and `vast delete gone` are gone, and dropped from names.toml"
        ]
    );
    assert_eq!(naming.table.0.keys().collect::<Vec<_>>(), ["GET /a"]);
}

#[test]
fn a_table_that_gives_one_name_twice_is_refused() {
    let recorded = table(&[
        ("GET /a", "show_a", "show a"),
        ("GET /b", "show_a", "show b"),
    ]);
    let doc = json!({"paths": {"/a": {"get": op(None, None)}, "/b": {"get": op(None, None)}}});
    let err = assign(&doc, &recorded).unwrap_err();
    assert_eq!(
        err,
        "names.toml: [\"GET /b\"]: the method name `show_a` is also paths./a.get (recorded in names.toml): rename one in names.toml"
    );
}

#[test]
fn texts_that_give_no_usable_name_are_passed_over_and_said() {
    let doc = json!({"paths": {
        "/a": {"get": op(Some("Ünïcödé façade"), Some("type"))},
        "/b": {"get": op(Some("!!!"), Some("result"))},
        "/c": {"post": op(Some("help me"), None)},
    }});
    let naming = assign(&doc, &Table::default()).unwrap();
    assert_eq!(
        names_of(&naming),
        pairs(&[
            ("get_a", "type"),
            ("get_b", "result"),
            ("help_me", "post c")
        ])
    );
    assert_eq!(
        naming.notes,
        [
            "paths./a.get: the operationId gives no method name: `type` is a Rust keyword; the summary gives no method name: it has letters outside ASCII; named `get_a` from the method and path",
            "paths./a.get: the summary gives no command: it has letters outside ASCII; named `type` from the operationId",
            "paths./b.get: the method name `result` (from the operationId) is taken by `Result`, which the generated builders use; the summary gives no method name: it has no letters or digits; named `get_b` from the method and path",
            "paths./b.get: the summary gives no command: it has no letters or digits; named `result` from the operationId",
            "paths./c.post: the summary gives no command: `help me` has the word `help`, which clap keeps for its own help; named `post c` from the method and path",
        ]
    );
}

#[test]
fn a_name_the_rules_give_again_to_a_moved_operation_is_said_to_move() {
    let recorded = table(&[("POST /endptjobs", "create_endpoint", "create endpoint")]);
    let doc = json!({"paths": {"/api/v0/endptjobs": {"post": op(Some("create endpoint"), None)}}});
    let naming = assign(&doc, &recorded).unwrap();
    assert_eq!(
        naming.notes,
        [
            "POST /endptjobs: no longer in the spec; `create_endpoint` and `vast create endpoint` now call POST /api/v0/endptjobs, new to names.toml"
        ]
    );
}

#[test]
fn naming_is_deterministic() {
    let doc = json!({"paths": {"/a": {"get": op(Some("x"), None), "post": op(Some("x"), None)}}});
    assert_eq!(
        names_of(&assign(&doc, &Table::default()).unwrap()),
        names_of(&assign(&doc, &Table::default()).unwrap())
    );
}

#[test]
fn rust_names_are_what_progenitor_writes() {
    for good in ["show_api_keys", "get2_fa_status", "op_2fa_login"] {
        assert!(valid_rust_name(good), "{good}");
    }
    for bad in ["", "type", "Show", "show-keys", "2fa", "_", "_private"] {
        assert!(!valid_rust_name(bad), "{bad}");
    }
}

#[test]
fn command_names_follow_the_vendor_grammar() {
    for (summary, words) in [
        ("show api keys", vec!["show", "api-keys"]),
        ("show instances", vec!["show", "instances"]),
        ("create api-key", vec!["create", "api-key"]),
        ("show gpu metrics", vec!["show", "gpu-metrics"]),
        ("Reboot", vec!["reboot"]),
        ("show env-vars (beta)", vec!["show", "env-vars-beta"]),
        ("List User API Keys", vec!["list", "user-api-keys"]),
    ] {
        assert_eq!(command_words(summary), words, "{summary}");
    }
}

/// Areas through the whole of naming: a recorded area stays when the vendor renames the tag (as
/// Autoscaler became Serverless), a new operation gets its tag's kebab case, one without a tag
/// the fallback, and the table records each, so that the next update keeps them too.
#[test]
fn areas_are_recorded_and_stay_put_when_a_tag_is_renamed() {
    let mut recorded = table(&[("GET /api/v0/endptjobs", "show_endpoints", "show endpoints")]);
    // Recorded before the vendor renamed the tag.
    recorded.0.get_mut("GET /api/v0/endptjobs").unwrap().area = Some("autoscaler".into());
    let tagged = |summary: &str, tag: Option<&str>| {
        let mut op = op(Some(summary), None);
        if let Some(tag) = tag {
            op["tags"] = json!([tag, "Ignored"]);
        }
        op
    };
    let doc = json!({"paths": {
        "/api/v0/endptjobs/": {"get": tagged("show endpoints", Some("Serverless"))},
        "/api/v0/workergroups/": {"get": tagged("show workergroups", Some("Serverless"))},
        "/api/v0/network_volumes/": {"get": tagged("show network-volumes", Some("Network Volumes"))},
        "/api/v0/misc/": {"get": tagged("show misc", None)},
    }});
    let naming = assign(&doc, &recorded).unwrap();
    let areas: Vec<(&str, &str)> = naming
        .operations
        .iter()
        .map(|n| (n.rust.as_str(), n.area.as_str()))
        .collect();
    assert_eq!(
        areas,
        [
            ("show_endpoints", "autoscaler"),
            ("show_workergroups", "serverless"),
            ("show_network_volumes", "network-volumes"),
            ("show_misc", "other"),
        ]
    );
    assert_eq!(
        naming.notes,
        [
            "paths./api/v0/endptjobs/.get: area `autoscaler` as recorded in names.toml; the spec's tag `Serverless` would make it `serverless`"
        ]
    );
    let written = Table::parse(&naming.table.render()).unwrap();
    assert_eq!(
        written.0["GET /api/v0/endptjobs"].area.as_deref(),
        Some("autoscaler")
    );
    assert_eq!(written.0["GET /api/v0/misc"].area.as_deref(), Some("other"));
    // The next update reads the table `gen` wrote: every area stays, whatever the tags say now.
    let renamed = doc.to_string().replace("Serverless", "Endpoints");
    let again = assign(&serde_json::from_str(&renamed).unwrap(), &written).unwrap();
    assert_eq!(again.table, written);
}
