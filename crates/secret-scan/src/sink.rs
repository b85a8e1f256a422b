//! Where results go: the [`Sink`] trait and a [`Collector`] that keeps them.
//!
//! The scanner pushes each result to the sink as soon as the file it came
//! from is done, so a caller can print, count or stop caring without the
//! scanner holding every result in memory. Results arrive in no particular
//! order when files are scanned in parallel; [`Collector::sort`] gives the
//! deterministic order reports need.

use crate::finding::{Dropped, Finding, Skipped};

/// Receives results as the scanner produces them.
///
/// The scanner calls the sink from one thread at a time (it holds a lock), in
/// batches of one file's results. Only [`Sink::finding`] is required.
pub trait Sink: Send {
    /// A credential was found.
    fn finding(&mut self, finding: Finding);
    /// An input was skipped, with the reason.
    fn skipped(&mut self, _skipped: Skipped) {}
    /// A candidate was dropped by a filter (only in explain mode).
    fn dropped(&mut self, _dropped: Dropped) {}
    /// An input was scanned completely (`bytes` long): for progress bars.
    fn file_done(&mut self, _path: &str, _bytes: u64) {}
}

impl<S: Sink + ?Sized> Sink for &mut S {
    fn finding(&mut self, finding: Finding) {
        (**self).finding(finding);
    }
    fn skipped(&mut self, skipped: Skipped) {
        (**self).skipped(skipped);
    }
    fn dropped(&mut self, dropped: Dropped) {
        (**self).dropped(dropped);
    }
    fn file_done(&mut self, path: &str, bytes: u64) {
        (**self).file_done(path, bytes);
    }
}

/// A sink made of a closure called for each finding; skipped inputs and
/// dropped candidates are ignored.
///
/// ```
/// use secret_scan::{FnSink, Finding};
/// let mut count = 0;
/// let mut sink = FnSink(|_f: Finding| count += 1);
/// # let _ = &mut sink;
/// ```
#[derive(Debug)]
pub struct FnSink<F>(pub F);

impl<F: FnMut(Finding) + Send> Sink for FnSink<F> {
    fn finding(&mut self, finding: Finding) {
        (self.0)(finding);
    }
}

/// A sink that keeps everything, for reports that need the whole set.
#[derive(Debug, Default, Clone)]
pub struct Collector {
    /// Every finding.
    pub findings: Vec<Finding>,
    /// Every skipped input.
    pub skipped: Vec<Skipped>,
    /// Every dropped candidate (explain mode).
    pub dropped: Vec<Dropped>,
}

impl Collector {
    /// Sorts findings by (path, line, column, rule id), dropped candidates
    /// the same way and skipped inputs by path: the same input then gives
    /// the same order whatever the thread count.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.rule_id, &a.secret)
                .cmp(&(&b.path, b.line, b.column, &b.rule_id, &b.secret))
        });
        self.dropped.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.rule_id, &a.secret)
                .cmp(&(&b.path, b.line, b.column, &b.rule_id, &b.secret))
        });
        self.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

impl Sink for Collector {
    fn finding(&mut self, finding: Finding) {
        self.findings.push(finding);
    }
    fn skipped(&mut self, skipped: Skipped) {
        self.skipped.push(skipped);
    }
    fn dropped(&mut self, dropped: Dropped) {
        self.dropped.push(dropped);
    }
}
