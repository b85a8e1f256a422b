//! Staged changes: the index entries whose content differs from `HEAD`.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use gix::ObjectId;

use super::blobs::walk_tree;
use super::{git_err, open};
use crate::confirm::Scratch;
use crate::deliver::{Batch, Delivery};
use crate::error::Error;
use crate::finding::{SkipReason, Skipped};
use crate::scanner::Scanner;
use crate::sink::Sink;
use crate::stats::{Counters, Stats};

impl Scanner {
    /// Scans what is staged: every index entry whose content differs from
    /// `HEAD` (new files, changed files), in index order. Paths are the index
    /// paths; there is no commit yet, so findings carry no git origin.
    pub fn scan_git_staged<S: Sink>(&self, repo_path: &Path, sink: &mut S) -> Result<Stats, Error> {
        let started = Instant::now();
        let repo = open(repo_path)?;
        let err = |m: String| git_err(repo_path, m);
        let index = repo
            .index_or_empty()
            .map_err(|e| err(format!("cannot read the index: {e}")))?;
        // The HEAD tree as path -> blob id (empty before the first commit).
        let mut head: HashMap<String, ObjectId> = HashMap::new();
        if let Ok(tree_id) = repo.head_tree_id() {
            let mut unreadable = Vec::new();
            walk_tree(
                &repo,
                tree_id.detach(),
                &mut HashSet::new(),
                &mut unreadable,
                |path, _, oid| {
                    head.insert(path, oid);
                },
            );
            if let Some(problem) = unreadable.into_iter().next() {
                return Err(err(format!("HEAD: {problem}")));
            }
        }
        let counters = Counters::default();
        let delivery = Delivery::new(sink);
        let mut scratch = Scratch::default();
        let limit = self.options().max_file_size;
        let mut seq = 0u64;
        use gix::index::entry::Mode;
        for entry in index.entries() {
            if delivery.stopped() {
                break;
            }
            if !(entry.mode == Mode::FILE || entry.mode == Mode::FILE_EXECUTABLE) {
                continue;
            }
            let path = entry.path(&index).to_string();
            if head.get(&path) == Some(&entry.id) {
                continue;
            }
            // The size comes from the object's header: a blob over the
            // limit is refused before it is read.
            let outcome = match repo.find_header(entry.id) {
                Err(e) => Err(SkipReason::Unreadable {
                    error: e.to_string(),
                }),
                Ok(header) if header.size() > limit => Err(SkipReason::TooLarge {
                    size: header.size(),
                    limit,
                }),
                Ok(_) => match repo.find_blob(entry.id) {
                    Err(e) => Err(SkipReason::Unreadable {
                        error: e.to_string(),
                    }),
                    Ok(blob) => self.confirm_content(&path, Some(&path), &blob.data, &mut scratch),
                },
            };
            let batch = match outcome {
                Err(reason) => {
                    counters.count_skip(&reason);
                    Batch::Skipped(Skipped { path, reason })
                }
                Ok((results, len)) => {
                    counters.count_scanned(len, results.findings.len());
                    for s in &results.skipped {
                        counters.count_skip(&s.reason);
                    }
                    Batch::Scanned {
                        path,
                        bytes: len,
                        results,
                    }
                }
            };
            delivery.send(seq, batch);
            seq += 1;
        }
        delivery.finish()?;
        Ok(counters.snapshot(started.elapsed()))
    }
}
