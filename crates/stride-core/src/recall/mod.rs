//! Recall against threats people recorded: how many of the threats a human
//! wrote down on a model our analysis also raises on the same element or
//! flow, in the same STRIDE category.
//!
//! - [`from_recorded`] reads the threats an imported model carries
//!   ([`Model::recorded_threats`], Threat Dragon); [`threagile_tracking`]
//!   reads a Threagile model's `risk_tracking`.
//! - [`stride_of`] maps a recorded category (`Spoofing`, `Information
//!   disclosure`, CIA's `Integrity`, LINDDUN's `Disclosure of information`...)
//!   to our [`Stride`], or says why it has no counterpart.
//! - [`measure`] decides, for each human threat, whether the coverage cell of
//!   its subject and category holds a finding, and whether that finding comes
//!   from a specific rule or only from the baseline rule that guarantees the
//!   cell is never empty. [`markdown`] prints the figures as tables.

mod category;
mod report;

pub use category::{UnmappedCategory, stride_of};
pub use report::markdown;

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::Catalog;
use crate::engine::Analysis;
use crate::finding::Status;
use crate::model::{ComponentType, Model};
use crate::stride::{Stride, applicability};

/// What a human threat was recorded on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// One element or flow, by id.
    Element(String),
    /// Any element or flow (a Threagile tracking entry whose key is all
    /// wildcards): matched where any subject holds the category.
    Anywhere,
}

/// A threat a person recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HumanThreat {
    /// Where it was recorded.
    pub subject: Subject,
    /// Its category as written (`Spoofing`, `Integrity`, a Threagile risk
    /// category id...).
    pub category: String,
    /// Its title as written.
    pub title: String,
    /// Its status as written.
    pub status: String,
    /// The STRIDE category it maps to, or why it has none.
    pub stride: Result<Stride, UnmappedCategory>,
}

/// The STRIDE category Threagile itself gives each of its built-in risk
/// categories (the `STRIDE` field of the category's definition), for the
/// categories the published example tracks; others are excluded by name.
pub const THREAGILE_STRIDE: &[(&str, Stride)] = &[
    (
        "dos-risky-access-across-trust-boundary",
        Stride::DenialOfService,
    ),
    ("ldap-injection", Stride::Tampering),
    (
        "missing-authentication-second-factor",
        Stride::ElevationOfPrivilege,
    ),
    ("missing-hardening", Stride::Tampering),
    ("unencrypted-asset", Stride::InformationDisclosure),
    ("untrusted-deserialization", Stride::Tampering),
];

/// The threats recorded on an imported model (Threat Dragon's per-cell
/// threats), with their categories mapped.
pub fn from_recorded(model: &Model) -> Vec<HumanThreat> {
    model
        .recorded_threats
        .iter()
        .map(|r| {
            let category = r.category.clone().unwrap_or_default();
            HumanThreat {
                subject: Subject::Element(r.element.clone()),
                stride: stride_of(&category),
                category,
                title: r.title.clone(),
                status: r.status.clone(),
            }
        })
        .collect()
}

/// The entries of a Threagile model's `risk_tracking`, each a human verdict
/// on a risk Threagile raised. A key is `category@asset@...`; `*` is a
/// wildcard. The subject is the first part naming an element of `model`
/// (link ids `asset>link` name our flow `asset--link`); a key whose parts
/// are all wildcards is [`Subject::Anywhere`]. The category maps to STRIDE
/// through [`THREAGILE_STRIDE`]. A file that is not YAML gives no entries.
pub fn threagile_tracking(yaml: &str, model: &Model) -> Vec<HumanThreat> {
    let Ok(doc) = serde_norway::from_str::<serde_norway::Value>(yaml) else {
        return vec![];
    };
    let Some(serde_norway::Value::Mapping(tracking)) = doc.get("risk_tracking") else {
        return vec![];
    };
    let ids: BTreeSet<&str> = model
        .elements
        .iter()
        .map(|e| e.id.as_str())
        .chain(model.flows.iter().map(|f| f.id.as_str()))
        .collect();
    let mut out = Vec::new();
    for (key, entry) in tracking {
        let Some(key) = key.as_str() else { continue };
        let mut parts = key.split('@');
        let category = parts.next().unwrap_or_default().to_string();
        let named: Vec<String> = parts
            .filter(|p| !p.is_empty() && *p != "*")
            .map(|p| p.replace('>', "--"))
            .collect();
        let subject = match named.iter().find(|p| ids.contains(p.as_str())) {
            Some(id) => Subject::Element(id.clone()),
            None if named.is_empty() => Subject::Anywhere,
            None => Subject::Element(named[0].clone()),
        };
        let stride = THREAGILE_STRIDE
            .iter()
            .find(|(c, _)| *c == category)
            .map(|(_, s)| *s)
            .ok_or_else(|| UnmappedCategory::NotInThreagileTable {
                category: category.clone(),
            });
        let status = entry
            .get("status")
            .and_then(|s| s.as_str())
            .unwrap_or("unchecked")
            .to_string();
        out.push(HumanThreat {
            subject,
            title: key.to_string(),
            category,
            status,
            stride,
        });
    }
    out
}

/// What became of one human threat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A specific rule raises it: the rule ids.
    Specific(Vec<String>),
    /// Only the baseline rule of the cell raises it (generic text).
    Baseline {
        /// The baseline rule ids.
        rules: Vec<String>,
        /// Specific rules of the same category on neighbouring subjects
        /// (`RULE on NAME`).
        nearby: Vec<String>,
    },
    /// Not raised.
    Missed {
        /// Why.
        why: String,
        /// Specific rules of the same category on neighbouring subjects.
        nearby: Vec<String>,
    },
    /// Its category has no STRIDE counterpart: why.
    Excluded(UnmappedCategory),
}

/// One human threat and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The threat.
    pub threat: HumanThreat,
    /// Its subject's display name (the id when it has none).
    pub subject_name: String,
    /// What became of it.
    pub outcome: Outcome,
}

/// The figures for one model.
#[derive(Debug, Clone, PartialEq)]
pub struct RecallReport {
    /// The model's name as shown in tables.
    pub name: String,
    /// Elements in the model.
    pub elements: usize,
    /// Flows in the model.
    pub flows: usize,
    /// Every human threat, judged.
    pub judged: Vec<Judged>,
    /// Findings of the analysis.
    pub findings: usize,
    /// Open findings of the analysis.
    pub open: usize,
    /// Open findings per element or flow id (the coverage cells they live
    /// in), every subject listed.
    pub open_by_subject: BTreeMap<String, usize>,
    /// Display name of every element and flow id, single-line.
    pub names: BTreeMap<String, String>,
}

impl RecallReport {
    /// Human threats recorded.
    pub fn recorded(&self) -> usize {
        self.judged.len()
    }
    /// Those with a STRIDE counterpart (the denominator of recall).
    pub fn mapped(&self) -> usize {
        self.count(|o| !matches!(o, Outcome::Excluded(_)))
    }
    /// Those raised by any rule (specific or baseline).
    pub fn matched(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Specific(_) | Outcome::Baseline { .. }))
    }
    /// Those raised by a specific rule.
    pub fn matched_specific(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Specific(_)))
    }
    /// Open findings per element (flows not counted as elements).
    pub fn open_per_element(&self) -> f64 {
        self.open as f64 / self.elements.max(1) as f64
    }
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.judged.iter().filter(|j| f(&j.outcome)).count()
    }
}

/// Judges each human threat against an analysis of `model`.
///
/// A threat is raised when the coverage cell of its subject and STRIDE
/// category holds a finding (open or mitigated: a mitigated finding still
/// names the threat); [`Subject::Anywhere`] looks at every cell of the
/// category. The finding counts as specific when its rule is not a baseline
/// rule of `catalog`.
pub fn measure(
    name: &str,
    model: &Model,
    analysis: &Analysis,
    catalog: &Catalog,
    humans: Vec<HumanThreat>,
) -> RecallReport {
    // (rule id, "RULE (finding title)", baseline)
    let rule_of = |finding_id: &str| -> (String, String, bool) {
        let found = analysis.threats.iter().find(|f| f.id == finding_id);
        let rule = found.map_or_else(
            || finding_id.split('@').next().unwrap_or("").to_string(),
            |f| f.rule_id.clone(),
        );
        let titled = match found {
            Some(f) => format!("{rule} ({})", f.title.replace(['\n', '\r'], " ")),
            None => rule.clone(),
        };
        let baseline = catalog.get(&rule).is_some_and(|r| r.baseline);
        (rule, titled, baseline)
    };
    let cell_rules = |id: &str, stride: Stride| -> Vec<(String, String, bool)> {
        analysis
            .coverage
            .get(id)
            .and_then(|c| c.get(&stride))
            .map(|cell| cell.findings.iter().map(|f| rule_of(f)).collect())
            .unwrap_or_default()
    };
    let display = |id: &str| -> String {
        model
            .element(id)
            .map(|e| e.name.clone())
            .or_else(|| {
                model
                    .flows
                    .iter()
                    .find(|f| f.id == id)
                    .map(|f| f.name.clone().unwrap_or_else(|| f.id.clone()))
            })
            .unwrap_or_else(|| id.to_string())
            .replace(['\n', '\r'], " ")
    };
    let judged = humans
        .into_iter()
        .map(|threat| {
            let subject_name = match &threat.subject {
                Subject::Element(id) => display(id),
                Subject::Anywhere => "any element".into(),
            };
            let outcome = match &threat.stride {
                Err(why) => Outcome::Excluded(why.clone()),
                Ok(stride) => {
                    let rules: Vec<(String, bool)> = match &threat.subject {
                        Subject::Element(id) => cell_rules(id, *stride)
                            .into_iter()
                            .map(|(_, titled, b)| (titled, b))
                            .collect(),
                        Subject::Anywhere => analysis
                            .coverage
                            .keys()
                            .flat_map(|id| cell_rules(id, *stride))
                            .map(|(rule, _, b)| (rule, b))
                            .collect(),
                    };
                    let near = match &threat.subject {
                        Subject::Element(id) => neighbours(model, id)
                            .into_iter()
                            .flat_map(|n| {
                                cell_rules(&n, *stride)
                                    .into_iter()
                                    .filter(|(_, _, b)| !b)
                                    .map(move |(r, _, _)| format!("{r} on {}", display(&n)))
                            })
                            .collect(),
                        Subject::Anywhere => vec![],
                    };
                    judge(model, &threat.subject, *stride, rules, near)
                }
            };
            Judged {
                threat,
                subject_name,
                outcome,
            }
        })
        .collect();
    let mut open_by_subject = BTreeMap::new();
    for (id, cells) in &analysis.coverage {
        let open: BTreeSet<&String> = cells
            .values()
            .flat_map(|c| c.findings.iter())
            .filter(|f| {
                analysis
                    .threats
                    .iter()
                    .any(|t| &t.id == *f && t.status == Status::Open)
            })
            .collect();
        open_by_subject.insert(id.clone(), open.len());
    }
    RecallReport {
        name: name.to_string(),
        elements: model.elements.len(),
        flows: model.flows.len(),
        judged,
        findings: analysis.threats.len(),
        open: analysis
            .threats
            .iter()
            .filter(|t| t.status == Status::Open)
            .count(),
        open_by_subject,
        names: analysis
            .coverage
            .keys()
            .map(|id| (id.clone(), display(id)))
            .collect(),
    }
}

/// The flows touching an element and the elements at their other ends; the
/// two ends of a flow.
fn neighbours(model: &Model, id: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in &model.flows {
        if f.id == id {
            out.extend([f.from.clone(), f.to.clone()]);
        } else if f.from == id || f.to == id {
            out.push(f.id.clone());
            out.push(if f.from == id {
                f.to.clone()
            } else {
                f.from.clone()
            });
        }
    }
    out.sort();
    out.dedup();
    out.retain(|n| n != id);
    out
}

fn judge(
    model: &Model,
    subject: &Subject,
    stride: Stride,
    rules: Vec<(String, bool)>,
    mut near: Vec<String>,
) -> Outcome {
    near.sort();
    near.dedup();
    let mut specific: Vec<String> = rules
        .iter()
        .filter(|(_, b)| !b)
        .map(|(r, _)| r.clone())
        .collect();
    specific.sort();
    specific.dedup();
    if !specific.is_empty() {
        return Outcome::Specific(specific);
    }
    let mut baseline: Vec<String> = rules.into_iter().map(|(r, _)| r).collect();
    baseline.sort();
    baseline.dedup();
    if !baseline.is_empty() {
        return Outcome::Baseline {
            rules: baseline,
            nearby: near,
        };
    }
    let Subject::Element(id) = subject else {
        return Outcome::Missed {
            why: format!("no subject of the model holds a {stride} finding"),
            nearby: near,
        };
    };
    let reason = if let Some(e) = model.element(id) {
        match applicability(
            Some(e.kind),
            e.component_type == ComponentType::LogStore,
            stride,
        ) {
            Err(why) => format!("{stride} does not apply here under STRIDE-per-element: {why}"),
            Ok(()) if e.out_of_scope => "the element is out of scope".into(),
            Ok(()) => format!("no rule fires for {stride} on this element"),
        }
    } else if let Some(f) = model.flows.iter().find(|f| &f.id == id) {
        match applicability(None, false, stride) {
            Err(why) => {
                format!("{stride} does not apply to a flow under STRIDE-per-element: {why}")
            }
            Ok(()) if f.out_of_scope => "the flow is out of scope".into(),
            Ok(()) => format!("no rule fires for {stride} on this flow"),
        }
    } else {
        format!("{id:?} is not an element or flow of the imported model")
    };
    Outcome::Missed {
        why: reason,
        nearby: near,
    }
}
