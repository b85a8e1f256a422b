//! Open Threat Model (OTM) 0.2.0: import and export.
//!
//! Trust zones are boundaries (their `type` is our boundary kind when it is
//! one; otherwise the kind follows the trust rating), components are
//! elements (kind and attributes from `attributes` when we wrote them, else
//! inferred from the component type), dataflows are flows, assets are data
//! assets (classification from `attributes`, else from the confidentiality
//! rating). A component nested in a component takes its parent's zone, and
//! says so.

use serde_json::{Value, json};

mod import;
pub use import::import;

use crate::model::{BoundaryKind, Classification, Model};

fn trust_rating(k: BoundaryKind) -> u32 {
    match k {
        BoundaryKind::Internet => 10,
        BoundaryKind::ThirdParty | BoundaryKind::Device => 30,
        BoundaryKind::Dmz => 40,
        BoundaryKind::Generic => 50,
        BoundaryKind::Corporate => 70,
        BoundaryKind::Cloud | BoundaryKind::OnPrem => 80,
    }
}

fn confidentiality(c: Classification) -> u32 {
    match c {
        Classification::Public => 10,
        Classification::Internal => 40,
        Classification::Confidential => 70,
        Classification::Restricted => 100,
    }
}

/// The id of the zone that holds elements with no boundary.
const UNZONED: &str = "unzoned";

/// Exports a model as an OTM 0.2.0 document.
pub fn export(model: &Model) -> Value {
    let mut zones: Vec<Value> = model
        .boundaries
        .iter()
        .map(|b| {
            let mut z = json!({ "id": b.id, "name": b.name, "type": b.kind.as_str(), "risk": { "trustRating": trust_rating(b.kind) } });
            if let Some(d) = &b.description {
                z["description"] = json!(d);
            }
            if let Some(p) = &b.parent {
                z["parent"] = json!({ "trustZone": p });
            }
            z
        })
        .collect();
    if model.elements.iter().any(|e| e.boundary.is_none()) {
        zones.push(json!({ "id": UNZONED, "name": "No trust boundary", "type": "generic", "risk": { "trustRating": 50 } }));
    }
    let components: Vec<Value> = model
        .elements
        .iter()
        .map(|e| {
            json!({
                "id": e.id, "name": e.name, "type": e.component_type.as_str(),
                "description": e.description,
                "parent": { "trustZone": e.boundary.clone().unwrap_or_else(|| UNZONED.into()) },
                "assets": { "processed": [], "stored": e.stores },
                "tags": [e.kind.as_str()],
                "attributes": { "kind": e.kind.as_str(), "attributes": e.attributes, "out_of_scope": e.out_of_scope, "out_of_scope_reason": e.out_of_scope_reason },
            })
        })
        .collect();
    let dataflows: Vec<Value> = model
        .flows
        .iter()
        .map(|f| {
            json!({
                "id": f.id, "name": f.name.clone().unwrap_or_else(|| f.id.clone()), "description": f.description,
                "bidirectional": false, "source": f.from, "destination": f.to, "assets": f.carries,
                "tags": f.protocol.iter().collect::<Vec<_>>(),
                "attributes": { "protocol": f.protocol, "encrypted": f.encrypted, "authenticated": f.authenticated, "name": f.name, "out_of_scope": f.out_of_scope, "out_of_scope_reason": f.out_of_scope_reason },
            })
        })
        .collect();
    let assets: Vec<Value> = model
        .data
        .iter()
        .map(|d| {
            json!({
                "id": d.id, "name": d.name, "description": d.description,
                "risk": { "confidentiality": confidentiality(d.classification), "integrity": 50, "availability": 50 },
                "attributes": { "classification": d.classification.as_str(), "pii": d.pii },
            })
        })
        .collect();
    json!({
        "otmVersion": "0.2.0",
        "project": { "name": model.name, "id": project_id(&model.name), "description": model.description },
        "trustZones": zones,
        "components": components,
        "dataflows": dataflows,
        "assets": assets,
    })
}

/// The OTM project id: the model name's slug, `model` when nothing is left.
fn project_id(name: &str) -> String {
    let s = crate::interop::slug::slug(name);
    if s.is_empty() { "model".into() } else { s }
}
