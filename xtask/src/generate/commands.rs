//! The CLI's command table: each operation's command name, in the vendor CLI's grammar, and the
//! columns its table shows, in the spec's property order. Written as data for vast-api-cli.

use serde_json::Value;

use crate::generate::names::Naming;
use crate::generate::openapi::{Location, resolve};
use crate::generate::progenitor_names;
use crate::generate::requests::{self, Request};

/// One operation's entry in the table.
#[derive(Debug, Default, PartialEq)]
pub struct Command {
    /// The operation's method name in the generated code (its operationId once normalised).
    pub operation_id: String,
    /// The command's words after `vast`, as [`crate::generate::names`] gave them.
    pub words: Vec<String>,
    /// Other words that run the same command: the name the spec now suggests for a kept one.
    pub aliases: Vec<Vec<String>>,
    pub columns: Vec<String>,
    /// The listed objects' other properties (objects, arrays), shown with `--all-cols` or
    /// `--cols`.
    pub more_columns: Vec<String>,
    /// Path parameters, as progenitor names their arguments (kebab case): given positionally,
    /// in path order, as in the vendor CLI (`vast show instance 123`).
    pub positional: Vec<String>,
    /// The JSON body's fields that take operator objects, when the body is a filter (see
    /// [`filter_fields`]).
    pub filter: Vec<FilterField>,
    /// How the response names the next page and which query parameter takes it back.
    pub pagination: Option<Pagination>,
    /// Each flag progenitor made for a JSON body field: (flag id, field name).
    pub body_flags: Vec<(String, String)>,
    /// Each JSON body field progenitor made no flag for and that is not a filter field: an
    /// object, a list, any JSON, or a field named as a parameter is. `vast` gives it a flag.
    pub json_flags: Vec<JsonFlag>,
    /// The HTTP method, upper case: `vast` asks before a `DELETE`.
    pub method: String,
    /// The server the spec names for this operation, when not the document's (see
    /// [`servers`](crate::generate::rewrites::servers)): `-v` names it.
    pub server: Option<String>,
    /// String parameters and body fields that hold a key or certificate (see [`takes_file`]), as
    /// progenitor names their arguments: they also take `@PATH`, the file's contents.
    pub files: Vec<String>,
    /// The JSON body has an `order`: a list of [field, direction] lists (see [`orders`]).
    pub order: bool,
    /// Body flags whose length the document's notes limit (see [`documented_limits`]): (flag
    /// id, most characters, what the notes say to do instead).
    pub limits: Vec<(String, usize, String)>,
    /// The request and its answers, as data (see [`crate::generate::requests`]).
    pub request: Request,
}

/// A body field's flag that `vast` adds, progenitor having made none.
#[derive(Debug, PartialEq)]
pub struct JsonFlag {
    /// The argument's id: the field's name in kebab case, or `body-` and that when a parameter
    /// has the name.
    pub id: String,
    /// The flag: the field's name in kebab case, unless a parameter's flag is so named (a path
    /// parameter is positional, so its name is free), then the id.
    pub long: String,
    pub field: String,
    pub required: bool,
    /// A string field, whose flag takes text as it is; any other takes JSON.
    pub text: bool,
}

/// A field of a filter body: its name, the operators whose value type the spec gives, and what
/// else the spec says of its values.
#[derive(Debug, Default, PartialEq)]
pub struct FilterField {
    pub name: String,
    /// (operator, JSON type of its value or, for `in`/`notin`, of the list's items).
    pub typed: Vec<(String, String)>,
    /// The JSON type of the field's values, where the spec shows it (see [`value_kind`]):
    /// `number`, `string` or `boolean`.
    pub kind: Option<String>,
    /// Its description, on one line: the library reads the API's unit from it (`GPU RAM in MB`).
    pub description: String,
    /// The spec's `default` for the field, as JSON text (`{"eq":true}`).
    pub default: Option<String>,
}

/// A response field holding the next page's token and the query parameter that asks for it.
#[derive(Debug, PartialEq)]
pub struct Pagination {
    pub response_field: String,
    pub query_param: String,
    /// The response's list property, whose items a paged `stream()` yields (not in the CLI's
    /// table, which prints whole pages); `None` when the response has no one list property.
    pub list_field: Option<String>,
}

/// The vendor's query convention: a filter field is an object of these operators
/// (`{"gpu_ram": {"gte": 24}}`), as the search endpoints' descriptions list them.
const OPERATORS: &[&str] = &["eq", "neq", "gt", "gte", "lt", "lte", "in", "notin"];

/// Every operation of the normalised document, in document order.
pub fn commands(doc: &Value, naming: &Naming) -> Vec<Command> {
    let limits = documented_limits(doc);
    let servers = crate::generate::rewrites::servers::operations(doc);
    crate::generate::openapi::operations(doc)
        .filter_map(|(path, method, op)| {
            let at = Location::root().key("paths").key(path).key(method);
            let named = naming.of(&at)?;
            let response = op
                .get("responses")
                .and_then(Value::as_object)
                .and_then(|r| r.iter().find(|(s, _)| s.starts_with('2')).map(|(_, v)| v))
                .map(|r| resolve(r, doc))
                .and_then(|r| r.pointer("/content/application~1json/schema"));
            let (columns, more_columns) =
                response.map(|s| table_columns(s, doc)).unwrap_or_default();
            let body = op
                .get("requestBody")
                .map(|b| resolve(b, doc))
                .and_then(|b| b.pointer("/content/application~1json/schema"))
                .map(|s| resolve(s, doc));
            let parameters = parameter_arguments(&doc["paths"][path], op, doc);
            let body_flags = body
                .map(|b| body_flags(b, doc, &parameters))
                .unwrap_or_default();
            let limits = body_flags
                .iter()
                .filter_map(|(flag, field)| {
                    let (_, most, note) = limits.iter().find(|(f, ..)| f == field)?;
                    Some((flag.clone(), *most, note.clone()))
                })
                .collect();
            Some(Command {
                operation_id: named.rust.clone(),
                words: named.words.clone(),
                aliases: named.aliases.clone(),
                columns,
                more_columns,
                positional: path_parameters(path),
                filter: body
                    .map(|b| filter_fields(b, response, doc))
                    .unwrap_or_default(),
                pagination: response.and_then(|r| pagination(op, r, doc)),
                body_flags,
                json_flags: body
                    .map(|b| json_flags(b, doc, &parameters))
                    .unwrap_or_default(),
                method: method.to_uppercase(),
                server: servers.get(&named.rust).cloned(),
                files: file_arguments(op, doc),
                order: body.is_some_and(|b| orders(b, doc)),
                limits,
                request: requests::request(path, op, doc),
            })
        })
        .collect()
}

/// The `{name}` segments of the path, as progenitor names their arguments (kebab case).
fn path_parameters(path: &str) -> Vec<String> {
    crate::generate::openapi::path_params(path)
        .iter()
        .map(|name| progenitor_names::parameter_argument(name))
        .collect()
}

/// The arguments of `op` whose value may come from a file: its string parameters and top-level
/// JSON body fields that [`takes_file`], in kebab case as progenitor names them.
fn file_arguments(op: &Value, doc: &Value) -> Vec<String> {
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
        .map(|(name, _, _)| progenitor_names::parameter_argument(name))
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
    // Compared in snake case, whatever case the spec writes it in.
    let name = heck::ToSnakeCase::to_snake_case(name);
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

/// The list a response holds: a top-level array (`None`), or an object's one array property
/// (its name); with the schema of its items, if it gives one.
pub fn listed<'a>(
    schema: &'a Value,
    doc: &'a Value,
) -> Option<(Option<String>, Option<&'a Value>)> {
    let schema = resolve(schema, doc);
    if schema.get("type") == Some(&Value::from("array")) {
        return Some((None, schema.get("items")));
    }
    let arrays: Vec<(&String, &Value)> = schema
        .get("properties")
        .and_then(Value::as_object)?
        .iter()
        .map(|(name, v)| (name, resolve(v, doc)))
        .filter(|(_, v)| v.get("type") == Some(&Value::from("array")))
        .collect();
    match arrays.as_slice() {
        [(name, one)] => Some((Some((*name).clone()), one.get("items"))),
        _ => None,
    }
}

/// The scalar properties of the listed objects, when the response is a list: a top-level array
/// of objects, or an object whose one array property holds objects; then their other properties.
fn table_columns(schema: &Value, doc: &Value) -> (Vec<String>, Vec<String>) {
    let Some(props) = listed(schema, doc)
        .and_then(|(_, i)| i)
        .map(|i| resolve(i, doc))
        .and_then(|i| i.get("properties"))
        .and_then(Value::as_object)
    else {
        return Default::default();
    };
    let (scalars, others): (Vec<_>, Vec<_>) =
        props.iter().partition(|(_, p)| is_scalar(resolve(p, doc)));
    let names = |v: Vec<(&String, &Value)>| v.into_iter().map(|(n, _)| n.clone()).collect();
    (names(scalars), names(others))
}

fn is_scalar(schema: &Value) -> bool {
    matches!(
        schema.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number" | "boolean")
    )
}

/// An object whose declared properties are all operators (`{"eq": {"type": "boolean"}}`).
fn is_operator_object(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty() && p.keys().all(|k| OPERATORS.contains(&k.as_str())))
}

/// The fields of a filter body: a JSON body with at least one operator object among its
/// properties uses the vendor's query convention, and then each property that is an object
/// with nothing but operators declared (often nothing at all: `{"type": "object"}`) is a filter
/// field. Other bodies have none. `response` is the operation's success schema, whose listed
/// objects may type the same fields.
fn filter_fields(body: &Value, response: Option<&Value>, doc: &Value) -> Vec<FilterField> {
    let Some(props) = body.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    if !props.values().any(|p| is_operator_object(resolve(p, doc))) {
        return Vec::new();
    }
    let listed_props = response
        .and_then(|r| listed(r, doc))
        .and_then(|(_, items)| items)
        .map(|items| resolve(items, doc))
        .and_then(|items| items.get("properties"));
    props
        .iter()
        .map(|(name, p)| (name, resolve(p, doc)))
        .filter(|(_, p)| {
            p.get("type") == Some(&Value::from("object"))
                && (p.get("properties").is_none() || is_operator_object(p))
        })
        .map(|(name, p)| {
            let description = p.get("description").and_then(Value::as_str).unwrap_or("");
            let listed = listed_props
                .and_then(|l| l.get(name))
                .map(|l| resolve(l, doc));
            FilterField {
                name: name.clone(),
                typed: operator_types(p, doc),
                kind: value_kind(listed, description),
                description: description.split_whitespace().collect::<Vec<_>>().join(" "),
                default: p.get("default").map(Value::to_string),
            }
        })
        .collect()
}

/// (operator, JSON type of its value or of its list's items) for each operator a filter field's
/// schema types.
fn operator_types(field: &Value, doc: &Value) -> Vec<(String, String)> {
    field
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(op, s)| {
            let s = resolve(s, doc);
            let s = match s.get("items") {
                Some(items) => resolve(items, doc),
                None => s,
            };
            let ty = s.get("type")?.as_str()?;
            Some((op.clone(), ty.to_string()))
        })
        .collect()
}

/// The JSON type of a filter field's values, as the spec shows it: the type of the listed
/// objects' property of the same name (what the search returns), else that of the values in the
/// operator objects its description gives as examples (`GPU RAM in MB. Example: {"gte":
/// 24000}`). Whole and fractional numbers are both `number`.
fn value_kind(listed: Option<&Value>, description: &str) -> Option<String> {
    let of = |value: &Value| match value {
        Value::Number(_) => Some("number"),
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        _ => None,
    };
    let from_listed = listed
        .and_then(|l| l.get("type"))
        .and_then(Value::as_str)
        .map(|ty| if ty == "integer" { "number" } else { ty })
        .filter(|ty| ["number", "string", "boolean"].contains(ty));
    let from_examples = || {
        described_operator_objects(description)
            .into_iter()
            .flat_map(|ops| ops.into_values())
            .find_map(|v| match &v {
                Value::Array(items) => items.first().and_then(of),
                v => of(v),
            })
    };
    from_listed.or_else(from_examples).map(String::from)
}

/// The JSON objects in a text that are operator objects (`{"gte": 24000}`).
fn described_operator_objects(text: &str) -> Vec<serde_json::Map<String, Value>> {
    text.match_indices('{')
        .filter_map(|(start, _)| {
            let end = text[start..].find('}')? + start;
            match serde_json::from_str::<Value>(&text[start..=end]).ok()? {
                Value::Object(ops)
                    if !ops.is_empty() && ops.keys().all(|k| OPERATORS.contains(&k.as_str())) =>
                {
                    Some(ops)
                }
                _ => None,
            }
        })
        .collect()
}

/// The response's next-page token and the query parameter that takes it back, matched by
/// name: a scalar response field `next_<what>` (or `next`) and a query parameter that names
/// the same thing: `<what>`, or `<what>` after `after_`, `from_`, `since_`, `start_` or `next_`
/// (`next_token` and `after_token`; `next_offset` and `offset`; `next` and `cursor`).
fn pagination(op: &Value, response: &Value, doc: &Value) -> Option<Pagination> {
    let response = resolve(response, doc);
    let queries: Vec<String> = op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| resolve(p, doc))
        .filter(|p| p.get("in") == Some(&Value::from("query")))
        .filter_map(|p| Some(p.get("name")?.as_str()?.to_string()))
        .collect();
    let stem_of_query = |q: &str| -> String {
        ["after_", "from_", "since_", "start_", "next_"]
            .iter()
            .find_map(|prefix| q.strip_prefix(prefix))
            .unwrap_or(q)
            .to_string()
    };
    response
        .get("properties")
        .and_then(Value::as_object)?
        .iter()
        .filter(|(_, s)| is_scalar(resolve(s, doc)))
        .find_map(|(field, _)| {
            let stem = match field.as_str() {
                "next" => "cursor",
                other => other.strip_prefix("next_")?,
            };
            let query = queries.iter().find(|q| stem_of_query(q) == stem)?;
            Some(Pagination {
                response_field: field.clone(),
                query_param: query.clone(),
                list_field: listed(response, doc).and_then(|(field, _)| field),
            })
        })
}

/// The limits the document's notes put on fields, in the vendor's phrasing: a line of
/// `info.description` saying "`onstart` field is limited to 4048 characters -- gzip+base64 for
/// longer scripts" gives (`onstart`, 4048, `gzip+base64 for longer scripts`). The schemas do not
/// say it (no `maxLength`), and the server's refusal comes after the request.
pub fn documented_limits(doc: &Value) -> Vec<(String, usize, String)> {
    let notes = doc
        .pointer("/info/description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    notes
        .lines()
        .filter_map(|line| {
            let (before, after) = line.split_once(" field is limited to ")?;
            let field = before.rsplit('`').nth(1)?;
            let (count, rest) = after.split_once(" characters")?;
            let most = count.trim().parse().ok()?;
            let note = rest
                .trim_start_matches([' ', '-', ':', ',', ';', '\u{2014}'])
                .trim();
            Some((
                field.to_string(),
                most,
                note.trim_end_matches('.').to_string(),
            ))
        })
        .collect()
}

/// Whether a JSON body sorts as the vendor's search does: an `order` property that is a list of
/// lists (`[["dph_total", "asc"], ["num_gpus", "desc"]]`), which `vast` takes as `-o`.
fn orders(body: &Value, doc: &Value) -> bool {
    body.pointer("/properties/order")
        .map(|o| resolve(o, doc))
        .filter(|o| o.get("type") == Some(&Value::from("array")))
        .and_then(|o| o.get("items"))
        .is_some_and(|items| resolve(items, doc).get("type") == Some(&Value::from("array")))
}

/// The flags progenitor makes for a JSON body's fields, named as it names them (kebab case).
fn body_flags(body: &Value, doc: &Value, parameters: &[(String, bool)]) -> Vec<(String, String)> {
    body.get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, p)| is_scalar(resolve(p, doc)))
        .map(|(name, _)| (progenitor_names::body_argument(name), name.clone()))
        // progenitor makes no flag for a field named as a parameter is: `json_flags` does.
        .filter(|(flag, _)| !parameters.iter().any(|(arg, _)| arg == flag))
        .collect()
}

/// Each parameter's argument, as progenitor names it, and whether it is a path parameter (which
/// `vast` takes positionally, leaving its flag's name free).
fn parameter_arguments(item: &Value, op: &Value, doc: &Value) -> Vec<(String, bool)> {
    [item, op]
        .into_iter()
        .filter_map(|at| at.get("parameters").and_then(Value::as_array))
        .flatten()
        .map(|p| resolve(p, doc))
        .filter_map(|p| {
            let name = progenitor_names::parameter_argument(p.get("name")?.as_str()?);
            Some((name, p.get("in")? == "path"))
        })
        .collect()
}

/// The body fields without a flag of progenitor's: every one that is not a scalar (a required
/// one the object does not describe included), except a filter's operator objects (which the
/// filter expression sets), and every one whose flag a parameter's argument has taken.
fn json_flags(body: &Value, doc: &Value, parameters: &[(String, bool)]) -> Vec<JsonFlag> {
    // A filter's fields take the expression, and a sorting body's `order` takes `-o`.
    let mut filter: Vec<String> = filter_fields(body, None, doc)
        .into_iter()
        .map(|f| f.name)
        .collect();
    if orders(body, doc) {
        filter.push("order".into());
    }
    let required = body.get("required").and_then(Value::as_array);
    let properties = body.get("properties").and_then(Value::as_object);
    // A required field the object does not describe is any JSON to typify: no flag either.
    let undeclared = required
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|name| !properties.is_some_and(|p| p.contains_key(*name)))
        .map(|name| (name.to_string(), Value::Null));
    let fields: Vec<(String, Value)> = properties
        .into_iter()
        .flatten()
        .map(|(name, p)| (name.clone(), p.clone()))
        .chain(undeclared)
        .collect();
    fields
        .iter()
        .filter_map(|(name, p)| {
            let flag = progenitor_names::body_argument(name);
            let taken = parameters.iter().find(|(arg, _)| *arg == flag);
            let schema = resolve(p, doc);
            if (is_scalar(schema) && taken.is_none()) || filter.contains(name) {
                return None;
            }
            let id = match taken {
                Some(_) => format!("body-{flag}"),
                None => flag.clone(),
            };
            Some(JsonFlag {
                long: match taken {
                    Some((_, false)) => id.clone(),
                    _ => flag,
                },
                id,
                field: name.clone(),
                required: required.is_some_and(|r| r.iter().any(|r| r == name.as_str())),
                text: schema.get("type").and_then(Value::as_str) == Some("string"),
            })
        })
        .collect()
}

/// The name of an operation's filter fields in `vast_api::filters`: `SEARCH_OFFERS` (written
/// by the `filters` rewrite, named in the command table).
pub fn const_name(operation_id: &str) -> String {
    heck::ToShoutySnakeCase::to_shouty_snake_case(operation_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::names::{self, Table};
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
    fn fields_without_a_flag_of_progenitors_get_one_of_vasts() {
        let commands = run(json!({"/roles/{name}": {
            "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
            "put": {"summary": "update role",
                "parameters": [{"name": "mode", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "required": ["name", "permissions", "scope"],
                    "properties": {
                        "name": {"type": "string"},
                        "mode": {"type": "integer"},
                        "permissions": {"type": "object"},
                        "tags": {"type": "array"},
                        "size": {"type": "integer"}
                    }
                }}}}
            }
        }}));
        let flag = |id: &str, long: &str, field: &str, required: bool, text: bool| JsonFlag {
            id: id.into(),
            long: long.into(),
            field: field.into(),
            required,
            text,
        };
        assert_eq!(
            commands[0].json_flags,
            [
                // The path parameter is positional, so the field has its flag's name.
                flag("body-name", "name", "name", true, true),
                // The query parameter keeps `--mode`.
                flag("body-mode", "body-mode", "mode", false, false),
                flag("permissions", "permissions", "permissions", true, false),
                flag("tags", "tags", "tags", false, false),
                // Required and not described: any JSON.
                flag("scope", "scope", "scope", true, false),
            ]
        );
        assert_eq!(commands[0].body_flags, [("size".into(), "size".into())]);
    }

    #[test]
    fn columns_beyond_the_scalars_are_kept_apart() {
        let commands = run(json!({"/k": {"get": {"summary": "show things",
        "responses": {"200": {"content": {"application/json": {"schema": {"type": "array",
            "items": {"type": "object", "properties": {
                "tags": {"type": "array"}, "id": {"type": "integer"}, "owner": {"type": "object"}
            }}}}}}}}}}));
        assert_eq!(commands[0].columns, ["id"]);
        assert_eq!(commands[0].more_columns, ["tags", "owner"]);
    }

    #[test]
    fn a_body_of_operator_objects_is_a_filter() {
        let body = |props: Value| {
            json!({"/s": {"post": {"summary": "search things", "requestBody": {"content": {
                "application/json": {"schema": {"type": "object", "properties": props}}}}}}})
        };
        let commands = run(body(json!({
            "limit": {"type": "integer"},
            "verified": {"type": "object", "properties": {"eq": {"type": "boolean"}}},
            "num_gpus": {"type": "object", "properties": {"in": {"type": "array", "items": {"type": "integer"}}}},
            "gpu_ram": {"type": "object"},
            "settings": {"type": "object", "properties": {"color": {"type": "string"}}},
            "order": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}
        })));
        assert!(commands[0].order);
        let fields: Vec<(&str, Vec<(String, String)>)> = commands[0]
            .filter
            .iter()
            .map(|f| (f.name.as_str(), f.typed.clone()))
            .collect();
        assert_eq!(
            fields,
            [
                ("verified", vec![("eq".into(), "boolean".into())]),
                ("num_gpus", vec![("in".into(), "integer".into())]),
                ("gpu_ram", vec![]),
            ]
        );
        assert_eq!(commands[0].body_flags, [("limit".into(), "limit".into())]);
        // Objects without one operator object among them are no filter.
        let plain = run(body(
            json!({"gpu_ram": {"type": "object"}, "limit": {"type": "integer"}}),
        ));
        assert!(plain[0].filter.is_empty());
        assert!(!plain[0].order);
    }

    #[test]
    fn a_filter_field_carries_its_kind_description_and_default() {
        let commands = run(json!({"/s": {"post": {"summary": "search things",
            "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {
                    "verified": {"type": "object", "properties": {"eq": {"type": "boolean"}},
                                 "default": {"eq": true}},
                    "gpu_ram": {"type": "object", "description": "GPU RAM in MB.\n Example: {\"gte\": 24000}"},
                    "gpu_name": {"type": "object", "description": "Example: {\"in\": [\"RTX_4090\"]}"},
                    "dph": {"type": "object", "description": "Price; see {the docs}"}
                }}}}},
            "responses": {"200": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"things": {"type": "array", "items": {"type": "object",
                    "properties": {"dph": {"type": "number"}}}}}}}}}}}}}));
        let seen: Vec<_> = commands[0]
            .filter
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.kind.as_deref(),
                    f.description.as_str(),
                    f.default.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("verified", None, "", Some(r#"{"eq":true}"#)),
                (
                    "gpu_ram",
                    Some("number"),
                    r#"GPU RAM in MB. Example: {"gte": 24000}"#,
                    None
                ),
                (
                    "gpu_name",
                    Some("string"),
                    r#"Example: {"in": ["RTX_4090"]}"#,
                    None
                ),
                ("dph", Some("number"), "Price; see {the docs}", None),
            ]
        );
    }

    #[test]
    fn a_next_token_and_the_query_parameter_that_takes_it_are_paired() {
        let op = |field: &str, query: &str| {
            run(json!({"/p": {"get": {"summary": "show pages",
                "parameters": [{"name": query, "in": "query", "schema": {"type": "string"}},
                               {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"content": {"application/json": {"schema": {"type": "object",
                    "properties": {"results": {"type": "array"}, field: {"type": "string"}}}}}}}}}}))
            .remove(0)
            .pagination
        };
        for (field, query) in [
            ("next_token", "after_token"),
            ("next_offset", "offset"),
            ("next", "cursor"),
            ("next_page", "page"),
        ] {
            assert_eq!(
                op(field, query),
                Some(Pagination {
                    response_field: field.into(),
                    query_param: query.into(),
                    list_field: Some("results".into()),
                }),
                "{field}"
            );
        }
        assert_eq!(op("next_token", "before_token"), None);
        assert_eq!(op("token", "after_token"), None);
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
    fn the_notes_limit_fields_in_the_vendor_s_phrasing() {
        let doc = json!({"info": {"description": "## Key Quirks\n- `gpu_ram` in CLI = GB\n\
            - `onstart` field is limited to 4048 characters -- gzip+base64 for longer scripts\n\
            - `label` field is limited to 64 characters.\n- nothing else is limited to 3 characters"}});
        assert_eq!(
            documented_limits(&doc),
            [
                (
                    "onstart".into(),
                    4048,
                    "gzip+base64 for longer scripts".into()
                ),
                ("label".into(), 64, String::new())
            ]
        );
    }
}
