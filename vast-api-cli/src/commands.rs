//! The command tree: every generated operation under its vendor-style name, and the global flags.

use clap::{Arg, ArgAction, Command, value_parser};

use crate::command_table::{CommandSpec, JsonFlag, UNLISTED};
use crate::generated_cli::{Cli, CliCommand};
use crate::generated_commands::COMMANDS;
use crate::output::Output;
use crate::switches::{negated, switch_pair};

pub const AFTER_HELP: &str = "\
Exit status:
  0  success
  1  any other failure (server error, a success body that is not JSON, a response that is not
     valid HTTP, a redirect that is not followed, a body over the size or object limits)
  2  invalid command line (a DELETE without --yes and no terminal to confirm it on too), or an
     unusable proxy variable, SSL_CERT_FILE or SSL_CERT_DIR
  3  no usable API key (none found, empty, malformed or too long; an unreadable key file)
  4  the server rejected the API key (401, 403)
  5  the server refused the request (400 and other 4xx)
  6  rate limited (429)
  7  the server could not be reached (a proxy's 407 too), did not answer in time, or the
     connection broke off
  8  `wait instance` (`create instance --wait`): the instance is exited, unknown or offline while
     meant to run, and will never run: destroy it and rent another
  9  `wait instance` (`create instance --wait`): --max-wait passed before it ran
  10  a list is incomplete: its pages stopped at the bound (1000 pages or 10 minutes) or on a
     page token the server gave twice; the pages that came were printed
  130  interrupted (Ctrl-C)

The API key is read from --api-key, then VAST_API_KEY, then $XDG_CONFIG_HOME/vastai/vast_api_key
(~/.config/vastai/vast_api_key), then ~/.vast_api_key.";

/// The command table entry of a generated operation; `cargo xtask gen` writes one for each and
/// refuses to write a table that misses one.
pub fn spec_of(command: CliCommand) -> &'static CommandSpec {
    COMMANDS
        .iter()
        .find(|c| c.operation_id == command.operation_id())
        .unwrap_or(&UNLISTED)
}

/// The whole `vast` command: global flags, every operation grouped by its first word, completions.
pub fn command() -> Command {
    let (root, mut groups) = operations(|_| true);
    add_to_group(&mut groups, "set", set_api_key());
    #[cfg(vast_op = "show_instance")]
    add_to_group(&mut groups, "wait", crate::wait::command());
    with_groups(root, groups).subcommand(
        Command::new("completions")
            .about("Print a shell completion script: vast completions bash > /etc/bash_completion.d/vast")
            .arg(
                Arg::new("shell")
                    .value_name("SHELL")
                    .required(true)
                    .value_parser(value_parser!(clap_complete::Shell)),
            ),
    )
}

/// The command for a command line that names an operation: the global flags and that operation
/// only. With the vendor's 100 operations, building every command's arguments was most of what a
/// run of `vast` executed (BENCHMARKS.md, "Release size"). `None` when the line names no
/// operation by its words; anything clap would refuse or answer with help is left to
/// [`command`], whose messages know every command.
pub fn command_for(args: &[String]) -> Option<Command> {
    let named = named_operation(args)?;
    let (root, groups) = operations(|op| op.operation_id() == named.operation_id());
    Some(with_groups(root, groups))
}

/// The operation whose words (or an alias's) come first on the command line, past the global
/// flags before them and their values.
fn named_operation(args: &[String]) -> Option<CliCommand> {
    let globals = global_args();
    let mut words: Vec<&str> = Vec::new();
    let mut rest = args.iter().skip(1);
    while words.len() < 2 {
        let Some(arg) = rest.next() else { break };
        if let Some(flag) = arg.strip_prefix("--") {
            let (name, inline) = match flag.split_once('=') {
                Some((name, _)) => (name, true),
                None => (flag, false),
            };
            // `--` and any flag but a global one (`--help`): the whole tree decides.
            let global = globals.iter().find(|g| g.get_long() == Some(name))?;
            if global.get_action().takes_values() && !inline {
                rest.next()?;
            }
        } else if let Some(shorts) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let switch = |c: char| {
                globals
                    .iter()
                    .any(|g| g.get_short() == Some(c) && !g.get_action().takes_values())
            };
            if !shorts.chars().all(switch) {
                return None;
            }
        } else {
            words.push(arg);
        }
    }
    CliCommand::iter().find(|op| {
        let spec = spec_of(*op);
        words.starts_with(spec.words)
            || spec.aliases.iter().any(|a| words.starts_with(a))
            || crate::vastai_names::named(&words, spec.operation_id)
    })
}

/// The root command with its global flags, and the operations `keep` selects, grouped by their
/// first word (the groups not yet added to the root, so more can join them).
fn operations(keep: impl Fn(CliCommand) -> bool) -> (Command, Vec<Command>) {
    let mut root = Command::new("vast")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Command-line client for the Vast.ai API")
        .after_help(AFTER_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args());
    let mut groups: Vec<Command> = Vec::new();
    for op in CliCommand::iter().filter(|op| keep(*op)) {
        let spec = spec_of(op);
        let leaf = with_list_options(
            adapted(
                with_short_about(Cli::<&Output<'static>>::get_command(op)),
                spec,
            ),
            spec,
        );
        let leaf = with_wait_options(leaf, spec);
        for entry in crate::vastai_names::of(spec) {
            if let Some(command) = crate::vastai_names::command(entry, &leaf, spec) {
                place(&mut root, &mut groups, entry.words, command);
            }
        }
        for alias in spec.aliases {
            let leaf = leaf.clone().hide(true).before_help(format!(
                "Runs `vast {}`: the name the API's documentation now gives it.",
                spec.words.join(" ")
            ));
            place(&mut root, &mut groups, alias, leaf);
        }
        let leaf = match spec.aliases {
            [] => leaf,
            aliases => {
                let also = format!(
                    "Also runs as: {}",
                    aliases
                        .iter()
                        .map(|a| format!("vast {}", a.join(" ")))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                // After the filter grammar, when the command has one.
                let help = match leaf.get_after_long_help() {
                    Some(grammar) => format!("{grammar}\n\n{also}"),
                    None => also,
                };
                leaf.after_long_help(help)
            }
        };
        place(&mut root, &mut groups, spec.words, leaf);
    }
    (root, groups)
}

fn with_groups(root: Command, groups: Vec<Command>) -> Command {
    // A group made only for aliases stays out of listings too.
    let groups = groups.into_iter().map(|g| {
        let hidden = g.get_subcommands().all(Command::is_hide_set);
        g.hide(hidden)
    });
    root.subcommands(groups)
}

/// `vast set api-key KEY`, as in the vendor CLI: the one hand-written command, since saving the
/// key is not an API operation.
fn set_api_key() -> Command {
    Command::new("api-key")
        .about("Save the API key in $XDG_CONFIG_HOME/vastai/vast_api_key, readable by you only")
        .arg(
            Arg::new("key")
                .value_name("KEY")
                .allow_hyphen_values(true)
                .value_parser(clap::builder::NonEmptyStringValueParser::new())
                .help(
                    "The key, as shown at https://cloud.vast.ai/manage-keys/; without it, or with -, \
                     it is read from standard input (not echoed on a terminal), which keeps it out \
                     of the process list",
                ),
        )
}

/// Puts a leaf under its words: at the top for one word, in its group for two.
fn place(root: &mut Command, groups: &mut Vec<Command>, words: &[&'static str], leaf: Command) {
    match words {
        [single] => *root = std::mem::take(root).subcommand(leaf.name(*single)),
        [group, name] => add_to_group(groups, group, leaf.name(*name)),
        _ => unreachable!("command names have one or two words"),
    }
}

fn add_to_group(groups: &mut Vec<Command>, group: &str, command: Command) {
    let at = match groups.iter().position(|g| g.get_name() == group) {
        Some(at) => at,
        None => {
            groups.push(
                Command::new(group.to_string())
                    .about(format!("{group} commands"))
                    .subcommand_required(true)
                    .arg_required_else_help(true),
            );
            groups.len() - 1
        }
    };
    let parent = std::mem::replace(&mut groups[at], Command::new(""));
    groups[at] = parent.subcommand(command);
}

/// progenitor puts summary and description together in `about`; listings show the summary line,
/// `--help` the whole text.
fn with_short_about(command: Command) -> Command {
    let Some(full) = command.get_about().map(|a| a.to_string()) else {
        return command;
    };
    let summary = full.lines().next().unwrap_or_default().to_string();
    command.about(summary).long_about(full)
}

/// Adapts a generated command to the vendor CLI's habits and to typing: path parameters are
/// positional rather than `--flags`; a boolean is a switch pair (`--vm`, `--no-vm`; read through
/// [`switch`](crate::switches::switch)); a string takes values that start with `-` (`--env '-e A=1'`); a body
/// field's text also `@PATH` (see [`crate::files::Text`]); a body field progenitor has no flag
/// for (an object, a list) gets one taking JSON or `@PATH` ([`json_flag`]); a `DELETE` has
/// `--yes`. progenitor's
/// `--json-body-template`, which does nothing yet (its help says "XXX"), is hidden.
fn adapted(command: Command, spec: &CommandSpec) -> Command {
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
                        let text = crate::operation::limit_help(*most, note);
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
    // progenitor requires `--json-body` when a required field has no flag of its own; now each
    // has one.
    if !spec.json_flags.is_empty() && has(&command, "json-body") {
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
fn with_list_options(command: Command, spec: &CommandSpec) -> Command {
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
fn with_wait_options(command: Command, spec: &CommandSpec) -> Command {
    #[cfg(vast_op = "show_instance")]
    if spec.operation_id == "create_instance" {
        return command.args(crate::wait::create_options());
    }
    let _ = spec;
    command
}

/// The argument ids of the options [`with_list_options`] adds.
pub const QUERY: &str = "vast-filter-query";
pub const ALL_PAGES: &str = "vast-all-pages";
pub const MAX_ITEMS: &str = "vast-max-items";
pub const ORDER: &str = "vast-order";
fn type_of(arg: &Arg) -> std::any::TypeId {
    // clap's own id of the value type compares with std's.
    let ty = arg.get_value_parser().type_id();
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

/// The operation a parsed command line names, with the matches of its own arguments.
pub fn selected(matches: &clap::ArgMatches) -> Option<(CliCommand, &clap::ArgMatches)> {
    let (words, leaf) = leaf_of(matches)?;
    CliCommand::iter()
        .find(|op| {
            let spec = spec_of(*op);
            spec.words == words.as_slice()
                || spec.aliases.contains(&words.as_slice())
                || crate::vastai_names::named(&words, spec.operation_id)
        })
        .map(|op| (op, leaf))
}

/// The words of the command a parsed command line names, and the matches of its arguments.
pub fn leaf_of(matches: &clap::ArgMatches) -> Option<(Vec<&str>, &clap::ArgMatches)> {
    let (first, first_matches) = matches.subcommand()?;
    Some(match first_matches.subcommand() {
        Some((second, leaf)) => (vec![first, second], leaf),
        None => (vec![first], first_matches),
    })
}

fn global_args() -> Vec<Arg> {
    vec![
        Arg::new("api-key")
            .long("api-key")
            .value_name("KEY")
            // A key that starts with `-` is still the key, never echoed back as an unknown flag.
            .allow_hyphen_values(true)
            .global(true)
            .help(
                "API key [default: $VAST_API_KEY, then the key file]; other users can see it in \
                 the process list, so prefer `vast set api-key` (which reads it from stdin)",
            ),
        Arg::new("url")
            .long("url")
            .value_name("URL")
            .global(true)
            .help("Server URL [default: $VAST_URL, then https://console.vast.ai]"),
        Arg::new("raw")
            .long("raw")
            .action(ArgAction::SetTrue)
            .global(true)
            .help(
                "Print the server's JSON response as it came (on a terminal, with control \
                 characters escaped)",
            ),
        Arg::new("cols")
            .long("cols")
            .value_name("A,B,C")
            .value_delimiter(',')
            .num_args(1)
            .global(true)
            .conflicts_with("all-cols")
            .help("Table columns to show, in this order"),
        Arg::new("all-cols")
            .long("all-cols")
            .action(ArgAction::SetTrue)
            .global(true)
            .help("Show every column, not only those that fit the terminal"),
        Arg::new("dry-run")
            .long("dry-run")
            .action(ArgAction::SetTrue)
            .global(true)
            .help("Print the request (method, URL, body; never the key) instead of sending it"),
        Arg::new("retry")
            .long("retry")
            .value_name("N")
            .value_parser(value_parser!(u32).range(1..=100))
            .default_value("3")
            .global(true)
            .help("Attempts in all for a request that fails transiently; only a GET is sent again once it may have been carried out"),
        Arg::new("timeout")
            .long("timeout")
            .value_name("SECS")
            .value_parser(value_parser!(u64).range(1..=3600))
            .default_value("30")
            .global(true)
            .help("Give up on an attempt after this many seconds (each of --retry attempts)"),
        Arg::new("allow-http")
            .long("allow-http")
            .action(ArgAction::SetTrue)
            .global(true)
            .help("Send the key over plain http:// to a host other than this machine"),
        Arg::new("verbose")
            .short('v')
            .long("verbose")
            .action(ArgAction::SetTrue)
            .global(true)
            .help("Print diagnostics on stderr (never the API key)"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command_table::listing_for;
    use crate::switches::switch;

    fn line(args: &[&str]) -> Vec<String> {
        args.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_line_naming_an_operation_is_parsed_by_it_alone_as_by_the_whole_tree() {
        for args in [
            &["vast", "show", "api-keys"][..],
            &["vast", "--raw", "show", "api-keys"],
            &[
                "vast",
                "--url",
                "http://127.0.0.1:1",
                "-v",
                "show",
                "api-keys",
                "--cols",
                "id",
            ],
            &[
                "vast",
                "--api-key",
                "-k-",
                "--retry=2",
                "show",
                "--dry-run",
                "api-keys",
            ],
            &["vast", "show", "api-keys", "--timeout", "5", "--all-cols"],
        ] {
            let args = line(args);
            let narrowed = command_for(&args).unwrap_or_else(|| panic!("{args:?}"));
            let groups: Vec<_> = narrowed.get_subcommands().map(Command::get_name).collect();
            assert_eq!(groups, ["show"], "{args:?}");
            let narrowed = narrowed.try_get_matches_from(&args).unwrap();
            let whole = command().try_get_matches_from(&args).unwrap();
            assert_eq!(parsed(&narrowed), parsed(&whole), "{args:?}");
            assert!(parsed(&whole).contains(&"api-keys".to_string()), "{args:?}");
        }
    }

    /// What a program reads from matches, level by level: each argument's source and values,
    /// then the subcommand's name.
    fn parsed(matches: &clap::ArgMatches) -> Vec<String> {
        let mut seen: Vec<String> = matches
            .ids()
            .map(|id| {
                let values = matches.get_raw(id.as_str()).map(|v| {
                    v.map(|v| v.to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                });
                format!("{id}: {:?} {values:?}", matches.value_source(id.as_str()))
            })
            .collect();
        if let Some((name, sub)) = matches.subcommand() {
            seen.push(name.to_string());
            seen.extend(parsed(sub));
        }
        seen
    }

    #[test]
    fn other_lines_are_left_to_the_whole_tree() {
        for args in [
            &["vast"][..],
            &["vast", "--help"],
            &["vast", "-h", "show", "api-keys"],
            &["vast", "--version"],
            &["vast", "show"],
            &["vast", "show", "api-key"],
            &["vast", "--", "show", "api-keys"],
            &["vast", "--url"],
            &["vast", "--nope", "show", "api-keys"],
            &["vast", "completions", "bash"],
            &["vast", "set", "api-key", "k"],
        ] {
            assert!(command_for(&line(args)).is_none(), "{args:?}");
        }
    }

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

    #[test]
    fn every_generated_operation_and_alias_has_a_command() {
        // Required arguments left out are not this test's business: which command runs is.
        let root = command().ignore_errors(true);
        for op in CliCommand::iter() {
            let spec = spec_of(op);
            for words in std::iter::once(&spec.words).chain(spec.aliases) {
                let found = match words {
                    [single] => root.find_subcommand(single),
                    [group, name] => root
                        .find_subcommand(group)
                        .and_then(|g| g.find_subcommand(name)),
                    _ => None,
                };
                assert!(found.is_some(), "{words:?}");
                let mut args = vec!["vast"];
                args.extend(words.iter());
                // The words choose the operation, whatever arguments it requires.
                let matches = root
                    .clone()
                    .ignore_errors(true)
                    .try_get_matches_from(args)
                    .unwrap();
                let chosen = selected(&matches).map(|(o, _)| o.operation_id());
                assert_eq!(chosen, Some(op.operation_id()), "{words:?}");
            }
        }
    }

    #[test]
    fn a_change_is_checked_with_the_list_of_what_it_acts_on() {
        const fn spec(
            words: &'static [&'static str],
            method: &'static str,
            positional: &'static [&'static str],
        ) -> CommandSpec {
            CommandSpec {
                words,
                method,
                positional,
                ..UNLISTED
            }
        }
        const TABLE: &[CommandSpec] = &[
            spec(&["show", "instance"], "GET", &["id"]),
            spec(&["list", "instances"], "GET", &[]),
            spec(&["show", "instances"], "GET", &[]),
            spec(&["list", "volumes"], "GET", &[]),
            spec(&["show", "ssh-keys"], "GET", &["id"]),
            spec(&["show", "env-var"], "POST", &[]),
        ];
        let check = |words: &'static [&'static str]| {
            listing_for(&spec(words, "PUT", &["id"]), TABLE).map(|c| c.words)
        };
        assert_eq!(
            check(&["create", "instance"]),
            Some(&["show", "instances"][..])
        );
        assert_eq!(
            check(&["reboot", "instance"]),
            Some(&["show", "instances"][..])
        );
        assert_eq!(check(&["rent", "volume"]), Some(&["list", "volumes"][..]));
        // Only a list needing no id will do, and only a GET.
        assert_eq!(check(&["attach", "ssh-key"]), None);
        assert_eq!(check(&["create", "env-var"]), None);
        assert_eq!(check(&["copy"]), None);
        // The generated table, whatever the spec: `show api-keys` is always in it.
        let create_key = spec(&["create", "api-key"], "POST", &[]);
        assert_eq!(
            listing_for(&create_key, COMMANDS).map(|c| c.words),
            Some(&["show", "api-keys"][..])
        );
    }
}
