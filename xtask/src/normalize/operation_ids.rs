//! Rule `operation-id`: progenitor names every method after its operationId and refuses operations
//! without one, or with one another operation already uses. A missing id is derived from the
//! summary ("show api keys" → `show_api_keys`), else from the method and path; a taken id gets the
//! smallest free numeric suffix. Ids are assigned in document order, so the result is deterministic.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::{Rewrite, for_each_operation};

const RULE: &str = "operation-id";

pub fn apply(doc: &mut Value, rewrites: &mut Vec<Rewrite>) {
    // Ids the document gives are kept; derived ones must not take them.
    let mut declared = HashSet::new();
    for_each_operation(doc, |_, op| {
        if let Some(id) = op.get("operationId").and_then(Value::as_str) {
            declared.insert(id.to_string());
        }
    });
    let mut taken = HashSet::new();
    for_each_operation(doc, |at, op| {
        let given = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string);
        let (base, why) = match &given {
            Some(id) if taken.insert(id.clone()) => return,
            Some(id) => (
                id.clone(),
                format!("`{id}` is used by an earlier operation"),
            ),
            None => match op.get("summary").and_then(Value::as_str).map(snake_case) {
                Some(id) if !id.is_empty() => (id, "missing; derived from the summary".into()),
                _ => (
                    fallback_id(at),
                    "missing and no summary; derived from the method and path".into(),
                ),
            },
        };
        let mut id = base.clone();
        let mut n = 2;
        while declared.contains(&id) && given.as_deref() != Some(id.as_str()) || taken.contains(&id)
        {
            id = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(id.clone());
        op.insert("operationId".into(), json!(id));
        rewrites.push(Rewrite {
            rule: RULE,
            at: at.key("operationId"),
            what: format!("{why}: `{id}`"),
        });
    });
}

/// Lower-case words joined by `_`; anything that is not a letter or digit separates words.
/// An id must not start with a digit, as it becomes a Rust identifier.
fn snake_case(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let id = words.join("_");
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        format!("op_{id}")
    } else {
        id
    }
}

/// `get` on `/api/v0/users/{id}/` → `get_api_v0_users_id`.
fn fallback_id(at: &super::Location) -> String {
    let text = at.to_string();
    // The location is `paths.<path>.<method>`; the method is the last segment.
    let (rest, method) = text.rsplit_once('.').unwrap_or(("", &text));
    let path = rest.strip_prefix("paths.").unwrap_or(rest);
    snake_case(&format!("{method} {path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(doc: Value) -> (Value, Vec<String>) {
        super::super::rewritten(doc, apply)
    }

    #[test]
    fn derives_the_id_from_the_summary() {
        let (doc, lines) = run(json!({"paths": {"/api/v0/auth/apikeys/": {
            "get": {"summary": "show api keys", "responses": {}}
        }}}));
        assert_eq!(
            doc["paths"]["/api/v0/auth/apikeys/"]["get"]["operationId"],
            "show_api_keys"
        );
        assert_eq!(
            lines,
            [
                "operation-id: paths./api/v0/auth/apikeys/.get.operationId: missing; derived from the summary: `show_api_keys`"
            ]
        );
    }

    #[test]
    fn punctuation_in_summaries_separates_words() {
        assert_eq!(snake_case("create api-key"), "create_api_key");
        assert_eq!(
            snake_case("Show GPU  metrics (beta)"),
            "show_gpu_metrics_beta"
        );
        assert_eq!(snake_case("2fa login"), "op_2fa_login");
    }

    #[test]
    fn falls_back_to_method_and_path() {
        let (doc, _) =
            run(json!({"paths": {"/api/v0/users/{id}/": {"delete": {"responses": {}}}}}));
        assert_eq!(
            doc["paths"]["/api/v0/users/{id}/"]["delete"]["operationId"],
            "delete_api_v0_users_id"
        );
    }

    #[test]
    fn keeps_declared_ids_and_makes_derived_ones_unique() {
        let (doc, lines) = run(json!({"paths": {
            "/a": {"get": {"summary": "show things"}},
            "/b": {"get": {"summary": "show things"}},
            "/c": {"get": {"operationId": "show_things_2"}},
        }}));
        let ids: Vec<&Value> = ["/a", "/b", "/c"]
            .iter()
            .map(|p| &doc["paths"][p]["get"]["operationId"])
            .collect();
        assert_eq!(
            ids,
            [
                &json!("show_things"),
                &json!("show_things_3"),
                &json!("show_things_2")
            ]
        );
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn renames_a_duplicate_declared_id() {
        let (doc, lines) = run(json!({"paths": {
            "/a": {"get": {"operationId": "list"}},
            "/b": {"get": {"operationId": "list"}},
        }}));
        assert_eq!(doc["paths"]["/b"]["get"]["operationId"], "list_2");
        assert_eq!(
            lines,
            [
                "operation-id: paths./b.get.operationId: `list` is used by an earlier operation: `list_2`"
            ]
        );
    }

    #[test]
    fn is_deterministic() {
        let doc = json!({"paths": {"/a": {"get": {"summary": "x"}, "post": {"summary": "x"}}}});
        assert_eq!(run(doc.clone()), run(doc));
    }
}
