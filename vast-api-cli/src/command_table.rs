//! The command table: what `cargo xtask gen` writes for each operation
//! (`generated_commands.rs`), read from its text, and what is read from the table as a whole.
//!
//! The table is text, not static structs, so that a run of `vast` reads (and its loader
//! relocates) only the index and the record of the command it runs (xtask's
//! `command_records.rs` writes it and has the format). A record is read once, when first
//! asked for, into a [`CommandSpec`] kept for the life of the process, as the static table was.

use std::sync::OnceLock;

use vast_api::filter::FilterField;

use crate::generated_commands::{INDEX, RECORD_ENDS, RECORDS, filter_of};

/// Between a record's fields, a list's items, an item's parts (`command_records.rs`).
const FIELD: char = '\u{1e}';
const ITEM: char = '\u{1f}';
const PART: char = '\u{1d}';
const VALUE: char = '\u{1c}';

/// One operation's command name and table columns, as `cargo xtask gen` derived them from the spec.
pub struct CommandSpec {
    pub operation_id: &'static str,
    /// `["show", "api-keys"]` for `vast show api-keys`; one word for a top-level command.
    pub words: &'static [&'static str],
    /// Other words that run the same operation, hidden from listings: the name the spec now
    /// gives an operation whose recorded name (names.toml) was kept.
    pub aliases: &'static [&'static [&'static str]],
    /// The scalar fields a list response shows as table columns, in the spec's order.
    pub columns: &'static [&'static str],
    /// The listed objects' other properties (objects, lists), shown by `--all-cols` or `--cols`.
    pub more_columns: &'static [&'static str],
    /// Path parameters, taken positionally in this order (`vast show instance 123`).
    pub positional: &'static [&'static str],
    /// When the JSON body is a filter of operator objects: its fields (the library's table,
    /// `vast_api::filters`), taken as a filter expression (crate::filter).
    pub filter: &'static [FilterField],
    /// When the response names a next page: the CLI follows it.
    pub pagination: Option<Pagination>,
    /// Each flag of a JSON body field, (flag id, field name): a flag given on the command line
    /// overrides that field of `--json-body`.
    pub body_flags: &'static [(&'static str, &'static str)],
    /// Each JSON body field without a flag of progenitor's (an object, a list, a field named as
    /// a parameter is): `vast` gives it one.
    pub json_flags: &'static [JsonFlag],
    /// The HTTP method, upper case: a `DELETE` is confirmed first.
    pub method: &'static str,
    /// The server the spec names for this operation, when not the document's: it goes there
    /// unless the base URL is one's own (`Client::operation_server`).
    pub server: Option<&'static str>,
    /// Arguments holding a key or certificate, which also take `@PATH` (the file's contents).
    pub files: &'static [&'static str],
    /// The JSON body sorts by a list of [field, direction] lists: `-o`/`--order` sets it.
    pub order: bool,
    /// Body flags whose length the spec's notes limit: (flag id, most characters, what the
    /// notes say to do instead); a longer value is refused before anything is sent.
    pub limits: &'static [(&'static str, usize, &'static str)],
    /// The request and its documented answers, from which `vast` makes the call (request.rs).
    pub request: Request,
    /// What the command does, for its help.
    pub about: &'static str,
    /// Its arguments, as progenitor defined them (`operation_args::defined` makes them clap's).
    pub arguments: &'static [Argument],
}

/// An argument as progenitor defined it.
pub struct Argument {
    pub id: &'static str,
    pub long: &'static str,
    pub value_name: Option<&'static str>,
    /// The value's type (`string`, `i64`, `f32`, `bool`, `path`, `date-time`, …), `choices`, or
    /// empty for a switch.
    pub kind: &'static str,
    /// An enum's values.
    pub choices: &'static [&'static str],
    /// Whether it is required, when progenitor said.
    pub required: Option<bool>,
    /// Required unless this argument is given.
    pub required_unless: Option<&'static str>,
    /// A switch without a value.
    pub set_true: bool,
    pub help: Option<&'static str>,
}

/// An operation's request and answers, as data: `vast` has no code of its own per operation.
pub struct Request {
    /// The path as the spec writes it, `{name}` for each path parameter.
    pub path: &'static str,
    /// The path and query parameters.
    pub params: &'static [Param],
    /// The JSON body, when the operation takes one.
    pub body: Option<BodySpec>,
    /// The documented answers.
    pub answers: &'static [Answer],
    /// The text arguments the spec constrains, checked before sending.
    pub checks: &'static [TextCheck],
}

/// A text argument's constraints, as the library's text newtypes check them: its id, the least
/// and most characters, and a pattern (ECMAScript, as the spec's).
pub struct TextCheck {
    pub id: &'static str,
    pub min: Option<usize>,
    pub max: Option<usize>,
    pub pattern: Option<&'static str>,
}

/// A path or query parameter and the argument that gives it.
pub struct Param {
    /// The argument's id.
    pub id: &'static str,
    /// The parameter's name in the spec.
    pub name: &'static str,
    /// In the path (else in the query).
    pub path: bool,
}

/// What the library's typed body does that a body made of JSON must do too.
pub struct BodySpec {
    /// The fields the body must have.
    pub required: &'static [&'static str],
    /// Each field's default, as JSON text, in name order: a body made from flags has them
    /// unless a flag sets the field.
    pub defaults: &'static [(&'static str, &'static str)],
}

/// A documented answer: its status (`0` for the spec's `default`), whether it is JSON, and for
/// a success the schema its body is checked against (JSON text, `$ref`s inlined).
pub struct Answer {
    pub status: u16,
    pub json: bool,
    pub schema: Option<&'static str>,
}

/// A body field's flag that `vast` adds (`operation_args::adapted`), progenitor having made none.
#[derive(Debug, Clone, Copy)]
pub struct JsonFlag {
    /// The argument's id: the field's name in kebab case, or `body-` and that when a parameter
    /// has the name.
    pub id: &'static str,
    /// The flag's name (`--permissions`).
    pub long: &'static str,
    /// The body field it sets.
    pub field: &'static str,
    /// Required unless `--json-body` is given, as progenitor's flags for required fields are.
    pub required: bool,
    /// A string field: the flag takes text as it is. Any other takes JSON, or `@PATH`.
    pub text: bool,
}

/// The response field naming the next page (`next_token`), sent back in the query parameter the
/// spec pairs with it (`after_token`).
#[derive(Debug, Clone, Copy)]
pub struct Pagination {
    pub response_field: &'static str,
    pub query_param: &'static str,
}

/// An operation's id and the words that name it, from the table's index: all that finding the
/// command a line names reads.
pub struct Names {
    pub operation_id: &'static str,
    pub words: &'static [&'static str],
    pub aliases: &'static [&'static [&'static str]],
}

/// Every operation's names, in the table's order.
pub fn names() -> &'static [Names] {
    static NAMES: OnceLock<Vec<Names>> = OnceLock::new();
    NAMES.get_or_init(|| {
        INDEX
            .lines()
            .map(|line| {
                let mut fields = line.split(FIELD);
                let mut next = || fields.next().unwrap_or_default();
                Names {
                    operation_id: next(),
                    words: kept(next().split(' ').collect()),
                    aliases: kept(
                        items(next())
                            .map(|a| kept(a.split(' ').collect()))
                            .collect(),
                    ),
                }
            })
            .collect()
    })
}

/// The entries whose names `keep` takes, in the table's order: found in the index, only their
/// records are read.
pub fn specs_where(keep: impl Fn(&Names) -> bool) -> impl Iterator<Item = &'static CommandSpec> {
    let kept = names().iter().enumerate().filter(move |(_, n)| keep(n));
    kept.map(|(index, _)| spec_at(index))
}

/// The entry of the operation `operation_id`; [`UNLISTED`] when the spec has none.
pub fn spec_named(operation_id: &str) -> &'static CommandSpec {
    specs_where(|n| n.operation_id == operation_id)
        .next()
        .unwrap_or(&UNLISTED)
}

/// Every entry, each read from its record (help and completions, which list every command,
/// and a failure's hint, which looks for a listing command).
pub fn all() -> impl Iterator<Item = &'static CommandSpec> {
    specs_where(|_| true)
}

/// The entry at `index` in the table, read from its record the first time it is asked for.
fn spec_at(index: usize) -> &'static CommandSpec {
    // A pointer per operation until its record is read: a run reads one.
    static SPECS: OnceLock<Vec<OnceLock<&'static CommandSpec>>> = OnceLock::new();
    let specs = SPECS.get_or_init(|| RECORD_ENDS.iter().map(|_| OnceLock::new()).collect());
    let start = index
        .checked_sub(1)
        .and_then(|i| RECORD_ENDS.get(i))
        .map_or(0, |end| *end as usize);
    let end = RECORD_ENDS.get(index).map_or(0, |end| *end as usize);
    match (specs.get(index), RECORDS.get(start..end)) {
        (Some(cell), Some(record)) => cell.get_or_init(|| Box::leak(Box::new(parse(record)))),
        _ => &UNLISTED,
    }
}

/// A list read from the table, kept for the life of the process like the record it came from.
fn kept<T>(list: Vec<T>) -> &'static [T] {
    Box::leak(list.into_boxed_slice())
}

/// A field's list items; an empty field is an empty list.
fn items(field: &'static str) -> impl Iterator<Item = &'static str> {
    field.split(ITEM).filter(|item| !item.is_empty())
}

/// An item's `N` parts, the missing ones empty.
fn parts<const N: usize>(item: &'static str) -> [&'static str; N] {
    let mut parts = item.split(PART);
    std::array::from_fn(|_| parts.next().unwrap_or_default())
}

/// A record's fields, in the order `command_records.rs` writes them.
fn parse(record: &'static str) -> CommandSpec {
    let mut fields = record.split(FIELD);
    let mut next = || fields.next().unwrap_or_default();
    let operation_id = next();
    CommandSpec {
        operation_id,
        words: kept(next().split(' ').collect()),
        aliases: kept(
            items(next())
                .map(|a| kept(a.split(' ').collect()))
                .collect(),
        ),
        columns: kept(items(next()).collect()),
        more_columns: kept(items(next()).collect()),
        positional: kept(items(next()).collect()),
        filter: match next() {
            "" => &[],
            id => filter_of(id),
        },
        pagination: Some(next()).filter(|p| !p.is_empty()).map(|p| {
            let [response_field, query_param] = parts(p);
            Pagination {
                response_field,
                query_param,
            }
        }),
        body_flags: kept(items(next()).map(|i| parts::<2>(i).into()).collect()),
        json_flags: kept(items(next()).map(json_flag).collect()),
        method: next(),
        server: Some(next()).filter(|s| !s.is_empty()),
        files: kept(items(next()).collect()),
        order: next() == "1",
        limits: kept(
            items(next())
                .map(|i| {
                    let [flag, most, note] = parts(i);
                    (flag, most.parse().unwrap_or(usize::MAX), note)
                })
                .collect(),
        ),
        request: parse_request(&mut next),
        about: next(),
        arguments: kept(items(next()).map(argument).collect()),
    }
}

fn argument(item: &'static str) -> Argument {
    let [
        id,
        long,
        value_name,
        kind,
        choices,
        required,
        unless,
        set_true,
        help,
    ] = parts(item);
    let given = |text: &'static str| Some(text).filter(|t| !t.is_empty());
    Argument {
        id,
        long,
        value_name: given(value_name),
        kind,
        choices: kept(choices.split(VALUE).filter(|c| !c.is_empty()).collect()),
        required: given(required).map(|r| r == "1"),
        required_unless: given(unless),
        set_true: set_true == "1",
        help: given(help),
    }
}

fn json_flag(item: &'static str) -> JsonFlag {
    let [id, long, field, required, text] = parts(item);
    JsonFlag {
        id,
        long,
        field,
        required: required == "1",
        text: text == "1",
    }
}

/// The request's fields of a record, after the command's.
fn parse_request(next: &mut impl FnMut() -> &'static str) -> Request {
    let path = next();
    let params = kept(
        items(next())
            .map(|i| {
                let [id, name, path] = parts(i);
                Param {
                    id,
                    name,
                    path: path == "1",
                }
            })
            .collect(),
    );
    let has_body = next() == "1";
    let required = kept(items(next()).collect());
    let defaults = kept(items(next()).map(|i| parts::<2>(i).into()).collect());
    let answers = kept(
        items(next())
            .map(|i| {
                let [status, json, schema] = parts(i);
                Answer {
                    status: status.parse().unwrap_or_default(),
                    json: json == "1",
                    schema: Some(schema).filter(|s| !s.is_empty()),
                }
            })
            .collect(),
    );
    let checks = kept(
        items(next())
            .map(|i| {
                let [id, min, max, pattern] = parts(i);
                TextCheck {
                    id,
                    min: min.parse().ok(),
                    max: max.parse().ok(),
                    pattern: Some(pattern).filter(|p| !p.is_empty()),
                }
            })
            .collect(),
    );
    Request {
        path,
        params,
        body: has_body.then_some(BodySpec { required, defaults }),
        answers,
        checks,
    }
}

/// The command that lists what `command` acts on, to check whether it took effect when its
/// answer did not come: a GET without path parameters (the failed call returned no id to look
/// up) whose object is the same word, plural or not (`create instance` → `show instances`,
/// `rent volume` → `list volumes`), a `show` command first.
pub fn listing_for(
    command: &CommandSpec,
    table: impl IntoIterator<Item = &'static CommandSpec>,
) -> Option<&'static CommandSpec> {
    let [_, object] = command.words else {
        return None;
    };
    let same_object = |listed: &str| {
        listed == *object
            || listed.strip_suffix('s') == Some(object)
            || listed.strip_suffix("es") == Some(object)
    };
    table
        .into_iter()
        .filter(|c| c.method == "GET" && c.positional.is_empty())
        .filter(|c| matches!(c.words, [_, listed] if same_object(listed)))
        .min_by_key(|c| c.words[0] != "show")
}

/// Never reached with code from `cargo xtask gen`; keeps a hand-edited table from crashing `vast`.
pub const UNLISTED: CommandSpec = CommandSpec {
    operation_id: "",
    words: &["unlisted"],
    aliases: &[],
    columns: &[],
    more_columns: &[],
    positional: &[],
    filter: &[],
    pagination: None,
    body_flags: &[],
    json_flags: &[],
    method: "",
    server: None,
    files: &[],
    order: false,
    limits: &[],
    request: Request {
        path: "",
        params: &[],
        body: None,
        answers: &[],
        checks: &[],
    },
    about: "",
    arguments: &[],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_reads_as_its_index_line_names_it() {
        assert_eq!(names().len(), RECORD_ENDS.len());
        for (names, spec) in names().iter().zip(all()) {
            assert_eq!(names.operation_id, spec.operation_id);
            assert_eq!((names.words, names.aliases), (spec.words, spec.aliases));
            assert!(
                ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&spec.method),
                "{}: {}",
                spec.operation_id,
                spec.method
            );
            assert!(spec.request.path.starts_with('/'), "{}", spec.request.path);
        }
        // Whatever the spec: `show api-keys`, with its documented success.
        let keys = spec_named("show_api_keys");
        assert_eq!(keys.words, ["show", "api-keys"]);
        assert!(
            keys.request
                .answers
                .iter()
                .any(|a| a.status == 200 && a.json)
        );
        assert_eq!(spec_named("no_such_operation").operation_id, "");
    }
}
