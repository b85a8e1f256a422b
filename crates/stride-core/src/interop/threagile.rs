//! Threagile YAML models: import.
//!
//! - Technical assets become elements: `type` gives the kind, `technology`
//!   our component type (a table below), and `internet`, `encryption`,
//!   `multi_tenant`, `redundant` become attributes. Assets marked
//!   `out_of_scope` are kept, out of scope, with their justification.
//! - Data assets become data assets: Threagile's five confidentiality levels
//!   map onto our four (restricted and confidential to confidential,
//!   strictly-confidential to restricted).
//! - Communication links become flows: `-encrypted` protocols and VPNs are
//!   encrypted; any authentication but `none` is authenticated; sent and
//!   received data are carried.
//! - Trust boundaries become boundaries (typed, nested); an asset inside
//!   several takes the innermost. Assets with `internet: true` outside every
//!   boundary are placed in an added `internet` boundary.
//! - `includes:` are followed through the caller's reader.
//! - Shared runtimes, risk tracking (Threagile's rule ids are not ours) and
//!   link details without an equivalent (`ip_filtered`, `readonly`) are
//!   reported one line each.

use std::collections::BTreeMap;

use serde_norway::Value;

use super::{ImportError, Imported};
use crate::model::{
    Boundary, BoundaryKind, Classification, ComponentType, DataAsset, Element, ElementKind, Flow,
    Model,
};

fn map(v: &Value, k: &str) -> Vec<(String, Value)> {
    match v.get(k) {
        Some(Value::Mapping(m)) => m
            .iter()
            .map(|(k, v)| (k.as_str().unwrap_or("").to_string(), v.clone()))
            .collect(),
        _ => vec![],
    }
}

fn s(v: &Value, k: &str) -> String {
    match v.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn b(v: &Value, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool).unwrap_or(false)
}

fn list(v: &Value, k: &str) -> Vec<String> {
    match v.get(k) {
        Some(Value::Sequence(seq)) => seq
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => vec![],
    }
}

fn technology(t: &str) -> Option<ComponentType> {
    use ComponentType::*;
    Some(match t {
        "web-server" | "web-application" | "cms" | "application-server" => WebApp,
        "web-service-rest" | "web-service-soap" | "ejb" => Api,
        "gateway" | "reverse-proxy" | "service-mesh" => ApiGateway,
        "identity-provider" | "identity-store-ldap" | "identity-store-database" => IdentityProvider,
        "database" | "search-index" | "search-engine" | "data-lake" => Database,
        "file-server" | "local-file-system" | "block-storage" => ObjectStorage,
        "load-balancer" => LoadBalancer,
        "browser" => Browser,
        "desktop" | "mobile-app" => MobileApp,
        "message-queue" | "stream-processing" | "event-listener" => MessageQueue,
        "vault" | "hsm" => SecretsVault,
        "batch-processing" | "scheduler" | "task" | "build-pipeline" => BatchJob,
        "monitoring" | "log-server" | "siem" => LogStore,
        "ai" => Llm,
        "waf"
        | "ids"
        | "ips"
        | "mail-server"
        | "cli"
        | "ide"
        | "sourcecode-repository"
        | "artifact-registry"
        | "code-inspection-platform"
        | "devops-client"
        | "tool"
        | "library"
        | "unknown-technology"
        | "report-engine"
        | "erp"
        | "iot-device"
        | "mainframe"
        | "function"
        | "container-platform" => Generic,
        _ => return None,
    })
}

fn boundary_kind(t: &str) -> BoundaryKind {
    match t {
        "network-on-prem" | "network-dedicated-hoster" => BoundaryKind::OnPrem,
        "network-virtual-lan" => BoundaryKind::Corporate,
        "network-cloud-provider"
        | "network-cloud-security-group"
        | "network-policy-namespace-isolation" => BoundaryKind::Cloud,
        _ => BoundaryKind::Generic,
    }
}

fn confidentiality(c: &str) -> Classification {
    match c {
        "public" => Classification::Public,
        "restricted" | "confidential" => Classification::Confidential,
        "strictly-confidential" => Classification::Restricted,
        _ => Classification::Internal,
    }
}

fn slug(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    t.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Merges `includes` into the document: maps are merged key by key, the
/// including file winning.
fn merge(into: &mut Value, from: Value) {
    if let (Value::Mapping(a), Value::Mapping(b)) = (into, from) {
        for (k, v) in b {
            match a.get_mut(&k) {
                Some(existing @ Value::Mapping(_)) => merge(existing, v),
                Some(_) => {}
                None => {
                    a.insert(k, v);
                }
            }
        }
    }
}

/// Imports a Threagile model. `read(path)` returns the text of an included
/// file (relative to the model), or why it cannot.
pub fn import(
    file: &str,
    text: &str,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Imported, ImportError> {
    let bad = |m: String| ImportError {
        file: file.to_string(),
        message: m,
    };
    let nesting = |text: &str| {
        crate::limits::check_nesting(text, crate::limits::MAX_NESTING)
            .map_err(|e| format!("line {}: {e}", e.line))
    };
    nesting(text).map_err(bad)?;
    let mut doc: Value =
        serde_norway::from_str(text).map_err(|e| bad(e.to_string().replace('\n', " ")))?;
    // Threagile models use YAML merge keys (`<<: *base`) for inheritance.
    doc.apply_merge()
        .map_err(|e| bad(format!("merge keys: {e}")))?;
    if !doc.is_mapping() || doc.get("technical_assets").is_none() && doc.get("includes").is_none() {
        return Err(bad("no technical_assets: not a Threagile model".into()));
    }
    let mut seen = vec![file.to_string()];
    let mut pending = list(&doc, "includes");
    while let Some(inc) = pending.pop() {
        if seen.contains(&inc) {
            continue;
        }
        seen.push(inc.clone());
        let text = read(&inc).map_err(|e| bad(format!("includes: {inc}: {e}")))?;
        nesting(&text).map_err(|e| bad(format!("includes: {inc}: {e}")))?;
        let mut sub: Value = serde_norway::from_str(&text).map_err(|e| {
            bad(format!(
                "includes: {inc}: {}",
                e.to_string().replace('\n', " ")
            ))
        })?;
        sub.apply_merge()
            .map_err(|e| bad(format!("includes: {inc}: merge keys: {e}")))?;
        pending.extend(list(&sub, "includes"));
        merge(&mut doc, sub);
    }
    let mut unmapped = Vec::new();
    let data: Vec<DataAsset> = map(&doc, "data_assets")
        .into_iter()
        .map(|(name, d)| DataAsset {
            id: if s(&d, "id").is_empty() {
                slug(&name)
            } else {
                s(&d, "id")
            },
            classification: confidentiality(&s(&d, "confidentiality")),
            pii: list(&d, "tags")
                .iter()
                .any(|t| t.eq_ignore_ascii_case("pii")),
            description: Some(s(&d, "description")).filter(|x| !x.is_empty()),
            name,
        })
        .collect();
    // Boundaries, with nesting.
    let tb = map(&doc, "trust_boundaries");
    let mut boundaries: Vec<Boundary> = tb
        .iter()
        .map(|(name, t)| Boundary {
            source_id: None,
            id: if s(t, "id").is_empty() {
                slug(name)
            } else {
                s(t, "id")
            },
            name: name.clone(),
            kind: boundary_kind(&s(t, "type")),
            parent: None,
            description: Some(s(t, "description")).filter(|x| !x.is_empty()),
        })
        .collect();
    let nested: Vec<(String, Vec<String>)> = tb
        .iter()
        .map(|(n, t)| {
            (
                if s(t, "id").is_empty() {
                    slug(n)
                } else {
                    s(t, "id")
                },
                list(t, "trust_boundaries_nested"),
            )
        })
        .collect();
    for bd in &mut boundaries {
        bd.parent = nested
            .iter()
            .find(|(_, kids)| kids.contains(&bd.id))
            .map(|(p, _)| p.clone());
    }
    let depth = |id: &str| {
        let mut d = 0;
        let mut cur = boundaries
            .iter()
            .find(|b| b.id == id)
            .and_then(|b| b.parent.clone());
        while let Some(p) = cur {
            d += 1;
            if d > 64 {
                break;
            }
            cur = boundaries
                .iter()
                .find(|b| b.id == p)
                .and_then(|b| b.parent.clone());
        }
        d
    };
    let inside: Vec<(String, Vec<String>)> = tb
        .iter()
        .map(|(n, t)| {
            (
                if s(t, "id").is_empty() {
                    slug(n)
                } else {
                    s(t, "id")
                },
                list(t, "technical_assets_inside"),
            )
        })
        .collect();
    let mut elements = Vec::new();
    let mut flows = Vec::new();
    let mut needs_internet = false;
    for (name, a) in map(&doc, "technical_assets") {
        let id = if s(&a, "id").is_empty() {
            slug(&name)
        } else {
            s(&a, "id")
        };
        let kind = match s(&a, "type").as_str() {
            "external-entity" => ElementKind::ExternalEntity,
            "datastore" => ElementKind::DataStore,
            _ => ElementKind::Process,
        };
        let tech = s(&a, "technology");
        let component_type = technology(&tech).unwrap_or_else(|| {
            unmapped.push(format!(
                "technical asset {id}: technology {tech:?} has no equivalent; read as generic"
            ));
            ComponentType::Generic
        });
        let mut attributes = BTreeMap::new();
        for (flag, ours) in [
            ("internet", "internet_facing"),
            ("multi_tenant", "multi_tenant"),
            ("redundant", "replication"),
        ] {
            if b(&a, flag) {
                attributes.insert(ours.to_string(), true);
            }
        }
        let enc = s(&a, "encryption");
        if !enc.is_empty() && enc != "none" {
            attributes.insert("encrypted_at_rest".into(), true);
        }
        let mut boundary = inside
            .iter()
            .filter(|(_, members)| members.contains(&id))
            .max_by_key(|(b, _)| depth(b))
            .map(|(b, _)| b.clone());
        if boundary.is_none() && b(&a, "internet") {
            boundary = Some("internet".into());
            needs_internet = true;
        }
        for (title, l) in map(&a, "communication_links") {
            let proto = s(&l, "protocol");
            let vpn = b(&l, "vpn");
            let encrypted = proto.ends_with("-encrypted")
                || [
                    "https",
                    "wss",
                    "ssh",
                    "sftp",
                    "ldaps",
                    "smtp-encrypted",
                    "mqtts",
                    "amqps",
                ]
                .contains(&proto.as_str())
                || vpn;
            let auth = s(&l, "authentication");
            let mut carries = list(&l, "data_assets_sent");
            for d in list(&l, "data_assets_received") {
                if !carries.contains(&d) {
                    carries.push(d);
                }
            }
            let fid = format!("{id}--{}", slug(&title));
            for (flag, what) in [
                ("ip_filtered", "IP filtering"),
                ("readonly", "read-only access"),
            ] {
                if b(&l, flag) {
                    unmapped.push(format!("link {fid}: {what} has no equivalent"));
                }
            }
            flows.push(Flow {
                source_id: None,
                id: fid,
                from: id.clone(),
                to: s(&l, "target"),
                name: Some(title),
                protocol: Some(proto.trim_end_matches("-encrypted").to_string())
                    .filter(|p| !p.is_empty()),
                encrypted,
                authenticated: !auth.is_empty() && auth != "none",
                carries,
                description: Some(s(&l, "description")).filter(|x| !x.is_empty()),
                out_of_scope: b(&a, "out_of_scope"),
                out_of_scope_reason: Some(s(&a, "justification_out_of_scope"))
                    .filter(|x| !x.is_empty() && b(&a, "out_of_scope")),
            });
        }
        elements.push(Element {
            source_id: None,
            id,
            name,
            kind,
            component_type,
            boundary,
            attributes,
            stores: list(&a, "data_assets_stored"),
            description: Some(s(&a, "description")).filter(|x| !x.is_empty()),
            out_of_scope: b(&a, "out_of_scope"),
            out_of_scope_reason: Some(s(&a, "justification_out_of_scope"))
                .filter(|x| !x.is_empty()),
        });
    }
    if needs_internet && !boundaries.iter().any(|b| b.id == "internet") {
        boundaries.push(Boundary {
            source_id: None,
            id: "internet".into(),
            name: "Internet".into(),
            kind: BoundaryKind::Internet,
            parent: None,
            description: Some(
                "Added on import: assets marked internet outside every trust boundary".into(),
            ),
        });
    }
    for (name, r) in map(&doc, "shared_runtimes") {
        unmapped.push(format!(
            "shared runtime {name:?} (runs {}): noted, not modelled",
            list(&r, "technical_assets_running").join(", ")
        ));
    }
    for (risk, t) in map(&doc, "risk_tracking") {
        unmapped.push(format!(
            "risk tracking {risk} ({}): Threagile rule ids have no equivalent here",
            s(&t, "status")
        ));
    }
    Ok(super::slug::readable(Imported {
        model: Model {
            name: {
                let t = s(&doc, "title");
                if t.is_empty() { file.to_string() } else { t }
            },
            description: None,
            boundaries,
            elements,
            data,
            flows,
            recorded_threats: vec![],
        },
        unmapped,
    }))
}
