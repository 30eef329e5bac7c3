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
    /// The HTTP method, upper case: `vast` asks before a `DELETE`.
    pub method: String,
    /// String parameters and body fields that hold a key or certificate (see [`takes_file`]), as
    /// progenitor names their arguments: they also take `@PATH`, the file's contents.
    pub files: Vec<String>,
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
                method: method.to_uppercase(),
                files: file_arguments(op, doc),
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

/// The arguments of `op` whose value may come from a file: its string parameters and top-level
/// JSON body fields that [`takes_file`], in kebab case as progenitor names them.
fn file_arguments(op: &Value, doc: &Value) -> Vec<String> {
    use heck::{ToKebabCase, ToSnakeCase};
    let parameters = op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| resolve(p, doc))
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?;
            let schema = resolve(p.get("schema")?, doc);
            Some((name, p.get("description").unwrap_or(&Value::Null), schema))
        });
    let body = op
        .pointer("/requestBody/content/application~1json/schema")
        .map(|s| resolve(s, doc))
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, schema)| {
            let schema = resolve(schema, doc);
            let description = schema.get("description").unwrap_or(&Value::Null);
            (name.as_str(), description, schema)
        });
    let mut files: Vec<String> = parameters
        .chain(body)
        .filter(|(name, description, schema)| {
            schema.get("type").and_then(Value::as_str) == Some("string")
                && takes_file(name, description.as_str().unwrap_or_default())
        })
        .map(|(name, _, _)| name.to_snake_case().to_kebab_case())
        .collect();
    files.dedup();
    files
}

/// Whether a string field holds a key or certificate, which people keep in files
/// (`~/.ssh/id_ed25519.pub`) rather than type: its name ends in `ssh_key`, `public_key`, `pubkey`,
/// `cert` or `certificate`, or its description speaks of an SSH or public key or a certificate.
/// A secret's *name* (`key`, an environment variable's) or an API key does not qualify: neither is
/// kept in a file of its own.
pub fn takes_file(name: &str, description: &str) -> bool {
    use heck::ToSnakeCase;
    let name = name.to_snake_case();
    let by_name = ["ssh_key", "public_key", "pubkey", "cert", "certificate"]
        .iter()
        .any(|end| name == *end || name.ends_with(&format!("_{end}")));
    let words: Vec<String> = description
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    // "SSH key", "public key", "SSH public key", "public SSH key": a kind, at most one word, `key`.
    let by_description = words.iter().enumerate().any(|(i, w)| {
        (w == "ssh" || w == "public") && words[i + 1..].iter().take(2).any(|next| next == "key")
    }) || words.iter().any(|w| w == "certificate");
    by_name || by_description
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
            "    CommandSpec {{\n        operation_id: {:?},\n        words: &[{}],\n        aliases: &[{}],\n        columns: &[{}],\n        positional: &[{}],\n        method: {:?},\n        files: &[{}],\n    }},\n",
            c.operation_id,
            list(&c.words),
            c.aliases
                .iter()
                .map(|a| format!("&[{}]", list(a)))
                .collect::<Vec<_>>()
                .join(", "),
            list(&c.columns),
            list(&c.positional),
            c.method,
            list(&c.files),
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
    fn keys_and_certificates_take_files_and_other_strings_do_not() {
        let commands = run(json!({"/k": {"post": {"summary": "add key",
        "parameters": [{"name": "tlsCert", "in": "query", "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
            "ssh_key": {"type": "string"},
            "key": {"type": "string", "description": "The key of the environment variable"},
            "api_key": {"type": "string", "description": "API key for authentication."},
            "value": {"type": "string", "description": "The public SSH key to add (from .pub file)"},
            "path": {"type": "string", "description": "Path of the file on the instance"},
            "pubkey_count": {"type": "integer", "description": "How many SSH keys"}
        }}}}}}}}));
        assert_eq!(commands[0].method, "POST");
        assert_eq!(commands[0].files, ["tls-cert", "ssh-key", "value"]);
    }

    #[test]
    fn the_table_lists_aliases() {
        let command = Command {
            operation_id: "show_api_keys".into(),
            words: vec!["show".into(), "api-keys".into()],
            aliases: vec![vec!["list".into(), "user-api-keys".into()]],
            columns: vec!["id".into()],
            positional: vec![],
            method: "GET".into(),
            files: vec![],
        };
        assert!(
            render(&[command]).contains(
                "        words: &[\"show\", \"api-keys\"],\n        aliases: &[&[\"list\", \"user-api-keys\"]],\n"
            )
        );
    }
}
