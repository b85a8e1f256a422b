//! The progress line on stderr, shown only on a terminal (never on a pipe,
//! never with `--no-progress` or `--quiet`):
//!
//! ```text
//! 1,234 of 5,678 files, 120.3 MiB of 300.0 MiB, 45.2 MiB/s, about 4s left  src/big/file.json
//! ```
//!
//! The totals come from a second, cheap walk of the same folders (names and
//! sizes only) on its own thread; until it is done the line shows counts,
//! rate and path without totals. History scans show no totals.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use secret_scan::{Finding, Sink, forward_sink};

use crate::cli::ScanArgs;
use crate::report::text::human_bytes;
use crate::suppressed::thousands;

/// Totals counted by the background walk.
#[derive(Debug, Default)]
pub struct Totals {
    files: AtomicU64,
    bytes: AtomicU64,
    done: AtomicBool,
}

impl Totals {
    /// Files and bytes to scan, once the walk is complete.
    fn known(&self) -> Option<(u64, u64)> {
        self.done.load(Ordering::Acquire).then(|| {
            (
                self.files.load(Ordering::Relaxed),
                self.bytes.load(Ordering::Relaxed),
            )
        })
    }
}

/// Starts counting what a folder scan will read, when progress is shown and
/// the scan reads folders (not history, not the index, not stdin alone).
pub fn progress_total(args: &ScanArgs, shown: bool) -> Option<Arc<Totals>> {
    if !shown || args.git || args.staged {
        return None;
    }
    let roots: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let (first, rest) = roots.split_first()?;
    let mut builder = ignore::WalkBuilder::new(first);
    for r in rest {
        builder.add(r);
    }
    let honour = !args.no_ignore;
    builder
        .hidden(false)
        .git_ignore(honour)
        .git_exclude(honour)
        .git_global(false)
        .ignore(honour)
        .parents(honour)
        .filter_entry(|e| e.file_name() != ".git");
    let limit = args.max_file_size;
    let totals = Arc::new(Totals::default());
    let counting = Arc::clone(&totals);
    let spawned = std::thread::Builder::new()
        .name("progress-total".into())
        .spawn(move || {
            for entry in builder.build().flatten() {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let len = entry.metadata().map_or(0, |m| m.len());
                if len <= limit {
                    counting.files.fetch_add(1, Ordering::Relaxed);
                    counting.bytes.fetch_add(len, Ordering::Relaxed);
                }
            }
            counting.done.store(true, Ordering::Release);
        });
    spawned.ok().map(|_| totals)
}

/// What the line shows, at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot<'a> {
    pub files: u64,
    pub bytes: u64,
    pub findings: u64,
    pub elapsed: Duration,
    /// Files and bytes in all, once known.
    pub total: Option<(u64, u64)>,
    pub path: &'a str,
}

/// The progress line, at most `width` characters (the path is shortened
/// from the left).
pub fn line(s: &Snapshot<'_>, width: usize) -> String {
    let secs = s.elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        s.bytes as f64 / secs
    } else {
        0.0
    };
    let mut out = match s.total {
        // The walk may miss files the engine adds (tracked but ignored):
        // never show more done than in all.
        Some((files, bytes)) if files >= s.files && bytes >= s.bytes => {
            let mut text = format!(
                "{} of {} files, {} of {}",
                thousands(s.files),
                thousands(files),
                human_bytes(s.bytes),
                human_bytes(bytes)
            );
            text.push_str(&format!(", {}/s", human_bytes(rate as u64)));
            if rate > 0.0 && secs >= 1.0 {
                let left = (bytes - s.bytes) as f64 / rate;
                text.push_str(&format!(", about {} left", duration(left)));
            }
            text
        }
        _ => format!(
            "{} files, {}, {}/s",
            thousands(s.files),
            human_bytes(s.bytes),
            human_bytes(rate as u64)
        ),
    };
    if s.findings > 0 {
        out.push_str(&format!(
            ", {} finding{}",
            thousands(s.findings),
            if s.findings == 1 { "" } else { "s" }
        ));
    }
    let room = width.saturating_sub(out.chars().count() + 2);
    if room >= 8 && !s.path.is_empty() {
        out.push_str("  ");
        let n = s.path.chars().count();
        if n <= room {
            out.push_str(s.path);
        } else {
            out.push('…');
            out.extend(s.path.chars().skip(n - (room - 1)));
        }
    }
    out
}

fn duration(secs: f64) -> String {
    let s = secs.round() as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// The terminal's width from `COLUMNS`, else 100.
fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &usize| w >= 20)
        .unwrap_or(100)
        - 1
}

/// A sink that forwards to an inner sink and redraws a one-line progress
/// display at most ten times a second.
#[derive(Debug)]
pub struct Progress<S> {
    inner: S,
    enabled: bool,
    files: u64,
    bytes: u64,
    findings: u64,
    started: Instant,
    path: String,
    total: Option<Arc<Totals>>,
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
            started: Instant::now(),
            path: String::new(),
            total: None,
            last: None,
        }
    }

    /// Totals counted elsewhere (see [`progress_total`]).
    pub fn with_total(mut self, total: Option<Arc<Totals>>) -> Self {
        self.total = total;
        self
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
        let text = line(
            &Snapshot {
                files: self.files,
                bytes: self.bytes,
                findings: self.findings,
                elapsed: now - self.started,
                total: self.total.as_ref().and_then(|t| t.known()),
                path: &self.path,
            },
            width(),
        );
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{text}");
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
        if self.enabled {
            self.path.clear();
            self.path.push_str(path);
        }
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
    fn finish(&mut self, path: &str, bytes: u64) -> Result<bool, S::Error> {
        self.files += 1;
        self.bytes += bytes;
        let go_on = self.inner.finish(path, bytes)?;
        self.draw(false);
        Ok(go_on)
    }
    forward_sink!(inner: dropped, skipped, warning);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(total: Option<(u64, u64)>, path: &str) -> Snapshot<'_> {
        Snapshot {
            files: 250,
            bytes: 50 << 20,
            findings: 1,
            elapsed: Duration::from_secs(2),
            total,
            path,
        }
    }

    #[test]
    fn the_line_shows_done_of_total_rate_time_left_and_the_path() {
        let l = line(&snap(Some((1000, 200 << 20)), "src/main.rs"), 120);
        assert_eq!(
            l,
            "250 of 1,000 files, 50.0 MiB of 200.0 MiB, 25.0 MiB/s, about 6s left, 1 finding  src/main.rs"
        );
    }

    #[test]
    fn without_a_total_the_line_shows_counts_and_rate() {
        let l = line(&snap(None, "a.txt"), 120);
        assert_eq!(l, "250 files, 50.0 MiB, 25.0 MiB/s, 1 finding  a.txt");
    }

    #[test]
    fn a_long_path_is_shortened_from_the_left() {
        let long = format!("{}/end.rs", "d".repeat(200));
        let l = line(&snap(None, &long), 80);
        assert!(l.chars().count() <= 80, "{l}");
        assert!(l.ends_with("dd/end.rs"), "{l}");
        assert!(l.contains('…'));
    }
}
