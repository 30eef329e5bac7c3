//! Rule `operation-id`: progenitor names every method after its operationId and refuses
//! operations without one, or with one another operation already uses. Each operation's id
//! becomes the method name [`crate::generate::names`] gave it: the recorded one, or one the naming chain
//! found free. Types named after the operation (`ShowApiKeysError`) follow it too.

use serde_json::{Value, json};

use super::Change;
use crate::generate::names::Naming;
use crate::generate::openapi::for_each_operation;
use crate::generate::progenitor_names;

pub fn apply(doc: &mut Value, naming: &Naming, rewrites: &mut Vec<Change>) {
    for_each_operation(doc, |at, op| {
        let Some(named) = naming.of(at) else { return };
        let given = op.get("operationId").and_then(Value::as_str);
        let what = match given {
            // The same method either way (`showApiKeys` is `show_api_keys`): nothing to say.
            Some(id) if progenitor_names::method(id) == named.rust => None,
            Some(id) => Some(format!("`{id}` → `{}`", named.rust)),
            None => Some(format!("missing: `{}`", named.rust)),
        };
        op.insert("operationId".into(), json!(named.rust));
        if let Some(what) = what {
            rewrites.push(Change {
                at: at.key("operationId"),
                what,
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::names::{self, Table};

    fn run(doc: Value, recorded: &Table) -> (Value, Vec<String>) {
        let naming = names::assign(&doc, recorded).unwrap();
        super::super::rewritten(doc, |doc, rewrites| apply(doc, &naming, rewrites))
    }

    #[test]
    fn a_missing_id_is_the_name_given() {
        let (doc, lines) = run(
            json!({"paths": {"/api/v0/auth/apikeys/": {"get": {"summary": "show api keys", "responses": {}}}}}),
            &Table::default(),
        );
        assert_eq!(
            doc["paths"]["/api/v0/auth/apikeys/"]["get"]["operationId"],
            "show_api_keys"
        );
        assert_eq!(
            lines,
            ["paths./api/v0/auth/apikeys/.get.operationId: missing: `show_api_keys`"]
        );
    }

    #[test]
    fn an_id_is_replaced_by_the_recorded_name_and_kept_in_snake_case() {
        let recorded = Table::parse(
            "[\"GET /api/v0/auth/apikeys\"]\nrust = \"show_api_keys\"\ncli = \"show api-keys\"\n",
        )
        .unwrap();
        let (doc, lines) = run(
            json!({"paths": {
                "/api/v0/auth/apikeys": {"get": {"operationId": "listUserAPIKeys", "responses": {}}},
                "/api/v0/instances": {"get": {"operationId": "showInstances", "responses": {}}},
            }}),
            &recorded,
        );
        assert_eq!(
            doc["paths"]["/api/v0/auth/apikeys"]["get"]["operationId"],
            "show_api_keys"
        );
        assert_eq!(
            doc["paths"]["/api/v0/instances"]["get"]["operationId"],
            "show_instances"
        );
        assert_eq!(
            lines,
            ["paths./api/v0/auth/apikeys.get.operationId: `listUserAPIKeys` → `show_api_keys`"]
        );
    }

    #[test]
    fn a_duplicate_id_gets_the_name_the_chain_found() {
        let (doc, lines) = run(
            json!({"paths": {
                "/a": {"get": {"operationId": "list"}},
                "/b": {"get": {"operationId": "list"}},
            }}),
            &Table::default(),
        );
        assert_eq!(doc["paths"]["/b"]["get"]["operationId"], "get_b");
        assert_eq!(lines, ["paths./b.get.operationId: `list` → `get_b`"]);
    }
}
