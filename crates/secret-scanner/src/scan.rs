//! `secret-scanner scan`: wire options to the engine, apply suppressions,
//! print.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use secret_patterns::Catalog;
use secret_scan::{ArchiveLimits, GitCache, GitScanOptions, ScanOptions, Scanner, Stats};

use crate::cli::{ScanArgs, ScanFormat};
use crate::date::Date;
use crate::locate::Relocate;
use crate::own_files::OwnFiles;
use crate::pipeline::{MinLevel, Redact, Suppress};
use crate::progress::Progress;
use crate::progress::progress_total;
use crate::read::read_config;
use crate::report::Report;
use crate::report::printer::Printer;
use crate::report::text::{self, Style};
use crate::suppress::{IgnoreFile, load_baseline};
use crate::suppressed::{InlineCount, Suppressed};

/// The name of the ignore file looked for at the scan root.
pub const IGNORE_FILE_NAME: &str = ".secretsignore";

/// Builds the catalogue: built-in rules, custom rules, gitleaks imports,
/// minus disabled ids.
pub fn build_catalog(
    configs: &[PathBuf],
    gitleaks: &[PathBuf],
    disabled: &[String],
    quiet: bool,
) -> Result<Catalog, String> {
    let mut catalog = Catalog::builtin();
    for path in configs {
        let text = read_config(path, "--config")?;
        let extra = Catalog::from_toml_named(&path.display().to_string(), &text)
            .map_err(|e| e.to_string())?;
        catalog.extend(extra).map_err(|e| e.to_string())?;
    }
    for path in gitleaks {
        let text = read_config(path, "--gitleaks-config")?;
        let import = Catalog::import_gitleaks(&text, &catalog)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        // What was left out or not supported is said, one line each.
        for note in &import.notes {
            if !quiet {
                eprintln!("warning: {}: {}", path.display(), text::clean(note));
            }
        }
        catalog
            .extend(import.catalog)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    for id in disabled {
        if !catalog.disable(id) {
            return Err(format!("--disable-rule {id}: no rule has this id"));
        }
    }
    Ok(catalog)
}

/// `--threads`, lowered to the engine's cap (four per core, at most 256)
/// with a warning: a huge count only costs memory and scheduling.
pub(crate) fn thread_count(asked: usize, quiet: bool) -> usize {
    let cap = secret_scan::max_threads();
    if asked <= cap {
        return asked;
    }
    if !quiet {
        eprintln!(
            "warning: --threads {asked} is more than {cap} (four per core, at most 256): using {cap}"
        );
    }
    cap
}

/// `--only-rules`: every rule not listed is turned off.
pub(crate) fn keep_only(catalog: &mut Catalog, ids: &[String]) -> Result<(), String> {
    if ids.is_empty() {
        return Ok(());
    }
    if let Some(unknown) = ids.iter().find(|id| catalog.get(id).is_none()) {
        return Err(format!(
            "--only-rules {unknown}: no rule has this id (see `secret-scanner rules`)"
        ));
    }
    let others: Vec<String> = catalog
        .iter()
        .map(|r| r.id().to_string())
        .filter(|id| !ids.contains(id))
        .collect();
    for id in others {
        catalog.disable(&id);
    }
    Ok(())
}

/// The folder whose `.secretsignore` applies, and the prefix findings' paths
/// carry under it.
fn ignore_root(paths: &[PathBuf]) -> Option<PathBuf> {
    paths
        .iter()
        .find(|p| p.as_os_str() != "-" && p.is_dir())
        .cloned()
}

/// Runs a scan; returns whether anything was reported.
pub fn run(args: &ScanArgs) -> Result<bool, String> {
    if args.repos.is_some() {
        return crate::repos::run(args);
    }
    // `--git`/`--staged` from a subfolder: the repository is its work tree.
    let resolved;
    let args = match crate::repo::for_git_modes(args) {
        Some(a) => {
            resolved = a;
            &resolved
        }
        None => args,
    };
    let mut catalog = build_catalog(
        &args.config,
        &args.gitleaks_config,
        &args.disable_rule,
        args.quiet,
    )?;
    keep_only(&mut catalog, &args.only_rules)?;
    let options = scan_options(args);
    let today = Date::today();
    let root = ignore_root(&args.paths);
    let mut ignore_prefix = String::new();
    let mut ignore = match (&args.ignore_file, &root) {
        (Some(file), _) => Some(IgnoreFile::load(file, today)?),
        (None, Some(dir)) if dir.join(IGNORE_FILE_NAME).is_file() => {
            Some(IgnoreFile::load(&dir.join(IGNORE_FILE_NAME), today)?)
        }
        (None, None) if Path::new(IGNORE_FILE_NAME).is_file() => {
            Some(IgnoreFile::load(Path::new(IGNORE_FILE_NAME), today)?)
        }
        // A folder inside a repository: the ignore file at its root applies.
        (None, Some(dir)) => match crate::repo::ignore_file_above(dir, IGNORE_FILE_NAME) {
            Some((file, prefix)) => {
                ignore_prefix = prefix;
                Some(IgnoreFile::load(&file, today)?)
            }
            None => None,
        },
        _ => None,
    };
    let baseline = match &args.baseline {
        Some(path) => Some(load_baseline(path)?),
        None => None,
    };
    let scanner = Scanner::new(catalog, options).map_err(|e| e.to_string())?;

    if (args.git || args.staged) && args.paths.len() != 1 {
        return Err("--git and --staged take one repository path".into());
    }
    let show_progress = !args.quiet && !args.no_progress && io::stderr().is_terminal();
    let (out, mut target) = OutputTarget::open(args.output.as_deref())?;
    let color = args.output.is_none()
        && io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let printer = Printer::new(args.format, out, Style { color });
    let root_for_rel = root.clone().unwrap_or_else(|| PathBuf::from("."));
    // Code-scanning formats locate files from the repository root.
    let code_scanning = matches!(args.format, ScanFormat::Sarif | ScanFormat::Gitlab);
    let source_root = (code_scanning && !(args.git || args.staged))
        .then(|| crate::locate::source_root(&args.paths));
    let own_named: Vec<&Path> = [&args.output, &args.baseline, &args.ignore_file]
        .into_iter()
        .flatten()
        .map(PathBuf::as_path)
        .collect();
    let mut sink = Progress::new(
        OwnFiles::new(
            InlineCount::new(
                Suppress::new(
                    MinLevel::new(
                        Redact::new(Relocate::new(printer, source_root), !args.show_secrets),
                        args.min_severity,
                        args.min_confidence,
                    ),
                    baseline.as_ref(),
                    ignore.as_mut(),
                    root_for_rel,
                )
                .with_prefix(ignore_prefix),
                args.explain,
            ),
            &own_named,
            !(args.git || args.staged),
        ),
        show_progress,
    )
    .with_total(progress_total(args, show_progress));

    let mut stats = Stats::default();
    let mut git_stats = None;
    let (stdin, files): (Vec<&PathBuf>, Vec<&PathBuf>) =
        args.paths.iter().partition(|p| p.as_os_str() == "-");
    let scanned: Result<(), secret_scan::Error> = (|| {
        if args.git || args.staged {
            if args.git {
                let options = GitScanOptions {
                    branches: args.branch.clone(),
                    since_commit: args.since_commit.clone(),
                    cache: match (&args.cache, args.no_cache) {
                        (_, true) => GitCache::Off,
                        (Some(dir), false) => GitCache::Dir(dir.clone()),
                        (None, false) => GitCache::InRepository,
                    },
                    all_objects: args.all_objects,
                };
                let (s, g) = scanner.scan_git_history(&args.paths[0], &options, &mut sink)?;
                merge(&mut stats, s);
                git_stats = Some(g);
            } else {
                let s = scanner.scan_git_staged(&args.paths[0], &mut sink)?;
                merge(&mut stats, s);
            }
        } else if !files.is_empty() {
            let s = scanner.scan_paths(&files, &mut sink)?;
            merge(&mut stats, s);
        }
        if !(stdin.is_empty() || args.git || args.staged) {
            let s = scanner.scan_reader("<stdin>", io::stdin().lock(), &mut sink)?;
            merge(&mut stats, s);
        }
        Ok(())
    })();
    let (inline_count, in_own_files) = sink.finish().into_inner();
    let (suppress, inline) = inline_count.into_inner();
    let by_baseline = suppress.by_baseline;
    let (min_level, _) = suppress.into_inner();
    let (redact, below_floor) = min_level.into_inner();
    let printer = redact.into_inner().into_inner();
    let suppressed = Suppressed {
        baseline: by_baseline,
        ignore_fingerprint: ignore.as_ref().map_or(0, |i| i.by_fingerprint),
        ignore_path: ignore.as_ref().map_or(0, |i| i.by_path),
        inline,
        below_floor,
        own_files: in_own_files,
    };
    if let Err(e) = scanned {
        target.abandon();
        // `| head` closed stdout: what was printed stands, and so does the
        // exit code it implies.
        return match broken_pipe(&e) {
            true => Ok(printer.reported > 0),
            false => Err(e.to_string()),
        };
    }
    let reported = printer.reported;
    stats.findings = reported as u64;
    let warnings = printer.kept.warnings.clone();
    let skipped = printer.kept.skipped.clone();
    let report = Report {
        findings: &[],
        reported,
        dropped: &[],
        skipped: &[],
        warnings: &[],
        stats: &stats,
        suppressed: suppressed.total(),
        git: git_stats.as_ref(),
        explain: args.explain,
        catalog: scanner.catalog(),
    };
    let mut summary = text::summary(&Report {
        skipped: &skipped,
        suppressed: 0,
        ..report
    });
    let ignore_name = args
        .ignore_file
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or(IGNORE_FILE_NAME.into(), |n| n.to_string_lossy());
    if let Some(what) = suppressed.describe(&ignore_name) {
        summary.push_str("; ");
        summary.push_str(&what);
    }
    match printer.end(report) {
        Ok(out) => target.commit(out)?,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            target.abandon();
            return Err(format!("cannot write the report to {}: {e}", target.name()));
        }
    }

    for w in &warnings {
        eprintln!("warning: {}", text::clean(w));
    }
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
            eprintln!("{summary}");
        }
        for s in &skipped {
            if matches!(s.reason, secret_scan::SkipReason::Unreadable { .. }) {
                eprintln!(
                    "warning: skipped {}: {}",
                    text::clean(&s.path),
                    text::clean(&s.reason.to_string())
                );
            }
        }
    }
    if let Some(g) = git_stats.as_ref()
        && g.unreadable_objects > 0
    {
        return Err(format!(
            "the history scan is incomplete: {} object{} could not be read (listed above); \
             findings in what was read are reported",
            g.unreadable_objects,
            if g.unreadable_objects == 1 { "" } else { "s" }
        ));
    }
    Ok(reported > 0)
}

/// The engine's options from the command line.
pub(crate) fn scan_options(args: &ScanArgs) -> ScanOptions {
    let mut o = ScanOptions::default();
    o.threads = thread_count(args.threads, args.quiet);
    o.max_file_size = args.max_file_size;
    o.follow_symlinks = false;
    o.honour_ignore_files = !args.no_ignore;
    o.include_binary = args.include_binary;
    o.explain = args.explain;
    o.archives = ArchiveLimits {
        max_depth: match (args.no_archives, args.max_archive_depth) {
            (true, _) => 0,
            (false, Some(n)) => n,
            (false, None) => ArchiveLimits::default().max_depth,
        },
        max_total_size: args.max_archive_size,
        ..ArchiveLimits::default()
    };
    o.max_decode_depth = args.max_decode_depth;
    o
}

fn fs_open_for_write(path: &Path) -> Result<File, String> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Whether the scan stopped because stdout went away (`| head`): not an
/// error for a command-line tool.
fn broken_pipe(e: &secret_scan::Error) -> bool {
    match e {
        secret_scan::Error::Sink(inner) => inner
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe),
        _ => false,
    }
}

/// Where the report goes. A file is written under a temporary name beside
/// it and renamed into place only once complete: a failed scan never leaves
/// a truncated report where the old one was.
struct OutputTarget {
    path: Option<(PathBuf, PathBuf)>,
}

type Out = BufWriter<Box<dyn Write + Send>>;

impl OutputTarget {
    fn open(path: Option<&Path>) -> Result<(Out, OutputTarget), String> {
        match path {
            None => Ok((
                BufWriter::new(Box::new(io::stdout())),
                OutputTarget { path: None },
            )),
            // A device or a pipe (`-o /dev/stdout`) cannot be renamed into:
            // write to it directly.
            Some(path) if path.exists() && !path.is_file() => {
                let file = fs_open_for_write(path)?;
                Ok((BufWriter::new(Box::new(file)), OutputTarget { path: None }))
            }
            Some(path) => {
                let mut partial = path.as_os_str().to_owned();
                partial.push(".partial");
                let partial = PathBuf::from(partial);
                let file =
                    File::create(&partial).map_err(|e| format!("{}: {e}", path.display()))?;
                Ok((
                    BufWriter::new(Box::new(file)),
                    OutputTarget {
                        path: Some((path.to_path_buf(), partial)),
                    },
                ))
            }
        }
    }

    fn name(&self) -> String {
        match &self.path {
            Some((p, _)) => p.display().to_string(),
            None => "stdout".into(),
        }
    }

    fn commit(&mut self, out: Out) -> Result<(), String> {
        drop(out);
        if let Some((path, partial)) = self.path.take() {
            std::fs::rename(&partial, &path)
                .map_err(|e| format!("cannot write the report to {}: {e}", path.display()))?;
        }
        Ok(())
    }

    fn abandon(&mut self) {
        if let Some((_, partial)) = self.path.take() {
            let _ = std::fs::remove_file(partial);
        }
    }
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
