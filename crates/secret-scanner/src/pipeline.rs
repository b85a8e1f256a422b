//! The scan pipeline: sinks that wrap sinks, from the engine to a printer.
//!
//! ```text
//! Scanner ─▶ Progress ─▶ Suppress ─▶ MinLevel ─▶ Redact ─▶ Printer
//!            (stderr)    (baseline,   (--min-     (unless    (text, JSONL stream;
//!                        .secretsignore) severity…) --show-secrets) JSON, SARIF collect)
//! ```
//!
//! Each stage sees a finding once, in the engine's deterministic order, and
//! either passes it on or counts it and drops it. Nothing between the engine
//! and the printer holds the whole result set.

use std::collections::HashSet;
use std::path::PathBuf;

use secret_patterns::{Confidence, Severity};
use secret_scan::{DropReason, Dropped, Finding, Sink, forward_sink};

use crate::redact::redact;
use crate::suppress::{IgnoreFile, Verdict};

/// Drops findings that the baseline or the ignore file lists.
#[derive(Debug)]
pub struct Suppress<'a, S> {
    inner: S,
    baseline: Option<&'a HashSet<String>>,
    ignore: Option<&'a mut IgnoreFile>,
    root: PathBuf,
    /// Findings dropped here.
    pub suppressed: u64,
    /// Of those, the ones the baseline listed.
    pub by_baseline: u64,
    /// Put before paths relative to `root` when the ignore file is above it
    /// (at the root of the repository holding it).
    prefix: String,
}

impl<'a, S: Sink> Suppress<'a, S> {
    /// Paths are matched against the ignore file relative to `root`.
    pub fn new(
        inner: S,
        baseline: Option<&'a HashSet<String>>,
        ignore: Option<&'a mut IgnoreFile>,
        root: PathBuf,
    ) -> Self {
        Suppress {
            inner,
            baseline,
            ignore,
            root,
            suppressed: 0,
            by_baseline: 0,
            prefix: String::new(),
        }
    }

    /// Paths relative to `root` get `prefix` first (`sub/dir/`).
    pub fn with_prefix(mut self, prefix: String) -> Self {
        self.prefix = prefix;
        self
    }

    /// The wrapped sink.
    pub fn into_inner(self) -> (S, u64) {
        (self.inner, self.suppressed)
    }
}

impl<S: Sink> Sink for Suppress<'_, S> {
    type Error = S::Error;
    fn finding(&mut self, f: Finding) -> Result<bool, S::Error> {
        let in_baseline = self.baseline.is_some_and(|b| b.contains(&f.fingerprint));
        let ignored = !in_baseline
            && self.ignore.as_mut().is_some_and(|ig| {
                let rel = relative_to(&f.path, &self.root);
                let rel = match self.prefix.is_empty() {
                    true => rel,
                    false => format!("{}{rel}", self.prefix),
                };
                ig.check(&f.fingerprint, &rel) == Verdict::Suppress
            });
        if in_baseline || ignored {
            self.suppressed += 1;
            self.by_baseline += u64::from(in_baseline);
            return Ok(true);
        }
        self.inner.finding(f)
    }
    forward_sink!(inner: begin, finish, skipped, warning);
    forward_sink!(inner: dropped);
}

/// `path` relative to the ignore root, as `.secretsignore` globs see it.
pub fn relative_to(path: &str, root: &std::path::Path) -> String {
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

/// Drops findings below a severity or a confidence floor
/// (`--min-severity`, `--min-confidence`).
#[derive(Debug)]
pub struct MinLevel<S> {
    inner: S,
    severity: Option<Severity>,
    confidence: Option<Confidence>,
    /// Findings dropped here.
    pub below: u64,
}

impl<S: Sink> MinLevel<S> {
    /// No floor where `None`.
    pub fn new(inner: S, severity: Option<Severity>, confidence: Option<Confidence>) -> Self {
        MinLevel {
            inner,
            severity,
            confidence,
            below: 0,
        }
    }

    /// The wrapped sink and the number of findings dropped.
    pub fn into_inner(self) -> (S, u64) {
        (self.inner, self.below)
    }
}

impl<S: Sink> Sink for MinLevel<S> {
    type Error = S::Error;
    fn finding(&mut self, f: Finding) -> Result<bool, S::Error> {
        if self.severity.is_some_and(|s| f.severity < s)
            || self.confidence.is_some_and(|c| f.confidence < c)
        {
            self.below += 1;
            return Ok(true);
        }
        self.inner.finding(f)
    }
    forward_sink!(inner: begin, finish, skipped, warning);
    forward_sink!(inner: dropped);
}

/// Redacts secrets, and the secrets paired with them, before any printer
/// sees them (unless `--show-secrets`). The fingerprint, computed by the
/// engine from the full secret, is kept.
#[derive(Debug)]
pub struct Redact<S> {
    inner: S,
    enabled: bool,
}

impl<S: Sink> Redact<S> {
    /// Redacts when `enabled`.
    pub fn new(inner: S, enabled: bool) -> Self {
        Redact { inner, enabled }
    }

    /// The wrapped sink.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: Sink> Sink for Redact<S> {
    type Error = S::Error;
    fn finding(&mut self, mut f: Finding) -> Result<bool, S::Error> {
        if self.enabled {
            f.secret = redact(&f.secret);
            for value in f.groups.values_mut() {
                *value = redact(value);
            }
        }
        self.inner.finding(f)
    }
    fn dropped(&mut self, mut d: Dropped) -> Result<bool, S::Error> {
        if self.enabled {
            if let DropReason::Filter { detail, .. } = &mut d.reason {
                *detail = scrub_detail(detail, &d.secret);
            }
            d.secret = redact(&d.secret);
        }
        self.inner.dropped(d)
    }
    forward_sink!(inner: begin, finish, skipped, warning);
}

/// A filter's explanation with every quoted value that came from the
/// candidate's bytes redacted, and the word parts of the words filter
/// (`(pass+word)`) left out: an explanation must not print what the
/// secret field hides.
fn scrub_detail(detail: &str, secret: &str) -> String {
    let from_secret = |s: &str| !s.is_empty() && (secret.contains(s) || s.contains(secret));
    let mut out = String::with_capacity(detail.len());
    let mut rest = detail;
    while let Some(open) = rest.find('"') {
        let Some(len) = rest[open + 1..].find('"') else {
            break;
        };
        let quoted = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..=open]);
        if from_secret(quoted) {
            out.push_str(&redact(quoted));
        } else {
            out.push_str(quoted);
        }
        out.push('"');
        rest = &rest[open + len + 2..];
    }
    out.push_str(rest);
    // The words filter lists the secret's parts in parentheses at the end.
    if let Some(open) = out.rfind(" (")
        && out.ends_with(')')
        && out[open + 2..out.len() - 1]
            .split('+')
            .all(|part| !part.is_empty() && secret.contains(part))
    {
        out.truncate(open);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use secret_scan::{Collector, Scanner};

    fn findings(text: &str) -> Vec<Finding> {
        let scanner = Scanner::new(
            secret_patterns::Catalog::builtin(),
            secret_scan::ScanOptions::default(),
        )
        .unwrap();
        let mut c = Collector::default();
        scanner
            .scan_bytes("a.env", text.as_bytes(), &mut c)
            .unwrap();
        c.findings
    }

    fn stripe() -> String {
        format!(
            "STRIPE_KEY=sk_{}_{}\n",
            "live", "4eC39HqLyjWDarjtT1zdp7dc9Xw2LmQa"
        )
    }

    #[test]
    fn paths_are_made_relative_to_the_ignore_root() {
        use std::path::Path;
        assert_eq!(relative_to("repo/src/a.py", Path::new("repo")), "src/a.py");
        assert_eq!(
            relative_to("repo/src/a.py", Path::new("./repo/")),
            "src/a.py"
        );
        assert_eq!(relative_to("src/a.py", Path::new(".")), "src/a.py");
        assert_eq!(relative_to("other/a.py", Path::new("repo")), "other/a.py");
    }

    #[test]
    fn redaction_covers_paired_secrets_and_keeps_the_fingerprint() {
        let mut f = findings(&stripe()).remove(0);
        f.groups
            .insert("pair".into(), "abcdefghijklmnopqrstuvwxyz0123".into());
        let fingerprint = f.fingerprint.clone();
        let mut sink = Redact::new(Collector::default(), true);
        sink.finding(f).unwrap();
        let c = sink.into_inner();
        assert!(
            !c.findings[0]
                .secret
                .contains("4eC39HqLyjWDarjtT1zdp7dc9Xw2LmQa")
        );
        assert!(!c.findings[0].groups["pair"].contains("klmnopqrst"));
        assert_eq!(c.findings[0].fingerprint, fingerprint);
    }

    #[test]
    fn drop_reasons_do_not_repeat_the_redacted_secret() {
        let secret = "Tr0ub4dor&3horse";
        assert_eq!(
            scrub_detail(&format!("{secret:?} is a constant's name"), secret),
            "\"Tr0u****\" is a constant's name"
        );
        assert_eq!(
            scrub_detail("the name \"db_password\" ends in \"password\"", secret),
            "the name \"db_password\" ends in \"password\""
        );
        assert_eq!(
            scrub_detail("92% common words and runs (Tr0ub+4dor)", secret),
            "92% common words and runs"
        );
        assert_eq!(
            scrub_detail("entropy 2.10 < 3.50", secret),
            "entropy 2.10 < 3.50"
        );
    }

    #[test]
    fn min_level_drops_below_the_floor_and_counts() {
        let f = findings(&stripe()).remove(0);
        let mut sink = MinLevel::new(Collector::default(), Some(Severity::Critical), None);
        let kept = f.severity >= Severity::Critical;
        sink.finding(f).unwrap();
        let (c, below) = sink.into_inner();
        assert_eq!(c.findings.len(), usize::from(kept));
        assert_eq!(below, u64::from(!kept));
    }
}
