//! Shard files and `secret-scanner merge`.
//!
//! A shard file is JSON Lines: one finding a line (the engine's full
//! `Finding`, path already `REPOSITORY:PATH`, secret already redacted unless
//! `--show-secrets`), then one trailer line
//! `{"shard":{"index":I,"count":N,"repositories":k,"findings":n,"skipped":[…]}}`.
//!
//! Both `scan --repos` (one process) and `merge` (N shard files) end in
//! [`render`]: findings sorted by path, line, column, rule, secret and then
//! their whole record, exact duplicates removed, skipped repositories sorted.
//! Nothing in the output depends on timing, caches or which worker scanned
//! what, so the merged report is byte-identical to the single-process one.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use secret_patterns::Catalog;
use secret_scan::{Finding, SkipReason, Skipped, Stats};
use serde::{Deserialize, Serialize};

use crate::cli::{MergeArgs, ScanFormat};
use crate::report::text::{self, Style};
use crate::report::{Report, gitlab, sarif, write_json, write_jsonl_finding};
use crate::shard::Shard;

/// A repository (or an input in one) that was not scanned, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoSkip {
    /// The repository's identity, or `REPOSITORY:PATH` for a file in it.
    pub repository: String,
    /// Why: `unreadable` with the message for a repository that could not be
    /// scanned; the engine's reason for a file in one.
    pub reason: SkipReason,
}

/// The trailer's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trailer {
    pub index: u64,
    pub count: u64,
    pub repositories: u64,
    pub findings: u64,
    pub skipped: Vec<RepoSkip>,
}

#[derive(Debug, Serialize, Deserialize)]
struct TrailerLine {
    shard: Trailer,
}

/// What a run over repositories produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub skipped: Vec<RepoSkip>,
    pub repositories: u64,
}

impl Outcome {
    /// Sorts and removes exact duplicates: the one canonical order.
    pub fn normalise(&mut self) {
        let mut keyed: Vec<(String, Finding)> = self
            .findings
            .drain(..)
            .map(|f| (serde_json::to_string(&f).unwrap_or_default(), f))
            .collect();
        keyed.sort_by(|(ka, a), (kb, b)| {
            (&a.path, a.line, a.column, &a.rule_id, &a.secret, ka)
                .cmp(&(&b.path, b.line, b.column, &b.rule_id, &b.secret, kb))
        });
        keyed.dedup_by(|a, b| a.0 == b.0);
        self.findings = keyed.into_iter().map(|(_, f)| f).collect();
        self.skipped
            .sort_by_cached_key(|s| (s.repository.clone(), s.reason.to_string()));
        self.skipped.dedup();
    }
}

/// Writes a shard file: findings, then the trailer.
pub fn write_shard(out: &mut dyn Write, shard: Shard, outcome: &Outcome) -> io::Result<()> {
    for f in &outcome.findings {
        serde_json::to_writer(&mut *out, f)?;
        writeln!(out)?;
    }
    let trailer = TrailerLine {
        shard: Trailer {
            index: shard.index,
            count: shard.count,
            repositories: outcome.repositories,
            findings: outcome.findings.len() as u64,
            skipped: outcome.skipped.clone(),
        },
    };
    serde_json::to_writer(&mut *out, &trailer)?;
    writeln!(out)
}

/// Writes the report of a normalised outcome in `format`.
pub fn render(
    out: &mut dyn Write,
    format: ScanFormat,
    outcome: &Outcome,
    catalog: &Catalog,
) -> io::Result<()> {
    let skipped: Vec<Skipped> = outcome
        .skipped
        .iter()
        .map(|s| Skipped {
            path: s.repository.clone(),
            reason: s.reason.clone(),
        })
        .collect();
    let stats = {
        let mut o = Stats::default();
        o.findings = outcome.findings.len() as u64;
        o
    };
    let report = Report {
        findings: &outcome.findings,
        reported: outcome.findings.len(),
        dropped: &[],
        skipped: &skipped,
        warnings: &[],
        stats: &stats,
        suppressed: 0,
        git: None,
        explain: false,
        catalog,
    };
    match format {
        ScanFormat::Text => {
            for f in &outcome.findings {
                text::write_finding(out, f, Style { color: false })?;
            }
        }
        ScanFormat::Jsonl => {
            for f in &outcome.findings {
                write_jsonl_finding(out, f)?;
            }
        }
        ScanFormat::Json => write_json(out, &report)?,
        ScanFormat::Sarif => sarif::write_sarif(out, &report)?,
        ScanFormat::Gitlab => gitlab::write_gitlab(out, &report)?,
    }
    out.flush()
}

/// Writes `bytes` to `path` (through a `.partial` file renamed into place)
/// or to stdout.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    let fail = |e: io::Error, name: &Path| format!("cannot write {}: {e}", name.display());
    match path {
        None => {
            let mut out = io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                    Err(fail(e, Path::new("stdout")))
                }
                _ => Ok(()),
            }
        }
        Some(path) if path.exists() && !path.is_file() => {
            std::fs::write(path, bytes).map_err(|e| fail(e, path))
        }
        Some(path) => {
            let mut partial = path.as_os_str().to_owned();
            partial.push(".partial");
            std::fs::write(&partial, bytes).map_err(|e| fail(e, path))?;
            std::fs::rename(&partial, path).map_err(|e| fail(e, path))
        }
    }
}

/// Reads one shard file: its findings and its trailer.
fn read_shard(path: &Path) -> Result<(Vec<Finding>, Trailer), String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let mut findings = Vec::new();
    let mut trailer = None;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if trailer.is_some() {
            return Err(format!(
                "{name}:{}: a line after the shard trailer (not a shard file?)",
                n + 1
            ));
        }
        if line.starts_with("{\"shard\":") {
            let t: TrailerLine = serde_json::from_str(line)
                .map_err(|e| format!("{name}:{}: bad shard trailer: {e}", n + 1))?;
            trailer = Some(t.shard);
        } else {
            let f: Finding = serde_json::from_str(line)
                .map_err(|e| format!("{name}:{}: not a finding of a shard file: {e}", n + 1))?;
            findings.push(f);
        }
    }
    let trailer = trailer.ok_or_else(|| {
        format!(
            "{name}: no shard trailer line: the shard did not finish (rerun it), \
             or this is not a file of `scan --repos LIST --shard I/N --format jsonl`"
        )
    })?;
    if trailer.count == 0 || trailer.index >= trailer.count {
        return Err(format!(
            "{name}: shard {}/{} is out of range",
            trailer.index, trailer.count
        ));
    }
    if trailer.findings != findings.len() as u64 {
        return Err(format!(
            "{name}: the trailer counts {} findings but the file holds {} (truncated?)",
            trailer.findings,
            findings.len()
        ));
    }
    Ok((findings, trailer))
}

/// `secret-scanner merge`; returns whether anything was reported.
pub fn run(args: &MergeArgs) -> Result<bool, String> {
    let catalog = crate::scan::build_catalog(&args.config, &[], &[], args.quiet)?;
    let mut seen: BTreeMap<u64, String> = BTreeMap::new();
    let mut count = None;
    let mut outcome = Outcome::default();
    for path in &args.shards {
        let (findings, trailer) = read_shard(path)?;
        let name = path.display().to_string();
        match count {
            None => count = Some((trailer.count, name.clone())),
            Some((n, ref first)) if n != trailer.count => {
                return Err(format!(
                    "{name} is shard {}/{} but {first} is of {n} shards: \
                     the shards come from different runs",
                    trailer.index, trailer.count
                ));
            }
            Some(_) => {}
        }
        if let Some(other) = seen.insert(trailer.index, name.clone()) {
            return Err(format!(
                "duplicated shard {}/{}: {other} and {name}",
                trailer.index, trailer.count
            ));
        }
        if !args.quiet {
            eprintln!(
                "shard {}/{}: {} repositories, {} findings, {} skipped ({})",
                trailer.index,
                trailer.count,
                trailer.repositories,
                trailer.findings,
                trailer.skipped.len(),
                text::clean(&name)
            );
        }
        outcome.findings.extend(findings);
        outcome.skipped.extend(trailer.skipped);
        outcome.repositories += trailer.repositories;
    }
    let n = count.map_or(0, |(n, _)| n);
    // At most ten named (a trailer may claim a huge N): the loop stops
    // after len(seen) + 10 steps.
    let absent = n - seen.len() as u64;
    let missing: Vec<String> = (0..n)
        .filter(|i| !seen.contains_key(i))
        .take(10)
        .map(|i| format!("{i}/{n}"))
        .collect();
    if !missing.is_empty() {
        let more = match absent > missing.len() as u64 {
            true => format!(" and {} more", absent - missing.len() as u64),
            false => String::new(),
        };
        return Err(format!(
            "missing shard{} {}{more}: every shard 0..{n} must be given once",
            if absent == 1 { "" } else { "s" },
            missing.join(", ")
        ));
    }
    outcome.normalise();
    finish(
        &outcome,
        args.format,
        args.output.as_deref(),
        &catalog,
        args.quiet,
    )
}

/// Renders, writes, and says what was found; returns whether anything was.
pub fn finish(
    outcome: &Outcome,
    format: ScanFormat,
    output: Option<&Path>,
    catalog: &Catalog,
    quiet: bool,
) -> Result<bool, String> {
    let mut bytes = Vec::new();
    render(&mut bytes, format, outcome, catalog).map_err(|e| e.to_string())?;
    write_output(output, &bytes)?;
    if !quiet {
        for s in &outcome.skipped {
            eprintln!(
                "warning: skipped {}: {}",
                text::clean(&s.repository),
                text::clean(&s.reason.to_string())
            );
        }
        eprintln!(
            "{} finding{} in {} repositor{} ({} skipped)",
            outcome.findings.len(),
            if outcome.findings.len() == 1 { "" } else { "s" },
            outcome.repositories,
            if outcome.repositories == 1 {
                "y"
            } else {
                "ies"
            },
            outcome.skipped.len()
        );
    }
    Ok(!outcome.findings.is_empty())
}
