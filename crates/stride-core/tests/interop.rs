//! Threat Dragon v1, boundary curves, pytm and TM-BOM on small models we
//! wrote: what maps, what is reported, what is refused, and that no input
//! makes an importer panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use serde_json::json;
use stride_core::interop::{Imported, NoIncludes, pytm, threat_dragon, tm_bom};
use stride_core::{Catalog, Model, Status, analyze, flow_facts};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

/// The imported model passes our own validator.
fn valid(imported: &Imported) -> Model {
    let json = serde_json::to_string(&imported.model).unwrap();
    Model::load("imported", &json).unwrap().model
}

#[test]
fn threat_dragon_v1_imports_with_readable_ids_curves_and_recorded_threats() {
    let imported =
        threat_dragon::import("v1.json", &fixture("td-v1-shop.json"), &NoIncludes).unwrap();
    let m = valid(&imported);
    let ids: Vec<&str> = m.elements.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["customer", "web-shop", "orders"]);
    let shop = m.element("web-shop").unwrap();
    assert_eq!(shop.name, "Web Shop", "names go on one line");
    assert_eq!(
        shop.source_id.as_deref(),
        Some("22222222-2222-4222-8222-222222222222")
    );
    assert!(
        shop.attr("internet_facing"),
        "isPublicNetwork on its inbound flow"
    );
    assert!(m.element("orders").unwrap().attr("encrypted_at_rest"));
    let order = m.flows.iter().find(|f| f.id == "order").unwrap();
    assert_eq!(order.protocol.as_deref(), Some("https"));
    assert!(order.encrypted);
    // The curve puts the customer alone on one side: the order crosses it.
    assert_eq!(m.boundaries.len(), 1);
    assert_eq!(
        m.element("customer").unwrap().boundary.as_deref(),
        Some(m.boundaries[0].id.as_str())
    );
    assert_eq!(
        flow_facts(&m, order).get("crosses_boundary"),
        Some(&stride_core::condition::Fact::Bool(true))
    );
    let statuses: Vec<(&str, &str)> = m
        .recorded_threats
        .iter()
        .map(|r| (r.element.as_str(), r.status.as_str()))
        .collect();
    assert_eq!(statuses, [("web-shop", "Mitigated"), ("order", "Open")]);
    assert_eq!(m.recorded_threats[0].title, "Session hijack");
    assert!(
        imported
            .lines()
            .iter()
            .any(|l| l.contains("an end is a point")),
        "{:?}",
        imported.unmapped
    );
}

#[test]
fn threat_dragon_export_writes_the_original_cell_ids_back() {
    let imported =
        threat_dragon::import("v1.json", &fixture("td-v1-shop.json"), &NoIncludes).unwrap();
    let analysis = analyze(&imported.model, Catalog::builtin());
    let out = threat_dragon::export(&imported.model, &analysis);
    let text = serde_json::to_string(&out).unwrap();
    assert!(text.contains("22222222-2222-4222-8222-222222222222"));
    let again = threat_dragon::import("again.json", &text, &NoIncludes).unwrap();
    assert_eq!(again.model.elements, imported.model.elements);
    assert_eq!(again.model.flows, imported.model.flows);
}

fn v2_with_curve(curve_through_shop: bool) -> String {
    let el = |id: &str, ty: &str, x: f64| {
        json!({ "id": id, "shape": "process", "position": { "x": x, "y": 100 }, "size": { "width": 80, "height": 80 },
                "data": { "type": ty, "name": id } })
    };
    let x = if curve_through_shop { 330.0 } else { 200.0 };
    json!({
        "version": "2.2.0",
        "summary": { "title": "curve" },
        "detail": { "diagrams": [ { "diagramType": "STRIDE", "cells": [
            el("user", "tm.Actor", 0.0), el("shop", "tm.Process", 300.0), el("db", "tm.Store", 500.0),
            { "id": "c", "shape": "trust-boundary-curve", "source": { "x": x, "y": 0 }, "target": { "x": x, "y": 400 },
              "data": { "type": "tm.Boundary", "name": "Internet edge" } },
            { "id": "f1", "shape": "flow", "source": { "cell": "user" }, "target": { "cell": "shop" },
              "data": { "type": "tm.Flow", "name": "browse" } },
            { "id": "f2", "shape": "flow", "source": { "cell": "shop" }, "target": { "cell": "db" },
              "data": { "type": "tm.Flow", "name": "query" } }
        ] } ] }
    })
    .to_string()
}

#[test]
fn a_v2_boundary_curve_makes_the_flow_across_it_cross_a_boundary() {
    let imported = threat_dragon::import("v2.json", &v2_with_curve(false), &NoIncludes).unwrap();
    let m = valid(&imported);
    assert_eq!(m.boundaries[0].name, "Internet edge");
    let crosses = |id: &str| {
        let f = m.flows.iter().find(|f| f.id == id).unwrap();
        flow_facts(&m, f).get("crosses_boundary").cloned()
    };
    use stride_core::condition::Fact;
    assert_eq!(crosses("f1"), Some(Fact::Bool(true)));
    assert_eq!(crosses("f2"), Some(Fact::Bool(false)));
}

#[test]
fn an_element_a_curve_passes_through_is_reported_not_guessed() {
    let imported = threat_dragon::import("v2.json", &v2_with_curve(true), &NoIncludes).unwrap();
    assert!(
        imported
            .lines()
            .iter()
            .any(|l| l.starts_with("element shop:") && l.contains("not guessed")),
        "{:?}",
        imported.unmapped
    );
    assert_eq!(imported.model.element("shop").unwrap().boundary, None);
}

#[test]
fn pytm_maps_classes_nested_boundaries_controls_and_data() {
    let imported = pytm::import("tm.json", &fixture("pytm-bank.json"), &NoIncludes).unwrap();
    let m = valid(&imported);
    let teller = m.element("teller-desk").unwrap();
    assert_eq!(teller.name, "Teller Desk");
    assert!(teller.attr("privileged"));
    let api = m.element("api").unwrap();
    assert_eq!(api.component_type, stride_core::ComponentType::Api);
    assert!(api.attr("mfa") && api.attr("input_validation"));
    let ledger = m.element("ledger").unwrap();
    assert_eq!(ledger.component_type, stride_core::ComponentType::Database);
    assert!(ledger.attr("encrypted_at_rest"));
    assert_eq!(ledger.stores, ["account-number"]);
    assert!(m.element("report-job").unwrap().out_of_scope);
    assert_eq!(
        m.boundary("core-zone").unwrap().parent.as_deref(),
        Some("bank-dc")
    );
    let post = m.flows.iter().find(|f| f.id == "post-transfer").unwrap();
    assert!(post.encrypted && post.authenticated);
    assert_eq!(post.carries, ["account-number"]);
    assert_eq!(
        m.data[0].classification,
        stride_core::Classification::Restricted
    );
    assert!(m.data[0].pii);
    for line in [
        "element api: controls.isHardened is not mapped",
        "element api: usesXMLParser is not mapped",
        "flow post-transfer: controls.implementsNonce is not mapped",
        "1 pytm findings are not imported: our rules analyse the model",
    ] {
        assert!(
            imported.lines().iter().any(|l| l == line),
            "{line} in {:?}",
            imported.unmapped
        );
    }
    assert!(imported.lines().iter().any(|l| l.contains("\"Ghost\"")));
}

#[test]
fn tm_bom_imports_zones_data_sets_authentication_and_threat_status() {
    let imported = tm_bom::import("tm.json", &fixture("tm-bom-clinic.json"), &NoIncludes).unwrap();
    let m = valid(&imported);
    assert_eq!(m.name, "Tiny clinic");
    assert_eq!(
        m.boundary("tz-internet").unwrap().kind,
        stride_core::BoundaryKind::Internet
    );
    assert_eq!(m.element("portal").unwrap().name, "Patient portal");
    let records = m.element("records").unwrap();
    assert!(records.attr("encrypted_at_rest"));
    assert_eq!(records.stores, ["health-records"]);
    let login = m.flows.iter().find(|f| f.id == "login").unwrap();
    assert!(login.authenticated, "token authentication on the boundary");
    assert_eq!(login.carries, ["sensitive-data"]);
    assert!(
        !m.flows
            .iter()
            .find(|f| f.id == "read")
            .unwrap()
            .authenticated
    );
    let hr = m.data_asset("health-records").unwrap();
    assert!(hr.pii);
    assert_eq!(hr.classification, stride_core::Classification::Restricted);
    let r = &m.recorded_threats[0];
    assert_eq!(
        (r.element.as_str(), r.status.as_str(), r.severity.as_deref()),
        ("records", "Mitigated", Some("high"))
    );
    for part in [
        "parent component portal",
        "access_control_methods",
        "threat outage",
        "1 assumptions",
        "1 threat personas",
    ] {
        assert!(
            imported.lines().iter().any(|l| l.contains(part)),
            "{part} in {:?}",
            imported.unmapped
        );
    }
}

#[test]
fn tm_bom_export_carries_findings_controls_and_risks_and_reads_back() {
    let imported = pytm::import("tm.json", &fixture("pytm-bank.json"), &NoIncludes).unwrap();
    let model = valid(&imported);
    let analysis = analyze(&model, Catalog::builtin());
    let out = tm_bom::export(&model, &analysis);
    assert_eq!(
        out["threats"].as_array().unwrap().len(),
        analysis.threats.len()
    );
    assert_eq!(
        out["risks"].as_array().unwrap().len(),
        analysis.threats.len()
    );
    let statuses: Vec<&str> = out["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"suggested"));
    if analysis
        .threats
        .iter()
        .any(|t| t.status == Status::Mitigated)
    {
        assert!(statuses.contains(&"active"));
    }
    for r in out["risks"].as_array().unwrap() {
        let score = r["score"].as_u64().unwrap();
        assert!((1..=25).contains(&score));
    }
    let back = tm_bom::import("out.json", &out.to_string(), &NoIncludes).unwrap();
    assert_eq!(back.model, model);
    if let Some(v) = tmbom_schema() {
        let errors: Vec<String> = v.iter_errors(&out).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

/// The Threat Model Library's schema, from `TMBOM_SCHEMA` or
/// `../shared/schemas/threat-model-library.schema.json`; never committed.
fn tmbom_schema() -> Option<jsonschema::Validator> {
    let path = std::env::var_os("TMBOM_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/schemas/threat-model-library.schema.json")
        });
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipping the schema check: {} is absent (set TMBOM_SCHEMA to the library's threat-model.schema.json)",
            path.display()
        );
        return None;
    };
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    Some(jsonschema::draft202012::new(&schema).unwrap())
}

#[test]
fn broken_files_are_refused_with_one_line_naming_the_format() {
    type Import = stride_core::interop::Importer;
    let cases: [(Import, &str, &str); 8] = [
        (threat_dragon::import, "{", "Threat Dragon: not JSON"),
        (
            threat_dragon::import,
            r#"{"summary":{"title":"t"},"detail":{"diagrams":[{"diagramJson":{}}]}}"#,
            "Threat Dragon v1: diagrams[0].diagramJson.cells is missing",
        ),
        (
            threat_dragon::import,
            r#"{"summary":{},"detail":{"diagrams":[{"diagramJson":{"cells":[]}}]}}"#,
            "Threat Dragon v1: summary.title",
        ),
        (
            threat_dragon::import,
            r#"{"summary":{"title":"t"},"detail":{"diagrams":[{}]}}"#,
            "Threat Dragon v2: diagrams[0].cells is missing",
        ),
        (pytm::import, "[]", "pytm: the model is not a JSON object"),
        (
            pytm::import,
            r#"{"elements":[]}"#,
            "pytm: \"flows\" is missing",
        ),
        (tm_bom::import, "nope", "TM-BOM: not JSON"),
        (
            tm_bom::import,
            r#"{"trust_zones":[],"actors":[],"components":{},"data_stores":[],"data_flows":[]}"#,
            "TM-BOM: \"components\" is missing or not a list",
        ),
    ];
    for (import, text, want) in cases {
        let err = import("bad.json", text, &NoIncludes)
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{err} should contain {want}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn no_truncation_or_type_swap_of_the_fixtures_makes_an_importer_panic() {
    let inputs = [
        fixture("td-v1-shop.json"),
        fixture("pytm-bank.json"),
        fixture("tm-bom-clinic.json"),
        v2_with_curve(true),
    ];
    for text in &inputs {
        let mut variants: Vec<String> = (0..text.len())
            .step_by(37)
            .filter(|i| text.is_char_boundary(*i))
            .map(|i| text[..i].to_string())
            .collect();
        for (from, to) in [
            ("\"x\": ", "\"x\": \"a\", \"_\": "),
            ("[", "{\"a\":[]}, ["),
            ("true", "null"),
            ("\"name\"", "\"name\": 1, \"_n\""),
            ("\"source\"", "\"source\": [], \"_s\""),
        ] {
            variants.push(text.replacen(from, to, 3));
        }
        for v in &variants {
            for import in [threat_dragon::import, pytm::import, tm_bom::import] {
                if let Ok(i) = import("f.json", v, &NoIncludes) {
                    let a = analyze(&i.model, Catalog::builtin());
                    let _ = tm_bom::export(&i.model, &a);
                    let _ = threat_dragon::export(&i.model, &a);
                }
            }
        }
    }
}
