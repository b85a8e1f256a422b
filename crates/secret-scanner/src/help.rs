//! `--help` for people: `scan`'s flags in groups, with examples.
//!
//! The groups are applied to the clap definition here, by argument id, rather
//! than on each field in `cli.rs`: the table reads as the outline of the help
//! page, and a flag not listed yet simply appears under "Options".

use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;

/// `scan`'s option groups, in the order `--help` shows them.
const SCAN_GROUPS: &[(&str, &[&str])] = &[
    (
        "Git",
        &[
            "git",
            "staged",
            "branch",
            "since_commit",
            "cache",
            "no_cache",
            "all_objects",
        ],
    ),
    (
        "Many repositories",
        &["repos", "repos_mode", "shard", "repos_cache"],
    ),
    (
        "Rules",
        &[
            "config",
            "gitleaks_config",
            "disable_rule",
            "only_rules",
            "min_severity",
            "min_confidence",
        ],
    ),
    (
        "Suppressions",
        &["baseline", "ignore_file", "report_unused_ignores"],
    ),
    (
        "Output",
        &[
            "format",
            "output",
            "show_secrets",
            "redact",
            "exit_code",
            "explain",
            "quiet",
            "no_progress",
        ],
    ),
    (
        "Input",
        &["max_file_size", "no_ignore", "include_binary", "threads"],
    ),
];

const SCAN_EXAMPLES: &str = "\
Examples:
  secret-scanner scan                          scan the current folder
  secret-scanner scan --staged                 what `git commit` would record (pre-commit)
  secret-scanner scan --git                    every blob of the repository's history
  secret-scanner scan --format sarif -o results.sarif .
                                               for GitHub code scanning
  secret-scanner scan --format gitlab -o gl-secret-detection-report.json .
                                               for GitLab's security dashboard
  secret-scanner scan --format json -o baseline.json . && \\
    secret-scanner scan --baseline baseline.json .
                                               report only what is new since the baseline
  secret-scanner scan --only-rules aws-access-key-id,github-pat-classic src/
  secret-scanner scan --min-severity high --exit-code 3 .
  cat deploy.env | secret-scanner scan -
  secret-scanner scan --repos repos.txt --shard 0/4 --format jsonl -o shard-0.jsonl
                                               one of four workers (then `secret-scanner merge`)

Exit codes:
  0  no findings
  1  findings were reported (--exit-code N changes it)
  2  usage, configuration or I/O error";

/// The command definition with `scan`'s groups and examples applied.
pub fn command() -> clap::Command {
    Cli::command().mut_subcommand("scan", |scan| {
        let mut scan = scan.after_help(SCAN_EXAMPLES);
        for (heading, ids) in SCAN_GROUPS {
            for id in *ids {
                if scan.get_arguments().any(|a| a.get_id() == *id) {
                    scan = scan.mut_arg(*id, |a| a.help_heading(*heading));
                }
            }
        }
        scan
    })
}

/// Parses the process's arguments against [`command`]; exits on `--help`,
/// `--version` and usage errors, as `Cli::parse` does.
pub fn parse() -> Cli {
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grouped_id_is_a_scan_flag() {
        let cmd = Cli::command();
        let scan = cmd.find_subcommand("scan").expect("scan");
        for (heading, ids) in SCAN_GROUPS {
            for id in *ids {
                assert!(
                    scan.get_arguments().any(|a| a.get_id() == *id),
                    "{heading}: no flag {id}"
                );
            }
        }
    }

    #[test]
    fn the_definition_is_consistent() {
        command().debug_assert();
    }
}
