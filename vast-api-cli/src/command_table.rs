//! The command table's types: what `cargo xtask gen` writes for each operation
//! (`generated_commands.rs`), and what is read from the table as a whole.

use vast_api::filter::FilterField;

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

/// The command that lists what `command` acts on, to check whether it took effect when its
/// answer did not come: a GET without path parameters (the failed call returned no id to look
/// up) whose object is the same word, plural or not (`create instance` → `show instances`,
/// `rent volume` → `list volumes`), a `show` command first.
pub fn listing_for(
    command: &CommandSpec,
    table: &'static [CommandSpec],
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
        .iter()
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
};
