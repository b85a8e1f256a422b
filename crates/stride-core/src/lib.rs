//! STRIDE-per-element threat modeling, with a threat catalogue kept as data.
//!
//! # Brief overview
//!
//! - A [`Model`] is a system: trust [`Boundary`]s, [`Element`]s (external
//!   entities, processes, data stores, each with a typed [`ComponentType`]
//!   and typed attributes), [`DataAsset`]s and [`Flow`]s. [`Model::load`]
//!   reads YAML or JSON and validates it; errors carry file, line and path.
//! - The [`Catalog`] holds the threat [`Rule`]s: TOML files embedded at
//!   build time, each with a STRIDE category, declarative conditions over
//!   model facts, the controls that mitigate it, mitigations, CWE and CAPEC
//!   ids, default DREAD factors, and a firing and a quiet example.
//! - [`analyze`] runs every rule over every element and flow and returns an
//!   [`Analysis`]: [`Finding`]s (stable ids `RULE@element`, a typed
//!   [`Explanation`], risk scored with the `dread` crate, status) and a
//!   coverage matrix in which every cell that STRIDE-per-element makes
//!   applicable holds at least one finding — baseline rules guarantee it.
//! - The engine returns data, not prose: an [`Explanation`] holds the
//!   subject, the facts that fired and the mitigating controls as typed
//!   values; [`explain::prose`] builds the sentence reports show (and JSON
//!   holds) from them.
//! - [`threats_for`] answers "what threatens a component like this" with no
//!   model at all.
//! - [`attack`] computes attack trees (AND/OR goals, probability, cost,
//!   skill, cut sets, countermeasures) and attack paths through a model, from
//!   untrusted entry points to sensitive data, with the controls that cut them.
//!
//! # Errors
//!
//! Every error is a typed value whose `Display` is the message the CLI
//! prints; enums are `#[non_exhaustive]`, one variant per problem:
//!
//! - [`ModelError`] (file, line, path) of [`Model::load`], with its
//!   [`ModelProblem`] (`UnknownBoundary`, `DuplicateId`, `NestingCycle`...);
//!   [`ParseComponentTypeError`] of `ComponentType::from_str`.
//! - [`RuleError`] (file) of [`Catalog::from_sources`], with its
//!   [`RuleProblem`]; the conditions and controls of a rule fail with
//!   [`ConditionError`] ([`Condition::parse`]) and [`ControlError`]
//!   ([`condition::check_control`]).
//! - [`AcceptanceError`] of [`parse_acceptances`] (bad date, unknown or
//!   missing field, syntax).
//! - [`TreeError`] (file, line, path) of [`AttackTree::load`], with its
//!   [`TreeProblem`]; [`PathError`] of [`attack::attack_paths`].
//! - [`UnmappedCategory`]: why [`recall::stride_of`] finds no STRIDE
//!   counterpart for a recorded threat.
//! - What the YAML/JSON parser refused is one [`ParseProblem`] (unknown
//!   key, missing key, anything else) inside a model's, an attack tree's or
//!   an acceptance file's error.
//!
//! [`Condition::parse`]: condition::Condition::parse
//! [`AttackTree::load`]: attack::AttackTree::load
//!
//! # Example
//!
//! ```
//! use stride_core::{Catalog, Model, Status, Stride, analyze};
//!
//! let yaml = r#"
//! name: Shop
//! boundaries:
//!   - { id: internet, name: Internet, kind: internet }
//!   - { id: vpc, name: VPC, kind: cloud }
//! elements:
//!   - { id: customer, name: Customer, kind: external_entity, type: user, boundary: internet }
//!   - { id: web, name: Storefront, kind: process, type: web_app, boundary: vpc,
//!       attributes: { internet_facing: true, authenticates_users: true } }
//! data:
//!   - { id: card, name: Card data, classification: restricted, pii: true }
//! flows:
//!   - { id: checkout, from: customer, to: web, protocol: https, encrypted: true, carries: [card] }
//! "#;
//! let loaded = Model::load("shop.yaml", yaml)?;
//! let analysis = analyze(&loaded.model, Catalog::builtin());
//!
//! // Every applicable STRIDE cell of the web app holds findings.
//! let web = &analysis.coverage["web"];
//! assert!(web.values().all(|cell| !cell.findings.is_empty()));
//! // The flow is encrypted: disclosure in transit is mitigated, naming the flag.
//! let sniff = analysis.threats.iter()
//!     .find(|t| t.elements[0] == "checkout" && t.stride == Stride::InformationDisclosure)
//!     .unwrap();
//! assert_eq!(sniff.status, Status::Mitigated);
//! assert_eq!(sniff.mitigated_by, ["flow.encrypted"]);
//! // Why, as data; the sentence is built from it.
//! assert_eq!(sniff.explanation.controls, ["flow.encrypted"]);
//! assert!(sniff.explanation.to_string().ends_with("; mitigated by flow.encrypted"));
//! # Ok::<(), stride_core::ModelError>(())
//! ```
#![deny(missing_docs)]

mod accepted;
pub mod attack;
pub mod attributes;
mod builtin;
mod catalog;
pub mod condition;
mod coverage;
mod cross;
mod engine;
pub mod explain;
mod facts;
mod finding;
mod hint;
mod index;
pub mod interop;
pub mod limits;
mod locate;
mod model;
mod model_error;
mod names;
mod quick;
pub mod recall;
mod risk;
mod rule;
mod stride;
mod validate;

pub use accepted::{
    Acceptance, AcceptanceError, AcceptanceReport, apply_acceptances, parse_acceptances,
};
pub use attack::{PathError, TreeError, TreeProblem};
pub use catalog::Catalog;
pub use condition::{ConditionError, ControlError};
pub use coverage::CoverageCell;
pub use engine::{Analysis, analyze};
pub use explain::Explanation;
pub use facts::{element_facts, flow_facts};
pub use finding::{FactorValue, Finding, Risk, RiskMethod, Status};
pub use hint::ParseProblem;
pub use model::{
    Boundary, BoundaryKind, Classification, ComponentType, DataAsset, Element, ElementKind, Flow,
    KNOWN_PROTOCOLS, LoadedModel, Model, ModelError, ModelProblem, PLAINTEXT_PROTOCOLS,
    ParseComponentTypeError, RecordedThreat,
};
pub use quick::threats_for;
pub use recall::UnmappedCategory;
pub use rule::{Mitigation, Rule, RuleError, RuleExamples, RuleProblem, Scope};
pub use stride::{Stride, applicability};
