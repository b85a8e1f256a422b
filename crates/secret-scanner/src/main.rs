//! `secret-scanner`: find leaked credentials in files, folders, stdin and git
//! history. A thin binary over the `secret-patterns` catalogue and the
//! `secret-scan` engine: it parses arguments, applies suppressions and
//! prints; it never matches anything itself.
//!
//! Exit codes: 0 no findings, 1 findings, 2 usage, configuration or I/O
//! error (one line on stderr, never a backtrace).

mod cli;
mod date;
mod docs_cmd;
mod help;
mod locate;
mod merge;
mod own_files;
mod pipeline;
mod progress;
mod read;
mod redact;
mod repo;
mod report;
mod repos;
mod rules_cmd;
mod scan;
mod shard;
mod suppress;
mod suppressed;

use std::process::ExitCode;

use cli::Command;

fn main() -> ExitCode {
    let cli = help::parse();
    let result = match &cli.command {
        Command::Scan(args) => scan::run(args).map(|found| if found { args.exit_code } else { 0 }),
        Command::Merge(args) => {
            merge::run(args).map(|found| if found { args.exit_code } else { 0 })
        }
        Command::Rules(args) => rules_cmd::run(args).map(|()| 0),
        Command::Completions { shell } => {
            docs_cmd::completions(help::command(), *shell).map(|()| 0)
        }
        Command::Man { subcommand } => {
            docs_cmd::man(help::command(), subcommand.as_deref()).map(|()| 0)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            // Multi-line messages (a configuration error's line and caret)
            // keep their line breaks; every other control character is
            // escaped.
            let lines: Vec<String> = message
                .split('\n')
                .map(|l| report::text::clean(l).into_owned())
                .collect();
            eprintln!("secret-scanner: error: {}", lines.join("\n"));
            ExitCode::from(2)
        }
    }
}
