//! `secret-scanner`: find leaked credentials in files, folders, stdin and git
//! history. The commands land with the `secret-patterns`, `secret-scan` and
//! `secret-scanner` issues; today the binary only answers `--help` and
//! `--version`.

use clap::Parser;

/// Find leaked credentials in files, folders, stdin and git history.
#[derive(Debug, Parser)]
#[command(name = "secret-scanner", version, about)]
struct Cli {}

fn main() {
    let Cli {} = Cli::parse();
}
