//! Attack paths computed from a model and its analysis: from untrusted
//! entry points along the flows to the elements holding sensitive data,
//! each hop possible only through an open threat that lets an attacker move.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::attack::cut::{Cut, the_cut};
use crate::catalog::Catalog;
use crate::engine::Analysis;
use crate::finding::{Finding, Status};
use crate::hint::{closest, did_you_mean};
use crate::model::{BoundaryKind, Classification, Element, ElementKind, Flow, Model};
use crate::rule::Scope;
use crate::stride::Stride;

/// The default `max_hops`.
pub const DEFAULT_MAX_HOPS: usize = 8;
/// At most this many paths are kept (the search stops there, marked
/// truncated).
pub const MAX_PATHS: usize = 500;
/// At most this many search steps are taken (marked truncated past it).
const MAX_STEPS: usize = 200_000;

/// Where paths end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Data stores holding restricted or confidential data.
    Sensitive,
    /// One element.
    Element(String),
    /// The data stores holding one data asset.
    Data(String),
}

/// What to search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathQuery {
    /// The entry element; `None`: every external entity in an internet or
    /// third-party boundary (or marked `third_party`).
    pub from: Option<String>,
    /// Where paths end.
    pub to: Target,
    /// The longest path, in hops.
    pub max_hops: usize,
}

impl Default for PathQuery {
    fn default() -> Self {
        PathQuery {
            from: None,
            to: Target::Sensitive,
            max_hops: DEFAULT_MAX_HOPS,
        }
    }
}

/// A query names something the model does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// `from` or `to` names no element of the model.
    #[error("unknown element {name:?}{}", did_you_mean(.suggestion))]
    UnknownElement {
        /// The id as written.
        name: String,
        /// The close element id, when one is close.
        suggestion: Option<String>,
    },
    /// The target data asset is not in the model.
    #[error("unknown data asset {name:?}{}", did_you_mean(.suggestion))]
    UnknownDataAsset {
        /// The id as written.
        name: String,
        /// The close data asset id, when one is close.
        suggestion: Option<String>,
    },
    /// The target data asset exists but no element stores it.
    #[error("no element of the model stores {data:?}")]
    NotStored {
        /// The data asset id.
        data: String,
    },
}

/// An open threat usable at a hop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HopThreat {
    /// The finding id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// (reproducibility + exploitability + discoverability) / 30 of its
    /// DREAD factors.
    pub likelihood: f64,
    /// What would close it: `element.attribute` or `flow.encrypted` /
    /// `flow.authenticated` controls of its rule, or the finding id itself
    /// when its rule names no control.
    pub controls: Vec<String>,
}

/// One hop: along a flow, into an element.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    /// The flow followed.
    pub flow: String,
    /// The element entered.
    pub element: String,
    /// The likeliest threat used.
    pub threat: String,
    /// The likelihood of the threat used.
    pub likelihood: f64,
    /// Every open threat that opens the hop, likeliest first.
    pub threats: Vec<HopThreat>,
}

/// One attack path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttackPath {
    /// The entry element.
    pub from: String,
    /// The target element.
    pub to: String,
    /// The product of the hops' likelihoods.
    pub likelihood: f64,
    /// The hops.
    pub hops: Vec<Hop>,
    /// The number of hops.
    pub hop_count: usize,
    /// The boundaries passed through, in order (the innermost boundary of
    /// each element; `(none)` for an element outside every boundary).
    pub boundaries: Vec<String>,
}

/// Paths and their cut.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathReport {
    /// Ranked: likeliest first, then fewest hops, then by flow ids.
    pub paths: Vec<AttackPath>,
    /// The smallest set of controls that breaks every path.
    pub cut: Cut,
    /// The entry points searched from.
    pub entries: Vec<String>,
    /// The targets searched for.
    pub targets: Vec<String>,
    /// True when the search stopped at [`MAX_PATHS`] paths or its step limit.
    pub truncated: bool,
}

/// Likelihood of a finding from its DREAD factors: (reproducibility +
/// exploitability + discoverability) / 30.
pub fn finding_likelihood(f: &Finding) -> f64 {
    let get = |k: &str| f.risk.factors.get(k).map_or(0.0, |v| f64::from(v.value));
    (get("reproducibility") + get("exploitability") + get("discoverability")) / 30.0
}

/// Whether an element is an untrusted entry point.
fn is_entry(model: &Model, e: &Element) -> bool {
    e.kind == ElementKind::ExternalEntity
        && (e.attr("third_party")
            || model
                .boundary_chain(e)
                .iter()
                .any(|b| matches!(b.kind, BoundaryKind::Internet | BoundaryKind::ThirdParty)))
}

fn unknown_element(name: &str, known: Vec<&str>) -> PathError {
    PathError::UnknownElement {
        name: name.to_string(),
        suggestion: closest(name, known),
    }
}

/// The concrete controls that would mitigate a finding.
fn controls_of(f: &Finding, catalog: &Catalog) -> Vec<String> {
    let Some(rule) = catalog.get(&f.rule_id) else {
        return vec![f.id.clone()];
    };
    let subject = f.elements.first().cloned().unwrap_or_default();
    let mut out: Vec<String> = rule
        .mitigated_by
        .iter()
        .map(|c| match (rule.scope, c.split_once('.')) {
            (Scope::Element, _) => format!("{subject}.{c}"),
            (Scope::Flow, Some(("flow", attr))) => format!("{subject}.{attr}"),
            (Scope::Flow, Some(("source", attr))) => {
                format!("{}.{attr}", f.elements.get(1).unwrap_or(&subject))
            }
            (Scope::Flow, Some(("target", attr))) => {
                format!("{}.{attr}", f.elements.get(2).unwrap_or(&subject))
            }
            (Scope::Flow, _) => format!("{subject}.{c}"),
        })
        .collect();
    if out.is_empty() {
        out.push(f.id.clone());
    }
    out.sort();
    out.dedup();
    out
}

/// The open threats that let an attacker move along `flow` into the element
/// it enters: spoofing, tampering or elevation on the flow or at the element;
/// information disclosure too when the element is the path's target.
/// Baseline findings (no specific weakness known) do not open hops.
fn hop_threats(
    flow: &Flow,
    final_hop: bool,
    analysis: &Analysis,
    catalog: &Catalog,
) -> Vec<HopThreat> {
    let moves = |s: Stride| {
        matches!(
            s,
            Stride::Spoofing | Stride::Tampering | Stride::ElevationOfPrivilege
        ) || (final_hop && s == Stride::InformationDisclosure)
    };
    let mut out: Vec<HopThreat> = analysis
        .threats
        .iter()
        .filter(|t| t.status == Status::Open && moves(t.stride))
        .filter(|t| match t.elements.as_slice() {
            [e] => *e == flow.to,
            [f, ..] => *f == flow.id,
            [] => false,
        })
        .filter(|t| catalog.get(&t.rule_id).is_none_or(|r| !r.baseline))
        .map(|t| HopThreat {
            id: t.id.clone(),
            title: t.title.clone(),
            likelihood: finding_likelihood(t),
            controls: controls_of(t, catalog),
        })
        .collect();
    out.sort_by(|a, b| {
        b.likelihood
            .total_cmp(&a.likelihood)
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

/// Searches attack paths and computes their cut.
pub fn attack_paths(
    model: &Model,
    analysis: &Analysis,
    catalog: &Catalog,
    query: &PathQuery,
) -> Result<PathReport, PathError> {
    let ids = || model.elements.iter().map(|e| e.id.as_str()).collect();
    let entries: Vec<&Element> = match &query.from {
        Some(id) => vec![
            model
                .element(id)
                .ok_or_else(|| unknown_element(id, ids()))?,
        ],
        None => model
            .elements
            .iter()
            .filter(|e| is_entry(model, e))
            .collect(),
    };
    let targets: Vec<&Element> = match &query.to {
        Target::Element(id) => vec![
            model
                .element(id)
                .ok_or_else(|| unknown_element(id, ids()))?,
        ],
        Target::Data(d) => {
            if model.data_asset(d).is_none() {
                let known = model.data.iter().map(|x| x.id.as_str());
                return Err(PathError::UnknownDataAsset {
                    name: d.clone(),
                    suggestion: closest(d, known),
                });
            }
            let holders: Vec<&Element> = model
                .elements
                .iter()
                .filter(|e| e.stores.iter().any(|s| s == d))
                .collect();
            if holders.is_empty() {
                return Err(PathError::NotStored { data: d.clone() });
            }
            holders
        }
        Target::Sensitive => model
            .elements
            .iter()
            .filter(|e| {
                e.kind == ElementKind::DataStore
                    && e.stores.iter().any(|d| {
                        model
                            .data_asset(d)
                            .is_some_and(|a| a.classification >= Classification::Confidential)
                    })
            })
            .collect(),
    };
    let target_ids: BTreeSet<&str> = targets.iter().map(|e| e.id.as_str()).collect();
    // The threats of every hop, as an intermediate and as a final hop.
    let table: Vec<(&Flow, Vec<HopThreat>, Vec<HopThreat>)> = model
        .flows
        .iter()
        .filter(|f| !f.out_of_scope)
        .map(|f| {
            (
                f,
                hop_threats(f, false, analysis, catalog),
                hop_threats(f, true, analysis, catalog),
            )
        })
        .collect();

    let mut found: Vec<Vec<(usize, bool)>> = Vec::new();
    let mut steps = 0usize;
    let mut truncated = false;
    for entry in &entries {
        // Depth-first over simple paths: (flow index, final?) per hop.
        let mut trail: Vec<(usize, bool)> = Vec::new();
        let mut visited: Vec<&str> = vec![entry.id.as_str()];
        let mut frames: Vec<usize> = vec![0];
        while let Some(next) = frames.last_mut() {
            steps += 1;
            if steps > MAX_STEPS || found.len() >= MAX_PATHS {
                truncated = true;
                break;
            }
            let at = visited.last().copied().unwrap_or_default();
            let Some(i) = (*next..table.len()).find(|&i| table[i].0.from == at) else {
                frames.pop();
                visited.pop();
                trail.pop();
                continue;
            };
            *next = i + 1;
            let (flow, mid, last) = &table[i];
            if visited.contains(&flow.to.as_str()) || trail.len() >= query.max_hops {
                continue;
            }
            if target_ids.contains(flow.to.as_str()) && !last.is_empty() {
                let mut path = trail.clone();
                path.push((i, true));
                found.push(path);
            }
            if !mid.is_empty() && trail.len() + 1 < query.max_hops {
                trail.push((i, false));
                visited.push(&flow.to);
                frames.push(0);
            }
        }
    }

    let boundary = |id: &str| {
        model
            .element(id)
            .and_then(|e| e.boundary.clone())
            .unwrap_or_else(|| "(none)".into())
    };
    let mut paths: Vec<AttackPath> = found
        .into_iter()
        .map(|trail| {
            let hops: Vec<Hop> = trail
                .iter()
                .map(|&(i, last)| {
                    let (flow, mid, fin) = &table[i];
                    let threats = if last { fin.clone() } else { mid.clone() };
                    Hop {
                        flow: flow.id.clone(),
                        element: flow.to.clone(),
                        threat: threats.first().map(|t| t.id.clone()).unwrap_or_default(),
                        likelihood: threats.first().map_or(0.0, |t| t.likelihood),
                        threats,
                    }
                })
                .collect();
            let from = trail
                .first()
                .map(|&(i, _)| table[i].0.from.clone())
                .unwrap_or_default();
            let mut boundaries = vec![boundary(&from)];
            for h in &hops {
                let b = boundary(&h.element);
                if boundaries.last() != Some(&b) {
                    boundaries.push(b);
                }
            }
            AttackPath {
                to: hops.last().map(|h| h.element.clone()).unwrap_or_default(),
                from,
                likelihood: hops.iter().map(|h| h.likelihood).product(),
                hop_count: hops.len(),
                boundaries,
                hops,
            }
        })
        .collect();
    paths.sort_by(|a, b| {
        b.likelihood
            .total_cmp(&a.likelihood)
            .then_with(|| a.hop_count.cmp(&b.hop_count))
            .then_with(|| {
                let ids = |p: &AttackPath| {
                    std::iter::once(p.from.clone())
                        .chain(p.hops.iter().map(|h| h.flow.clone()))
                        .collect::<Vec<_>>()
                };
                ids(a).cmp(&ids(b))
            })
    });
    let cut = the_cut(&paths);
    Ok(PathReport {
        paths,
        cut,
        entries: entries.iter().map(|e| e.id.clone()).collect(),
        targets: targets.iter().map(|e| e.id.clone()).collect(),
        truncated,
    })
}
