//! Where the repository is: `--git` and `--staged` given a folder inside a
//! work tree (`secret-scanner scan --staged` from `src/`) scan the whole
//! repository, as `git commit` would, and its `.secretsignore` applies.

use std::path::{Path, PathBuf};

use crate::cli::ScanArgs;

/// The work tree root holding `path`: the nearest folder, from `path` up,
/// with a `.git` entry (a folder, or a file for worktrees and submodules).
/// `None` outside any repository, and for a bare repository given directly.
pub fn work_tree_root(path: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(path).ok()?;
    let mut dir = if start.is_dir() {
        start.as_path()
    } else {
        start.parent()?
    };
    loop {
        if dir.join(".git").exists() {
            return Some(dir.to_path_buf());
        }
        dir = dir.parent()?;
    }
}

/// For `--git` and `--staged` given a folder inside a work tree: the same
/// arguments with the work tree's root as the repository. `None` when there
/// is nothing to change (already the root, a git folder, no repository).
pub fn for_git_modes(args: &ScanArgs) -> Option<ScanArgs> {
    if !(args.git || args.staged) || args.paths.len() != 1 {
        return None;
    }
    let given = &args.paths[0];
    let is_git_dir = given.join("HEAD").is_file() && given.join("objects").is_dir();
    if is_git_dir || given.join(".git").exists() {
        return None;
    }
    let root = work_tree_root(given)?;
    let mut resolved = args.clone();
    resolved.paths = vec![root];
    Some(resolved)
}

/// An ignore file above `dir`, at the root of the work tree holding it, and
/// `dir`'s path under that root (the prefix its findings' paths get when
/// matched against the file's globs).
pub fn ignore_file_above(dir: &Path, name: &str) -> Option<(PathBuf, String)> {
    let root = work_tree_root(dir)?;
    let file = root.join(name);
    if !file.is_file() {
        return None;
    }
    Some((file, prefix_under(&root, dir)?))
}

/// `path` as seen from `root`, `/`-separated (`crates/x/`, or empty when
/// they are the same folder); `None` when `path` is not under `root`.
pub fn prefix_under(root: &Path, path: &Path) -> Option<String> {
    let abs = std::path::absolute(path).ok()?;
    let rel = normalize(&abs)
        .strip_prefix(normalize(root))
        .ok()?
        .to_path_buf();
    let mut out = String::new();
    for part in rel.components() {
        out.push_str(&part.as_os_str().to_string_lossy());
        out.push('/');
    }
    Some(out)
}

/// Removes `.` and resolves `..` lexically (no symlinks followed).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_found_from_a_subfolder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        std::fs::create_dir_all(root.join("a/b")).expect("mkdir");
        let found = work_tree_root(&root.join("a/b")).expect("root");
        assert_eq!(normalize(&found), normalize(root));
        assert_eq!(
            prefix_under(root, &root.join("a/b/.")).as_deref(),
            Some("a/b/")
        );
        assert_eq!(prefix_under(root, root).as_deref(), Some(""));
        assert_eq!(prefix_under(&root.join("a"), root), None);
    }
}
