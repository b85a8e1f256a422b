//! Step 7 of a history scan: one finding per secret and file.
//!
//! Blobs are scanned once each, but a file that keeps a secret while other
//! lines change is a new blob at every commit. This step folds those
//! findings into the first one, in introduction order:
//!
//! - The identity of a finding is (rule, secret, path): its fingerprint and
//!   its path. The first occurrence in the commit order is reported.
//! - A later occurrence in the same file is folded (counted in
//!   `also_in.commits`, `also_in.last_commit` moves on) when a parent of its
//!   commit still held the secret in that file. If no parent did, the secret
//!   was removed and came back: a new finding, marked `re-added`.
//! - An occurrence in a new file is folded as a rename when a parent held the
//!   secret in a file that the commit no longer has it in; otherwise it is a
//!   new finding marked `copied` (the secret now lives in two places).
//!
//! Cost: one tree lookup per parent for each later occurrence of a secret
//! (not per blob), answered from a cache of (commit, path) lookups.

use std::collections::{HashMap, HashSet};

use gix::ObjectId;

use super::ALSO_IN_CAP;
use super::blobs::BlobIndex;
use super::graph::Walk;
use crate::deliver::Batch;
use crate::finding::{Finding, Introduced};

/// One place a secret lives: the finding reporting it (its batch and index
/// in the batch), and the path it is at now (renames move it).
struct Place {
    seq: usize,
    idx: usize,
    path: String,
    /// The last commit (walk index) where this place was seen holding it.
    last: usize,
}

/// Looks up which blob a commit's tree holds at a path, with a cache.
struct Trees<'r> {
    repo: &'r gix::Repository,
    cache: HashMap<(usize, String), Option<ObjectId>>,
}

impl Trees<'_> {
    fn blob_at(&mut self, walk: &Walk, commit: usize, path: &str) -> Option<ObjectId> {
        // A member of an archive lives in the archive's blob.
        let path = path.split_once('!').map_or(path, |(file, _)| file);
        let key = (commit, path.to_string());
        if let Some(hit) = self.cache.get(&key) {
            return *hit;
        }
        let found = self
            .repo
            .find_tree(walk.commits[commit].tree)
            .ok()
            .and_then(|tree| tree.lookup_entry_by_path(path).ok().flatten())
            .filter(|entry| entry.mode().is_blob())
            .map(|entry| entry.object_id());
        self.cache.insert(key, found);
        found
    }

    /// Whether `commit` holds, at `path`, a blob where `fingerprint` was
    /// found.
    fn holds(
        &mut self,
        walk: &Walk,
        holds: &HashMap<ObjectId, HashSet<String>>,
        commit: usize,
        path: &str,
        fingerprint: &str,
    ) -> bool {
        self.blob_at(walk, commit, path)
            .and_then(|b| holds.get(&b))
            .is_some_and(|set| set.contains(fingerprint))
    }
}

/// Folds later occurrences of each (rule, secret, path) into the first.
/// `batches[seq]` holds the results of blob `index.order[seq]`, already
/// attributed. Returns how many findings were folded away.
pub(crate) fn fold(
    repo: &gix::Repository,
    walk: &Walk,
    index: &BlobIndex,
    batches: &mut [Option<Batch>],
) -> u64 {
    // Which fingerprints each scanned blob holds.
    let mut holds: HashMap<ObjectId, HashSet<String>> = HashMap::new();
    for (seq, batch) in batches.iter().enumerate() {
        if let Some(Batch::Scanned { results, .. }) = batch
            && !results.findings.is_empty()
        {
            let set = holds.entry(index.order[seq]).or_default();
            for f in &results.findings {
                set.insert(f.fingerprint.clone());
            }
        }
    }
    let mut trees = Trees {
        repo,
        cache: HashMap::new(),
    };
    let mut places: HashMap<String, Vec<Place>> = HashMap::new();
    let mut folded: Vec<(usize, usize)> = Vec::new();
    // Updates to earlier findings, applied after the walk (they live in
    // other batches than the one being read).
    let mut updates: Vec<(usize, usize, Update)> = Vec::new();

    for (seq, batch) in batches.iter().enumerate() {
        let Some(Batch::Scanned { results, .. }) = batch else {
            continue;
        };
        // Blobs no commit holds have no history to fold.
        let Some(commit) = index.blobs[&index.order[seq]].first.commit else {
            continue;
        };
        let parents: Vec<usize> = walk.commits[commit]
            .parents
            .iter()
            .filter_map(|p| walk.index_of.get(p).copied())
            .collect();
        for (idx, f) in results.findings.iter().enumerate() {
            let list = places.entry(f.fingerprint.clone()).or_default();
            if list.is_empty() {
                list.push(Place {
                    seq,
                    idx,
                    path: f.path.clone(),
                    last: commit,
                });
                continue;
            }
            // The same file: still there (an edit) or back (re-added).
            if let Some(place) = list.iter_mut().find(|p| p.path == f.path) {
                if parents
                    .iter()
                    .any(|&p| trees.holds(walk, &holds, p, &f.path, &f.fingerprint))
                {
                    updates.push((place.seq, place.idx, Update::Edit(commit)));
                    place.last = commit;
                    folded.push((seq, idx));
                } else {
                    let previous = place_name(walk, place.last, &place.path);
                    set_introduced(&mut updates, seq, idx, Introduced::ReAdded { previous });
                    *place = Place {
                        seq,
                        idx,
                        path: f.path.clone(),
                        last: commit,
                    };
                }
                continue;
            }
            // A new file: a rename carries the secret along; otherwise it
            // is a copy.
            let renamed = list.iter().position(|place| {
                parents
                    .iter()
                    .any(|&p| trees.holds(walk, &holds, p, &place.path, &f.fingerprint))
                    && !trees.holds(walk, &holds, commit, &place.path, &f.fingerprint)
            });
            match renamed {
                Some(i) => {
                    let place = &mut list[i];
                    updates.push((place.seq, place.idx, Update::Moved(commit, f.path.clone())));
                    place.path = f.path.clone();
                    place.last = commit;
                    folded.push((seq, idx));
                }
                None => {
                    let first = &list[0];
                    let from = place_name(walk, first.last, &first.path);
                    set_introduced(&mut updates, seq, idx, Introduced::Copied { from });
                    list.push(Place {
                        seq,
                        idx,
                        path: f.path.clone(),
                        last: commit,
                    });
                }
            }
        }
    }

    for (seq, idx, update) in updates {
        if let Some(Batch::Scanned { results, .. }) = &mut batches[seq]
            && let Some(f) = results.findings.get_mut(idx)
        {
            update.apply(f, walk);
        }
    }
    let count = folded.len() as u64;
    let mut by_seq: HashMap<usize, HashSet<usize>> = HashMap::new();
    for (seq, idx) in folded {
        by_seq.entry(seq).or_default().insert(idx);
    }
    for (seq, gone) in by_seq {
        if let Some(Batch::Scanned { results, .. }) = &mut batches[seq] {
            let mut i = 0;
            results.findings.retain(|_| {
                let keep = !gone.contains(&i);
                i += 1;
                keep
            });
        }
    }
    count
}

fn place_name(walk: &Walk, commit: usize, path: &str) -> String {
    format!("{}:{path}", walk.commits[commit].id)
}

fn set_introduced(
    updates: &mut Vec<(usize, usize, Update)>,
    seq: usize,
    idx: usize,
    how: Introduced,
) {
    updates.push((seq, idx, Update::Introduced(how)));
}

/// A change to an earlier finding.
enum Update {
    /// A later commit edited the file and kept the secret.
    Edit(usize),
    /// A later commit renamed the file to this path, keeping the secret.
    Moved(usize, String),
    /// How the place began.
    Introduced(Introduced),
}

impl Update {
    fn apply(self, f: &mut Finding, walk: &Walk) {
        let Some(git) = f.git.as_mut() else {
            return;
        };
        match self {
            Update::Edit(commit) => {
                let id = walk.commits[commit].id.to_string();
                git.also_in.commits += 1;
                git.also_in.last_commit = Some(id);
            }
            Update::Moved(commit, path) => {
                let id = walk.commits[commit].id.to_string();
                git.also_in.commits += 1;
                git.also_in.files += 1;
                if git.also_in.places.len() < ALSO_IN_CAP {
                    git.also_in.places.push(format!("{id}:{path}"));
                }
                git.also_in.last_commit = Some(id);
            }
            Update::Introduced(how) => git.introduced = how,
        }
    }
}
