//! The walk: which files under the roots are scanned.
//!
//! Built on the `ignore` crate (ripgrep's walker): `.gitignore` applies inside
//! a git repository, `.ignore` files everywhere, both only when
//! [`honour_ignore_files`](crate::ScanOptions::honour_ignore_files) is set.
//! Hidden files are scanned (`.env`, `.npmrc` and `.netrc` are where
//! credentials live); the `.git` folder itself is not (history is scanned by
//! blob, not by path).

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
