//! `secret-scanner`: find leaked credentials in files, folders, stdin and git
//! history. A thin binary over the `secret-patterns` catalogue and the
//! `secret-scan` engine: it parses arguments, applies suppressions and
//! prints; it never matches anything itself.
//!
//! Exit codes: 0 no findings, 1 findings, 2 usage, configuration or I/O
//! error (one line on stderr, never a backtrace).

mod cli;
mod date;
mod pipeline;
mod progress;
mod read;
mod redact;
mod report;
mod rules_cmd;
mod scan;
mod suppress;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Scan(args) => scan::run(args).map(|found| if found { 1 } else { 0 }),
        Command::Rules(args) => rules_cmd::run(args).map(|()| 0),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("secret-scanner: error: {}", report::text::clean(&message));
            ExitCode::from(2)
        }
    }
}
