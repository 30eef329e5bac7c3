//! The code rewrites `gen` applies to progenitor's output, each on the syntax tree of one
//! generated file: the client's (`servers`, `typed_errors`, `operation_types`, `streams`,
//! `filters`, then `area_gates`, which gates what the others wrote) and the CLI's
//! (`cli_texts`, then `cli_commands`, which reads its command definitions), in that order
//! (`generate.rs`).

pub mod area_gates;
pub mod cli_commands;
pub mod cli_texts;
pub mod filters;
pub mod operation_types;
pub mod servers;
pub mod streams;
pub mod typed_errors;

/// A path's segments as text: `types::X::Running` → `["types", "X", "Running"]`.
pub fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}
