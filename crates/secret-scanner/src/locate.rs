//! Paths for code scanning: SARIF and GitLab reports locate findings relative
//! to the repository root (SARIF's `%SRCROOT%`), whatever path was given on
//! the command line (`/home/ci/work/repo/src/a.py` becomes `src/a.py`), so
//! that GitHub and GitLab can open the file at the line.

use std::path::{Path, PathBuf};

use secret_scan::{Finding, Sink, forward_sink};

/// Rewrites finding paths relative to `base`. History findings keep their
/// paths: they are already relative to the repository root.
#[derive(Debug)]
pub struct Relocate<S> {
    inner: S,
    base: Option<PathBuf>,
}

impl<S: Sink> Relocate<S> {
    /// No rewriting when `base` is `None`.
    pub fn new(inner: S, base: Option<PathBuf>) -> Self {
        let base = base.and_then(|b| std::path::absolute(&b).ok());
        Relocate { inner, base }
    }

    /// The wrapped sink.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

/// The folder code-scanning paths are relative to: the repository holding
/// the first scanned folder (or the current folder), else that folder.
pub fn source_root(paths: &[PathBuf]) -> PathBuf {
    let first = paths
        .iter()
        .find(|p| p.as_os_str() != "-")
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let folder = if first.is_dir() {
        first
    } else {
        first
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    };
    crate::repo::work_tree_root(&folder).unwrap_or(folder)
}

/// `path` relative to `base` with `/` separators, or `path` as it was when
/// it is not under `base` (or is not a file path at all, like `<stdin>`).
pub fn relative(path: &str, base: &Path) -> String {
    if path.starts_with('<') {
        return path.to_string();
    }
    let Ok(abs) = std::path::absolute(Path::new(path)) else {
        return path.to_string();
    };
    let Some(under) = crate::repo::prefix_under(base, &abs) else {
        return path.to_string();
    };
    under.trim_end_matches('/').to_string()
}

impl<S: Sink> Sink for Relocate<S> {
    type Error = S::Error;
    fn finding(&mut self, mut f: Finding) -> Result<bool, S::Error> {
        if let Some(base) = &self.base
            && f.git.is_none()
        {
            f.path = relative(&f.path, base);
        }
        self.inner.finding(f)
    }
    forward_sink!(inner: begin, dropped, finish, skipped, warning);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_to_the_source_root() {
        let base = std::env::temp_dir().join("repo");
        let inside = base.join("src").join("a.py");
        assert_eq!(relative(&inside.to_string_lossy(), &base), "src/a.py");
        assert_eq!(relative("<stdin>", &base), "<stdin>");
        let outside = std::env::temp_dir().join("elsewhere.txt");
        assert_eq!(
            relative(&outside.to_string_lossy(), &base),
            outside.to_string_lossy()
        );
    }
}
