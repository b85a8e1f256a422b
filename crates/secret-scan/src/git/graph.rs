//! Steps 1 to 3 of a history scan: the tips, the commits hidden by
//! `since_commit`, the commit graph, and its order (roots first).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use gix::ObjectId;

use super::GitScanOptions;
use super::blobs::walk_tree;

/// One commit of the graph: what attribution needs.
pub(crate) struct CommitInfo {
    pub id: ObjectId,
    pub parents: Vec<ObjectId>,
    pub tree: ObjectId,
    pub time: i64,
    pub author: String,
    pub email: String,
    /// Index into [`Walk::tip_names`]: the first tip (in ref order) that
    /// reaches this commit.
    pub reached_from: usize,
}

/// The commits to scan and what `since_commit` already holds.
pub(crate) struct Walk {
    pub commits: Vec<CommitInfo>,
    pub index_of: HashMap<ObjectId, usize>,
    /// Trees already present at `since_commit`: not walked again.
    pub seen_trees: HashSet<ObjectId>,
    /// Blobs already present at `since_commit`: neither scanned nor
    /// attributed to a later commit.
    pub preexisting: HashSet<ObjectId>,
    /// Names of the tips, in the order they were walked; the last is
    /// `(unreachable)` when `all_objects` added commits no ref reaches.
    pub tip_names: Vec<String>,
    /// Commits that could not be read (corrupt or missing, not a shallow
    /// boundary), each with the reason.
    pub unreadable: Vec<String>,
    /// Whether the repository is a shallow clone (history cut short).
    pub shallow: bool,
    /// With `all_objects`: every blob in the object store, sorted.
    pub store_blobs: Vec<ObjectId>,
}

/// Orders ref names: branches, then tags, then remote-tracking refs, then
/// the rest (`refs/pull/...`, notes, stash), each by name.
fn ref_rank(name: &str) -> u8 {
    if name.starts_with("refs/heads/") {
        0
    } else if name.starts_with("refs/tags/") {
        1
    } else if name.starts_with("refs/remotes/") {
        2
    } else if name == "HEAD" {
        3
    } else {
        4
    }
}

/// The tips to start from, with their names: the refs asked for, or every
/// ref and `HEAD`.
fn tips(
    repo: &gix::Repository,
    options: &GitScanOptions,
) -> Result<Vec<(String, ObjectId)>, String> {
    let mut tips: Vec<(String, ObjectId)> = Vec::new();
    if options.branches.is_empty() {
        let platform = repo
            .references()
            .map_err(|e| format!("cannot list refs: {e}"))?;
        let refs = platform
            .all()
            .map_err(|e| format!("cannot list refs: {e}"))?;
        for r in refs {
            let Ok(mut r) = r else { continue };
            let name = r.name().as_bstr().to_string();
            if let Ok(id) = r.peel_to_id() {
                tips.push((name, id.detach()));
            }
        }
        if let Ok(head) = repo.head_id() {
            tips.push(("HEAD".to_string(), head.detach()));
        }
        // The branch HEAD names comes first: commits on it are attributed to
        // it (`refs/heads/main`), not to whichever branch sorts first.
        let head = repo
            .head_name()
            .ok()
            .flatten()
            .map(|n| n.as_bstr().to_string());
        let rank = |name: &str| {
            if Some(name) == head.as_deref() {
                0
            } else {
                1 + ref_rank(name)
            }
        };
        tips.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));
    } else {
        for name in &options.branches {
            let id = repo
                .rev_parse_single(name.as_str())
                .map_err(|e| format!("unknown ref {name:?}: {e}"))?;
            tips.push((name.clone(), id.detach()));
        }
    }
    Ok(tips)
}

/// Every commit and every blob in the object store, reachable or not
/// (`--all-objects`), each sorted by id.
fn all_objects(repo: &gix::Repository) -> Result<(Vec<ObjectId>, Vec<ObjectId>), String> {
    let mut out = Vec::new();
    let mut blobs = Vec::new();
    let iter = repo
        .objects
        .store_ref()
        .iter()
        .map_err(|e| format!("cannot list objects: {e}"))?;
    let mut seen = HashSet::new();
    for id in iter {
        let Ok(id) = id else { continue };
        if !seen.insert(id) {
            continue;
        }
        match repo.find_header(id).map(|h| h.kind()) {
            Ok(gix::object::Kind::Commit) => out.push(id),
            Ok(gix::object::Kind::Blob) => blobs.push(id),
            _ => {}
        }
    }
    out.sort();
    blobs.sort();
    Ok((out, blobs))
}

/// Steps 1 and 2: tips, hidden commits, and the graph of what remains.
pub(crate) fn walk(repo: &gix::Repository, options: &GitScanOptions) -> Result<Walk, String> {
    let mut hidden: HashSet<ObjectId> = HashSet::new();
    let mut seen_trees: HashSet<ObjectId> = HashSet::new();
    let mut preexisting: HashSet<ObjectId> = HashSet::new();
    if let Some(since) = &options.since_commit {
        let id = repo
            .rev_parse_single(since.as_str())
            .map_err(|e| format!("unknown commit {since:?}: {e}"))?
            .detach();
        if let Ok(commit) = repo.find_commit(id)
            && let Ok(tree) = commit.tree_id()
        {
            let mut unreadable = Vec::new();
            walk_tree(
                repo,
                tree.detach(),
                &mut seen_trees,
                &mut unreadable,
                |_, _, oid| {
                    preexisting.insert(oid);
                },
            );
            if let Some(problem) = unreadable.first() {
                return Err(format!("{since}: {problem}"));
            }
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

    let mut tips = tips(repo, options)?;
    let mut store_blobs = Vec::new();
    if options.all_objects {
        let (all_commits, blobs) = all_objects(repo)?;
        store_blobs = blobs;
        for id in all_commits {
            tips.push((UNREACHABLE.to_string(), id));
        }
    }
    let shallow = repo
        .shallow_commits()
        .ok()
        .flatten()
        .is_some_and(|c| !c.is_empty());
    let mut tip_names: Vec<String> = Vec::new();
    let mut commits: Vec<CommitInfo> = Vec::new();
    let mut index_of: HashMap<ObjectId, usize> = HashMap::new();
    let mut unreadable: Vec<String> = Vec::new();
    let mut missing: HashSet<ObjectId> = HashSet::new();
    for (name, tip) in tips {
        if tip_names.last() != Some(&name) {
            tip_names.push(name);
        }
        let reached_from = tip_names.len() - 1;
        let mut stack: Vec<(ObjectId, bool)> = vec![(tip, true)];
        while let Some((id, is_tip)) = stack.pop() {
            if hidden.contains(&id) || index_of.contains_key(&id) || missing.contains(&id) {
                continue;
            }
            let commit = match repo.find_object(id) {
                // Tags may point at trees or blobs: not commits, nothing lost.
                Ok(object) if object.kind != gix::object::Kind::Commit => continue,
                Ok(object) => object.into_commit(),
                Err(e) => {
                    missing.insert(id);
                    // A shallow clone lacks the parents of its boundary
                    // commits; anything else missing is a damaged store.
                    if !shallow || is_tip {
                        unreadable.push(format!("commit {id}: {e}"));
                    }
                    continue;
                }
            };
            let decoded = commit.decode().map_err(|e| e.to_string());
            let (tree, parents, author, email, time) = match decoded {
                Ok(c) => {
                    let (author, email, time) = match c.author() {
                        Ok(sig) => (
                            sig.name.to_string().trim().to_string(),
                            sig.email.to_string().trim().to_string(),
                            sig.time().map_or(0, |t| t.seconds),
                        ),
                        Err(_) => (String::new(), String::new(), 0),
                    };
                    (
                        c.tree(),
                        c.parents().collect::<Vec<ObjectId>>(),
                        author,
                        email,
                        time,
                    )
                }
                Err(e) => {
                    missing.insert(id);
                    unreadable.push(format!("commit {id}: cannot be decoded ({e})"));
                    continue;
                }
            };
            stack.extend(parents.iter().map(|p| (*p, false)));
            index_of.insert(id, commits.len());
            commits.push(CommitInfo {
                id,
                parents,
                tree,
                time,
                author,
                email,
                reached_from,
            });
        }
    }
    Ok(Walk {
        commits,
        index_of,
        seen_trees,
        preexisting,
        tip_names,
        unreadable,
        shallow,
        store_blobs,
    })
}

/// The name given to objects no ref reaches.
pub(crate) const UNREACHABLE: &str = "(unreachable)";

/// Step 3: roots first (Kahn's algorithm), ties broken by (time, id) so the
/// order, and with it attribution, is stable.
pub(crate) fn commit_order(
    commits: &[CommitInfo],
    index_of: &HashMap<ObjectId, usize>,
) -> Vec<usize> {
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
    order
}
