//! Rewrites that turn a vendor spec into a document progenitor accepts.
//!
//! Each rule is keyed on OpenAPI constructs, never on this API's paths or names, lives in its own
//! module with its own fixture tests, and reports every change it makes as a [`Rewrite`] so that
//! `cargo xtask gen` can print one line per change.

mod auth_headers;
mod defaulted_required;
mod document_defects;
mod media_schemas;
mod mistyped_values;
mod openapi_31;
mod operation_ids;
mod optional_nulls;
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

use crate::names::{self, Naming, Table};
use crate::openapi::Location;

/// One change a rule made to the document.
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

/// A spec made ready for the generator: the document, the rewrites that made it so, and the
/// names of its operations.
pub struct Normalised {
    pub doc: Value,
    pub rewrites: Vec<Rewrite>,
    pub naming: Naming,
}

/// The rules in the order they must run: version conversion first (the later rules read 3.0
/// schemas); bodies get schemas before responses are compared; names and operation ids before
/// response merging (merged types are named after the operation); optional nulls last (it
/// covers merged schemas). `recorded` is the names table the operations keep their names from.
pub fn normalize(mut doc: Value, recorded: &Table) -> Result<Normalised, String> {
    let mut rewrites = Vec::new();
    openapi_31::apply(&mut doc, &mut rewrites)?;
    document_defects::apply(&mut doc, &mut rewrites);
    media_schemas::apply(&mut doc, &mut rewrites);
    mistyped_values::apply(&mut doc, &mut rewrites);
    defaulted_required::apply(&mut doc, &mut rewrites);
    query_objects::apply(&mut doc, &mut rewrites);
    auth_headers::apply(&mut doc, &mut rewrites);
    let mut naming = names::assign(&doc, recorded)?;
    operation_ids::apply(&mut doc, &naming, &mut rewrites);
    path_params::apply(&mut doc, &mut naming, &mut rewrites);
    response_shapes::apply(&mut doc, &mut rewrites)?;
    optional_nulls::apply(&mut doc, &mut rewrites);
    Ok(Normalised {
        doc,
        rewrites,
        naming,
    })
}

/// The workspace's `openapi.yaml`, normalised with its `names.toml`: what `gen` generates from.
pub fn load(root: &Path) -> Result<Normalised, String> {
    let spec = crate::spec::load(
        &root.join(crate::codegen::SPEC),
        Path::new(crate::codegen::SPEC),
    )?;
    normalize(spec.doc, &Table::load(root)?).map_err(|e| format!("{}: {e}", crate::codegen::SPEC))
}

/// What the httpmock helpers need beyond [`normalize`]: applied to a copy of the normalised
/// document that only the mock generator sees.
pub fn for_httpmock(doc: &mut Value) -> Vec<Rewrite> {
    let mut rewrites = Vec::new();
    status_codes::apply(doc, &mut rewrites);
    scalar_bodies::apply(doc, &mut rewrites);
    rewrites
}

/// What the CLI needs beyond [`normalize`]: applied to a copy of the normalised document that only
/// the CLI generator sees.
pub fn for_cli(doc: &mut Value) -> Vec<Rewrite> {
    let mut rewrites = Vec::new();
    vendor_cli_usage::apply(doc, &mut rewrites);
    plain_help::apply(doc, &mut rewrites);
    summaries::apply(doc, &mut rewrites);
    rewrites
}

/// For the rules' tests: the document after `apply`, and its rewrites as printed.
#[cfg(test)]
fn rewritten(
    mut doc: Value,
    apply: impl FnOnce(&mut Value, &mut Vec<Rewrite>),
) -> (Value, Vec<String>) {
    let mut rewrites = Vec::new();
    apply(&mut doc, &mut rewrites);
    (doc, rewrites.iter().map(ToString::to_string).collect())
}
