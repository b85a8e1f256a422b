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
use crate::finding::SkipReason;

/// One thing the walk produced: a file to scan, a named stream, or a path
/// that was not scanned and why.
#[derive(Debug)]
pub(crate) enum WalkItem {
    File(PathBuf),
    /// A named input that is not a regular file (a pipe, `/dev/stdin`, a
    /// device), opened before the walk: read to its end, bounded.
    Stream(PathBuf, std::fs::File),
    Skip {
        path: String,
        reason: SkipReason,
    },
}

/// A root as the scanner met it before the walk.
#[derive(Debug)]
pub(crate) enum Root {
    /// A regular file (or a link to one), scanned even if an ignore file
    /// would exclude it.
    File(PathBuf),
    /// A folder, walked.
    Dir(PathBuf),
    /// A named input that is not a regular file, already open.
    Stream(PathBuf, std::fs::File),
}

/// Sends `item` numbered `seq`; `false` when the receiver is gone.
fn send(tx: &SyncSender<(u64, WalkItem)>, seq: &mut u64, item: WalkItem) -> bool {
    if tx.send((*seq, item)).is_err() {
        return false;
    }
    *seq += 1;
    true
}

/// Walks `roots` in order, file names sorted at each level, sending every
/// regular file (and every path not scanned, with the reason) to `tx` with
/// its sequence number. Stops early when the receiver is gone or `stop`
/// says so.
pub(crate) fn walk(
    roots: Vec<Root>,
    options: &ScanOptions,
    tx: &SyncSender<(u64, WalkItem)>,
    stop: &dyn Fn() -> bool,
) {
    let mut seq = 0u64;
    for root in roots {
        let keep_going = match root {
            Root::Stream(path, file) => send(tx, &mut seq, WalkItem::Stream(path, file)),
            Root::File(path) => send(tx, &mut seq, WalkItem::File(path)),
            Root::Dir(path) => walk_one(&path, options, tx, stop, &mut seq),
        };
        if !keep_going || stop() {
            return;
        }
    }
}

/// Walks one root; `false` when the walk must stop.
fn walk_one(
    root: &Path,
    options: &ScanOptions,
    tx: &SyncSender<(u64, WalkItem)>,
    stop: &dyn Fn() -> bool,
    seq: &mut u64,
) -> bool {
    let mut builder = WalkBuilder::new(root);
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
    let mut walked: HashSet<PathBuf> = HashSet::new();
    for result in builder.build() {
        if stop() {
            return false;
        }
        let item = match result {
            Ok(entry) => {
                let Some(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_file() {
                    if honour {
                        walked.insert(entry.path().to_path_buf());
                    }
                    WalkItem::File(entry.into_path())
                } else if kind.is_dir() {
                    continue;
                } else if kind.is_symlink() {
                    // Links are not followed (that is the option's job);
                    // say so rather than pass over them in silence.
                    let target = std::fs::read_link(entry.path())
                        .map(|t| t.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    WalkItem::Skip {
                        path: display_path(entry.path()),
                        reason: SkipReason::Symlink { target },
                    }
                } else {
                    // A pipe, socket or device inside a tree: reading it
                    // could block forever, so it is listed, not read.
                    WalkItem::Skip {
                        path: display_path(entry.path()),
                        reason: SkipReason::Unreadable {
                            error: "not a regular file (a pipe, socket or device inside a \
                                    folder is not read; name it to scan it)"
                                .into(),
                        },
                    }
                }
            }
            Err(err) => WalkItem::Skip {
                path: error_path(&err).unwrap_or_default(),
                reason: SkipReason::Unreadable {
                    error: err.to_string(),
                },
            },
        };
        if !send(tx, seq, item) {
            return false;
        }
    }
    if !honour {
        return true;
    }
    for path in tracked_but_left_out(root, &walked) {
        if stop() || !send(tx, seq, WalkItem::File(path)) {
            return false;
        }
    }
    true
}

/// Regular files tracked by the git repository holding the root (the
/// index), below it, that the walk did not produce: ignored by a
/// `.gitignore` pattern yet committed. Paths are built as the walk builds
/// them (the root joined with the rest), each once.
fn tracked_but_left_out(root: &Path, walked: &HashSet<PathBuf>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(repo) = gix::discover(root) else {
        return out;
    };
    let (Some(workdir), Ok(index)) = (repo.workdir(), repo.index_or_empty()) else {
        return out;
    };
    let (Ok(workdir), Ok(abs_root)) = (workdir.canonicalize(), root.canonicalize()) else {
        return out;
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
        if walked.contains(&path) {
            continue;
        }
        // Deleted from the work tree since: nothing on disk to scan
        // (history mode sees it).
        if path.symlink_metadata().is_ok_and(|m| m.is_file()) {
            out.push(path);
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
