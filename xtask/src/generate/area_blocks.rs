//! What `gen` writes about the API areas into two hand-written files, between two marker lines
//! it leaves in place: vast-api's features in its `Cargo.toml` (cargo has no include, and the
//! features must be the areas the generated code is gated on) and the list of areas with their
//! operations in its README. `gen --check` compares both, as it does the generated files.

use std::collections::{BTreeMap, BTreeSet};

/// vast-api's manifest, whose `[features]` table holds one feature per area.
pub const MANIFEST: &str = "vast-api/Cargo.toml";
/// vast-api's README, its rustdoc front page, which lists the areas.
pub const README: &str = "vast-api/README.md";

/// The text `gen` keeps between two marker lines of a hand-written file.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub path: &'static str,
    begin: &'static str,
    end: &'static str,
    text: String,
}

/// The blocks for `areas` (every area of the spec, each a feature, also one no generated
/// operation is in, so that a `subset.toml` does not remove features users name) and
/// `operations` (each generated operation's method and area).
pub fn blocks(areas: &BTreeSet<String>, operations: &BTreeMap<String, String>) -> Vec<Block> {
    let quoted: Vec<String> = areas.iter().map(|a| format!("\"{a}\"")).collect();
    let mut features = format!(
        "# One feature per API area, each an operation's `area` in names.toml, all on by default.\n\
         default = [{}]\n",
        quoted.join(", ")
    );
    let mut table = String::from("| feature | operations |\n| --- | --- |\n");
    for area in areas {
        features.push_str(&format!("{area} = []\n"));
        let methods: BTreeSet<&str> = operations
            .iter()
            .filter(|(_, a)| *a == area)
            .map(|(method, _)| method.as_str())
            .collect();
        let listed: Vec<String> = methods.iter().map(|m| format!("`{m}`")).collect();
        table.push_str(&format!(
            "| `{area}` | {}{}{} |\n",
            methods.len(),
            if methods.is_empty() { "" } else { ": " },
            listed.join(", ")
        ));
    }
    vec![
        Block {
            path: MANIFEST,
            begin: "# BEGIN areas: written by `cargo xtask gen` from names.toml; do not edit by hand",
            end: "# END areas",
            text: features,
        },
        Block {
            path: README,
            begin: "<!-- BEGIN areas: written by `cargo xtask gen` from names.toml; do not edit by hand -->",
            end: "<!-- END areas -->",
            text: table,
        },
    ]
}

impl Block {
    /// `file` (the text of [`Block::path`]) with this block's text between its marker lines.
    pub fn splice(&self, file: &str) -> Result<String, String> {
        let (before, _, after) = self.split(file)?;
        Ok(format!("{before}{}{after}", self.text))
    }

    /// `file` with the block that `current` (another version of the file) has: how a scratch
    /// copy of the workspace keeps what `gen` last wrote there while taking the rest anew.
    pub fn carried(&self, file: &str, current: &str) -> Option<String> {
        let (_, block, _) = self.split(current).ok()?;
        let (before, _, after) = self.split(file).ok()?;
        Some(format!("{before}{block}{after}"))
    }

    /// The text up to and including the begin line, the block, and the rest from the end line.
    fn split<'a>(&self, file: &'a str) -> Result<(&'a str, &'a str, &'a str), String> {
        let missing = |line: &str| {
            format!(
                "{}: the line `{line}` is missing: `cargo xtask gen` writes the API areas between `{}` and `{}`; put both lines back (as in the repository) and run `cargo xtask gen`",
                self.path, self.begin, self.end
            )
        };
        let line_at = |line: &str, from: usize| {
            file[from..]
                .match_indices(line)
                .map(|(at, _)| from + at)
                .find(|&at| {
                    (at == 0 || file[..at].ends_with('\n'))
                        && file[at + line.len()..].starts_with(['\n', '\r'])
                })
        };
        let begin = line_at(self.begin, 0).ok_or_else(|| missing(self.begin))?;
        // The block starts on the line after the begin line (which ends in `\n` or `\r\n`).
        let after_begin = begin + self.begin.len();
        let body = after_begin + file[after_begin..].find('\n').map_or(0, |n| n + 1);
        let end = line_at(self.end, body).ok_or_else(|| missing(self.end))?;
        Ok((&file[..body], &file[body..end], &file[end..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Vec<Block> {
        let areas = BTreeSet::from(["billing".to_string(), "network-volumes".to_string()]);
        let operations = BTreeMap::from([
            ("show_invoices".to_string(), "billing".to_string()),
            ("show_charges".to_string(), "billing".to_string()),
        ]);
        blocks(&areas, &operations)
    }

    #[test]
    fn the_features_and_the_list_are_spliced_between_the_markers() {
        let [manifest, readme] = &example()[..] else {
            panic!()
        };
        let old = "[features]\ntracing = [\"dep:tracing\"]\n# BEGIN areas: written by `cargo xtask gen` from names.toml; do not edit by hand\nold = []\n# END areas\n\n[build-dependencies]\n";
        assert_eq!(
            manifest.splice(old).unwrap(),
            "[features]\ntracing = [\"dep:tracing\"]\n# BEGIN areas: written by `cargo xtask gen` from names.toml; do not edit by hand\n\
             # One feature per API area, each an operation's `area` in names.toml, all on by default.\n\
             default = [\"billing\", \"network-volumes\"]\nbilling = []\nnetwork-volumes = []\n# END areas\n\n[build-dependencies]\n"
        );
        let old = "# vast-api\n<!-- BEGIN areas: written by `cargo xtask gen` from names.toml; do not edit by hand -->\n<!-- END areas -->\nMore.\n";
        assert_eq!(
            readme.splice(old).unwrap(),
            "# vast-api\n<!-- BEGIN areas: written by `cargo xtask gen` from names.toml; do not edit by hand -->\n\
             | feature | operations |\n| --- | --- |\n\
             | `billing` | 2: `show_charges`, `show_invoices` |\n| `network-volumes` | 0 |\n\
             <!-- END areas -->\nMore.\n"
        );
    }

    #[test]
    fn a_missing_marker_is_named_with_the_fix() {
        let manifest = &example()[0];
        let err = manifest.splice("[features]\n# END areas\n").unwrap_err();
        assert!(
            err.starts_with("vast-api/Cargo.toml: the line `# BEGIN areas: written by `cargo xtask gen` from names.toml; do not edit by hand` is missing"),
            "{err}"
        );
        assert!(err.ends_with("run `cargo xtask gen`"), "{err}");
        let err = manifest
            .splice("# BEGIN areas: written by `cargo xtask gen` from names.toml; do not edit by hand\n")
            .unwrap_err();
        assert!(
            err.starts_with("vast-api/Cargo.toml: the line `# END areas` is missing"),
            "{err}"
        );
    }

    #[test]
    fn a_scratch_copy_keeps_its_own_block() {
        let manifest = &example()[0];
        let begin = manifest.begin;
        let current = format!("old header\n{begin}\nmine = []\n# END areas\nold tail\n");
        let file = format!("new header\n{begin}\ntheirs = []\n# END areas\nnew tail\n");
        assert_eq!(
            manifest.carried(&file, &current).unwrap(),
            format!("new header\n{begin}\nmine = []\n# END areas\nnew tail\n")
        );
        assert_eq!(manifest.carried(&file, "no markers"), None);
    }
}
