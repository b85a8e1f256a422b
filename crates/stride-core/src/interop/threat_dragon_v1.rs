//! OWASP Threat Dragon v1 models: recognised by their shape
//! (`detail.diagrams[].diagramJson.cells`) and upgraded to the v2 shape, as
//! Threat Dragon itself does, then read by the v2 importer.
//!
//! A v1 cell keeps its properties beside its geometry (`type`,
//! `isEncrypted`, `threats`...), its name in `attrs.text.text` (elements) or
//! in its first label (flows), and its flow ends as `{"id": ...}`. The
//! upgrade moves the properties into `data`, the name into `data.name`, and
//! the ends into `{"cell": ...}`; a `tm.Boundary` stays a curve.

use serde_json::{Map, Value, json};

use super::ImportError;

/// Whether a parsed document is a Threat Dragon v1 model: a diagram with
/// `diagramJson` and no `cells` of its own.
pub fn is_v1(doc: &Value) -> bool {
    doc.get("detail")
        .and_then(|d| d.get("diagrams"))
        .and_then(Value::as_array)
        .is_some_and(|ds| {
            ds.iter()
                .any(|d| d.get("diagramJson").is_some() && d.get("cells").is_none())
        })
}

fn text_of(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or("").to_string()
}

/// The cell's name: `attrs.text.text`, else its first label's text.
fn name_of(cell: &Value) -> String {
    let attr = text_of(cell.pointer("/attrs/text/text"));
    if !attr.trim().is_empty() {
        return attr;
    }
    let label = cell
        .get("labels")
        .and_then(Value::as_array)
        .and_then(|l| l.first());
    match label {
        Some(Value::String(s)) => s.clone(),
        Some(l) => text_of(l.pointer("/attrs/text/text")),
        None => String::new(),
    }
}

const GEOMETRY: &[&str] = &[
    "type",
    "size",
    "position",
    "angle",
    "id",
    "z",
    "attrs",
    "labels",
    "source",
    "target",
    "vertices",
    "smooth",
    "$$hashKey",
];

fn end(v: Option<&Value>) -> Value {
    match v {
        Some(e) => match e.get("id").and_then(Value::as_str) {
            Some(id) => json!({ "cell": id }),
            None => e.clone(),
        },
        None => Value::Null,
    }
}

fn upgrade_cell(cell: &Value) -> Value {
    let ty = text_of(cell.get("type"));
    let mut data = Map::new();
    if let Some(obj) = cell.as_object() {
        for (k, v) in obj {
            if !GEOMETRY.contains(&k.as_str()) {
                data.insert(k.clone(), v.clone());
            }
        }
    }
    data.insert("type".into(), json!(ty));
    data.insert("name".into(), json!(name_of(cell)));
    let shape = match ty.as_str() {
        "tm.Actor" => "actor",
        "tm.Process" => "process",
        "tm.Store" => "store",
        "tm.Flow" => "flow",
        "tm.Boundary" => "trust-boundary-curve",
        "tm.Text" => "td-text-block",
        _ => "unknown",
    };
    let mut out = json!({
        "id": cell.get("id").cloned().unwrap_or(Value::Null),
        "shape": shape,
        "data": Value::Object(data),
    });
    for k in ["position", "size", "vertices"] {
        if let Some(v) = cell.get(k) {
            out[k] = v.clone();
        }
    }
    if cell.get("source").is_some() || cell.get("target").is_some() {
        out["source"] = end(cell.get("source"));
        out["target"] = end(cell.get("target"));
    }
    out
}

/// Upgrades a v1 model to the v2 shape; a structurally broken one is refused
/// with one line naming the version and the problem.
pub fn upgrade(file: &str, doc: &Value) -> Result<Value, ImportError> {
    let bad = |m: &str| ImportError {
        file: file.to_string(),
        message: format!("Threat Dragon v1: {m}"),
    };
    let summary = doc
        .get("summary")
        .filter(|v| v.is_object())
        .ok_or_else(|| bad("no \"summary\" object"))?;
    let mut summary = summary.clone();
    if !summary.get("title").is_some_and(Value::is_string) {
        return Err(bad("summary.title is missing or not a string"));
    }
    if summary.get("description").is_some_and(Value::is_null) {
        summary["description"] = json!("");
    }
    let diagrams = doc
        .pointer("/detail/diagrams")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("detail.diagrams is missing"))?;
    let mut out = Vec::new();
    for (i, d) in diagrams.iter().enumerate() {
        let cells = d
            .pointer("/diagramJson/cells")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(&format!("diagrams[{i}].diagramJson.cells is missing")))?;
        out.push(json!({
            "id": i,
            "title": text_of(d.get("title")),
            "diagramType": "STRIDE",
            "cells": cells.iter().map(upgrade_cell).collect::<Vec<_>>(),
        }));
    }
    Ok(json!({
        "version": "2.0.0",
        "summary": summary,
        "detail": { "diagrams": out },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v1_flow_keeps_its_name_ends_and_flags() {
        let cell = json!({"type": "tm.Flow", "id": "f", "source": {"id": "a"}, "target": {"id": "b"},
            "labels": [{"attrs": {"text": {"text": "Web\nRequest"}}}], "isEncrypted": true, "protocol": "HTTPS"});
        let up = upgrade_cell(&cell);
        assert_eq!(up["source"]["cell"], "a");
        assert_eq!(up["data"]["name"], "Web\nRequest");
        assert_eq!(up["data"]["isEncrypted"], true);
        assert_eq!(up["shape"], "flow");
    }
}
