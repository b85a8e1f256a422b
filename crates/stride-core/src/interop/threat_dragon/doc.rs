//! A Threat Dragon model (v2, and v1 as far as the upgrade needs it): the
//! fields we read.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::interop::lenient::{Field, Node, Obj};
use crate::model::{Boundary, ComponentType, DataAsset};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Doc {
    pub summary: Field<Obj<Summary>>,
    pub detail: Field<Obj<Detail>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Summary {
    pub title: Field<String>,
    pub description: Field<String>,
    /// What our own export writes.
    #[serde(rename = "strideCore")]
    pub stride_core: Field<Node<SummaryHints>>,
}

/// Our vocabulary, as our export writes it on the summary.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SummaryHints {
    pub boundaries: Field<Vec<Boundary>>,
    pub data: Field<Vec<DataAsset>>,
    pub description: Field<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Detail {
    pub diagrams: Field<Vec<Node<Diagram>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Diagram {
    pub diagram_type: Field<String>,
    pub cells: Field<Vec<Node<Cell>>>,
    /// v1 only: the cells, in v1's shape.
    pub diagram_json: Field<Node<DiagramJson>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DiagramJson {
    pub cells: Field<Vec<Node<V1Cell>>>,
}

/// A v2 cell: geometry, with its properties in `data`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Cell {
    pub id: Field<String>,
    pub shape: Field<String>,
    pub data: Node<CellData>,
    pub position: Node<Position>,
    pub size: Node<Size>,
    pub source: Node<End>,
    pub target: Node<End>,
    pub vertices: Field<Vec<Node<End>>>,
}

impl Cell {
    /// `(x, y, width, height)`, when all four are numbers.
    pub fn rect(&self) -> Option<(f64, f64, f64, f64)> {
        Some((
            *self.position.x.get()?,
            *self.position.y.get()?,
            *self.size.width.get()?,
            *self.size.height.get()?,
        ))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Position {
    pub x: Field<f64>,
    pub y: Field<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Size {
    pub width: Field<f64>,
    pub height: Field<f64>,
}

/// A flow's or curve's end, or a curve's vertex: a cell or a point. In v1,
/// a cell is `{"id": ...}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct End {
    pub cell: Field<String>,
    pub x: Field<f64>,
    pub y: Field<f64>,
    pub id: Field<String>,
}

/// A cell's properties.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct CellData {
    #[serde(rename = "type")]
    pub kind: Field<String>,
    pub name: Field<String>,
    pub description: Field<String>,
    pub privilege_level: Field<String>,
    pub protocol: Field<String>,
    pub out_of_scope: Field<bool>,
    pub reason_out_of_scope: Field<String>,
    pub is_web_application: Field<bool>,
    #[serde(rename = "isALog")]
    pub is_a_log: Field<bool>,
    pub provides_authentication: Field<bool>,
    pub handles_card_payment: Field<bool>,
    pub stores_credentials: Field<bool>,
    pub is_encrypted: Field<bool>,
    pub is_signed: Field<bool>,
    pub is_public_network: Field<bool>,
    pub is_bidirectional: Field<bool>,
    pub threats: Field<Vec<Node<Threat>>>,
    /// What our own export writes.
    pub stride_core: Field<Node<CellHints>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Threat {
    pub id: Field<String>,
    pub title: Field<String>,
    #[serde(rename = "type")]
    pub kind: Field<String>,
    pub status: Field<String>,
    pub severity: Field<String>,
    pub description: Field<String>,
    pub mitigation: Field<String>,
}

/// Our vocabulary, as our export writes it on an element or a flow.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CellHints {
    #[serde(rename = "type")]
    pub kind: Field<ComponentType>,
    pub attributes: Field<BTreeMap<String, bool>>,
    pub stores: Field<Vec<String>>,
    pub boundary: Field<String>,
    pub authenticated: Field<bool>,
    pub carries: Field<Vec<String>>,
    pub name: Field<String>,
}

/// A v1 cell: its properties beside its geometry (collected in `data`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct V1Cell {
    #[serde(rename = "type")]
    pub kind: Field<String>,
    pub id: Field<String>,
    pub attrs: Node<Attrs>,
    pub labels: Field<Vec<Label>>,
    pub position: Node<Position>,
    pub size: Node<Size>,
    pub source: Node<End>,
    pub target: Node<End>,
    pub vertices: Field<Vec<Node<End>>>,
    /// Every other key; geometry this does not name (`z`, `angle`...) is
    /// dropped.
    #[serde(flatten)]
    pub data: CellData,
}

/// `attrs`, where a v1 element keeps its name (`attrs.text.text`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Attrs {
    pub text: Node<Text>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Text {
    pub text: Field<String>,
}

/// A v1 flow label: text, or an object with `attrs.text.text`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum Label {
    Text(String),
    Other(Node<LabelObject>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LabelObject {
    pub attrs: Node<Attrs>,
}
