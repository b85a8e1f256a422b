//! The cut of a set of attack paths: the smallest set of controls that
//! breaks every path, and the single control that breaks the most.
//!
//! A hop is broken when every threat that opens it is closed; a threat is
//! closed by any one of its controls; a path is broken when one of its hops
//! is. The smallest set is found by iterative deepening over the hops of the
//! first unbroken path (exact), with a limit on the work past which the
//! greedy answer stands (marked `exact: false`).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::attack::paths::{AttackPath, Hop};

/// Path checks the exact search may make before the greedy answer stands.
const MAX_WORK: usize = 2_000_000;

/// The single control that breaks the most paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SingleCut {
    /// The control.
    pub control: String,
    /// How many paths it breaks alone.
    pub breaks: usize,
}

/// The cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cut {
    /// The smallest set of controls that breaks every path, sorted.
    pub controls: Vec<String>,
    /// How many paths that set breaks (all of them).
    pub breaks: usize,
    /// The single control that breaks the most paths (`null` when no one
    /// control breaks any).
    pub single: Option<SingleCut>,
    /// False when the work limit was reached and the set is the greedy one
    /// (small, maybe not the smallest).
    pub exact: bool,
}

fn hop_broken(h: &Hop, set: &BTreeSet<&str>) -> bool {
    h.threats
        .iter()
        .all(|t| t.controls.iter().any(|c| set.contains(c.as_str())))
}

fn path_broken(p: &AttackPath, set: &BTreeSet<&str>) -> bool {
    p.hops.iter().any(|h| hop_broken(h, set))
}

/// The ways to break one hop given what is already chosen: one control per
/// threat still open, smallest ways first.
fn ways<'a>(h: &'a Hop, set: &BTreeSet<&'a str>) -> Vec<BTreeSet<&'a str>> {
    let mut acc: Vec<BTreeSet<&'a str>> = vec![BTreeSet::new()];
    for t in &h.threats {
        if t.controls.iter().any(|c| set.contains(c.as_str())) {
            continue;
        }
        let mut next = Vec::new();
        for a in &acc {
            for c in &t.controls {
                let mut s = a.clone();
                s.insert(c.as_str());
                next.push(s);
            }
        }
        next.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        next.dedup();
        next.truncate(64);
        acc = next;
    }
    acc
}

fn search<'a>(
    paths: &'a [AttackPath],
    set: &mut BTreeSet<&'a str>,
    budget: usize,
    steps: &mut usize,
) -> Option<bool> {
    let mut open = None;
    for p in paths {
        *steps += 1;
        if !path_broken(p, set) {
            open = Some(p);
            break;
        }
    }
    if *steps > MAX_WORK {
        return None;
    }
    let Some(open) = open else {
        return Some(true);
    };
    if budget == 0 {
        return Some(false);
    }
    for h in &open.hops {
        for way in ways(h, set) {
            if way.len() > budget {
                continue;
            }
            let added: Vec<&str> = way.iter().copied().filter(|c| set.insert(c)).collect();
            let r = search(paths, set, budget - added.len(), steps);
            if r != Some(false) {
                if r.is_none() {
                    for c in &added {
                        set.remove(c);
                    }
                }
                return r;
            }
            for c in &added {
                set.remove(c);
            }
        }
    }
    Some(false)
}

/// Computes the cut of ranked paths.
pub fn the_cut(paths: &[AttackPath]) -> Cut {
    // Greedy upper bound: break each unbroken path at its cheapest hop.
    let mut greedy: BTreeSet<&str> = BTreeSet::new();
    while let Some(p) = paths.iter().find(|p| !path_broken(p, &greedy)) {
        let best = p
            .hops
            .iter()
            .filter_map(|h| ways(h, &greedy).into_iter().next())
            .min_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        match best {
            Some(w) if !w.is_empty() => greedy.extend(w),
            _ => break,
        }
    }
    let mut exact = true;
    let mut chosen = greedy.clone();
    let mut steps = 0usize;
    for budget in 0..greedy.len() {
        let mut set = BTreeSet::new();
        match search(paths, &mut set, budget, &mut steps) {
            Some(true) => {
                chosen = set;
                break;
            }
            Some(false) => {}
            None => {
                exact = false;
                break;
            }
        }
    }
    let breaks = paths.iter().filter(|p| path_broken(p, &chosen)).count();
    let candidates: BTreeSet<&str> = paths
        .iter()
        .flat_map(|p| &p.hops)
        .flat_map(|h| &h.threats)
        .flat_map(|t| t.controls.iter().map(String::as_str))
        .collect();
    let mut single: Option<SingleCut> = None;
    for c in candidates {
        let one = BTreeSet::from([c]);
        let n = paths.iter().filter(|p| path_broken(p, &one)).count();
        if n > 0 && single.as_ref().is_none_or(|s| n > s.breaks) {
            single = Some(SingleCut {
                control: c.to_string(),
                breaks: n,
            });
        }
    }
    Cut {
        controls: chosen.into_iter().map(str::to_string).collect(),
        breaks,
        single,
        exact,
    }
}
