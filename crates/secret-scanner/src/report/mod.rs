//! Printers: text and JSON Lines stream each finding as it arrives; JSON and
//! SARIF, which are one document, collect and sort first. Nothing here scans;
//! nothing in the engine prints. Secrets arrive here already redacted (see
//! [`crate::pipeline::Redact`]).

pub mod gitlab;
pub mod printer;
pub mod sarif;
pub mod text;

use std::collections::BTreeMap;
use std::io::{self, Write};

use secret_patterns::Catalog;
use secret_scan::{AlsoIn, Dropped, Finding, Introduced, Skipped, Stats};
use serde::Serialize;

/// Everything a printer needs.
#[derive(Debug)]
pub struct Report<'a> {
    /// The findings, for the formats that need them all (JSON, SARIF);
    /// empty for streamed formats.
    pub findings: &'a [Finding],
    /// How many findings were reported.
    pub reported: usize,
    pub dropped: &'a [Dropped],
    pub skipped: &'a [Skipped],
    /// Warnings that lose no input but qualify the report (findings left
    /// out by the per-input limits, a cache not written).
    pub warnings: &'a [String],
    pub stats: &'a Stats,
    /// Findings suppressed by the ignore file or the baseline.
    pub suppressed: u64,
    /// History counters, for `--git` scans.
    pub git: Option<&'a secret_scan::GitStats>,
    pub explain: bool,
    pub catalog: &'a Catalog,
}

/// A finding as JSON shows it: git fields flattened, the secret redacted
/// unless `--show-secrets`.
#[derive(Debug, Serialize)]
pub struct FindingView<'a> {
    pub rule_id: &'a str,
    pub rule_name: &'a str,
    pub severity: secret_patterns::Severity,
    pub confidence: secret_patterns::Confidence,
    pub path: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_offset: usize,
    pub secret: String,
    pub fingerprint: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub decoded: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blob: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reached_from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introduced: Option<&'a Introduced>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub also_in: Option<&'a AlsoIn>,
}

impl<'a> FindingView<'a> {
    pub fn new(f: &'a Finding) -> Self {
        let git = f.git.as_ref();
        FindingView {
            rule_id: &f.rule_id,
            rule_name: &f.rule_name,
            severity: f.severity,
            confidence: f.confidence,
            path: &f.path,
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: f.end_column,
            byte_offset: f.byte_offset,
            secret: f.secret.clone(),
            fingerprint: &f.fingerprint,
            groups: &f.groups,
            decoded: &f.decoded,
            commit: git.map(|g| g.commit.as_str()).filter(|s| !s.is_empty()),
            author: git.map(|g| g.author.as_str()).filter(|s| !s.is_empty()),
            email: git.map(|g| g.email.as_str()).filter(|s| !s.is_empty()),
            date: git.map(|g| g.date.as_str()).filter(|s| !s.is_empty()),
            blob: git.map(|g| g.blob.as_str()),
            reached_from: git.map(|g| g.reached_from.as_str()),
            introduced: git.map(|g| &g.introduced).filter(|i| !i.is_first()),
            also_in: git.map(|g| &g.also_in).filter(|a| !a.is_empty()),
        }
    }
}

#[derive(Debug, Serialize)]
struct DroppedView<'a> {
    rule_id: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    secret: String,
    reason: String,
}

#[derive(Debug, Serialize)]
struct StatsView<'a> {
    files_scanned: u64,
    bytes_scanned: u64,
    findings: usize,
    suppressed: u64,
    skipped: &'a BTreeMap<String, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commits: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blobs_scanned: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blobs_cached: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    findings_folded: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unreadable_objects: Option<u64>,
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    version: &'static str,
    findings: Vec<FindingView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dropped: Option<Vec<DroppedView<'a>>>,
    skipped: &'a [Skipped],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
    stats: StatsView<'a>,
}

pub fn write_json(out: &mut dyn Write, report: &Report<'_>) -> io::Result<()> {
    let doc = JsonReport {
        version: env!("CARGO_PKG_VERSION"),
        findings: report.findings.iter().map(FindingView::new).collect(),
        dropped: report.explain.then(|| {
            report
                .dropped
                .iter()
                .map(|d| DroppedView {
                    rule_id: &d.rule_id,
                    path: &d.path,
                    line: d.line,
                    column: d.column,
                    secret: d.secret.clone(),
                    reason: d.reason.to_string(),
                })
                .collect()
        }),
        skipped: report.skipped,
        warnings: report.warnings,
        stats: StatsView {
            files_scanned: report.stats.files_scanned,
            bytes_scanned: report.stats.bytes_scanned,
            findings: report.reported,
            suppressed: report.suppressed,
            skipped: &report.stats.skipped,
            commits: report.git.map(|g| g.commits),
            blobs_scanned: report.git.map(|g| g.blobs_scanned),
            blobs_cached: report.git.map(|g| g.blobs_cached),
            findings_folded: report.git.map(|g| g.findings_folded),
            unreadable_objects: report.git.map(|g| g.unreadable_objects),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Writes one finding as a JSON line.
pub fn write_jsonl_finding(out: &mut dyn Write, f: &Finding) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &FindingView::new(f))?;
    writeln!(out)
}
