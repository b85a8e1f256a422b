//! How a scan behaves: threads, limits, what to walk and what to report.

use crate::ArchiveLimits;

/// Options for a [`Scanner`](crate::Scanner). Start from
/// [`ScanOptions::default`] and change what you need:
///
/// ```
/// let mut options = secret_scan::ScanOptions::default();
/// options.threads = 4;
/// options.explain = true;
/// assert_eq!(options.max_file_size, 100 * 1024 * 1024);
/// assert_eq!(options.max_decode_depth, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScanOptions {
    /// Worker threads; 0 means one per available core. Values above
    /// [`max_threads`] are lowered to it.
    pub threads: usize,
    /// Files larger than this (bytes) are skipped with a reason, so memory
    /// stays bounded: a worker holds at most one file of this size.
    pub max_file_size: u64,
    /// Follow symbolic links while walking.
    pub follow_symlinks: bool,
    /// Honour `.gitignore` (inside a git repository) and `.ignore` files
    /// while walking. (`.secretsignore` is not a walk filter: the CLI reads
    /// it to suppress findings by fingerprint or path.)
    pub honour_ignore_files: bool,
    /// Scan files with a NUL byte in their first 8 KiB instead of skipping
    /// them.
    pub include_binary: bool,
    /// Report candidates that a filter dropped, with the reason.
    pub explain: bool,
    /// At most this many findings of one rule in one input; the rest are
    /// counted and reported as one warning, so memory stays bounded on
    /// inputs full of matches. 0 means no limit.
    pub max_findings_per_rule: usize,
    /// At most this many findings in one input, all rules together; the
    /// rest are counted and reported as one warning. 0 means no limit.
    pub max_findings_per_file: usize,
    /// How deep archives are opened, and the bounds on their expansion
    /// ([`ArchiveLimits::off`] scans archives as plain bytes).
    pub archives: ArchiveLimits,
    /// How many encodings deep (base64, hex, percent) values are decoded and
    /// scanned again; 0 turns decoding off.
    pub max_decode_depth: usize,
}

/// The most worker threads a scanner starts: four per available core, and
/// never more than 256. More only costs memory and scheduling; a larger
/// [`ScanOptions::threads`] is lowered to this.
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    cores.saturating_mul(4).clamp(1, 256)
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: 0,
            max_file_size: 100 * 1024 * 1024,
            follow_symlinks: false,
            honour_ignore_files: true,
            include_binary: false,
            explain: false,
            max_findings_per_rule: 1_000,
            max_findings_per_file: 10_000,
            archives: ArchiveLimits::default(),
            max_decode_depth: 5,
        }
    }
}
