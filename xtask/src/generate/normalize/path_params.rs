//! Rule `path-params`: the builder's setter for a path parameter is named after it, so when the
//! vendor renames `{instance_id}` to `{id}` (the wire does not change: the value goes in the same
//! place) the recorded name is put back, in the path and in its parameter objects. Operations
//! of one path whose recorded names differ (the vendor merged `/a/{id}/` and `/a/{key}` into one
//! path) each get a path spelled their way: the same URL, one template each. A new name that
//! another parameter of the operation already has is not given; the spec's stays, and is
//! recorded.

use serde_json::{Map, Value, json};

use super::Change;
use crate::generate::names::Naming;
use crate::generate::openapi::{Location, METHODS, resolve};
use crate::generate::openapi::{path_params, with_params};

/// An operation moved to another spelling of its path: (spelling in the spec, spelling now,
/// method, names now).
type Moved = (String, String, &'static str, Vec<String>);

pub fn apply(doc: &mut Value, naming: &mut Naming, rewrites: &mut Vec<Change>) {
    let original = doc.clone();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let mut moved: Vec<Moved> = Vec::new();
    let entries = std::mem::take(paths);
    let taken_paths: Vec<String> = entries.keys().cloned().collect();
    for (path, item) in entries {
        let spec = path_params(&path);
        let at = Location::root().key("paths").key(path.as_str());
        let groups = groups(&item, &at, &spec, naming);
        if groups.iter().all(|(names, _)| *names == spec) {
            paths.insert(path, item);
            continue;
        }
        for (names, methods) in groups {
            let mut part = only(&item, &methods);
            let renamed = with_params(&path, &names);
            let pairs: Vec<(String, String)> = spec
                .iter()
                .cloned()
                .zip(names.iter().cloned())
                .filter(|(from, to)| from != to)
                .collect();
            let free = renamed == path
                || (!taken_paths.contains(&renamed) && !paths.contains_key(&renamed));
            let (key, names) = if free && rename(&mut part, &pairs, &original) {
                if !pairs.is_empty() {
                    rewrites.push(Change {
                        at: at.clone(),
                        what: renamed_note(&pairs, &renamed, &methods),
                    });
                }
                (renamed, names)
            } else {
                (path.clone(), spec.clone())
            };
            for method in &methods {
                moved.push((path.clone(), key.clone(), method, names.clone()));
            }
            merge_into(paths, key, part, &methods);
        }
    }
    record_moves(naming, moved);
}

/// The item's operations grouped by the names they should have, in method order.
fn groups(
    item: &Value,
    at: &Location,
    spec: &[String],
    naming: &Naming,
) -> Vec<(Vec<String>, Vec<&'static str>)> {
    let mut groups: Vec<(Vec<String>, Vec<&'static str>)> = Vec::new();
    for method in METHODS.into_iter().filter(|m| item.get(*m).is_some()) {
        let names = naming
            .of(&at.key(method))
            .map_or_else(|| spec.to_vec(), |n| n.params.clone());
        match groups.iter_mut().find(|(n, _)| *n == names) {
            Some((_, methods)) => methods.push(method),
            None => groups.push((names, vec![method])),
        }
    }
    groups
}

fn renamed_note(pairs: &[(String, String)], renamed: &str, methods: &[&str]) -> String {
    format!(
        "{} for {}, as names.toml names them: `{renamed}`",
        pairs
            .iter()
            .map(|(from, to)| format!("{{{from}}} is {{{to}}}"))
            .collect::<Vec<_>>()
            .join(", "),
        methods.join(", ")
    )
}

/// Puts the operations of `part` at `key`: operations that keep the spec's spelling share the
/// spec's item.
fn merge_into(paths: &mut Map<String, Value>, key: String, part: Value, methods: &[&str]) {
    match paths.get_mut(&key).and_then(Value::as_object_mut) {
        Some(existing) => {
            if let Some(part) = part.as_object() {
                for method in methods {
                    if let Some(op) = part.get(*method) {
                        existing.insert(method.to_string(), op.clone());
                    }
                }
            }
        }
        None => {
            paths.insert(key, part);
        }
    }
}

/// Each operation is found at its path's new spelling, and records the names its setters have.
fn record_moves(naming: &mut Naming, moved: Vec<Moved>) {
    for (from, to, method, names) in moved {
        let at = Location::root().key("paths").key(from.as_str()).key(method);
        if let Some(named) = naming.operations.iter_mut().find(|n| n.at == at) {
            named.at = Location::root().key("paths").key(to.as_str()).key(method);
            named.params = names;
            if let Some(entry) = naming.table.0.get_mut(&named.identity) {
                entry.params = named.params.clone();
            }
        }
    }
}

/// The path item with only these operations (and everything that is not an operation).
fn only(item: &Value, methods: &[&str]) -> Value {
    let Some(fields) = item.as_object() else {
        return item.clone();
    };
    let kept: Map<String, Value> = fields
        .iter()
        .filter(|(key, _)| !METHODS.contains(&key.as_str()) || methods.contains(&key.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(kept)
}

/// Renames the path parameters of the item and its operations (a shared `$ref` is copied in
/// first, so other paths keep theirs). False, changing nothing, when a new name is already
/// another parameter's.
fn rename(item: &mut Value, pairs: &[(String, String)], doc: &Value) -> bool {
    let lists = |item: &Value| -> Vec<Vec<Value>> {
        std::iter::once(item.get("parameters"))
            .chain(
                METHODS
                    .iter()
                    .map(|m| item.get(*m).and_then(|op| op.get("parameters"))),
            )
            .map(|list| {
                list.and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| resolve(p, doc).clone())
                    .collect()
            })
            .collect()
    };
    let taken = lists(item).iter().flatten().any(|p| {
        let name = p.get("name").and_then(Value::as_str);
        p.get("in").and_then(Value::as_str) != Some("path")
            && pairs.iter().any(|(_, to)| Some(to.as_str()) == name)
    });
    if taken {
        return false;
    }
    let fix = |list: Option<&mut Value>| {
        for param in list.and_then(Value::as_array_mut).into_iter().flatten() {
            let mut resolved = resolve(param, doc).clone();
            let is_path = resolved.get("in").and_then(Value::as_str) == Some("path");
            let name = resolved
                .get("name")
                .and_then(Value::as_str)
                .map(String::from);
            if let (true, Some(name)) = (is_path, name)
                && let Some((_, to)) = pairs.iter().find(|(from, _)| *from == name)
            {
                resolved["name"] = json!(to);
                *param = resolved;
            }
        }
    };
    let Some(item) = item.as_object_mut() else {
        return false;
    };
    fix(item.get_mut("parameters"));
    for method in METHODS {
        if let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) {
            fix(op.get_mut("parameters"));
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::names::{self, Table};

    fn run(doc: Value, table: &str) -> (Value, Vec<String>, Naming) {
        let mut naming = names::assign(&doc, &Table::parse(table).unwrap()).unwrap();
        let (doc, lines) =
            super::super::rewritten(doc, |doc, rewrites| apply(doc, &mut naming, rewrites));
        (doc, lines, naming)
    }

    const RECORDED: &str = "[\"GET /i/{}/ssh\"]\nrust = \"show_ssh\"\ncli = \"show ssh\"\nparams = [\"instance_id\"]\n";

    #[test]
    fn a_renamed_path_parameter_gets_its_recorded_name_back() {
        let (doc, lines, naming) = run(
            json!({"paths": {
                "/first": {"get": {}},
                "/i/{id}/ssh": {"get": {"parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}}
                ]}},
                "/last": {"get": {}},
            }}),
            RECORDED,
        );
        let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
        assert_eq!(
            paths,
            ["/first", "/i/{instance_id}/ssh", "/last"],
            "in document order"
        );
        let params = &doc["paths"]["/i/{instance_id}/ssh"]["get"]["parameters"];
        assert_eq!(params[0]["name"], "instance_id");
        assert_eq!(params[1]["name"], "q");
        assert_eq!(
            lines,
            [
                "paths./i/{id}/ssh: {id} is {instance_id} for get, as names.toml names them: `/i/{instance_id}/ssh`"
            ]
        );
        let renamed = naming
            .operations
            .iter()
            .find(|n| n.rust == "show_ssh")
            .unwrap();
        assert_eq!(renamed.at.to_string(), "paths./i/{instance_id}/ssh.get");
    }

    #[test]
    fn operations_of_one_path_with_other_recorded_names_each_keep_theirs() {
        let (doc, _, naming) = run(
            json!({"paths": {"/i/{id}/ssh": {
                "parameters": [{"name": "id", "in": "path", "required": true}],
                "get": {},
                "post": {"summary": "attach ssh"}
            }}}),
            RECORDED,
        );
        let paths = doc["paths"].as_object().unwrap();
        assert_eq!(
            paths.keys().collect::<Vec<_>>(),
            ["/i/{instance_id}/ssh", "/i/{id}/ssh"]
        );
        assert!(paths["/i/{instance_id}/ssh"].get("post").is_none());
        assert_eq!(
            paths["/i/{instance_id}/ssh"]["parameters"][0]["name"],
            "instance_id"
        );
        assert!(paths["/i/{id}/ssh"].get("get").is_none());
        assert_eq!(paths["/i/{id}/ssh"]["parameters"][0]["name"], "id");
        assert_eq!(naming.table.0["POST /i/{}/ssh"].params, ["id"]);
        assert_eq!(naming.table.0["GET /i/{}/ssh"].params, ["instance_id"]);
    }

    #[test]
    fn a_recorded_name_a_query_parameter_now_has_gets_a_suffix() {
        let (doc, _, naming) = run(
            json!({"paths": {"/i/{id}/ssh": {"get": {"parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                {"name": "instance_id", "in": "query", "schema": {"type": "string"}}
            ]}}}}),
            RECORDED,
        );
        let params = &doc["paths"]["/i/{instance_id_path}/ssh"]["get"]["parameters"];
        assert_eq!(params[0]["name"], "instance_id_path");
        assert_eq!(
            params[1]["name"], "instance_id",
            "a query parameter's name is sent"
        );
        assert!(
            naming.notes.iter().any(|n| n.ends_with(
                "the path parameter `instance_id` has the name of another of its parameters: named `instance_id_path`"
            )),
            "{:?}",
            naming.notes
        );
    }

    #[test]
    fn a_shared_parameter_is_copied_before_it_is_renamed() {
        let (doc, _, _) = run(
            json!({
                "components": {"parameters": {"Id": {"name": "id", "in": "path", "required": true}}},
                "paths": {"/i/{id}/ssh": {
                    "parameters": [{"$ref": "#/components/parameters/Id"}],
                    "get": {}
                }}
            }),
            RECORDED,
        );
        assert_eq!(
            doc["paths"]["/i/{instance_id}/ssh"]["parameters"][0]["name"],
            "instance_id"
        );
        assert_eq!(doc["components"]["parameters"]["Id"]["name"], "id");
    }
}
