//! The command tree: every generated operation under its vendor-style name, and the global flags.

use clap::{Arg, ArgAction, Command, value_parser};

use crate::generated_cli::{Cli, CliCommand};
use crate::generated_commands::COMMANDS;
use crate::output::Output;

/// One operation's command name and table columns, as `cargo xtask gen` derived them from the spec.
pub struct CommandSpec {
    pub operation_id: &'static str,
    /// `["show", "api-keys"]` for `vast show api-keys`; one word for a top-level command.
    pub words: &'static [&'static str],
    /// Other words that run the same operation, hidden from listings: the name the spec now
    /// gives an operation whose recorded name (names.toml) was kept.
    pub aliases: &'static [&'static [&'static str]],
    /// The scalar fields a list response shows as table columns, in the spec's order.
    pub columns: &'static [&'static str],
    /// The listed objects' other properties (objects, lists), shown by `--all-cols` or `--cols`.
    pub more_columns: &'static [&'static str],
    /// Path parameters, taken positionally in this order (`vast show instance 123`).
    pub positional: &'static [&'static str],
    /// When the JSON body is a filter of operator objects: its fields, taken as a filter
    /// expression (crate::filter).
    pub filter: &'static [FilterField],
    /// When the response names a next page: `--all` follows it.
    pub pagination: Option<Pagination>,
    /// Each flag of a JSON body field, (flag id, field name): a flag given on the command line
    /// overrides that field of `--json-body`.
    pub body_flags: &'static [(&'static str, &'static str)],
}

/// A field of a filter body, and the value type the spec gives some of its operators
/// (`("in", "integer")`: a list of whole numbers).
#[derive(Debug)]
pub struct FilterField {
    pub name: &'static str,
    pub typed: &'static [(&'static str, &'static str)],
}

/// The response field naming the next page (`next_token`) and the query parameter that takes
/// it back (`after_token`).
#[derive(Debug, Clone, Copy)]
pub struct Pagination {
    pub response_field: &'static str,
    pub query_param: &'static str,
}

pub const AFTER_HELP: &str = "\
Exit status:
  0  success
  1  any other failure (server error, a response that does not match the API spec or is not
     valid HTTP, a redirect that is not followed, a body over the size or object limits)
  2  invalid command line, or an unusable proxy variable, SSL_CERT_FILE or SSL_CERT_DIR
  3  no usable API key (none found, empty, malformed or too long; an unreadable key file)
  4  the server rejected the API key (401, 403)
  5  the server refused the request (400 and other 4xx)
  6  rate limited (429)
  7  the server could not be reached (a proxy's 407 too), did not answer in time, or the connection broke off
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

/// Never reached with code from `cargo xtask gen`; keeps a hand-edited table from crashing `vast`.
const UNLISTED: CommandSpec = CommandSpec {
    operation_id: "",
    words: &["unlisted"],
    aliases: &[],
    columns: &[],
    more_columns: &[],
    positional: &[],
    filter: &[],
    pagination: None,
    body_flags: &[],
};

/// The whole `vast` command: global flags, every operation grouped by its first word, completions.
pub fn command() -> Command {
    let mut root = Command::new("vast")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Command-line client for the Vast.ai API")
        .after_help(AFTER_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args());
    let mut groups: Vec<Command> = Vec::new();
    for op in CliCommand::iter() {
        let spec = spec_of(op);
        let leaf = with_list_options(
            adapted(
                with_short_about(Cli::<&Output<'static>>::get_command(op)),
                spec.positional,
            ),
            spec,
        );
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
    add_to_group(&mut groups, "set", set_api_key());
    // A group made only for aliases stays out of listings too.
    let groups = groups.into_iter().map(|g| {
        let hidden = g.get_subcommands().all(Command::is_hide_set);
        g.hide(hidden)
    });
    root.subcommands(groups).subcommand(
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

/// Adapts a generated command to the vendor CLI's habits: path parameters are positional rather
/// than `--flags`, and progenitor's `--json-body-template`, which does nothing yet (its help says
/// "XXX"), is hidden.
fn adapted(command: Command, positional: &[&str]) -> Command {
    let has = |command: &Command, id: &str| command.get_arguments().any(|a| a.get_id() == id);
    let command = if has(&command, "json-body-template") {
        command.mut_arg("json-body-template", |arg| arg.hide(true))
    } else {
        command
    };
    positional
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

/// The filter expression and `--all`, for the commands whose spec calls for them.
fn with_list_options(command: Command, spec: &CommandSpec) -> Command {
    let command = if spec.filter.is_empty() {
        command
    } else {
        let fields: Vec<&str> = spec.filter.iter().map(|f| f.name).collect();
        command
            .arg(
                Arg::new(QUERY)
                    .value_name("QUERY")
                    .num_args(1..)
                    .index(spec.positional.len() + 1)
                    .help("Filter expression, as in 'gpu_ram>=24 num_gpus=1' (grammar below)"),
            )
            .after_long_help(format!(
                "{}\n\nFields: {}",
                crate::filter::HELP,
                fields.join(", ")
            ))
    };
    match spec.pagination {
        None => command,
        Some(p) => command.arg(
            Arg::new(ALL_PAGES)
                .long("all")
                .action(ArgAction::SetTrue)
                .help(format!(
                    "Follow `{}` to fetch every page (at most {}), printing them as one list",
                    p.response_field,
                    crate::pages::PAGE_CAP
                )),
        ),
    }
}

/// The argument ids of the options [`with_list_options`] adds.
pub const QUERY: &str = "vast-filter-query";
pub const ALL_PAGES: &str = "vast-all-pages";

/// The operation a parsed command line names, with the matches of its own arguments.
pub fn selected(matches: &clap::ArgMatches) -> Option<(CliCommand, &clap::ArgMatches)> {
    let (first, first_matches) = matches.subcommand()?;
    let (words, leaf): (Vec<&str>, &clap::ArgMatches) = match first_matches.subcommand() {
        Some((second, leaf)) => (vec![first, second], leaf),
        None => (vec![first], first_matches),
    };
    CliCommand::iter()
        .find(|op| {
            let spec = spec_of(*op);
            spec.words == words.as_slice() || spec.aliases.contains(&words.as_slice())
        })
        .map(|op| (op, leaf))
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
            .help("Print the server's JSON response as it came"),
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
        Arg::new("retry")
            .long("retry")
            .value_name("N")
            .value_parser(value_parser!(u32).range(1..=100))
            .default_value("3")
            .global(true)
            .help("Attempts in all for a request that fails transiently"),
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

    #[test]
    fn path_parameters_become_positional_and_the_template_flag_is_hidden() {
        let generated = Command::new("show-instance")
            .arg(Arg::new("id").long("id").required(true))
            .arg(
                Arg::new("json-body-template")
                    .long("json-body-template")
                    .action(ArgAction::SetTrue),
            );
        let mut command = adapted(generated, &["id"]);
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

    #[test]
    fn every_generated_operation_and_alias_has_a_command() {
        let root = command();
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
                let matches = root.clone().try_get_matches_from(args).unwrap();
                let chosen = selected(&matches).map(|(o, _)| o.operation_id());
                assert_eq!(chosen, Some(op.operation_id()), "{words:?}");
            }
        }
    }
}
