//! `diff` for attack paths: which paths from untrusted entry points to
//! sensitive data a model revision opens or closes, and where the best path
//! between the same two ends became longer, shorter, likelier or less
//! likely.
//!
//! A path is identified by its flows in order; a pair of ends by
//! `(from, to)`. Both revisions use `stride_core::attack`'s default query
//! (the one `threat-modeler paths MODEL` runs).

use std::collections::BTreeMap;

use serde_json::{Value, json};
use stride_core::attack::{AttackPath, top_paths};
use stride_core::{Analysis, Model};

/// Every path of each revision, compared.
pub struct PathDiff {
    /// Paths only the new revision has.
    pub added: Vec<AttackPath>,
    /// Paths only the old revision had.
    pub removed: Vec<AttackPath>,
    /// Pairs of ends whose best path changed: (old best, new best).
    pub changed: Vec<(AttackPath, AttackPath)>,
}

fn key(p: &AttackPath) -> Vec<String> {
    p.hops.iter().map(|h| h.flow.clone()).collect()
}

/// The likeliest path of each pair of ends (fewest hops on a tie).
fn best(paths: &[AttackPath]) -> BTreeMap<(String, String), &AttackPath> {
    let mut out: BTreeMap<(String, String), &AttackPath> = BTreeMap::new();
    for p in paths {
        let k = (p.from.clone(), p.to.clone());
        let better = out.get(&k).is_none_or(|b| {
            p.likelihood > b.likelihood
                || (p.likelihood == b.likelihood && p.hop_count < b.hop_count)
        });
        if better {
            out.insert(k, p);
        }
    }
    out
}

/// Compares the attack paths of two analysed revisions.
pub fn diff(old: (&Model, &Analysis), new: (&Model, &Analysis)) -> PathDiff {
    let before = top_paths(old.0, old.1, usize::MAX);
    let after = top_paths(new.0, new.1, usize::MAX);
    let old_keys: Vec<Vec<String>> = before.iter().map(key).collect();
    let new_keys: Vec<Vec<String>> = after.iter().map(key).collect();
    let added = after
        .iter()
        .filter(|p| !old_keys.contains(&key(p)))
        .cloned()
        .collect();
    let removed = before
        .iter()
        .filter(|p| !new_keys.contains(&key(p)))
        .cloned()
        .collect();
    let (b_old, b_new) = (best(&before), best(&after));
    let changed = b_new
        .iter()
        .filter_map(|(k, n)| {
            let o = b_old.get(k)?;
            (o.hop_count != n.hop_count || o.likelihood != n.likelihood)
                .then(|| ((*o).clone(), (*n).clone()))
        })
        .collect();
    PathDiff {
        added,
        removed,
        changed,
    }
}

fn brief(p: &AttackPath) -> Value {
    json!({
        "from": p.from,
        "to": p.to,
        "likelihood": p.likelihood,
        "hops": p.hop_count,
        "flows": key(p),
    })
}

impl PathDiff {
    /// The `paths` member of `diff --format json`.
    pub fn json(&self) -> Value {
        json!({
            "added": self.added.iter().map(brief).collect::<Vec<_>>(),
            "removed": self.removed.iter().map(brief).collect::<Vec<_>>(),
            "changed": self.changed.iter().map(|(o, n)| json!({
                "from": n.from, "to": n.to, "before": brief(o), "after": brief(n),
            })).collect::<Vec<_>>(),
        })
    }

    /// The attack-path part of `diff`'s text or Markdown.
    pub fn text(&self, md: bool) -> String {
        let route = |p: &AttackPath| {
            let mut r = vec![p.from.clone()];
            r.extend(p.hops.iter().map(|h| h.element.clone()));
            r.join(" → ")
        };
        let mut out = if md {
            format!(
                "## Attack paths: {} new, {} gone, {} changed\n\n",
                self.added.len(),
                self.removed.len(),
                self.changed.len()
            )
        } else {
            format!(
                "attack paths: {} new, {} gone, {} changed\n",
                self.added.len(),
                self.removed.len(),
                self.changed.len()
            )
        };
        let line = |mark: char, p: &AttackPath| {
            if md {
                format!(
                    "- {mark} {} ({} hops, likelihood {:.4})\n",
                    route(p),
                    p.hop_count,
                    p.likelihood
                )
            } else {
                format!(
                    "  {mark} {}  ({} hops, likelihood {:.4})\n",
                    route(p),
                    p.hop_count,
                    p.likelihood
                )
            }
        };
        for p in &self.added {
            out.push_str(&line('+', p));
        }
        for p in &self.removed {
            out.push_str(&line('-', p));
        }
        for (o, n) in &self.changed {
            let how = match n.hop_count.cmp(&o.hop_count) {
                std::cmp::Ordering::Less => "shorter",
                std::cmp::Ordering::Greater => "longer",
                std::cmp::Ordering::Equal if n.likelihood > o.likelihood => "likelier",
                std::cmp::Ordering::Equal => "less likely",
            };
            let text = format!(
                "{} → {}: best path {how}: {} hops {:.4} -> {} hops {:.4}",
                o.from, o.to, o.hop_count, o.likelihood, n.hop_count, n.likelihood
            );
            out.push_str(&if md {
                format!("- ~ {text}\n")
            } else {
                format!("  ~ {text}\n")
            });
        }
        out
    }
}
