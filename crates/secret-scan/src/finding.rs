//! What the scanner reports: findings, dropped candidates and skipped inputs.

use std::collections::BTreeMap;
use std::fmt;

use secret_patterns::{Confidence, Filter, Severity};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A credential found in an input.
///
/// Positions: `line` and `column` are 1-based; columns count Unicode scalar
/// values (characters) from the start of the line, reading invalid UTF-8
/// bytes as one character each; `byte_offset` is the 0-based byte offset of
/// the secret in the scanned content. For UTF-16 files, which are decoded
/// before scanning, positions refer to the decoded text. `end_line` and
/// `end_column` point at the secret's last character (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// The id of the rule that matched.
    pub rule_id: String,
    /// The rule's human name.
    pub rule_name: String,
    /// How bad a leak of this credential is.
    pub severity: Severity,
    /// How sure the rule is.
    pub confidence: Confidence,
    /// The input's path as given to the scanner (or the name of a buffer).
    pub path: String,
    /// 1-based line of the secret's first character.
    pub line: usize,
    /// 1-based column (characters) of the secret's first character.
    pub column: usize,
    /// 1-based line of the secret's last character.
    pub end_line: usize,
    /// 1-based column (characters) of the secret's last character.
    pub end_column: usize,
    /// 0-based byte offset of the secret in the scanned content.
    pub byte_offset: usize,
    /// The secret (the rule's `secret` group), lossily decoded as UTF-8.
    pub secret: String,
    /// Other named groups of the match (`user`, `host`...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, String>,
    /// The content fingerprint: see [`fingerprint`].
    pub fingerprint: String,
    /// The decodings that revealed the secret, outermost first (`["base64"]`,
    /// `["base64", "hex"]`); empty when it was found as written. A decoded
    /// finding's position is that of the encoded run in the input, and its
    /// `secret` is the decoded value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decoded: Vec<String>,
    /// Where in git history the content came from, for history scans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<GitOrigin>,
}

/// Where in history a secret entered a file, and where it went after.
///
/// A history scan reports each secret once per place: the identity of a
/// finding is (rule, secret, path), and it is reported at the commit that
/// introduced it (the earliest in the scan's topological order). Later
/// commits that edit the file while the secret stays in it, and renames,
/// are counted in [`also_in`](GitOrigin::also_in) instead of being reported
/// again. A secret removed and later added back, or copied to a second file,
/// is a new place: its finding says so in [`introduced`](GitOrigin::introduced).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GitOrigin {
    /// The commit id (hex); empty for a blob no commit holds (`--all-objects`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub commit: String,
    /// The author's name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// The author's email.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// The commit date (author time), RFC 3339 in UTC.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date: String,
    /// The blob id (hex) the secret was found in.
    pub blob: String,
    /// The ref the commit was reached from (`refs/heads/main`), or
    /// `(unreachable)` for objects no ref reaches (`--all-objects`).
    pub reached_from: String,
    /// How this place began.
    #[serde(default, skip_serializing_if = "Introduced::is_first")]
    pub introduced: Introduced,
    /// Where the secret stayed after it was introduced.
    #[serde(default, skip_serializing_if = "AlsoIn::is_empty")]
    pub also_in: AlsoIn,
}

/// How a finding's place in history began.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Introduced {
    /// The first time the scan met this secret.
    #[default]
    First,
    /// The secret was in this file before, was removed, and came back.
    ReAdded {
        /// `commit:path` of its previous place.
        previous: String,
    },
    /// The secret already existed in another file (still there or gone
    /// without a rename): a second copy to rotate and clean.
    Copied {
        /// `commit:path` where the scan first met it.
        from: String,
    },
}

impl Introduced {
    /// Whether this is [`Introduced::First`].
    pub fn is_first(&self) -> bool {
        matches!(self, Introduced::First)
    }
}

/// The later life of a finding's secret: commits that kept it in the file,
/// renames that carried it along, and other places holding the same blob.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AlsoIn {
    /// Later commits that changed the file (or committed the same blob
    /// elsewhere) while the secret stayed.
    pub commits: usize,
    /// Other paths the secret lived at: renames, and the same blob
    /// committed under another name.
    pub files: usize,
    /// The last commit where the secret was still present (as far as the
    /// scan saw a change), if any later commit touched it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_commit: Option<String>,
    /// Some of those places as `commit:path`, at most
    /// [`ALSO_IN_CAP`](crate::git::ALSO_IN_CAP).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
}

impl AlsoIn {
    /// Whether no later place was seen.
    pub fn is_empty(&self) -> bool {
        self.commits == 0 && self.files == 0 && self.places.is_empty()
    }
}

/// The content fingerprint of a finding: `RULE-ID:` then 16 hex digits of
/// SHA-256 over the rule id and the secret. It does not depend on the path or
/// the position, so a suppression keyed on it survives moved lines, renamed
/// files and rebases.
///
/// ```
/// let a = secret_scan::fingerprint("github-pat-classic", b"ghp_abc");
/// assert_eq!(a, secret_scan::fingerprint("github-pat-classic", b"ghp_abc"));
/// assert!(a.starts_with("github-pat-classic:"));
/// assert_eq!(a.len(), "github-pat-classic:".len() + 16);
/// ```
pub fn fingerprint(rule_id: &str, secret: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule_id.as_bytes());
    hasher.update([0u8]);
    hasher.update(secret);
    let digest = hasher.finalize();
    let mut out = String::with_capacity(rule_id.len() + 17);
    out.push_str(rule_id);
    out.push(':');
    for b in &digest[..8] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A candidate that a rule's regex matched but that was not reported, and
/// why (explain mode).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dropped {
    /// The rule whose regex matched.
    pub rule_id: String,
    /// The input's path.
    pub path: String,
    /// 1-based line of the candidate secret.
    pub line: usize,
    /// 1-based column (characters) of the candidate secret.
    pub column: usize,
    /// The candidate secret.
    pub secret: String,
    /// What dropped it.
    pub reason: DropReason,
}

/// Why a candidate was dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DropReason {
    /// A rule filter (allow list, placeholder, entropy, validator...).
    Filter {
        /// The filter.
        filter: Filter,
        /// Why, e.g. `entropy 2.10 < 3.50`.
        detail: String,
    },
    /// An inline comment on the line (or the line before) allows it.
    InlineAllow {
        /// The marker found, e.g. `secret-scanner:allow`.
        marker: String,
    },
    /// A more specific rule reported the same bytes.
    Duplicate {
        /// The rule kept instead.
        kept_rule: String,
    },
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DropReason::Filter { filter, detail } => write!(f, "{filter}: {detail}"),
            DropReason::InlineAllow { marker } => write!(f, "inline allow: {marker}"),
            DropReason::Duplicate { kept_rule } => write!(f, "duplicate of {kept_rule}"),
        }
    }
}

/// An input the scanner did not scan, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The input's path.
    pub path: String,
    /// Why it was skipped.
    pub reason: SkipReason,
}

/// Why an input was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SkipReason {
    /// A NUL byte in the first 8 KiB (use `include_binary` to scan anyway).
    Binary,
    /// Larger than the size limit.
    TooLarge {
        /// The input's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The input could not be read (permissions, a broken link, a vanished
    /// file, a directory that could not be listed...).
    Unreadable {
        /// The operating system's message.
        error: String,
    },
    /// A symbolic link inside a walked folder: links are not followed (a
    /// link may point outside the tree or form a loop). Scan the target by
    /// naming it, or follow links.
    Symlink {
        /// Where the link points, as stored in the link.
        target: String,
    },
    /// An archive member not expanded: a bound on nesting depth, expanded
    /// size, expansion ratio or member count was reached (a zip bomb is
    /// stopped here, not followed).
    ArchiveLimit {
        /// Which bound, and the figures.
        detail: String,
    },
    /// An archive, or a member of one, that could not be read (damaged,
    /// encrypted, an unsupported compression method).
    BadArchive {
        /// The reader's message.
        error: String,
    },
}

impl SkipReason {
    /// A short kebab-case label for counting (`binary`, `too-large`,
    /// `unreadable`, `symlink`, `archive-limit`, `bad-archive`).
    pub fn label(&self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge { .. } => "too-large",
            SkipReason::Unreadable { .. } => "unreadable",
            SkipReason::Symlink { .. } => "symlink",
            SkipReason::ArchiveLimit { .. } => "archive-limit",
            SkipReason::BadArchive { .. } => "bad-archive",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Binary => f.write_str("binary file (NUL byte in the first 8 KiB)"),
            SkipReason::TooLarge { size, limit } => {
                write!(f, "{size} bytes, over the {limit}-byte limit")
            }
            SkipReason::Unreadable { error } => write!(f, "unreadable: {error}"),
            SkipReason::Symlink { target } => {
                write!(f, "symbolic link to {target:?}, not followed")
            }
            SkipReason::ArchiveLimit { detail } => write!(f, "archive bound: {detail}"),
            SkipReason::BadArchive { error } => write!(f, "unreadable archive: {error}"),
        }
    }
}
