//! Rule `auth-headers`: an `Authorization` header parameter duplicates what the security scheme
//! says; the client sends the configured key on every request, so the parameter is dropped
//! rather than making every caller pass the key again (and print it in a command line).

use serde_json::Value;

use super::Change;
use crate::generate::openapi::{for_each_operation, resolve};

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Change>) {
    let original = doc.clone();
    let is_auth = |param: &Value| {
        let param = resolve(param, &original);
        param.get("in").and_then(Value::as_str) == Some("header")
            && param
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case("authorization"))
    };
    let drop_from = |params: &mut Value,
                     at: &crate::generate::openapi::Location,
                     rewrites: &mut Vec<Change>| {
        let Some(list) = params.as_array_mut() else {
            return;
        };
        let before = list.len();
        list.retain(|p| !is_auth(p));
        if list.len() < before {
            rewrites.push(Change {
                at: at.clone(),
                what: "Authorization header parameter dropped: the client sends the configured key"
                    .into(),
            });
        }
    };
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            if let Some(params) = item.get_mut("parameters") {
                drop_from(
                    params,
                    &crate::generate::openapi::Location::root()
                        .key("paths")
                        .key(path.as_str())
                        .key("parameters"),
                    rewrites,
                );
            }
        }
    }
    for_each_operation(doc, |at, op| {
        if let Some(params) = op.get_mut("parameters") {
            drop_from(params, &at.key("parameters"), rewrites);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn authorization_headers_are_dropped_others_kept() {
        let mut doc = json!({"paths": {"/ssh": {"get": {"parameters": [
            {"name": "Authorization", "in": "header", "required": true, "schema": {"type": "string"}},
            {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
            {"name": "authorization", "in": "query", "schema": {"type": "string"}}
        ]}}}});
        let mut rewrites = Vec::new();
        apply(&mut doc, &mut rewrites);
        let names: Vec<&Value> = doc["paths"]["/ssh"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["name"])
            .collect();
        assert_eq!(names, [&json!("X-Trace"), &json!("authorization")]);
        assert_eq!(
            rewrites[0].to_string(),
            "paths./ssh.get.parameters: Authorization header parameter dropped: the client sends the configured key"
        );
    }
}
