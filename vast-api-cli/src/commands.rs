//! The command tree: every generated operation under its vendor-style name and its aliases, with
//! the global flags (`global_flags.rs`) and each operation's arguments (`operation_args.rs`).

use clap::{Arg, Command, value_parser};

use crate::command_table::{self, CommandSpec, Names};
use crate::global_flags::global_args;
use crate::operation_args::{adapted, with_list_options, with_wait_options};

/// The whole `vast` command: global flags, every operation grouped by its first word, completions.
pub fn command() -> Command {
    let (root, mut groups) = operations(|_| true);
    add_to_group(&mut groups, "set", set_api_key());
    if crate::wait::available() {
        add_to_group(&mut groups, "wait", crate::wait::command());
    }
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
    let (root, groups) = operations(|names| names.operation_id == named.operation_id);
    Some(with_groups(root, groups))
}

/// The operation whose words (or an alias's) come first on the command line, past the global
/// flags before them and their values.
fn named_operation(args: &[String]) -> Option<&'static CommandSpec> {
    let words = crate::argv::leading_words(args, &global_args())?;
    command_table::specs_where(|names| {
        words.starts_with(names.words)
            || names.aliases.iter().any(|a| words.starts_with(a))
            || crate::vastai_names::named(&words, names.operation_id)
    })
    .next()
}

/// The root command with its global flags, and the operations `keep` selects, grouped by their
/// first word (the groups not yet added to the root, so more can join them).
fn operations(keep: impl Fn(&Names) -> bool) -> (Command, Vec<Command>) {
    let mut root = Command::new("vast")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Command-line client for the Vast.ai API")
        .after_help(crate::failure::AFTER_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args());
    let mut groups: Vec<Command> = Vec::new();
    for spec in command_table::specs_where(keep) {
        let leaf = with_list_options(
            adapted(with_short_about(crate::definitions::defined(spec)), spec),
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

/// The operation a parsed command line names, with the matches of its own arguments.
pub fn selected(matches: &clap::ArgMatches) -> Option<(&'static CommandSpec, &clap::ArgMatches)> {
    let (words, leaf) = leaf_of(matches)?;
    command_table::specs_where(|names| {
        names.words == words.as_slice()
            || names.aliases.contains(&words.as_slice())
            || crate::vastai_names::named(&words, names.operation_id)
    })
    .next()
    .map(|spec| (spec, leaf))
}

/// The words of the command a parsed command line names, and the matches of its arguments.
pub fn leaf_of(matches: &clap::ArgMatches) -> Option<(Vec<&str>, &clap::ArgMatches)> {
    let (first, first_matches) = matches.subcommand()?;
    Some(match first_matches.subcommand() {
        Some((second, leaf)) => (vec![first, second], leaf),
        None => (vec![first], first_matches),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command_table::{UNLISTED, listing_for};

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
    fn every_generated_operation_and_alias_has_a_command() {
        // Required arguments left out are not this test's business: which command runs is.
        let root = command().ignore_errors(true);
        for spec in command_table::all() {
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
                let chosen = selected(&matches).map(|(s, _)| s.operation_id);
                assert_eq!(chosen, Some(spec.operation_id), "{words:?}");
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
            listing_for(&create_key, command_table::all()).map(|c| c.words),
            Some(&["show", "api-keys"][..])
        );
    }
}
