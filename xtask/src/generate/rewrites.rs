//! The code rewrites `gen` applies to progenitor's output, each on the syntax tree of one
//! generated file, in the order [`RULES`] lists them.

pub mod area_gates;
pub mod cli_bodies;
pub mod cli_dispatch;
pub mod cli_switches;
pub mod filters;
pub mod operation_types;
pub mod streams;
pub mod typed_errors;
