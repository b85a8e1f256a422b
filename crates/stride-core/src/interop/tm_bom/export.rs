//! TM-BOM export: the model, and our findings as threats with their
//! controls and risks, valid against the Threat Model Library's schema.

use std::collections::BTreeMap;

use dread::Severity;
use serde_json::{Value, json};

use crate::engine::Analysis;
use crate::explain::prose::sentence;
use crate::finding::{Finding, Status};
use crate::interop::slug::Slugs;
use crate::model::{BoundaryKind, Classification, ComponentType, ElementKind, Model};

/// The extension key under which the export carries our whole model, so
/// that importing our own export loses nothing.
pub const EXTENSION: &str = "github.com/stride-secrets/toolkit/model";

const SCHEMA: &str = "https://github.com/OWASP/www-project-threat-model-library/blob/v1.0.2/threat-model.schema.json";

const UNZONED: &str = "unzoned";

fn priority(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::None => "none",
    }
}

/// TM-BOM's 1-5 scale from a 0-10 DREAD mean.
fn five(v: f64) -> u8 {
    ((v / 2.0).ceil() as u8).clamp(1, 5)
}

/// The library's bands for likelihood x impact.
fn band(score: u8) -> &'static str {
    match score {
        0..=2 => "very_low",
        3..=4 => "low",
        5..=9 => "medium",
        10..=12 => "high",
        13..=16 => "very_high",
        _ => "critical",
    }
}

fn factor(f: &Finding, k: &str) -> f64 {
    f.risk.factors.get(k).map_or(0.0, |v| f64::from(v.value))
}

/// Exports a model with its analysis as TM-BOM.
pub fn export(model: &Model, analysis: &Analysis) -> Value {
    let mut slugs = Slugs::default();
    let mut sym: BTreeMap<String, String> = BTreeMap::new();
    let mut name = |id: &str, fallback: &str, sym: &mut BTreeMap<String, String>| {
        if let Some(s) = sym.get(id) {
            return s.clone();
        }
        let s = slugs.unique(id, fallback);
        sym.insert(id.to_string(), s.clone());
        s
    };
    let zone_of = |b: &Option<String>, sym: &BTreeMap<String, String>| {
        b.as_ref()
            .and_then(|b| sym.get(&format!("zone:{b}")))
            .cloned()
            .unwrap_or_else(|| UNZONED.to_string())
    };
    let mut trust_zones = Vec::new();
    for b in &model.boundaries {
        let s = name(&b.id, "zone", &mut sym);
        sym.insert(format!("zone:{}", b.id), s.clone());
        trust_zones.push(json!({
            "symbolic_name": s, "title": b.name,
            "description": b.description.clone().unwrap_or_else(|| format!("{} zone", b.kind.as_str().replace('_', " "))),
        }));
    }
    if model
        .elements
        .iter()
        .any(|e| zone_of(&e.boundary, &sym) == UNZONED)
    {
        let s = name(UNZONED, "zone", &mut sym);
        trust_zones.push(json!({ "symbolic_name": s, "title": "No trust zone", "description": "Elements the model places in no boundary" }));
    }
    let (mut actors, mut components, mut data_stores) = (vec![], vec![], vec![]);
    for e in &model.elements {
        let s = name(&e.id, "element", &mut sym);
        let zone = zone_of(&e.boundary, &sym);
        let description = e.description.clone().unwrap_or_default();
        match e.kind {
            ElementKind::ExternalEntity => {
                let ty = if e.attr("third_party") {
                    "third_party"
                } else if e.attr("privileged") {
                    "administrator"
                } else if matches!(
                    e.component_type,
                    ComponentType::User | ComponentType::Browser | ComponentType::MobileApp
                ) {
                    "user"
                } else {
                    "system"
                };
                actors.push(json!({ "symbolic_name": s, "title": e.name, "description": description, "type": ty, "trust_zone": zone }));
            }
            ElementKind::Process => components.push(
                json!({ "symbolic_name": s, "title": e.name, "description": description, "trust_zone": zone }),
            ),
            ElementKind::DataStore => {
                let ty = match e.component_type {
                    ComponentType::Cache | ComponentType::MessageQueue => "key_value",
                    ComponentType::ObjectStorage | ComponentType::FileUpload => "object",
                    ComponentType::LogStore => "time_series",
                    ComponentType::SecretsVault => "key_value",
                    _ => "sql",
                };
                data_stores.push(json!({ "symbolic_name": s, "title": e.name, "description": description, "type": ty, "trust_zone": zone }));
            }
        }
    }
    let sensitivity = |c: Classification, pii: bool| -> Vec<&'static str> {
        let mut v = vec![];
        if pii {
            v.push("pii");
        }
        if c >= Classification::Confidential {
            v.push("biz");
        }
        if v.is_empty() {
            v.push("op");
        }
        v
    };
    let mut data_sets = Vec::new();
    for d in &model.data {
        let s = name(&d.id, "data", &mut sym);
        let placements: Vec<Value> = model
            .elements
            .iter()
            .filter(|e| e.stores.contains(&d.id))
            .map(|e| json!({ "data_store": sym.get(&e.id).cloned().unwrap_or_default(), "encrypted": e.attr("encrypted_at_rest") }))
            .collect();
        data_sets.push(json!({ "symbolic_name": s, "title": d.name, "description": d.description.clone().unwrap_or_default(),
            "placements": placements, "data_sensitivity": sensitivity(d.classification, d.pii) }));
    }
    let kind_of = |id: &str| match model.element(id).map(|e| e.kind) {
        Some(ElementKind::ExternalEntity) => "actor",
        Some(ElementKind::DataStore) => "data_store",
        _ => "component",
    };
    let mut data_flows = Vec::new();
    let mut crossings: Vec<(String, String)> = Vec::new();
    for f in &model.flows {
        let s = name(&f.id, "flow", &mut sym);
        let zone = |id: &str| zone_of(&model.element(id).and_then(|e| e.boundary.clone()), &sym);
        let (za, zb) = (zone(&f.from), zone(&f.to));
        if za != zb
            && !crossings.contains(&(za.clone(), zb.clone()))
            && !crossings.contains(&(zb.clone(), za.clone()))
        {
            crossings.push((za, zb));
        }
        let sensitive = f.carries.iter().any(|c| {
            model
                .data_asset(c)
                .is_some_and(|d| d.pii || d.classification >= Classification::Confidential)
        });
        let mut description = f.description.clone().unwrap_or_default();
        if let Some(p) = &f.protocol {
            description = format!("{description} (protocol {p})").trim().to_string();
        }
        data_flows.push(json!({
            "symbolic_name": s, "title": f.name.clone().unwrap_or_else(|| f.id.clone()), "description": description,
            "source": { "type": kind_of(&f.from), "object": sym.get(&f.from).cloned().unwrap_or_default() },
            "destination": { "type": kind_of(&f.to), "object": sym.get(&f.to).cloned().unwrap_or_default() },
            "has_sensitive_data": sensitive, "encrypted": f.encrypted,
        }));
    }
    let trust_boundaries: Vec<Value> = crossings
        .iter()
        .map(|(a, b)| json!({ "trust_zone_a": a, "trust_zone_b": b }))
        .collect();
    let persona = "external-attacker";
    let (mut threats, mut risks) = (vec![], vec![]);
    let mut controls: BTreeMap<String, (Value, Vec<String>, Severity)> = BTreeMap::new();
    for f in &analysis.threats {
        let s = name(&format!("threat {}", f.id), "threat", &mut sym);
        let affected: Vec<String> = f
            .elements
            .iter()
            .filter_map(|e| sym.get(e).cloned())
            .collect();
        threats.push(json!({
            "symbolic_name": s, "title": f.title, "description": f.description,
            "components_affected": affected, "threat_persona": persona, "event": sentence(&f.explanation),
            "sources": ["adversary"],
            "weaknesses": f.cwe.iter().map(|c| json!({ "cwe_id": c })).collect::<Vec<_>>(),
            "attack_mechanisms": f.capec.iter().map(|c| json!({ "capec_id": c })).collect::<Vec<_>>(),
        }));
        let likelihood = five(
            (factor(f, "reproducibility")
                + factor(f, "exploitability")
                + factor(f, "discoverability"))
                / 3.0,
        );
        let impact = five((factor(f, "damage") + factor(f, "affected_users")) / 2.0);
        let score = likelihood * impact;
        let likelihood_name =
            ["rare", "unlikely", "possible", "likely", "certain"][usize::from(likelihood - 1)];
        let impact_name =
            ["negligible", "minor", "moderate", "major", "severe"][usize::from(impact - 1)];
        risks.push(json!({
            "symbolic_name": format!("risk-{s}"), "title": f.title,
            "description": format!("DREAD {:.1} ({}); {}", f.risk.score, f.risk.severity, report_status(f.status)),
            "threats": [s.clone()],
            "likelihood": likelihood_name, "impact": impact_name,
            "impact_description": f.description, "score": score, "level": band(score),
        }));
        let entries: Vec<(String, String, &str)> = match f.status {
            Status::Mitigated => f
                .mitigated_by
                .iter()
                .map(|c| {
                    (
                        format!("declared {c}"),
                        format!("Declared in the model: {c}"),
                        "active",
                    )
                })
                .collect(),
            Status::Accepted => f
                .mitigations
                .iter()
                .map(|m| (m.title.clone(), m.text.clone(), "wont_do"))
                .collect(),
            _ => f
                .mitigations
                .iter()
                .map(|m| (m.title.clone(), m.text.clone(), "suggested"))
                .collect(),
        };
        for (title, text, status) in entries {
            let key = format!("{status}:{title}");
            let entry = controls.entry(key).or_insert_with(|| {
                (
                    json!({ "title": title, "description": text, "status": status }),
                    vec![],
                    Severity::None,
                )
            });
            entry.1.push(s.clone());
            entry.2 = entry.2.max(f.risk.severity);
        }
    }
    let controls: Vec<Value> = controls
        .into_values()
        .map(|(mut c, ts, sev)| {
            let title = c["title"].as_str().unwrap_or("control").to_string();
            c["symbolic_name"] = json!(name(
                &format!("control {title} {}", c["status"]),
                "control",
                &mut sym
            ));
            c["threats"] = json!(ts);
            c["priority"] = json!(priority(sev));
            c
        })
        .collect();
    let exposed = model
        .boundaries
        .iter()
        .any(|b| b.kind == BoundaryKind::Internet)
        || model.elements.iter().any(|e| e.attr("internet_facing"));
    let mut scope_sens: Vec<&str> = model
        .data
        .iter()
        .flat_map(|d| sensitivity(d.classification, d.pii))
        .collect();
    if model.elements.iter().any(|e| e.attr("stores_credentials")) {
        scope_sens.push("cred");
    }
    if model.elements.iter().any(|e| e.attr("handles_payments")) {
        scope_sens.push("pci");
    }
    scope_sens.sort_unstable();
    scope_sens.dedup();
    json!({
        "$schema": SCHEMA,
        "version": "1.0",
        "scope": {
            "title": model.name, "description": model.description.clone().unwrap_or_default(),
            "business_criticality": "moderate", "data_sensitivity": scope_sens,
            "exposure": if exposed { "external" } else { "internal" }, "tier": "important",
        },
        "description": model.description.clone().unwrap_or_default(),
        "trust_zones": trust_zones, "trust_boundaries": trust_boundaries,
        "actors": actors, "components": components, "data_stores": data_stores,
        "data_sets": data_sets, "data_flows": data_flows,
        "threat_personas": [{
            "symbolic_name": persona, "title": "External attacker",
            "description": "Whoever the STRIDE rules assume: an attacker reaching the system from outside its trust zones",
            "is_person": true, "skill_level": "engineer", "access_level": "anonymous",
            "malicious_intent": true, "applicability_to_org": "moderate",
        }],
        "threats": threats, "controls": controls, "risks": risks,
        "extensions": { EXTENSION: model },
    })
}

fn report_status(s: Status) -> &'static str {
    match s {
        Status::Open => "open",
        Status::Mitigated => "mitigated",
        Status::Accepted => "accepted",
        Status::NotApplicable => "not applicable",
    }
}
