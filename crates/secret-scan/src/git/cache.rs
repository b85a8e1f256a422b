//! Step 5 and 7 of a history scan: the per-blob result cache.
//!
//! One JSON line per blob (`cache-<key>.jsonl`, append-only): its findings
//! with positions inside the blob (no path, no commit: those come from the
//! walk), or the reason it was skipped. A damaged line is ignored on read
//! and its blob scanned again.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use gix::ObjectId;
use serde::{Deserialize, Serialize};

use crate::finding::{Finding, SkipReason};

/// One blob's results as the cache stores them.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CacheEntry {
    blob: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<SkipReason>,
}

impl CacheEntry {
    /// A blob skipped for `reason`.
    pub fn skipped(oid: &ObjectId, reason: SkipReason) -> Self {
        CacheEntry {
            blob: oid.to_string(),
            findings: Vec::new(),
            skipped: Some(reason),
        }
    }

    /// A scanned blob's findings, stripped of origin; their paths are
    /// relative to the blob (empty, or `!member` inside an archive).
    pub fn scanned(oid: &ObjectId, findings: &[Finding]) -> Self {
        CacheEntry {
            blob: oid.to_string(),
            findings: findings
                .iter()
                .map(|f| Finding {
                    git: None,
                    ..f.clone()
                })
                .collect(),
            skipped: None,
        }
    }
}

/// Opens the cache for appending. It holds secrets in full, so it is
/// created readable by its owner only (0600 on Unix), and an existing cache
/// is narrowed to that.
fn open_private(file: &std::path::Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let f = options.open(file)?;
        f.set_permissions(fs::Permissions::from_mode(0o600))?;
        Ok(f)
    }
    #[cfg(not(unix))]
    {
        options.open(file)
    }
}

/// The cache of one history scan: what an earlier run stored, and where new
/// entries go (nothing when the cache is off).
pub(crate) struct Cache {
    file: Option<PathBuf>,
    entries: HashMap<String, CacheEntry>,
}

impl Cache {
    /// Reads `file` if it exists; a missing or unreadable cache is empty.
    pub fn open(file: Option<PathBuf>) -> Self {
        let mut entries = HashMap::new();
        if let Some(f) = file.as_ref().and_then(|p| fs::File::open(p).ok()) {
            for line in BufReader::new(f).lines().map_while(Result::ok) {
                if let Ok(entry) = serde_json::from_str::<CacheEntry>(&line) {
                    entries.insert(entry.blob.clone(), entry);
                }
            }
        }
        Cache { file, entries }
    }

    /// What an earlier run stored for `oid`.
    pub fn get(&self, oid: &ObjectId) -> Option<&CacheEntry> {
        self.entries.get(&oid.to_string())
    }

    /// Appends `new` entries; the error says what could not be written.
    pub fn append(&self, new: &[CacheEntry]) -> Result<(), String> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        if new.is_empty() {
            return Ok(());
        }
        let write = || -> std::io::Result<()> {
            if let Some(dir) = file.parent() {
                fs::create_dir_all(dir)?;
            }
            let mut out = std::io::BufWriter::new(open_private(file)?);
            for entry in new {
                serde_json::to_writer(&mut out, entry)?;
                out.write_all(b"\n")?;
            }
            out.flush()
        };
        write().map_err(|e| {
            format!(
                "cannot write the history cache {}: {e} (the next run reads these blobs again)",
                file.display()
            )
        })
    }
}
