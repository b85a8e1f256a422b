//! The walk: which files under the roots are scanned.
//!
//! Built on the `ignore` crate (ripgrep's walker): `.gitignore` applies inside
//! a git repository, `.ignore` files everywhere, both only when
//! [`honour_ignore_files`](crate::ScanOptions::honour_ignore_files) is set.
//!
//! `.gitignore` hides untracked files only: a file the repository tracks is
//! committed and pushed whatever `.gitignore` says (a `*.json` pattern added
//! after fixtures were committed), so after the walk every tracked file under
//! a root that the walk left out is scanned too, in index order.
//! Hidden files are scanned (`.env`, `.npmrc` and `.netrc` are where
//! credentials live); the `.git` folder itself is not (history is scanned by
//! blob, not by path).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use ignore::WalkBuilder;

use crate::ScanOptions;

/// One thing the walk produced: a file to scan, or a path that could not be
/// visited.
#[derive(Debug)]
pub(crate) enum WalkItem {
    File(PathBuf),
    Error { path: String, error: String },
}

/// Walks `roots` in order, file names sorted at each level, sending every
/// regular file (and every error) to `tx` with its sequence number. Stops
/// early when the receiver is gone or `stop` says so.
pub(crate) fn walk(
    roots: &[PathBuf],
    options: &ScanOptions,
    tx: &SyncSender<(u64, WalkItem)>,
    stop: &dyn Fn() -> bool,
) {
    let Some((first, rest)) = roots.split_first() else {
        return;
    };
    let mut builder = WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    let honour = options.honour_ignore_files;
    builder
        .hidden(false)
        .follow_links(options.follow_symlinks)
        .git_ignore(honour)
        .git_exclude(honour)
        .git_global(false)
        .ignore(honour)
        .parents(honour)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|entry| entry.file_name() != ".git");
    let mut seq = 0u64;
    let mut walked: HashSet<PathBuf> = HashSet::new();
    for result in builder.build() {
        if stop() {
            return;
        }
        let item = match result {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if !is_file {
                    continue;
                }
                if honour {
                    walked.insert(entry.path().to_path_buf());
                }
                WalkItem::File(entry.into_path())
            }
            Err(err) => WalkItem::Error {
                path: error_path(&err).unwrap_or_default(),
                error: err.to_string(),
            },
        };
        if tx.send((seq, item)).is_err() {
            return;
        }
        seq += 1;
    }
    if !honour {
        return;
    }
    for path in tracked_but_left_out(roots, &walked) {
        if stop() || tx.send((seq, WalkItem::File(path))).is_err() {
            return;
        }
        seq += 1;
    }
}

/// Regular files tracked by the git repository holding each root (the
/// index), below that root, that the walk did not produce: ignored by a
/// `.gitignore` pattern yet committed. Paths are built as the walk builds
/// them (the root joined with the rest), each once.
fn tracked_but_left_out(roots: &[PathBuf], walked: &HashSet<PathBuf>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for root in roots {
        if !root.is_dir() {
            continue;
        }
        let Ok(repo) = gix::discover(root) else {
            continue;
        };
        let (Some(workdir), Ok(index)) = (repo.workdir(), repo.index_or_empty()) else {
            continue;
        };
        let (Ok(workdir), Ok(abs_root)) = (workdir.canonicalize(), root.canonicalize()) else {
            continue;
        };
        use gix::index::entry::Mode;
        for entry in index.entries() {
            if !(entry.mode == Mode::FILE || entry.mode == Mode::FILE_EXECUTABLE) {
                continue;
            }
            let Ok(rel) = std::str::from_utf8(entry.path(&index)) else {
                continue;
            };
            let abs = workdir.join(rel);
            let Ok(below) = abs.strip_prefix(&abs_root) else {
                continue;
            };
            let path = root.join(below);
            if walked.contains(&path) || !seen.insert(path.clone()) {
                continue;
            }
            // Deleted from the work tree since: nothing on disk to scan
            // (history mode sees it).
            if path.symlink_metadata().is_ok_and(|m| m.is_file()) {
                out.push(path);
            }
        }
    }
    out
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(display_path(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// The path as reports show it: as walked, `/`-separated, without a leading
/// `./`.
pub(crate) fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}
