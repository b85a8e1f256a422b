//! Counters for one scan.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;

/// What a scan did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Stats {
    /// Inputs scanned completely.
    pub files_scanned: u64,
    /// Bytes scanned (after UTF-16 decoding).
    pub bytes_scanned: u64,
    /// Findings reported.
    pub findings: u64,
    /// Skipped inputs (and archive members) by reason label (`binary`,
    /// `too-large`, `unreadable`, `symlink`, `archive-limit`, `bad-archive`).
    pub skipped: BTreeMap<String, u64>,
    /// Wall-clock time of the scan. Not serialised: reports stay byte-stable.
    #[serde(skip)]
    pub elapsed: Duration,
}

impl Stats {
    /// Skipped inputs, all reasons together.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// Shared counters the workers bump while a scan runs.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
    pub findings: AtomicU64,
    pub binary: AtomicU64,
    pub too_large: AtomicU64,
    pub unreadable: AtomicU64,
    pub symlink: AtomicU64,
    pub archive_limit: AtomicU64,
    pub bad_archive: AtomicU64,
}

impl Counters {
    /// Counts a skipped input under its reason.
    pub fn count_skip(&self, reason: &crate::finding::SkipReason) {
        use crate::finding::SkipReason;
        match reason {
            SkipReason::Binary => &self.binary,
            SkipReason::TooLarge { .. } => &self.too_large,
            SkipReason::Unreadable { .. } => &self.unreadable,
            SkipReason::Symlink { .. } => &self.symlink,
            SkipReason::ArchiveLimit { .. } => &self.archive_limit,
            SkipReason::BadArchive { .. } => &self.bad_archive,
        }
        .fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a scanned input.
    pub fn count_scanned(&self, bytes: u64, findings: usize) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.findings.fetch_add(findings as u64, Ordering::Relaxed);
    }

    pub fn snapshot(&self, elapsed: Duration) -> Stats {
        let mut skipped = BTreeMap::new();
        for (label, c) in [
            ("binary", &self.binary),
            ("too-large", &self.too_large),
            ("unreadable", &self.unreadable),
            ("symlink", &self.symlink),
            ("archive-limit", &self.archive_limit),
            ("bad-archive", &self.bad_archive),
        ] {
            let n = c.load(Ordering::Relaxed);
            if n > 0 {
                skipped.insert(label.to_string(), n);
            }
        }
        Stats {
            files_scanned: self.files.load(Ordering::Relaxed),
            bytes_scanned: self.bytes.load(Ordering::Relaxed),
            findings: self.findings.load(Ordering::Relaxed),
            skipped,
            elapsed,
        }
    }
}
