//! Threat Dragon v2: the published demo models import and analyse, the
//! malformed one is refused cleanly, our export matches the published
//! schema, and importing our export gives back the same model.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use stride_core::interop::{NoIncludes, threat_dragon};
use stride_core::{Catalog, Model, analyze};

fn samples() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples/threat-dragon");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is missing, and CI=true requires it", dir.display());
    }
    eprintln!(
        "skipping: {} is absent (../shared not checked out)",
        dir.display()
    );
    None
}

fn schema() -> Option<jsonschema::Validator> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas/threat-dragon-v2.schema.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(_) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{} missing under CI=true", path.display())
        }
        Err(_) => return None,
    };
    let mut schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Read OpenAPI's `"nullable": true` as Threat Dragon's own validator does:
    // null is allowed.
    fn nullable(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                if map.get("nullable") == Some(&serde_json::Value::Bool(true))
                    && let Some(serde_json::Value::String(t)) = map.get("type").cloned()
                {
                    map.insert("type".into(), serde_json::json!([t, "null"]));
                }
                map.values_mut().for_each(nullable);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(nullable),
            _ => {}
        }
    }
    nullable(&mut schema);
    Some(jsonschema::draft7::new(&schema).unwrap())
}

#[test]
fn the_demo_models_import_and_analyse_and_the_malformed_one_is_refused() {
    let Some(dir) = samples() else { return };
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let result = threat_dragon::import(&name, &text, &NoIncludes);
        if name == "malformed-v2-model.json" {
            let err = result.unwrap_err().to_string();
            assert!(
                err.starts_with("malformed-v2-model.json: ") && err.lines().count() == 1,
                "{err}"
            );
            continue;
        }
        let imported = result.unwrap_or_else(|e| panic!("{e}"));
        let m = &imported.model;
        eprintln!(
            "{name}: {} elements, {} flows, {} boundaries; {} unmapped",
            m.elements.len(),
            m.flows.len(),
            m.boundaries.len(),
            imported.unmapped.len()
        );
        assert!(!m.elements.is_empty(), "{name}");
        eprintln!("  {} recorded threats kept", m.recorded_threats.len());
        // The imported model passes our own validation and analyses.
        let json = serde_json::to_string(m).unwrap();
        let loaded = Model::load(&name, &json).unwrap_or_else(|e| panic!("{e}"));
        let analysis = analyze(&loaded.model, Catalog::builtin());
        assert!(!analysis.threats.is_empty(), "{name}");
        seen += 1;
    }
    assert!(seen >= 5, "{seen} demo models");
}

#[test]
fn the_published_demo_models_pass_the_schema_as_threat_dragon_reads_it() {
    let (Some(dir), Some(v)) = (samples(), schema()) else {
        return;
    };
    let three = serde_json::from_str(
        &std::fs::read_to_string(dir.join("three-tier-web-app.json")).unwrap(),
    )
    .unwrap();
    assert!(v.is_valid(&three));
}

fn webshop() -> Model {
    let yaml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/models/webshop.yaml"
    ))
    .unwrap();
    Model::load("webshop.yaml", &yaml).unwrap().model
}

#[test]
fn our_export_matches_the_schema_and_carries_the_findings() {
    let model = webshop();
    let analysis = analyze(&model, Catalog::builtin());
    let doc = threat_dragon::export(&model, &analysis);
    if let Some(v) = schema() {
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .take(5)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
    let cells = doc["detail"]["diagrams"][0]["cells"].as_array().unwrap();
    let threats: usize = cells
        .iter()
        .map(|c| c["data"]["threats"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(
        threats,
        analysis
            .threats
            .iter()
            .filter(|t| t.elements.len() == 1 || t.elements[0] != t.elements[1])
            .count()
    );
    // No two element boxes overlap.
    let boxes: Vec<(f64, f64)> = cells
        .iter()
        .filter(|c| ["actor", "process", "store"].contains(&c["shape"].as_str().unwrap_or("")))
        .map(|c| {
            (
                c["position"]["x"].as_f64().unwrap(),
                c["position"]["y"].as_f64().unwrap(),
            )
        })
        .collect();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            assert!(
                (a.0 - b.0).abs() >= 160.0 || (a.1 - b.1).abs() >= 100.0,
                "{a:?} overlaps {b:?}"
            );
        }
    }
}

#[test]
fn importing_our_export_gives_back_the_same_model() {
    let model = webshop();
    let analysis = analyze(&model, Catalog::builtin());
    let doc = threat_dragon::export(&model, &analysis);
    let back = threat_dragon::import("export.json", &doc.to_string(), &NoIncludes).unwrap();
    assert!(back.unmapped.is_empty(), "{:?}", back.unmapped);
    assert_eq!(back.model, model);
}

#[test]
fn oddities_are_reported_not_fatal() {
    let doc = serde_json::json!({
        "version": "2.0",
        "summary": { "title": "Odd" },
        "detail": { "diagrams": [{ "diagramType": "CIA", "cells": [
            { "id": "a", "shape": "actor", "position": {"x": 0, "y": 0}, "size": {"width": 10, "height": 10}, "data": { "type": "tm.Actor", "name": "User", "threats": [{"title": "t", "severity": "TBA"}] } },
            { "id": "f", "shape": "flow", "source": {"x": 1, "y": 2}, "target": {"cell": "a"}, "data": { "type": "tm.Flow", "name": "dangling" } },
            { "id": "c", "shape": "trust-boundary-curve", "data": { "type": "tm.Boundary" } }
        ]}]}
    });
    let imported = threat_dragon::import("odd.json", &doc.to_string(), &NoIncludes).unwrap();
    assert_eq!(imported.model.elements.len(), 1);
    assert!(imported.model.flows.is_empty());
    assert_eq!(imported.unmapped.len(), 3, "{:?}", imported.unmapped);
    // The recorded threat is kept as written, odd severity included.
    assert_eq!(imported.model.recorded_threats.len(), 1);
    assert_eq!(
        imported.model.recorded_threats[0].severity.as_deref(),
        Some("TBA")
    );
    for broken in [
        "not json",
        "{}",
        "{\"summary\": {\"title\": 1}, \"detail\": {}}",
        "{\"summary\": {\"title\": \"x\", \"description\": 0}, \"detail\": {\"diagrams\": []}}",
    ] {
        let err = threat_dragon::import("b.json", broken, &NoIncludes).unwrap_err();
        assert_eq!(err.to_string().lines().count(), 1);
    }
}
