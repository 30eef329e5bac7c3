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

use std::collections::HashMap;

use crate::generate::commands::Command;
use crate::generate::requests::Request;
use crate::generate::rewrites::cli_commands::{ArgDef, Definition};

/// Between a record's fields, and an index line's.
pub const FIELD: char = '\u{1e}';
/// Between a list's items.
pub const ITEM: char = '\u{1f}';
/// Between an item's parts.
pub const PART: char = '\u{1d}';
/// Between the values of a part (an enum's possible values).
pub const VALUE: char = '\u{1c}';

/// The Rust source of `vast-api-cli/src/generated_commands.rs` (without its header), with each
/// command's arguments from progenitor's `definitions`.
pub fn render(
    commands: &[Command],
    definitions: &HashMap<String, Definition>,
) -> Result<String, String> {
    let mut index = String::new();
    let mut records = String::new();
    let mut ends = Vec::new();
    for c in commands {
        let Some(definition) = definitions.get(&c.operation_id) else {
            return Err(format!(
                "internal error: the command table names `{}`, which the generated CLI does not",
                c.operation_id
            ));
        };
        let separators = [FIELD, ITEM, PART, VALUE];
        let names = texts(c);
        let bad = (names.iter().copied())
            .find(|t| t.contains('\n') || t.contains(separators))
            .or_else(|| definition_texts(definition).find(|t| t.contains(separators)));
        if let Some(bad) = bad {
            return Err(format!(
                "operation `{}`: the text {bad:?} has a line break or control character the \
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
        let mut fields = record(c);
        fields.extend(definition_fields(definition));
        records.push_str(&fields.join(&FIELD.to_string()));
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

/// A definition's fields, after the request's: the `about`, then each argument's id, flag, value
/// name, kind, possible values, required (`1`, `0`, or empty when not said), required unless
/// which argument is given, switch (`1`), help.
fn definition_fields(d: &Definition) -> [String; 2] {
    let flag = |b: bool| if b { "1" } else { "0" }.to_string();
    let arg = |a: &ArgDef| {
        parts([
            &a.id,
            &a.long,
            a.value_name.as_deref().unwrap_or_default(),
            &a.kind,
            &a.choices.join(&VALUE.to_string()),
            &a.required.map(flag).unwrap_or_default(),
            a.required_unless.as_deref().unwrap_or_default(),
            &flag(a.set_true),
            a.help.as_deref().unwrap_or_default(),
        ])
    };
    [d.about.clone(), items(d.args.iter().map(arg))]
}

/// Every text of a definition (line breaks allowed: help has them).
fn definition_texts(d: &Definition) -> impl Iterator<Item = &str> {
    std::iter::once(d.about.as_str()).chain(d.args.iter().flat_map(|a| {
        [&a.id, &a.long, &a.kind]
            .into_iter()
            .map(String::as_str)
            .chain(a.choices.iter().map(String::as_str))
            .chain(
                [
                    a.value_name.as_deref(),
                    a.required_unless.as_deref(),
                    a.help.as_deref(),
                ]
                .into_iter()
                .flatten(),
            )
    }))
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
        let definitions = HashMap::from([("show_api_keys".to_string(), Definition::default())]);
        let code = render(&[command], &definitions).unwrap();
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
        let definitions = HashMap::from([("show".to_string(), Definition::default())]);
        let why = render(&[command], &definitions).unwrap_err();
        assert_eq!(
            why,
            "operation `show`: the text \"a\\u{1f}b\" has a line break or control character the \
             command table cannot hold"
        );
    }
}
