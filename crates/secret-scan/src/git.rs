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
//! from `HEAD` (new files and changed content), as a pre-commit hook needs.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use gix::ObjectId;
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};
use serde::{Deserialize, Serialize};

use crate::confirm::Scratch;
use crate::error::Error;
use crate::finding::{Finding, GitOrigin, SkipReason, Skipped};
use crate::scanner::{Scanner, deliver, deliver_skip};
use crate::sink::Sink;
use crate::stats::Stats;

/// How many other places a finding's `also_in` lists; `also_in_count` has
/// the full number.
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
}

/// Counters of a history scan, beyond the file counters of [`Stats`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GitStats {
    /// Commits walked.
    pub commits: u64,
    /// Unique blobs met.
    pub blobs: u64,
    /// Blobs read and scanned in this run.
    pub blobs_scanned: u64,
    /// Blobs whose results came from the cache, unread.
    pub blobs_cached: u64,
}

struct CommitInfo {
    id: ObjectId,
    parents: Vec<ObjectId>,
    tree: ObjectId,
    time: i64,
    author: String,
    email: String,
}

struct BlobPlace {
    commit: usize,
    path: String,
}

struct BlobInfo {
    first: BlobPlace,
    also_in: Vec<String>,
    also_in_count: usize,
}

/// One blob's results as the cache stores them: positions within the blob,
/// no path or commit (those come from the walk).
#[derive(Debug, Serialize, Deserialize)]
struct CacheEntry {
    blob: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    skipped: Option<SkipReason>,
}

fn git_err(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Git {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

fn open(path: &Path) -> Result<gix::Repository, Error> {
    if !path.exists() {
        return Err(Error::MissingRoot(path.to_path_buf()));
    }
    let mut repo =
        gix::open(path).map_err(|e| git_err(path, format!("not a git repository ({e})")))?;
    repo.object_cache_size_if_unset(8 * 1024 * 1024);
    Ok(repo)
}

/// RFC 3339 UTC from seconds since the epoch.
fn rfc3339(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Walks the tree `root` depth-first, calling `visit(path, entry mode, id)`
/// for every non-tree entry. Subtrees already in `seen` are skipped (and new
/// ones added), so that across many commits each tree is read once.
fn walk_tree(
    repo: &gix::Repository,
    root: ObjectId,
    seen: &mut HashSet<ObjectId>,
    mut visit: impl FnMut(String, gix::objs::tree::EntryMode, ObjectId),
) -> Result<(), String> {
    let mut trees = vec![(root, String::new())];
    while let Some((tid, prefix)) = trees.pop() {
        if !seen.insert(tid) {
            continue;
        }
        let tree = repo
            .find_tree(tid)
            .map_err(|e| format!("tree {tid}: {e}"))?;
        let decoded = tree.decode().map_err(|e| format!("tree {tid}: {e}"))?;
        for entry in &decoded.entries {
            let path = if prefix.is_empty() {
                entry.filename.to_string()
            } else {
                format!("{prefix}/{}", entry.filename)
            };
            if entry.mode.is_tree() {
                trees.push((entry.oid.to_owned(), path));
            } else {
                visit(path, entry.mode, entry.oid.to_owned());
            }
        }
    }
    Ok(())
}

impl Scanner {
    /// Scans the history of the repository at `repo` (its work tree or its
    /// git folder). See the [module docs](crate::git) for the walk, the
    /// attribution and the cache.
    pub fn scan_git_history<S: Sink>(
        &self,
        repo_path: &Path,
        options: &GitScanOptions,
        sink: &mut S,
    ) -> Result<(Stats, GitStats), Error> {
        let started = Instant::now();
        let repo = open(repo_path)?;
        let err = |m: String| git_err(repo_path, m);

        // 1. Tips and hidden commits.
        let mut tips: Vec<ObjectId> = Vec::new();
        if options.branches.is_empty() {
            let platform = repo
                .references()
                .map_err(|e| err(format!("cannot list refs: {e}")))?;
            let refs = platform
                .all()
                .map_err(|e| err(format!("cannot list refs: {e}")))?;
            for r in refs {
                let Ok(mut r) = r else { continue };
                if let Ok(id) = r.peel_to_id() {
                    tips.push(id.detach());
                }
            }
            if let Ok(head) = repo.head_id() {
                tips.push(head.detach());
            }
        } else {
            for name in &options.branches {
                let id = repo
                    .rev_parse_single(name.as_str())
                    .map_err(|e| err(format!("unknown ref {name:?}: {e}")))?;
                tips.push(id.detach());
            }
        }
        let mut hidden: HashSet<ObjectId> = HashSet::new();
        // Trees and blobs already present at `since_commit`: not new, so
        // neither scanned nor attributed to a later commit.
        let mut seen_trees: HashSet<ObjectId> = HashSet::new();
        let mut preexisting: HashSet<ObjectId> = HashSet::new();
        if let Some(since) = &options.since_commit {
            let id = repo
                .rev_parse_single(since.as_str())
                .map_err(|e| err(format!("unknown commit {since:?}: {e}")))?
                .detach();
            if let Ok(commit) = repo.find_commit(id)
                && let Ok(tree) = commit.tree_id()
            {
                walk_tree(&repo, tree.detach(), &mut seen_trees, |_, _, oid| {
                    preexisting.insert(oid);
                })
                .map_err(err)?;
            }
            let mut stack = vec![id];
            while let Some(c) = stack.pop() {
                if !hidden.insert(c) {
                    continue;
                }
                if let Ok(commit) = repo.find_commit(c) {
                    stack.extend(commit.parent_ids().map(|p| p.detach()));
                }
            }
        }

        // 2. The commit graph.
        let mut commits: Vec<CommitInfo> = Vec::new();
        let mut index_of: HashMap<ObjectId, usize> = HashMap::new();
        let mut stack: Vec<ObjectId> = tips;
        while let Some(id) = stack.pop() {
            if hidden.contains(&id) || index_of.contains_key(&id) {
                continue;
            }
            // Tags may point at trees or blobs; shallow clones lack parents.
            let Ok(commit) = repo.find_commit(id) else {
                continue;
            };
            let tree = commit
                .tree_id()
                .map_err(|e| err(format!("commit {id}: {e}")))?
                .detach();
            let parents: Vec<ObjectId> = commit.parent_ids().map(|p| p.detach()).collect();
            let (author, email, time) = match commit.author() {
                Ok(sig) => (
                    sig.name.to_string().trim().to_string(),
                    sig.email.to_string().trim().to_string(),
                    sig.time().map_or(0, |t| t.seconds),
                ),
                Err(_) => (String::new(), String::new(), 0),
            };
            stack.extend(parents.iter().copied());
            index_of.insert(id, commits.len());
            commits.push(CommitInfo {
                id,
                parents,
                tree,
                time,
                author,
                email,
            });
        }

        // 3. Roots first: Kahn's algorithm, ties by (time, id).
        let mut pending: Vec<usize> = vec![0; commits.len()];
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); commits.len()];
        for (i, c) in commits.iter().enumerate() {
            for p in &c.parents {
                if let Some(&pi) = index_of.get(p) {
                    pending[i] += 1;
                    children[pi].push(i);
                }
            }
        }
        let mut ready: BinaryHeap<Reverse<(i64, ObjectId, usize)>> = commits
            .iter()
            .enumerate()
            .filter(|(i, _)| pending[*i] == 0)
            .map(|(i, c)| Reverse((c.time, c.id, i)))
            .collect();
        let mut order = Vec::with_capacity(commits.len());
        while let Some(Reverse((_, _, i))) = ready.pop() {
            order.push(i);
            for &child in &children[i] {
                pending[child] -= 1;
                if pending[child] == 0 {
                    let c = &commits[child];
                    ready.push(Reverse((c.time, c.id, child)));
                }
            }
        }

        // 4. Blobs, where each was introduced.
        let mut blobs: HashMap<ObjectId, BlobInfo> = HashMap::new();
        let mut blob_order: Vec<ObjectId> = Vec::new();
        for &ci in &order {
            let commit_id = commits[ci].id;
            walk_tree(
                &repo,
                commits[ci].tree,
                &mut seen_trees,
                |path, mode, oid| {
                    // Symlinks hold a path, submodules a commit id: neither is
                    // content of this repository.
                    if !mode.is_blob() || preexisting.contains(&oid) {
                        return;
                    }
                    match blobs.get_mut(&oid) {
                        Some(info) => {
                            info.also_in_count += 1;
                            if info.also_in.len() < ALSO_IN_CAP {
                                info.also_in.push(format!("{commit_id}:{path}"));
                            }
                        }
                        None => {
                            blob_order.push(oid);
                            blobs.insert(
                                oid,
                                BlobInfo {
                                    first: BlobPlace { commit: ci, path },
                                    also_in: Vec::new(),
                                    also_in_count: 0,
                                },
                            );
                        }
                    }
                },
            )
            .map_err(err)?;
        }

        // 5. The cache.
        let cache_file = self.cache_file(&repo, &options.cache);
        let mut cached: HashMap<String, CacheEntry> = HashMap::new();
        if let Some(file) = &cache_file
            && let Ok(f) = fs::File::open(file)
        {
            for line in BufReader::new(f).lines().map_while(Result::ok) {
                if let Ok(entry) = serde_json::from_str::<CacheEntry>(&line) {
                    cached.insert(entry.blob.clone(), entry);
                }
            }
        }

        // 6. Scan what the cache does not know, in parallel.
        let origin = |info: &BlobInfo| {
            let c = &commits[info.first.commit];
            GitOrigin {
                commit: c.id.to_string(),
                author: c.author.clone(),
                email: c.email.clone(),
                date: rfc3339(c.time),
                also_in: info.also_in.clone(),
                also_in_count: info.also_in_count,
            }
        };
        let attribute = |mut f: Finding, info: &BlobInfo| {
            f.path = info.first.path.clone();
            f.git = Some(origin(info));
            f
        };
        let sink = Mutex::new(sink);
        let files = AtomicU64::new(0);
        let bytes = AtomicU64::new(0);
        let found = AtomicU64::new(0);
        let skipped: Mutex<BTreeMap<String, u64>> = Mutex::new(BTreeMap::new());
        let new_entries: Mutex<Vec<CacheEntry>> = Mutex::new(Vec::new());
        let count_skip = |reason: &SkipReason| {
            let mut s = skipped.lock().unwrap_or_else(|p| p.into_inner());
            *s.entry(reason.label().to_string()).or_default() += 1;
        };
        let mut to_scan: Vec<ObjectId> = Vec::new();
        let mut blobs_cached = 0u64;
        for oid in &blob_order {
            let info = &blobs[oid];
            match cached.get(&oid.to_string()) {
                Some(entry) => {
                    blobs_cached += 1;
                    if let Some(reason) = &entry.skipped {
                        count_skip(reason);
                        deliver_skip(&sink, info.first.path.clone(), reason.clone());
                        continue;
                    }
                    let results = crate::confirm::BufferResults {
                        findings: entry
                            .findings
                            .iter()
                            .map(|f| attribute(f.clone(), info))
                            .collect(),
                        dropped: Vec::new(),
                    };
                    found.fetch_add(results.findings.len() as u64, Ordering::Relaxed);
                    deliver(&sink, &info.first.path, 0, results);
                }
                None => to_scan.push(*oid),
            }
        }
        let shared = repo.clone().into_sync();
        let limit = self.options().max_file_size;
        self.pool.install(|| {
            to_scan.par_iter().for_each_init(
                || (shared.to_thread_local(), Scratch::default()),
                |(repo, scratch), oid| {
                    let info = &blobs[oid];
                    let path = info.first.path.as_str();
                    let outcome: Result<(crate::confirm::BufferResults, u64), SkipReason> =
                        (|| {
                            let header =
                                repo.find_header(*oid).map_err(|e| SkipReason::Unreadable {
                                    error: e.to_string(),
                                })?;
                            if header.size() > limit {
                                return Err(SkipReason::TooLarge {
                                    size: header.size(),
                                    limit,
                                });
                            }
                            let blob =
                                repo.find_blob(*oid).map_err(|e| SkipReason::Unreadable {
                                    error: e.to_string(),
                                })?;
                            self.confirm_content(path, Some(path), &blob.data, scratch)
                        })();
                    match outcome {
                        Err(reason) => {
                            count_skip(&reason);
                            new_entries.lock().unwrap_or_else(|p| p.into_inner()).push(
                                CacheEntry {
                                    blob: oid.to_string(),
                                    findings: Vec::new(),
                                    skipped: Some(reason.clone()),
                                },
                            );
                            deliver_skip(&sink, path.to_string(), reason);
                        }
                        Ok((results, len)) => {
                            files.fetch_add(1, Ordering::Relaxed);
                            bytes.fetch_add(len, Ordering::Relaxed);
                            found.fetch_add(results.findings.len() as u64, Ordering::Relaxed);
                            let plain: Vec<Finding> = results
                                .findings
                                .iter()
                                .map(|f| Finding {
                                    path: String::new(),
                                    git: None,
                                    ..f.clone()
                                })
                                .collect();
                            new_entries.lock().unwrap_or_else(|p| p.into_inner()).push(
                                CacheEntry {
                                    blob: oid.to_string(),
                                    findings: plain,
                                    skipped: None,
                                },
                            );
                            let results = crate::confirm::BufferResults {
                                findings: results
                                    .findings
                                    .into_iter()
                                    .map(|f| attribute(f, info))
                                    .collect(),
                                dropped: results.dropped,
                            };
                            deliver(&sink, path, len, results);
                        }
                    }
                },
            );
        });

        // 7. Persist the new results (append-only; a damaged line is
        // ignored on read and its blob scanned again).
        let new_entries = new_entries.into_inner().unwrap_or_else(|p| p.into_inner());
        if let Some(file) = &cache_file
            && !new_entries.is_empty()
        {
            let write = || -> std::io::Result<()> {
                if let Some(dir) = file.parent() {
                    fs::create_dir_all(dir)?;
                }
                let mut out = std::io::BufWriter::new(
                    fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(file)?,
                );
                for entry in &new_entries {
                    serde_json::to_writer(&mut out, entry)?;
                    out.write_all(b"\n")?;
                }
                out.flush()
            };
            if let Err(e) = write() {
                deliver_skip(
                    &sink,
                    file.display().to_string(),
                    SkipReason::Unreadable {
                        error: format!("cannot write the history cache: {e}"),
                    },
                );
            }
        }

        let stats = Stats {
            files_scanned: files.load(Ordering::Relaxed),
            bytes_scanned: bytes.load(Ordering::Relaxed),
            findings: found.load(Ordering::Relaxed),
            skipped: skipped.into_inner().unwrap_or_else(|p| p.into_inner()),
            elapsed: started.elapsed(),
        };
        let git = GitStats {
            commits: order.len() as u64,
            blobs: blob_order.len() as u64,
            blobs_scanned: to_scan.len() as u64,
            blobs_cached,
        };
        Ok((stats, git))
    }

    fn cache_file(&self, repo: &gix::Repository, cache: &GitCache) -> Option<PathBuf> {
        let dir = match cache {
            GitCache::Off => return None,
            GitCache::Dir(d) => d.clone(),
            GitCache::InRepository => repo.git_dir().join("secret-scanner"),
        };
        let key = format!(
            "{:016x}-{:x}-{}-{}",
            self.catalog().digest(),
            self.options().max_file_size,
            u8::from(self.options().include_binary),
            env!("CARGO_PKG_VERSION")
        );
        Some(dir.join(format!("cache-{key}.jsonl")))
    }

    /// Scans what is staged: every index entry whose content differs from
    /// `HEAD` (new files, changed files). Paths are the index paths; there is
    /// no commit yet, so findings carry no git origin.
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
            walk_tree(
                &repo,
                tree_id.detach(),
                &mut HashSet::new(),
                |path, _, oid| {
                    head.insert(path, oid);
                },
            )
            .map_err(err)?;
        }
        let mut counters = Stats::default();
        let sink = Mutex::new(sink);
        let mut scratch = Scratch::default();
        use gix::index::entry::Mode;
        for entry in index.entries() {
            if !(entry.mode == Mode::FILE || entry.mode == Mode::FILE_EXECUTABLE) {
                continue;
            }
            let path = entry.path(&index).to_string();
            if head.get(&path) == Some(&entry.id) {
                continue;
            }
            let outcome = match repo.find_blob(entry.id) {
                Err(e) => Err(SkipReason::Unreadable {
                    error: e.to_string(),
                }),
                Ok(blob) if blob.data.len() as u64 > self.options().max_file_size => {
                    Err(SkipReason::TooLarge {
                        size: blob.data.len() as u64,
                        limit: self.options().max_file_size,
                    })
                }
                Ok(blob) => self.confirm_content(&path, Some(&path), &blob.data, &mut scratch),
            };
            match outcome {
                Err(reason) => {
                    *counters
                        .skipped
                        .entry(reason.label().to_string())
                        .or_default() += 1;
                    crate::scanner::lock(&sink).skipped(Skipped { path, reason });
                }
                Ok((results, len)) => {
                    counters.files_scanned += 1;
                    counters.bytes_scanned += len;
                    counters.findings += results.findings.len() as u64;
                    deliver(&sink, &path, len, results);
                }
            }
        }
        counters.elapsed = started.elapsed();
        Ok(counters)
    }
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
