//! Quick mode: what threatens a component like this, without a model.

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::engine::analyze;
use crate::finding::Finding;
use crate::model::{BoundaryKind, ComponentType, Element, ElementKind, Flow, Model};

/// Quick mode: what threatens a component like this, without a model.
///
/// A one-element model is built around it: the component in a cloud
/// boundary (or the internet, for external entities) and, when it is a
/// process or a data store, a caller reaching it over an unencrypted,
/// unauthenticated flow (from the internet when `internet_facing` is set).
/// Threats to the component and to that inbound flow are returned.
pub fn threats_for(
    kind: ElementKind,
    component_type: ComponentType,
    attributes: &BTreeMap<String, bool>,
) -> Vec<Finding> {
    use crate::model::{Boundary, DataAsset};
    let internet = attributes.get("internet_facing").copied().unwrap_or(false);
    let mut model = Model {
        name: format!("{component_type} component"),
        description: None,
        boundaries: vec![
            Boundary {
                source_id: None,
                id: "internet".into(),
                name: "Internet".into(),
                kind: BoundaryKind::Internet,
                parent: None,
                description: None,
            },
            Boundary {
                source_id: None,
                id: "internal".into(),
                name: "Internal network".into(),
                kind: BoundaryKind::Cloud,
                parent: None,
                description: None,
            },
        ],
        elements: vec![Element {
            source_id: None,
            id: "component".into(),
            name: format!("the {component_type}"),
            kind,
            component_type,
            boundary: Some(if kind == ElementKind::ExternalEntity {
                "internet".into()
            } else {
                "internal".into()
            }),
            attributes: attributes.clone(),
            stores: vec![],
            description: None,
            out_of_scope: false,
            out_of_scope_reason: None,
        }],
        data: vec![DataAsset {
            id: "data".into(),
            name: "Business data".into(),
            classification: crate::model::Classification::Confidential,
            pii: false,
            description: None,
        }],
        flows: vec![],
        recorded_threats: vec![],
    };
    if kind != ElementKind::ExternalEntity {
        model.elements.push(Element {
            source_id: None,
            id: "caller".into(),
            name: "caller".into(),
            kind: if internet {
                ElementKind::ExternalEntity
            } else {
                ElementKind::Process
            },
            component_type: if internet {
                ComponentType::User
            } else {
                ComponentType::Microservice
            },
            boundary: Some(if internet {
                "internet".into()
            } else {
                "internal".into()
            }),
            attributes: BTreeMap::new(),
            stores: vec![],
            description: None,
            out_of_scope: false,
            out_of_scope_reason: None,
        });
        model.flows.push(Flow {
            source_id: None,
            id: "inbound".into(),
            from: "caller".into(),
            to: "component".into(),
            name: Some("inbound requests".into()),
            protocol: None,
            encrypted: false,
            authenticated: false,
            carries: vec!["data".into()],
            description: None,
            out_of_scope: false,
            out_of_scope_reason: None,
        });
        if kind == ElementKind::DataStore {
            model.elements[0].stores = vec!["data".into()];
        }
    }
    analyze(&model, Catalog::builtin())
        .threats
        .into_iter()
        .filter(|f| {
            f.elements
                .first()
                .is_some_and(|e| e == "component" || e == "inbound")
        })
        .collect()
}
