//! Git history and staged changes, read in pure Rust with `gix`: no git
//! subprocess, no libgit2.
//!
//! # History
//!
//! [`Scanner::scan_git_history`] scans every blob reachable from the chosen
//! refs (by default all of them: branches, tags, remote-tracking refs and
//! `HEAD`) exactly once:
//!
//! 1. The commit graph is walked from the tips (commits reachable from
//!    `since_commit` are left out) and ordered from the roots, parents before
//!    children, ties broken by commit time then id, so attribution is stable.
//! 2. Each commit's tree is traversed, skipping every subtree already seen
//!    in an earlier commit: a blob is therefore met only where a commit
//!    introduced it. The first commit and path that introduced a blob are the
//!    finding's attribution; later introductions (the same content at another
//!    path or re-added later) are counted in `also_in`.
//! 3. Unique blobs are read and scanned in parallel, one at a time per worker,
//!    so memory holds the blob index (ids and first paths), not contents.
//!    Blobs over the size limit are skipped by their header, unread.
//!
//! Shallow clones are scanned on what they have: a missing parent ends the
//! walk there.
//!
//! # The cache
//!
//! With a cache folder, the results of every scanned blob (findings, or the
//! skip reason) are kept in `cache-<key>.jsonl`, where the key digests the
//! rule catalogue and the options that change results. A re-scan with the
//! same key reads no blob it has already scanned; a changed catalogue starts
//! a new cache. The cache holds the secrets found (as the repository itself
//! does), so it lives inside `.git/` by default.
//!
//! # Staged changes
//!
//! [`Scanner::scan_git_staged`] scans the blobs the index holds that differ
//! from `HEAD` (new files and changed content), as a pre-commit hook needs.//!
//! # Modules
//!
//! The history scan runs the steps its parts are named after: `graph`
//! (tips, hidden commits, the commit graph and its order), `blobs` (each
//! commit's tree walked once, every blob attributed where it was
//! introduced), `cache` (results kept per blob) and the parallel scan here;
//! `staged` scans the index.

mod blobs;
mod cache;
mod graph;
mod places;
mod staged;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use gix::ObjectId;
use rayon::iter::{IndexedParallelIterator, IntoParallelRefIterator, ParallelIterator};
use serde::Serialize;

use crate::confirm::{BufferResults, Scratch};
use crate::deliver::{Batch, Delivery};
use crate::error::Error;
use crate::finding::{AlsoIn, Dropped, Finding, GitOrigin, Introduced, SkipReason, Skipped};
use crate::scanner::Scanner;
use crate::sink::Sink;
use crate::stats::{Counters, Stats};

use blobs::{BlobIndex, BlobInfo};
use cache::{Cache, CacheEntry};
use graph::commit_order;

/// How many places a finding's `also_in.places` lists; `also_in.commits`
/// and `also_in.files` have the full numbers.
pub const ALSO_IN_CAP: usize = 10;

/// Where the history cache lives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum GitCache {
    /// `<git dir>/secret-scanner/`.
    #[default]
    InRepository,
    /// A folder of the caller's choosing.
    Dir(PathBuf),
    /// No cache: every blob is read.
    Off,
}

/// What a history scan covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitScanOptions {
    /// Refs to start from (`main`, `refs/tags/v1`, `origin/dev`); empty means
    /// every ref and `HEAD`.
    pub branches: Vec<String>,
    /// Leave out this commit and its ancestors (any revision `gix` parses:
    /// a full or abbreviated id, a ref name).
    pub since_commit: Option<String>,
    /// Where the cache lives.
    pub cache: GitCache,
    /// Scan every object in the store, reachable or not: commits no ref
    /// reaches (deleted branches, dangling commits) are walked too, and blobs
    /// no commit holds are scanned on their own. Their findings name
    /// `(unreachable)` as the ref.
    pub all_objects: bool,
}

/// Counters of a history scan, beyond the file counters of [`Stats`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct GitStats {
    /// Commits walked.
    pub commits: u64,
    /// Unique blobs met.
    pub blobs: u64,
    /// Blobs read and scanned in this run.
    pub blobs_scanned: u64,
    /// Blobs whose results came from the cache, unread.
    pub blobs_cached: u64,
    /// Findings folded into an earlier finding of the same secret and file
    /// (the same secret in later versions of the file, or after a rename).
    pub findings_folded: u64,
    /// Objects (commits, trees) that could not be read: the scan is
    /// incomplete when this is not zero; each was reported as a warning.
    pub unreadable_objects: u64,
    /// Whether the repository is a shallow clone: history before its
    /// boundary was not scanned.
    pub shallow: bool,
    /// With `all_objects`: blobs no commit holds, scanned on their own.
    pub unreachable_blobs: u64,
}

pub(crate) fn git_err(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Git {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

pub(crate) fn open(path: &Path) -> Result<gix::Repository, Error> {
    if !path.exists() {
        return Err(Error::MissingRoot(path.to_path_buf()));
    }
    let mut repo =
        gix::open(path).map_err(|e| git_err(path, format!("not a git repository ({e})")))?;
    repo.object_cache_size_if_unset(8 * 1024 * 1024);
    Ok(repo)
}

/// RFC 3339 UTC from seconds since the epoch (the epoch itself for a time
/// out of range).
fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

impl Scanner {
    /// Scans the history of the repository at `repo` (its work tree or its
    /// git folder). See the [module docs](crate::git) for the walk, the
    /// attribution and the cache. Results reach `sink` in the order blobs
    /// were first introduced, whatever the thread count.
    pub fn scan_git_history<S: Sink>(
        &self,
        repo_path: &Path,
        options: &GitScanOptions,
        sink: &mut S,
    ) -> Result<(Stats, GitStats), Error> {
        let started = Instant::now();
        let repo = open(repo_path)?;
        let err = |m: String| git_err(repo_path, m);

        // 1-3. Tips, hidden commits, the graph, roots first.
        let walk = graph::walk(&repo, options).map_err(err)?;
        let order = commit_order(&walk.commits, &walk.index_of);
        // 4. Blobs, where each was introduced; with `all_objects`, then the
        // blobs no commit holds.
        let mut index = BlobIndex::build(&repo, &walk, &order);
        let orphans = index.add_orphans(&walk);

        let counters = Counters::default();
        let delivery = Delivery::new(sink);
        for problem in walk.unreadable.iter().chain(&index.unreadable) {
            delivery.warn(&format!("incomplete history: {problem}"));
        }
        if walk.shallow {
            delivery.warn(
                "shallow clone: history before the clone's boundary was not scanned \
                 (fetch it with `git fetch --unshallow`)",
            );
        }

        // 5. The cache.
        let cache = Cache::open(self.cache_file(&repo, &options.cache));

        // 6. Scan what the cache does not know, in parallel. Results are
        // kept per blob (findings, not contents) for step 7.
        let batches: Mutex<Vec<Option<Batch>>> =
            Mutex::new((0..index.order.len()).map(|_| None).collect());
        let put = |seq: usize, batch: Batch| {
            batches.lock().unwrap_or_else(|p| p.into_inner())[seq] = Some(batch);
        };
        let new_entries: Mutex<Vec<CacheEntry>> = Mutex::new(Vec::new());
        let mut to_scan: Vec<(usize, ObjectId)> = Vec::new();
        let mut blobs_cached = 0u64;
        for (seq, oid) in index.order.iter().enumerate() {
            let info = &index.blobs[oid];
            match cache.get(oid) {
                Some(entry) => {
                    blobs_cached += 1;
                    let batch = match &entry.skipped {
                        Some(reason) => {
                            counters.count_skip(reason);
                            Batch::Skipped(Skipped {
                                path: info.first.path.clone(),
                                reason: reason.clone(),
                            })
                        }
                        None => {
                            let findings: Vec<Finding> = entry
                                .findings
                                .iter()
                                .map(|f| attribute(f.clone(), oid, info, &walk))
                                .collect();
                            counters.findings.fetch_add(
                                findings.len() as u64,
                                std::sync::atomic::Ordering::Relaxed,
                            );
                            Batch::Scanned {
                                path: info.first.path.clone(),
                                bytes: 0,
                                results: BufferResults {
                                    findings,
                                    ..BufferResults::default()
                                },
                            }
                        }
                    };
                    put(seq, batch);
                }
                None => to_scan.push((seq, *oid)),
            }
        }
        let shared = repo.clone().into_sync();
        let limit = self.options().max_file_size;
        self.pool.install(|| {
            to_scan.par_iter().with_max_len(1).for_each_init(
                || (shared.to_thread_local(), Scratch::default()),
                |(repo, scratch), (seq, oid)| {
                    if delivery.stopped() {
                        return;
                    }
                    let info = &index.blobs[oid];
                    let path = info.first.path.as_str();
                    let outcome = self.scan_blob(repo, *oid, path, limit, scratch);
                    let (entry, batch) = match outcome {
                        Err(reason) => {
                            counters.count_skip(&reason);
                            (
                                CacheEntry::skipped(oid, reason.clone()),
                                Batch::Skipped(Skipped {
                                    path: path.to_string(),
                                    reason,
                                }),
                            )
                        }
                        Ok((results, len)) => {
                            counters.count_scanned(len, results.findings.len());
                            let entry = CacheEntry::scanned(oid, &results.findings);
                            // Paths inside a blob are relative to it: empty,
                            // or `!member` for an archive's members.
                            let place = |rel: String| format!("{path}{rel}");
                            let results = BufferResults {
                                findings: results
                                    .findings
                                    .into_iter()
                                    .map(|f| attribute(f, oid, info, &walk))
                                    .collect(),
                                dropped: results
                                    .dropped
                                    .into_iter()
                                    .map(|d| Dropped {
                                        path: place(d.path),
                                        ..d
                                    })
                                    .collect(),
                                skipped: results
                                    .skipped
                                    .into_iter()
                                    .map(|s| {
                                        counters.count_skip(&s.reason);
                                        Skipped {
                                            path: place(s.path),
                                            ..s
                                        }
                                    })
                                    .collect(),
                                omitted: results.omitted,
                            };
                            let batch = Batch::Scanned {
                                path: path.to_string(),
                                bytes: len,
                                results,
                            };
                            (entry, batch)
                        }
                    };
                    new_entries
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(entry);
                    put(*seq, batch);
                },
            );
        });

        // 7. One finding per secret and file, then delivery in introduction
        // order.
        let mut batches = batches.into_inner().unwrap_or_else(|p| p.into_inner());
        let folded = places::fold(&repo, &walk, &index, &mut batches);
        counters
            .findings
            .fetch_sub(folded, std::sync::atomic::Ordering::Relaxed);
        for (seq, batch) in batches.into_iter().enumerate() {
            if let Some(batch) = batch {
                delivery.send(seq as u64, batch);
            }
        }

        // 8. Persist the new results. A cache that cannot be written loses
        // no input: a warning, and the next run reads those blobs again.
        let new_entries = new_entries.into_inner().unwrap_or_else(|p| p.into_inner());
        if let Err(message) = cache.append(&new_entries) {
            delivery.warn(&message);
        }
        delivery.finish()?;

        let stats = counters.snapshot(started.elapsed());
        let git = GitStats {
            commits: order.len() as u64,
            blobs: index.order.len() as u64,
            blobs_scanned: to_scan.len() as u64,
            blobs_cached,
            findings_folded: folded,
            unreadable_objects: (walk.unreadable.len() + index.unreadable.len()) as u64,
            shallow: walk.shallow,
            unreachable_blobs: orphans as u64,
        };
        Ok((stats, git))
    }

    /// Reads one blob (refusing it by its header when too large) and
    /// confirms it.
    fn scan_blob(
        &self,
        repo: &gix::Repository,
        oid: ObjectId,
        path: &str,
        limit: u64,
        scratch: &mut Scratch,
    ) -> Result<(BufferResults, u64), SkipReason> {
        let unreadable = |e: &dyn std::fmt::Display| SkipReason::Unreadable {
            error: e.to_string(),
        };
        let header = repo.find_header(oid).map_err(|e| unreadable(&e))?;
        if header.size() > limit {
            return Err(SkipReason::TooLarge {
                size: header.size(),
                limit,
            });
        }
        let blob = repo.find_blob(oid).map_err(|e| unreadable(&e))?;
        // Shown as "": results are relative to the blob (see `attribute`).
        self.confirm_content("", Some(path), &blob.data, scratch)
    }

    fn cache_file(&self, repo: &gix::Repository, cache: &GitCache) -> Option<PathBuf> {
        let dir = match cache {
            GitCache::Off => return None,
            GitCache::Dir(d) => d.clone(),
            GitCache::InRepository => repo.git_dir().join("secret-scanner"),
        };
        let o = self.options();
        let key = format!(
            "{:016x}-{:x}-{}-{}-a{}.{:x}.{}-d{}",
            self.catalog().digest(),
            o.max_file_size,
            u8::from(o.include_binary),
            env!("CARGO_PKG_VERSION"),
            o.archives.max_depth,
            o.archives.max_total_size,
            o.archives.max_ratio,
            o.max_decode_depth,
        );
        Some(dir.join(format!("cache-{key}.jsonl")))
    }
}

/// Gives a blob's finding the path and commit that introduced the blob (or,
/// for a blob no commit holds, the blob alone). The finding's own path is
/// relative to the blob: empty, or `!member` inside an archive.
fn attribute(mut f: Finding, oid: &ObjectId, info: &BlobInfo, walk: &graph::Walk) -> Finding {
    f.path = format!("{}{}", info.first.path, f.path);
    let mut also_in = AlsoIn::default();
    // Each other path the same blob was committed at is one later commit
    // and one other file.
    also_in.commits = info.other_paths.len();
    also_in.files = info.other_paths.len();
    also_in.places = info.also_in.clone();
    let mut origin = GitOrigin {
        commit: String::new(),
        author: String::new(),
        email: String::new(),
        date: String::new(),
        blob: oid.to_string(),
        reached_from: graph::UNREACHABLE.to_string(),
        introduced: Introduced::First,
        also_in,
    };
    if let Some(ci) = info.first.commit {
        let c = &walk.commits[ci];
        origin.commit = c.id.to_string();
        origin.author = c.author.clone();
        origin.email = c.email.clone();
        origin.date = rfc3339(c.time);
        origin.reached_from = walk.tip_names[c.reached_from].clone();
    }
    f.git = Some(origin);
    f
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_rfc3339_utc() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            super::rfc3339(1_767_225_600 + 3_723),
            "2026-01-01T01:02:03Z"
        );
    }
}
