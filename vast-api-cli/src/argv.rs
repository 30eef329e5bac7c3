//! What `vast` reads from its command line before clap parses it: the keys (to keep them out of
//! every message), an argument that is not text, and the words that name the command.

use std::ffi::OsString;

use clap::{Arg, Command};

/// The keys on a command line, each with the index of the argument it is in: `--api-key KEY`,
/// `--api-key=KEY`, `set api-key KEY`.
pub fn given_keys(args: &[String]) -> Vec<(usize, &str)> {
    let mut keys = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let next = args.get(i + 1).map(|next| (i + 1, next.as_str()));
        match long_flag(arg) {
            Some(("api-key", Some(key))) => keys.push((i, key)),
            Some(("api-key", None)) => keys.extend(next),
            // `set api-key KEY`, global flags between them or not (`set -v api-key KEY`).
            _ if arg == "api-key"
                && args[..i]
                    .iter()
                    .rev()
                    .find(|a| !a.starts_with('-'))
                    .map(String::as_str)
                    == Some("set") =>
            {
                keys.extend(next)
            }
            _ => {}
        }
    }
    keys
}

/// A long flag's name and the value joined to it: `--url=U` is `("url", Some("U"))`, `--raw`
/// `("raw", None)`, `--` `("", None)`.
fn long_flag(arg: &str) -> Option<(&str, Option<&str>)> {
    let flag = arg.strip_prefix("--")?;
    Some(match flag.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (flag, None),
    })
}

/// The first two words of a command line (a command's, as `show instances`), past the global
/// flags before them and their values (`globals`); `None` at `--` or any other flag (`--help`),
/// which only the whole command tree can read.
pub fn leading_words<'a>(args: &'a [String], globals: &[Arg]) -> Option<Vec<&'a str>> {
    let mut words: Vec<&str> = Vec::new();
    let mut rest = args.iter().skip(1);
    while words.len() < 2 {
        let Some(arg) = rest.next() else { break };
        if let Some((name, joined)) = long_flag(arg) {
            // `--` and any flag but a global one (`--help`): the whole tree decides.
            let global = globals.iter().find(|g| g.get_long() == Some(name))?;
            if global.get_action().takes_values() && joined.is_none() {
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
    Some(words)
}

/// Every argument `vast` takes is text: one that is not UTF-8 cannot be what was meant, and
/// replacing its bytes, as a lossy conversion does, would change it unseen (`--url` naming
/// another server, say). The usage error for the first such argument (the program's own name
/// aside) names it by its flag where it has one and shows it escaped, never as its bytes, and
/// never a key's.
pub fn not_text(given: &[OsString], args: &[String], tree: fn() -> Command) -> Option<String> {
    let at = given.iter().skip(1).position(|a| a.to_str().is_none())? + 1;
    let mut value = given[at].as_encoded_bytes();
    let joined = long_flag(&args[at])
        .filter(|(name, joined)| joined.is_some() && takes_value(name, tree))
        .map(|(name, _)| name);
    let before = long_flag(&args[at - 1])
        .filter(|(name, joined)| joined.is_none() && takes_value(name, tree))
        .map(|(name, _)| name);
    let what = if let Some(name) = joined {
        // The flag is ASCII, so it is as many bytes given as in the converted argument.
        value = &value[name.len() + 3..];
        format!("the value of --{name}")
    } else if let Some(name) = before {
        format!("the value of --{name}")
    } else {
        format!("argument {at}")
    };
    if given_keys(args).iter().any(|(i, _)| *i == at) {
        return Some(format!("error: {what} is not valid UTF-8\n"));
    }
    Some(format!(
        "error: {what} is not valid UTF-8: \"{}\"\n",
        vast_api::text::shown_bytes(value)
    ))
}

/// Whether `--name` is an option that takes a value (`--url`), in any command.
fn takes_value(name: &str, tree: fn() -> Command) -> bool {
    fn any_in(command: &Command, long: &str) -> bool {
        command
            .get_arguments()
            .any(|a| a.get_long() == Some(long) && a.get_action().takes_values())
            || command.get_subcommands().any(|c| any_in(c, long))
    }
    !name.is_empty() && any_in(&tree(), name)
}

#[cfg(test)]
mod tests {
    use super::given_keys;

    #[test]
    fn keys_are_found_in_every_form() {
        let args: Vec<String> = [
            "vast",
            "--api-key",
            "k1",
            "show",
            "--api-key=k2",
            "set",
            "api-key",
            "k3",
            "set",
            "-v",
            "api-key",
            "k4",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            given_keys(&args),
            [(2, "k1"), (4, "k2"), (7, "k3"), (11, "k4")]
        );
    }
}
