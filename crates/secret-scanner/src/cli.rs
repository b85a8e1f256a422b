//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  no findings
  1  findings were reported
  2  usage, configuration or I/O error (one line on stderr)";

/// Find leaked credentials in files, folders, stdin and git history.
#[derive(Debug, Parser)]
#[command(name = "secret-scanner", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files, folders or stdin (`-`) for secrets.
    #[command(after_help = EXIT_CODES)]
    Scan(Box<ScanArgs>),
    /// List the rules, show one, or check a custom rules file.
    Rules(RulesArgs),
    /// Merge the shard files of `scan --repos LIST --shard I/N` into one
    /// report, identical to a single-process `scan --repos LIST`.
    #[command(after_help = EXIT_CODES)]
    Merge(MergeArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of the command, or of one subcommand.
    Man {
        /// A subcommand (e.g. `scan`); the main page when absent.
        subcommand: Option<String>,
    },
}

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// `path:line:column  rule-id  severity  secret  fingerprint`, one per line.
    Text,
    /// One JSON document: findings, stats, skipped inputs.
    Json,
    /// One JSON finding per line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitLab's secret-detection report (`gl-secret-detection-report.json`).
    Gitlab,
}

#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    /// Files or folders to scan; `-` reads stdin. With --git or --staged: the
    /// repository.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Scan the git history of the repository: every blob reachable from
    /// every ref, each once.
    #[arg(long, conflicts_with = "staged")]
    pub git: bool,
    /// Scan what is staged in the repository (index versus HEAD): for
    /// pre-commit hooks.
    #[arg(long)]
    pub staged: bool,
    /// With --git: start from this ref only (repeatable).
    #[arg(long, value_name = "REF", requires = "git")]
    pub branch: Vec<String>,
    /// With --git: leave out this commit and its ancestors.
    #[arg(long, value_name = "SHA", requires = "git")]
    pub since_commit: Option<String>,
    /// With --git: keep the history cache in DIR (default: inside .git/).
    #[arg(
        long,
        value_name = "DIR",
        requires = "git",
        conflicts_with = "no_cache"
    )]
    pub cache: Option<PathBuf>,
    /// With --git: no cache; read every blob.
    #[arg(long, requires = "git")]
    pub no_cache: bool,
    /// With --git: scan every object in the repository, reachable or not
    /// (deleted branches, dangling commits, pull-request refs of a mirror);
    /// findings no ref reaches say `(unreachable)`.
    #[arg(long, requires = "git")]
    pub all_objects: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Custom rules (TOML, see docs/rules.md) added to the built-in catalogue.
    #[arg(long, value_name = "FILE")]
    pub config: Vec<PathBuf>,
    /// Import a gitleaks configuration's rules.
    #[arg(long, value_name = "FILE")]
    pub gitleaks_config: Vec<PathBuf>,
    /// Turn a rule off (repeatable).
    #[arg(long, value_name = "ID")]
    pub disable_rule: Vec<String>,
    /// Run only these rules (repeatable, or comma-separated).
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        visible_alias = "enable-rule"
    )]
    pub only_rules: Vec<String>,
    /// A JSON report of an earlier scan: findings with a fingerprint in it are
    /// not reported.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// The ignore file to use instead of `.secretsignore` at the scan root.
    #[arg(long, value_name = "FILE")]
    pub ignore_file: Option<PathBuf>,
    /// List ignore entries that matched no finding.
    #[arg(long)]
    pub report_unused_ignores: bool,
    /// Print secrets in full (default: first characters, then `****`).
    #[arg(long, overrides_with = "redact")]
    pub show_secrets: bool,
    /// Redact secrets: first characters, then `****` (the default; undoes an
    /// earlier --show-secrets).
    #[arg(long, overrides_with = "show_secrets")]
    pub redact: bool,
    /// Report only findings of this severity or higher
    /// (low, medium, high, critical).
    #[arg(long, value_name = "LEVEL", value_parser = parse_severity)]
    pub min_severity: Option<secret_patterns::Severity>,
    /// Report only findings of rules of this confidence or higher
    /// (low, medium, high).
    #[arg(long, value_name = "LEVEL", value_parser = parse_confidence)]
    pub min_confidence: Option<secret_patterns::Confidence>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Skip files larger than SIZE (e.g. 500K, 10M, 1G; default 100M).
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "100M")]
    pub max_file_size: u64,
    /// Do not honour .gitignore and .ignore files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Scan binary files too.
    #[arg(long)]
    pub include_binary: bool,
    /// Decode base64, hex and percent-encoded values and scan what they hold,
    /// up to N encodings deep (0: no decoding).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_decode_depth: usize,
    /// Scan archives (zip, jar, tar, gzip, bzip2, xz) as plain bytes instead
    /// of opening them.
    #[arg(long, conflicts_with = "max_archive_depth")]
    pub no_archives: bool,
    /// Open archives nested up to N deep (default 5).
    #[arg(long, value_name = "N")]
    pub max_archive_depth: Option<usize>,
    /// Expand at most SIZE from one archive, nesting included (default 256M);
    /// members past it, and members expanding over 100 times their compressed
    /// size, are skipped with the reason.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "256M")]
    pub max_archive_size: u64,
    /// Also print candidates a filter dropped, and why.
    #[arg(long)]
    pub explain: bool,
    /// Print nothing on stderr but errors (no summary, no progress).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// No progress bar (it is only shown when stderr is a terminal).
    #[arg(long)]
    pub no_progress: bool,
    /// The exit code when findings are reported (0 reports without failing;
    /// 2 means an error).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub exit_code: u8,
    /// Scan many repositories: FILE lists their local paths, one a line
    /// (`-` reads stdin; `#` starts a comment). Findings' paths become
    /// `REPOSITORY:PATH`.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["git", "staged"])]
    pub repos: Option<PathBuf>,
    /// With --repos: scan each repository's history, or its checked-out tree.
    #[arg(long, value_enum, value_name = "MODE", default_value_t = ReposMode::History)]
    pub repos_mode: ReposMode,
    /// With --repos: scan only shard I of N (0-based) of the list, chosen by
    /// a stable hash of each repository; writes a shard file for `merge`
    /// (needs --format jsonl).
    #[arg(long, value_name = "I/N", requires = "repos", value_parser = crate::shard::parse_shard)]
    pub shard: Option<crate::shard::Shard>,
    /// With --repos: keep each repository's history cache under DIR (one
    /// folder per repository) instead of inside its git folder.
    #[arg(long, value_name = "DIR", requires = "repos")]
    pub repos_cache: Option<PathBuf>,
}

/// What `--repos` scans in each repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReposMode {
    /// Every blob reachable from every ref (with the history cache).
    History,
    /// The files of the work tree.
    Tree,
}

#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// Shard files (`scan --repos LIST --shard I/N --format jsonl -o FILE`).
    #[arg(required = true, value_name = "SHARD-FILE")]
    pub shards: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The custom rules files the shards were scanned with (for SARIF's rule
    /// descriptions).
    #[arg(long, value_name = "FILE")]
    pub config: Vec<PathBuf>,
    /// Print nothing on stderr but errors (no per-shard counts).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// The exit code when findings are reported.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub exit_code: u8,
}

/// Output formats of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table.
    Text,
    /// `{"rules": [...]}`.
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: Option<RulesCommand>,
    /// Output format of the list.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print one rule with its examples.
    Show {
        /// The rule id.
        id: String,
    },
    /// Validate a custom rules file: syntax, regexes and its examples.
    Check {
        /// The rules file (TOML).
        file: PathBuf,
    },
}

/// Parses `123`, `500K`, `10M`, `1G` (powers of 1024; a trailing `B` or
/// `iB` is accepted).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let stripped = upper
        .strip_suffix("IB")
        .or_else(|| upper.strip_suffix('B'))
        .unwrap_or(&upper);
    let (digits, mult) = match stripped.chars().last() {
        Some('K') => (&stripped[..stripped.len() - 1], 1u64 << 10),
        Some('M') => (&stripped[..stripped.len() - 1], 1 << 20),
        Some('G') => (&stripped[..stripped.len() - 1], 1 << 30),
        _ => (stripped, 1),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("invalid size {text:?} (expected e.g. 500K, 10M, 1G)"))
}

fn parse_severity(text: &str) -> Result<secret_patterns::Severity, String> {
    text.parse()
        .map_err(|_| format!("{text:?} is not a severity (low, medium, high, critical)"))
}

fn parse_confidence(text: &str) -> Result<secret_patterns::Confidence, String> {
    use secret_patterns::Confidence;
    match text.to_ascii_lowercase().as_str() {
        "low" => Ok(Confidence::Low),
        "medium" => Ok(Confidence::Medium),
        "high" => Ok(Confidence::High),
        _ => Err(format!("{text:?} is not a confidence (low, medium, high)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("123"), Ok(123));
        assert_eq!(parse_size("500K"), Ok(500 * 1024));
        assert_eq!(parse_size("10MB"), Ok(10 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("99999999999999G").is_err());
    }
}
