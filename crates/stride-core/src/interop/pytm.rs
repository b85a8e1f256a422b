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

use serde_json::Value;

use super::slug::{Slugs, one_line};
use super::{ImportError, Imported};
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

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn b(v: &Value, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool).unwrap_or(false)
}

fn list<'a>(v: &'a Value, k: &str) -> impl Iterator<Item = &'a Value> {
    v.get(k).and_then(Value::as_array).into_iter().flatten()
}

fn classification(c: &str) -> Classification {
    match c.rsplit('.').next().unwrap_or("") {
        "PUBLIC" => Classification::Public,
        "SENSITIVE" => Classification::Confidential,
        "RESTRICTED" | "SECRET" | "TOP_SECRET" => Classification::Restricted,
        _ => Classification::Internal,
    }
}

/// Imports pytm's JSON model.
pub fn import(file: &str, text: &str) -> Result<Imported, ImportError> {
    let bad = |m: &str| ImportError {
        file: file.to_string(),
        message: format!("pytm: {m}"),
    };
    let doc: Value = serde_json::from_str(text).map_err(|e| bad(&format!("not JSON: {e}")))?;
    if !doc.is_object() {
        return Err(bad("the model is not a JSON object"));
    }
    for key in ["elements", "flows"] {
        if !doc.get(key).is_some_and(Value::is_array) {
            return Err(bad(&format!("\"{key}\" is missing or not a list")));
        }
    }
    let mut unmapped = Vec::new();
    let mut slugs = Slugs::default();
    // Boundaries first: elements and other boundaries refer to them by name.
    let mut boundary_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut boundaries = Vec::new();
    for (i, bd) in list(&doc, "boundaries").enumerate() {
        let name = one_line(s(bd, "name"));
        let id = slugs.unique(&name, "boundary");
        if boundary_ids
            .insert(s(bd, "name").to_string(), id.clone())
            .is_some()
        {
            unmapped.push(format!(
                "boundary {name:?}: two boundaries have this name; references go to the last"
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
                description: Some(s(bd, "description").to_string()).filter(|d| !d.is_empty()),
            },
            s(bd, "inBoundary").to_string(),
        ));
    }
    let boundaries: Vec<Boundary> = boundaries
        .into_iter()
        .map(|(mut bd, parent)| {
            bd.parent = boundary_ids.get(&parent).cloned();
            bd
        })
        .collect();
    let mut element_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut elements = Vec::new();
    for e in list(&doc, "elements") {
        let class = s(e, "__class__");
        let name = one_line(s(e, "name"));
        let (kind, ty) = match class {
            "Actor" => (ElementKind::ExternalEntity, ComponentType::User),
            "ExternalEntity" => (ElementKind::ExternalEntity, ComponentType::Generic),
            "Datastore" if b(e, "storesLogData") => {
                (ElementKind::DataStore, ComponentType::LogStore)
            }
            "Datastore" if b(e, "isSQL") => (ElementKind::DataStore, ComponentType::Database),
            "Datastore" => (ElementKind::DataStore, ComponentType::Generic),
            "Lambda" => (ElementKind::Process, ComponentType::Microservice),
            "Process" | "SetOfProcesses" | "Server" => {
                let ty = if b(e, "implementsAPI") {
                    ComponentType::Api
                } else {
                    ComponentType::Generic
                };
                (ElementKind::Process, ty)
            }
            other => {
                unmapped.push(format!(
                    "element {name:?}: pytm class {other:?} is read as a process"
                ));
                (ElementKind::Process, ComponentType::Generic)
            }
        };
        let id = slugs.unique(&name, "element");
        if element_ids
            .insert(s(e, "name").to_string(), id.clone())
            .is_some()
        {
            unmapped.push(format!(
                "element {name:?}: two elements have this name; flows go to the last"
            ));
        }
        let mut attributes = BTreeMap::new();
        let controls = e.get("controls").cloned().unwrap_or(Value::Null);
        for (k, v) in controls.as_object().into_iter().flatten() {
            if v.as_bool() != Some(true) {
                continue;
            }
            match ELEMENT_CONTROLS.iter().find(|(c, _)| c == k) {
                Some((_, attr)) => {
                    attributes.insert((*attr).to_string(), true);
                }
                None if k == "isEncrypted" && kind == ElementKind::DataStore => {
                    attributes.insert("encrypted_at_rest".into(), true);
                }
                None => unmapped.push(format!("element {id}: controls.{k} is not mapped")),
            }
        }
        for (k, v) in e.as_object().into_iter().flatten() {
            if v.as_bool() != Some(true) || DESCRIPTIVE.contains(&k.as_str()) {
                continue;
            }
            match ELEMENT_FLAGS.iter().find(|(c, _)| c == k) {
                Some((_, attr)) => {
                    attributes.insert((*attr).to_string(), true);
                }
                None if k == "isEncrypted" && kind == ElementKind::DataStore => {
                    attributes.insert("encrypted_at_rest".into(), true);
                }
                None => unmapped.push(format!("element {id}: {k} is not mapped")),
            }
        }
        let boundary = match s(e, "inBoundary") {
            "" => None,
            bn => match boundary_ids.get(bn) {
                Some(b) => Some(b.clone()),
                None => {
                    unmapped.push(format!("element {id}: boundary {bn:?} is not in the model"));
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
            description: Some(s(e, "description").to_string()).filter(|d| !d.is_empty()),
            out_of_scope: e.get("inScope").and_then(Value::as_bool) == Some(false),
            out_of_scope_reason: None,
        });
    }
    // Data: carried by flows (by flow name), stored where pytm says.
    let mut data = Vec::new();
    let mut carried_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in list(&doc, "data") {
        let name = one_line(s(d, "name"));
        let id = slugs.unique(&name, "data");
        let mut cls = classification(s(d, "classification"));
        if b(d, "isCredentials") {
            cls = Classification::Restricted;
        }
        for f in list(d, "carriedBy").filter_map(Value::as_str) {
            carried_by
                .entry(f.to_string())
                .or_default()
                .push(id.clone());
        }
        if b(d, "isStored") {
            for p in list(d, "processedBy").filter_map(Value::as_str) {
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
            pii: b(d, "isPII"),
            description: Some(s(d, "description").to_string()).filter(|x| !x.is_empty()),
        });
    }
    let mut flows = Vec::new();
    for f in list(&doc, "flows") {
        let name = one_line(s(f, "name"));
        let (Some(from), Some(to)) = (
            element_ids.get(s(f, "source")),
            element_ids.get(s(f, "sink")),
        ) else {
            unmapped.push(format!(
                "flow {name:?}: an end ({:?} or {:?}) is not an element; skipped",
                s(f, "source"),
                s(f, "sink")
            ));
            continue;
        };
        let id = slugs.unique(&name, "flow");
        let controls = f.get("controls").cloned().unwrap_or(Value::Null);
        let ctl = |k: &str| b(&controls, k);
        let protocol = s(f, "protocol").trim().to_ascii_lowercase();
        let tls = s(f, "tlsVersion");
        let tls_ok = !tls.is_empty() && !tls.ends_with("NONE");
        let mut flow = Flow {
            source_id: None,
            id: id.clone(),
            from: from.clone(),
            to: to.clone(),
            name: Some(name.clone()).filter(|n| !n.is_empty()),
            protocol: Some(protocol).filter(|p| !p.is_empty()),
            encrypted: ctl("isEncrypted") || ctl("usesVPN") || b(f, "usesVPN") || tls_ok,
            authenticated: ctl("authenticatesSource") || ctl("implementsAuthenticationScheme"),
            carries: carried_by.remove(s(f, "name")).unwrap_or_default(),
            description: Some(s(f, "description").to_string()).filter(|d| !d.is_empty()),
            out_of_scope: f.get("inScope").and_then(Value::as_bool) == Some(false),
            out_of_scope_reason: None,
        };
        flow.carries.dedup();
        const FLOW_MAPPED: &[&str] = &[
            "isEncrypted",
            "usesVPN",
            "authenticatesSource",
            "implementsAuthenticationScheme",
        ];
        for (k, v) in controls.as_object().into_iter().flatten() {
            if v.as_bool() == Some(true) && !FLOW_MAPPED.contains(&k.as_str()) {
                unmapped.push(format!("flow {id}: controls.{k} is not mapped"));
            }
        }
        flows.push(flow);
    }
    for (f, ids) in carried_by {
        unmapped.push(format!(
            "data {}: carried by {f:?}, which is not a flow of the model",
            ids.join(", ")
        ));
    }
    let findings = list(&doc, "findings").count();
    if findings > 0 {
        unmapped.push(format!(
            "{findings} pytm findings are not imported: our rules analyse the model"
        ));
    }
    let model = Model {
        name: Some(one_line(s(&doc, "name")))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "pytm model".into()),
        description: Some(s(&doc, "description").to_string()).filter(|d| !d.is_empty()),
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
pub fn is_pytm(doc: &Value) -> bool {
    let tagged =
        |k: &str| list(doc, k).any(|e| e.get("__class__").is_some() || e.get("controls").is_some());
    doc.get("flows").is_some_and(Value::is_array) && (tagged("elements") || tagged("flows"))
}
