//! OTM import: the document's fields, then the mapping.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::UNZONED;
use crate::interop::lenient::{Field, Node, Obj, named};
use crate::interop::{Format, ImportError, Imported, IncludeReader, Thing, Unmapped};
use crate::model::{
    Boundary, BoundaryKind, Classification, ComponentType, DataAsset, Element, ElementKind, Flow,
    Model,
};

/// An OTM document: the parts we read.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Doc {
    otm_version: Field<String>,
    project: Field<Obj<Project>>,
    trust_zones: Field<Vec<Node<Zone>>>,
    components: Field<Vec<Node<Component>>>,
    dataflows: Field<Vec<Node<Dataflow>>>,
    assets: Field<Vec<Node<Asset>>>,
    threats: Field<Vec<IgnoredAny>>,
    mitigations: Field<Vec<IgnoredAny>>,
    representations: Field<Vec<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Project {
    name: Field<String>,
    description: Field<String>,
}

/// `risk`, on trust zones and assets.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Risk {
    trust_rating: Field<f64>,
    confidentiality: Field<f64>,
}

/// `parent`: a trust zone or a component.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Parent {
    trust_zone: Field<String>,
    component: Field<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Zone {
    id: Field<String>,
    name: Field<String>,
    #[serde(rename = "type")]
    kind: Field<String>,
    risk: Node<Risk>,
    parent: Node<Parent>,
    description: Field<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Component {
    id: Field<String>,
    name: Field<String>,
    #[serde(rename = "type")]
    kind: Field<String>,
    description: Field<String>,
    parent: Node<Parent>,
    assets: Node<ComponentAssets>,
    /// What our export writes: kind, attributes, scope.
    attributes: Node<ComponentAttributes>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ComponentAssets {
    stored: Field<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ComponentAttributes {
    kind: Field<ElementKind>,
    attributes: Field<BTreeMap<String, bool>>,
    out_of_scope: Field<bool>,
    out_of_scope_reason: Field<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Dataflow {
    id: Field<String>,
    name: Field<String>,
    description: Field<String>,
    source: Field<String>,
    destination: Field<String>,
    bidirectional: Field<bool>,
    assets: Field<Vec<String>>,
    /// What our export writes: protocol, flags, our name, scope.
    attributes: Node<DataflowAttributes>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DataflowAttributes {
    name: Field<String>,
    protocol: Field<String>,
    encrypted: Field<bool>,
    authenticated: Field<bool>,
    out_of_scope: Field<bool>,
    out_of_scope_reason: Field<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Asset {
    id: Field<String>,
    name: Field<String>,
    description: Field<String>,
    risk: Node<Risk>,
    attributes: Node<AssetAttributes>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AssetAttributes {
    classification: Field<Classification>,
    pii: Field<bool>,
}

/// Parses OTM text: JSON when it starts with `{`, else YAML.
fn parse(file: &str, text: &str) -> Result<Doc, ImportError> {
    crate::limits::check_nesting(text, crate::limits::MAX_NESTING).map_err(|error| {
        ImportError::TooDeep {
            file: file.to_string(),
            format: Format::Otm,
            error,
        }
    })?;
    let syntax = |message: String| ImportError::Syntax {
        file: file.to_string(),
        format: Format::Otm,
        message,
    };
    let doc: Node<Doc> = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| syntax(e.to_string()))?
    } else {
        serde_norway::from_str(text).map_err(|e| syntax(e.to_string()))?
    };
    Ok(doc.0)
}

/// A list section: absent or null is empty, anything but a list is refused.
fn list<'a, T>(file: &str, key: &str, field: &'a Field<Vec<T>>) -> Result<&'a [T], ImportError> {
    match field {
        Field::Missing | Field::Null => Ok(&[]),
        Field::Value(v) => Ok(v),
        Field::Wrong => Err(ImportError::Malformed {
            file: file.to_string(),
            format: Format::Otm,
            problem: format!("{key} is not a list"),
        }),
    }
}

/// Imports an OTM 0.2.0 document, JSON or YAML (it includes nothing: the
/// reader is not used).
pub fn import(file: &str, text: &str, _: &dyn IncludeReader) -> Result<Imported, ImportError> {
    let doc = parse(file, text)?;
    let bad = |problem: String| ImportError::Malformed {
        file: file.to_string(),
        format: Format::Otm,
        problem,
    };
    if doc.otm_version.get().is_none() {
        return Err(ImportError::NotTheFormat {
            file: file.to_string(),
            format: Format::Otm,
            why: "no \"otmVersion\": not an Open Threat Model document",
        });
    }
    let project = doc
        .project
        .get()
        .ok_or_else(|| bad("no \"project\" object".into()))?;
    let name = project
        .name
        .get()
        .ok_or_else(|| bad("project.name is missing".into()))?;
    let mut unmapped = Vec::new();
    let mut boundaries = Vec::new();
    for z in list(file, "trustZones", &doc.trust_zones)? {
        let id = z.id.str().to_string();
        if id.is_empty() || id == UNZONED {
            continue;
        }
        let ty = z.kind.str();
        let kind = match named::<BoundaryKind>(ty) {
            Some(k) => k,
            None => {
                let rating = z.risk.trust_rating.get().copied().unwrap_or(50.0);
                if !ty.is_empty() {
                    unmapped.push(Unmapped::new(
                        Thing::TrustZone,
                        &id,
                        format!("type {ty:?} read from its trust rating ({rating})"),
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
            name: z.name.str().to_string(),
            kind,
            parent: z.parent.trust_zone.string(),
            description: z.description.string(),
            id,
        });
    }
    let comps = list(file, "components", &doc.components)?;
    let zone_of: BTreeMap<&str, Option<String>> = comps
        .iter()
        .map(|c| (c.id.str(), c.parent.trust_zone.string()))
        .collect();
    let mut elements = Vec::new();
    for (i, c) in comps.iter().enumerate() {
        let id = c.id.str().to_string();
        // OTM requires ids: a component without one is a broken document,
        // not something to name for the author.
        if id.trim().is_empty() {
            return Err(bad(format!(
                "invalid OTM: components[{i}]: empty id (OTM requires one)"
            )));
        }
        let attrs = &c.attributes;
        let ty = c.kind.str();
        let component_type = match ty.parse::<ComponentType>() {
            Ok(t) => t,
            Err(_) => {
                unmapped.push(Unmapped::new(
                    Thing::Component,
                    &id,
                    format!("type {ty:?} has no equivalent; read as generic"),
                ));
                ComponentType::Generic
            }
        };
        let kind = attrs
            .kind
            .get()
            .copied()
            .unwrap_or_else(|| component_type.default_kind());
        let mut boundary = c.parent.trust_zone.string();
        if let Some(pc) = c.parent.component.get() {
            boundary = zone_of.get(pc.as_str()).cloned().flatten();
            unmapped.push(Unmapped::new(
                Thing::Component,
                &id,
                format!("nested in component {pc}; placed in that component's trust zone"),
            ));
        }
        if boundary.as_deref() == Some(UNZONED) {
            boundary = None;
        }
        elements.push(Element {
            source_id: None,
            name: c.name.str().to_string(),
            kind,
            component_type,
            boundary,
            attributes: attrs.attributes.get().cloned().unwrap_or_default(),
            stores: c.assets.stored.get().cloned().unwrap_or_default(),
            description: c.description.string(),
            out_of_scope: attrs.out_of_scope.yes(),
            out_of_scope_reason: attrs.out_of_scope_reason.string(),
            id,
        });
    }
    let mut flows = Vec::new();
    for f in list(file, "dataflows", &doc.dataflows)? {
        let id = f.id.str().to_string();
        let a = &f.attributes;
        let flow = Flow {
            source_id: None,
            from: f.source.str().to_string(),
            to: f.destination.str().to_string(),
            name: match &a.name {
                Field::Value(n) => Some(n.clone()),
                Field::Null => None,
                _ => f.name.non_empty().filter(|n| *n != id),
            },
            protocol: a.protocol.get().map(|p| p.to_ascii_lowercase()),
            encrypted: a.encrypted.yes(),
            authenticated: a.authenticated.yes(),
            carries: f.assets.get().cloned().unwrap_or_default(),
            description: f.description.string(),
            out_of_scope: a.out_of_scope.yes(),
            out_of_scope_reason: a.out_of_scope_reason.string(),
            id: id.clone(),
        };
        if f.bidirectional.yes() {
            let mut back = flow.clone();
            back.id = format!("{id}-reverse");
            std::mem::swap(&mut back.from, &mut back.to);
            flows.push(back);
        }
        flows.push(flow);
    }
    let mut data = Vec::new();
    for d in list(file, "assets", &doc.assets)? {
        let classification = d
            .attributes
            .classification
            .get()
            .copied()
            .unwrap_or_else(
                || match d.risk.confidentiality.get().copied().unwrap_or(40.0) {
                    c if c >= 85.0 => Classification::Restricted,
                    c if c >= 60.0 => Classification::Confidential,
                    c if c >= 25.0 => Classification::Internal,
                    _ => Classification::Public,
                },
            );
        data.push(DataAsset {
            id: d.id.str().to_string(),
            name: d.name.str().to_string(),
            classification,
            pii: d.attributes.pii.yes(),
            description: d.description.string(),
        });
    }
    for (k, items) in [
        ("threats", &doc.threats),
        ("mitigations", &doc.mitigations),
        ("representations", &doc.representations),
    ] {
        if !items.items().is_empty() {
            unmapped.push(Unmapped::new(
                Thing::Part,
                k,
                "not imported (the analysis derives its own)",
            ));
        }
    }
    Ok(crate::interop::slug::readable(Imported {
        model: Model {
            name: name.clone(),
            description: project.description.string(),
            boundaries,
            elements,
            data,
            flows,
            recorded_threats: vec![],
        },
        unmapped,
    }))
}
