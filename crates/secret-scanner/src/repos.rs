//! `scan --repos LIST`: many repositories in one run, or one shard of them.
//!
//! Each repository is scanned on its own (history with its own cache, or its
//! work tree), through baseline, severity floor and redaction; a repository
//! that fails is listed in `skipped` with the reason and the others go on.
//! A finding's path becomes `REPOSITORY:PATH`, where REPOSITORY is the list
//! entry's identity (see [`crate::shard::identity`]) and PATH is relative to
//! the repository. The report is rendered by [`crate::merge::render`], the
//! same code `merge` ends in.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use secret_scan::{Collector, Finding, GitCache, GitScanOptions, Scanner, SkipReason};

use crate::cli::{ReposMode, ScanArgs, ScanFormat};
use crate::merge::{Outcome, RepoSkip};
use crate::pipeline::{MinLevel, Redact, Suppress};
use crate::report::text;
use crate::shard::{Shard, fnv1a64, identity, is_url};
use crate::suppress::load_baseline;

/// The identities listed in `list` (`-`: stdin), de-duplicated and sorted.
/// Blank lines and `#` comments are left out.
pub fn read_list(list: &Path) -> Result<Vec<String>, String> {
    let text = if list.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("--repos -: {e}"))?;
        s
    } else {
        std::fs::read_to_string(list).map_err(|e| format!("--repos {}: {e}", list.display()))?
    };
    let ids: BTreeSet<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(identity)
        .collect();
    Ok(ids.into_iter().collect())
}

/// Runs `scan --repos`; returns whether anything was reported.
pub fn run(args: &ScanArgs) -> Result<bool, String> {
    let Some(list) = &args.repos else {
        return Err("--repos needs a list".into());
    };
    if args.shard.is_some() && args.format != ScanFormat::Jsonl {
        return Err("--shard writes a shard file for `merge`: use --format jsonl".into());
    }
    if args.paths.iter().any(|p| p != Path::new(".")) {
        return Err("--repos takes the repositories from its list, not as paths".into());
    }
    let mut catalog = crate::scan::build_catalog(
        &args.config,
        &args.gitleaks_config,
        &args.disable_rule,
        args.quiet,
    )?;
    crate::scan::keep_only(&mut catalog, &args.only_rules)?;
    let baseline = match &args.baseline {
        Some(path) => Some(load_baseline(path)?),
        None => None,
    };
    let scanner =
        Scanner::new(catalog, crate::scan::scan_options(args)).map_err(|e| e.to_string())?;
    let shard = args.shard.unwrap_or(Shard::WHOLE);
    let ids: Vec<String> = read_list(list)?
        .into_iter()
        .filter(|id| shard.holds(id))
        .collect();

    let mut outcome = Outcome::default();
    for (n, id) in ids.iter().enumerate() {
        if !args.quiet && !args.no_progress && std::io::IsTerminal::is_terminal(&std::io::stderr())
        {
            eprintln!("[{}/{}] {}", n + 1, ids.len(), text::clean(id));
        }
        outcome.repositories += 1;
        match scan_one(&scanner, args, id, baseline.as_ref()) {
            Ok((findings, skipped)) => {
                outcome.findings.extend(findings);
                outcome.skipped.extend(skipped);
            }
            Err(error) => outcome.skipped.push(RepoSkip {
                repository: id.clone(),
                reason: SkipReason::Unreadable { error },
            }),
        }
    }
    outcome.normalise();
    match args.shard {
        Some(shard) => {
            let mut bytes = Vec::new();
            crate::merge::write_shard(&mut bytes, shard, &outcome).map_err(|e| e.to_string())?;
            crate::merge::write_output(args.output.as_deref(), &bytes)?;
            if !args.quiet {
                eprintln!(
                    "shard {shard}: {} repositories, {} findings, {} skipped",
                    outcome.repositories,
                    outcome.findings.len(),
                    outcome.skipped.len()
                );
            }
            Ok(!outcome.findings.is_empty())
        }
        None => crate::merge::finish(
            &outcome,
            args.format,
            args.output.as_deref(),
            scanner.catalog(),
            args.quiet,
        ),
    }
}

type Scanned = (Vec<Finding>, Vec<RepoSkip>);

/// Scans one repository; `Err` is the reason it was skipped.
fn scan_one(
    scanner: &Scanner,
    args: &ScanArgs,
    id: &str,
    baseline: Option<&std::collections::HashSet<String>>,
) -> Result<Scanned, String> {
    let path = PathBuf::from(id);
    if is_url(id) && !path.exists() {
        return Err("a clone URL: clone the repository and list its local path \
                    (secret-scanner does not fetch)"
            .into());
    }
    if !path.exists() {
        return Err("no such file or directory".into());
    }
    let mut sink = Suppress::new(
        MinLevel::new(
            Redact::new(Collector::default(), !args.show_secrets),
            args.min_severity,
            args.min_confidence,
        ),
        baseline,
        None,
        PathBuf::from("."),
    );
    let mut notes = Vec::new();
    let strip_root = match args.repos_mode {
        ReposMode::History => {
            let options = GitScanOptions {
                cache: match &args.repos_cache {
                    Some(dir) => {
                        GitCache::Dir(dir.join(format!("{:016x}", fnv1a64(id.as_bytes()))))
                    }
                    None => GitCache::InRepository,
                },
                ..GitScanOptions::default()
            };
            let (_, git) = scanner
                .scan_git_history(&path, &options, &mut sink)
                .map_err(|e| e.to_string())?;
            if git.unreadable_objects > 0 {
                notes.push(RepoSkip {
                    repository: id.to_string(),
                    reason: SkipReason::Unreadable {
                        error: format!(
                            "history incomplete: {} objects could not be read",
                            git.unreadable_objects
                        ),
                    },
                });
            }
            None
        }
        ReposMode::Tree => {
            if !path.is_dir() {
                return Err("not a folder (--repos-mode tree scans work trees)".into());
            }
            if path.join("HEAD").is_file() && path.join("objects").is_dir() {
                return Err("a bare repository has no work tree (use --repos-mode history)".into());
            }
            scanner
                .scan_paths(&[&path], &mut sink)
                .map_err(|e| e.to_string())?;
            Some(format!("{}/", path.display()))
        }
    };
    let (min_level, _) = sink.into_inner();
    let (redact, _) = min_level.into_inner();
    let collected = redact.into_inner();
    let local = |p: &str| -> String {
        match &strip_root {
            Some(root) => p.strip_prefix(root.as_str()).unwrap_or(p).to_string(),
            None => p.to_string(),
        }
    };
    let findings = collected
        .findings
        .into_iter()
        .map(|mut f| {
            f.path = format!("{id}:{}", local(&f.path));
            f
        })
        .collect();
    notes.extend(collected.skipped.into_iter().map(|s| RepoSkip {
        repository: format!("{id}:{}", local(&s.path)),
        reason: s.reason,
    }));
    if !args.quiet {
        for w in &collected.warnings {
            eprintln!("warning: {}: {}", text::clean(id), text::clean(w));
        }
    }
    Ok((findings, notes))
}
