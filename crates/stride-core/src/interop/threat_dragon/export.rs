//! Threat Dragon v2 export: the model laid out readably, with our findings
//! written into each cell's `threats`.

use std::collections::BTreeMap;
use std::collections::HashMap;

use serde_json::{Value, json};

use crate::engine::Analysis;
use crate::explain::prose::sentence;
use crate::finding::Status;
use crate::model::{ComponentType, Element, ElementKind, Model};
use crate::stride::Stride;

fn stride_name(s: Stride) -> &'static str {
    match s {
        Stride::Spoofing => "Spoofing",
        Stride::Tampering => "Tampering",
        Stride::Repudiation => "Repudiation",
        Stride::InformationDisclosure => "Information disclosure",
        Stride::DenialOfService => "Denial of service",
        Stride::ElevationOfPrivilege => "Elevation of privilege",
    }
}

/// Exports a model with its analysis as a Threat Dragon v2 model.
pub fn export(model: &Model, analysis: &Analysis) -> Value {
    const W: f64 = 160.0;
    const H: f64 = 100.0;
    const GAP: f64 = 60.0;
    const PAD: f64 = 40.0;
    let mut cells: Vec<Value> = Vec::new();
    let mut threat_top = 0u64;
    // Cells keep the ids they had in the file the model came from.
    let flow_source: HashMap<&str, Option<&String>> = model
        .flows
        .iter()
        .map(|f| (f.id.as_str(), f.source_id.as_ref()))
        .collect();
    let cell_id = |id: &str| -> String {
        let e = model.element(id).and_then(|e| e.source_id.clone());
        let f = || flow_source.get(id).copied().flatten().cloned();
        let b = || model.boundary(id)?.source_id.clone();
        e.or_else(f).or_else(b).unwrap_or_else(|| id.to_string())
    };
    // Threats grouped by the element they live on, once (scanning every
    // threat for every cell made large exports quadratic).
    let mut by_element: HashMap<&str, Vec<&crate::finding::Finding>> = HashMap::new();
    for t in &analysis.threats {
        if let Some(first) = t.elements.first() {
            by_element.entry(first).or_default().push(t);
        }
    }
    let mut recorded_by: HashMap<&str, Vec<&crate::model::RecordedThreat>> = HashMap::new();
    for r in &model.recorded_threats {
        recorded_by.entry(&r.element).or_default().push(r);
    }
    let threats_of = |id: &str, top: &mut u64| -> Vec<Value> {
        let recorded = recorded_by.get(id).into_iter().flatten().map(|r| {
            json!({
                "id": r.id.clone().unwrap_or_default(), "title": r.title, "status": r.status,
                "severity": r.severity.clone().unwrap_or_default(), "type": r.category.clone().unwrap_or_default(),
                "description": r.description.clone().unwrap_or_default(), "mitigation": r.mitigation.clone().unwrap_or_default(),
                "modelType": "STRIDE",
            })
        });
        let ours: Vec<Value> = by_element
            .get(id)
            .into_iter()
            .flatten()
            .map(|t| {
                *top += 1;
                json!({
                    "id": t.id,
                    "title": t.title,
                    "status": match t.status { Status::Open => "Open", Status::Mitigated => "Mitigated", Status::Accepted => "Accepted", Status::NotApplicable => "NA" },
                    "severity": match t.risk.severity { dread::Severity::Critical | dread::Severity::High => "High", dread::Severity::Medium => "Medium", _ => "Low" },
                    "type": stride_name(t.stride),
                    "description": format!("{} ({})", t.description, sentence(&t.explanation)),
                    "mitigation": t.mitigations.iter().map(|m| format!("{}: {}", m.title, m.text)).collect::<Vec<_>>().join("\n"),
                    "modelType": "STRIDE",
                    "number": *top,
                    "score": format!("{:.1}", t.risk.score),
                })
            })
            .collect();
        ours.into_iter().chain(recorded).collect()
    };
    // Columns: one per top-level boundary (nested ones stack inside), then
    // one for elements with no boundary.
    let mut columns: Vec<Option<&str>> = model
        .boundaries
        .iter()
        .filter(|b| b.parent.is_none())
        .map(|b| Some(b.id.as_str()))
        .collect();
    columns.push(None);
    let mut x = PAD;
    let mut positions: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for col in columns {
        // Boundaries in this column: the top one and all nested in it.
        let mut stack: Vec<&str> = col.into_iter().collect();
        let mut members: Vec<&str> = Vec::new();
        while let Some(bid) = stack.pop() {
            members.push(bid);
            stack.extend(
                model
                    .boundaries
                    .iter()
                    .filter(|b| b.parent.as_deref() == Some(bid))
                    .map(|b| b.id.as_str()),
            );
        }
        let in_col: Vec<&Element> = model
            .elements
            .iter()
            .filter(|e| match (col, e.boundary.as_deref()) {
                (None, None) => true,
                (None, Some(b)) => model.boundary(b).is_none(),
                (Some(_), Some(b)) => members.contains(&b),
                (Some(_), None) => false,
            })
            .collect();
        if in_col.is_empty() && col.is_none() {
            continue;
        }
        let mut y = PAD + 30.0;
        for e in &in_col {
            positions.insert(e.id.clone(), (x + PAD, y));
            y += H + GAP;
        }
        let height = (y - PAD).max(H + 2.0 * PAD);
        if let Some(bid) = col {
            // Nested boxes share the column, each a little inset.
            for (depth, m) in members.iter().enumerate() {
                let inset = depth as f64 * 8.0;
                let name = model.boundary(m).map_or(*m, |b| b.name.as_str());
                cells.push(json!({
                    "position": { "x": x + inset, "y": PAD + inset }, "size": { "width": W + 2.0 * PAD - 2.0 * inset, "height": height - 2.0 * inset },
                    "attrs": { "label": { "text": name }, "body": { "stroke": "red", "strokeWidth": 2, "strokeDasharray": "10 5" } },
                    "shape": "trust-boundary-box", "id": cell_id(m), "zIndex": -1,
                    "data": { "type": "tm.BoundaryBox", "name": name, "description": "", "isTrustBoundary": true, "hasOpenThreats": false }
                }));
            }
            let _ = bid;
        }
        x += W + 2.0 * PAD + GAP;
    }
    for e in &model.elements {
        let (px, py) = positions.get(&e.id).copied().unwrap_or((PAD, PAD));
        let threats = threats_of(&e.id, &mut threat_top);
        let open = threats.iter().any(|t| t["status"] == "Open");
        let (shape, ty) = match e.kind {
            ElementKind::ExternalEntity => ("actor", "tm.Actor"),
            ElementKind::Process => ("process", "tm.Process"),
            ElementKind::DataStore => ("store", "tm.Store"),
        };
        let mut data = json!({
            "strideCore": { "type": e.component_type, "attributes": e.attributes, "stores": e.stores, "boundary": e.boundary },
            "type": ty, "name": e.name, "description": e.description.clone().unwrap_or_default(),
            "outOfScope": e.out_of_scope, "reasonOutOfScope": e.out_of_scope_reason.clone().unwrap_or_default(),
            "hasOpenThreats": open, "threats": threats,
        });
        match e.kind {
            ElementKind::ExternalEntity => {
                data["providesAuthentication"] =
                    json!(e.component_type == ComponentType::IdentityProvider)
            }
            ElementKind::Process => {
                data["handlesCardPayment"] = json!(e.attr("handles_payments"));
                data["handlesGoodsOrServices"] = json!(false);
                data["isWebApplication"] = json!(e.component_type == ComponentType::WebApp);
                data["privilegeLevel"] = json!(if e.attr("privileged") { "root" } else { "" });
            }
            ElementKind::DataStore => {
                data["isALog"] = json!(e.component_type == ComponentType::LogStore);
                data["isEncrypted"] = json!(e.attr("encrypted_at_rest"));
                data["isSigned"] = json!(e.attr("integrity_checks"));
                data["storesCredentials"] = json!(e.attr("stores_credentials"));
                data["storesInventory"] = json!(false);
            }
        }
        cells.push(json!({
            "position": { "x": px, "y": py }, "size": { "width": W, "height": H },
            "attrs": { "text": { "text": e.name }, "body": { "stroke": if open { "red" } else { "black" }, "strokeWidth": if open { 2.5 } else { 1.0 }, "strokeDasharray": null } },
            "shape": shape, "id": cell_id(&e.id), "zIndex": 1, "data": data
        }));
    }
    for f in &model.flows {
        let threats = threats_of(&f.id, &mut threat_top);
        let open = threats.iter().any(|t| t["status"] == "Open");
        let name = f.name.clone().unwrap_or_else(|| f.id.clone());
        cells.push(json!({
            "shape": "flow",
            "attrs": { "line": { "stroke": if open { "red" } else { "black" }, "strokeWidth": 1.5, "targetMarker": { "name": "classic" }, "sourceMarker": { "name": "" }, "strokeDasharray": null } },
            "width": 200, "height": 100, "zIndex": 10, "connector": "smooth",
            "labels": [name.clone()],
            "data": {
                "strideCore": { "name": f.name, "authenticated": f.authenticated, "carries": f.carries },
                "type": "tm.Flow", "name": name, "description": f.description.clone().unwrap_or_default(),
                "outOfScope": f.out_of_scope, "reasonOutOfScope": f.out_of_scope_reason.clone().unwrap_or_default(),
                "hasOpenThreats": open, "isBidirectional": false, "isEncrypted": f.encrypted, "isPublicNetwork": false,
                "protocol": f.protocol.clone().unwrap_or_default(), "threats": threats
            },
            "id": cell_id(&f.id), "source": { "cell": cell_id(&f.from) }, "target": { "cell": cell_id(&f.to) }, "vertices": []
        }));
    }
    json!({
        "version": "2.3.0",
        "summary": {
            "title": model.name, "owner": "", "description": model.description.clone().unwrap_or_default(), "id": 0,
            // Our own vocabulary, which Threat Dragon ignores and our importer
            // reads back, so that a round trip loses nothing.
            "strideCore": { "boundaries": model.boundaries, "data": model.data, "description": model.description }
        },
        "detail": {
            "contributors": [],
            "diagrams": [{ "id": 0, "title": model.name, "diagramType": "STRIDE", "placeholder": "New STRIDE diagram description", "thumbnail": "./public/content/images/thumbnail.stride.jpg", "version": "2.3.0", "cells": cells }],
            "diagramTop": 1, "reviewer": "", "threatTop": threat_top
        }
    })
}
