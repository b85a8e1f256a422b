//! `secret-scanner scan`: wire options to the engine, apply suppressions,
//! print.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use secret_patterns::Catalog;
use secret_scan::{Collector, GitCache, GitScanOptions, ScanOptions, Scanner, Stats};

use crate::cli::{ScanArgs, ScanFormat};
use crate::date::Date;
use crate::progress::Progress;
use crate::report::{self, Report, sarif, text};
use crate::suppress::{IgnoreFile, Verdict, load_baseline};

/// The name of the ignore file looked for at the scan root.
pub const IGNORE_FILE_NAME: &str = ".secretsignore";

/// Builds the catalogue: built-in rules, custom rules, gitleaks imports,
/// minus disabled ids.
pub fn build_catalog(
    configs: &[PathBuf],
    gitleaks: &[PathBuf],
    disabled: &[String],
) -> Result<Catalog, String> {
    let mut catalog = Catalog::builtin();
    for path in configs {
        let text = read(path)?;
        let extra = Catalog::from_toml_named(&path.display().to_string(), &text)
            .map_err(|e| e.to_string())?;
        catalog.extend(extra).map_err(|e| e.to_string())?;
    }
    for path in gitleaks {
        let text = read(path)?;
        let extra =
            Catalog::from_gitleaks_toml(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        catalog
            .extend(extra)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    for id in disabled {
        if !catalog.disable(id) {
            return Err(format!("--disable-rule {id}: no rule has this id"));
        }
    }
    Ok(catalog)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The folder whose `.secretsignore` applies, and the prefix findings' paths
/// carry under it.
fn ignore_root(paths: &[PathBuf]) -> Option<PathBuf> {
    paths
        .iter()
        .find(|p| p.as_os_str() != "-" && p.is_dir())
        .cloned()
}

fn relative_to(path: &str, root: &Path) -> String {
    let root = root.to_string_lossy().replace('\\', "/");
    let root = root.trim_start_matches("./").trim_end_matches('/');
    if root.is_empty() || root == "." {
        return path.to_string();
    }
    path.strip_prefix(root)
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(path)
        .to_string()
}

/// Runs a scan; returns whether anything was reported.
pub fn run(args: &ScanArgs) -> Result<bool, String> {
    let catalog = build_catalog(&args.config, &args.gitleaks_config, &args.disable_rule)?;
    let options = ScanOptions {
        threads: args.threads,
        max_file_size: args.max_file_size,
        follow_symlinks: false,
        honour_ignore_files: !args.no_ignore,
        include_binary: args.include_binary,
        explain: args.explain,
    };
    let today = Date::today();
    let root = ignore_root(&args.paths);
    let mut ignore = match (&args.ignore_file, &root) {
        (Some(file), _) => Some(IgnoreFile::load(file, today)?),
        (None, Some(dir)) if dir.join(IGNORE_FILE_NAME).is_file() => {
            Some(IgnoreFile::load(&dir.join(IGNORE_FILE_NAME), today)?)
        }
        (None, None) if Path::new(IGNORE_FILE_NAME).is_file() => {
            Some(IgnoreFile::load(Path::new(IGNORE_FILE_NAME), today)?)
        }
        _ => None,
    };
    let baseline = match &args.baseline {
        Some(path) => Some(load_baseline(path)?),
        None => None,
    };
    let scanner = Scanner::new(catalog, options).map_err(|e| e.to_string())?;

    let show_progress = !args.quiet && !args.no_progress && io::stderr().is_terminal();
    let mut sink = Progress::new(Collector::default(), show_progress);
    let mut stats = Stats::default();
    let mut git_stats = None;
    let (stdin, files): (Vec<&PathBuf>, Vec<&PathBuf>) =
        args.paths.iter().partition(|p| p.as_os_str() == "-");
    if args.git || args.staged {
        let [repo] = args.paths.as_slice() else {
            return Err("--git and --staged take one repository path".into());
        };
        if args.git {
            let options = GitScanOptions {
                branches: args.branch.clone(),
                since_commit: args.since_commit.clone(),
                cache: match (&args.cache, args.no_cache) {
                    (_, true) => GitCache::Off,
                    (Some(dir), false) => GitCache::Dir(dir.clone()),
                    (None, false) => GitCache::InRepository,
                },
            };
            let (s, g) = scanner
                .scan_git_history(repo, &options, &mut sink)
                .map_err(|e| e.to_string())?;
            merge(&mut stats, s);
            git_stats = Some(g);
        } else {
            let s = scanner
                .scan_git_staged(repo, &mut sink)
                .map_err(|e| e.to_string())?;
            merge(&mut stats, s);
        }
    } else if !files.is_empty() {
        let s = scanner
            .scan_paths(&files, &mut sink)
            .map_err(|e| e.to_string())?;
        merge(&mut stats, s);
    }
    if !(stdin.is_empty() || args.git || args.staged) {
        let s = scanner
            .scan_reader("<stdin>", io::stdin().lock(), &mut sink)
            .map_err(|e| e.to_string())?;
        merge(&mut stats, s);
    }
    let mut collected = sink.finish();
    collected.sort();

    let before = collected.findings.len();
    let root_for_rel = root.clone().unwrap_or_else(|| PathBuf::from("."));
    collected.findings.retain(|f| {
        if baseline
            .as_ref()
            .is_some_and(|b| b.contains(&f.fingerprint))
        {
            return false;
        }
        match ignore.as_mut() {
            Some(ig) => {
                ig.check(&f.fingerprint, &relative_to(&f.path, &root_for_rel)) == Verdict::Report
            }
            None => true,
        }
    });
    let suppressed = (before - collected.findings.len()) as u64;
    stats.findings = collected.findings.len() as u64;

    let report = Report {
        findings: &collected.findings,
        dropped: &collected.dropped,
        skipped: &collected.skipped,
        stats: &stats,
        suppressed,
        git: git_stats.as_ref(),
        show_secrets: args.show_secrets,
        explain: args.explain,
        catalog: scanner.catalog(),
    };
    write_report(args, &report)?;

    if let Some(ig) = &ignore {
        for msg in &ig.expired_hits {
            eprintln!("warning: {msg}");
        }
        if args.report_unused_ignores {
            for e in ig.unused() {
                eprintln!("warning: {}: {} matched no finding", ig.name, e.describe());
            }
        }
    }
    if !args.quiet {
        if args.format == ScanFormat::Text || args.output.is_some() {
            eprintln!("{}", text::summary(&report));
        }
        for s in &collected.skipped {
            if matches!(s.reason, secret_scan::SkipReason::Unreadable { .. }) {
                eprintln!("warning: skipped {}: {}", s.path, s.reason);
            }
        }
    }
    Ok(!collected.findings.is_empty())
}

fn merge(total: &mut Stats, s: Stats) {
    total.files_scanned += s.files_scanned;
    total.bytes_scanned += s.bytes_scanned;
    total.findings += s.findings;
    total.elapsed += s.elapsed;
    for (k, v) in s.skipped {
        *total.skipped.entry(k).or_default() += v;
    }
}

fn write_report(args: &ScanArgs, report: &Report<'_>) -> Result<(), String> {
    let (mut out, name): (Box<dyn Write>, String) = match &args.output {
        Some(path) => (
            Box::new(BufWriter::new(
                File::create(path).map_err(|e| format!("{}: {e}", path.display()))?,
            )),
            path.display().to_string(),
        ),
        None => (
            Box::new(BufWriter::new(io::stdout().lock())),
            "stdout".into(),
        ),
    };
    let color = args.output.is_none()
        && io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let result = match args.format {
        ScanFormat::Text => text::write_text(&mut out, report, text::Style { color }),
        ScanFormat::Json => report::write_json(&mut out, report),
        ScanFormat::Jsonl => report::write_jsonl(&mut out, report),
        ScanFormat::Sarif => sarif::write_sarif(&mut out, report),
    };
    result
        .and_then(|()| out.flush())
        .or_else(|e| {
            if e.kind() == io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(e)
            }
        })
        .map_err(|e| format!("cannot write the report to {name}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::relative_to;
    use std::path::Path;

    #[test]
    fn paths_are_made_relative_to_the_ignore_root() {
        assert_eq!(relative_to("repo/src/a.py", Path::new("repo")), "src/a.py");
        assert_eq!(
            relative_to("repo/src/a.py", Path::new("./repo/")),
            "src/a.py"
        );
        assert_eq!(relative_to("src/a.py", Path::new(".")), "src/a.py");
        assert_eq!(relative_to("other/a.py", Path::new("repo")), "other/a.py");
    }
}
