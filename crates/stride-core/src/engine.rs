//! The engine: runs every rule over every element and flow, keeps STRIDE
//! per element (baseline rules fill what no specific rule covered), and
//! assembles findings and the coverage matrix.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::condition::{Fact, Facts, LEVELS};
use crate::coverage::{CoverageCell, cells, out_of_scope};
use crate::facts::{boundaries_of, crosses, element_facts_in, flow_facts_in, kind_name, level};
use crate::finding::{Finding, Status};
use crate::index::Index;
use crate::model::{ComponentType, Element, ElementKind, Flow, Model};
use crate::risk::risk;
use crate::rule::{Rule, Scope};
use crate::stride::{Stride, applicability};

/// The result of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Every finding, in model order (elements, then flows), then rule order.
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
pub fn analyze(model: &Model, catalog: &Catalog) -> Analysis {
    let ix = Index::new(model);
    let mut threats: Vec<Finding> = Vec::new();
    let mut coverage: BTreeMap<String, BTreeMap<Stride, CoverageCell>> = BTreeMap::new();

    let emit = |rule: &Rule,
                subject: &str,
                elements: Vec<String>,
                facts: &Facts,
                flow: Option<&Flow>,
                names: &[(&str, &str)],
                prefix: &str,
                explanation_head: String| {
        let controls: Vec<String> = rule
            .mitigated_by
            .iter()
            .filter(|c| control_on(c, rule.scope, facts, flow))
            .cloned()
            .collect();
        let mut facts_txt: Vec<String> = rule
            .when
            .iter()
            .chain(rule.any.iter().filter(|c| c.eval(facts)))
            .map(|c| c.explain(facts))
            .collect();
        facts_txt.dedup();
        let mut explanation = explanation_head;
        if !facts_txt.is_empty() {
            explanation.push_str("; ");
            explanation.push_str(&facts_txt.join("; "));
        }
        if !controls.is_empty() {
            explanation.push_str(&format!("; mitigated by {}", controls.join(", ")));
        }
        Finding {
            id: format!("{}@{subject}", rule.id),
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

    for e in &model.elements {
        let facts = element_facts_in(&ix, e);
        let names = [("element", e.name.as_str())];
        let head = format!(
            "{} {:?} is a {} ({})",
            kind_name(e.kind).replace('_', " "),
            e.id,
            e.component_type,
            boundaries_of(&ix, e)
                .first()
                .cloned()
                .unwrap_or_else(|| "no boundary".into())
        );
        if e.out_of_scope {
            continue;
        }
        let mut local: Vec<Finding> = Vec::new();
        for rule in catalog
            .rules()
            .iter()
            .filter(|r| r.scope == Scope::Element && !r.baseline)
        {
            if fires(rule, &facts)
                && applicability(
                    Some(e.kind),
                    e.component_type == ComponentType::LogStore,
                    rule.stride,
                )
                .is_ok()
            {
                local.push(emit(
                    rule,
                    &e.id,
                    vec![e.id.clone()],
                    &facts,
                    None,
                    &names,
                    "",
                    head.clone(),
                ));
            }
        }
        for rule in catalog
            .rules()
            .iter()
            .filter(|r| r.scope == Scope::Element && r.baseline)
        {
            let covered = local.iter().any(|f| f.stride == rule.stride);
            if !covered
                && fires(rule, &facts)
                && applicability(
                    Some(e.kind),
                    e.component_type == ComponentType::LogStore,
                    rule.stride,
                )
                .is_ok()
            {
                local.push(emit(
                    rule,
                    &e.id,
                    vec![e.id.clone()],
                    &facts,
                    None,
                    &names,
                    "",
                    head.clone(),
                ));
            }
        }
        threats.extend(local);
    }
    // Where each flow finding lives, by its index in `threats`.
    let mut flow_homes: Vec<(&str, usize)> = Vec::new();
    for flow in &model.flows {
        let facts = flow_facts_in(&ix, flow);
        let (Some(s), Some(t)) = (ix.element(&flow.from), ix.element(&flow.to)) else {
            continue;
        };
        let fname = flow.name.clone().unwrap_or_else(|| flow.id.clone());
        let names = [
            ("flow", fname.as_str()),
            ("source", s.name.as_str()),
            ("target", t.name.as_str()),
        ];
        if flow.out_of_scope || s.out_of_scope || t.out_of_scope {
            continue;
        }
        let mut head = format!("flow {} {}→{}", flow.id, s.id, t.id);
        if let Some((a, b)) = crosses(&ix, flow) {
            head.push_str(&format!(" crosses {a}→{b}"));
        }
        let (lvl, _) = level(&ix, &flow.carries);
        if lvl >= 0 {
            head.push_str(&format!("; carries {} data", LEVELS[lvl as usize]));
        }
        head.push_str(&format!(
            "; encrypted={}; authenticated={}",
            flow.encrypted, flow.authenticated
        ));
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
                    let f = emit(
                        rule,
                        &flow.id,
                        elements.clone(),
                        &facts,
                        Some(flow),
                        &names,
                        "target.",
                        head.clone(),
                    );
                    flow_homes.push((home.0, threats.len() + local.len()));
                    local.push(f);
                }
            }
        }
        coverage.insert(flow.id.clone(), BTreeMap::new());
        threats.extend(local);
    }
    // Coverage: every element and flow, from the findings that live there
    // (grouped once by subject, in order, rather than scanned per subject).
    let mut own: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in threats.iter().filter(|f| f.elements.len() == 1) {
        own.entry(f.elements[0].as_str()).or_default().push(f);
    }
    let mut homed: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for &(h, i) in &flow_homes {
        homed.entry(h).or_default().push(&threats[i]);
    }
    fn found<'f>(map: &HashMap<&str, Vec<&'f Finding>>, id: &str) -> Vec<&'f Finding> {
        map.get(id).cloned().unwrap_or_default()
    }
    for e in &model.elements {
        let mut here: Vec<&Finding> = found(&own, &e.id);
        here.extend(found(&homed, &e.id));
        let mut c = cells(
            &here,
            Some(e.kind),
            e.component_type == ComponentType::LogStore,
        );
        if e.out_of_scope {
            out_of_scope(&mut c, e.out_of_scope_reason.as_deref());
        }
        coverage.insert(e.id.clone(), c);
    }
    for flow in &model.flows {
        let here: Vec<&Finding> = found(&homed, &flow.id);
        let mut c = cells(&here, None, false);
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
    Analysis { threats, coverage }
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
