//! Step 4 of a history scan: every commit's tree walked once, each blob
//! attributed to the commit and path that introduced it.

use std::collections::{HashMap, HashSet};

use gix::ObjectId;

use super::ALSO_IN_CAP;
use super::graph::Walk;

/// Where a blob was met: the commit (an index into the walk's commits; none
/// for a blob no commit holds) and the path.
pub(crate) struct BlobPlace {
    pub commit: Option<usize>,
    pub path: String,
}

/// One unique blob: where it was introduced, and the other paths it was
/// committed at (the same content under another name).
pub(crate) struct BlobInfo {
    pub first: BlobPlace,
    /// Some other places, as `commit:path`, capped.
    pub also_in: Vec<String>,
    /// The other paths it was committed at, each once (hashed: a blob at
    /// thousands of vendored paths costs eight bytes a path).
    pub other_paths: HashSet<u64>,
}

/// Every unique blob, in the order the commits introduced them.
pub(crate) struct BlobIndex {
    pub blobs: HashMap<ObjectId, BlobInfo>,
    pub order: Vec<ObjectId>,
    /// Trees that could not be read, with the reason: the blobs below them
    /// were not scanned.
    pub unreadable: Vec<String>,
}

impl BlobIndex {
    /// Walks the trees of `order`'s commits, each subtree once.
    pub fn build(repo: &gix::Repository, walk: &Walk, order: &[usize]) -> Self {
        let mut seen_trees = walk.seen_trees.clone();
        let mut blobs: HashMap<ObjectId, BlobInfo> = HashMap::new();
        let mut blob_order: Vec<ObjectId> = Vec::new();
        let mut unreadable: Vec<String> = Vec::new();
        for &ci in order {
            let commit_id = walk.commits[ci].id;
            walk_tree(
                repo,
                walk.commits[ci].tree,
                &mut seen_trees,
                &mut unreadable,
                |path, mode, oid| {
                    // Symlinks hold a path, submodules a commit id: neither is
                    // content of this repository.
                    if !mode.is_blob() || walk.preexisting.contains(&oid) {
                        return;
                    }
                    match blobs.get_mut(&oid) {
                        // The same content at the same path is the file
                        // staying as it was while a sibling changed.
                        Some(info) if info.first.path == path => {}
                        // Another path: counted once, however many later
                        // commits rewrite the tree around it.
                        Some(info) => {
                            if info.other_paths.insert(path_hash(&path))
                                && info.also_in.len() < ALSO_IN_CAP
                            {
                                info.also_in.push(format!("{commit_id}:{path}"));
                            }
                        }
                        None => {
                            blob_order.push(oid);
                            blobs.insert(
                                oid,
                                BlobInfo {
                                    first: BlobPlace {
                                        commit: Some(ci),
                                        path,
                                    },
                                    also_in: Vec::new(),
                                    other_paths: HashSet::new(),
                                },
                            );
                        }
                    }
                },
            );
        }
        BlobIndex {
            blobs,
            order: blob_order,
            unreadable,
        }
    }
}

impl BlobIndex {
    /// Adds the blobs of the object store that no walked commit holds
    /// (`--all-objects`), named `blob:<id>`, after all others. Returns how
    /// many.
    pub fn add_orphans(&mut self, walk: &Walk) -> usize {
        let mut added = 0;
        for oid in &walk.store_blobs {
            if self.blobs.contains_key(oid) || walk.preexisting.contains(oid) {
                continue;
            }
            self.order.push(*oid);
            self.blobs.insert(
                *oid,
                BlobInfo {
                    first: BlobPlace {
                        commit: None,
                        path: format!("blob:{oid}"),
                    },
                    also_in: Vec::new(),
                    other_paths: HashSet::new(),
                },
            );
            added += 1;
        }
        added
    }
}

/// A path's hash for [`BlobInfo::other_paths`] (SipHash with fixed keys:
/// the same in every run).
fn path_hash(path: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    h.finish()
}

/// Walks the tree `root` depth-first, calling `visit(path, entry mode, id)`
/// for every non-tree entry. Subtrees already in `seen` are skipped (and new
/// ones added), so that across many commits each tree is read once. A tree
/// that cannot be read is added to `unreadable` and the walk goes on.
pub(crate) fn walk_tree(
    repo: &gix::Repository,
    root: ObjectId,
    seen: &mut HashSet<ObjectId>,
    unreadable: &mut Vec<String>,
    mut visit: impl FnMut(String, gix::objs::tree::EntryMode, ObjectId),
) {
    let mut trees = vec![(root, String::new())];
    while let Some((tid, prefix)) = trees.pop() {
        if !seen.insert(tid) {
            continue;
        }
        let tree = match repo.find_tree(tid) {
            Ok(tree) => tree,
            Err(e) => {
                let at = if prefix.is_empty() { "/" } else { &prefix };
                unreadable.push(format!("tree {tid} ({at}): {e}"));
                continue;
            }
        };
        let decoded = match tree.decode() {
            Ok(d) => d,
            Err(e) => {
                unreadable.push(format!("tree {tid}: cannot be decoded ({e})"));
                continue;
            }
        };
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
}
