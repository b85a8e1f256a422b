//! The engine: runs every rule over every element and flow, keeps STRIDE
//! per element (baseline rules fill what no specific rule covered), and
//! assembles findings and the coverage matrix.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::condition::{Fact, Facts};
use crate::coverage::{CoverageCell, cells, out_of_scope};
use crate::cross::CrossFacts;
use crate::explain::prose::one_line;
use crate::explain::{Explanation, Subject, element_subject, flow_subject};
use crate::facts::{element_facts_in, flow_facts_in};
use crate::finding::{Finding, Status};
use crate::index::Index;
use crate::model::{ComponentType, Element, ElementKind, Flow, Model};
use crate::risk::risk;
use crate::rule::{Rule, Scope};
use crate::stride::{Stride, applicability};

/// The result of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Analysis {
    /// Every finding, highest risk first (then open before mitigated, then
    /// by id).
    pub threats: Vec<Finding>,
    /// Element or flow id -> STRIDE category -> cell. Every applicable cell
    /// holds at least one finding.
    pub coverage: BTreeMap<String, BTreeMap<Stride, CoverageCell>>,
}

fn control_on(control: &str, scope: Scope, facts: &Facts, flow: Option<&Flow>) -> bool {
    match (scope, control) {
        (Scope::Flow, "flow.encrypted") => flow.is_some_and(|f| f.encrypted),
        (Scope::Flow, "flow.authenticated") => flow.is_some_and(|f| f.authenticated),
        (Scope::Flow, c) => facts.get(&c.replacen('.', ".attr.", 1)) == Some(&Fact::Bool(true)),
        (Scope::Element, c) => facts.get(&format!("attr.{c}")) == Some(&Fact::Bool(true)),
    }
}

fn fill(template: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in pairs {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// Analyses a model with a catalogue.
///
/// Findings come out ordered by risk (highest score first, then id); their
/// ids (`RULE@subject`) do not depend on that order.
///
/// Cost: one pass over the elements and one over the flows, each running
/// every rule of its scope; lookups go through an index built once, so the
/// time is linear in elements plus flows (times the number of rules).
///
/// ```
/// use stride_core::{Catalog, Model, Status, Stride, analyze};
///
/// let model = Model::load("m.yaml", r#"
/// name: Notes
/// elements:
///   - { id: api, name: Notes API, kind: process, type: api }
///   - { id: db, name: Notes DB, kind: data_store, type: database,
///       attributes: { encrypted_at_rest: true } }
/// flows:
///   - { id: q, from: api, to: db, protocol: postgres }
/// "#)?.model;
/// let analysis = analyze(&model, Catalog::builtin());
/// // The flow is neither encrypted nor authenticated: an open tampering threat.
/// let tamper = analysis.threats.iter()
///     .find(|t| t.elements[0] == "q" && t.stride == Stride::Tampering)
///     .expect("a tampering finding on the flow");
/// assert_eq!(tamper.status, Status::Open);
/// // Declared controls count: the store's encryption at rest mitigates a
/// // disclosure finding and names the control.
/// assert!(analysis.threats.iter().any(|t| t.elements == ["db"]
///     && t.mitigated_by.iter().any(|c| c == "encrypted_at_rest")));
/// # Ok::<(), stride_core::ModelError>(())
/// ```
pub fn analyze(model: &Model, catalog: &Catalog) -> Analysis {
    // Lookups by id, inbound flows and element facts, built once: the
    // analysis stays linear in elements plus flows.
    let ix = Index::new(model);
    let cross = CrossFacts::compute(&ix);
    let mut coverage: BTreeMap<String, BTreeMap<Stride, CoverageCell>> = BTreeMap::new();

    let emit = |rule: &Rule,
                id: &str,
                elements: Vec<String>,
                facts: &Facts,
                flow: Option<&Flow>,
                names: &[(&str, &str)],
                prefix: &str,
                subject: &Subject| {
        let controls: Vec<String> = rule
            .mitigated_by
            .iter()
            .filter(|c| control_on(c, rule.scope, facts, flow))
            .cloned()
            .collect();
        let fired = rule
            .when
            .iter()
            .chain(rule.any.iter().filter(|c| c.eval(facts)))
            .map(|c| c.explain(facts));
        let explanation = Explanation::new(subject.clone(), fired, controls.clone());
        Finding {
            id: format!("{}@{id}", rule.id),
            rule_id: rule.id.clone(),
            elements,
            stride: rule.stride,
            title: fill(&rule.title, names),
            description: fill(&rule.description, names),
            explanation,
            mitigations: rule.mitigations.clone(),
            cwe: rule.cwe.clone(),
            capec: rule.capec.clone(),
            references: rule.references.clone(),
            risk: risk(rule, facts, prefix),
            status: if controls.is_empty() {
                Status::Open
            } else {
                Status::Mitigated
            },
            mitigated_by: controls,
        }
    };

    // Flows first: what they say about their endpoints (spoofing of the
    // receiver, repudiation by the sender...) answers those cells, so the
    // endpoints' generic baseline findings are not needed there.
    let mut flow_threats: Vec<Finding> = Vec::new();
    // Where each flow finding lives (home id, finding id, category).
    let mut flow_homes: Vec<(String, String, Stride)> = Vec::new();
    for flow in &model.flows {
        let mut facts = flow_facts_in(&ix, flow);
        let (Some(s), Some(t)) = (ix.element(&flow.from), ix.element(&flow.to)) else {
            continue;
        };
        cross.extend(&s.id, "source.", &mut facts);
        cross.extend(&t.id, "target.", &mut facts);
        let (s_name, t_name) = (one_line(&s.name), one_line(&t.name));
        let fname = match &flow.name {
            Some(n) if !n.trim().is_empty() => one_line(n),
            _ => format!("{s_name} → {t_name}"),
        };
        let names = [
            ("flow", fname.as_str()),
            ("source", s_name.as_str()),
            ("target", t_name.as_str()),
        ];
        if flow.out_of_scope || s.out_of_scope || t.out_of_scope {
            continue;
        }
        let subject = flow_subject(&ix, flow, s, t);
        let elements = vec![flow.id.clone(), s.id.clone(), t.id.clone()];
        let mut local: Vec<Finding> = Vec::new();
        for baseline in [false, true] {
            for rule in catalog
                .rules()
                .iter()
                .filter(|r| r.scope == Scope::Flow && r.baseline == baseline)
            {
                // Interaction rules about spoofing and elevation belong to the
                // receiving element, about repudiation to the acting one;
                // tampering, disclosure and denial to the flow itself.
                let home = flow_home(rule.stride, flow, s, t);
                if applicability(home.1, home.2, rule.stride).is_err() {
                    continue;
                }
                if baseline && local.iter().any(|f| f.stride == rule.stride) {
                    continue;
                }
                if fires(rule, &facts) {
                    local.push(emit(
                        rule,
                        &flow.id,
                        elements.clone(),
                        &facts,
                        Some(flow),
                        &names,
                        "target.",
                        &subject,
                    ));
                }
            }
        }
        drop_superseded(&mut local, catalog);
        for f in &local {
            let home = flow_home(f.stride, flow, s, t);
            flow_homes.push((home.0.to_string(), f.id.clone(), f.stride));
        }
        flow_threats.extend(local);
    }
    let homed: HashSet<(&str, Stride)> = flow_homes
        .iter()
        .map(|(h, _, stride)| (h.as_str(), *stride))
        .collect();

    let mut threats: Vec<Finding> = Vec::new();
    for e in &model.elements {
        if e.out_of_scope {
            continue;
        }
        let mut facts = element_facts_in(&ix, e);
        cross.extend(&e.id, "", &mut facts);
        let name = one_line(&e.name);
        let names = [("element", name.as_str())];
        let subject = element_subject(&ix, e);
        let log_store = e.component_type == ComponentType::LogStore;
        let mut local: Vec<Finding> = Vec::new();
        for baseline in [false, true] {
            for rule in catalog
                .rules()
                .iter()
                .filter(|r| r.scope == Scope::Element && r.baseline == baseline)
            {
                // The generic finding only where nothing specific speaks to
                // the cell, here or through a flow homed here.
                if baseline
                    && (local.iter().any(|f| f.stride == rule.stride)
                        || homed.contains(&(e.id.as_str(), rule.stride)))
                {
                    continue;
                }
                if fires(rule, &facts)
                    && applicability(Some(e.kind), log_store, rule.stride).is_ok()
                {
                    local.push(emit(
                        rule,
                        &e.id,
                        vec![e.id.clone()],
                        &facts,
                        None,
                        &names,
                        "",
                        &subject,
                    ));
                }
            }
        }
        drop_superseded(&mut local, catalog);
        threats.extend(local);
    }
    // A flow's generic denial of service is its target's: where the target
    // has a denial-of-service finding of its own, the flow's cell points at
    // it instead of repeating it (one root cause, one finding).
    let mut dos_at: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in &threats {
        if f.stride == Stride::DenialOfService {
            dos_at.entry(f.elements[0].as_str()).or_default().push(f);
        }
    }
    let mut borrowed: Vec<(String, String, Stride)> = Vec::new();
    let mut gone: HashSet<String> = HashSet::new();
    for f in &flow_threats {
        let generic = catalog.get(&f.rule_id).is_some_and(|r| r.baseline);
        if !(generic && f.stride == Stride::DenialOfService) {
            continue;
        }
        if let Some(target_dos) = f.elements.get(2).and_then(|t| dos_at.get(t.as_str())) {
            gone.insert(f.id.clone());
            for d in target_dos {
                borrowed.push((f.elements[0].clone(), d.id.clone(), d.stride));
            }
        }
    }
    flow_threats.retain(|f| !gone.contains(&f.id));
    flow_homes.retain(|(_, id, _)| !gone.contains(id));
    flow_homes.extend(borrowed);
    threats.extend(flow_threats);

    // Coverage: every element and flow, from the findings that live there
    // (grouped once by subject, borrowed, not cloned).
    let by_id: HashMap<&str, &Finding> = threats.iter().map(|f| (f.id.as_str(), f)).collect();
    let mut by_home: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in &threats {
        if f.elements.len() == 1 {
            by_home.entry(f.elements[0].as_str()).or_default().push(f);
        }
    }
    for (h, id, _) in &flow_homes {
        if let Some(f) = by_id.get(id.as_str()) {
            by_home.entry(h.as_str()).or_default().push(f);
        }
    }
    for e in &model.elements {
        let here = by_home.get(e.id.as_str()).map_or(&[][..], Vec::as_slice);
        let mut c = cells(
            here,
            Some(e.kind),
            e.component_type == ComponentType::LogStore,
        );
        if e.out_of_scope {
            out_of_scope(&mut c, e.out_of_scope_reason.as_deref());
        }
        coverage.insert(e.id.clone(), c);
    }
    for flow in &model.flows {
        let here = by_home.get(flow.id.as_str()).map_or(&[][..], Vec::as_slice);
        let mut c = cells(here, None, false);
        let ends_out = [&flow.from, &flow.to]
            .iter()
            .any(|id| ix.element(id).is_some_and(|e| e.out_of_scope));
        if flow.out_of_scope || ends_out {
            out_of_scope(
                &mut c,
                flow.out_of_scope_reason
                    .as_deref()
                    .or(Some("an end of the flow is out of scope")),
            );
        }
        coverage.insert(flow.id.clone(), c);
    }
    // Risk first: the highest score, then open before mitigated, then id.
    threats.sort_by(|a, b| {
        b.risk
            .score
            .total_cmp(&a.risk.score)
            .then_with(|| (a.status != Status::Open).cmp(&(b.status != Status::Open)))
            .then_with(|| a.id.cmp(&b.id))
    });
    Analysis { threats, coverage }
}

/// Drops the findings that a more specific rule on the same subject
/// supersedes (one root cause, one finding).
fn drop_superseded(local: &mut Vec<Finding>, catalog: &Catalog) {
    let gone: HashSet<String> = local
        .iter()
        .filter_map(|f| catalog.get(&f.rule_id))
        .flat_map(|r| r.supersedes.iter().cloned())
        .collect();
    if !gone.is_empty() {
        local.retain(|f| !gone.contains(&f.rule_id));
    }
}

/// Where a flow rule's finding lives: `(id, kind, is log store)` of the flow,
/// its target (spoofing, elevation) or its source (repudiation).
fn flow_home<'a>(
    stride: Stride,
    flow: &'a Flow,
    s: &'a Element,
    t: &'a Element,
) -> (&'a str, Option<ElementKind>, bool) {
    match stride {
        Stride::Spoofing | Stride::ElevationOfPrivilege => (
            &t.id,
            Some(t.kind),
            t.component_type == ComponentType::LogStore,
        ),
        Stride::Repudiation => (
            &s.id,
            Some(s.kind),
            s.component_type == ComponentType::LogStore,
        ),
        _ => (&flow.id, None, false),
    }
}

fn fires(rule: &Rule, facts: &Facts) -> bool {
    rule.when.iter().all(|c| c.eval(facts))
        && (rule.any.is_empty() || rule.any.iter().any(|c| c.eval(facts)))
}
