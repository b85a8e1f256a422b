//! Step 4 of a history scan: every commit's tree walked once, each blob
//! attributed to the commit and path that introduced it.

use std::collections::{HashMap, HashSet};

use gix::ObjectId;

use super::ALSO_IN_CAP;
use super::graph::Walk;

/// Where a blob was met: the commit (an index into the walk's commits) and
/// the path.
pub(crate) struct BlobPlace {
    pub commit: usize,
    pub path: String,
}

/// One unique blob: where it was introduced, and where else it appeared.
pub(crate) struct BlobInfo {
    pub first: BlobPlace,
    pub also_in: Vec<String>,
    pub also_in_count: usize,
}

/// Every unique blob, in the order the commits introduced them.
pub(crate) struct BlobIndex {
    pub blobs: HashMap<ObjectId, BlobInfo>,
    pub order: Vec<ObjectId>,
}

impl BlobIndex {
    /// Walks the trees of `order`'s commits, each subtree once.
    pub fn build(repo: &gix::Repository, walk: &Walk, order: &[usize]) -> Result<Self, String> {
        let mut seen_trees = walk.seen_trees.clone();
        let mut blobs: HashMap<ObjectId, BlobInfo> = HashMap::new();
        let mut blob_order: Vec<ObjectId> = Vec::new();
        for &ci in order {
            let commit_id = walk.commits[ci].id;
            walk_tree(
                repo,
                walk.commits[ci].tree,
                &mut seen_trees,
                |path, mode, oid| {
                    // Symlinks hold a path, submodules a commit id: neither is
                    // content of this repository.
                    if !mode.is_blob() || walk.preexisting.contains(&oid) {
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
            )?;
        }
        Ok(BlobIndex {
            blobs,
            order: blob_order,
        })
    }
}

/// Walks the tree `root` depth-first, calling `visit(path, entry mode, id)`
/// for every non-tree entry. Subtrees already in `seen` are skipped (and new
/// ones added), so that across many commits each tree is read once.
pub(crate) fn walk_tree(
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
