//! Files this tool writes are never reported: the report being written
//! (`-o`), the baseline (`--baseline`), ignore files (`.secretsignore`,
//! `--ignore-file`), and reports of earlier runs recognised by their first
//! bytes. A fingerprint or a rule id in them is not a credential, and a
//! baseline that reports itself can never be clean.

use std::io::Read;
use std::path::{Path, PathBuf};

use secret_scan::{Finding, Sink, forward_sink};

use crate::scan::IGNORE_FILE_NAME;

/// Drops findings in files this tool wrote.
#[derive(Debug)]
pub struct OwnFiles<S> {
    inner: S,
    /// Absolute, normalised paths of the files named on the command line.
    named: Vec<PathBuf>,
    /// Whether paths are files on disk (not history paths), so a report of an
    /// earlier run can be recognised by its content.
    on_disk: bool,
    current_is_own: bool,
    /// Findings dropped here.
    pub dropped: u64,
}

impl<S: Sink> OwnFiles<S> {
    /// `named`: the output, baseline and ignore files of this run.
    pub fn new(inner: S, named: &[&Path], on_disk: bool) -> Self {
        let mut list = Vec::new();
        for path in named {
            if let Some(abs) = absolute(path) {
                // The report is written beside itself first (`.partial`).
                let mut partial = abs.clone().into_os_string();
                partial.push(".partial");
                list.push(PathBuf::from(partial));
                list.push(abs);
            }
        }
        OwnFiles {
            inner,
            named: list,
            on_disk,
            current_is_own: false,
            dropped: 0,
        }
    }

    /// The wrapped sink and the number of findings dropped.
    pub fn into_inner(self) -> (S, u64) {
        (self.inner, self.dropped)
    }

    fn is_own(&self, path: &str) -> bool {
        let p = Path::new(path);
        if p.file_name().is_some_and(|n| n == IGNORE_FILE_NAME) {
            return true;
        }
        if !self.on_disk {
            return false;
        }
        // Compare names first: resolving every scanned path would cost a
        // system call per file.
        let name = p.file_name();
        if self.named.iter().any(|n| n.file_name() == name)
            && absolute(p).is_some_and(|abs| self.named.contains(&abs))
        {
            return true;
        }
        let report_like = p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "json" | "jsonl" | "sarif"));
        report_like && is_our_report(p)
    }
}

fn absolute(path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    // Resolve symlinks where the file exists, so `./a` and `a` compare equal
    // either way.
    Some(abs.canonicalize().unwrap_or(abs))
}

/// Whether the file starts like a report of ours: JSON and JSON Lines
/// findings (`rule_id` with `fingerprint`), SARIF or GitLab reports naming
/// `secret-scanner` as their tool.
pub fn is_our_report(path: &Path) -> bool {
    let mut head = [0u8; 4096];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(n) = file.read(&mut head) else {
        return false;
    };
    looks_like_our_report(&String::from_utf8_lossy(&head[..n]))
}

fn looks_like_our_report(head: &str) -> bool {
    let start = head.trim_start();
    if !start.starts_with('{') {
        return false;
    }
    let ours_by_fields = head.contains("\"rule_id\"")
        && head.contains("\"fingerprint\"")
        && head.contains("\"confidence\"");
    let ours_by_name = head.contains("\"secret-scanner\"")
        && (head.contains("\"runs\"") || head.contains("\"vulnerabilities\""));
    let empty_json_report = start.starts_with("{\n  \"version\"")
        && head.contains("\"findings\": []")
        && head.contains("\"files_scanned\"");
    ours_by_fields || ours_by_name || empty_json_report
}

impl<S: Sink> Sink for OwnFiles<S> {
    type Error = S::Error;
    fn begin(&mut self, path: &str) -> Result<bool, S::Error> {
        self.current_is_own = self.is_own(path);
        self.inner.begin(path)
    }
    fn finding(&mut self, f: Finding) -> Result<bool, S::Error> {
        if self.current_is_own {
            self.dropped += 1;
            return Ok(true);
        }
        self.inner.finding(f)
    }
    fn finish(&mut self, path: &str, bytes: u64) -> Result<bool, S::Error> {
        self.current_is_own = false;
        self.inner.finish(path, bytes)
    }
    forward_sink!(inner: dropped, skipped, warning);
}

#[cfg(test)]
mod tests {
    use super::looks_like_our_report;

    #[test]
    fn our_reports_are_recognised_by_their_first_bytes() {
        assert!(looks_like_our_report(
            "{\"rule_id\":\"x\",\"severity\":\"high\",\"confidence\":\"high\",\"fingerprint\":\"x:1\"}"
        ));
        assert!(looks_like_our_report(
            "{\n  \"runs\": [{\"tool\": {\"driver\": {\"name\": \"secret-scanner\"}}}]"
        ));
        assert!(looks_like_our_report(
            "{\n  \"version\": \"0.1.0\",\n  \"findings\": [],\n  \"stats\": {\"files_scanned\": 1}"
        ));
        assert!(!looks_like_our_report("{\"password\": \"x\"}"));
        assert!(!looks_like_our_report("fingerprint rule_id confidence"));
    }
}
