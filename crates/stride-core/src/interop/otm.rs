//! Open Threat Model (OTM) 0.2.0: import and export.
//!
//! Trust zones are boundaries (their `type` is our boundary kind when it is
//! one; otherwise the kind follows the trust rating), components are
//! elements (kind and attributes from `attributes` when we wrote them, else
//! inferred from the component type), dataflows are flows, assets are data
//! assets (classification from `attributes`, else from the confidentiality
//! rating). A component nested in a component takes its parent's zone, and
//! says so.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{ImportError, Imported};
use crate::model::{
    Boundary, BoundaryKind, Classification, ComponentType, DataAsset, Element, ElementKind, Flow,
    Model,
};

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn kind_name<T: serde::Serialize>(v: T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

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
            let mut z = json!({ "id": b.id, "name": b.name, "type": kind_name(b.kind), "risk": { "trustRating": trust_rating(b.kind) } });
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
                "tags": [kind_name(e.kind)],
                "attributes": { "kind": kind_name(e.kind), "attributes": e.attributes, "out_of_scope": e.out_of_scope, "out_of_scope_reason": e.out_of_scope_reason },
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
                "attributes": { "classification": kind_name(d.classification), "pii": d.pii },
            })
        })
        .collect();
    json!({
        "otmVersion": "0.2.0",
        "project": { "name": model.name, "id": slug(&model.name), "description": model.description },
        "trustZones": zones,
        "components": components,
        "dataflows": dataflows,
        "assets": assets,
    })
}

fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() { "model".into() } else { s }
}

fn from<T: serde::de::DeserializeOwned>(v: Option<&Value>) -> Option<T> {
    v.and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// Imports an OTM 0.2.0 document (JSON, or YAML read into the same shape).
pub fn import(file: &str, doc: &Value) -> Result<Imported, ImportError> {
    let bad = |m: String| ImportError {
        file: file.to_string(),
        message: m,
    };
    if doc.get("otmVersion").and_then(Value::as_str).is_none() {
        return Err(bad(
            "no \"otmVersion\": not an Open Threat Model document".into()
        ));
    }
    let project = doc
        .get("project")
        .filter(|p| p.is_object())
        .ok_or_else(|| bad("no \"project\" object".into()))?;
    let name = project
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("project.name is missing".into()))?;
    let list = |k: &str| -> Result<Vec<Value>, ImportError> {
        match doc.get(k) {
            None | Some(Value::Null) => Ok(vec![]),
            Some(Value::Array(a)) => Ok(a.clone()),
            Some(_) => Err(bad(format!("{k} is not a list"))),
        }
    };
    let mut unmapped = Vec::new();
    let mut boundaries = Vec::new();
    for z in list("trustZones")? {
        let id = s(&z, "id").to_string();
        if id.is_empty() || id == UNZONED {
            continue;
        }
        let ty = s(&z, "type");
        let kind = match serde_json::from_value::<BoundaryKind>(json!(ty)) {
            Ok(k) => k,
            Err(_) => {
                let rating = z
                    .get("risk")
                    .and_then(|r| r.get("trustRating"))
                    .and_then(Value::as_f64)
                    .unwrap_or(50.0);
                if !ty.is_empty() {
                    unmapped.push(format!(
                        "trust zone {id}: type {ty:?} read from its trust rating ({rating})"
                    ));
                }
                match rating {
                    r if r < 20.0 => BoundaryKind::Internet,
                    r if r < 45.0 => BoundaryKind::Dmz,
                    r if r < 75.0 => BoundaryKind::Corporate,
                    _ => BoundaryKind::Cloud,
                }
            }
        };
        boundaries.push(Boundary {
            source_id: None,
            name: s(&z, "name").to_string(),
            kind,
            parent: z
                .get("parent")
                .and_then(|p| p.get("trustZone"))
                .and_then(Value::as_str)
                .map(str::to_string),
            description: z
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            id,
        });
    }
    let comps = list("components")?;
    let zone_of: BTreeMap<String, Option<String>> = comps
        .iter()
        .map(|c| {
            (
                s(c, "id").to_string(),
                c.get("parent")
                    .and_then(|p| p.get("trustZone"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            )
        })
        .collect();
    let mut elements = Vec::new();
    for (i, c) in comps.iter().enumerate() {
        let id = s(c, "id").to_string();
        // OTM requires ids: a component without one is a broken document,
        // not something to name for the author.
        if id.trim().is_empty() {
            return Err(bad(format!(
                "invalid OTM: components[{i}]: empty id (OTM requires one)"
            )));
        }
        let attrs = c.get("attributes");
        let ty = s(c, "type");
        let component_type = match ty.parse::<ComponentType>() {
            Ok(t) => t,
            Err(_) => {
                unmapped.push(format!(
                    "component {id}: type {ty:?} has no equivalent; read as generic"
                ));
                ComponentType::Generic
            }
        };
        let kind = from::<ElementKind>(attrs.and_then(|a| a.get("kind")))
            .unwrap_or_else(|| component_type.default_kind());
        let mut boundary = c
            .get("parent")
            .and_then(|p| p.get("trustZone"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(pc) = c
            .get("parent")
            .and_then(|p| p.get("component"))
            .and_then(Value::as_str)
        {
            boundary = zone_of.get(pc).cloned().flatten();
            unmapped.push(format!(
                "component {id}: nested in component {pc}; placed in that component's trust zone"
            ));
        }
        if boundary.as_deref() == Some(UNZONED) {
            boundary = None;
        }
        elements.push(Element {
            source_id: None,
            name: s(c, "name").to_string(),
            kind,
            component_type,
            boundary,
            attributes: from(attrs.and_then(|a| a.get("attributes"))).unwrap_or_default(),
            stores: from(c.get("assets").and_then(|a| a.get("stored"))).unwrap_or_default(),
            description: c
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            out_of_scope: attrs
                .and_then(|a| a.get("out_of_scope"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            out_of_scope_reason: attrs
                .and_then(|a| a.get("out_of_scope_reason"))
                .and_then(Value::as_str)
                .map(str::to_string),
            id,
        });
    }
    let mut flows = Vec::new();
    for f in list("dataflows")? {
        let id = s(&f, "id").to_string();
        let a = f.get("attributes");
        let flow = Flow {
            source_id: None,
            from: s(&f, "source").to_string(),
            to: s(&f, "destination").to_string(),
            name: match a.and_then(|a| a.get("name")) {
                Some(Value::String(n)) => Some(n.clone()),
                Some(Value::Null) => None,
                _ => Some(s(&f, "name").to_string()).filter(|n| !n.is_empty() && *n != id),
            },
            protocol: a
                .and_then(|a| a.get("protocol"))
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase),
            encrypted: a
                .and_then(|a| a.get("encrypted"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            authenticated: a
                .and_then(|a| a.get("authenticated"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            carries: from(f.get("assets")).unwrap_or_default(),
            description: f
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            out_of_scope: a
                .and_then(|a| a.get("out_of_scope"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            out_of_scope_reason: a
                .and_then(|a| a.get("out_of_scope_reason"))
                .and_then(Value::as_str)
                .map(str::to_string),
            id: id.clone(),
        };
        if f.get("bidirectional")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            let mut back = flow.clone();
            back.id = format!("{id}-reverse");
            std::mem::swap(&mut back.from, &mut back.to);
            flows.push(back);
        }
        flows.push(flow);
    }
    let mut data = Vec::new();
    for d in list("assets")? {
        let a = d.get("attributes");
        let classification = from::<Classification>(a.and_then(|a| a.get("classification")))
            .unwrap_or_else(|| {
                match d
                    .get("risk")
                    .and_then(|r| r.get("confidentiality"))
                    .and_then(Value::as_f64)
                    .unwrap_or(40.0)
                {
                    c if c >= 85.0 => Classification::Restricted,
                    c if c >= 60.0 => Classification::Confidential,
                    c if c >= 25.0 => Classification::Internal,
                    _ => Classification::Public,
                }
            });
        data.push(DataAsset {
            id: s(&d, "id").to_string(),
            name: s(&d, "name").to_string(),
            classification,
            pii: a
                .and_then(|a| a.get("pii"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            description: d
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
    }
    for k in ["threats", "mitigations", "representations"] {
        if doc
            .get(k)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
        {
            unmapped.push(format!("{k}: not imported (the analysis derives its own)"));
        }
    }
    Ok(super::slug::readable(Imported {
        model: Model {
            name: name.to_string(),
            description: project
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            boundaries,
            elements,
            data,
            flows,
            recorded_threats: vec![],
        },
        unmapped,
    }))
}
