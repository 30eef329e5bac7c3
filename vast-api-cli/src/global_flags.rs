//! The flags every command takes (`--api-key`, `--url`, `--raw`, …), before or after its words.

use clap::{Arg, ArgAction, value_parser};

pub fn global_args() -> Vec<Arg> {
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
