//! The progress line on stderr, shown only on a terminal.

use std::io::Write;
use std::time::{Duration, Instant};

use secret_scan::{Dropped, Finding, Sink, Skipped};

use crate::report::text::human_bytes;

/// A sink that forwards to an inner sink and redraws a one-line progress
/// display at most ten times a second.
#[derive(Debug)]
pub struct Progress<S> {
    inner: S,
    enabled: bool,
    files: u64,
    bytes: u64,
    findings: u64,
    last: Option<Instant>,
}

impl<S: Sink> Progress<S> {
    pub fn new(inner: S, enabled: bool) -> Self {
        Progress {
            inner,
            enabled,
            files: 0,
            bytes: 0,
            findings: 0,
            last: None,
        }
    }

    fn draw(&mut self, force: bool) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if !force
            && self
                .last
                .is_some_and(|t| now - t < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(now);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2Kscanning: {} files, {}, {} findings",
            self.files,
            human_bytes(self.bytes),
            self.findings
        );
        let _ = err.flush();
    }

    /// Clears the progress line and returns the inner sink.
    pub fn finish(self) -> S {
        if self.enabled && self.last.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
        self.inner
    }
}

impl<S: Sink> Sink for Progress<S> {
    type Error = S::Error;
    fn begin(&mut self, path: &str) -> Result<bool, S::Error> {
        self.inner.begin(path)
    }
    fn finding(&mut self, finding: Finding) -> Result<bool, S::Error> {
        self.findings += 1;
        // A printer may write this finding to the same terminal: clear the
        // progress line first, it is redrawn after the file.
        if self.enabled && self.last.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
        self.inner.finding(finding)
    }
    fn dropped(&mut self, dropped: Dropped) -> Result<bool, S::Error> {
        self.inner.dropped(dropped)
    }
    fn finish(&mut self, path: &str, bytes: u64) -> Result<bool, S::Error> {
        self.files += 1;
        self.bytes += bytes;
        let go_on = self.inner.finish(path, bytes)?;
        self.draw(false);
        Ok(go_on)
    }
    fn skipped(&mut self, skipped: Skipped) -> Result<bool, S::Error> {
        self.inner.skipped(skipped)
    }
    fn warning(&mut self, message: &str) -> Result<bool, S::Error> {
        self.inner.warning(message)
    }
}
