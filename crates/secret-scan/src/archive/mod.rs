//! Archives: zip (and jar, war, ear, apk: zips by content), tar, gzip,
//! bzip2 and xz, nested, expanded in memory under bounds.
//!
//! [`expand`] works on bytes, so files, git blobs and staged blobs are
//! expanded alike. A format is recognised by its leading bytes (tar by the
//! `ustar` magic at offset 257), never by the name alone. A compressed
//! stream holding a tar (`.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`) is one
//! level: its members are named directly (`backup.tar.gz!etc/app.env`).
//!
//! # Bounds
//!
//! Every byte expanded from one input counts against
//! [`ArchiveLimits::max_total_size`], whatever the nesting; a member that
//! would pass it, pass the scanner's per-file size limit, or expand more than
//! [`ArchiveLimits::max_ratio`] times its compressed size (once over 1 MiB)
//! is not read further and is reported as skipped with the reason. Sizes a
//! header declares are checked before anything is decompressed, and a
//! header that lies is caught while reading: decompression stops one byte
//! past the bound. So a zip bomb costs at most the bound's worth of
//! decompression, never its full expansion. An archive nested deeper than
//! [`ArchiveLimits::max_depth`] is skipped, and so is an input with more
//! than [`MAX_MEMBERS`] members past that count.

mod formats;

use std::io::Read;

use crate::finding::SkipReason;

/// Members read from one input at most (all nesting levels together);
/// members past this are skipped, once, with a reason.
pub const MAX_MEMBERS: u64 = 100_000;

/// Below this many expanded bytes a member's expansion ratio is not checked:
/// small files compress well without being bombs.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// How far archives are opened. Start from [`ArchiveLimits::default`]:
///
/// ```
/// let limits = secret_scan::ArchiveLimits::default();
/// assert_eq!(limits.max_depth, 5);
/// assert_eq!(limits.max_total_size, 256 * 1024 * 1024);
/// assert_eq!(limits.max_ratio, 100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ArchiveLimits {
    /// How many archives deep to open: 0 turns expansion off (archives are
    /// then binary files like any other), 1 opens an archive but not the
    /// archives inside it.
    pub max_depth: usize,
    /// Bytes expanded from one input at most, all members and nesting
    /// levels together.
    pub max_total_size: u64,
    /// The most a member may expand, as a multiple of its compressed size
    /// (checked once it is over 1 MiB).
    pub max_ratio: u64,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits {
            max_depth: 5,
            max_total_size: 256 * 1024 * 1024,
            max_ratio: 100,
        }
    }
}

impl ArchiveLimits {
    /// No expansion: archives are scanned (or skipped) as plain bytes.
    pub fn off() -> Self {
        ArchiveLimits {
            max_depth: 0,
            ..Default::default()
        }
    }
}

/// A format [`expand`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    /// Zip, and the formats that are zips (jar, war, ear, apk, docx...).
    Zip,
    /// POSIX or GNU tar.
    Tar,
    /// One gzip stream (a `.tar.gz` is a gzip holding a tar).
    Gzip,
    /// One bzip2 stream.
    Bzip2,
    /// One xz stream.
    Xz,
}

/// The archive format `bytes` start with, if any.
///
/// ```
/// use secret_scan::archive::{ArchiveKind, archive_kind};
/// assert_eq!(archive_kind(b"PK\x03\x04rest"), Some(ArchiveKind::Zip));
/// assert_eq!(archive_kind(b"\x1f\x8b\x08\x00"), Some(ArchiveKind::Gzip));
/// assert_eq!(archive_kind(b"plain text"), None);
/// ```
pub fn archive_kind(bytes: &[u8]) -> Option<ArchiveKind> {
    match bytes {
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Some(ArchiveKind::Zip),
        [0x1f, 0x8b, 8, ..] => Some(ArchiveKind::Gzip),
        [
            b'B',
            b'Z',
            b'h',
            b'1'..=b'9',
            0x31,
            0x41,
            0x59,
            0x26,
            0x53,
            0x59,
            ..,
        ] => Some(ArchiveKind::Bzip2),
        [0xFD, b'7', b'z', b'X', b'Z', 0, ..] => Some(ArchiveKind::Xz),
        _ if bytes.get(257..262) == Some(b"ustar") => Some(ArchiveKind::Tar),
        _ => None,
    }
}

/// What [`expand`] hands its visitor.
#[derive(Debug)]
pub enum Entry<'a> {
    /// A member that is not an archive: its path inside the input (nested
    /// archives joined by `!`: `lib/inner.zip!config/app.env`) and bytes.
    File {
        /// The member's path inside the input.
        path: &'a str,
        /// Its contents.
        bytes: &'a [u8],
    },
    /// A member not read, and why (a bound, a damaged or encrypted member).
    Skipped {
        /// The member's path inside the input.
        path: &'a str,
        /// Why.
        reason: SkipReason,
    },
}

/// Expands the archive `bytes` (named `name`, used for the member of a lone
/// compressed stream: `app.env.gz` holds `app.env`), calling `visit` for
/// every file inside, nested archives included, in archive order. Members
/// larger than `max_member_size` are skipped.
///
/// Returns the reason the input itself cannot be read: not an archive, or
/// damaged before its first member.
///
/// ```
/// use std::io::Write;
/// use secret_scan::archive::{ArchiveLimits, Entry, expand};
///
/// let mut gz = flate2::write::GzEncoder::new(Vec::new(), Default::default());
/// gz.write_all(b"TOKEN=abc\n")?;
/// let bytes = gz.finish()?;
/// let mut seen = Vec::new();
/// expand("app.env.gz", &bytes, &ArchiveLimits::default(), 1 << 20, &mut |e| {
///     if let Entry::File { path, bytes } = e {
///         seen.push((path.to_string(), bytes.to_vec()));
///     }
/// })
/// .map_err(|reason| reason.to_string())?;
/// assert_eq!(seen, [("app.env".to_string(), b"TOKEN=abc\n".to_vec())]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn expand(
    name: &str,
    bytes: &[u8],
    limits: &ArchiveLimits,
    max_member_size: u64,
    visit: &mut dyn FnMut(Entry<'_>),
) -> Result<(), SkipReason> {
    let Some(kind) = archive_kind(bytes) else {
        return Err(SkipReason::BadArchive {
            error: "not an archive".into(),
        });
    };
    let mut x = Expander {
        limits: *limits,
        max_member_size,
        used: 0,
        members: 0,
        visit,
    };
    let base = name.rsplit(['/', '!']).next().unwrap_or(name);
    x.archive("", base, bytes, kind, 1)
        .map_err(|error| SkipReason::BadArchive { error })
}

/// Why a member's read stopped.
enum Stop {
    Limit(String),
    Io(String),
}

pub(crate) struct Expander<'v> {
    limits: ArchiveLimits,
    max_member_size: u64,
    used: u64,
    members: u64,
    visit: &'v mut dyn FnMut(Entry<'_>),
}

impl Expander<'_> {
    /// Expands one archive whose members are named `prefix` + their path.
    /// An error means the archive could not be opened at all.
    fn archive(
        &mut self,
        prefix: &str,
        name: &str,
        bytes: &[u8],
        kind: ArchiveKind,
        depth: usize,
    ) -> Result<(), String> {
        match kind {
            ArchiveKind::Zip => formats::zip(self, prefix, bytes, depth),
            ArchiveKind::Tar => formats::tar(self, prefix, bytes, depth),
            ArchiveKind::Gzip | ArchiveKind::Bzip2 | ArchiveKind::Xz => {
                formats::stream(self, prefix, name, bytes, kind, depth)
            }
        }
    }

    fn skip(&mut self, path: &str, reason: SkipReason) {
        (self.visit)(Entry::Skipped { path, reason });
    }

    /// Whether another member may be read; the first one past the count is
    /// reported.
    fn count_member(&mut self, path: &str) -> bool {
        self.members += 1;
        if self.members == MAX_MEMBERS + 1 {
            self.skip(
                path,
                SkipReason::ArchiveLimit {
                    detail: format!("more than {MAX_MEMBERS} members; the rest are not read"),
                },
            );
        }
        self.members <= MAX_MEMBERS
    }

    /// The most bytes a member compressed to `compressed` bytes may expand
    /// to, and the bound that sets it.
    fn cap(&self, compressed: u64) -> (u64, String) {
        let remaining = self.limits.max_total_size.saturating_sub(self.used);
        let ratio = compressed
            .saturating_mul(self.limits.max_ratio)
            .max(RATIO_FLOOR);
        let mut caps = [
            (
                remaining,
                format!(
                    "expanded size over the {}-byte limit for one input",
                    self.limits.max_total_size
                ),
            ),
            (
                self.max_member_size,
                format!("over the {}-byte file size limit", self.max_member_size),
            ),
            (
                ratio,
                format!(
                    "expands over {}x its compressed size ({compressed} bytes)",
                    self.limits.max_ratio
                ),
            ),
        ];
        caps.sort_by_key(|(n, _)| *n);
        let [(n, why), ..] = caps;
        (n, why)
    }

    /// Checks a declared size before anything is decompressed.
    fn check_declared(&self, declared: u64, compressed: u64) -> Result<(), String> {
        let (cap, why) = self.cap(compressed);
        if declared > cap {
            return Err(format!("declares {declared} bytes: {why}"));
        }
        Ok(())
    }

    /// Reads a member, stopping one byte past its bound.
    fn read(&mut self, reader: impl Read, compressed: u64) -> Result<Vec<u8>, Stop> {
        let (cap, why) = self.cap(compressed);
        let mut data = Vec::new();
        reader
            .take(cap.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| Stop::Io(e.to_string()))?;
        self.used = self.used.saturating_add(data.len() as u64);
        if data.len() as u64 > cap {
            return Err(Stop::Limit(format!("stopped after {cap} bytes: {why}")));
        }
        Ok(data)
    }

    /// Reads one member and hands it on: to the visitor, or, when it is an
    /// archive, into it.
    fn member(
        &mut self,
        path: &str,
        reader: impl Read,
        compressed: u64,
        depth: usize,
    ) -> Option<()> {
        let data = match self.read(reader, compressed) {
            Ok(d) => d,
            Err(Stop::Limit(detail)) => {
                self.skip(path, SkipReason::ArchiveLimit { detail });
                return None;
            }
            Err(Stop::Io(error)) => {
                self.skip(path, SkipReason::BadArchive { error });
                return None;
            }
        };
        self.contents(path, &data, depth);
        Some(())
    }

    /// A member's contents, read: a file for the visitor or an archive to
    /// open.
    fn contents(&mut self, path: &str, data: &[u8], depth: usize) {
        let Some(kind) = archive_kind(data) else {
            (self.visit)(Entry::File { path, bytes: data });
            return;
        };
        if depth >= self.limits.max_depth {
            self.skip(
                path,
                SkipReason::ArchiveLimit {
                    detail: format!(
                        "an archive nested deeper than {} levels",
                        self.limits.max_depth
                    ),
                },
            );
            return;
        }
        let name = path.rsplit(['/', '!']).next().unwrap_or(path).to_string();
        let prefix = format!("{path}!");
        if let Err(error) = self.archive(&prefix, &name, data, kind, depth + 1) {
            self.skip(path, SkipReason::BadArchive { error });
        }
    }
}
