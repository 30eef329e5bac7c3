//! Each operation's clap command as progenitor defined it (its `about`, its arguments with their
//! flags, value types, required and help), built from the command table's data rather than
//! compiled from generated code: the binary holds no code per operation. `operation_args`
//! then adapts it to the vendor CLI's habits.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, ValueParser};
use clap::{Arg, ArgAction, Command, value_parser};

use crate::command_table::{Argument, CommandSpec};

/// The command `spec` defines, unnamed (the tree places it under its words).
pub fn defined(spec: &CommandSpec) -> Command {
    Command::new("")
        .about(spec.about)
        .args(spec.arguments.iter().map(argument))
}

fn argument(a: &Argument) -> Arg {
    let mut arg = Arg::new(a.id).long(a.long);
    if let Some(name) = a.value_name {
        arg = arg.value_name(name);
    }
    if let Some(parser) = parser(a) {
        arg = arg.value_parser(parser);
    }
    if let Some(required) = a.required {
        arg = arg.required(required);
    }
    if let Some(other) = a.required_unless {
        arg = arg.required_unless_present(other);
    }
    if a.set_true {
        arg = arg.action(ArgAction::SetTrue);
    }
    match a.help {
        Some(help) => arg.help(help),
        None => arg,
    }
}

/// The parser of an argument's value type, as progenitor's `value_parser!` made it (`cargo xtask
/// gen` writes only these kinds); `None` for a switch.
fn parser(a: &Argument) -> Option<ValueParser> {
    Some(match a.kind {
        "string" => value_parser!(String),
        "i64" => value_parser!(i64).into(),
        "i32" => value_parser!(i32).into(),
        "u64" => value_parser!(u64).into(),
        "u32" => value_parser!(u32).into(),
        "nonzero-u64" => value_parser!(std::num::NonZeroU64).into(),
        "f64" => value_parser!(f64).into(),
        "f32" => value_parser!(f32).into(),
        "bool" => value_parser!(bool),
        "path" => value_parser!(PathBuf),
        "date-time" => value_parser!(chrono::DateTime<chrono::Utc>).into(),
        "date" => value_parser!(chrono::NaiveDate).into(),
        "uuid" => value_parser!(uuid::Uuid).into(),
        "choices" => PossibleValuesParser::new(a.choices).into(),
        _ => return None,
    })
}
