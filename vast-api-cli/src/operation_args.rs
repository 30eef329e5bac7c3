//! An operation's command adapted to the vendor CLI's habits and to typing: positional path
//! parameters, switch pairs, `@PATH` texts, JSON flags for body fields without a flag, `--yes`
//! on a DELETE, the filter expression, `--order`, `--max-items` and `--wait`.

use clap::{Arg, ArgAction, Command, value_parser};

use crate::command_table::{CommandSpec, JsonFlag};
use crate::switches::{negated, switch_pair};

/// Adapts a generated command to the vendor CLI's habits and to typing: path parameters are
/// positional rather than `--flags`; a boolean is a switch pair (`--vm`, `--no-vm`; read through
/// [`switch`](crate::switches::switch)); a string takes values that start with `-` (`--env '-e A=1'`); a body
/// field's text also `@PATH` (see [`crate::files::Text`]); a body field progenitor has no flag
/// for (an object, a list) gets one taking JSON or `@PATH` ([`json_flag`]); a `DELETE` has
/// `--yes`. progenitor's
/// `--json-body-template`, which does nothing yet (its help says "XXX"), is hidden.
pub fn adapted(command: Command, spec: &CommandSpec) -> Command {
    let has = |command: &Command, id: &str| command.get_arguments().any(|a| a.get_id() == id);
    let command = if has(&command, "json-body-template") {
        command.mut_arg("json-body-template", |arg| arg.hide(true))
    } else {
        command
    };
    // Arguments that take a value: progenitor's own switches (`--json-body-template`) stay.
    let ids: Vec<(String, std::any::TypeId)> = command
        .get_arguments()
        .filter(|a| a.get_action().takes_values())
        .map(|a| (a.get_id().to_string(), type_of(a)))
        .collect();
    let mut command = command;
    for (id, ty) in ids {
        if ty == std::any::TypeId::of::<bool>() && !has(&command, &negated(&id)) {
            command = switch_pair(command, &id);
        } else if let Some(measured) = crate::measures::Measured::of(&command, &id, ty) {
            command = command.mut_arg(&id, |arg| measured.adapt(arg));
        } else if ty == std::any::TypeId::of::<String>() {
            let text = crate::files::Text::of(spec, &id);
            let limit = spec.limits.iter().find(|(flag, ..)| *flag == id);
            command = command.mut_arg(&id, |arg| {
                let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                let more = text.help().into_iter().map(String::from).chain(limit.map(
                    |(_, most, note)| {
                        let text = limit_help(*most, note);
                        format!("{}{}", text[..1].to_uppercase(), &text[1..])
                    },
                ));
                let help: Vec<String> = std::iter::once(help.trim_end().to_string())
                    .chain(more)
                    .filter(|line| !line.is_empty())
                    .collect();
                arg.allow_hyphen_values(true)
                    .value_parser(text)
                    .help(help.join("\n"))
            });
        }
    }
    for flag in spec.json_flags {
        if !has(&command, flag.id) {
            command = command.arg(json_flag(flag));
        }
    }
    // progenitor requires `--json-body` when a required field has no flag of its own (an object,
    // a list, or the map typify makes of a body's undeclared fields); now each has one, or the
    // filter expression and `--order` set them (a body still missing a required field is
    // refused before it is sent, request.rs).
    let filled = !spec.json_flags.is_empty() || !spec.filter.is_empty() || spec.order;
    if filled && has(&command, "json-body") {
        command = command.mut_arg("json-body", |arg| arg.required(false));
    }
    if spec.method == "DELETE" && !has(&command, "yes") {
        command = command.arg(
            Arg::new("yes")
                .short('y')
                .long("yes")
                .action(ArgAction::SetTrue)
                .help("Delete without asking (needed when standard input is not a terminal)"),
        );
    }
    spec.positional
        .iter()
        .enumerate()
        .fold(command, |command, (i, name)| {
            if has(&command, name) {
                command.mut_arg(*name, |arg| arg.long(None).index(i + 1))
            } else {
                command
            }
        })
}

/// The filter expression, `-o`/`--order`, and for a paged list `--max-items` (and `--all`, now
/// what it does anyway), for the commands whose spec calls for them.
pub fn with_list_options(command: Command, spec: &CommandSpec) -> Command {
    let command = if spec.order {
        command.arg(
            Arg::new(ORDER)
                .short('o')
                .long("order")
                .value_name("FIELDS")
                .allow_hyphen_values(true)
                .help(
                    "Sort by these fields, as in vastai: 'dph_total,num_gpus-' (a - before or \
                     after a field: descending); sets the body's `order`",
                ),
        )
    } else {
        command
    };
    let command = if spec.filter.is_empty() {
        command
    } else {
        command
            .arg(
                Arg::new(QUERY)
                    .value_name("QUERY")
                    .num_args(1..)
                    .index(spec.positional.len() + 1)
                    .help("Filter expression, as in 'gpu_ram>=24 num_gpus=1' (grammar below)"),
            )
            .after_long_help(format!(
                "{}\n\n{}",
                crate::filter::HELP,
                crate::filter::fields_help(spec.filter)
            ))
    };
    match spec.pagination {
        None => command,
        Some(p) => command
            .arg(
                Arg::new(MAX_ITEMS)
                    .long("max-items")
                    .value_name("N")
                    .value_parser(value_parser!(u64).range(1..))
                    .help(format!(
                        "Stop after N items, however many pages that takes (not a page size: \
                         the API's own `limit` is one); without it every page is fetched, \
                         following `{}`, within {} pages and {} minutes",
                        p.response_field,
                        vast_api::pages::PAGE_CAP,
                        crate::pages::TIME_LIMIT.as_secs() / 60
                    )),
            )
            .arg(
                Arg::new(ALL_PAGES)
                    .long("all")
                    .action(ArgAction::SetTrue)
                    .help("Does nothing: every page is fetched by default now (kept for scripts that pass it)"),
            ),
    }
}

/// `--wait` for `create instance`, where the spec has `show instance` to wait with.
pub fn with_wait_options(command: Command, spec: &CommandSpec) -> Command {
    match spec.operation_id == "create_instance" && crate::wait::available() {
        true => command.args(crate::wait::create_options()),
        false => command,
    }
}

/// The argument ids of the options [`with_list_options`] adds.
pub const QUERY: &str = "vast-filter-query";
pub const ALL_PAGES: &str = "vast-all-pages";
pub const MAX_ITEMS: &str = "vast-max-items";
pub const ORDER: &str = "vast-order";
fn type_of(arg: &Arg) -> std::any::TypeId {
    // clap's own id of the value type compares with std's.
    let ty = arg.get_value_parser().type_id();
    // An enum's values are read as text but are choices, not text: no `@PATH`, no file.
    if ty != std::any::TypeId::of::<bool>() && !arg.get_possible_values().is_empty() {
        return std::any::TypeId::of::<()>();
    }
    [
        std::any::TypeId::of::<bool>(),
        std::any::TypeId::of::<String>(),
        std::any::TypeId::of::<f64>(),
        std::any::TypeId::of::<f32>(),
        std::any::TypeId::of::<i64>(),
    ]
    .into_iter()
    .find(|t| ty == *t)
    .unwrap_or(std::any::TypeId::of::<()>())
}

/// Whether a DELETE command line says `--yes`.
pub fn confirmed(leaf: &clap::ArgMatches) -> bool {
    leaf.try_get_one::<bool>("yes").ok().flatten() == Some(&true)
}

/// The flag of a body field progenitor made none for (an object, a list, a field named as a
/// parameter is): JSON text or `@PATH`, or for a string field its text (or `@PATH`, as any body
/// field's). A required one is required unless `--json-body` is given, as progenitor's flags are.
fn json_flag(flag: &JsonFlag) -> Arg {
    let arg = Arg::new(flag.id).long(flag.long).allow_hyphen_values(true);
    let arg = if flag.text {
        arg.value_name("TEXT")
            .value_parser(|text: &str| {
                crate::files::Text::AtFile
                    .read(text)
                    .map(serde_json::Value::from)
            })
            .help(format!(
                "The body's `{}`\n{}",
                flag.field,
                crate::files::Text::AtFile.help().unwrap_or_default()
            ))
    } else {
        arg.value_name("JSON")
            .value_parser(crate::files::json_or_file)
            .help(format!(
                "The body's `{}`, as JSON text; @PATH reads it from a file",
                flag.field
            ))
    };
    if flag.required {
        arg.required_unless_present("json-body")
    } else {
        arg
    }
}

/// A limit the spec's notes put on a field, as help and errors say it.
pub fn limit_help(most: usize, note: &str) -> String {
    match note {
        "" => format!("the API takes at most {most} characters"),
        note => format!("the API takes at most {most} characters (its notes: {note})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command_table::UNLISTED;
    use crate::switches::switch;

    #[test]
    fn path_parameters_become_positional_and_the_template_flag_is_hidden() {
        let generated = Command::new("show-instance")
            .arg(Arg::new("id").long("id").required(true))
            .arg(
                Arg::new("json-body-template")
                    .long("json-body-template")
                    .action(ArgAction::SetTrue),
            );
        let mut command = adapted(
            generated,
            &CommandSpec {
                positional: &["id"],
                ..UNLISTED
            },
        );
        let matches = command
            .clone()
            .try_get_matches_from(["show-instance", "42"])
            .unwrap();
        assert_eq!(matches.get_one::<String>("id").unwrap(), "42");
        assert!(
            command
                .clone()
                .try_get_matches_from(["show-instance", "--id", "42"])
                .is_err()
        );
        let help = command.render_help().to_string();
        assert!(
            help.contains("<id>") && !help.contains("json-body-template"),
            "{help}"
        );
    }

    /// What progenitor makes of a boolean body field, a string and a key, on a DELETE.
    fn typed_command() -> Command {
        let generated = Command::new("x")
            .arg(
                Arg::new("vm")
                    .long("vm")
                    .value_parser(value_parser!(bool))
                    .required(false),
            )
            .arg(
                Arg::new("env")
                    .long("env")
                    .value_parser(value_parser!(String)),
            )
            .arg(
                Arg::new("ssh-key")
                    .long("ssh-key")
                    .value_parser(value_parser!(String))
                    .help("The SSH key"),
            );
        adapted(
            generated,
            &CommandSpec {
                method: "DELETE",
                files: &["ssh-key"],
                ..UNLISTED
            },
        )
    }

    #[test]
    fn a_boolean_is_a_switch_pair_and_the_last_one_wins() {
        let value = |args: &[&str]| {
            let matches = typed_command()
                .try_get_matches_from([&["x"], args].concat())
                .unwrap();
            switch(&matches, "vm").copied()
        };
        assert_eq!(value(&[]), None);
        assert_eq!(value(&["--vm"]), Some(true));
        assert_eq!(value(&["--no-vm"]), Some(false));
        assert_eq!(value(&["--vm", "--no-vm"]), Some(false));
        assert_eq!(value(&["--no-vm", "--vm"]), Some(true));
        assert!(
            typed_command()
                .try_get_matches_from(["x", "--vm", "true"])
                .is_err()
        );
        let help = typed_command().render_help().to_string();
        assert!(
            help.contains("--vm                 [--no-vm sends false]\n"),
            "{help}"
        );
        assert!(!help.contains("\n      --no-vm"), "{help}");
    }

    #[test]
    fn strings_take_values_that_start_with_a_hyphen() {
        let matches = typed_command()
            .try_get_matches_from(["x", "--env", "-e A=1 -p 80:80"])
            .unwrap();
        assert_eq!(matches.get_one::<String>("env").unwrap(), "-e A=1 -p 80:80");
    }

    #[test]
    fn a_key_takes_at_path_or_a_file_and_plain_text_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id.pub");
        std::fs::write(&path, "ssh-ed25519 AAAA me@host\n").unwrap();
        let path = path.to_str().unwrap();
        let key = |value: &str| {
            typed_command()
                .try_get_matches_from(["x", "--ssh-key", value])
                .map(|m| m.get_one::<String>("ssh-key").unwrap().clone())
                .map_err(|e| e.kind())
        };
        assert_eq!(
            key(&format!("@{path}")),
            Ok("ssh-ed25519 AAAA me@host".into())
        );
        assert_eq!(key(path), Ok("ssh-ed25519 AAAA me@host".into()));
        assert_eq!(key("ssh-rsa BBBB"), Ok("ssh-rsa BBBB".into()));
        assert_eq!(
            key("@/nonexistent/id.pub"),
            Err(clap::error::ErrorKind::ValueValidation)
        );
        assert_eq!(
            key(&format!("@{}", dir.path().display())),
            Err(clap::error::ErrorKind::ValueValidation)
        );
    }

    #[test]
    fn a_delete_takes_yes() {
        let matches = typed_command().try_get_matches_from(["x", "-y"]).unwrap();
        assert!(confirmed(&matches));
        let matches = typed_command().try_get_matches_from(["x"]).unwrap();
        assert!(!confirmed(&matches));
    }
}
