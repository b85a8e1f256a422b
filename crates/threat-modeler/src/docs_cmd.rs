//! `completions SHELL` and `man [SUBCOMMAND]`: shell completion scripts and
//! roff man pages generated from the same clap definition that parses the
//! arguments, so they cannot drift from the real flags.

use std::io::{self, Write};

use clap_complete::Shell;

/// Writes the completion script for `shell` to stdout.
pub fn completions(mut cmd: clap::Command, shell: Shell) -> Result<(), String> {
    let name = cmd.get_name().to_string();
    let mut out = io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    out.flush().or_else(ignore_broken_pipe)
}

/// Writes the man page of the command, or of `subcommand`, to stdout.
pub fn man(cmd: clap::Command, subcommand: Option<&str>) -> Result<(), String> {
    let mut out = io::stdout().lock();
    render(cmd, subcommand, &mut out).or_else(ignore_broken_pipe)
}

/// Renders one page: `NAME(1)` or `NAME-SUBCOMMAND(1)`.
pub fn render(cmd: clap::Command, subcommand: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
    let cmd = cmd.version(env!("CARGO_PKG_VERSION"));
    let page = match subcommand {
        None => cmd,
        Some(name) => {
            let parent = cmd.get_name().to_string();
            let Some(sub) = cmd.find_subcommand(name) else {
                let known: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                return Err(io::Error::other(format!(
                    "no subcommand {name:?} (one of: {})",
                    known.join(", ")
                )));
            };
            // A one-off page name for a process that prints and exits.
            let page_name: &'static str = format!("{parent}-{name}").leak();
            sub.clone()
                .name(page_name)
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    clap_mangen::Man::new(page).render(out)?;
    out.flush()
}

fn ignore_broken_pipe(e: io::Error) -> Result<(), String> {
    match e.kind() {
        io::ErrorKind::BrokenPipe => Ok(()),
        _ => Err(e.to_string()),
    }
}
