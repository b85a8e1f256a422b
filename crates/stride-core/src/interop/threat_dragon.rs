//! OWASP Threat Dragon v2 models (JSON): import, and export with findings.
//!
//! Import maps `tm.Actor`, `tm.Process` and `tm.Store` cells to elements,
//! `tm.Flow` cells to flows (a bidirectional flow becomes two), and
//! `tm.BoundaryBox` cells to boundaries; an element's boundary is the
//! smallest box that contains its centre. What does not map is reported one
//! line each: flows whose end is a bare point, boundary curves (crossings
//! are derived from boxes only), text blocks, unknown shapes. Threats
//! already recorded in the model are kept, as written, in
//! [`Model::recorded_threats`](crate::Model::recorded_threats).
//!
//! Export lays the model out readably (one column of boxes per boundary,
//! elements in a grid inside, no overlaps) and writes each finding into its
//! cell's `threats`, so Threat Dragon opens the model with our analysis.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};

use super::{ImportError, Imported};
use crate::engine::Analysis;
use crate::finding::Status;
use crate::model::{
    Boundary, BoundaryKind, ComponentType, Element, ElementKind, Flow, Model, RecordedThreat,
};
use crate::stride::Stride;

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn b(v: &Value, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool).unwrap_or(false)
}

fn rect(cell: &Value) -> Option<(f64, f64, f64, f64)> {
    let p = cell.get("position")?;
    let z = cell.get("size")?;
    Some((
        p.get("x")?.as_f64()?,
        p.get("y")?.as_f64()?,
        z.get("width")?.as_f64()?,
        z.get("height")?.as_f64()?,
    ))
}

/// Imports a Threat Dragon v2 model.
pub fn import(file: &str, text: &str) -> Result<Imported, ImportError> {
    let bad = |m: String| ImportError {
        file: file.to_string(),
        message: m,
    };
    let doc: Value = serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
    let summary = doc
        .get("summary")
        .filter(|v| v.is_object())
        .ok_or_else(|| bad("no \"summary\" object: not a Threat Dragon v2 model".into()))?;
    let title = summary
        .get("title")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("summary.title is missing or not a string".into()))?;
    if let Some(d) = summary.get("description")
        && !d.is_string()
        && !d.is_null()
    {
        return Err(bad("summary.description is not a string".into()));
    }
    let detail = doc
        .get("detail")
        .filter(|v| v.is_object())
        .ok_or_else(|| bad("no \"detail\" object".into()))?;
    let diagrams = detail
        .get("diagrams")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("detail.diagrams is missing".into()))?;
    let mut unmapped = Vec::new();
    let mut boundaries: Vec<(Boundary, (f64, f64, f64, f64))> = Vec::new();
    let mut elements: Vec<Element> = Vec::new();
    let mut centres: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let mut flows: Vec<Flow> = Vec::new();
    let mut element_hints: BTreeMap<String, Value> = BTreeMap::new();
    let mut recorded_threats: Vec<RecordedThreat> = Vec::new();
    let mut flow_hints: BTreeMap<String, Value> = BTreeMap::new();
    for (di, diagram) in diagrams.iter().enumerate() {
        let dtype = s(diagram, "diagramType");
        if !dtype.is_empty() && dtype != "STRIDE" && dtype != "Generic" {
            unmapped.push(format!(
                "diagram {di}: type {dtype:?} is read as a STRIDE diagram"
            ));
        }
        let cells = diagram
            .get("cells")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(format!("diagrams[{di}].cells is missing")))?;
        for cell in cells {
            let id = s(cell, "id").to_string();
            let data = cell.get("data").cloned().unwrap_or(Value::Null);
            if let Some(h) = data.get("strideCore") {
                let target = if s(&data, "type") == "tm.Flow" {
                    &mut flow_hints
                } else {
                    &mut element_hints
                };
                target.insert(id.clone(), h.clone());
            }
            let name = s(&data, "name").trim().to_string();
            let name = if name.is_empty() { id.clone() } else { name };
            for t in data
                .get("threats")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let tid = s(t, "id");
                // Our own export writes our findings (TM-...@...): the analysis
                // derives those again, so only others' threats are kept.
                if data.get("strideCore").is_some() && tid.starts_with("TM-") && tid.contains('@') {
                    continue;
                }
                let text = |k: &str| Some(s(t, k).to_string()).filter(|x| !x.is_empty());
                recorded_threats.push(RecordedThreat {
                    element: id.clone(),
                    id: text("id"),
                    title: s(t, "title").to_string(),
                    category: text("type"),
                    status: text("status").unwrap_or_else(|| "Open".into()),
                    severity: text("severity"),
                    description: text("description"),
                    mitigation: text("mitigation"),
                });
            }
            let kind = match s(&data, "type") {
                "tm.Actor" => Some(ElementKind::ExternalEntity),
                "tm.Process" => Some(ElementKind::Process),
                "tm.Store" => Some(ElementKind::DataStore),
                _ => None,
            };
            match (s(&data, "type"), kind) {
                (_, Some(kind)) => {
                    let mut attributes = BTreeMap::new();
                    let mut ty = ComponentType::Generic;
                    if b(&data, "isWebApplication") {
                        ty = ComponentType::WebApp;
                    }
                    if b(&data, "isALog") {
                        ty = ComponentType::LogStore;
                    }
                    if b(&data, "providesAuthentication") {
                        ty = ComponentType::IdentityProvider;
                    }
                    if b(&data, "handlesCardPayment") {
                        attributes.insert("handles_payments".into(), true);
                    }
                    if b(&data, "storesCredentials") {
                        attributes.insert("stores_credentials".into(), true);
                    }
                    if b(&data, "isEncrypted") {
                        attributes.insert("encrypted_at_rest".into(), true);
                    }
                    if b(&data, "isSigned") {
                        attributes.insert("integrity_checks".into(), true);
                    }
                    let privilege = s(&data, "privilegeLevel").to_ascii_lowercase();
                    if ["root", "admin", "administrator", "system", "privileged"]
                        .contains(&privilege.as_str())
                    {
                        attributes.insert("privileged".into(), true);
                    }
                    if let Some((x, y, w, h)) = rect(cell) {
                        centres.insert(id.clone(), (x + w / 2.0, y + h / 2.0));
                    }
                    elements.push(Element {
                        id,
                        name,
                        kind,
                        component_type: ty,
                        boundary: None,
                        attributes,
                        stores: vec![],
                        description: Some(s(&data, "description").to_string())
                            .filter(|d| !d.is_empty()),
                        out_of_scope: b(&data, "outOfScope"),
                        out_of_scope_reason: Some(s(&data, "reasonOutOfScope").to_string())
                            .filter(|d| !d.is_empty()),
                    });
                }
                ("tm.BoundaryBox", _) => match rect(cell) {
                    Some(r) => boundaries.push((
                        Boundary {
                            id: id.clone(),
                            name: if s(&data, "name").is_empty() {
                                format!("boundary {}", boundaries.len() + 1)
                            } else {
                                s(&data, "name").to_string()
                            },
                            kind: BoundaryKind::Generic,
                            parent: None,
                            description: None,
                        },
                        r,
                    )),
                    None => {
                        unmapped.push(format!("boundary box {id}: no position or size; dropped"))
                    }
                },
                ("tm.Boundary", _) => unmapped.push(format!(
                    "boundary curve {id}: crossings are derived from boundary boxes only"
                )),
                ("tm.Flow", _) => {
                    let end = |k: &str| {
                        cell.get(k)
                            .and_then(|e| e.get("cell"))
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    };
                    let (Some(from), Some(to)) = (end("source"), end("target")) else {
                        unmapped.push(format!(
                            "flow {name}: an end is a point, not an element; skipped"
                        ));
                        continue;
                    };
                    let protocol = s(&data, "protocol").trim().to_ascii_lowercase();
                    let flow = Flow {
                        id: id.clone(),
                        from,
                        to,
                        name: Some(name.clone()).filter(|n| *n != id),
                        protocol: Some(protocol).filter(|p| !p.is_empty()),
                        encrypted: b(&data, "isEncrypted"),
                        authenticated: false,
                        carries: vec![],
                        description: Some(s(&data, "description").to_string())
                            .filter(|d| !d.is_empty()),
                        out_of_scope: b(&data, "outOfScope"),
                        out_of_scope_reason: Some(s(&data, "reasonOutOfScope").to_string())
                            .filter(|d| !d.is_empty()),
                    };
                    if b(&data, "isPublicNetwork") {
                        unmapped.push(format!("flow {name}: isPublicNetwork is not mapped (exposure comes from boundaries)"));
                    }
                    if b(&data, "isBidirectional") {
                        let mut back = flow.clone();
                        back.id = format!("{id}-reverse");
                        std::mem::swap(&mut back.from, &mut back.to);
                        flows.push(back);
                    }
                    flows.push(flow);
                }
                ("td.TextBlock", _) | ("tm.Text", _) => {
                    unmapped.push(format!("text block {id}: not part of the model"))
                }
                (other, _) if s(cell, "shape") == "td-text-block" => {
                    unmapped.push(format!("text block {id} ({other}): not part of the model"))
                }
                (other, _) => unmapped.push(format!("cell {id}: unknown type {other:?}; skipped")),
            }
        }
    }
    // Containment: the smallest box around an element's centre.
    for e in &mut elements {
        if let Some((cx, cy)) = centres.get(&e.id) {
            e.boundary = boundaries
                .iter()
                .filter(|(_, (x, y, w, h))| cx >= x && *cx <= x + w && cy >= y && *cy <= y + h)
                .min_by(|a, b| (a.1.2 * a.1.3).total_cmp(&(b.1.2 * b.1.3)))
                .map(|(bd, _)| bd.id.clone());
        }
    }
    // Nesting: a box inside a bigger box.
    let rects: Vec<(String, (f64, f64, f64, f64))> = boundaries
        .iter()
        .map(|(bd, r)| (bd.id.clone(), *r))
        .collect();
    for (bd, (x, y, w, h)) in &mut boundaries {
        bd.parent = rects
            .iter()
            .filter(|(id, (ox, oy, ow, oh))| {
                *id != bd.id
                    && *ox <= *x
                    && *oy <= *y
                    && ox + ow >= *x + *w
                    && oy + oh >= *y + *h
                    && ow * oh > *w * *h
            })
            .min_by(|a, b| (a.1.2 * a.1.3).total_cmp(&(b.1.2 * b.1.3)))
            .map(|(id, _)| id.clone());
    }
    // Our own export carries our vocabulary: read it back.
    let hints = summary.get("strideCore");
    let mut data_assets = vec![];
    let mut description = summary
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_string)
        .filter(|d| !d.is_empty());
    if let Some(h) = hints {
        if let Some(bs) = h
            .get("boundaries")
            .and_then(|v| serde_json::from_value::<Vec<Boundary>>(v.clone()).ok())
        {
            boundaries = bs
                .into_iter()
                .map(|bd| (bd, (0.0, 0.0, 0.0, 0.0)))
                .collect();
        }
        if let Some(ds) = h
            .get("data")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
        {
            data_assets = ds;
        }
        description = h
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        for e in &mut elements {
            if let Some(eh) = element_hints.get(&e.id) {
                if let Some(t) = eh
                    .get("type")
                    .and_then(|v| serde_json::from_value(v.clone()).ok())
                {
                    e.component_type = t;
                }
                if let Some(a) = eh
                    .get("attributes")
                    .and_then(|v| serde_json::from_value(v.clone()).ok())
                {
                    e.attributes = a;
                }
                if let Some(st) = eh
                    .get("stores")
                    .and_then(|v| serde_json::from_value(v.clone()).ok())
                {
                    e.stores = st;
                }
                e.boundary = eh
                    .get("boundary")
                    .and_then(Value::as_str)
                    .map(str::to_string);
            }
        }
        for f in &mut flows {
            if let Some(fh) = flow_hints.get(&f.id) {
                f.authenticated = fh
                    .get("authenticated")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                f.carries = fh
                    .get("carries")
                    .and_then(|v| serde_json::from_value(v.clone()).ok())
                    .unwrap_or_default();
                f.name = fh.get("name").and_then(Value::as_str).map(str::to_string);
            }
        }
    }
    let ids: Vec<String> = elements.iter().map(|e| e.id.clone()).collect();
    flows.retain(|f| {
        let ok = ids.contains(&f.from) && ids.contains(&f.to);
        if !ok {
            unmapped.push(format!(
                "flow {}: an end is not an element of the model; skipped",
                f.id
            ));
        }
        ok
    });
    let model = Model {
        name: title.to_string(),
        description,
        boundaries: boundaries.into_iter().map(|(bd, _)| bd).collect(),
        elements,
        data: data_assets,
        flows,
        recorded_threats,
    };
    Ok(Imported { model, unmapped })
}

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
                    "status": match t.status { Status::Open => "Open", Status::Mitigated => "Mitigated", _ => "NotApplicable" },
                    "severity": match t.risk.severity { dread::Severity::Critical | dread::Severity::High => "High", dread::Severity::Medium => "Medium", _ => "Low" },
                    "type": stride_name(t.stride),
                    "description": format!("{} ({})", t.description, t.explanation),
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
                    "shape": "trust-boundary-box", "id": m, "zIndex": -1,
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
            "shape": shape, "id": e.id, "zIndex": 1, "data": data
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
            "id": f.id, "source": { "cell": f.from }, "target": { "cell": f.to }, "vertices": []
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
