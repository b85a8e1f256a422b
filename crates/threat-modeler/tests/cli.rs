//! Every `threat-modeler` command and format: snapshots, exit codes,
//! accepted risks, diagrams, diff, init and interactive.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_threat-modeler");
const WEBSHOP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/models/webshop.yaml"
);

fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn run(args: &[&str]) -> (i32, String, String) {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, None)
}

/// The webshop copied into a temp folder, so paths in outputs are stable.
fn shop() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(WEBSHOP, dir.path().join("webshop.yaml")).unwrap();
    (dir, "webshop.yaml".into())
}

#[test]
fn every_format_of_analyze() {
    let (dir, m) = shop();
    for format in ["json", "markdown", "sarif", "html"] {
        let (code, out, err) = run_in(dir.path(), &["analyze", &m, "--format", format], None);
        assert_eq!(code, 0, "{format}: {err}");
        insta::assert_snapshot!(format!("analyze_{format}"), out);
    }
    let (_, md, _) = run_in(dir.path(), &["analyze", &m, "--format", "markdown"], None);
    // The webshop's flow chain is long and narrow: drawn top to bottom.
    assert!(md.contains("```mermaid\nflowchart TB"));
    assert!(md.contains("| element | S | T | R | I | D | E |"));
    let (_, html, _) = run_in(dir.path(), &["analyze", &m, "--format", "html"], None);
    assert!(
        html.starts_with("<!DOCTYPE html>")
            && !html.contains("<script src")
            && !html.contains("<link")
    );
    let (code, out, _) = run_in(
        dir.path(),
        &["analyze", &m, "--format", "json", "-o", "report.json"],
        None,
    );
    assert_eq!((code, out.as_str()), (0, ""));
    assert!(dir.path().join("report.json").exists());
}

fn shared_schema(name: &str) -> Option<serde_json::Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas")
        .join(name);
    match std::fs::read_to_string(&path) {
        Ok(t) => Some(serde_json::from_str(&t).unwrap()),
        Err(_) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{} missing under CI=true", path.display())
        }
        Err(_) => {
            eprintln!("skipping: {} is absent", path.display());
            None
        }
    }
}

#[test]
fn json_and_sarif_match_their_schemas() {
    let (dir, m) = shop();
    let (_, out, _) = run_in(dir.path(), &["analyze", &m, "--format", "json"], None);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/schema/threat-model-analysis.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let v = jsonschema::draft7::new(&schema).unwrap();
    let errors: Vec<String> = v
        .iter_errors(&doc)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    if let Some(sarif_schema) = shared_schema("sarif-schema-2.1.0.json") {
        let (_, out, _) = run_in(dir.path(), &["analyze", &m, "--format", "sarif"], None);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let v = jsonschema::options().build(&sarif_schema).unwrap();
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .take(5)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let results = doc["runs"][0]["results"].as_array().unwrap();
        assert!(results.iter().all(|r| {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                > 1
        }));
    }
}

#[test]
fn fail_on_and_accepted_risks() {
    let (dir, m) = shop();
    assert_eq!(
        run_in(dir.path(), &["analyze", &m, "--fail-on", "critical"], None).0,
        1
    );
    let (_, out, _) = run_in(dir.path(), &["analyze", &m, "--format", "json"], None);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let critical: Vec<&str> = doc["threats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["status"] == "open" && t["risk"]["severity"] == "critical")
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(!critical.is_empty());
    let mut yaml = String::new();
    for id in &critical {
        yaml.push_str(&format!("- {{ id: \"{id}\", owner: ada, reason: compensating control, ticket: SEC-1, expires: \"2999-01-01\" }}\n"));
    }
    yaml.push_str("- { id: \"TM-X-999@nothing\", owner: ada, reason: old }\n");
    std::fs::write(dir.path().join("accepted.yaml"), &yaml).unwrap();
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "analyze",
            &m,
            "--fail-on",
            "critical",
            "--accepted",
            "accepted.yaml",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("TM-X-999@nothing matches no threat (stale)"),
        "{err}"
    );
    assert!(out.contains("\"status\": \"accepted\""));
    // Expired acceptances reopen the threat and the gate catches it.
    std::fs::write(
        dir.path().join("expired.yaml"),
        yaml.replace("2999-01-01", "2020-01-01"),
    )
    .unwrap();
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "analyze",
            &m,
            "--fail-on",
            "critical",
            "--accepted",
            "expired.yaml",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("expired 2020-01-01): the threat is open again"),
        "{err}"
    );
    std::fs::write(
        dir.path().join("bad.yaml"),
        "- { id: x, owner: a, reason: r, expires: soon }\n",
    )
    .unwrap();
    let (code, _, err) = run_in(dir.path(), &["analyze", &m, "--accepted", "bad.yaml"], None);
    assert_eq!(code, 2);
    assert!(err.contains("not a YYYY-MM-DD date"), "{err}");
}

#[test]
fn coverage_and_dfd() {
    let (dir, m) = shop();
    let (code, out, _) = run_in(dir.path(), &["coverage", &m], None);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
    let (_, mermaid, _) = run_in(dir.path(), &["dfd", &m, "--format", "mermaid"], None);
    assert!(mermaid.starts_with("flowchart"));
    insta::assert_snapshot!(mermaid);
    let (_, dot, _) = run_in(dir.path(), &["dfd", &m, "--format", "dot"], None);
    insta::assert_snapshot!(dot);
    match Command::new("dot").arg("-V").output() {
        Ok(_) => {
            let mut child = Command::new("dot")
                .arg("-Tsvg")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(dot.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success());
            assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
        }
        Err(_) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("Graphviz `dot` is required under CI=true")
        }
        Err(_) => eprintln!("skipping the DOT render: Graphviz is not installed"),
    }
}

#[test]
fn diff_reports_changes_by_stable_id_and_gates_only_on_new_risk() {
    let (dir, m) = shop();
    let newer = std::fs::read_to_string(dir.path().join(&m))
        .unwrap()
        .replace("{ id: audit, from: storefront, to: logs, protocol: tcp, encrypted: false, authenticated: true }", "{ id: audit, from: storefront, to: logs, protocol: tls, encrypted: true, authenticated: true }")
        .replace("data:\n", "  - { id: export, name: Export job, kind: process, type: batch_job, boundary: corp, attributes: { privileged: true } }\ndata:\n");
    std::fs::write(dir.path().join("new.yaml"), newer).unwrap();
    let (code, out, _) = run_in(
        dir.path(),
        &["diff", &m, "new.yaml", "--format", "json"],
        None,
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["added"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"].as_str().unwrap().ends_with("@export"))
    );
    assert!(
        v["removed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == "TM-T-005@audit")
    );
    assert!(v["changed"].is_array());
    let (code, _, _) = run_in(
        dir.path(),
        &["diff", &m, "new.yaml", "--fail-on", "high"],
        None,
    );
    assert_eq!(code, 1, "the new privileged job brings new high threats");
    let (code, _, _) = run_in(dir.path(), &["diff", &m, &m, "--fail-on", "low"], None);
    assert_eq!(code, 0, "no change, no failure");
    let (_, md, _) = run_in(
        dir.path(),
        &["diff", &m, "new.yaml", "--format", "markdown"],
        None,
    );
    assert!(md.contains("## ") && md.contains("added"));
}

#[test]
fn init_writes_a_model_that_analyses_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, _) = run_in(dir.path(), &["init"], None);
    assert_eq!(code, 0);
    let (code, _, err) = run_in(dir.path(), &["analyze", "threat-model.yaml"], None);
    assert_eq!(code, 0);
    assert!(err.is_empty(), "no warnings: {err}");
    assert_eq!(
        run_in(dir.path(), &["init"], None).0,
        2,
        "no overwrite without --force"
    );
    assert_eq!(run_in(dir.path(), &["init", "other.yaml"], None).0, 0);
    assert!(dir.path().join("other.yaml").exists());
}

/// `interactive` writes our own format and reads it back as such: a global
/// `--input-format` (meant for the models a command is given) does not make
/// it import its own file as another tool's.
#[test]
fn interactive_reads_its_own_model_back_whatever_the_input_format() {
    let dir = tempfile::tempdir().unwrap();
    let answers = "Tiny shop\ninternet internet\nvpc cloud\n\nuser external_entity user internet\napi process api vpc internet_facing\n\nreq user api https encrypted authenticated\n\n";
    let (code, out, err) = run_in(
        dir.path(),
        &["--input-format", "otm", "interactive", "-o", "m.yaml"],
        Some(answers),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Tiny shop:"), "{out}");
}

#[test]
fn interactive_builds_a_model_and_eof_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let answers = "Tiny shop\ninternet internet\nvpc cloud\n\nuser external_entity user internet\napi process api vpc internet_facing,authenticates_users\ndb data_store database vpc\n\nreq user api https encrypted authenticated\nq api db postgres encrypted authenticated\n\n";
    let (code, out, err) = run_in(dir.path(), &["interactive", "-o", "m.yaml"], Some(answers));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Tiny shop:"), "{out}");
    assert!(dir.path().join("m.yaml").exists());
    let (code, _, err) = run_in(
        dir.path(),
        &["interactive", "-o", "n.yaml"],
        Some("Half a model\ninternet internet\n"),
    );
    assert_eq!(code, 0);
    assert!(
        err.contains("no model written (input ended)") && !err.contains("panicked"),
        "{err}"
    );
    assert!(!dir.path().join("n.yaml").exists());
}

#[test]
fn rules_show() {
    let (code, out, _) = run(&["rules", "show", "TM-T-001"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("SQL injection")
            && out.contains("fires on:")
            && out.contains("CWE:           CWE-89\n")
            && out.contains("(flow rule)")
    );
    assert_eq!(run(&["rules", "show", "nope"]).0, 2);
}

#[test]
fn threat_dragon_export_import_and_analyze() {
    let (dir, m) = shop();
    let (code, _, err) = run_in(
        dir.path(),
        &["export", "--to", "threat-dragon", &m, "-o", "shop-td.json"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "import",
            "--from",
            "threat-dragon",
            "shop-td.json",
            "-o",
            "back.yaml",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "nothing unmapped in our own export: {err}");
    let (_, a, _) = run_in(dir.path(), &["analyze", &m, "--format", "json"], None);
    let (_, b, _) = run_in(
        dir.path(),
        &["analyze", "back.yaml", "--format", "json"],
        None,
    );
    let (_, c, _) = run_in(
        dir.path(),
        &["analyze", "shop-td.json", "--format", "json"],
        None,
    );
    let threats =
        |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap()["threats"].clone();
    assert_eq!(threats(&a), threats(&b));
    assert_eq!(
        threats(&a),
        threats(&c),
        "the format is detected from the content"
    );
    std::fs::write(
        dir.path().join("broken.json"),
        "{\"summary\": {}, \"detail\": {}}",
    )
    .unwrap();
    let (code, _, err) = run_in(
        dir.path(),
        &["import", "--from", "threat-dragon", "broken.json"],
        None,
    );
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn otm_export_import_and_analyze() {
    let (dir, m) = shop();
    let (code, _, err) = run_in(
        dir.path(),
        &["export", "--to", "otm", &m, "-o", "shop.otm.json"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "import",
            "--from",
            "otm",
            "shop.otm.json",
            "-o",
            "back.yaml",
        ],
        None,
    );
    assert_eq!((code, err.as_str()), (0, ""));
    let (_, a, _) = run_in(dir.path(), &["analyze", &m, "--format", "json"], None);
    let (_, b, _) = run_in(
        dir.path(),
        &["analyze", "shop.otm.json", "--format", "json"],
        None,
    );
    let threats =
        |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap()["threats"].clone();
    assert_eq!(threats(&a), threats(&b));
}

#[test]
fn threagile_import_and_analyze() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("threagile.yaml"), "title: Split\nincludes:\n  - assets.yaml\ntechnical_assets:\n  Api:\n    id: api\n    type: process\n    technology: web-service-rest\n    internet: true\n    communication_links:\n      Query:\n        target: db\n        protocol: jdbc-encrypted\n        authentication: credentials\n").unwrap();
    std::fs::write(
        dir.path().join("assets.yaml"),
        "technical_assets:\n  DB:\n    id: db\n    type: datastore\n    technology: database\n",
    )
    .unwrap();
    let (code, out, err) = run_in(
        dir.path(),
        &["import", "--from", "threagile", "threagile.yaml"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("id: db"), "{out}");
    let (code, out, err) = run_in(
        dir.path(),
        &["analyze", "threagile.yaml", "--format", "json"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("@api"));
    assert_eq!(
        run_in(
            dir.path(),
            &["export", "--to", "threagile", "threagile.yaml"],
            None
        )
        .0,
        2
    );
}

#[test]
fn recorded_threat_dragon_threats_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let doc = serde_json::json!({
        "version": "2.0",
        "summary": { "title": "Recorded" },
        "detail": { "diagrams": [{ "diagramType": "STRIDE", "cells": [
            { "id": "p", "shape": "process", "position": {"x": 0, "y": 0}, "size": {"width": 10, "height": 10},
              "data": { "type": "tm.Process", "name": "Proc", "threats": [{ "id": "t1", "title": "Old finding", "status": "Mitigated", "severity": "High", "type": "Tampering" }] } }
        ]}]}
    });
    std::fs::write(dir.path().join("td.json"), doc.to_string()).unwrap();
    let (code, out, _) = run_in(dir.path(), &["analyze", "td.json"], None);
    assert_eq!(code, 0);
    assert!(
        out.contains("1 threats recorded in the imported model:")
            && out.contains("Mitigated  High      p: Old finding"),
        "{out}"
    );
    let (_, json, _) = run_in(
        dir.path(),
        &["analyze", "td.json", "--format", "json"],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["recorded_threats"][0]["status"], "Mitigated");
    let (_, back, _) = run_in(
        dir.path(),
        &["export", "--to", "threat-dragon", "td.json"],
        None,
    );
    assert!(
        back.contains("Old finding"),
        "recorded threats survive an export"
    );
}

#[test]
fn component_list_json_spells_kinds_as_models_do() {
    let (code, out, _) = run(&["component", "--list", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let kinds: std::collections::BTreeSet<&str> = v["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains("data_store"), "{kinds:?}");
    assert!(
        kinds
            .iter()
            .all(|k| ["external_entity", "process", "data_store"].contains(k))
    );
}
