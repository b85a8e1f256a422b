//! The engine: facts from the model, rules over elements and flows,
//! findings with explanations and risk, and the coverage matrix.

use std::collections::BTreeMap;

use dread::{DreadFactor, DreadScore, DreadVariant, Rating, Severity};
use serde::{Deserialize, Serialize};

use crate::condition::{Fact, Facts, LEVELS};
use crate::model::{
    BoundaryKind, ComponentType, Element, ElementKind, Flow, Model, PLAINTEXT_PROTOCOLS,
};
use crate::rule::{Catalog, Mitigation, Rule, Scope};
use crate::stride::{Stride, applicability};

/// What became of a threat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Applies and nothing declared answers it.
    Open,
    /// A declared control answers it.
    Mitigated,
    /// Accepted by its owner (see the CLI's `--accepted`).
    Accepted,
    /// Does not apply (used in coverage cells).
    NotApplicable,
}

/// A DREAD factor with why it has its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorValue {
    /// 0-10.
    pub value: u8,
    /// The rule's default and the model facts that moved it.
    pub rationale: String,
}

/// A finding's risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// Always `dread`.
    pub method: String,
    /// The DREAD mean, 0-10.
    pub score: f64,
    /// Its severity.
    pub severity: Severity,
    /// The five factors by name.
    pub factors: BTreeMap<String, FactorValue>,
}

/// One threat to one element or flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// `RULE-ID@element-or-flow-id`: stable across unrelated edits.
    pub id: String,
    /// The rule.
    pub rule_id: String,
    /// The element id, or the flow id followed by its source and target.
    pub elements: Vec<String>,
    /// The category.
    pub stride: Stride,
    /// The rule's title with names filled in.
    pub title: String,
    /// What the threat is.
    pub description: String,
    /// The model facts that made it fire.
    pub explanation: String,
    /// What to do.
    pub mitigations: Vec<Mitigation>,
    /// CWE ids.
    pub cwe: Vec<u32>,
    /// CAPEC ids.
    pub capec: Vec<u32>,
    /// Further reading.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// DREAD risk.
    pub risk: Risk,
    /// Open or mitigated (accepted is set by callers).
    pub status: Status,
    /// The declared controls that mitigate it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mitigated_by: Vec<String>,
}

/// One cell of the coverage matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageCell {
    /// `open` (findings), `mitigated` (all mitigated) or `not_applicable`.
    pub status: Status,
    /// Finding ids in this cell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
    /// The controls that mitigate the cell's findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
    /// Why it does not apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The result of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Every finding, in model order (elements, then flows), then rule order.
    pub threats: Vec<Finding>,
    /// Element or flow id -> STRIDE category -> cell. Every applicable cell
    /// holds at least one finding.
    pub coverage: BTreeMap<String, BTreeMap<Stride, CoverageCell>>,
}

fn boundary_kind_name(k: BoundaryKind) -> String {
    match serde_json::to_value(k) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "generic".into(),
    }
}

fn kind_name(k: ElementKind) -> &'static str {
    match k {
        ElementKind::ExternalEntity => "external_entity",
        ElementKind::Process => "process",
        ElementKind::DataStore => "data_store",
    }
}

fn level(model: &Model, ids: &[String]) -> (i8, bool) {
    let mut lvl = -1i8;
    let mut pii = false;
    for id in ids {
        if let Some(d) = model.data_asset(id) {
            lvl = lvl.max(d.classification as i8);
            pii |= d.pii;
        }
    }
    (lvl, pii)
}

fn boundaries_of(model: &Model, e: &Element) -> Vec<String> {
    model
        .boundary_chain(e)
        .iter()
        .map(|b| boundary_kind_name(b.kind))
        .collect()
}

fn in_internet(model: &Model, e: &Element) -> bool {
    model
        .boundary_chain(e)
        .iter()
        .any(|b| b.kind == BoundaryKind::Internet)
}

fn crosses(model: &Model, f: &Flow) -> Option<(String, String)> {
    let (s, t) = (model.element(&f.from)?, model.element(&f.to)?);
    (s.boundary != t.boundary).then(|| {
        (
            s.boundary.clone().unwrap_or_else(|| "(none)".into()),
            t.boundary.clone().unwrap_or_else(|| "(none)".into()),
        )
    })
}

/// The facts about an element, as rules see them.
pub fn element_facts(model: &Model, e: &Element) -> Facts {
    let mut f = Facts::new();
    f.insert("kind".into(), Fact::Text(kind_name(e.kind).into()));
    f.insert("type".into(), Fact::Text(e.component_type.as_str().into()));
    for (name, _) in crate::attributes::ATTRIBUTES {
        f.insert(format!("attr.{name}"), Fact::Bool(e.attr(name)));
    }
    let (lvl, pii) = level(model, &e.stores);
    let inbound: Vec<&Flow> = model.flows.iter().filter(|x| x.to == e.id).collect();
    // What passes through a process counts as its data too.
    let through: Vec<String> = inbound.iter().flat_map(|x| x.carries.clone()).collect();
    let (lvl2, pii2) = level(model, &through);
    f.insert("data".into(), Fact::Level(lvl.max(lvl2)));
    f.insert("pii".into(), Fact::Bool(pii || pii2));
    f.insert("boundary".into(), Fact::Set(boundaries_of(model, e)));
    let from_internet = inbound.iter().any(|x| {
        model
            .element(&x.from)
            .is_some_and(|s| in_internet(model, s))
    });
    f.insert(
        "internet_exposed".into(),
        Fact::Bool(e.attr("internet_facing") || in_internet(model, e) || from_internet),
    );
    f.insert(
        "inbound_from_external".into(),
        Fact::Bool(inbound.iter().any(|x| {
            model
                .element(&x.from)
                .is_some_and(|s| s.kind == ElementKind::ExternalEntity)
        })),
    );
    f.insert(
        "inbound_crossing".into(),
        Fact::Bool(inbound.iter().any(|x| crosses(model, x).is_some())),
    );
    f.insert("has_inbound".into(), Fact::Bool(!inbound.is_empty()));
    f.insert(
        "has_outbound".into(),
        Fact::Bool(model.flows.iter().any(|x| x.from == e.id)),
    );
    f
}

/// The facts about a flow, with its endpoints' facts under `source.` and
/// `target.`.
pub fn flow_facts(model: &Model, flow: &Flow) -> Facts {
    let mut f = Facts::new();
    if let Some(s) = model.element(&flow.from) {
        for (k, v) in element_facts(model, s) {
            f.insert(format!("source.{k}"), v);
        }
    }
    if let Some(t) = model.element(&flow.to) {
        for (k, v) in element_facts(model, t) {
            f.insert(format!("target.{k}"), v);
        }
    }
    let crossing = crosses(model, flow);
    f.insert("crosses_boundary".into(), Fact::Bool(crossing.is_some()));
    f.insert("encrypted".into(), Fact::Bool(flow.encrypted));
    f.insert("authenticated".into(), Fact::Bool(flow.authenticated));
    let proto = flow.protocol.clone().unwrap_or_default();
    f.insert(
        "plaintext".into(),
        Fact::Bool(!flow.encrypted || PLAINTEXT_PROTOCOLS.contains(&proto.as_str())),
    );
    f.insert("protocol".into(), Fact::Text(proto));
    let (lvl, pii) = level(model, &flow.carries);
    f.insert("data".into(), Fact::Level(lvl));
    f.insert("pii".into(), Fact::Bool(pii));
    f.insert(
        "from_internet".into(),
        Fact::Bool(model.element(&flow.from).is_some_and(|s| {
            in_internet(model, s)
                || s.kind == ElementKind::ExternalEntity && s.attr("internet_facing")
        })),
    );
    f
}

fn control_on(control: &str, scope: Scope, facts: &Facts, flow: Option<&Flow>) -> bool {
    match (scope, control) {
        (Scope::Flow, "flow.encrypted") => flow.is_some_and(|f| f.encrypted),
        (Scope::Flow, "flow.authenticated") => flow.is_some_and(|f| f.authenticated),
        (Scope::Flow, c) => facts.get(&c.replacen('.', ".attr.", 1)) == Some(&Fact::Bool(true)),
        (Scope::Element, c) => facts.get(&format!("attr.{c}")) == Some(&Fact::Bool(true)),
    }
}

/// The rule's DREAD defaults moved by model facts, with the reasons.
fn risk(rule: &Rule, facts: &Facts, prefix: &str) -> Risk {
    let get = |n: &str| facts.get(&format!("{prefix}{n}")).or_else(|| facts.get(n));
    let exposed = get("internet_exposed") == Some(&Fact::Bool(true))
        || facts.get("from_internet") == Some(&Fact::Bool(true));
    let lvl = match facts.get("data").or_else(|| get("data")) {
        Some(Fact::Level(l)) => *l,
        _ => -1,
    };
    let pii = facts.get("pii").or_else(|| get("pii")) == Some(&Fact::Bool(true));
    let mut v = rule.dread;
    let mut why: [Vec<String>; 5] = Default::default();
    for (i, w) in why.iter_mut().enumerate() {
        w.push(format!("rule default {}", v[i]));
    }
    let mut bump = |i: usize, by: u8, reason: &str| {
        let new = (v[i] + by).min(10);
        if new != v[i] {
            why[i].push(format!("+{} {reason}", new - v[i]));
            v[i] = new;
        }
    };
    if exposed {
        bump(2, 2, "internet exposure");
        bump(4, 1, "internet exposure");
    }
    if lvl >= 3 {
        bump(0, 2, "restricted data");
        bump(3, 1, "restricted data");
    } else if lvl == 2 {
        bump(0, 1, "confidential data");
    }
    if pii {
        bump(3, 1, "personal data");
    }
    // Every value is within 0-10 (rule files are checked, bumps are capped),
    // so the score is built directly rather than through a fallible constructor.
    let rating = |i: usize| Rating {
        value: v[i],
        rationale: Some(why[i].join(", ")),
    };
    let score = DreadScore {
        damage: rating(0),
        reproducibility: rating(1),
        exploitability: rating(2),
        affected_users: rating(3),
        discoverability: rating(4),
    };
    let mut factors = BTreeMap::new();
    for (i, f) in DreadFactor::ALL.into_iter().enumerate() {
        let key = match f {
            DreadFactor::Damage => "damage",
            DreadFactor::Reproducibility => "reproducibility",
            DreadFactor::Exploitability => "exploitability",
            DreadFactor::AffectedUsers => "affected_users",
            DreadFactor::Discoverability => "discoverability",
        };
        factors.insert(
            key.to_string(),
            FactorValue {
                value: v[i],
                rationale: why[i].join(", "),
            },
        );
    }
    let s = (score.score(DreadVariant::Standard) * 100.0).round() / 100.0;
    Risk {
        method: "dread".into(),
        score: s,
        severity: score.severity(DreadVariant::Standard),
        factors,
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
        let facts = element_facts(model, e);
        let names = [("element", e.name.as_str())];
        let head = format!(
            "{} {:?} is a {} ({})",
            kind_name(e.kind).replace('_', " "),
            e.id,
            e.component_type,
            boundaries_of(model, e)
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
    let mut flow_homes: Vec<(String, Finding)> = Vec::new();
    for flow in &model.flows {
        let facts = flow_facts(model, flow);
        let (Some(s), Some(t)) = (model.element(&flow.from), model.element(&flow.to)) else {
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
        if let Some((a, b)) = crosses(model, flow) {
            head.push_str(&format!(" crosses {a}→{b}"));
        }
        let (lvl, _) = level(model, &flow.carries);
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
                    flow_homes.push((home.0.to_string(), f.clone()));
                    local.push(f);
                }
            }
        }
        coverage.insert(flow.id.clone(), BTreeMap::new());
        threats.extend(local);
    }
    // Coverage: every element and flow, from the findings that live there.
    for e in &model.elements {
        let mut here: Vec<Finding> = threats
            .iter()
            .filter(|f| f.elements.len() == 1 && f.elements[0] == e.id)
            .cloned()
            .collect();
        here.extend(
            flow_homes
                .iter()
                .filter(|(h, _)| *h == e.id)
                .map(|(_, f)| f.clone()),
        );
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
        let here: Vec<Finding> = flow_homes
            .iter()
            .filter(|(h, _)| *h == flow.id)
            .map(|(_, f)| f.clone())
            .collect();
        let mut c = cells(&here, None, false);
        let ends_out = [&flow.from, &flow.to]
            .iter()
            .any(|id| model.element(id).is_some_and(|e| e.out_of_scope));
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

fn out_of_scope(cells: &mut BTreeMap<Stride, CoverageCell>, reason: Option<&str>) {
    for cell in cells.values_mut() {
        *cell = CoverageCell {
            status: Status::NotApplicable,
            findings: vec![],
            controls: vec![],
            reason: Some(format!(
                "out of scope: {}",
                reason.unwrap_or("no reason given")
            )),
        };
    }
}

fn fires(rule: &Rule, facts: &Facts) -> bool {
    rule.when.iter().all(|c| c.eval(facts))
        && (rule.any.is_empty() || rule.any.iter().any(|c| c.eval(facts)))
}

fn cells(
    findings: &[Finding],
    kind: Option<ElementKind>,
    log_store: bool,
) -> BTreeMap<Stride, CoverageCell> {
    Stride::ALL
        .into_iter()
        .map(|s| {
            let cell = match applicability(kind, log_store, s) {
                Err(reason) => CoverageCell {
                    status: Status::NotApplicable,
                    findings: vec![],
                    controls: vec![],
                    reason: Some(reason.to_string()),
                },
                Ok(()) => {
                    let here: Vec<&Finding> = findings.iter().filter(|f| f.stride == s).collect();
                    let mut controls: Vec<String> =
                        here.iter().flat_map(|f| f.mitigated_by.clone()).collect();
                    controls.sort();
                    controls.dedup();
                    CoverageCell {
                        status: if here.iter().all(|f| f.status == Status::Mitigated)
                            && !here.is_empty()
                        {
                            Status::Mitigated
                        } else {
                            Status::Open
                        },
                        findings: here.iter().map(|f| f.id.clone()).collect(),
                        controls,
                        reason: None,
                    }
                }
            };
            (s, cell)
        })
        .collect()
}

/// Quick mode: what threatens a component like this, without a model.
///
/// A one-element model is built around it: the component in a cloud
/// boundary (or the internet, for external entities) and, when it is a
/// process or a data store, a caller reaching it over an unencrypted,
/// unauthenticated flow (from the internet when `internet_facing` is set).
/// Threats to the component and to that inbound flow are returned.
pub fn threats_for(
    kind: ElementKind,
    component_type: ComponentType,
    attributes: &BTreeMap<String, bool>,
) -> Vec<Finding> {
    use crate::model::{Boundary, DataAsset};
    let internet = attributes.get("internet_facing").copied().unwrap_or(false);
    let mut model = Model {
        name: format!("{component_type} component"),
        description: None,
        boundaries: vec![
            Boundary {
                id: "internet".into(),
                name: "Internet".into(),
                kind: BoundaryKind::Internet,
                parent: None,
                description: None,
            },
            Boundary {
                id: "internal".into(),
                name: "Internal network".into(),
                kind: BoundaryKind::Cloud,
                parent: None,
                description: None,
            },
        ],
        elements: vec![Element {
            id: "component".into(),
            name: format!("the {component_type}"),
            kind,
            component_type,
            boundary: Some(if kind == ElementKind::ExternalEntity {
                "internet".into()
            } else {
                "internal".into()
            }),
            attributes: attributes.clone(),
            stores: vec![],
            description: None,
            out_of_scope: false,
            out_of_scope_reason: None,
        }],
        data: vec![DataAsset {
            id: "data".into(),
            name: "Business data".into(),
            classification: crate::model::Classification::Confidential,
            pii: false,
            description: None,
        }],
        flows: vec![],
        recorded_threats: vec![],
    };
    if kind != ElementKind::ExternalEntity {
        model.elements.push(Element {
            id: "caller".into(),
            name: "caller".into(),
            kind: if internet {
                ElementKind::ExternalEntity
            } else {
                ElementKind::Process
            },
            component_type: if internet {
                ComponentType::User
            } else {
                ComponentType::Microservice
            },
            boundary: Some(if internet {
                "internet".into()
            } else {
                "internal".into()
            }),
            attributes: BTreeMap::new(),
            stores: vec![],
            description: None,
            out_of_scope: false,
            out_of_scope_reason: None,
        });
        model.flows.push(Flow {
            id: "inbound".into(),
            from: "caller".into(),
            to: "component".into(),
            name: Some("inbound requests".into()),
            protocol: None,
            encrypted: false,
            authenticated: false,
            carries: vec!["data".into()],
            description: None,
            out_of_scope: false,
            out_of_scope_reason: None,
        });
        if kind == ElementKind::DataStore {
            model.elements[0].stores = vec!["data".into()];
        }
    }
    analyze(&model, Catalog::builtin())
        .threats
        .into_iter()
        .filter(|f| {
            f.elements
                .first()
                .is_some_and(|e| e == "component" || e == "inbound")
        })
        .collect()
}
