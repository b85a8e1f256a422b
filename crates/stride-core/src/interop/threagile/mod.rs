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

mod doc;

use super::lenient;
use super::{ImportError, Imported, IncludeReader, Thing, Unmapped};
use crate::interop::slug::slug;
use crate::model::{
    Boundary, BoundaryKind, Classification, ComponentType, DataAsset, Element, ElementKind, Flow,
    Model,
};

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

/// Imports a Threagile model; `reader` reads its `includes` (relative to
/// the model).
pub fn import(file: &str, text: &str, reader: &dyn IncludeReader) -> Result<Imported, ImportError> {
    let doc = doc::read(file, text, reader)?;
    let id_of = |id: &lenient::Field<lenient::Scalar>, name: &str| {
        let id = id.text();
        if id.is_empty() { slug(name) } else { id }
    };
    let non_empty = |s: String| Some(s).filter(|x| !x.is_empty());
    let mut unmapped = Vec::new();
    let data: Vec<DataAsset> = doc
        .data_assets
        .entries()
        .iter()
        .map(|(name, d)| DataAsset {
            id: id_of(&d.id, name),
            classification: confidentiality(&d.confidentiality.text()),
            pii: d.tags.strings().any(|t| t.eq_ignore_ascii_case("pii")),
            description: non_empty(d.description.text()),
            name: name.clone(),
        })
        .collect();
    // Boundaries, with nesting.
    let tb = doc.trust_boundaries.entries();
    let mut boundaries: Vec<Boundary> = tb
        .iter()
        .map(|(name, t)| Boundary {
            source_id: None,
            id: id_of(&t.id, name),
            name: name.clone(),
            kind: boundary_kind(&t.kind.text()),
            parent: None,
            description: non_empty(t.description.text()),
        })
        .collect();
    let nested: Vec<(String, Vec<&str>)> = tb
        .iter()
        .map(|(n, t)| {
            (
                id_of(&t.id, n),
                t.trust_boundaries_nested.strings().collect(),
            )
        })
        .collect();
    for bd in &mut boundaries {
        bd.parent = nested
            .iter()
            .find(|(_, kids)| kids.contains(&bd.id.as_str()))
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
    let inside: Vec<(String, Vec<&str>)> = tb
        .iter()
        .map(|(n, t)| {
            (
                id_of(&t.id, n),
                t.technical_assets_inside.strings().collect(),
            )
        })
        .collect();
    let mut elements = Vec::new();
    let mut flows = Vec::new();
    let mut needs_internet = false;
    for (name, a) in doc.technical_assets.entries() {
        let id = id_of(&a.id, name);
        let kind = match a.kind.text().as_str() {
            "external-entity" => ElementKind::ExternalEntity,
            "datastore" => ElementKind::DataStore,
            _ => ElementKind::Process,
        };
        let tech = a.technology.text();
        let component_type = technology(&tech).unwrap_or_else(|| {
            unmapped.push(Unmapped::new(
                Thing::TechnicalAsset,
                &id,
                format!("technology {tech:?} has no equivalent; read as generic"),
            ));
            ComponentType::Generic
        });
        let mut attributes = BTreeMap::new();
        for (flag, ours) in [
            (&a.internet, "internet_facing"),
            (&a.multi_tenant, "multi_tenant"),
            (&a.redundant, "replication"),
        ] {
            if flag.yes() {
                attributes.insert(ours.to_string(), true);
            }
        }
        let enc = a.encryption.text();
        if !enc.is_empty() && enc != "none" {
            attributes.insert("encrypted_at_rest".into(), true);
        }
        let mut boundary = inside
            .iter()
            .filter(|(_, members)| members.contains(&id.as_str()))
            .max_by_key(|(b, _)| depth(b))
            .map(|(b, _)| b.clone());
        if boundary.is_none() && a.internet.yes() {
            boundary = Some("internet".into());
            needs_internet = true;
        }
        let out_of_scope = a.out_of_scope.yes();
        let justification = a.justification_out_of_scope.text();
        for (title, l) in a.communication_links.entries() {
            let proto = l.protocol.text();
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
                || l.vpn.yes();
            let auth = l.authentication.text();
            let mut carries: Vec<String> =
                l.data_assets_sent.strings().map(str::to_string).collect();
            for d in l.data_assets_received.strings() {
                if !carries.iter().any(|c| c == d) {
                    carries.push(d.to_string());
                }
            }
            let fid = format!("{id}--{}", slug(title));
            for (flag, what) in [
                (&l.ip_filtered, "IP filtering"),
                (&l.readonly, "read-only access"),
            ] {
                if flag.yes() {
                    unmapped.push(Unmapped::new(
                        Thing::Link,
                        &fid,
                        format!("{what} has no equivalent"),
                    ));
                }
            }
            flows.push(Flow {
                source_id: None,
                id: fid,
                from: id.clone(),
                to: l.target.text(),
                name: Some(title.clone()),
                protocol: non_empty(proto.trim_end_matches("-encrypted").to_string()),
                encrypted,
                authenticated: !auth.is_empty() && auth != "none",
                carries,
                description: non_empty(l.description.text()),
                out_of_scope,
                out_of_scope_reason: non_empty(justification.clone()).filter(|_| out_of_scope),
            });
        }
        elements.push(Element {
            source_id: None,
            id,
            name: name.clone(),
            kind,
            component_type,
            boundary,
            attributes,
            stores: a.data_assets_stored.strings().map(str::to_string).collect(),
            description: non_empty(a.description.text()),
            out_of_scope,
            out_of_scope_reason: non_empty(justification),
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
    for (name, r) in doc.shared_runtimes.entries() {
        unmapped.push(
            Unmapped::quoted(Thing::SharedRuntime, name, "noted, not modelled").with_note(format!(
                "runs {}",
                r.technical_assets_running
                    .strings()
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
    for (risk, t) in doc.risk_tracking.entries() {
        unmapped.push(
            Unmapped::new(
                Thing::RiskTracking,
                risk,
                "Threagile rule ids have no equivalent here",
            )
            .with_note(t.status.text()),
        );
    }
    Ok(super::slug::readable(Imported {
        model: Model {
            name: non_empty(doc.title.text()).unwrap_or_else(|| file.to_string()),
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
