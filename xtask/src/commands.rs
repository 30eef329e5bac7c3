//! The CLI's command table: each operation's command name, in the vendor CLI's grammar, and the
//! columns its table shows, in the spec's property order. Written as data for vast-api-cli.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::normalize::{self, Location, resolve};

/// One operation's entry in the table.
#[derive(Debug, PartialEq)]
pub struct Command {
    /// The operation's method name in the generated code (progenitor's snake case of the id).
    pub operation_id: String,
    /// The first word of the summary, then the rest joined by `-`: "show api keys" → show, api-keys.
    pub words: Vec<String>,
    pub columns: Vec<String>,
    /// Path parameters, as progenitor names their arguments (kebab case): given positionally,
    /// in path order, as in the vendor CLI (`vast show instance 123`).
    pub positional: Vec<String>,
}

/// Every operation of the normalised document, in document order. Two operations whose
/// summaries give the same command are an error naming both, since one would hide the other.
pub fn commands(doc: &mut Value) -> Result<Vec<Command>, String> {
    let resolved = doc.clone();
    let mut out = Vec::new();
    let mut seen: BTreeMap<Vec<String>, Location> = BTreeMap::new();
    let mut clash = None;
    normalize::for_each_operation(doc, |at, op| {
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let source = op
            .get("summary")
            .and_then(Value::as_str)
            .unwrap_or(&id)
            .to_string();
        let mut words = command_words(&source);
        if words.is_empty() {
            words = command_words(&method_name(&id).replace('_', " "));
        }
        if let Some(first) = seen.get(&words) {
            // Keep both reachable: the later one is named after its operation id.
            let alternative = command_words(&method_name(&id).replace('_', " "));
            if seen.contains_key(&alternative) {
                clash.get_or_insert(format!(
                    "{at}: its command `{}` is also the command of {first}",
                    words.join(" ")
                ));
                return;
            }
            words = alternative;
        }
        seen.insert(words.clone(), at.clone());
        let columns = op
            .get("responses")
            .and_then(Value::as_object)
            .and_then(|r| r.iter().find(|(s, _)| s.starts_with('2')).map(|(_, v)| v))
            .and_then(|r| r.pointer("/content/application~1json/schema"))
            .map(|s| table_columns(s, &resolved))
            .unwrap_or_default();
        let positional = path_parameters(at);
        out.push(Command {
            operation_id: method_name(&id),
            words,
            columns,
            positional,
        });
    });
    match clash {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// progenitor's name for an operation's method: the id in snake case (`showApiKeys` →
/// `show_api_keys`). `codegen` checks the generated CLI agrees.
pub fn method_name(id: &str) -> String {
    use heck::ToSnakeCase;
    id.to_snake_case()
}

/// The `{name}` segments of the operation's path (`paths.<path>.<method>`), as argument ids.
fn path_parameters(at: &Location) -> Vec<String> {
    use heck::{ToKebabCase, ToSnakeCase};
    let text = at.to_string();
    let path = text
        .strip_prefix("paths.")
        .and_then(|t| t.rsplit_once('.'))
        .map_or("", |(p, _)| p);
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| name.to_snake_case().to_kebab_case())
        .collect()
}

fn command_words(text: &str) -> Vec<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.to_ascii_lowercase()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
                .trim_matches('-')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect();
    match words.split_first() {
        None => Vec::new(),
        Some((first, [])) => vec![first.clone()],
        Some((first, rest)) => vec![first.clone(), rest.join("-")],
    }
}

/// The scalar properties of the listed objects, when the response is a list: a top-level array
/// of objects, or an object whose one array property holds objects.
fn table_columns(schema: &Value, doc: &Value) -> Vec<String> {
    let schema = resolve(schema, doc);
    let items = if schema.get("type") == Some(&Value::from("array")) {
        schema.get("items")
    } else {
        let arrays: Vec<&Value> = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| {
                p.values()
                    .map(|v| resolve(v, doc))
                    .filter(|v| v.get("type") == Some(&Value::from("array")))
                    .collect()
            })
            .unwrap_or_default();
        match arrays.as_slice() {
            [one] => one.get("items"),
            _ => None,
        }
    };
    let Some(item) = items.map(|i| resolve(i, doc)) else {
        return Vec::new();
    };
    item.get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .filter(|(_, p)| {
                    matches!(
                        resolve(p, doc).get("type").and_then(Value::as_str),
                        Some("string" | "integer" | "number" | "boolean")
                    )
                })
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The Rust source of `vast-api-cli/src/generated_commands.rs` (without its header).
pub fn render(commands: &[Command]) -> String {
    let mut out = String::from(
        "//! Each operation's command and table columns, derived from the spec by `cargo xtask gen`.\n\n\
         use crate::commands::CommandSpec;\n\n\
         pub const COMMANDS: &[CommandSpec] = &[\n",
    );
    for c in commands {
        let list = |items: &[String]| {
            items
                .iter()
                .map(|w| format!("{w:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "    CommandSpec {{\n        operation_id: {:?},\n        words: &[{}],\n        columns: &[{}],\n        positional: &[{}],\n    }},\n",
            c.operation_id,
            list(&c.words),
            list(&c.columns),
            list(&c.positional),
        ));
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(paths: Value) -> Result<Vec<Command>, String> {
        commands(&mut json!({"paths": paths}))
    }

    #[test]
    fn names_follow_the_vendor_grammar() {
        for (summary, words) in [
            ("show api keys", vec!["show", "api-keys"]),
            ("show instances", vec!["show", "instances"]),
            ("create api-key", vec!["create", "api-key"]),
            ("show gpu metrics", vec!["show", "gpu-metrics"]),
            ("Reboot", vec!["reboot"]),
            ("show env-vars (beta)", vec!["show", "env-vars-beta"]),
        ] {
            assert_eq!(command_words(summary), words, "{summary}");
        }
    }

    #[test]
    fn columns_come_in_spec_order_and_only_scalars() {
        let commands = run(json!({"/k": {"get": {"operationId": "show_api_keys", "summary": "show api keys",
            "responses": {"200": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                "apikeys": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "user_id": {"type": "integer"},
                    "tags": {"type": "array"}, "rights": {"type": "string"}
                }}}
            }}}}}}}}}))
        .unwrap();
        assert_eq!(commands[0].words, ["show", "api-keys"]);
        assert_eq!(commands[0].columns, ["id", "user_id", "rights"]);
    }

    #[test]
    fn path_parameters_are_positional_in_path_order() {
        let commands = run(json!({"/machines/{machine_id}/reports/{reportId}": {"get": {"summary": "show reports"}}})).unwrap();
        assert_eq!(commands[0].positional, ["machine-id", "report-id"]);
    }

    #[test]
    fn a_clashing_name_falls_back_to_the_operation_id() {
        let commands = run(json!({
            "/a": {"get": {"operationId": "list_a", "summary": "show things"}},
            "/b": {"get": {"operationId": "listB", "summary": "show things"}},
        }))
        .unwrap();
        assert_eq!(commands[1].words, ["list", "b"]);
    }
}
