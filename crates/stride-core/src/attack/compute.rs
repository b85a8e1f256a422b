//! Attributes computed bottom-up over an attack tree, the way attack-defence
//! tree tools compute attribute domains: probability, minimal cost, minimal
//! skill and detection for every node; the cheapest and the likeliest way to
//! the root; the minimal cut sets of leaves and of countermeasures; and what
//! applying each countermeasure not yet applied would change.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::attack::tree::{AttackTree, Detection, Gate, Node, Skill};

/// At most this many cut sets are kept per node while they are combined
/// (the smallest first); past it the lists are marked incomplete.
pub const MAX_CUT_SETS: usize = 256;

/// One node's computed attributes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeValue {
    /// The node's id.
    pub id: String,
    /// `or`, `and` or `leaf`.
    pub gate: &'static str,
    /// Chance the node is reached: OR `1 − Π(1 − pᵢ)`, AND `Π pᵢ`; 0 when
    /// impossible.
    pub probability: f64,
    /// Minimal cost: OR min, AND sum; `null` (infinite) when impossible.
    pub cost: Option<f64>,
    /// Minimal skill: OR min, AND max; `null` when impossible.
    pub skill: Option<Skill>,
    /// Whether an attacker can reach it with the applied countermeasures.
    pub possible: bool,
    /// The node's title (or id).
    pub title: String,
    /// Least detection an attacker can get away with: OR min, AND max;
    /// `null` when impossible.
    pub detection: Option<Detection>,
    /// Depth below the root (0 for the root), for indented listings.
    #[serde(skip)]
    pub depth: usize,
}

/// The root's attributes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RootValue {
    /// The root's id.
    pub id: String,
    /// Its probability.
    pub probability: f64,
    /// Its minimal cost (`null`: unreachable).
    pub cost: Option<f64>,
    /// Its minimal skill (`null`: unreachable).
    pub skill: Option<Skill>,
}

/// The cheapest way to the root.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cheapest {
    /// Its total cost (`null`: unreachable).
    pub cost: Option<f64>,
    /// The leaves it takes, in tree order.
    pub leaves: Vec<String>,
}

/// The likeliest way to the root: the set of leaves whose joint success
/// (the product of their probabilities) is highest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Likeliest {
    /// The product of its leaves' probabilities.
    pub probability: f64,
    /// The leaves it takes, in tree order.
    pub leaves: Vec<String>,
}

/// What applying one countermeasure would change at the root.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    /// The countermeasure's id.
    pub countermeasure: String,
    /// The root's probability with it applied.
    pub probability: f64,
    /// The root's minimal cost with it applied.
    pub cost: Option<f64>,
    /// The root's minimal skill with it applied.
    pub skill: Option<Skill>,
    /// Whether the root stays reachable.
    pub possible: bool,
}

/// Everything computed over a tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The tree's title.
    pub title: String,
    /// The root.
    pub root: RootValue,
    /// The cheapest way.
    pub cheapest: Cheapest,
    /// The likeliest way.
    pub likeliest: Likeliest,
    /// Minimal sets of leaves whose removal makes the root unreachable,
    /// smallest first; empty when it already is.
    pub cut_sets: Vec<Vec<String>>,
    /// Minimal sets of countermeasures not yet applied whose application
    /// makes the root unreachable, smallest first.
    pub countermeasure_cut_sets: Vec<Vec<String>>,
    /// False when a cut-set list was cut short at [`MAX_CUT_SETS`], or the
    /// search gave up on a tree too large (the lists then hold what was found).
    pub cut_sets_complete: bool,
    /// For each countermeasure not yet applied, the root with it applied.
    pub what_if: Vec<WhatIf>,
    /// Every node, parent before children.
    pub nodes: Vec<NodeValue>,
}

/// A node's value with the ways found below it.
struct Value {
    probability: f64,
    cost: Option<f64>,
    skill: Option<Skill>,
    detection: Option<Detection>,
    possible: bool,
    cheapest: Vec<String>,
    best_probability: f64,
    likeliest: Vec<String>,
}

fn value(n: &Node, applied: &BTreeSet<&str>, out: &mut BTreeMap<String, Value>) -> (f64, bool) {
    let countered = n.countered_by.iter().any(|c| applied.contains(c.as_str()));
    let v = if n.is_leaf() {
        let possible = !countered;
        Value {
            probability: if possible {
                n.probability.unwrap_or(1.0)
            } else {
                0.0
            },
            cost: possible.then(|| n.cost.unwrap_or(0.0)),
            skill: possible.then(|| n.skill.unwrap_or_default()),
            detection: possible.then(|| n.detection.unwrap_or_default()),
            possible,
            cheapest: if possible { vec![n.id.clone()] } else { vec![] },
            best_probability: if possible {
                n.probability.unwrap_or(1.0)
            } else {
                0.0
            },
            likeliest: if possible { vec![n.id.clone()] } else { vec![] },
        }
    } else {
        for c in &n.children {
            value(c, applied, out);
        }
        let kids: Vec<&Value> = n.children.iter().filter_map(|c| out.get(&c.id)).collect();
        let live: Vec<&Value> = kids.iter().copied().filter(|k| k.possible).collect();
        let mut v = match n.gate {
            Some(Gate::And) => {
                let possible = live.len() == kids.len();
                Value {
                    probability: kids.iter().map(|k| k.probability).product(),
                    cost: if possible {
                        kids.iter().map(|k| k.cost).sum()
                    } else {
                        None
                    },
                    skill: if possible {
                        kids.iter().filter_map(|k| k.skill).max()
                    } else {
                        None
                    },
                    detection: if possible {
                        kids.iter().filter_map(|k| k.detection).max()
                    } else {
                        None
                    },
                    possible,
                    cheapest: if possible {
                        kids.iter().flat_map(|k| k.cheapest.clone()).collect()
                    } else {
                        vec![]
                    },
                    best_probability: if possible {
                        kids.iter().map(|k| k.best_probability).product()
                    } else {
                        0.0
                    },
                    likeliest: if possible {
                        kids.iter().flat_map(|k| k.likeliest.clone()).collect()
                    } else {
                        vec![]
                    },
                }
            }
            _ => {
                let cheap = live
                    .iter()
                    .copied()
                    .fold(None::<&Value>, |best, k| match best {
                        Some(b) if b.cost <= k.cost => Some(b),
                        _ => Some(k),
                    });
                let likely = live
                    .iter()
                    .copied()
                    .fold(None::<&Value>, |best, k| match best {
                        Some(b) if b.best_probability >= k.best_probability => Some(b),
                        _ => Some(k),
                    });
                Value {
                    probability: 1.0 - kids.iter().map(|k| 1.0 - k.probability).product::<f64>(),
                    cost: cheap.and_then(|k| k.cost),
                    skill: live.iter().filter_map(|k| k.skill).min(),
                    detection: live.iter().filter_map(|k| k.detection).min(),
                    possible: !live.is_empty(),
                    cheapest: cheap.map(|k| k.cheapest.clone()).unwrap_or_default(),
                    best_probability: likely.map_or(0.0, |k| k.best_probability),
                    likeliest: likely.map(|k| k.likeliest.clone()).unwrap_or_default(),
                }
            }
        };
        if countered {
            v = Value {
                probability: 0.0,
                cost: None,
                skill: None,
                detection: None,
                possible: false,
                cheapest: vec![],
                best_probability: 0.0,
                likeliest: vec![],
            };
        }
        v
    };
    let r = (v.probability, v.possible);
    out.insert(n.id.clone(), v);
    r
}

/// Operations (set unions and subset checks) the cut-set search may make in
/// all before it gives up on the nodes left (their lists come back empty
/// and incomplete).
const MAX_CUT_WORK: usize = 2_000_000;

/// A cut set: sorted, distinct interned ids.
type Set = Vec<u32>;

fn union(a: &Set, b: &Set) -> Set {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

fn is_subset(small: &Set, big: &Set) -> bool {
    let mut j = 0;
    for x in small {
        while j < big.len() && big[j] < *x {
            j += 1;
        }
        if j == big.len() || big[j] != *x {
            return false;
        }
        j += 1;
    }
    true
}

/// What the cut-set search carries along.
struct CutSearch<'a> {
    by_leaf: bool,
    applied: &'a BTreeSet<&'a str>,
    values: &'a BTreeMap<String, Value>,
    complete: bool,
    work: usize,
    /// Interned ids, sorted by name so that sorted sets sort by name.
    ids: BTreeMap<&'a str, u32>,
}

impl CutSearch<'_> {
    fn id(&self, name: &str) -> u32 {
        self.ids.get(name).copied().unwrap_or(u32::MAX)
    }

    /// Sets sorted smallest first, then by their ids; supersets dropped; at
    /// most [`MAX_CUT_SETS`] kept.
    fn minimize(&mut self, sets: &mut Vec<Set>) {
        sets.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        sets.dedup();
        let mut kept: Vec<Set> = Vec::new();
        for s in sets.drain(..) {
            if kept.len() == MAX_CUT_SETS || self.work > MAX_CUT_WORK {
                self.complete = false;
                break;
            }
            self.work += kept.len();
            if !kept.iter().any(|k| is_subset(k, &s)) {
                kept.push(s);
            }
        }
        *sets = kept;
    }
}

/// The minimal ways to make `n` unreachable: sets of leaves, or of
/// countermeasures not yet applied. Empty: it cannot be made unreachable
/// that way (or the work limit was reached, and `complete` is false).
fn cuts(n: &Node, cs: &mut CutSearch<'_>) -> Vec<Set> {
    if !cs.values.get(&n.id).is_some_and(|v| v.possible) {
        return vec![Vec::new()];
    }
    if cs.work > MAX_CUT_WORK {
        cs.complete = false;
        return vec![];
    }
    let mut sets: Vec<Set> = if n.is_leaf() {
        if cs.by_leaf {
            vec![vec![cs.id(&n.id)]]
        } else {
            vec![]
        }
    } else {
        let child: Vec<Vec<Set>> = n.children.iter().map(|c| cuts(c, cs)).collect();
        match n.gate {
            Some(Gate::And) => child.into_iter().flatten().collect(),
            _ => {
                // Every child must be cut: combine one way from each.
                let mut acc: Vec<Set> = vec![Vec::new()];
                for ways in child {
                    cs.work += acc.len() * ways.len();
                    if cs.work > MAX_CUT_WORK {
                        cs.complete = false;
                        acc.clear();
                        break;
                    }
                    let mut next = Vec::with_capacity(acc.len() * ways.len());
                    for a in &acc {
                        for w in &ways {
                            next.push(union(a, w));
                        }
                    }
                    cs.minimize(&mut next);
                    acc = next;
                    if acc.is_empty() {
                        break;
                    }
                }
                acc
            }
        }
    };
    if !cs.by_leaf {
        for c in &n.countered_by {
            if !cs.applied.contains(c.as_str()) {
                sets.push(vec![cs.id(c)]);
            }
        }
    }
    cs.minimize(&mut sets);
    sets
}

/// Ids in first-seen order, each once (a shared leaf may be reached twice).
fn dedup(ids: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    ids.iter().filter(|i| seen.insert(*i)).cloned().collect()
}

/// Computes every attribute of a tree.
pub fn evaluate(tree: &AttackTree) -> Evaluation {
    let applied = tree.applied();
    let mut values = BTreeMap::new();
    value(&tree.root, &applied, &mut values);
    let mut nodes = Vec::new();
    let mut stack = vec![(&tree.root, 0usize)];
    while let Some((n, depth)) = stack.pop() {
        if let Some(v) = values.get(&n.id) {
            nodes.push(NodeValue {
                id: n.id.clone(),
                gate: n.gate.map_or("leaf", Gate::as_str),
                probability: v.probability,
                cost: v.cost,
                skill: v.skill,
                possible: v.possible,
                title: n.label().to_string(),
                detection: v.detection,
                depth,
            });
        }
        for c in n.children.iter().rev() {
            stack.push((c, depth + 1));
        }
    }
    let fallback = Value {
        probability: 0.0,
        cost: None,
        skill: None,
        detection: None,
        possible: false,
        cheapest: vec![],
        best_probability: 0.0,
        likeliest: vec![],
    };
    let root = values.get(&tree.root.id).unwrap_or(&fallback);
    let mut names: BTreeSet<&str> = tree.root.walk().iter().map(|n| n.id.as_str()).collect();
    names.extend(tree.countermeasures.iter().map(|c| c.id.as_str()));
    let mut search = CutSearch {
        by_leaf: true,
        applied: &applied,
        values: &values,
        complete: true,
        work: 0,
        ids: names
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, i as u32))
            .collect(),
    };
    let by_id: Vec<&str> = names.iter().copied().collect();
    let as_lists = |sets: Vec<Set>| -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = sets
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.into_iter()
                    .filter_map(|i| by_id.get(i as usize).map(|n| n.to_string()))
                    .collect()
            })
            .collect();
        out.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        out
    };
    let cut_sets = as_lists(cuts(&tree.root, &mut search));
    search.by_leaf = false;
    search.work = 0;
    let countermeasure_cut_sets = as_lists(cuts(&tree.root, &mut search));
    let complete = search.complete;
    let what_if = tree
        .countermeasures
        .iter()
        .filter(|c| !c.applied)
        .map(|c| {
            let mut with = applied.clone();
            with.insert(c.id.as_str());
            let mut vals = BTreeMap::new();
            value(&tree.root, &with, &mut vals);
            let r = vals.get(&tree.root.id).unwrap_or(&fallback);
            WhatIf {
                countermeasure: c.id.clone(),
                probability: r.probability,
                cost: r.cost,
                skill: r.skill,
                possible: r.possible,
            }
        })
        .collect();
    Evaluation {
        title: tree.label().to_string(),
        root: RootValue {
            id: tree.root.id.clone(),
            probability: root.probability,
            cost: root.cost,
            skill: root.skill,
        },
        cheapest: Cheapest {
            cost: root.cost,
            leaves: dedup(&root.cheapest),
        },
        likeliest: Likeliest {
            probability: root.best_probability,
            leaves: dedup(&root.likeliest),
        },
        cut_sets,
        countermeasure_cut_sets,
        cut_sets_complete: complete,
        what_if,
        nodes,
    }
}
