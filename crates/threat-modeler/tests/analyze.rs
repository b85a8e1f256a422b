//! `threat-modeler analyze`, `component` and `rules` from a shell.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_threat-modeler");
const WEBSHOP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/models/webshop.yaml"
);

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn analyze_json_has_the_documented_shape() {
    let (code, out, err) = run(&["analyze", WEBSHOP, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["model"]["name"], "Online shop");
    let threats = v["threats"].as_array().unwrap();
    assert!(threats.len() > 50);
    for key in [
        "id",
        "rule_id",
        "elements",
        "stride",
        "title",
        "description",
        "explanation",
        "mitigations",
        "cwe",
        "capec",
        "risk",
        "status",
    ] {
        assert!(threats.iter().all(|t| t.get(key).is_some()), "{key}");
    }
    let strides = [
        "spoofing",
        "tampering",
        "repudiation",
        "information_disclosure",
        "denial_of_service",
        "elevation_of_privilege",
    ];
    assert!(
        threats
            .iter()
            .all(|t| strides.contains(&t["stride"].as_str().unwrap()))
    );
    assert!(
        v["coverage"]["storefront"]["spoofing"]["findings"]
            .as_array()
            .is_some()
    );
    assert!(v["summary"]["threats"].as_u64().unwrap() > 50);
}

#[test]
fn analyze_text() {
    let (code, out, _) = run(&["analyze", WEBSHOP]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn a_broken_model_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.yaml");
    std::fs::write(&path, "name: x\nelements:\n  - { id: a, name: A, kind: process }\nflows:\n  - { id: f, from: a, to: paymnt }\n").unwrap();
    let (code, _, err) = run(&["analyze", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("model.yaml:5: flows[0].to: unknown element \"paymnt\""),
        "{err}"
    );
}

#[test]
fn component_and_rules() {
    let (code, out, _) = run(&[
        "component",
        "auth_service",
        "--attr",
        "authenticates_users=true",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v["threats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["rule_id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"TM-S-001") && ids.contains(&"TM-S-004"),
        "{ids:?}"
    );
    let (code, _, err) = run(&["component", "databse"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean \"database\""), "{err}");
    let (code, _, err) = run(&["component", "api", "--attr", "mfaa=true"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean \"mfa\""), "{err}");
    let (_, out, _) = run(&["component", "--list"]);
    assert!(out.lines().any(|l| l == "secrets_vault"));
    let (code, out, _) = run(&["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules = v["rules"].as_array().unwrap();
    assert!(rules.len() >= 120);
    for key in ["id", "stride", "title", "cwe", "capec"] {
        assert!(rules.iter().all(|r| r.get(key).is_some()), "{key}");
    }
    let (_, out, _) = run(&["component", "database"]);
    insta::assert_snapshot!(out);
}
