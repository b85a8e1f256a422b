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

use super::curves::{self, Rect};
use super::lenient::{self, Node};
use super::{Format, ImportError, Imported, IncludeReader, Thing, Unmapped};

pub(crate) mod doc;
mod export;
use crate::model::{
    Boundary, BoundaryKind, ComponentType, Element, ElementKind, Flow, Model, RecordedThreat,
};
pub use export::export;

/// Imports a Threat Dragon model, v2 or (recognised by its shape) v1 (it
/// includes nothing: the reader is not used).
pub fn import(file: &str, text: &str, _: &dyn IncludeReader) -> Result<Imported, ImportError> {
    let doc: Node<doc::Doc> = serde_json::from_str(text).map_err(|e| ImportError::Syntax {
        file: file.to_string(),
        format: Format::ThreatDragon,
        message: e.to_string(),
    })?;
    if super::threat_dragon_v1::is_v1(&doc) {
        let v2 = super::threat_dragon_v1::upgrade(file, doc.0)?;
        return import_doc(file, &v2);
    }
    import_doc(file, &doc)
}

/// A cell's centre, or a point.
fn centre_of(end: &doc::End, rects: &[(String, Rect)]) -> Option<(f64, f64)> {
    if let (Some(x), Some(y)) = (end.x.get(), end.y.get()) {
        return Some((*x, *y));
    }
    let cid = end.cell.get()?;
    let (_, (x, y, w, h)) = rects.iter().find(|(i, _)| i == cid)?;
    Some((x + w / 2.0, y + h / 2.0))
}

/// Imports a Threat Dragon v2 model.
fn import_doc(file: &str, doc: &doc::Doc) -> Result<Imported, ImportError> {
    let bad = |problem: String| ImportError::Malformed {
        file: file.to_string(),
        format: Format::ThreatDragonV2,
        problem,
    };
    let summary = doc
        .summary
        .get()
        .ok_or_else(|| bad("no \"summary\" object".into()))?;
    let title = summary
        .title
        .get()
        .ok_or_else(|| bad("summary.title is missing or not a string".into()))?;
    if summary.description == lenient::Field::Wrong {
        return Err(bad("summary.description is not a string".into()));
    }
    let detail = doc
        .detail
        .get()
        .ok_or_else(|| bad("no \"detail\" object".into()))?;
    let diagrams = detail
        .diagrams
        .get()
        .ok_or_else(|| bad("detail.diagrams is missing".into()))?;
    let mut unmapped = Vec::new();
    let mut boundaries: Vec<(Boundary, (f64, f64, f64, f64))> = Vec::new();
    let mut elements: Vec<Element> = Vec::new();
    let mut rects: Vec<(String, Rect)> = Vec::new();
    let mut curve_cells: Vec<(String, String, &doc::Cell)> = Vec::new();
    let mut public_targets: Vec<String> = Vec::new();
    let mut flows: Vec<Flow> = Vec::new();
    let mut element_hints: BTreeMap<String, &doc::CellHints> = BTreeMap::new();
    let mut recorded_threats: Vec<RecordedThreat> = Vec::new();
    let mut flow_hints: BTreeMap<String, &doc::CellHints> = BTreeMap::new();
    for (di, diagram) in diagrams.iter().enumerate() {
        let dtype = diagram.diagram_type.str();
        if !dtype.is_empty() && dtype != "STRIDE" && dtype != "Generic" {
            unmapped.push(Unmapped::new(
                Thing::Diagram,
                di.to_string(),
                format!("type {dtype:?} is read as a STRIDE diagram"),
            ));
        }
        let cells = diagram
            .cells
            .get()
            .ok_or_else(|| bad(format!("diagrams[{di}].cells is missing")))?;
        for cell in cells {
            let id = cell.id.str().to_string();
            let data = &cell.data;
            let ty = data.kind.str();
            if let Some(h) = data.stride_core.get() {
                let target = if ty == "tm.Flow" {
                    &mut flow_hints
                } else {
                    &mut element_hints
                };
                target.insert(id.clone(), h);
            }
            let name = data.name.str().trim().to_string();
            let name = if name.is_empty() { id.clone() } else { name };
            for t in data.threats.items() {
                let tid = t.id.str();
                // Our own export writes our findings (TM-...@...): the analysis
                // derives those again, so only others' threats are kept.
                if data.stride_core.present() && tid.starts_with("TM-") && tid.contains('@') {
                    continue;
                }
                recorded_threats.push(RecordedThreat {
                    element: id.clone(),
                    id: t.id.non_empty(),
                    title: t.title.str().to_string(),
                    category: t.kind.non_empty(),
                    status: t.status.non_empty().unwrap_or_else(|| "Open".into()),
                    severity: t.severity.non_empty(),
                    description: t.description.non_empty(),
                    mitigation: t.mitigation.non_empty(),
                });
            }
            let kind = match ty {
                "tm.Actor" => Some(ElementKind::ExternalEntity),
                "tm.Process" => Some(ElementKind::Process),
                "tm.Store" => Some(ElementKind::DataStore),
                _ => None,
            };
            match (ty, kind) {
                (_, Some(kind)) => {
                    let mut attributes = BTreeMap::new();
                    let mut component_type = ComponentType::Generic;
                    if data.is_web_application.yes() {
                        component_type = ComponentType::WebApp;
                    }
                    if data.is_a_log.yes() {
                        component_type = ComponentType::LogStore;
                    }
                    if data.provides_authentication.yes() {
                        component_type = ComponentType::IdentityProvider;
                    }
                    for (flag, attribute) in [
                        (&data.handles_card_payment, "handles_payments"),
                        (&data.stores_credentials, "stores_credentials"),
                        (&data.is_encrypted, "encrypted_at_rest"),
                        (&data.is_signed, "integrity_checks"),
                    ] {
                        if flag.yes() {
                            attributes.insert(attribute.into(), true);
                        }
                    }
                    let privilege = data.privilege_level.str().to_ascii_lowercase();
                    if ["root", "admin", "administrator", "system", "privileged"]
                        .contains(&privilege.as_str())
                    {
                        attributes.insert("privileged".into(), true);
                    }
                    if let Some(r) = cell.rect() {
                        rects.push((id.clone(), r));
                    }
                    elements.push(Element {
                        source_id: None,
                        id,
                        name,
                        kind,
                        component_type,
                        boundary: None,
                        attributes,
                        stores: vec![],
                        description: data.description.non_empty(),
                        out_of_scope: data.out_of_scope.yes(),
                        out_of_scope_reason: data.reason_out_of_scope.non_empty(),
                    });
                }
                ("tm.BoundaryBox", _) => match cell.rect() {
                    Some(r) => boundaries.push((
                        Boundary {
                            source_id: None,
                            id: id.clone(),
                            name: data
                                .name
                                .non_empty()
                                .unwrap_or_else(|| format!("boundary {}", boundaries.len() + 1)),
                            kind: BoundaryKind::Generic,
                            parent: None,
                            description: None,
                        },
                        r,
                    )),
                    None => unmapped.push(Unmapped::new(
                        Thing::BoundaryBox,
                        id,
                        "no position or size; dropped",
                    )),
                },
                ("tm.Boundary", _) => {
                    curve_cells.push((id.clone(), data.name.str().trim().to_string(), cell))
                }
                ("tm.Flow", _) => {
                    let (Some(from), Some(to)) = (cell.source.cell.get(), cell.target.cell.get())
                    else {
                        unmapped.push(Unmapped::new(
                            Thing::Flow,
                            name,
                            "an end is a point, not an element; skipped",
                        ));
                        continue;
                    };
                    let protocol = data.protocol.str().trim().to_ascii_lowercase();
                    let flow = Flow {
                        source_id: None,
                        id: id.clone(),
                        from: from.clone(),
                        to: to.clone(),
                        name: Some(name.clone()).filter(|n| *n != id),
                        protocol: Some(protocol).filter(|p| !p.is_empty()),
                        encrypted: data.is_encrypted.yes(),
                        authenticated: false,
                        carries: vec![],
                        description: data.description.non_empty(),
                        out_of_scope: data.out_of_scope.yes(),
                        out_of_scope_reason: data.reason_out_of_scope.non_empty(),
                    };
                    let bidirectional = data.is_bidirectional.yes();
                    if data.is_public_network.yes() {
                        // Reached over a public network: internet-facing.
                        public_targets.push(flow.to.clone());
                        if bidirectional {
                            public_targets.push(flow.from.clone());
                        }
                    }
                    if bidirectional {
                        let mut back = flow.clone();
                        back.id = format!("{id}-reverse");
                        std::mem::swap(&mut back.from, &mut back.to);
                        flows.push(back);
                    }
                    flows.push(flow);
                }
                ("td.TextBlock", _) | ("tm.Text", _) => {
                    unmapped.push(Unmapped::new(Thing::TextBlock, id, "not part of the model"))
                }
                (other, _) if cell.shape.str() == "td-text-block" => unmapped.push(
                    Unmapped::new(Thing::TextBlock, id, "not part of the model").with_note(other),
                ),
                (other, _) => unmapped.push(Unmapped::new(
                    Thing::Cell,
                    id,
                    format!("unknown type {other:?}; skipped"),
                )),
            }
        }
    }
    // Zones: the smallest box or curve side around each element.
    let mut curve_list = Vec::new();
    for (id, name, cell) in &curve_cells {
        let mut points: Vec<(f64, f64)> = centre_of(&cell.source, &rects).into_iter().collect();
        points.extend(
            cell.vertices
                .items()
                .iter()
                .filter_map(|v| centre_of(v, &rects)),
        );
        points.extend(centre_of(&cell.target, &rects));
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
    let mut data_assets = vec![];
    let mut description = summary.description.non_empty();
    if let Some(h) = summary.stride_core.get() {
        if let Some(bs) = h.boundaries.get() {
            boundaries = bs
                .iter()
                .map(|bd| (bd.clone(), (0.0, 0.0, 0.0, 0.0)))
                .collect();
        }
        if let Some(ds) = h.data.get() {
            data_assets = ds.clone();
        }
        description = h.description.string();
        for e in &mut elements {
            if let Some(eh) = element_hints.get(&e.id) {
                if let Some(t) = eh.kind.get() {
                    e.component_type = *t;
                }
                if let Some(a) = eh.attributes.get() {
                    e.attributes = a.clone();
                }
                if let Some(st) = eh.stores.get() {
                    e.stores = st.clone();
                }
                e.boundary = eh.boundary.string();
            }
        }
        for f in &mut flows {
            if let Some(fh) = flow_hints.get(&f.id) {
                f.authenticated = fh.authenticated.yes();
                f.carries = fh.carries.get().cloned().unwrap_or_default();
                f.name = fh.name.string();
            }
        }
    }
    let ids: Vec<String> = elements.iter().map(|e| e.id.clone()).collect();
    flows.retain(|f| {
        let ok = ids.contains(&f.from) && ids.contains(&f.to);
        if !ok {
            unmapped.push(Unmapped::new(
                Thing::Flow,
                &f.id,
                "an end is not an element of the model; skipped",
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
