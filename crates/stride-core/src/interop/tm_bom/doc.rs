//! A TM-BOM document (schema v1.0.2): the fields we map.

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::interop::lenient::{Field, Node};
use crate::model::Model;

/// A list of strings; items of other types are skipped.
pub(super) type Strings = Field<Vec<Field<String>>>;

/// A list of objects.
pub(super) type List<T> = Field<Vec<Node<T>>>;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Doc {
    #[serde(rename = "$schema")]
    pub schema: Field<String>,
    #[serde(rename = "bomFormat")]
    pub bom_format: Field<IgnoredAny>,
    pub description: Field<String>,
    pub scope: Node<Scope>,
    pub trust_zones: List<Item>,
    pub actors: List<Item>,
    pub components: List<Item>,
    pub data_stores: List<Item>,
    pub data_flows: List<DataFlow>,
    pub data_sets: List<DataSet>,
    pub trust_boundaries: List<TrustBoundary>,
    pub controls: List<Control>,
    pub risks: List<Risk>,
    pub threats: List<Threat>,
    pub assumptions: Field<Vec<IgnoredAny>>,
    pub threat_personas: Field<Vec<IgnoredAny>>,
    pub diagrams: Field<Vec<IgnoredAny>>,
    pub extensions: Node<Extensions>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Scope {
    pub title: Field<String>,
    pub description: Field<String>,
}

/// Our own export's extension: the whole model.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Extensions {
    /// Keyed by [`super::EXTENSION`].
    #[serde(rename = "github.com/stride-secrets/toolkit/model")]
    pub ours: Field<Model>,
}

/// A trust zone, an actor, a component or a data store.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Item {
    pub symbolic_name: Field<String>,
    pub title: Field<String>,
    pub description: Field<String>,
    #[serde(rename = "type")]
    pub kind: Field<String>,
    pub trust_zone: Field<String>,
    pub parent_component: Field<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DataSet {
    pub symbolic_name: Field<String>,
    pub title: Field<String>,
    pub description: Field<String>,
    pub data_sensitivity: Strings,
    pub placements: List<Placement>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Placement {
    pub data_store: Field<String>,
    pub encrypted: Field<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TrustBoundary {
    pub trust_zone_a: Field<String>,
    pub trust_zone_b: Field<String>,
    pub authentication_methods: Strings,
    pub access_control_methods: Field<Vec<IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DataFlow {
    pub symbolic_name: Field<String>,
    pub title: Field<String>,
    pub description: Field<String>,
    pub source: Field<Node<End>>,
    pub destination: Field<Node<End>>,
    pub encrypted: Field<bool>,
    pub has_sensitive_data: Field<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct End {
    pub object: Field<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Control {
    pub title: Field<String>,
    pub status: Field<String>,
    pub threats: Strings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Risk {
    pub level: Field<String>,
    pub threats: Strings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Threat {
    pub symbolic_name: Field<String>,
    pub title: Field<String>,
    pub description: Field<String>,
    pub components_affected: Strings,
}

/// What tells a TM-BOM document.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Probe {
    #[serde(rename = "$schema")]
    pub schema: Field<String>,
    #[serde(rename = "bomFormat")]
    pub bom_format: Field<IgnoredAny>,
    pub trust_zones: Field<IgnoredAny>,
    pub components: Field<IgnoredAny>,
    pub data_flows: Field<IgnoredAny>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_extension_key_is_the_one_the_export_writes() {
        assert_eq!(
            super::super::EXTENSION,
            "github.com/stride-secrets/toolkit/model"
        );
    }
}
