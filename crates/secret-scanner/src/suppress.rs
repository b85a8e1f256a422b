//! Suppressions: the `.secretsignore` file and `--baseline` reports.
//!
//! `.secretsignore` is TOML, a list of `[[ignore]]` entries:
//!
//! ```toml
//! [[ignore]]
//! fingerprint = "github-pat-classic:1a2b3c4d5e6f7a8b"  # from a report
//! path = "tests/fixtures/**"        # optional glob, relative to the scan root
//! reason = "revoked test token"     # required when there is no fingerprint
//! expires = "2027-06-30"            # optional; after it the entry stops working
//! ```
//!
//! An entry suppresses a finding when its fingerprint (if any) equals the
//! finding's and its path glob (if any) matches the finding's path.

use std::collections::HashSet;
use std::path::Path;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use crate::date::Date;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreFileSpec {
    #[serde(default)]
    ignore: Vec<EntrySpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntrySpec {
    fingerprint: Option<String>,
    path: Option<String>,
    reason: Option<String>,
    expires: Option<String>,
}

/// One ignore entry, checked and compiled.
#[derive(Debug)]
pub struct IgnoreEntry {
    /// 1-based position in the file, for messages.
    pub index: usize,
    pub fingerprint: Option<String>,
    pub path: Option<String>,
    glob: Option<GlobMatcher>,
    pub reason: Option<String>,
    pub expires: Option<Date>,
    /// Whether the entry matched a finding during this run.
    pub used: bool,
}

impl IgnoreEntry {
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(fp) = &self.fingerprint {
            parts.push(format!("fingerprint {fp}"));
        }
        if let Some(p) = &self.path {
            parts.push(format!("path {p}"));
        }
        if let Some(r) = &self.reason {
            parts.push(format!("reason {r:?}"));
        }
        format!("entry {} ({})", self.index, parts.join(", "))
    }

    fn matches(&self, fingerprint: &str, rel_path: &str) -> bool {
        self.fingerprint.as_deref().is_none_or(|f| f == fingerprint)
            && self.glob.as_ref().is_none_or(|g| g.is_match(rel_path))
    }
}

/// A loaded ignore file.
#[derive(Debug)]
pub struct IgnoreFile {
    pub name: String,
    pub entries: Vec<IgnoreEntry>,
    today: Date,
    /// Messages about expired entries that would have matched, one per entry.
    pub expired_hits: Vec<String>,
    /// Findings suppressed by an entry with a fingerprint.
    pub by_fingerprint: u64,
    /// Findings suppressed by path-only entries.
    pub by_path: u64,
}

/// What [`IgnoreFile::check`] decided.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Report,
    Suppress,
}

impl IgnoreFile {
    pub fn parse(name: &str, text: &str, today: Date) -> Result<IgnoreFile, String> {
        // The TOML error keeps its own lines: the line, the text and a caret.
        let spec: IgnoreFileSpec =
            toml::from_str(text).map_err(|e| format!("{name}: {}", e.to_string().trim_end()))?;
        let mut entries = Vec::new();
        for (i, e) in spec.ignore.into_iter().enumerate() {
            let index = i + 1;
            let at = format!("{name}: [[ignore]] entry {index}");
            if e.fingerprint.is_none() && e.path.is_none() {
                return Err(format!("{at}: needs a `fingerprint`, a `path`, or both"));
            }
            if e.fingerprint.is_none() && e.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                return Err(format!(
                    "{at}: a path-only entry suppresses every finding under it, so it needs a `reason`"
                ));
            }
            let glob = match &e.path {
                None => None,
                Some(p) => Some(
                    Glob::new(p)
                        .map_err(|err| format!("{at}: invalid path glob {p:?}: {err}"))?
                        .compile_matcher(),
                ),
            };
            let expires = match &e.expires {
                None => None,
                Some(d) => Some(Date::parse(d).ok_or_else(|| {
                    format!("{at}: invalid `expires` date {d:?} (expected YYYY-MM-DD)")
                })?),
            };
            entries.push(IgnoreEntry {
                index,
                fingerprint: e.fingerprint,
                path: e.path,
                glob,
                reason: e.reason,
                expires,
                used: false,
            });
        }
        Ok(IgnoreFile {
            name: name.to_string(),
            entries,
            today,
            expired_hits: Vec::new(),
            by_fingerprint: 0,
            by_path: 0,
        })
    }

    pub fn load(path: &Path, today: Date) -> Result<IgnoreFile, String> {
        let name = path.display().to_string();
        let text = crate::read::read_config(path, "ignore")?;
        IgnoreFile::parse(&name, &text, today)
    }

    /// Decides one finding; `rel_path` is relative to the ignore file's root.
    pub fn check(&mut self, fingerprint: &str, rel_path: &str) -> Verdict {
        let mut verdict = Verdict::Report;
        let mut by_fingerprint = false;
        for entry in &mut self.entries {
            if !entry.matches(fingerprint, rel_path) {
                continue;
            }
            match entry.expires {
                Some(date) if date < self.today => {
                    let msg = format!(
                        "{}: {} expired on {date}: it no longer suppresses findings",
                        self.name,
                        entry.describe()
                    );
                    if !self.expired_hits.contains(&msg) {
                        self.expired_hits.push(msg);
                    }
                }
                _ => {
                    entry.used = true;
                    by_fingerprint |= entry.fingerprint.is_some();
                    verdict = Verdict::Suppress;
                }
            }
        }
        match (&verdict, by_fingerprint) {
            (Verdict::Report, _) => {}
            (Verdict::Suppress, true) => self.by_fingerprint += 1,
            (Verdict::Suppress, false) => self.by_path += 1,
        }
        verdict
    }

    pub fn unused(&self) -> impl Iterator<Item = &IgnoreEntry> {
        self.entries.iter().filter(|e| !e.used)
    }
}

/// Fingerprints listed in an earlier JSON report of ours.
pub fn load_baseline(path: &Path) -> Result<HashSet<String>, String> {
    let name = path.display();
    let text = crate::read::read_config(path, "--baseline")?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{name}: not JSON: {e}"))?;
    let findings = value
        .get("findings")
        .and_then(|f| f.as_array())
        .ok_or_else(|| {
            format!("{name}: not a secret-scanner JSON report (no \"findings\" array)")
        })?;
    findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            f.get("fingerprint")
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .ok_or_else(|| format!("{name}: findings[{i}] has no \"fingerprint\" string"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-06-01").unwrap()
    }

    #[test]
    fn entries_match_by_fingerprint_and_glob_and_expire() {
        let text = r#"
[[ignore]]
fingerprint = "r:aaaa"
reason = "revoked"

[[ignore]]
path = "fixtures/**"
reason = "synthetic"

[[ignore]]
fingerprint = "r:bbbb"
expires = "2026-01-01"

[[ignore]]
fingerprint = "r:cccc"
path = "src/*.py"
"#;
        let mut f = IgnoreFile::parse(".secretsignore", text, today()).unwrap();
        assert_eq!(f.check("r:aaaa", "anything"), Verdict::Suppress);
        assert_eq!(f.check("r:zzzz", "fixtures/a/b.txt"), Verdict::Suppress);
        assert_eq!(f.check("r:bbbb", "x"), Verdict::Report);
        assert_eq!(f.expired_hits.len(), 1);
        assert!(f.expired_hits[0].contains("expired on 2026-01-01"));
        assert_eq!(f.check("r:cccc", "lib/a.py"), Verdict::Report);
        let unused: Vec<usize> = f.unused().map(|e| e.index).collect();
        assert_eq!(unused, [3, 4]);
    }

    #[test]
    fn a_path_only_entry_needs_a_reason() {
        let err = IgnoreFile::parse("x", "[[ignore]]\npath = \"a/**\"\n", today()).unwrap_err();
        assert!(err.contains("needs a `reason`"), "{err}");
        let err = IgnoreFile::parse(
            "x",
            "[[ignore]]\nfingerprint = \"a\"\nexpires = \"soon\"\n",
            today(),
        )
        .unwrap_err();
        assert!(err.contains("invalid `expires`"), "{err}");
    }
}
