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
}

/// The tips to start from: the refs asked for, or every ref and `HEAD`.
fn tips(repo: &gix::Repository, options: &GitScanOptions) -> Result<Vec<ObjectId>, String> {
    let mut tips: Vec<ObjectId> = Vec::new();
    if options.branches.is_empty() {
        let platform = repo
            .references()
            .map_err(|e| format!("cannot list refs: {e}"))?;
        let refs = platform
            .all()
            .map_err(|e| format!("cannot list refs: {e}"))?;
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
                .map_err(|e| format!("unknown ref {name:?}: {e}"))?;
            tips.push(id.detach());
        }
    }
    Ok(tips)
}

/// Steps 1 and 2: tips, hidden commits, and the graph of what remains.
pub(crate) fn walk(repo: &gix::Repository, options: &GitScanOptions) -> Result<Walk, String> {
    let tips = tips(repo, options)?;
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
            walk_tree(repo, tree.detach(), &mut seen_trees, |_, _, oid| {
                preexisting.insert(oid);
            })?;
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
            .map_err(|e| format!("commit {id}: {e}"))?
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
    Ok(Walk {
        commits,
        index_of,
        seen_trees,
        preexisting,
    })
}

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
