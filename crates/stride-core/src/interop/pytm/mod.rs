//! pytm models, as printed by a pytm script run with `--json FILE`.
//!
//! pytm names everything by name: elements (`__class__` `Actor`,
//! `ExternalEntity`, `Process`, `SetOfProcesses`, `Lambda`, `Server`,
//! `Datastore`...), boundaries (nested with `inBoundary`), flows (`source`,
//! `sink`) and data (`carriedBy`). Ids are slugs of those names. Element
//! and flow `controls.*` flags map to our attributes and flow flags (see
//! `docs/interop.md`); a flag set to true that has no counterpart is
//! reported, one line each, as are pytm's own findings, which our rules
//! replace.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::lenient::{Field, Node, Obj};
use super::slug::{Slugs, one_line};
use super::{Format, ImportError, Imported, IncludeReader, Thing, Unmapped};

mod doc;
use crate::model::{
    Boundary, BoundaryKind, Classification, ComponentType, DataAsset, Element, ElementKind, Flow,
    Model,
};

/// Element `controls.*` flags and the attribute each sets.
const ELEMENT_CONTROLS: &[(&str, &str)] = &[
    ("usesMFA", "mfa"),
    ("sanitizesInput", "input_validation"),
    ("validatesInput", "input_validation"),
    ("checksInputBounds", "input_validation"),
    ("encodesOutput", "output_encoding"),
    ("usesParameterizedInput", "parameterized_queries"),
    ("isEncryptedAtRest", "encrypted_at_rest"),
    ("implementsCSRFToken", "csrf_protection"),
    ("implementsPOLP", "least_privilege"),
    ("hasAccessControl", "rbac"),
    ("authorizesSource", "rbac"),
    ("usesCodeSigning", "signed_artifacts"),
    ("handlesResourceConsumption", "rate_limiting"),
    ("usesStrongSessionIdentifiers", "secure_session_management"),
    ("verifySessionIdentifiers", "secure_session_management"),
    ("providesIntegrity", "integrity_checks"),
    ("tracksExecutionFlow", "audit_logging"),
    ("authenticatesSource", "authenticates_users"),
    ("implementsAuthenticationScheme", "authenticates_users"),
    ("isResilient", "replication"),
];

/// Non-control element flags and the attribute each sets.
const ELEMENT_FLAGS: &[(&str, &str)] = &[
    ("isAdmin", "privileged"),
    ("storesCredentials", "stores_credentials"),
    ("hasWriteAccess", "runs_user_code"),
];

/// Flags that say what a thing is, not a control: never reported.
const DESCRIPTIVE: &[&str] = &[
    "inScope",
    "isResponse",
    "isSQL",
    "storesLogData",
    "storesPII",
    "storesSensitiveData",
    "implementsAPI",
    "onAWS",
];

fn classification(c: &str) -> Classification {
    match c.rsplit('.').next().unwrap_or("") {
        "PUBLIC" => Classification::Public,
        "SENSITIVE" => Classification::Confidential,
        "RESTRICTED" | "SECRET" | "TOP_SECRET" => Classification::Restricted,
        _ => Classification::Internal,
    }
}

/// Imports pytm's JSON model (it includes nothing: the reader is not used).
pub fn import(file: &str, text: &str, _: &dyn IncludeReader) -> Result<Imported, ImportError> {
    let bad = |problem: String| ImportError::Malformed {
        file: file.to_string(),
        format: Format::Pytm,
        problem,
    };
    let doc: Field<Obj<doc::Doc>> =
        serde_json::from_str(text).map_err(|e| ImportError::Syntax {
            file: file.to_string(),
            format: Format::Pytm,
            message: e.to_string(),
        })?;
    let Some(Obj(doc)) = doc.into_option() else {
        return Err(ImportError::NotTheFormat {
            file: file.to_string(),
            format: Format::Pytm,
            why: "the model is not a JSON object",
        });
    };
    for (key, present) in [
        ("elements", doc.elements.get().is_some()),
        ("flows", doc.flows.get().is_some()),
    ] {
        if !present {
            return Err(bad(format!("\"{key}\" is missing or not a list")));
        }
    }
    let mut unmapped = Vec::new();
    let mut slugs = Slugs::default();
    // Boundaries first: elements and other boundaries refer to them by name.
    let mut boundary_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut boundaries = Vec::new();
    for (i, bd) in doc.boundaries.items().iter().enumerate() {
        let name = one_line(bd.name.str());
        let id = slugs.unique(&name, "boundary");
        if boundary_ids
            .insert(bd.name.str().to_string(), id.clone())
            .is_some()
        {
            unmapped.push(Unmapped::quoted(
                Thing::Boundary,
                &name,
                "two boundaries have this name; references go to the last",
            ));
        }
        boundaries.push((
            Boundary {
                source_id: None,
                id,
                name: if name.is_empty() {
                    format!("boundary {}", i + 1)
                } else {
                    name
                },
                kind: BoundaryKind::Generic,
                parent: None,
                description: bd.description.non_empty(),
            },
            bd.in_boundary.str(),
        ));
    }
    let boundaries: Vec<Boundary> = boundaries
        .into_iter()
        .map(|(mut bd, parent)| {
            bd.parent = boundary_ids.get(parent).cloned();
            bd
        })
        .collect();
    let mut element_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut elements = Vec::new();
    for e in doc.elements.items() {
        let name = one_line(e.text("name"));
        let (kind, ty) = match e.text("__class__") {
            "Actor" => (ElementKind::ExternalEntity, ComponentType::User),
            "ExternalEntity" => (ElementKind::ExternalEntity, ComponentType::Generic),
            "Datastore" if e.flag("storesLogData") => {
                (ElementKind::DataStore, ComponentType::LogStore)
            }
            "Datastore" if e.flag("isSQL") => (ElementKind::DataStore, ComponentType::Database),
            "Datastore" => (ElementKind::DataStore, ComponentType::Generic),
            "Lambda" => (ElementKind::Process, ComponentType::Microservice),
            "Process" | "SetOfProcesses" | "Server" => {
                let ty = if e.flag("implementsAPI") {
                    ComponentType::Api
                } else {
                    ComponentType::Generic
                };
                (ElementKind::Process, ty)
            }
            other => {
                unmapped.push(Unmapped::quoted(
                    Thing::Element,
                    &name,
                    format!("pytm class {other:?} is read as a process"),
                ));
                (ElementKind::Process, ComponentType::Generic)
            }
        };
        let id = slugs.unique(&name, "element");
        if element_ids
            .insert(e.text("name").to_string(), id.clone())
            .is_some()
        {
            unmapped.push(Unmapped::quoted(
                Thing::Element,
                &name,
                "two elements have this name; flows go to the last",
            ));
        }
        let mut attributes = BTreeMap::new();
        // A true flag sets the attribute its table names; `isEncrypted`
        // on a data store means at rest; anything else is reported as
        // `shown` (with its `controls.` prefix where it has one).
        let mut set = |table: &[(&str, &str)], k: &str, shown: &str| match table
            .iter()
            .find(|(c, _)| *c == k)
        {
            Some((_, attr)) => {
                attributes.insert((*attr).to_string(), true);
            }
            None if k == "isEncrypted" && kind == ElementKind::DataStore => {
                attributes.insert("encrypted_at_rest".into(), true);
            }
            None => unmapped.push(Unmapped::new(
                Thing::Element,
                &id,
                format!("{shown} is not mapped"),
            )),
        };
        let no_flags = doc::Flags::new();
        for (k, v) in e.controls().unwrap_or(&no_flags) {
            if v.yes() {
                set(ELEMENT_CONTROLS, k, &format!("controls.{k}"));
            }
        }
        for k in e.flags_set() {
            if !DESCRIPTIVE.contains(&k) {
                set(ELEMENT_FLAGS, k, k);
            }
        }
        let boundary = match e.text("inBoundary") {
            "" => None,
            bn => match boundary_ids.get(bn) {
                Some(b) => Some(b.clone()),
                None => {
                    unmapped.push(Unmapped::new(
                        Thing::Element,
                        &id,
                        format!("boundary {bn:?} is not in the model"),
                    ));
                    None
                }
            },
        };
        elements.push(Element {
            source_id: None,
            id,
            name,
            kind,
            component_type: ty,
            boundary,
            attributes,
            stores: vec![],
            description: Some(e.text("description").to_string()).filter(|d| !d.is_empty()),
            out_of_scope: e.flag_value("inScope") == Some(false),
            out_of_scope_reason: None,
        });
    }
    // Data: carried by flows (by flow name), stored where pytm says.
    let mut data = Vec::new();
    let mut carried_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in doc.data.items() {
        let name = one_line(d.name.str());
        let id = slugs.unique(&name, "data");
        let mut cls = classification(d.classification.str());
        if d.is_credentials.yes() {
            cls = Classification::Restricted;
        }
        for f in d.carried_by.strings() {
            carried_by
                .entry(f.to_string())
                .or_default()
                .push(id.clone());
        }
        if d.is_stored.yes() {
            for p in d.processed_by.strings() {
                if let Some(e) = element_ids
                    .get(p)
                    .and_then(|eid| elements.iter_mut().find(|e| &e.id == eid))
                    .filter(|e| e.kind == ElementKind::DataStore)
                {
                    e.stores.push(id.clone());
                }
            }
        }
        data.push(DataAsset {
            id,
            name,
            classification: cls,
            pii: d.is_pii.yes(),
            description: d.description.non_empty(),
        });
    }
    let mut flows = Vec::new();
    for f in doc.flows.items() {
        let name = one_line(f.name.str());
        let (Some(from), Some(to)) = (
            element_ids.get(f.source.str()),
            element_ids.get(f.sink.str()),
        ) else {
            unmapped.push(Unmapped::quoted(
                Thing::Flow,
                &name,
                format!(
                    "an end ({:?} or {:?}) is not an element; skipped",
                    f.source.str(),
                    f.sink.str()
                ),
            ));
            continue;
        };
        let id = slugs.unique(&name, "flow");
        let no_flags = doc::Flags::new();
        let controls = f.controls.get().unwrap_or(&no_flags);
        let ctl = |k: &str| controls.get(k).is_some_and(Field::yes);
        let protocol = f.protocol.str().trim().to_ascii_lowercase();
        let tls = f.tls_version.str();
        let tls_ok = !tls.is_empty() && !tls.ends_with("NONE");
        let mut flow = Flow {
            source_id: None,
            id: id.clone(),
            from: from.clone(),
            to: to.clone(),
            name: Some(name.clone()).filter(|n| !n.is_empty()),
            protocol: Some(protocol).filter(|p| !p.is_empty()),
            encrypted: ctl("isEncrypted") || ctl("usesVPN") || f.uses_vpn.yes() || tls_ok,
            authenticated: ctl("authenticatesSource") || ctl("implementsAuthenticationScheme"),
            carries: carried_by.remove(f.name.str()).unwrap_or_default(),
            description: f.description.non_empty(),
            out_of_scope: f.in_scope.get() == Some(&false),
            out_of_scope_reason: None,
        };
        flow.carries.dedup();
        const FLOW_MAPPED: &[&str] = &[
            "isEncrypted",
            "usesVPN",
            "authenticatesSource",
            "implementsAuthenticationScheme",
        ];
        for (k, v) in controls {
            if v.yes() && !FLOW_MAPPED.contains(&k.as_str()) {
                unmapped.push(Unmapped::new(
                    Thing::Flow,
                    &id,
                    format!("controls.{k} is not mapped"),
                ));
            }
        }
        flows.push(flow);
    }
    for (f, ids) in carried_by {
        unmapped.push(Unmapped::new(
            Thing::Data,
            ids.join(", "),
            format!("carried by {f:?}, which is not a flow of the model"),
        ));
    }
    let findings = doc.findings.items().len();
    if findings > 0 {
        unmapped.push(Unmapped::model(format!(
            "{findings} pytm findings are not imported: our rules analyse the model"
        )));
    }
    let model = Model {
        name: Some(one_line(doc.name.str()))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "pytm model".into()),
        description: doc.description.non_empty(),
        boundaries,
        elements,
        data,
        flows,
        recorded_threats: vec![],
    };
    Ok(super::slug::readable(Imported { model, unmapped }))
}

/// Whether a parsed JSON document looks like pytm's model: `elements` and
/// `flows` lists whose entries carry pytm's `__class__` or `controls`.
pub(crate) fn is_pytm(doc: &Value) -> bool {
    let Ok(Node(probe)) = Node::<doc::Probe>::deserialize(doc) else {
        return false;
    };
    let tagged = |items: &Field<Vec<Node<doc::Tagged>>>| {
        items
            .items()
            .iter()
            .any(|e| e.class.present() || e.controls.present())
    };
    probe.flows.get().is_some() && (tagged(&probe.elements) || tagged(&probe.flows))
}
