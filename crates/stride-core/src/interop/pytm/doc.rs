//! pytm's JSON model: the fields we map.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::interop::lenient::{Field, Node};

/// A list of strings; items of other types are skipped.
pub(super) type Strings = Field<Vec<Field<String>>>;

/// Flags by name (`controls`, and an element's own flags).
pub(super) type Flags = BTreeMap<String, Field<bool>>;

/// The model, as `--json` prints it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Doc {
    pub name: Field<String>,
    pub description: Field<String>,
    pub elements: Field<Vec<Node<Element>>>,
    pub flows: Field<Vec<Node<Flow>>>,
    pub boundaries: Field<Vec<Node<Boundary>>>,
    pub data: Field<Vec<Node<Data>>>,
    pub findings: Field<Vec<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Boundary {
    pub name: Field<String>,
    pub description: Field<String>,
    pub in_boundary: Field<String>,
}

/// An element. pytm writes every attribute of the element's object, flags
/// included, and every flag set to `true` is either mapped or reported: so
/// the element is read as its attributes by name.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub(super) struct Element(pub BTreeMap<String, Attribute>);

/// One attribute of an element.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Attribute {
    Flag(bool),
    Text(String),
    /// `controls`.
    Flags(Flags),
    Other(IgnoredAny),
}

impl Element {
    /// A text attribute, `""` when it is not text.
    pub fn text(&self, name: &str) -> &str {
        match self.0.get(name) {
            Some(Attribute::Text(t)) => t,
            _ => "",
        }
    }

    /// A flag, when it is a boolean.
    pub fn flag_value(&self, name: &str) -> Option<bool> {
        match self.0.get(name) {
            Some(Attribute::Flag(b)) => Some(*b),
            _ => None,
        }
    }

    /// Whether a flag is `true`.
    pub fn flag(&self, name: &str) -> bool {
        self.flag_value(name) == Some(true)
    }

    /// `controls`, when it is an object.
    pub fn controls(&self) -> Option<&Flags> {
        match self.0.get("controls") {
            Some(Attribute::Flags(f)) => Some(f),
            _ => None,
        }
    }

    /// The names of the flags set to `true`, in name order.
    pub fn flags_set(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(|(_, a)| matches!(a, Attribute::Flag(true)))
            .map(|(k, _)| k.as_str())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Flow {
    pub name: Field<String>,
    pub description: Field<String>,
    pub source: Field<String>,
    pub sink: Field<String>,
    pub protocol: Field<String>,
    pub tls_version: Field<String>,
    #[serde(rename = "usesVPN")]
    pub uses_vpn: Field<bool>,
    pub in_scope: Field<bool>,
    pub controls: Field<Flags>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Data {
    pub name: Field<String>,
    pub description: Field<String>,
    pub classification: Field<String>,
    pub is_credentials: Field<bool>,
    pub is_stored: Field<bool>,
    #[serde(rename = "isPII")]
    pub is_pii: Field<bool>,
    pub carried_by: Strings,
    pub processed_by: Strings,
}

/// What tells pytm's model: `__class__` or `controls` on its items.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Probe {
    pub elements: Field<Vec<Node<Tagged>>>,
    pub flows: Field<Vec<Node<Tagged>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Tagged {
    #[serde(rename = "__class__")]
    pub class: Field<IgnoredAny>,
    pub controls: Field<IgnoredAny>,
}
