//! TM-BOM: the OWASP Threat Model Library's JSON format (schema v1.0.2).
//!
//! Import: trust zones become boundaries, actors external entities,
//! components processes, data stores data stores, data sets data assets
//! (placed on their stores), data flows flows, and recorded threats keep
//! their controls' status and their risks' level. Trust-boundary
//! authentication marks the flows between its zones authenticated. What has
//! no counterpart here (assumptions, threat personas, diagrams, access
//! control methods, parent components) is reported one line each.
//!
//! Export ([`export`]) writes the model and our findings as TM-BOM threats,
//! controls and risks.

use std::collections::BTreeMap;

use serde_json::Value;

use super::slug::{Slugs, one_line};
use super::{ImportError, Imported};
use crate::model::{
    Boundary, BoundaryKind, Classification, ComponentType, DataAsset, Element, ElementKind, Flow,
    Model, RecordedThreat,
};

mod export;
pub use export::{EXTENSION, export};

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn list<'a>(v: &'a Value, k: &str) -> impl Iterator<Item = &'a Value> {
    v.get(k).and_then(Value::as_array).into_iter().flatten()
}

fn text(v: &Value, k: &str) -> Option<String> {
    Some(s(v, k).to_string()).filter(|x| !x.trim().is_empty())
}

/// Whether a parsed document is a TM-BOM model.
pub fn is_tm_bom(doc: &Value) -> bool {
    s(doc, "$schema").contains("threat-model-library")
        || doc.get("bomFormat").is_some()
        || (doc.get("trust_zones").is_some()
            && doc.get("components").is_some()
            && doc.get("data_flows").is_some())
}

fn zone_kind(z: &Value) -> BoundaryKind {
    let words = format!("{} {}", s(z, "symbolic_name"), s(z, "title")).to_ascii_lowercase();
    if words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "internet")
    {
        BoundaryKind::Internet
    } else {
        BoundaryKind::Generic
    }
}

/// Imports a TM-BOM model (JSON).
pub fn import(file: &str, text_in: &str) -> Result<Imported, ImportError> {
    let bad = |m: &str| ImportError {
        file: file.to_string(),
        message: format!("TM-BOM: {m}"),
    };
    let doc: Value = serde_json::from_str(text_in).map_err(|e| bad(&format!("not JSON: {e}")))?;
    if !doc.is_object() {
        return Err(bad("the model is not a JSON object"));
    }
    if doc.get("bomFormat").is_some() {
        return Err(bad(
            "a CycloneDX document (bomFormat): only the Threat Model Library's TM-BOM schema is read",
        ));
    }
    for key in [
        "trust_zones",
        "actors",
        "components",
        "data_stores",
        "data_flows",
    ] {
        if !doc.get(key).is_some_and(Value::is_array) {
            return Err(bad(&format!("\"{key}\" is missing or not a list")));
        }
    }
    // Our own export carries the whole model: read it back as it was.
    if let Some(ours) = doc.pointer(&format!("/extensions/{}", EXTENSION.replace('/', "~1")))
        && let Ok(model) = serde_json::from_value::<Model>(ours.clone())
    {
        return Ok(Imported {
            model,
            unmapped: vec![],
        });
    }
    let mut unmapped = Vec::new();
    let boundaries: Vec<Boundary> = list(&doc, "trust_zones")
        .map(|z| Boundary {
            source_id: None,
            id: s(z, "symbolic_name").to_string(),
            name: one_line(s(z, "title")),
            kind: zone_kind(z),
            parent: None,
            description: text(z, "description"),
        })
        .collect();
    let mut elements: Vec<Element> = Vec::new();
    let mut push = |v: &Value, kind: ElementKind, ty: ComponentType, attrs: &[&str]| {
        elements.push(Element {
            source_id: None,
            id: s(v, "symbolic_name").to_string(),
            name: one_line(s(v, "title")),
            kind,
            component_type: ty,
            boundary: text(v, "trust_zone"),
            attributes: attrs.iter().map(|a| ((*a).to_string(), true)).collect(),
            stores: vec![],
            description: text(v, "description"),
            out_of_scope: false,
            out_of_scope_reason: None,
        });
    };
    for a in list(&doc, "actors") {
        let (ty, attrs): (ComponentType, &[&str]) = match s(a, "type") {
            "user" | "power_user" => (ComponentType::User, &[]),
            "administrator" | "engineer" => (ComponentType::User, &["privileged"]),
            "third_party" => (ComponentType::Generic, &["third_party"]),
            _ => (ComponentType::Generic, &[]),
        };
        push(a, ElementKind::ExternalEntity, ty, attrs);
    }
    for c in list(&doc, "components") {
        push(c, ElementKind::Process, ComponentType::Generic, &[]);
        if let Some(p) = text(c, "parent_component") {
            unmapped.push(format!(
                "component {}: parent component {p} is not mapped (no nesting of components)",
                s(c, "symbolic_name")
            ));
        }
    }
    for d in list(&doc, "data_stores") {
        let ty = match s(d, "type") {
            "object" => ComponentType::ObjectStorage,
            "key_value" => ComponentType::Cache,
            _ => ComponentType::Database,
        };
        push(d, ElementKind::DataStore, ty, &[]);
    }
    for e in &mut elements {
        if let Some(z) = e.boundary.clone()
            && !boundaries.iter().any(|b| b.id == z)
        {
            unmapped.push(format!("{}: trust zone {z} is not in the model", e.id));
            e.boundary = None;
        }
    }
    let mut data = Vec::new();
    for ds in list(&doc, "data_sets") {
        let id = s(ds, "symbolic_name").to_string();
        let sens: Vec<&str> = list(ds, "data_sensitivity")
            .filter_map(Value::as_str)
            .collect();
        let any = |xs: &[&str]| sens.iter().any(|x| xs.contains(x));
        let classification = if any(&["cred", "pci", "phi", "fin"]) {
            Classification::Restricted
        } else if any(&["pii", "ip", "biz", "gov"]) {
            Classification::Confidential
        } else {
            Classification::Internal
        };
        for p in list(ds, "placements") {
            if let Some(e) = elements.iter_mut().find(|e| e.id == s(p, "data_store")) {
                e.stores.push(id.clone());
                if sens.contains(&"cred") {
                    e.attributes.insert("stores_credentials".into(), true);
                }
                if p.get("encrypted").and_then(Value::as_bool) == Some(true) {
                    e.attributes.insert("encrypted_at_rest".into(), true);
                }
            }
        }
        data.push(DataAsset {
            id,
            name: one_line(s(ds, "title")),
            classification,
            pii: any(&["pii", "phi"]),
            description: text(ds, "description"),
        });
    }
    // Authentication declared on a trust boundary covers the flows across it.
    let mut authenticated_pairs = Vec::new();
    for tb in list(&doc, "trust_boundaries") {
        let (a, b) = (s(tb, "trust_zone_a"), s(tb, "trust_zone_b"));
        if list(tb, "authentication_methods").any(|m| m.as_str().is_some_and(|m| m != "none")) {
            authenticated_pairs.push((a.to_string(), b.to_string()));
        }
        if list(tb, "access_control_methods").next().is_some() {
            unmapped.push(format!(
                "trust boundary {a}/{b}: access_control_methods are not mapped"
            ));
        }
    }
    let sensitive = "sensitive-data";
    let mut flows = Vec::new();
    for f in list(&doc, "data_flows") {
        let id = s(f, "symbolic_name").to_string();
        let end = |k: &str| f.get(k).map(|e| s(e, "object").to_string());
        let (Some(from), Some(to)) = (end("source"), end("destination")) else {
            unmapped.push(format!(
                "data flow {id}: source or destination missing; skipped"
            ));
            continue;
        };
        if let Some(x) = [&from, &to]
            .into_iter()
            .find(|x| !elements.iter().any(|e| &e.id == *x))
        {
            unmapped.push(format!("data flow {id}: {x} is not an element; skipped"));
            continue;
        }
        let zone = |x: &str| {
            elements
                .iter()
                .find(|e| e.id == x)
                .and_then(|e| e.boundary.clone())
        };
        let (za, zb) = (
            zone(&from).unwrap_or_default(),
            zone(&to).unwrap_or_default(),
        );
        let authenticated = za != zb
            && authenticated_pairs
                .iter()
                .any(|(a, b)| (*a == za && *b == zb) || (*a == zb && *b == za));
        let has_sensitive = f.get("has_sensitive_data").and_then(Value::as_bool) == Some(true);
        flows.push(Flow {
            source_id: None,
            id,
            from,
            to,
            name: text(f, "title").map(|t| one_line(&t)),
            protocol: None,
            encrypted: f.get("encrypted").and_then(Value::as_bool) == Some(true),
            authenticated,
            carries: if has_sensitive {
                vec![sensitive.to_string()]
            } else {
                vec![]
            },
            description: text(f, "description"),
            out_of_scope: false,
            out_of_scope_reason: None,
        });
    }
    if flows.iter().any(|f| !f.carries.is_empty()) && !data.iter().any(|d| d.id == sensitive) {
        data.push(DataAsset {
            id: sensitive.into(),
            name: "Sensitive data (has_sensitive_data)".into(),
            classification: Classification::Confidential,
            pii: false,
            description: Some("TM-BOM flows say only that they carry sensitive data".into()),
        });
    }
    // Symbolic names must be unique; a repeated one is renamed, not dropped.
    let mut seen = Slugs::default();
    for e in &mut elements {
        unique(&mut seen, &mut e.id, "element", &mut unmapped);
    }
    for f in &mut flows {
        unique(&mut seen, &mut f.id, "data flow", &mut unmapped);
    }
    let recorded_threats = recorded(&doc, &elements, &flows, &mut unmapped);
    for (key, what) in [
        ("assumptions", "assumptions"),
        ("threat_personas", "threat personas"),
        ("diagrams", "diagrams"),
    ] {
        let n = list(&doc, key).count();
        if n > 0 {
            unmapped.push(format!("{n} {what} are not mapped"));
        }
    }
    let scope = doc.get("scope").cloned().unwrap_or(Value::Null);
    let model = Model {
        name: text(&scope, "title")
            .map(|t| one_line(&t))
            .unwrap_or_else(|| "TM-BOM model".into()),
        description: text(&doc, "description").or_else(|| text(&scope, "description")),
        boundaries,
        elements,
        data,
        flows,
        recorded_threats,
    };
    Ok(crate::interop::slug::readable(Imported { model, unmapped }))
}

fn unique(seen: &mut Slugs, id: &mut String, what: &str, unmapped: &mut Vec<String>) {
    let new = seen.claim(id);
    if new != *id {
        unmapped.push(format!(
            "{what} {id}: its symbolic name is used twice; renamed {new}"
        ));
        *id = new;
    }
}

/// Threats, with the status their controls give them and their risk level.
fn recorded(
    doc: &Value,
    elements: &[Element],
    flows: &[Flow],
    unmapped: &mut Vec<String>,
) -> Vec<RecordedThreat> {
    let mut controls: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for c in list(doc, "controls") {
        for t in list(c, "threats").filter_map(Value::as_str) {
            controls.entry(t).or_default().push(c);
        }
    }
    let mut levels: BTreeMap<&str, &str> = BTreeMap::new();
    for r in list(doc, "risks") {
        for t in list(r, "threats").filter_map(Value::as_str) {
            levels.insert(t, s(r, "level"));
        }
    }
    let known = |id: &str| elements.iter().any(|e| e.id == id) || flows.iter().any(|f| f.id == id);
    let mut out = Vec::new();
    for t in list(doc, "threats") {
        let tid = s(t, "symbolic_name");
        let cs = controls.get(tid).cloned().unwrap_or_default();
        let status = if cs
            .iter()
            .any(|c| matches!(s(c, "status"), "active" | "assumed"))
        {
            "Mitigated"
        } else {
            "Open"
        };
        let mitigation = cs
            .iter()
            .map(|c| format!("{} ({})", s(c, "title"), s(c, "status")))
            .collect::<Vec<_>>()
            .join("\n");
        let on: Vec<&str> = list(t, "components_affected")
            .filter_map(Value::as_str)
            .collect();
        let mut placed = false;
        for e in on.iter().filter(|e| known(e)) {
            placed = true;
            out.push(RecordedThreat {
                element: (*e).to_string(),
                id: Some(tid.to_string()),
                title: one_line(s(t, "title")),
                category: None,
                status: status.into(),
                severity: levels.get(tid).map(|l| (*l).to_string()),
                description: text(t, "description"),
                mitigation: Some(mitigation.clone()).filter(|m| !m.is_empty()),
            });
        }
        if !placed {
            unmapped.push(format!(
                "threat {tid}: names no affected element of the model; not recorded"
            ));
        }
    }
    out
}
