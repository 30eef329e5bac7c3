//! The vendor CLI's everyday commands whose operation the spec names otherwise: `vastai start
//! instance ID` is the spec's `manage instance` with `state` set to `running`. A small table,
//! reviewed by hand like code, since which `vastai` commands mean exactly an operation (the same
//! request for the same input, the same result printed) is a judgement the spec cannot make:
//! `vastai copy` parses `ID:PATH`, and `vastai show ssh-keys` has the name of the instance keys'
//! command here. Each entry names its operation by the stable Rust name
//! `names.toml` keeps, so a retitled operation keeps its `vastai` command; an entry whose
//! operation or arguments a spec lacks, or whose words a generated command already has, is not
//! built (a one-operation spec has none of them).

use clap::{ArgMatches, Command};

use crate::command_table::{self, CommandSpec, Names};
use crate::failure::{Exit, Failure};

/// One `vastai` command, as the operation it runs.
pub struct VastaiCommand {
    /// `["start", "instance"]` for `vast start instance`.
    pub words: &'static [&'static str],
    /// The operation, by its Rust name in `names.toml`.
    pub operation: &'static str,
    /// The operation's arguments (ids, as in the command table) taken in this order, as
    /// `vastai` takes them: a flag of the operation becomes positional and required.
    pub positional: &'static [&'static str],
    /// Arguments the command sets itself (id, value), hidden: `--state running`.
    pub preset: &'static [(&'static str, &'static str)],
    /// What it does, as `vastai --help` says.
    pub about: &'static str,
}

/// The table. Each entry's request on the wire is compared with `vastai`'s for the same input
/// in `tests/tests/it/vastai_names.rs`.
pub const VASTAI_COMMANDS: &[VastaiCommand] = &[
    VastaiCommand {
        words: &["start", "instance"],
        operation: "manage_instance",
        positional: &["id"],
        preset: &[("state", "running")],
        about: "Start a stopped instance",
    },
    VastaiCommand {
        words: &["stop", "instance"],
        operation: "manage_instance",
        positional: &["id"],
        preset: &[("state", "stopped")],
        about: "Stop a running instance",
    },
    VastaiCommand {
        words: &["label", "instance"],
        operation: "manage_instance",
        positional: &["id", "label"],
        preset: &[],
        about: "Assign a string label to an instance",
    },
    VastaiCommand {
        words: &["logs"],
        operation: "show_logs",
        positional: &["id"],
        preset: &[],
        about: "Get the logs for an instance",
    },
    VastaiCommand {
        words: &["attach", "ssh"],
        operation: "attach_ssh_key",
        positional: &["id", "ssh-key"],
        preset: &[],
        about: "Attach an SSH key to an instance",
    },
    VastaiCommand {
        words: &["detach", "ssh"],
        operation: "detach_ssh_key",
        positional: &["id", "ssh-key-id"],
        preset: &[],
        about: "Detach an SSH key from an instance",
    },
];

/// Words of the commands written by hand, which no entry may take.
const HAND_WRITTEN: &[&[&str]] = &[&["set", "api-key"], &["wait", "instance"], &["completions"]];

/// The entries for `spec`'s operation whose words no other command has.
pub fn of(spec: &CommandSpec) -> impl Iterator<Item = &'static VastaiCommand> {
    of_in(spec, VASTAI_COMMANDS, command_table::names())
}

fn of_in<'a>(
    spec: &'a CommandSpec,
    entries: &'static [VastaiCommand],
    table: &'a [Names],
) -> impl Iterator<Item = &'static VastaiCommand> + 'a {
    entries
        .iter()
        .filter(move |e| e.operation == spec.operation_id && free(e.words, table))
}

/// Whether `words` clash with no command of `table` nor a hand-written one: neither the same
/// words, nor a one-word command that is also a group.
fn free(words: &[&str], table: &[Names]) -> bool {
    let mut taken = table
        .iter()
        .flat_map(|c| std::iter::once(c.words).chain(c.aliases.iter().copied()))
        .chain(HAND_WRITTEN.iter().copied());
    taken.all(|other| {
        other != words && !((other.len() == 1 || words.len() == 1) && other[0] == words[0])
    })
}

/// Whether `words` start with the words of an entry built for the operation.
pub fn named(words: &[&str], operation_id: &str) -> bool {
    VASTAI_COMMANDS.iter().any(|e| {
        e.operation == operation_id
            && words.starts_with(e.words)
            && free(e.words, command_table::names())
    })
}

/// How the entry reads as the operation's own command: `vast manage instance <id> --state
/// running`.
fn runs(entry: &VastaiCommand, spec: &CommandSpec) -> String {
    let mut line = format!("vast {}", spec.words.join(" "));
    for id in entry.positional {
        match spec.positional.contains(id) {
            true => line.push_str(&format!(" <{id}>")),
            false => line.push_str(&format!(" --{id} <{id}>")),
        }
    }
    for (id, value) in entry.preset {
        line.push_str(&format!(" --{id} {value}"));
    }
    line
}

/// The entry's command, made from the operation's (`target`): its positional arguments in the
/// entry's order, its presets hidden and set. `None` when the operation lacks one of them.
pub fn command(entry: &VastaiCommand, target: &Command, spec: &CommandSpec) -> Option<Command> {
    let has = |id: &str| target.get_arguments().any(|a| a.get_id() == id);
    let mut named = entry
        .positional
        .iter()
        .chain(entry.preset.iter().map(|(id, _)| id));
    if !named.all(|id| has(id)) {
        return None;
    }
    let runs = runs(entry, spec);
    let mut command = target
        .clone()
        .about(format!("{}: runs `{runs}`", entry.about))
        .before_help(format!(
            "vastai's `{}`: runs `{runs}` (operation `{}`), the request `vastai` sends.",
            entry.words.join(" "),
            spec.operation_id
        ));
    for (i, id) in entry.positional.iter().enumerate() {
        command = command.mut_arg(*id, |arg| arg.long(None).index(i + 1).required(true));
    }
    for (id, value) in entry.preset {
        command = command.mut_arg(*id, |arg| arg.hide(true).default_value(*value));
    }
    Some(command)
}

/// A preset given on the command line is refused: `vast start instance 1 --state stopped`
/// says two things.
pub fn refuse_given_presets(words: &[&str], leaf: &ArgMatches) -> Result<(), Failure> {
    let Some(entry) = VASTAI_COMMANDS.iter().find(|e| e.words == words) else {
        return Ok(());
    };
    for (id, _) in entry.preset {
        if leaf.value_source(id) == Some(clap::parser::ValueSource::CommandLine) {
            return Err(Failure::new(
                Exit::Usage,
                format!("`vast {}` sets --{id} itself", words.join(" ")),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command_table::UNLISTED;

    const fn spec(words: &'static [&'static str], operation_id: &'static str) -> CommandSpec {
        CommandSpec {
            words,
            operation_id,
            ..UNLISTED
        }
    }

    const fn names(words: &'static [&'static str], operation_id: &'static str) -> Names {
        Names {
            operation_id,
            words,
            aliases: &[],
        }
    }

    #[test]
    fn an_entry_is_built_only_where_its_words_are_free() {
        const TABLE: &[Names] = &[
            names(&["manage", "instance"], "manage_instance"),
            names(&["stop", "instance"], "stop_instance"),
            names(&["label"], "label"),
        ];
        let manage = spec(&["manage", "instance"], "manage_instance");
        let built: Vec<_> = of_in(&manage, VASTAI_COMMANDS, TABLE)
            .map(|e| e.words)
            .collect();
        // `stop instance` is the spec's own; `label` a one-word command.
        assert_eq!(built, [&["start", "instance"][..]]);
        assert!(!free(&["wait", "instance"], TABLE));
        assert!(!free(&["completions"], TABLE));
    }

    #[test]
    fn an_entry_reads_as_the_operations_command() {
        let manage = CommandSpec {
            positional: &["id"],
            ..spec(&["manage", "instance"], "manage_instance")
        };
        assert_eq!(
            runs(&VASTAI_COMMANDS[0], &manage),
            "vast manage instance <id> --state running"
        );
        assert_eq!(
            runs(&VASTAI_COMMANDS[2], &manage),
            "vast manage instance <id> --label <label>"
        );
    }

    #[test]
    fn an_operation_without_an_entrys_arguments_builds_none() {
        let target = Command::new("x").arg(clap::Arg::new("id").long("id"));
        let manage = spec(&["manage", "instance"], "manage_instance");
        assert!(command(&VASTAI_COMMANDS[0], &target, &manage).is_none());
    }
}
