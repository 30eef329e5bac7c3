//! Naming: each operation's Rust method and `vast` command.
//!
//! Names recorded in `names.toml` are kept, whatever the spec now calls the operation, so an
//! update that retitles operations renames nothing users call. A new operation is named by a
//! chain that always ends in a free name: for the method, its operationId, then its summary,
//! then its method and path, then a numeric suffix; for the command, its summary (in the vendor
//! CLI's grammar), then its operationId, then its method and path, then a numeric suffix. Every
//! step past the first is reported with both locations. Operations are named in document order,
//! so the result is deterministic.

mod table;

use std::collections::BTreeMap;

use serde_json::Value;

pub use table::{Entry, FILE, Table, identity};

use crate::normalize::{self, Location};

/// One operation's names.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub at: Location,
    pub identity: String,
    pub rust: String,
    pub words: Vec<String>,
    /// The path parameters' names, in path order: the recorded ones, else the spec's.
    pub params: Vec<String>,
    /// Other commands that run it: the name the spec now suggests, where the recorded one differs
    /// and the suggestion is free. Not recorded: they follow the spec.
    pub aliases: Vec<Vec<String>>,
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

/// Method names progenitor's `Client`, its traits and this crate's own code already use.
const RESERVED_METHODS: [&str; 10] = [
    "new",
    "new_with_client",
    "api_version",
    "baseurl",
    "client",
    "inner",
    "pre",
    "post",
    "exec",
    "from_env",
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
        && crate::commands::method_name(name) == name
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
}

/// The `{name}` segments of a path, in order.
pub fn path_params(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(String::from)
        .collect()
}

impl Operation<'_> {
    /// Method-name candidates, first choice first, with where each came from.
    fn rust_candidates(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(id) = self.operation_id {
            out.push((
                "the operationId",
                snake_case(&crate::commands::method_name(id)),
            ));
        }
        if let Some(summary) = self.summary {
            out.push(("the summary", snake_case(summary)));
        }
        out.push((
            "the method and path",
            snake_case(&method_path_words(self.method, self.path).join(" ")),
        ));
        out.retain(|(_, name)| valid_rust_name(name));
        out
    }

    /// Command candidates, first choice first, with where each came from.
    fn command_candidates(&self) -> Vec<(&'static str, Vec<String>)> {
        let mut out = Vec::new();
        if let Some(summary) = self.summary {
            out.push(("the summary", command_words(summary)));
        }
        if let Some(id) = self.operation_id {
            out.push((
                "the operationId",
                command_words(&crate::commands::method_name(id).replace('_', " ")),
            ));
        }
        out.push((
            "the method and path",
            command_words(&method_path_words(self.method, self.path).join(" ")),
        ));
        out.retain(|(_, words)| valid_command(words));
        out
    }
}

/// The operations of the document, in document order, with their identities; a second operation
/// with the identity of an earlier one (a spec spelling `/a` and `/a/` both) is `… #2`.
fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    normalize::operations(doc)
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
    fn method_holder(&self, name: &str) -> Option<&str> {
        self.methods.get(&rust_key(name)).map(String::as_str)
    }

    fn command_holder(&self, words: &[String]) -> Option<&str> {
        self.commands
            .iter()
            .find(|(taken, _)| commands_clash(taken, words))
            .map(|(_, holder)| holder.as_str())
    }
}

/// Names every operation of the (normalised up to naming) document, keeping `recorded` names.
pub fn assign(doc: &Value, recorded: &Table) -> Result<Naming, String> {
    let ops = operations(doc);
    let mut taken = Taken::default();
    for (words, holder) in RESERVED_COMMANDS {
        taken.commands.push((
            words.iter().map(|w| w.to_string()).collect(),
            holder.to_string(),
        ));
    }
    for name in RESERVED_METHODS {
        taken.methods.insert(
            rust_key(name),
            format!("`Client::{name}`, which the client itself defines"),
        );
    }
    let mut names: Vec<Option<(String, Vec<String>)>> = vec![None; ops.len()];
    let mut notes = Vec::new();

    // Recorded names first: they hold whatever new operations would like to take.
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

    // New operations, in document order: the first free candidate, else a numbered first choice.
    for (i, op) in ops.iter().enumerate() {
        if names[i].is_some() {
            continue;
        }
        let holder = op.at.to_string();
        let rust = pick(
            &op.at,
            "method name",
            op.rust_candidates(),
            |name| taken.method_holder(name).map(String::from),
            |name, n| vec![format!("{name}_{n}")],
            |name| name.clone(),
            &mut notes,
        );
        taken.methods.insert(rust_key(&rust), holder.clone());
        let words = pick(
            &op.at,
            "command",
            op.command_candidates(),
            |words| taken.command_holder(words).map(String::from),
            |words, n| {
                let mut numbered = words.clone();
                if let Some(last) = numbered.last_mut() {
                    *last = format!("{last}-{n}");
                }
                // When the group is a command of its own, no number frees a name in it; one
                // word then always can be.
                vec![numbered, vec![format!("{}-{n}", words.join("-"))]]
            },
            |words| words.join(" "),
            &mut notes,
        );
        taken.commands.push((words.clone(), holder));
        names[i] = Some((rust, words));
    }

    let mut table = Table::default();
    let mut operations = Vec::new();
    for (op, names) in ops.iter().zip(names) {
        let (rust, words) = names.expect("every operation was named above");
        let mut aliases = Vec::new();
        let mut params = path_params(op.path);
        if let Some(entry) = recorded.0.get(&op.identity)
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
        if recorded.0.contains_key(&op.identity) {
            if let Some((_, suggested)) = op.rust_candidates().into_iter().next()
                && suggested != rust
            {
                notes.push(format!(
                    "{}: kept the method name `{rust}` from {FILE}; the spec now suggests `{suggested}`",
                    op.at
                ));
            }
            if let Some((_, suggested)) = op.command_candidates().into_iter().next()
                && suggested != words
            {
                let shown = suggested.join(" ");
                match taken.command_holder(&suggested) {
                    None => {
                        notes.push(format!(
                            "{}: kept the command `vast {}` from {FILE}; the spec now suggests `vast {shown}`, which runs it too",
                            op.at,
                            words.join(" ")
                        ));
                        taken
                            .commands
                            .push((suggested.clone(), format!("an alias of {}", op.at)));
                        aliases.push(suggested);
                    }
                    Some(other) => {
                        let other = if commands_clash(&suggested, &words) {
                            "the command itself".to_string()
                        } else {
                            other.to_string()
                        };
                        notes.push(format!(
                            "{}: kept the command `vast {}` from {FILE}; the spec now suggests `vast {shown}`, which clashes with {other}",
                            op.at,
                            words.join(" ")
                        ))
                    }
                }
            }
        }
        table.0.insert(
            op.identity.clone(),
            Entry {
                rust: rust.clone(),
                cli: words.clone(),
                params: params.clone(),
            },
        );
        operations.push(Named {
            at: op.at.clone(),
            identity: op.identity.clone(),
            rust,
            words,
            params,
            aliases,
        });
    }
    for (identity, entry) in &recorded.0 {
        if !table.0.contains_key(identity) {
            notes.push(format!(
                "{identity}: no longer in the spec: `{}` and `vast {}` are gone, and dropped from {FILE}",
                entry.rust,
                entry.cli.join(" ")
            ));
        }
    }
    Ok(Naming {
        operations,
        table,
        notes,
    })
}

/// The first candidate no one holds; else the first candidate with the smallest free number.
/// Each step past the first choice is noted, with who holds what was passed over.
fn pick<T: Clone>(
    at: &Location,
    kind: &str,
    candidates: Vec<(&'static str, T)>,
    holder: impl Fn(&T) -> Option<String>,
    numbered: impl Fn(&T, usize) -> Vec<T>,
    show: impl Fn(&T) -> String,
    notes: &mut Vec<String>,
) -> T {
    let mut passed = Vec::new();
    for (source, candidate) in &candidates {
        match holder(candidate) {
            None => {
                if !passed.is_empty() {
                    notes.push(format!(
                        "{at}: {}; named `{}` from {source}",
                        passed.join("; "),
                        show(candidate)
                    ));
                }
                return candidate.clone();
            }
            Some(other) => passed.push(format!(
                "the {kind} `{}` (from {source}) is taken by {other}",
                show(candidate)
            )),
        }
    }
    // The method and path always give a candidate, so there is a first choice to number.
    let (source, first) = candidates
        .first()
        .expect("the method and path always give a candidate");
    let named = (2..)
        .flat_map(|n| numbered(first, n))
        .find(|c| holder(c).is_none())
        .expect("some number is free");
    notes.push(format!(
        "{at}: {}; named `{}` from {source} and a number",
        passed.join("; "),
        show(&named)
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
