//! Facts that span the model: how elements relate, not what one element
//! says about itself.
//!
//! A reviewer reads a diagram for its relations first: a store several
//! services share, data leaving for a vendor, an asset a few unauthenticated
//! hops from the internet, an identity provider everyone trusts, a queue
//! whose producers nobody checks. These facts are computed once per model
//! (linear in elements plus flows, with one breadth-first search over the
//! flows for the internet distances) and join each element's own facts
//! under the same names, so rules use them like any other fact:
//!
//! | fact | kind | meaning |
//! |---|---|---|
//! | `writers` | count | distinct elements with a flow into it |
//! | `shared_by` | count | distinct processes with a flow to or from it |
//! | `mixes_classifications` | bool | stores data of two or more classifications, the highest confidential or restricted (or credentials next to confidential data) |
//! | `third_party` | bool | in a `third_party` boundary, or `attr.third_party` |
//! | `internet_hops` | count | fewest flows from an internet element to it (unset when no path) |
//! | `reachable_unauthenticated_from_internet` | bool | a path of one or more flows from an internet element reaches it and none of them is authenticated |
//! | `unauthenticated_producers` | bool | some flow into it is not authenticated |

use std::collections::{BTreeSet, HashMap, VecDeque};

use crate::condition::{Fact, Facts};
use crate::facts::in_internet;
use crate::index::Index;
use crate::model::{BoundaryKind, ElementKind};

/// The cross-element facts of every element, by element id.
pub(crate) struct CrossFacts {
    by_element: HashMap<String, Vec<(&'static str, Fact)>>,
}

impl CrossFacts {
    /// Computes the facts for every element of `model`.
    pub(crate) fn compute(model: &Index<'_>) -> CrossFacts {
        let index: HashMap<&str, usize> = model
            .elements
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let n = model.elements.len();
        let mut writers: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut processes: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut unauth_in = vec![false; n];
        // Out-edges: (target, authenticated).
        let mut out: Vec<Vec<(usize, bool)>> = vec![Vec::new(); n];
        for f in &model.flows {
            let (Some(&s), Some(&t)) = (index.get(f.from.as_str()), index.get(f.to.as_str()))
            else {
                continue;
            };
            writers[t].insert(s);
            if model.elements[s].kind == ElementKind::Process {
                processes[t].insert(s);
            }
            if model.elements[t].kind == ElementKind::Process {
                processes[s].insert(t);
            }
            unauth_in[t] |= !f.authenticated;
            out[s].push((t, f.authenticated));
        }

        let sources: Vec<usize> = model
            .elements
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                in_internet(model, e)
                    || (e.kind == ElementKind::ExternalEntity && e.attr("internet_facing"))
            })
            .map(|(i, _)| i)
            .collect();
        let hops = bfs(&sources, &out, |_| true);
        let unauthenticated = bfs(&sources, &out, |authenticated| !authenticated);

        let mut by_element = HashMap::with_capacity(n);
        for (i, e) in model.elements.iter().enumerate() {
            let mut levels: BTreeSet<i8> = BTreeSet::new();
            for id in &e.stores {
                if let Some(d) = model.data_asset(id) {
                    levels.insert(d.classification as i8);
                }
            }
            let top = levels.last().copied().unwrap_or(-1);
            let mixes = top >= 2 && (levels.len() >= 2 || e.attr("stores_credentials"));
            let third_party = e.attr("third_party")
                || model
                    .boundary_chain(e)
                    .iter()
                    .any(|b| b.kind == BoundaryKind::ThirdParty);
            let mut facts: Vec<(&'static str, Fact)> = vec![
                ("writers", Fact::Count(writers[i].len() as u32)),
                ("shared_by", Fact::Count(processes[i].len() as u32)),
                ("mixes_classifications", Fact::Bool(mixes)),
                ("third_party", Fact::Bool(third_party)),
                (
                    "reachable_unauthenticated_from_internet",
                    Fact::Bool(unauthenticated[i].is_some_and(|h| h >= 1)),
                ),
                ("unauthenticated_producers", Fact::Bool(unauth_in[i])),
            ];
            if let Some(h) = hops[i] {
                facts.push(("internet_hops", Fact::Count(h)));
            }
            by_element.insert(e.id.clone(), facts);
        }
        CrossFacts { by_element }
    }

    /// Adds element `id`'s cross facts to `facts`, each name after `prefix`
    /// (`""`, `"source."`, `"target."`).
    pub(crate) fn extend(&self, id: &str, prefix: &str, facts: &mut Facts) {
        if let Some(list) = self.by_element.get(id) {
            for (name, value) in list {
                facts.insert(format!("{prefix}{name}"), value.clone());
            }
        }
    }
}

/// Fewest flows from any of `sources` to each element, following only the
/// flows `usable` accepts (it is given the flow's `authenticated` flag).
fn bfs(
    sources: &[usize],
    out: &[Vec<(usize, bool)>],
    usable: impl Fn(bool) -> bool,
) -> Vec<Option<u32>> {
    let mut dist: Vec<Option<u32>> = vec![None; out.len()];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for &s in sources {
        dist[s] = Some(0);
        queue.push_back(s);
    }
    while let Some(u) = queue.pop_front() {
        let next = dist[u].unwrap_or(0) + 1;
        for &(v, authenticated) in &out[u] {
            if usable(authenticated) && dist[v].is_none() {
                dist[v] = Some(next);
                queue.push_back(v);
            }
        }
    }
    dist
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::Model;

    fn model(yaml: &str) -> Model {
        Model::load("test.yaml", yaml).expect("valid model").model
    }

    #[test]
    fn internet_distance_and_unauthenticated_reach_follow_flows() {
        let m = model(
            r#"
name: T
boundaries:
  - { id: internet, name: Internet, kind: internet }
  - { id: vpc, name: VPC, kind: cloud }
elements:
  - { id: user, name: User, kind: external_entity, type: user, boundary: internet }
  - { id: api, name: API, kind: process, type: api, boundary: vpc }
  - { id: db, name: DB, kind: data_store, type: database, boundary: vpc }
  - { id: other, name: Other, kind: data_store, type: database, boundary: vpc }
flows:
  - { id: f1, from: user, to: api, protocol: https, encrypted: true }
  - { id: f2, from: api, to: db, protocol: postgres, encrypted: true, authenticated: true }
"#,
        );
        let cross = CrossFacts::compute(&Index::new(&m));
        let get = |id: &str, name: &str| {
            let mut f = Facts::new();
            cross.extend(id, "", &mut f);
            f.get(name).cloned()
        };
        assert_eq!(get("api", "internet_hops"), Some(Fact::Count(1)));
        assert_eq!(get("db", "internet_hops"), Some(Fact::Count(2)));
        assert_eq!(get("other", "internet_hops"), None);
        assert_eq!(
            get("api", "reachable_unauthenticated_from_internet"),
            Some(Fact::Bool(true))
        );
        // The last hop authenticates: the store is not reachable without it.
        assert_eq!(
            get("db", "reachable_unauthenticated_from_internet"),
            Some(Fact::Bool(false))
        );
        assert_eq!(get("db", "writers"), Some(Fact::Count(1)));
        assert_eq!(get("db", "shared_by"), Some(Fact::Count(1)));
        assert_eq!(
            get("api", "unauthenticated_producers"),
            Some(Fact::Bool(true))
        );
        assert_eq!(
            get("db", "unauthenticated_producers"),
            Some(Fact::Bool(false))
        );
    }
}
