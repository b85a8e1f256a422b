//! OWASP Threat Dragon v1 models: recognised by their shape
//! (`detail.diagrams[].diagramJson.cells`) and upgraded to the v2 shape, as
//! Threat Dragon itself does, then read by the v2 importer.
//!
//! A v1 cell keeps its properties beside its geometry (`type`,
//! `isEncrypted`, `threats`...), its name in `attrs.text.text` (elements) or
//! in its first label (flows), and its flow ends as `{"id": ...}`. The
//! upgrade moves the properties into `data`, the name into `data.name`, and
//! the ends into `{"cell": ...}`; a `tm.Boundary` stays a curve.

use super::lenient::{Field, Node, Obj};
use super::threat_dragon::doc::{Cell, CellData, Detail, Diagram, Doc, End, Label, V1Cell};
use super::{Format, ImportError};

/// Whether a document is a Threat Dragon v1 model: a diagram with
/// `diagramJson` and no `cells` of its own.
pub(crate) fn is_v1(doc: &Doc) -> bool {
    doc.detail.get().is_some_and(|d| {
        d.diagrams
            .items()
            .iter()
            .any(|d| d.diagram_json.present() && !d.cells.present())
    })
}

/// The cell's name: `attrs.text.text`, else its first label's text.
fn name_of(cell: &V1Cell) -> String {
    let attr = cell.attrs.text.text.str();
    if !attr.trim().is_empty() {
        return attr.to_string();
    }
    match cell.labels.items().first() {
        Some(Label::Text(s)) => s.clone(),
        Some(Label::Other(l)) => l.attrs.text.text.str().to_string(),
        None => String::new(),
    }
}

/// A v1 end names its cell by `id`.
fn end(e: Node<End>) -> Node<End> {
    match e.0.id {
        Field::Value(id) => Node(End {
            cell: Field::Value(id),
            ..End::default()
        }),
        _ => e,
    }
}

fn upgrade_cell(cell: V1Cell) -> Cell {
    let ty = cell.kind.str().to_string();
    let name = name_of(&cell);
    let shape = match ty.as_str() {
        "tm.Actor" => "actor",
        "tm.Process" => "process",
        "tm.Store" => "store",
        "tm.Flow" => "flow",
        "tm.Boundary" => "trust-boundary-curve",
        "tm.Text" => "td-text-block",
        _ => "unknown",
    };
    Cell {
        id: cell.id,
        shape: Field::Value(shape.into()),
        data: Node(CellData {
            kind: Field::Value(ty),
            name: Field::Value(name),
            ..cell.data
        }),
        position: cell.position,
        size: cell.size,
        source: end(cell.source),
        target: end(cell.target),
        vertices: cell.vertices,
    }
}

/// Upgrades a v1 model to the v2 shape; a structurally broken one is refused
/// with one line naming the version and the problem.
pub(crate) fn upgrade(file: &str, doc: Doc) -> Result<Doc, ImportError> {
    let bad = |problem: String| ImportError::Malformed {
        file: file.to_string(),
        format: Format::ThreatDragonV1,
        problem,
    };
    let Field::Value(mut summary) = doc.summary else {
        return Err(bad("no \"summary\" object".into()));
    };
    if summary.title.get().is_none() {
        return Err(bad("summary.title is missing or not a string".into()));
    }
    if summary.0.description == Field::Null {
        summary.0.description = Field::Value(String::new());
    }
    let Some(diagrams) = doc
        .detail
        .into_option()
        .and_then(|d| d.0.diagrams.into_option())
    else {
        return Err(bad("detail.diagrams is missing".into()));
    };
    let mut out = Vec::new();
    for (i, d) in diagrams.into_iter().enumerate() {
        let cells =
            d.0.diagram_json
                .into_option()
                .and_then(|j| j.0.cells.into_option())
                .ok_or_else(|| bad(format!("diagrams[{i}].diagramJson.cells is missing")))?;
        out.push(Node(Diagram {
            diagram_type: Field::Value("STRIDE".into()),
            cells: Field::Value(cells.into_iter().map(|c| Node(upgrade_cell(c.0))).collect()),
            diagram_json: Field::Missing,
        }));
    }
    Ok(Doc {
        summary: Field::Value(summary),
        detail: Field::Value(Obj(Detail {
            diagrams: Field::Value(out),
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v1_flow_keeps_its_name_ends_and_flags() {
        let cell: V1Cell = serde_json::from_str(
            r#"{"type": "tm.Flow", "id": "f", "source": {"id": "a"}, "target": {"id": "b"},
            "labels": [{"attrs": {"text": {"text": "Web\nRequest"}}}], "isEncrypted": true, "protocol": "HTTPS"}"#,
        )
        .unwrap_or_default();
        let up = upgrade_cell(cell);
        assert_eq!(up.source.cell.str(), "a");
        assert_eq!(up.data.name.str(), "Web\nRequest");
        assert!(up.data.is_encrypted.yes());
        assert_eq!(up.shape.str(), "flow");
    }
}
