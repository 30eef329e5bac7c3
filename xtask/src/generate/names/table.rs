//! `names.toml`: the committed record of each operation's Rust method and CLI command, keyed by
//! the operation's identity on the wire, so a vendor's retitling never renames what users call.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::generate::openapi::METHODS;

pub const FILE: &str = "names.toml";

/// One operation's recorded names.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The method on `vast_api::Client` (`show_api_keys`).
    pub rust: String,
    /// The command's words after `vast` (`["show", "api-keys"]`).
    pub cli: Vec<String>,
    /// The path parameters' names, in path order: the builder's setters are named after them,
    /// so they are kept too when the vendor renames `{instance_id}` to `{id}`.
    pub params: Vec<String>,
    /// The cargo feature of vast-api that compiles it (see [`super::areas`]); none in a table
    /// written before areas were recorded, when the spec's tag names it.
    pub area: Option<String>,
}

/// Entries by identity (see [`identity`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table(pub BTreeMap<String, Entry>);

/// An operation's identity on the wire: the method, and the path with `{}` for each parameter and
/// no trailing `/`, since neither the parameters' names nor that slash change what is called:
/// `GET /api/v0/auth/apikeys/` and `get /api/v0/auth/apikeys` are both `GET /api/v0/auth/apikeys`.
pub fn identity(method: &str, path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    let segments: Vec<&str> = trimmed
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                "{}"
            } else {
                s
            }
        })
        .collect();
    let path = segments.join("/");
    let path = if path.is_empty() { "/" } else { path.as_str() };
    format!("{} {path}", method.to_ascii_uppercase())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    rust: String,
    cli: String,
    #[serde(default)]
    params: Vec<String>,
    area: Option<String>,
}

impl Table {
    /// The table in the workspace; none yet is an empty table (every operation is then new).
    pub fn load(root: &Path) -> Result<Table, String> {
        match std::fs::read_to_string(root.join(FILE)) {
            Ok(text) => Table::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Table::default()),
            Err(e) => Err(format!("{FILE}: cannot read: {e}")),
        }
    }

    pub fn parse(text: &str) -> Result<Table, String> {
        let raw: BTreeMap<String, RawEntry> = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map_or(1, |span| text[..span.start].matches('\n').count() + 1);
            format!(
                "{FILE}: line {line}: {}; each entry is `[\"METHOD /path\"]` with `rust = \"name\"` and `cli = \"words\"`",
                e.message()
            )
        })?;
        let mut table = Table::default();
        for (key, entry) in raw {
            let bad = |what: String| format!("{FILE}: [\"{key}\"]: {what}");
            let (method, path) = key.split_once(' ').unwrap_or_default();
            if !METHODS.contains(&method.to_ascii_lowercase().as_str()) || !path.starts_with('/') {
                return Err(bad(
                    "the key must be an HTTP method and a path, as in \"GET /api/v0/auth/apikeys\""
                        .into(),
                ));
            }
            if !super::valid_rust_name(&entry.rust) {
                return Err(bad(format!(
                    "rust = {:?} is not a usable method name: use lower-case words joined by `_`, not a Rust keyword",
                    entry.rust
                )));
            }
            let cli: Vec<String> = entry.cli.split_whitespace().map(String::from).collect();
            if cli.iter().any(|w| w == "help") {
                return Err(bad(format!(
                    "cli = {:?} has the word `help`, which clap keeps for its own help: choose another",
                    entry.cli
                )));
            }
            if !super::valid_command(&cli) {
                return Err(bad(format!(
                    "cli = {:?} is not a usable command: use one or two words of lower-case letters, digits and `-` (\"show api-keys\")",
                    entry.cli
                )));
            }
            if let Some(bad_param) = entry.params.iter().find(|p| !valid_param(p)) {
                return Err(bad(format!(
                    "params: {bad_param:?} is not a usable parameter name: use letters, digits and `_`"
                )));
            }
            if let Some(Err(why)) = entry.area.as_deref().map(super::areas::valid) {
                return Err(bad(format!(
                    "area = {:?} is not a usable area ({why}): use lower-case words joined by `-` (\"network-volumes\")",
                    entry.area.unwrap_or_default()
                )));
            }
            if entry.params.len() != path.matches('{').count() {
                return Err(bad(format!(
                    "params lists {} names, and the path has {} parameters",
                    entry.params.len(),
                    path.matches('{').count()
                )));
            }
            // The key as `gen` writes it, so `get /a/` and `GET /a` are one operation; `#2` marks
            // the second operation with one identity in a spec that spells a path two ways.
            let (path, nth) = match path.rsplit_once(" #") {
                Some((path, n)) => (path, format!(" #{n}")),
                None => (path, String::new()),
            };
            let key = format!("{}{nth}", identity(method, path));
            if let Some(earlier) = table.0.insert(
                key.clone(),
                Entry {
                    rust: entry.rust,
                    cli,
                    params: entry.params,
                    area: entry.area,
                },
            ) {
                return Err(format!(
                    "{FILE}: two entries are the operation {key} (one names it `{}`): keep one",
                    earlier.rust
                ));
            }
        }
        Ok(table)
    }

    /// The file's text: a comment saying what it is, then one entry per operation, by path, then
    /// method, so that an update's diff reads as a list of operations added and removed.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# The names of the API's operations: the method on `vast_api::Client` and the `vast` command.\n\
             # `cargo xtask gen` keeps every name recorded here when the vendor retitles an operation, adds\n\
             # new operations (named from the spec) and drops the ones the spec no longer has.\n\
             # Each key is an operation's identity on the wire: the method and the path, with `{}` for\n\
             # each path parameter and no trailing `/`. `area` is the cargo feature of vast-api that\n\
             # compiles the operation (first from the spec's tag). To rename an operation or move it to\n\
             # another area, edit its line and run `cargo xtask gen`.\n",
        );
        let mut entries: Vec<(&String, &Entry)> = self.0.iter().collect();
        entries.sort_by_key(|(key, _)| {
            let (method, path) = key.split_once(' ').unwrap_or_default();
            (path.to_string(), method.to_string())
        });
        for (key, entry) in entries {
            out.push_str(&format!(
                "\n[{}]\nrust = {}\ncli = {}\n",
                quoted(key),
                quoted(&entry.rust),
                quoted(&entry.cli.join(" "))
            ));
            if let Some(area) = &entry.area {
                out.push_str(&format!("area = {}\n", quoted(area)));
            }
            if !entry.params.is_empty() {
                let list: Vec<String> = entry.params.iter().map(|p| quoted(p)).collect();
                out.push_str(&format!("params = [{}]\n", list.join(", ")));
            }
        }
        out
    }
}

/// A path parameter's name as progenitor can make a setter of it.
fn valid_param(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_ignores_trailing_slashes_and_parameter_names() {
        assert_eq!(
            identity("get", "/api/v0/auth/apikeys/"),
            "GET /api/v0/auth/apikeys"
        );
        assert_eq!(
            identity("GET", "/api/v0/auth/apikeys"),
            "GET /api/v0/auth/apikeys"
        );
        assert_eq!(
            identity("delete", "/api/v0/auth/apikeys/{id}/"),
            identity("delete", "/api/v0/auth/apikeys/{key_id}")
        );
        assert_eq!(identity("get", "/"), "GET /");
        assert_ne!(identity("get", "/a"), identity("post", "/a"));
    }

    #[test]
    fn renders_and_reads_back() {
        let mut table = Table::default();
        table.0.insert(
            "GET /api/v0/auth/apikeys".into(),
            Entry {
                rust: "show_api_keys".into(),
                cli: vec!["show".into(), "api-keys".into()],
                params: vec![],
                area: Some("accounts".into()),
            },
        );
        table.0.insert(
            "DELETE /api/v0/auth/apikeys/{}".into(),
            Entry {
                rust: "delete_api_key".into(),
                cli: vec!["delete".into(), "api-key".into()],
                params: vec!["id".into()],
                area: None,
            },
        );
        let text = table.render();
        assert!(
            text.ends_with(
                "\n[\"GET /api/v0/auth/apikeys\"]\nrust = \"show_api_keys\"\ncli = \"show api-keys\"\narea = \"accounts\"\n\n\
                 [\"DELETE /api/v0/auth/apikeys/{}\"]\nrust = \"delete_api_key\"\ncli = \"delete api-key\"\nparams = [\"id\"]\n"
            ),
            "{text}"
        );
        assert_eq!(Table::parse(&text).unwrap(), table);
    }

    #[test]
    fn a_hand_written_key_is_read_as_its_identity() {
        let table = Table::parse(
            "[\"get /a/{id}/\"]\nrust = \"show_a\"\ncli = \"show a\"\nparams = [\"id\"]\n",
        )
        .unwrap();
        assert_eq!(table.0.keys().collect::<Vec<_>>(), ["GET /a/{}"]);
    }

    #[test]
    fn bad_entries_are_named_with_the_fix() {
        for (text, expected) in [
            (
                "[\"GET /a\"]\nrust = \"fn\"\ncli = \"show a\"\n",
                "names.toml: [\"GET /a\"]: rust = \"fn\" is not a usable method name",
            ),
            (
                "[\"GET /a\"]\nrust = \"show_a\"\ncli = \"show all the a\"\n",
                "names.toml: [\"GET /a\"]: cli = \"show all the a\" is not a usable command",
            ),
            (
                "[\"GET /a/{}\"]\nrust = \"show_a\"\ncli = \"show a\"\n",
                "names.toml: [\"GET /a/{}\"]: params lists 0 names, and the path has 1 parameters",
            ),
            (
                "[\"GET /a\"]\nrust = \"show_a\"\ncli = \"show a\"\narea = \"Billing\"\n",
                "names.toml: [\"GET /a\"]: area = \"Billing\" is not a usable area (`Billing` is not lower-case ASCII words joined by `-`, starting with a letter): use lower-case words joined by `-`",
            ),
            (
                "[\"GET /a\"]\nrust = \"show_a\"\ncli = \"show a\"\narea = \"tracing\"\n",
                "names.toml: [\"GET /a\"]: area = \"tracing\" is not a usable area (`tracing` is vast-api's `tracing` feature)",
            ),
            (
                "[\"FETCH /a\"]\nrust = \"show_a\"\ncli = \"show a\"\n",
                "names.toml: [\"FETCH /a\"]: the key must be an HTTP method and a path",
            ),
            (
                "[\"GET /a\"]\nrust = \"show_a\"\n",
                "names.toml: line 1: missing field `cli`; each entry is",
            ),
            (
                "[\"GET /a/\"]\nrust = \"a\"\ncli = \"a\"\n[\"GET /a\"]\nrust = \"b\"\ncli = \"b\"\n",
                "names.toml: two entries are the operation GET /a",
            ),
        ] {
            let err = Table::parse(text).unwrap_err();
            assert!(err.starts_with(expected), "{err}");
        }
    }
}
