//! The printer as the last sink of the pipeline.

use std::io::{self, Write};

use secret_scan::{Collector, Dropped, Finding, Sink, Skipped};

use super::text::{self, Style};
use super::{Report, sarif, write_json, write_jsonl_finding};
use crate::cli::ScanFormat;

/// Prints findings as they arrive (text, JSON Lines) or keeps them for one
/// sorted document at the end (JSON, SARIF). Skipped inputs, dropped
/// candidates and warnings are always kept: they go after the findings
/// (text), into the document (JSON), or to stderr (the caller's job).
pub struct Printer<W> {
    format: ScanFormat,
    out: W,
    style: Style,
    /// What is kept for the end.
    pub kept: Collector,
    /// Findings printed or kept.
    pub reported: usize,
}

impl<W: Write + Send> Printer<W> {
    /// A printer of `format` writing to `out`.
    pub fn new(format: ScanFormat, out: W, style: Style) -> Self {
        Printer {
            format,
            out,
            style,
            kept: Collector::default(),
            reported: 0,
        }
    }

    /// Writes what had to wait for the end (the whole document for JSON and
    /// SARIF, explain mode's dropped candidates for text) and flushes.
    /// `report.findings` is filled here from what was kept.
    pub fn end(mut self, report: Report<'_>) -> io::Result<W> {
        self.kept.sort();
        let report = Report {
            findings: &self.kept.findings,
            dropped: &self.kept.dropped,
            skipped: &self.kept.skipped,
            warnings: &self.kept.warnings,
            reported: self.reported,
            ..report
        };
        match self.format {
            ScanFormat::Text => {
                if report.explain {
                    text::write_dropped(&mut self.out, report.dropped, self.style)?;
                }
            }
            ScanFormat::Jsonl => {}
            ScanFormat::Json => write_json(&mut self.out, &report)?,
            ScanFormat::Sarif => sarif::write_sarif(&mut self.out, &report)?,
            ScanFormat::Gitlab => super::gitlab::write_gitlab(&mut self.out, &report)?,
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write + Send> Sink for Printer<W> {
    type Error = io::Error;
    fn finding(&mut self, f: Finding) -> io::Result<bool> {
        self.reported += 1;
        match self.format {
            ScanFormat::Text => text::write_finding(&mut self.out, &f, self.style)?,
            ScanFormat::Jsonl => write_jsonl_finding(&mut self.out, &f)?,
            ScanFormat::Json | ScanFormat::Sarif | ScanFormat::Gitlab => self.kept.findings.push(f),
        }
        Ok(true)
    }
    fn dropped(&mut self, d: Dropped) -> io::Result<bool> {
        self.kept.dropped.push(d);
        Ok(true)
    }
    fn skipped(&mut self, s: Skipped) -> io::Result<bool> {
        self.kept.skipped.push(s);
        Ok(true)
    }
    fn warning(&mut self, message: &str) -> io::Result<bool> {
        self.kept.warnings.push(message.to_string());
        Ok(true)
    }
}
