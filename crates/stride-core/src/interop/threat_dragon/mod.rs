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

use std::collections::BTreeMap;

use serde_json::Value;

use super::curves::{self, Rect};
use super::{ImportError, Imported};

mod export;
use crate::model::{
    Boundary, BoundaryKind, ComponentType, Element, ElementKind, Flow, Model, RecordedThreat,
};
pub use export::export;

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

/// Imports a Threat Dragon model, v2 or (recognised by its shape) v1.
pub fn import(file: &str, text: &str) -> Result<Imported, ImportError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| ImportError {
        file: file.to_string(),
        message: format!("Threat Dragon: not JSON: {e}"),
    })?;
    if super::threat_dragon_v1::is_v1(&doc) {
        let v2 = super::threat_dragon_v1::upgrade(file, &doc)?;
        return import_doc(file, &v2);
    }
    import_doc(file, &doc)
}

/// Imports a parsed Threat Dragon v2 model.
pub(crate) fn import_doc(file: &str, doc: &Value) -> Result<Imported, ImportError> {
    let bad = |m: String| ImportError {
        file: file.to_string(),
        message: format!("Threat Dragon v2: {m}"),
    };
    let summary = doc
        .get("summary")
        .filter(|v| v.is_object())
        .ok_or_else(|| bad("no \"summary\" object".into()))?;
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
    let mut rects: Vec<(String, Rect)> = Vec::new();
    let mut curve_cells: Vec<(String, String, Value, Value, Vec<Value>)> = Vec::new();
    let mut public_targets: Vec<String> = Vec::new();
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
                    if let Some(r) = rect(cell) {
                        rects.push((id.clone(), r));
                    }
                    elements.push(Element {
                        source_id: None,
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
                            source_id: None,
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
                ("tm.Boundary", _) => curve_cells.push((
                    id.clone(),
                    s(&data, "name").trim().to_string(),
                    cell.get("source").cloned().unwrap_or(Value::Null),
                    cell.get("target").cloned().unwrap_or(Value::Null),
                    cell.get("vertices")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
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
                        source_id: None,
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
                        // Reached over a public network: internet-facing.
                        public_targets.push(flow.to.clone());
                        if b(&data, "isBidirectional") {
                            public_targets.push(flow.from.clone());
                        }
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
    // Zones: the smallest box or curve side around each element.
    let centre_of = |v: &Value| -> Option<(f64, f64)> {
        if let (Some(x), Some(y)) = (
            v.get("x").and_then(Value::as_f64),
            v.get("y").and_then(Value::as_f64),
        ) {
            return Some((x, y));
        }
        let cid = v.get("cell").and_then(Value::as_str)?;
        let (_, (x, y, w, h)) = rects.iter().find(|(i, _)| i == cid)?;
        Some((x + w / 2.0, y + h / 2.0))
    };
    let mut curve_list = Vec::new();
    for (id, name, src, dst, vertices) in &curve_cells {
        let mut points: Vec<(f64, f64)> = centre_of(src).into_iter().collect();
        points.extend(vertices.iter().filter_map(centre_of));
        points.extend(centre_of(dst));
        curve_list.push(curves::Curve {
            id: id.clone(),
            name: name.clone(),
            points,
        });
    }
    let box_rects: Vec<(String, Rect)> = boundaries
        .iter()
        .map(|(bd, r)| (bd.id.clone(), *r))
        .collect();
    let flow_ends: Vec<(String, String, String)> = flows
        .iter()
        .map(|f| (f.id.clone(), f.from.clone(), f.to.clone()))
        .collect();
    let zones = curves::assign(&box_rects, &curve_list, &rects, &flow_ends);
    unmapped.extend(zones.unmapped);
    for e in &mut elements {
        e.boundary = zones.zone.get(&e.id).cloned();
        if public_targets.contains(&e.id) {
            e.attributes.insert("internet_facing".into(), true);
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
    for (id, name) in zones.curve_zones {
        boundaries.push((
            Boundary {
                source_id: None,
                id,
                name,
                kind: BoundaryKind::Generic,
                parent: None,
                description: Some("the enclosed side of a boundary curve".into()),
            },
            (0.0, 0.0, 0.0, 0.0),
        ));
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
    Ok(super::slug::readable(Imported { model, unmapped }))
}
