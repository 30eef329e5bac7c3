//! Naming: each operation's Rust method and `vast` command.
//!
//! Names recorded in `names.toml` are kept, whatever the spec now calls the operation, so an
//! update that retitles operations renames nothing users call. A new operation is named by a
//! chain that always ends in a free name: for the method, its operationId, then its summary,
//! then its method and path, then a numeric suffix; for the command, its summary (in the vendor
//! CLI's grammar), then its operationId, then its method and path, then a numeric suffix. Every
//! step past the first is reported with both locations. Operations are named in document order,
//! so the result is deterministic. Each operation's area (the cargo feature that compiles it) is
//! recorded and kept the same way ([`areas`]).

pub mod areas;
mod table;

use std::collections::BTreeMap;

use serde_json::Value;

pub use table::{Entry, FILE, Table, identity};

use crate::generate::openapi::Location;

/// One operation's names.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub at: Location,
    pub identity: String,
    pub rust: String,
    pub words: Vec<String>,
    /// The operationId as the spec writes it, which `subset.toml` may name the operation by.
    pub operation_id: Option<String>,
    /// The path parameters' names, in path order: the recorded ones, else the spec's.
    pub params: Vec<String>,
    /// Other commands that run it: the name the spec now suggests, where the recorded one differs
    /// and the suggestion is free. Not recorded: they follow the spec.
    pub aliases: Vec<Vec<String>>,
    /// The cargo feature of vast-api that compiles it.
    pub area: String,
}

/// The names of every operation in document order, the table to write back, and what the person
/// running `gen` should know (fallbacks, names kept against the spec, operations gone).
#[derive(Debug, Default)]
pub struct Naming {
    pub operations: Vec<Named>,
    pub table: Table,
    pub notes: Vec<String>,
}

impl Naming {
    /// The names given to the operation at `paths.<path>.<method>`.
    pub fn of(&self, at: &Location) -> Option<&Named> {
        self.operations.iter().find(|n| &n.at == at)
    }
}

/// Method names that would clash with code progenitor writes: `Client`'s own methods and its
/// traits' (a method shadows them), and the names the generated `builder` module uses, which an
/// operation's builder type (`Error` for `error`) would hide.
const RESERVED_METHODS: [(&str, &str); 23] = [
    ("new", "`Client::new`, which the client itself defines"),
    (
        "new_with_client",
        "`Client::new_with_client`, which the client itself defines",
    ),
    (
        "api_version",
        "`Client::api_version`, which the client itself defines",
    ),
    (
        "baseurl",
        "`Client::baseurl`, which the client itself defines",
    ),
    (
        "client",
        "`Client::client`, which the client itself defines",
    ),
    ("inner", "`Client::inner`, which the client itself defines"),
    ("pre", "the client's hook `pre`"),
    ("post", "the client's hook `post`"),
    ("exec", "the client's hook `exec`"),
    (
        "from_env",
        "`Client::from_env`, which the client itself defines",
    ),
    (
        "base_url",
        "`Client::base_url`, which the client itself defines",
    ),
    (
        "byte_stream",
        "`ByteStream`, which the generated builders use",
    ),
    (
        "client_info",
        "`ClientInfo`, which the generated builders use",
    ),
    (
        "client_hooks",
        "`ClientHooks`, which the generated builders use",
    ),
    ("error", "`Error`, which the generated builders use"),
    (
        "operation_info",
        "`OperationInfo`, which the generated builders use",
    ),
    (
        "request_builder_ext",
        "`RequestBuilderExt`, which the generated builders use",
    ),
    (
        "response_value",
        "`ResponseValue`, which the generated builders use",
    ),
    ("result", "`Result`, which the generated builders use"),
    ("string", "`String`, which the generated builders use"),
    ("option", "`Option`, which the generated builders use"),
    ("vec", "`Vec`, which the generated builders use"),
    ("box", "`Box`, which the generated builders use"),
];

/// Commands the CLI has besides the operations (clap adds `help` to every group).
const RESERVED_COMMANDS: [(&[&str], &str); 3] = [
    (&["set", "api-key"], "the CLI's own `vast set api-key`"),
    (&["completions"], "the CLI's own `vast completions`"),
    (&["help"], "the CLI's `vast help`"),
];

const RUST_KEYWORDS: [&str; 52] = [
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// A method name progenitor can emit as written: snake case, a Rust identifier, not a keyword.
pub fn valid_rust_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RUST_KEYWORDS.contains(&name)
        && crate::generate::progenitor_names::method(name) == name
}

/// One or two words of lower-case letters, digits and `-`, none of them `help`.
pub fn valid_command(words: &[String]) -> bool {
    (1..=2).contains(&words.len())
        && words.iter().all(|w| {
            w != "help"
                && w.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// Two commands cannot coexist when they are the same, or when one is a group the other's first
/// word would have to be both a command and a group.
fn commands_clash(a: &[String], b: &[String]) -> bool {
    a == b || (a.len() != b.len() && a[0] == b[0])
}

/// Two methods clash when their names differ only by `_`: progenitor's type names for them
/// (`Get2fa`, from `get_2fa` and `get2fa`) would be the same.
fn rust_key(name: &str) -> String {
    name.replace('_', "")
}

/// What one operation offers to be named from.
struct Operation<'a> {
    at: Location,
    method: &'static str,
    path: &'a str,
    identity: String,
    operation_id: Option<&'a str>,
    summary: Option<&'a str>,
    /// Its first tag, which names its area.
    tag: Option<&'a str>,
    /// The names of its parameters that are not in the path (query, header, cookie).
    other_params: Vec<String>,
}

/// progenitor makes one argument of each parameter, named in snake case: a path parameter whose
/// name another parameter also has (`{id}` and the query `id`, or `{Id}` and `{id}`) makes it
/// panic. Such a path parameter is named `<name>_path` (its name is not sent; its place is).
fn distinct_params(op: &Operation, params: &mut [String], notes: &mut Vec<String>) {
    use crate::generate::progenitor_names::setter;
    let mut seen: Vec<String> = op.other_params.iter().map(|p| setter(p)).collect();
    for param in params.iter_mut() {
        if seen.contains(&setter(param)) {
            let base = format!("{param}_path");
            let renamed = std::iter::once(base.clone())
                .chain((2..).map(|n| format!("{base}_{n}")))
                .find(|c| !seen.contains(&setter(c)))
                .expect("some number is free");
            notes.push(format!(
                "{}: the path parameter `{param}` has the name of another of its parameters: named `{renamed}`",
                op.at
            ));
            *param = renamed;
        }
        seen.push(setter(param));
    }
}

/// A name some text of the spec gives, or why it gives none.
type Candidate<T> = (&'static str, Result<T, String>);

/// The method name a text gives: its words in snake case.
fn rust_candidate(text: &str) -> Result<String, String> {
    if text.chars().any(|c| c.is_alphanumeric() && !c.is_ascii()) {
        return Err("it has letters outside ASCII".into());
    }
    let name = snake_case(text);
    if name.is_empty() {
        Err("it has no letters or digits".into())
    } else if RUST_KEYWORDS.contains(&name.as_str()) {
        Err(format!("`{name}` is a Rust keyword"))
    } else if !valid_rust_name(&name) {
        Err(format!(
            "`{name}` is not a method name progenitor keeps as it is"
        ))
    } else {
        Ok(name)
    }
}

/// The command a text gives, in the vendor CLI's grammar.
fn command_candidate(text: &str) -> Result<Vec<String>, String> {
    if text.chars().any(|c| c.is_alphanumeric() && !c.is_ascii()) {
        return Err("it has letters outside ASCII".into());
    }
    let words = command_words(text);
    if words.is_empty() {
        Err("it has no letters or digits".into())
    } else if words.iter().any(|w| w == "help") {
        Err(format!(
            "`{}` has the word `help`, which clap keeps for its own help",
            words.join(" ")
        ))
    } else if !valid_command(&words) {
        Err(format!("`{}` is not a usable command", words.join(" ")))
    } else {
        Ok(words)
    }
}

impl Operation<'_> {
    /// Method-name candidates, first choice first, with where each came from.
    fn rust_candidates(&self) -> Vec<Candidate<String>> {
        let mut out = Vec::new();
        if let Some(id) = self.operation_id {
            let id = if id.is_ascii() {
                crate::generate::progenitor_names::method(id)
            } else {
                id.to_string()
            };
            out.push(("the operationId", rust_candidate(&id)));
        }
        if let Some(summary) = self.summary {
            out.push(("the summary", rust_candidate(summary)));
        }
        out.push((
            "the method and path",
            rust_candidate(&method_path_words(self.method, self.path).join(" ")),
        ));
        out
    }

    /// Command candidates, first choice first, with where each came from.
    fn command_candidates(&self) -> Vec<Candidate<Vec<String>>> {
        let mut out = Vec::new();
        if let Some(summary) = self.summary {
            out.push(("the summary", command_candidate(summary)));
        }
        if let Some(id) = self.operation_id {
            let id = if id.is_ascii() {
                crate::generate::progenitor_names::method(id).replace('_', " ")
            } else {
                id.to_string()
            };
            out.push(("the operationId", command_candidate(&id)));
        }
        out.push((
            "the method and path",
            command_candidate(&method_path_words(self.method, self.path).join(" ")),
        ));
        out
    }

    /// The name the spec suggests first, if its texts give any.
    fn suggested<T>(candidates: Vec<Candidate<T>>) -> Option<T> {
        candidates.into_iter().find_map(|(_, c)| c.ok())
    }
}

/// The operations of the document, in document order, with their identities; a second operation
/// with the identity of an earlier one (a spec spelling `/a` and `/a/` both) is `… #2`.
fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    crate::generate::openapi::operations(doc)
        .map(|(path, method, op)| {
            let base = identity(method, path);
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            let text = |key: &str| {
                op.get(key)
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
            };
            Operation {
                at: Location::root().key("paths").key(path).key(method),
                method,
                path,
                identity: if *n == 1 {
                    base
                } else {
                    format!("{base} #{n}")
                },
                operation_id: text("operationId"),
                summary: text("summary"),
                tag: op
                    .get("tags")
                    .and_then(Value::as_array)
                    .and_then(|tags| tags.first())
                    .and_then(Value::as_str),
                other_params: doc
                    .pointer(&format!(
                        "/paths/{}/parameters",
                        path.replace('~', "~0").replace('/', "~1")
                    ))
                    .into_iter()
                    .chain(op.get("parameters"))
                    .filter_map(Value::as_array)
                    .flatten()
                    .map(|p| crate::generate::openapi::resolve(p, doc))
                    .filter(|p| p.get("in").and_then(Value::as_str) != Some("path"))
                    .filter_map(|p| p.get("name").and_then(Value::as_str).map(String::from))
                    .collect(),
            }
        })
        .collect()
}

/// Who holds a name already, as a person reads it.
#[derive(Default)]
struct Taken {
    methods: BTreeMap<String, String>,
    commands: Vec<(Vec<String>, String)>,
}

impl Taken {
    /// The names code outside the spec holds.
    fn reserved() -> Self {
        let mut taken = Taken::default();
        for (words, holder) in RESERVED_COMMANDS {
            taken.commands.push((
                words.iter().map(|w| w.to_string()).collect(),
                holder.to_string(),
            ));
        }
        for (name, holder) in RESERVED_METHODS {
            taken.methods.insert(rust_key(name), holder.to_string());
        }
        taken
    }

    fn method_holder(&self, name: &str) -> Option<&str> {
        self.methods.get(&rust_key(name)).map(String::as_str)
    }

    fn command_holder(&self, words: &[String]) -> Option<String> {
        let (taken, holder) = self
            .commands
            .iter()
            .find(|(taken, _)| commands_clash(taken, words))?;
        Some(if taken == words {
            holder.clone()
        } else {
            // Not the same command: one of the two would make the first word both a command
            // and a group of commands.
            format!(
                "{holder}, whose `vast {}` makes `{}` {}",
                taken.join(" "),
                taken[0],
                if taken.len() == 1 {
                    "a command"
                } else {
                    "a group"
                }
            )
        })
    }
}

/// Names every operation of the (normalised up to naming) document, keeping `recorded` names:
/// recorded names first, as they hold whatever new operations would like to take, then new
/// operations in document order, then each operation's parameters, area and notes.
pub fn assign(doc: &Value, recorded: &Table) -> Result<Naming, String> {
    let ops = operations(doc);
    let mut taken = Taken::reserved();
    let mut notes = Vec::new();
    let mut names = keep_recorded(&ops, recorded, &mut taken)?;
    name_new(&ops, &mut names, &mut taken, &mut notes);
    let mut table = Table::default();
    let mut operations = Vec::new();
    for (op, names) in ops.iter().zip(names) {
        let (rust, words) = names.expect("every operation was named above");
        let named = complete(op, rust, words, recorded, &mut taken, &mut notes);
        table.0.insert(
            named.identity.clone(),
            Entry {
                rust: named.rust.clone(),
                cli: named.words.clone(),
                params: named.params.clone(),
                area: Some(named.area.clone()),
            },
        );
        operations.push(named);
    }
    notes.extend(gone(recorded, &table, &operations));
    Ok(Naming {
        operations,
        table,
        notes,
    })
}

/// Each operation's method and command words, as far as they are named.
type Names = Vec<Option<(String, Vec<String>)>>;

/// The recorded names of the operations `names.toml` has, taken first; an error when a recorded
/// name clashes with another.
fn keep_recorded(ops: &[Operation], recorded: &Table, taken: &mut Taken) -> Result<Names, String> {
    let mut names: Names = vec![None; ops.len()];
    for (i, op) in ops.iter().enumerate() {
        let Some(entry) = recorded.0.get(&op.identity) else {
            continue;
        };
        let holder = format!("{} (recorded in {FILE})", op.at);
        if let Some(other) = taken.method_holder(&entry.rust) {
            return Err(format!(
                "{FILE}: [\"{}\"]: the method name `{}` is also {other}: rename one in {FILE}",
                op.identity, entry.rust
            ));
        }
        if let Some(other) = taken.command_holder(&entry.cli) {
            return Err(format!(
                "{FILE}: [\"{}\"]: the command `{}` clashes with {other}: rename one in {FILE}",
                op.identity,
                entry.cli.join(" ")
            ));
        }
        taken.methods.insert(rust_key(&entry.rust), holder.clone());
        taken.commands.push((entry.cli.clone(), holder));
        names[i] = Some((entry.rust.clone(), entry.cli.clone()));
    }
    Ok(names)
}

/// Names the operations not named yet, in document order: the first free candidate, else a
/// numbered first choice.
fn name_new(ops: &[Operation], names: &mut Names, taken: &mut Taken, notes: &mut Vec<String>) {
    for (op, names) in ops.iter().zip(names.iter_mut()) {
        if names.is_some() {
            continue;
        }
        let holder = op.at.to_string();
        let rust = pick::<MethodName>(
            &op.at,
            op.rust_candidates(),
            crate::generate::progenitor_names::method(op.method),
            taken,
            notes,
        );
        taken.methods.insert(rust_key(&rust), holder.clone());
        let words = pick::<CommandWords>(
            &op.at,
            op.command_candidates(),
            vec![op.method.to_string()],
            taken,
            notes,
        );
        taken.commands.push((words.clone(), holder));
        *names = Some((rust, words));
    }
}

/// The operation's names with its path parameters and area, noting what was kept from
/// `names.toml` against the spec (and taking the spec's suggestion as an alias where it is free).
fn complete(
    op: &Operation,
    rust: String,
    words: Vec<String>,
    recorded: &Table,
    taken: &mut Taken,
    notes: &mut Vec<String>,
) -> Named {
    let entry = recorded.0.get(&op.identity);
    let mut params = crate::generate::openapi::path_params(op.path);
    if let Some(entry) = entry
        && entry.params.len() == params.len()
        && entry.params != params
    {
        notes.push(format!(
            "{}: kept the path parameter names `{}` from {FILE}; the spec now calls them `{}`",
            op.at,
            entry.params.join("`, `"),
            params.join("`, `")
        ));
        params = entry.params.clone();
    }
    distinct_params(op, &mut params, notes);
    let recorded_area = entry.and_then(|e| e.area.as_deref());
    let area = areas::assign(&op.at, op.tag, recorded_area, notes);
    let mut aliases = Vec::new();
    if entry.is_some() {
        let mut kept = Vec::new();
        if let Some(suggested) = Operation::suggested(op.rust_candidates())
            && suggested != rust
        {
            kept.push(format!(
                "the method `{rust}` (the spec suggests `{suggested}`)"
            ));
        }
        if let Some(suggested) = Operation::suggested(op.command_candidates())
            && suggested != words
        {
            kept.push(suggested_alias(op, &words, suggested, taken, &mut aliases));
        }
        if !kept.is_empty() {
            notes.push(format!(
                "{}: kept {} from {FILE}",
                op.at,
                kept.join(" and ")
            ));
        }
    }
    Named {
        at: op.at.clone(),
        identity: op.identity.clone(),
        rust,
        words,
        operation_id: op.operation_id.map(String::from),
        params,
        aliases,
        area,
    }
}

/// The spec's suggested command for an operation whose recorded one differs: an alias where it
/// is free. What was kept and why, for the note.
fn suggested_alias(
    op: &Operation,
    words: &[String],
    suggested: Vec<String>,
    taken: &mut Taken,
    aliases: &mut Vec<Vec<String>>,
) -> String {
    let shown = suggested.join(" ");
    let alias = if commands_clash(&suggested, words) {
        format!(
            "not an alias: `vast {}` would be both a command and a group",
            suggested[0]
        )
    } else if let Some(other) = taken.command_holder(&suggested) {
        format!("not an alias: it is {other}")
    } else {
        taken
            .commands
            .push((suggested.clone(), format!("an alias of {}", op.at)));
        aliases.push(suggested);
        "which runs it too".into()
    };
    format!(
        "the command `vast {}` (the spec suggests `vast {shown}`, {alias})",
        words.join(" ")
    )
}

/// Notes on the operations `names.toml` records that the spec no longer has.
fn gone(recorded: &Table, table: &Table, operations: &[Named]) -> Vec<String> {
    let mut notes = Vec::new();
    for (identity, entry) in &recorded.0 {
        if table.0.contains_key(identity) {
            continue;
        }
        // A new operation may have been given the same names by the rules (the vendor moved
        // the operation to another path): the names then go on, to another endpoint.
        let heir = operations
            .iter()
            .find(|n| n.rust == entry.rust && !recorded.0.contains_key(&n.identity));
        notes.push(match heir {
            Some(heir) => format!(
                "{identity}: no longer in the spec; `{}` and `vast {}` now call {}, new to {FILE}",
                entry.rust,
                entry.cli.join(" "),
                heir.identity
            ),
            None => format!(
                "{identity}: no longer in the spec: `{}` and `vast {}` are gone, and dropped from {FILE}",
                entry.rust,
                entry.cli.join(" ")
            ),
        });
    }
    notes
}

/// One kind of name (a method, a command): who holds one already, how it is numbered when every
/// candidate is taken, and how a note shows it.
trait NameKind {
    type Name: Clone;
    const KIND: &'static str;
    fn holder(taken: &Taken, name: &Self::Name) -> Option<String>;
    fn numbered(name: &Self::Name, n: usize) -> Vec<Self::Name>;
    fn show(name: &Self::Name) -> String;
}

struct MethodName;

impl NameKind for MethodName {
    type Name = String;
    const KIND: &'static str = "method name";
    fn holder(taken: &Taken, name: &String) -> Option<String> {
        taken.method_holder(name).map(String::from)
    }
    fn numbered(name: &String, n: usize) -> Vec<String> {
        vec![format!("{name}_{n}")]
    }
    fn show(name: &String) -> String {
        name.clone()
    }
}

struct CommandWords;

impl NameKind for CommandWords {
    type Name = Vec<String>;
    const KIND: &'static str = "command";
    fn holder(taken: &Taken, words: &Vec<String>) -> Option<String> {
        taken.command_holder(words)
    }
    fn numbered(words: &Vec<String>, n: usize) -> Vec<Vec<String>> {
        let mut numbered = words.clone();
        if let Some(last) = numbered.last_mut() {
            *last = format!("{last}-{n}");
        }
        // When the group is a command of its own, no number frees a name in it; one word then
        // always can be.
        vec![numbered, vec![format!("{}-{n}", words.join("-"))]]
    }
    fn show(words: &Vec<String>) -> String {
        words.join(" ")
    }
}

/// The first candidate no one holds; else the first usable candidate (or `last_resort`) with the
/// smallest free number. Each step past the first choice is noted, with who holds what was
/// passed over or why a text gave no name.
fn pick<K: NameKind>(
    at: &Location,
    candidates: Vec<Candidate<K::Name>>,
    last_resort: K::Name,
    taken: &Taken,
    notes: &mut Vec<String>,
) -> K::Name {
    let kind = K::KIND;
    let mut passed = Vec::new();
    for (source, candidate) in &candidates {
        match candidate {
            Err(why) => passed.push(format!("{source} gives no {kind}: {why}")),
            Ok(candidate) => match K::holder(taken, candidate) {
                None => {
                    if !passed.is_empty() {
                        notes.push(format!(
                            "{at}: {}; named `{}` from {source}",
                            passed.join("; "),
                            K::show(candidate)
                        ));
                    }
                    return candidate.clone();
                }
                Some(other) => passed.push(format!(
                    "the {kind} `{}` (from {source}) is taken by {other}",
                    K::show(candidate)
                )),
            },
        }
    }
    let (source, first) = candidates
        .iter()
        .find_map(|(source, c)| Some((*source, c.as_ref().ok()?.clone())))
        .unwrap_or(("the method", last_resort));
    let named = (2..)
        .flat_map(|n| K::numbered(&first, n))
        .find(|c| K::holder(taken, c).is_none())
        .expect("some number is free");
    notes.push(format!(
        "{at}: {}; named `{}` from {source} and a number",
        passed.join("; "),
        K::show(&named)
    ));
    named
}

/// Lower-case words joined by `_`; anything that is not a letter or digit separates words.
/// A name must not start with a digit, as it becomes a Rust identifier.
pub fn snake_case(text: &str) -> String {
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

/// The vendor CLI's grammar: the first word, then the rest joined by `-`
/// ("show api keys" → `show`, `api-keys`).
pub fn command_words(text: &str) -> Vec<String> {
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
                .split('-')
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("-")
        })
        .filter(|w| !w.is_empty())
        .collect();
    match words.split_first() {
        None => Vec::new(),
        Some((first, [])) => vec![first.clone()],
        Some((first, rest)) => vec![first.clone(), rest.join("-")],
    }
}

/// The method, then the path's fixed segments after a leading `api` and version (`v0`):
/// `get /api/v0/instances/{id}/ssh/` → `get instances ssh`.
fn method_path_words(method: &str, path: &str) -> Vec<String> {
    let is_prefix = |s: &str| {
        s == "api"
            || s.strip_prefix('v')
                .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    std::iter::once(method.to_string())
        .chain(
            path.split('/')
                .filter(|s| !s.is_empty() && !s.starts_with('{'))
                .skip_while(|s| is_prefix(s))
                .map(str::to_string),
        )
        .collect()
}

#[cfg(test)]
mod tests;
