//! The CLI's command table: each operation's command name, in the vendor CLI's grammar, and the
//! columns its table shows, in the spec's property order. Written as data for vast-api-cli.

use serde_json::Value;

use crate::names::Naming;
use crate::openapi::{Location, resolve};

/// One operation's entry in the table.
#[derive(Debug, PartialEq)]
pub struct Command {
    /// The operation's method name in the generated code (its operationId once normalised).
    pub operation_id: String,
    /// The command's words after `vast`, as [`crate::names`] gave them.
    pub words: Vec<String>,
    /// Other words that run the same command: the name the spec now suggests for a kept one.
    pub aliases: Vec<Vec<String>>,
    pub columns: Vec<String>,
    /// Path parameters, as progenitor names their arguments (kebab case): given positionally,
    /// in path order, as in the vendor CLI (`vast show instance 123`).
    pub positional: Vec<String>,
}

/// Every operation of the normalised document, in document order.
pub fn commands(doc: &Value, naming: &Naming) -> Vec<Command> {
    crate::openapi::operations(doc)
        .filter_map(|(path, method, op)| {
            let at = Location::root().key("paths").key(path).key(method);
            let named = naming.of(&at)?;
            let columns = op
                .get("responses")
                .and_then(Value::as_object)
                .and_then(|r| r.iter().find(|(s, _)| s.starts_with('2')).map(|(_, v)| v))
                .and_then(|r| r.pointer("/content/application~1json/schema"))
                .map(|s| table_columns(s, doc))
                .unwrap_or_default();
            Some(Command {
                operation_id: named.rust.clone(),
                words: named.words.clone(),
                aliases: named.aliases.clone(),
                columns,
                positional: path_parameters(path),
            })
        })
        .collect()
}

/// progenitor's name for an operation's method: the id in snake case (`showApiKeys` →
/// `show_api_keys`). `codegen` checks the generated CLI agrees.
pub fn method_name(id: &str) -> String {
    use heck::ToSnakeCase;
    id.to_snake_case()
}

/// The `{name}` segments of the path, as progenitor names their arguments (kebab case).
fn path_parameters(path: &str) -> Vec<String> {
    use heck::{ToKebabCase, ToSnakeCase};
    crate::openapi::path_params(path)
        .iter()
        .map(|name| name.to_snake_case().to_kebab_case())
        .collect()
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
            "    CommandSpec {{\n        operation_id: {:?},\n        words: &[{}],\n        aliases: &[{}],\n        columns: &[{}],\n        positional: &[{}],\n    }},\n",
            c.operation_id,
            list(&c.words),
            c.aliases
                .iter()
                .map(|a| format!("&[{}]", list(a)))
                .collect::<Vec<_>>()
                .join(", "),
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
    use crate::names::{self, Table};
    use serde_json::json;

    fn run(paths: Value) -> Vec<Command> {
        let doc = json!({"paths": paths});
        commands(&doc, &names::assign(&doc, &Table::default()).unwrap())
    }

    #[test]
    fn columns_come_in_spec_order_and_only_scalars() {
        let commands = run(
            json!({"/k": {"get": {"operationId": "show_api_keys", "summary": "show api keys",
            "responses": {"200": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                "apikeys": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "user_id": {"type": "integer"},
                    "tags": {"type": "array"}, "rights": {"type": "string"}
                }}}
            }}}}}}}}}),
        );
        assert_eq!(commands[0].words, ["show", "api-keys"]);
        assert_eq!(commands[0].columns, ["id", "user_id", "rights"]);
    }

    #[test]
    fn path_parameters_are_positional_in_path_order() {
        let commands = run(
            json!({"/machines/{machine_id}/reports/{reportId}": {"get": {"summary": "show reports"}}}),
        );
        assert_eq!(commands[0].positional, ["machine-id", "report-id"]);
    }

    #[test]
    fn the_table_lists_aliases() {
        let command = Command {
            operation_id: "show_api_keys".into(),
            words: vec!["show".into(), "api-keys".into()],
            aliases: vec![vec!["list".into(), "user-api-keys".into()]],
            columns: vec!["id".into()],
            positional: vec![],
        };
        assert!(
            render(&[command]).contains(
                "        words: &[\"show\", \"api-keys\"],\n        aliases: &[&[\"list\", \"user-api-keys\"]],\n"
            )
        );
    }
}
