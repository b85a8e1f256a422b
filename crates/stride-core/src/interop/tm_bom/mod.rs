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

use serde::Deserialize;
use serde_json::Value;

use super::lenient::{Field, Node, Obj};
use super::slug::{Slugs, one_line};
use super::{Format, ImportError, Imported, IncludeReader, Thing, Unmapped};
use crate::model::{
    Boundary, BoundaryKind, Classification, ComponentType, DataAsset, Element, ElementKind, Flow,
    Model, RecordedThreat,
};

mod doc;
mod export;
pub use export::{EXTENSION, export};

/// The text, when it is a string that is not blank.
fn text(f: &Field<String>) -> Option<String> {
    f.get().filter(|x| !x.trim().is_empty()).cloned()
}

/// Whether a parsed document is a TM-BOM model.
pub(crate) fn is_tm_bom(doc: &Value) -> bool {
    let Ok(Node(p)) = Node::<doc::Probe>::deserialize(doc) else {
        return false;
    };
    p.schema.str().contains("threat-model-library")
        || p.bom_format.present()
        || (p.trust_zones.present() && p.components.present() && p.data_flows.present())
}

fn zone_kind(z: &doc::Item) -> BoundaryKind {
    let words = format!("{} {}", z.symbolic_name.str(), z.title.str()).to_ascii_lowercase();
    if words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "internet")
    {
        BoundaryKind::Internet
    } else {
        BoundaryKind::Generic
    }
}

/// Imports a TM-BOM model, JSON (it includes nothing: the reader is not
/// used).
pub fn import(file: &str, text_in: &str, _: &dyn IncludeReader) -> Result<Imported, ImportError> {
    let bad = |problem: String| ImportError::Malformed {
        file: file.to_string(),
        format: Format::TmBom,
        problem,
    };
    let doc: Field<Obj<doc::Doc>> =
        serde_json::from_str(text_in).map_err(|e| ImportError::Syntax {
            file: file.to_string(),
            format: Format::TmBom,
            message: e.to_string(),
        })?;
    let Some(Obj(mut doc)) = doc.into_option() else {
        return Err(ImportError::NotTheFormat {
            file: file.to_string(),
            format: Format::TmBom,
            why: "the model is not a JSON object",
        });
    };
    if doc.bom_format.present() {
        return Err(ImportError::NotTheFormat {
            file: file.to_string(),
            format: Format::TmBom,
            why: "a CycloneDX document (bomFormat): only the Threat Model Library's TM-BOM schema is read",
        });
    }
    for (key, list) in [
        ("trust_zones", doc.trust_zones.get().is_some()),
        ("actors", doc.actors.get().is_some()),
        ("components", doc.components.get().is_some()),
        ("data_stores", doc.data_stores.get().is_some()),
        ("data_flows", doc.data_flows.get().is_some()),
    ] {
        if !list {
            return Err(bad(format!("\"{key}\" is missing or not a list")));
        }
    }
    // Our own export carries the whole model: read it back as it was.
    if let Field::Value(model) = std::mem::take(&mut doc.extensions.0.ours) {
        return Ok(Imported {
            model,
            unmapped: vec![],
        });
    }
    let mut unmapped = Vec::new();
    let boundaries: Vec<Boundary> = doc
        .trust_zones
        .items()
        .iter()
        .map(|z| Boundary {
            source_id: None,
            id: z.symbolic_name.str().to_string(),
            name: one_line(z.title.str()),
            kind: zone_kind(z),
            parent: None,
            description: text(&z.description),
        })
        .collect();
    let mut elements: Vec<Element> = Vec::new();
    let mut push = |v: &doc::Item, kind: ElementKind, ty: ComponentType, attrs: &[&str]| {
        elements.push(Element {
            source_id: None,
            id: v.symbolic_name.str().to_string(),
            name: one_line(v.title.str()),
            kind,
            component_type: ty,
            boundary: text(&v.trust_zone),
            attributes: attrs.iter().map(|a| ((*a).to_string(), true)).collect(),
            stores: vec![],
            description: text(&v.description),
            out_of_scope: false,
            out_of_scope_reason: None,
        });
    };
    for a in doc.actors.items() {
        let (ty, attrs): (ComponentType, &[&str]) = match a.kind.str() {
            "user" | "power_user" => (ComponentType::User, &[]),
            "administrator" | "engineer" => (ComponentType::User, &["privileged"]),
            "third_party" => (ComponentType::Generic, &["third_party"]),
            _ => (ComponentType::Generic, &[]),
        };
        push(a, ElementKind::ExternalEntity, ty, attrs);
    }
    for c in doc.components.items() {
        push(c, ElementKind::Process, ComponentType::Generic, &[]);
        if let Some(p) = text(&c.parent_component) {
            unmapped.push(Unmapped::new(
                Thing::Component,
                c.symbolic_name.str(),
                format!("parent component {p} is not mapped (no nesting of components)"),
            ));
        }
    }
    for d in doc.data_stores.items() {
        let ty = match d.kind.str() {
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
            unmapped.push(Unmapped::new(
                Thing::Part,
                &e.id,
                format!("trust zone {z} is not in the model"),
            ));
            e.boundary = None;
        }
    }
    let mut data = Vec::new();
    for ds in doc.data_sets.items() {
        let id = ds.symbolic_name.str().to_string();
        let sens: Vec<&str> = ds.data_sensitivity.strings().collect();
        let any = |xs: &[&str]| sens.iter().any(|x| xs.contains(x));
        let classification = if any(&["cred", "pci", "phi", "fin"]) {
            Classification::Restricted
        } else if any(&["pii", "ip", "biz", "gov"]) {
            Classification::Confidential
        } else {
            Classification::Internal
        };
        for p in ds.placements.items() {
            if let Some(e) = elements.iter_mut().find(|e| e.id == p.data_store.str()) {
                e.stores.push(id.clone());
                if sens.contains(&"cred") {
                    e.attributes.insert("stores_credentials".into(), true);
                }
                if p.encrypted.get() == Some(&true) {
                    e.attributes.insert("encrypted_at_rest".into(), true);
                }
            }
        }
        data.push(DataAsset {
            id,
            name: one_line(ds.title.str()),
            classification,
            pii: any(&["pii", "phi"]),
            description: text(&ds.description),
        });
    }
    // Authentication declared on a trust boundary covers the flows across it.
    let mut authenticated_pairs = Vec::new();
    for tb in doc.trust_boundaries.items() {
        let (a, b) = (tb.trust_zone_a.str(), tb.trust_zone_b.str());
        if tb.authentication_methods.strings().any(|m| m != "none") {
            authenticated_pairs.push((a.to_string(), b.to_string()));
        }
        if !tb.access_control_methods.items().is_empty() {
            unmapped.push(Unmapped::new(
                Thing::TrustBoundary,
                format!("{a}/{b}"),
                "access_control_methods are not mapped",
            ));
        }
    }
    let sensitive = "sensitive-data";
    let mut flows = Vec::new();
    for f in doc.data_flows.items() {
        let id = f.symbolic_name.str().to_string();
        let end = |e: &Field<Node<doc::End>>| e.get().map(|e| e.object.str().to_string());
        let (Some(from), Some(to)) = (end(&f.source), end(&f.destination)) else {
            unmapped.push(Unmapped::new(
                Thing::DataFlow,
                &id,
                "source or destination missing; skipped",
            ));
            continue;
        };
        if let Some(x) = [&from, &to]
            .into_iter()
            .find(|x| !elements.iter().any(|e| &e.id == *x))
        {
            unmapped.push(Unmapped::new(
                Thing::DataFlow,
                &id,
                format!("{x} is not an element; skipped"),
            ));
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
        flows.push(Flow {
            source_id: None,
            id,
            from,
            to,
            name: text(&f.title).map(|t| one_line(&t)),
            protocol: None,
            encrypted: f.encrypted.get() == Some(&true),
            authenticated,
            carries: if f.has_sensitive_data.get() == Some(&true) {
                vec![sensitive.to_string()]
            } else {
                vec![]
            },
            description: text(&f.description),
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
        unique(&mut seen, &mut e.id, Thing::Element, &mut unmapped);
    }
    for f in &mut flows {
        unique(&mut seen, &mut f.id, Thing::DataFlow, &mut unmapped);
    }
    let recorded_threats = recorded(&doc, &elements, &flows, &mut unmapped);
    for (n, what) in [
        (doc.assumptions.items().len(), "assumptions"),
        (doc.threat_personas.items().len(), "threat personas"),
        (doc.diagrams.items().len(), "diagrams"),
    ] {
        if n > 0 {
            unmapped.push(Unmapped::model(format!("{n} {what} are not mapped")));
        }
    }
    let model = Model {
        name: text(&doc.scope.title)
            .map(|t| one_line(&t))
            .unwrap_or_else(|| "TM-BOM model".into()),
        description: text(&doc.description).or_else(|| text(&doc.scope.description)),
        boundaries,
        elements,
        data,
        flows,
        recorded_threats,
    };
    Ok(crate::interop::slug::readable(Imported { model, unmapped }))
}

fn unique(seen: &mut Slugs, id: &mut String, what: Thing, unmapped: &mut Vec<Unmapped>) {
    let new = seen.claim(id);
    if new != *id {
        unmapped.push(Unmapped::new(
            what,
            id.clone(),
            format!("its symbolic name is used twice; renamed {new}"),
        ));
        *id = new;
    }
}

/// Threats, with the status their controls give them and their risk level.
fn recorded(
    doc: &doc::Doc,
    elements: &[Element],
    flows: &[Flow],
    unmapped: &mut Vec<Unmapped>,
) -> Vec<RecordedThreat> {
    let mut controls: BTreeMap<&str, Vec<&doc::Control>> = BTreeMap::new();
    for c in doc.controls.items() {
        for t in c.threats.strings() {
            controls.entry(t).or_default().push(c);
        }
    }
    let mut levels: BTreeMap<&str, &str> = BTreeMap::new();
    for r in doc.risks.items() {
        for t in r.threats.strings() {
            levels.insert(t, r.level.str());
        }
    }
    let known = |id: &str| elements.iter().any(|e| e.id == id) || flows.iter().any(|f| f.id == id);
    let mut out = Vec::new();
    for t in doc.threats.items() {
        let tid = t.symbolic_name.str();
        let cs = controls.get(tid).cloned().unwrap_or_default();
        let status = if cs
            .iter()
            .any(|c| matches!(c.status.str(), "active" | "assumed"))
        {
            "Mitigated"
        } else {
            "Open"
        };
        let mitigation = cs
            .iter()
            .map(|c| format!("{} ({})", c.title.str(), c.status.str()))
            .collect::<Vec<_>>()
            .join("\n");
        let mut placed = false;
        for e in t.components_affected.strings().filter(|e| known(e)) {
            placed = true;
            out.push(RecordedThreat {
                element: e.to_string(),
                id: Some(tid.to_string()),
                title: one_line(t.title.str()),
                category: None,
                status: status.into(),
                severity: levels.get(tid).map(|l| (*l).to_string()),
                description: text(&t.description),
                mitigation: Some(mitigation.clone()).filter(|m| !m.is_empty()),
            });
        }
        if !placed {
            unmapped.push(Unmapped::new(
                Thing::Threat,
                tid,
                "names no affected element of the model; not recorded",
            ));
        }
    }
    out
}
