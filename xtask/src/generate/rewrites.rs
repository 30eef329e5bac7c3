//! The code rewrites `gen` applies to progenitor's output, each on the syntax tree of one
//! generated file: the client's (`servers`, `typed_errors`, `operation_types`, `streams`,
//! `filters`, then `area_gates`, which gates what the others wrote) and the CLI's
//! (`cli_switches`, `cli_texts`, `cli_bodies`, `cli_dispatch`), in that order (`generate.rs`).

pub mod area_gates;
pub mod cli_bodies;
pub mod cli_dispatch;
pub mod cli_switches;
pub mod cli_texts;
pub mod filters;
pub mod operation_types;
pub mod servers;
pub mod streams;
pub mod typed_errors;
