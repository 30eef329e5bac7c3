//! How the command table is written into `vast-api-cli/src/generated_commands.rs`: as text, not
//! as Rust structs. A static struct holding `&'static str`s is a pointer for each string, and
//! the loader relocates every pointer of a position-independent binary when it starts, whether
//! the command that runs reads it or not: with 100 operations that was 50 KB of relocations
//! and 64 KB of data touched at every run of `vast` (BENCHMARKS.md). As text, a run reads the
//! index (ids and words) and the one record of the command it runs.
//!
//! The format, read by `vast-api-cli/src/command_table.rs`: `INDEX` holds a line per
//! operation, its id, words and aliases separated by [`FIELD`]; `RECORDS` holds each
//! operation's record, in the same order, ending at the offsets in `RECORD_ENDS`. A record's
//! fields are separated by [`FIELD`], a list's items by [`ITEM`], an item's parts by [`PART`];
//! words are joined by spaces. None of the separators (nor a line break) can occur in the text
//! they separate (identifiers, URLs, the spec's notes on one line, JSON, which escapes control
//! characters): [`render`] refuses a spec whose names have one.

use crate::generate::commands::Command;
use crate::generate::requests::Request;

/// Between a record's fields, and an index line's.
pub const FIELD: char = '\u{1e}';
/// Between a list's items.
pub const ITEM: char = '\u{1f}';
/// Between an item's parts.
pub const PART: char = '\u{1d}';

/// The Rust source of `vast-api-cli/src/generated_commands.rs` (without its header).
pub fn render(commands: &[Command]) -> Result<String, String> {
    let mut index = String::new();
    let mut records = String::new();
    let mut ends = Vec::new();
    for c in commands {
        if let Some(bad) = texts(c)
            .into_iter()
            .find(|t| t.contains(['\n', FIELD, ITEM, PART]))
        {
            return Err(format!(
                "operation `{}`: the name {bad:?} has a line break or control character the \
                 command table cannot hold",
                c.operation_id
            ));
        }
        let line = [
            c.operation_id.clone(),
            c.words.join(" "),
            items(c.aliases.iter().map(|a| a.join(" "))),
        ];
        index.push_str(&line.join(&FIELD.to_string()));
        index.push('\n');
        records.push_str(&record(c).join(&FIELD.to_string()));
        ends.push(records.len().to_string());
    }
    let filters: String = commands
        .iter()
        .filter(|c| !c.filter.is_empty())
        .map(|c| {
            format!(
                "        {:?} => vast_api::filters::{},\n",
                c.operation_id,
                crate::generate::commands::const_name(&c.operation_id)
            )
        })
        .collect();
    Ok(format!(
        "//! Each operation's command, table columns and request, derived from the spec by `cargo xtask gen`,\n\
         //! as text (see `command_table.rs`).\n\n\
         /// A line per operation: its id, words and aliases.\n\
         pub const INDEX: &str = {index:?};\n\n\
         /// Each operation's record, in `INDEX`'s order.\n\
         pub const RECORDS: &str = {records:?};\n\n\
         /// Where each record ends in `RECORDS`.\n\
         pub const RECORD_ENDS: &[u32] = &[{}];\n\n\
         /// The library's filter fields of an operation whose body is a filter.\n\
         pub fn filter_of(operation_id: &str) -> &'static [vast_api::filter::FilterField] {{\n    \
         match operation_id {{\n{filters}        _ => &[],\n    }}\n}}\n",
        ends.join(", ")
    ))
}

/// A command's record: its fields, in the order `command_table.rs` reads them.
fn record(c: &Command) -> Vec<String> {
    let flag = |b: bool| if b { "1" } else { "0" }.to_string();
    let mut fields = vec![
        c.operation_id.clone(),
        c.words.join(" "),
        items(c.aliases.iter().map(|a| a.join(" "))),
        items(c.columns.iter().cloned()),
        items(c.more_columns.iter().cloned()),
        items(c.positional.iter().cloned()),
        match c.filter.is_empty() {
            true => String::new(),
            false => c.operation_id.clone(),
        },
        c.pagination
            .as_ref()
            .map(|p| parts([&p.response_field, &p.query_param]))
            .unwrap_or_default(),
        items(
            c.body_flags
                .iter()
                .map(|(flag, field)| parts([flag, field])),
        ),
        items(
            c.json_flags
                .iter()
                .map(|f| parts([&f.id, &f.long, &f.field, &flag(f.required), &flag(f.text)])),
        ),
        c.method.clone(),
        c.server.clone().unwrap_or_default(),
        items(c.files.iter().cloned()),
        flag(c.order),
        items(
            c.limits
                .iter()
                .map(|(field, most, note)| parts([field, &most.to_string(), note])),
        ),
    ];
    fields.extend(request(&c.request));
    fields
}

/// A request's fields: path, parameters, whether there is a body, its required fields and
/// defaults, the answers, the text checks.
fn request(r: &Request) -> Vec<String> {
    let flag = |b: bool| if b { "1" } else { "0" }.to_string();
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    let body = r.body.as_ref();
    vec![
        r.path.clone(),
        items(
            r.params
                .iter()
                .map(|(id, name, path)| parts([id, name, &flag(*path)])),
        ),
        flag(body.is_some()),
        items(body.into_iter().flat_map(|b| b.required.iter().cloned())),
        items(
            body.into_iter()
                .flat_map(|b| b.defaults.iter().map(|(f, v)| parts([f, v]))),
        ),
        items(r.responses.iter().map(|(status, json, schema)| {
            parts([
                &status.to_string(),
                &flag(*json),
                schema.as_deref().unwrap_or_default(),
            ])
        })),
        items(r.checks.iter().map(|c| {
            parts([
                &c.id,
                &number(c.min),
                &number(c.max),
                c.pattern.as_deref().unwrap_or_default(),
            ])
        })),
    ]
}

/// Every text of a command's record.
fn texts(c: &Command) -> Vec<&str> {
    let r = &c.request;
    let mut texts: Vec<&str> = vec![&c.operation_id, &c.method, &r.path];
    texts.extend(
        c.words
            .iter()
            .chain(c.aliases.iter().flatten())
            .map(String::as_str),
    );
    texts.extend(
        c.columns
            .iter()
            .chain(&c.more_columns)
            .chain(&c.positional)
            .chain(&c.files)
            .map(String::as_str),
    );
    texts.extend(c.server.as_deref());
    texts.extend(
        c.pagination
            .iter()
            .flat_map(|p| [p.response_field.as_str(), &p.query_param]),
    );
    texts.extend(c.body_flags.iter().flat_map(|(a, b)| [a.as_str(), b]));
    texts.extend(
        c.json_flags
            .iter()
            .flat_map(|f| [f.id.as_str(), &f.long, &f.field]),
    );
    texts.extend(c.limits.iter().flat_map(|(a, _, b)| [a.as_str(), b]));
    texts.extend(r.params.iter().flat_map(|(a, b, _)| [a.as_str(), b]));
    texts.extend(
        r.body
            .iter()
            .flat_map(|b| b.required.iter().map(String::as_str)),
    );
    texts.extend(
        r.body
            .iter()
            .flat_map(|b| b.defaults.iter().flat_map(|(a, b)| [a.as_str(), b])),
    );
    texts.extend(r.responses.iter().filter_map(|(_, _, s)| s.as_deref()));
    texts.extend(
        r.checks
            .iter()
            .flat_map(|c| [Some(c.id.as_str()), c.pattern.as_deref()])
            .flatten(),
    );
    texts
}

fn items(list: impl Iterator<Item = String>) -> String {
    list.collect::<Vec<_>>().join(&ITEM.to_string())
}

fn parts<const N: usize>(parts: [&str; N]) -> String {
    parts.join(&PART.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_and_records_are_text_a_line_and_a_record_per_operation() {
        let command = Command {
            operation_id: "show_api_keys".into(),
            words: vec!["show".into(), "api-keys".into()],
            aliases: vec![vec!["list".into(), "user-api-keys".into()]],
            columns: vec!["id".into(), "rights".into()],
            method: "GET".into(),
            ..Default::default()
        };
        let code = render(&[command]).unwrap();
        assert!(
            code.contains(
                r#"pub const INDEX: &str = "show_api_keys\u{1e}show api-keys\u{1e}list user-api-keys\n";"#
            ),
            "{code}"
        );
        assert!(
            code.contains(
                r#"pub const RECORDS: &str = "show_api_keys\u{1e}show api-keys\u{1e}list user-api-keys\u{1e}id\u{1f}rights\u{1e}"#
            ),
            "{code}"
        );
    }

    #[test]
    fn a_control_character_in_the_table_is_refused() {
        let command = Command {
            operation_id: "show".into(),
            columns: vec!["a\u{1f}b".into()],
            ..Default::default()
        };
        let why = render(&[command]).unwrap_err();
        assert_eq!(
            why,
            "operation `show`: the name \"a\\u{1f}b\" has a line break or control character the \
             command table cannot hold"
        );
    }
}
