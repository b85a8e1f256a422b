//! The parallel secret-scanning engine.
//!
//! # Brief overview
//!
//! A [`Scanner`] is built once from a [`secret_patterns::Catalog`] and
//! [`ScanOptions`]. It scans files and folders ([`Scanner::scan_paths`]), a
//! buffer ([`Scanner::scan_bytes`]) or any reader such as stdin
//! ([`Scanner::scan_reader`]), and pushes results to a [`Sink`] as each input
//! is done: [`Finding`]s, [`Skipped`] inputs with their [`SkipReason`], and in
//! explain mode the [`Dropped`] candidates with the filter that dropped them.
//! [`Collector`] is a sink that keeps everything and sorts it for
//! deterministic reports. Each scan returns its [`Stats`].
//!
//! This crate finds; it never formats. Printing text, JSON or SARIF is the
//! job of the `secret-scanner` binary.
//!
//! # Example
//!
//! ```
//! use secret_patterns::Catalog;
//! use secret_scan::{Collector, ScanOptions, Scanner};
//!
//! let scanner = Scanner::new(Catalog::builtin(), ScanOptions::default())?;
//! let mut found = Collector::default();
//! // A Stripe-like live key assembled at run time, so this file stays clean.
//! let key = format!("sk_{}_{}", "live", "4eC39HqLyjWDarjtT1zdp7dc9Xw2LmQa");
//! let text = format!("STRIPE_KEY={key}\n");
//! let stats = scanner.scan_bytes("config.env", text.as_bytes(), &mut found)?;
//! assert_eq!(stats.files_scanned, 1);
//! assert_eq!(found.findings[0].rule_id, "stripe-secret-key");
//! assert_eq!((found.findings[0].line, found.findings[0].column), (1, 12));
//! # Ok::<(), secret_scan::Error>(())
//! ```
//!
//! # How a file is scanned
//!
//! 1. **The walk** (`ignore` crate, on its own thread): `.gitignore` inside git
//!    repositories and `.ignore` files are honoured unless turned off; hidden
//!    files are scanned; `.git/` is not.
//! 2. **Reading** (rayon workers, one reused buffer each): files over
//!    [`ScanOptions::max_file_size`] are skipped with a reason, so memory is
//!    bounded by threads × limit; files with a NUL byte in their first 8 KiB
//!    are skipped as binary unless [`ScanOptions::include_binary`]; UTF-16
//!    with a byte-order mark is decoded to UTF-8.
//!    An archive (zip, jar, tar, gzip, bzip2, xz, by content) is expanded
//!    in memory under [`ArchiveLimits`] instead (see [`archive`]); each
//!    member goes through the steps below, named `outer.zip!inner/file`.
//! 3. **The prefilter**: one aho-corasick automaton over every rule's keywords
//!    (ASCII case-insensitive) finds which rules can match and where.
//! 4. **Confirmation**: each selected rule's regex runs only in a window
//!    around its keyword hits (see the `confirm` module notes below), then the
//!    rule's filters: allow list, placeholders, randomness, validator.
//!    Runs of base64, hex or percent-encoding that decode to text are
//!    scanned again, [`ScanOptions::max_decode_depth`] levels deep; what they
//!    hide is reported at the encoded run with its [`Finding::decoded`] chain.
//! 5. **Suppression and de-duplication**: a line holding
//!    `secret-scanner:allow` (or `gitleaks:allow`, `pragma: allowlist secret`,
//!    `kingfisher:ignore`, `trufflehog:ignore`) is not reported, nor the line
//!    after `pragma: allowlist nextline secret`; where several rules report
//!    overlapping bytes, the most specific (confidence, then validator, then
//!    severity) is kept.
//!
//! # Cost
//!
//! The walk and the prefilter are linear in the input. For a rule whose
//! longest match is `L` bytes, each keyword hit costs at most a regex search
//! over `2L` plus the keyword's length; windows of one rule are merged, so
//! the confirmation cost is bounded by `O(n)` per rule whose keyword occurs.
//! CRLF line ends and multi-megabyte single lines (minified code) cost the
//! same as any other bytes: no step works line by line, and inline markers
//! are looked for at most 64 KiB either side of a finding.
#![deny(missing_docs)]

pub mod archive;
mod confirm;
mod decode;
mod deliver;
mod encoded;
mod error;
mod finding;
pub mod git;
mod options;
mod prefilter;
mod scanner;
pub mod sink;
mod stats;
mod utf16;
mod walk;

pub use archive::ArchiveLimits;
pub use confirm::{INLINE_ALLOW_MARKERS, NEXT_LINE_ALLOW_MARKER};
pub use decode::BINARY_SNIFF_LEN;
pub use error::Error;
pub use finding::{
    AlsoIn, DropReason, Dropped, Finding, GitOrigin, Introduced, SkipReason, Skipped, fingerprint,
};
pub use git::{GitCache, GitScanOptions, GitStats};
pub use options::{ScanOptions, max_threads};
pub use scanner::Scanner;
pub use sink::{Collector, FnSink, Sink};
pub use stats::Stats;
