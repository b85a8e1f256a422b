//! The system model: trust boundaries, elements, data assets and data
//! flows, read from YAML or JSON (one serde schema) and validated.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::attributes;

/// A system model. See `docs/model-format.md` for every key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// The system's name.
    pub name: String,
    /// What the system is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Trust boundaries; they may nest with `parent`.
    #[serde(default)]
    pub boundaries: Vec<Boundary>,
    /// External entities, processes and data stores.
    #[serde(default)]
    pub elements: Vec<Element>,
    /// Data assets, referred to by flows (`carries`) and stores (`stores`).
    #[serde(default)]
    pub data: Vec<DataAsset>,
    /// Data flows between elements.
    #[serde(default)]
    pub flows: Vec<Flow>,
    /// Threats recorded by another tool (Threat Dragon), kept with their
    /// status as they were written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recorded_threats: Vec<RecordedThreat>,
}

/// A threat recorded in an imported model, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedThreat {
    /// The element or flow it was recorded on.
    pub element: String,
    /// Its id in the other tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its title.
    pub title: String,
    /// Its category as written (`Spoofing`, `Information disclosure`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Its status as written (`Open`, `Mitigated`...).
    pub status: String,
    /// Its severity as written (`High`, `TBA`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its mitigation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigation: Option<String>,
}

/// A trust boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boundary {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What kind of zone it is.
    #[serde(default)]
    pub kind: BoundaryKind,
    /// The enclosing boundary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The id it had in the file it was imported from, when that id was not
    /// readable (a UUID): exports write it back so round trips keep it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
}

/// The kind of zone a trust boundary encloses.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum BoundaryKind {
    /// The public internet.
    Internet,
    /// A demilitarised zone.
    Dmz,
    /// A corporate network.
    Corporate,
    /// An on-premises data centre.
    OnPrem,
    /// A cloud account or VPC.
    Cloud,
    /// A third party's systems.
    ThirdParty,
    /// A user's device.
    Device,
    /// Anything else.
    #[default]
    Generic,
}

/// The STRIDE-per-element kind of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    /// Outside the system's control (a user, a partner system).
    ExternalEntity,
    /// Code that runs.
    Process,
    /// Data at rest.
    DataStore,
}

/// What a component is: drives the rules. Typed, never matched by substring.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ComponentType {
    WebApp,
    Api,
    ApiGateway,
    AuthService,
    IdentityProvider,
    Database,
    Cache,
    MessageQueue,
    ObjectStorage,
    FileUpload,
    LogStore,
    SecretsVault,
    PaymentService,
    Microservice,
    LoadBalancer,
    Cdn,
    Browser,
    MobileApp,
    BatchJob,
    Llm,
    User,
    #[default]
    Generic,
}

impl ComponentType {
    /// Every type, for listings.
    pub const ALL: [ComponentType; 22] = [
        ComponentType::WebApp,
        ComponentType::Api,
        ComponentType::ApiGateway,
        ComponentType::AuthService,
        ComponentType::IdentityProvider,
        ComponentType::Database,
        ComponentType::Cache,
        ComponentType::MessageQueue,
        ComponentType::ObjectStorage,
        ComponentType::FileUpload,
        ComponentType::LogStore,
        ComponentType::SecretsVault,
        ComponentType::PaymentService,
        ComponentType::Microservice,
        ComponentType::LoadBalancer,
        ComponentType::Cdn,
        ComponentType::Browser,
        ComponentType::MobileApp,
        ComponentType::BatchJob,
        ComponentType::Llm,
        ComponentType::User,
        ComponentType::Generic,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        TYPE_NAMES[self as usize]
    }

    /// The kind an element of this type usually is.
    pub fn default_kind(self) -> ElementKind {
        use ComponentType::*;
        match self {
            Database | Cache | ObjectStorage | LogStore | SecretsVault | MessageQueue => {
                ElementKind::DataStore
            }
            Browser | User | MobileApp => ElementKind::ExternalEntity,
            _ => ElementKind::Process,
        }
    }
}

const TYPE_NAMES: [&str; 22] = [
    "web_app",
    "api",
    "api_gateway",
    "auth_service",
    "identity_provider",
    "database",
    "cache",
    "message_queue",
    "object_storage",
    "file_upload",
    "log_store",
    "secrets_vault",
    "payment_service",
    "microservice",
    "load_balancer",
    "cdn",
    "browser",
    "mobile_app",
    "batch_job",
    "llm",
    "user",
    "generic",
];

impl std::str::FromStr for ComponentType {
    type Err = ParseComponentTypeError;
    fn from_str(s: &str) -> Result<Self, ParseComponentTypeError> {
        let at = |n: &str| TYPE_NAMES.iter().position(|t| *t == n);
        at(s)
            .map(|i| ComponentType::ALL[i])
            .ok_or_else(|| ParseComponentTypeError {
                name: s.to_string(),
                suggestion: attributes::suggest(s, TYPE_NAMES)
                    .and_then(at)
                    .map(|i| ComponentType::ALL[i]),
            })
    }
}

impl fmt::Display for ComponentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A component of the system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    /// Unique id (across elements and flows).
    pub id: String,
    /// Display name.
    pub name: String,
    /// External entity, process or data store.
    pub kind: ElementKind,
    /// Role or technology.
    #[serde(default, rename = "type")]
    pub component_type: ComponentType,
    /// The trust boundary it sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<String>,
    /// Typed attributes (see [`ATTRIBUTES`](crate::attributes::ATTRIBUTES)); all default to `false`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, bool>,
    /// Data assets a data store holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stores: Vec<String>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Kept in the model (and diagrams) but not analysed: every STRIDE cell
    /// is not applicable, with [`Element::out_of_scope_reason`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub out_of_scope: bool,
    /// Why it is out of scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_scope_reason: Option<String>,
    /// The id it had in the file it was imported from, when that id was not
    /// readable (a UUID): exports write it back so round trips keep it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
}

impl Element {
    /// An attribute's value (`false` when not declared).
    pub fn attr(&self, name: &str) -> bool {
        self.attributes.get(name).copied().unwrap_or(false)
    }
}

/// How sensitive a data asset is.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// Meant to be public.
    Public,
    /// Internal use.
    #[default]
    Internal,
    /// Harmful if disclosed.
    Confidential,
    /// Regulated or highly sensitive (card data, credentials, health).
    Restricted,
}

/// A data asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataAsset {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Sensitivity.
    #[serde(default)]
    pub classification: Classification,
    /// Personal data.
    #[serde(default)]
    pub pii: bool,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A data flow between two elements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// Unique id (across elements and flows).
    pub id: String,
    /// Source element id.
    pub from: String,
    /// Target element id.
    pub to: String,
    /// Display name (defaults to the id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Lowercase protocol name (`https`, `grpc`, `postgres`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Declared control: the channel is encrypted.
    #[serde(default)]
    pub encrypted: bool,
    /// Declared control: the caller is authenticated.
    #[serde(default)]
    pub authenticated: bool,
    /// Data assets it carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carries: Vec<String>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Kept but not analysed (see [`Element::out_of_scope`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub out_of_scope: bool,
    /// Why it is out of scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_scope_reason: Option<String>,
    /// The id it had in the file it was imported from, when that id was not
    /// readable (a UUID): exports write it back so round trips keep it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
}

/// Protocols the rules know. Others are accepted with a warning.
pub const KNOWN_PROTOCOLS: &[&str] = &[
    "http",
    "https",
    "grpc",
    "grpcs",
    "tcp",
    "tls",
    "udp",
    "dtls",
    "amqp",
    "amqps",
    "mqtt",
    "mqtts",
    "postgres",
    "mysql",
    "redis",
    "rediss",
    "mongodb",
    "ldap",
    "ldaps",
    "smtp",
    "smtps",
    "imap",
    "imaps",
    "ssh",
    "sftp",
    "ftp",
    "ftps",
    "websocket",
    "wss",
    "kafka",
    "nfs",
    "smb",
    "s3",
    "graphql",
    "soap",
    "jdbc",
    "odbc",
    "dns",
    "ipc",
    "file",
];

/// Protocols that carry data in clear text unless wrapped.
pub const PLAINTEXT_PROTOCOLS: &[&str] = &[
    "http",
    "tcp",
    "udp",
    "amqp",
    "mqtt",
    "ldap",
    "smtp",
    "imap",
    "ftp",
    "websocket",
    "redis",
    "dns",
    "nfs",
];

pub use crate::model_error::{ModelError, ModelProblem, ParseComponentTypeError};

/// A loaded, validated model with the non-fatal warnings found on the way.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    /// The model.
    pub model: Model,
    /// Warnings (unknown protocol, unusual flow...), one line each.
    pub warnings: Vec<String>,
    /// 1-based line of each element's and flow's `id` in the source, when
    /// known (for SARIF locations).
    pub lines: HashMap<String, usize>,
}

impl Model {
    /// An element by id.
    pub fn element(&self, id: &str) -> Option<&Element> {
        self.elements.iter().find(|e| e.id == id)
    }

    /// A boundary by id.
    pub fn boundary(&self, id: &str) -> Option<&Boundary> {
        self.boundaries.iter().find(|b| b.id == id)
    }

    /// A data asset by id.
    pub fn data_asset(&self, id: &str) -> Option<&DataAsset> {
        self.data.iter().find(|d| d.id == id)
    }

    /// The chain of boundaries an element sits in, innermost first.
    pub fn boundary_chain(&self, element: &Element) -> Vec<&Boundary> {
        let mut out = Vec::new();
        let mut cur = element.boundary.as_deref();
        while let Some(id) = cur {
            let Some(b) = self.boundary(id) else { break };
            if out.iter().any(|x: &&Boundary| x.id == b.id) {
                break;
            }
            out.push(b);
            cur = b.parent.as_deref();
        }
        out
    }
}
