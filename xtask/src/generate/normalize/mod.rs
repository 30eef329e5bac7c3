//! Rewrites that turn a vendor spec into a document progenitor accepts.
//!
//! Each rule is keyed on OpenAPI constructs, never on this API's paths or names, lives in its own
//! module with its own fixture tests, and reports every change it makes as a [`Change`] so that
//! `cargo xtask gen` can print one line per change.

mod auth_headers;
pub mod defaulted_required;
mod document_defects;
mod media_schemas;
mod mistyped_values;
mod openapi_31;
mod operation_ids;
mod optional_nulls;
mod pair_lists;
mod path_params;
mod plain_help;
mod query_objects;
mod response_shapes;
mod scalar_bodies;
mod status_codes;
mod summaries;
mod vendor_cli_usage;
mod walk;

use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::generate::names::{self, Naming, Table};
use crate::generate::openapi::Location;

/// One change a rule made to the document, labelled with the rule's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Rewrite {
    pub rule: &'static str,
    pub at: Location,
    pub what: String,
}

impl fmt::Display for Rewrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.rule, self.at, self.what)
    }
}

/// One change, as a rule reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub at: Location,
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.what)
    }
}

/// A spec made ready for the generator: the document, the rewrites that made it so, and the
/// names of its operations.
pub struct Normalised {
    pub doc: Value,
    pub rewrites: Vec<Rewrite>,
    pub naming: Naming,
}

/// A rule: its name, which labels its `rewrite <name>:` lines and heads its row in the README's
/// table of rules, and which document it rewrites, how.
pub struct Rule {
    pub name: &'static str,
    runs: Runs,
}

/// The document a rule rewrites, and its signature: a few need the operations' names, or can
/// refuse a document.
enum Runs {
    /// The document every generator reads.
    Spec(fn(&mut Value, &mut Vec<Change>)),
    SpecOrRefuse(fn(&mut Value, &mut Vec<Change>) -> Result<(), String>),
    SpecNamed(fn(&mut Value, &mut Naming, &mut Vec<Change>)),
    /// A copy of the normalised document only this generator reads.
    Copy(Generator, fn(&mut Value, &mut Vec<Change>)),
}

#[derive(PartialEq)]
enum Generator {
    Httpmock,
    Cli,
}

/// Every rule, in the order they run: version conversion first (the later rules read 3.0
/// schemas); bodies get schemas before responses are compared; names and operation ids before
/// response merging (merged types are named after the operation); optional nulls last (it
/// covers merged schemas); then the generators' own copies.
pub const RULES: &[Rule] = &[
    Rule {
        name: "openapi-3.1",
        runs: Runs::SpecOrRefuse(openapi_31::apply),
    },
    Rule {
        name: "document-defects",
        runs: Runs::Spec(document_defects::apply),
    },
    Rule {
        name: "media-schemas",
        runs: Runs::Spec(media_schemas::apply),
    },
    Rule {
        name: "mistyped-values",
        runs: Runs::Spec(mistyped_values::apply),
    },
    Rule {
        name: "defaulted-required",
        runs: Runs::Spec(defaulted_required::apply),
    },
    Rule {
        name: "pair-lists",
        runs: Runs::Spec(pair_lists::apply),
    },
    Rule {
        name: "query-objects",
        runs: Runs::Spec(query_objects::apply),
    },
    Rule {
        name: "auth-headers",
        runs: Runs::Spec(auth_headers::apply),
    },
    Rule {
        name: "operation-id",
        runs: Runs::SpecNamed(|doc, naming, rewrites| operation_ids::apply(doc, naming, rewrites)),
    },
    Rule {
        name: "path-params",
        runs: Runs::SpecNamed(path_params::apply),
    },
    Rule {
        name: "response-shapes",
        runs: Runs::SpecOrRefuse(response_shapes::apply),
    },
    Rule {
        name: "optional-nulls",
        runs: Runs::Spec(optional_nulls::apply),
    },
    Rule {
        name: "status-codes",
        runs: Runs::Copy(Generator::Httpmock, status_codes::apply),
    },
    Rule {
        name: "scalar-bodies",
        runs: Runs::Copy(Generator::Httpmock, scalar_bodies::apply),
    },
    Rule {
        name: "vendor-cli-usage",
        runs: Runs::Copy(Generator::Cli, vendor_cli_usage::apply),
    },
    Rule {
        name: "plain-help",
        runs: Runs::Copy(Generator::Cli, plain_help::apply),
    },
    Rule {
        name: "summaries",
        runs: Runs::Copy(Generator::Cli, summaries::apply),
    },
];

/// The spec's rules of [`RULES`]. `recorded` is the names table the operations keep their names
/// from.
pub fn normalize(mut doc: Value, recorded: &Table) -> Result<Normalised, String> {
    let mut rewrites = Vec::new();
    let mut naming = None;
    for rule in RULES {
        let mut changes = Vec::new();
        match rule.runs {
            Runs::Spec(apply) => apply(&mut doc, &mut changes),
            Runs::SpecOrRefuse(apply) => apply(&mut doc, &mut changes)?,
            Runs::SpecNamed(apply) => {
                // Assigned once, from the document as the rules before the first that needs the
                // names left it.
                let naming = match &mut naming {
                    Some(naming) => naming,
                    None => naming.insert(names::assign(&doc, recorded)?),
                };
                apply(&mut doc, naming, &mut changes);
            }
            Runs::Copy(..) => {}
        }
        rewrites.extend(rule.label(changes));
    }
    let naming = match naming {
        Some(naming) => naming,
        None => names::assign(&doc, recorded)?,
    };
    Ok(Normalised {
        doc,
        rewrites,
        naming,
    })
}

impl Rule {
    fn label(&self, changes: Vec<Change>) -> impl Iterator<Item = Rewrite> {
        changes.into_iter().map(|Change { at, what }| Rewrite {
            rule: self.name,
            at,
            what,
        })
    }
}

/// The workspace's `openapi.yaml`, normalised with its `names.toml`: what `gen` generates from.
pub fn load(root: &Path) -> Result<Normalised, String> {
    let spec = crate::generate::spec::load(
        &root.join(crate::generate::SPEC),
        Path::new(crate::generate::SPEC),
    )?;
    normalize(spec.doc, &Table::load(root)?).map_err(|e| format!("{}: {e}", crate::generate::SPEC))
}

/// What the httpmock helpers need beyond [`normalize`]: applied to a copy of the normalised
/// document that only the mock generator sees.
pub fn for_httpmock(doc: &mut Value) -> Vec<Rewrite> {
    for_copy(Generator::Httpmock, doc)
}

/// What the CLI needs beyond [`normalize`]: applied to a copy of the normalised document that only
/// the CLI generator sees.
pub fn for_cli(doc: &mut Value) -> Vec<Rewrite> {
    for_copy(Generator::Cli, doc)
}

fn for_copy(generator: Generator, doc: &mut Value) -> Vec<Rewrite> {
    let mut rewrites = Vec::new();
    for rule in RULES {
        if let Runs::Copy(ref reads, apply) = rule.runs
            && *reads == generator
        {
            let mut changes = Vec::new();
            apply(doc, &mut changes);
            rewrites.extend(rule.label(changes));
        }
    }
    rewrites
}

/// For the rules' tests: the document after `apply`, and its rewrites as printed.
#[cfg(test)]
fn rewritten(
    mut doc: Value,
    apply: impl FnOnce(&mut Value, &mut Vec<Change>),
) -> (Value, Vec<String>) {
    let mut rewrites = Vec::new();
    apply(&mut doc, &mut rewrites);
    (doc, rewrites.iter().map(ToString::to_string).collect())
}

#[cfg(test)]
mod tests {
    /// The README's table of rules has a row for each rule, in the order they run.
    #[test]
    fn the_readme_lists_every_rule_in_order() {
        let readme = std::fs::read_to_string(crate::workspace_root().join("README.md")).unwrap();
        let (_, table) = readme
            .split_once("### The normalisation rules")
            .expect("the README has a section on the rules");
        let listed: Vec<&str> = table
            .lines()
            .skip_while(|line| !line.starts_with('|'))
            .take_while(|line| line.starts_with('|'))
            .filter_map(|row| row.strip_prefix("| `")?.split_once('`'))
            .map(|(name, _)| name)
            .collect();
        let rules: Vec<&str> = super::RULES.iter().map(|rule| rule.name).collect();
        assert_eq!(listed, rules);
    }
}
