//! Booleans as switch pairs: `--NAME` sends true, `--no-NAME` false, neither nothing. The
//! command tree makes the pairs ([`switch_pair`]); the request reads them ([`switch`]).

use clap::{Arg, ArgAction, Command};

pub fn negated(id: &str) -> String {
    format!("no-{id}")
}

/// `--NAME` sends true and `--no-NAME` false; the last one given wins, neither sends nothing. A
/// boolean the spec requires needs one of the two.
pub fn switch_pair(command: Command, id: &str) -> Command {
    let no = negated(id);
    let required = command
        .get_arguments()
        .any(|a| a.get_id() == id && a.is_required_set());
    // `--no-NAME` is named in `--NAME`'s help rather than listed: half as many lines.
    let command = command
        .mut_arg(id, |arg| {
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            let sep = if help.trim().is_empty() { "" } else { " " };
            arg.action(ArgAction::SetTrue)
                .required(false)
                .overrides_with(no.clone())
                .help(format!("{}{sep}[--{no} sends false]", help.trim_end()))
        })
        .arg(
            Arg::new(no.clone())
                .long(no.clone())
                .action(ArgAction::SetTrue)
                .overrides_with(id.to_string())
                .hide(true),
        );
    if required {
        command.group(
            clap::ArgGroup::new(format!("{id}-switch"))
                .args([id.to_string(), no])
                .required(true),
        )
    } else {
        command
    }
}

/// The value of a boolean argument made a switch pair (`operation_args::adapted`): `Some(&true)` for
/// `--NAME`, `Some(&false)` for `--no-NAME`, `None` for neither. The request reads every
/// boolean through this (`request::argument`).
pub fn switch(matches: &clap::ArgMatches, id: &str) -> Option<&'static bool> {
    let given = |id: &str| matches.try_get_one::<bool>(id).ok().flatten() == Some(&true);
    if given(id) {
        Some(&true)
    } else if given(&negated(id)) {
        Some(&false)
    } else {
        None
    }
}
