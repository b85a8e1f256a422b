//! `diff` reports the attack paths a revision opens or closes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_threat-modeler");
const SHOP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/models/webshop.yaml"
);

fn diff(old: &str, new: &str, format: &str) -> String {
    let out = Command::new(BIN)
        .args(["diff", old, new, "--format", format])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn diff_reports_the_attack_paths_a_revision_closes_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let shop = std::fs::read_to_string(SHOP).unwrap();
    // The cut `paths` proposes for the example: harden the gateway.
    let hardened = shop.replace(
        "attributes: { rate_limiting: true, uses_jwt: true, jwt_validation: true }",
        "attributes: { rate_limiting: true, uses_jwt: true, jwt_validation: true, rbac: true, input_validation: true }",
    );
    assert_ne!(shop, hardened);
    let new = dir.path().join("hardened.yaml");
    std::fs::write(&new, hardened).unwrap();
    let new = new.to_str().unwrap();

    let v: Value = serde_json::from_str(&diff(SHOP, new, "json")).unwrap();
    let removed = v["paths"]["removed"].as_array().unwrap();
    assert_eq!(removed.len(), 2, "{v:#}");
    assert!(removed.iter().all(|p| p["from"] == "browser"));
    assert!(v["paths"]["added"].as_array().unwrap().is_empty());

    // The other way round, the same paths are new.
    let v: Value = serde_json::from_str(&diff(new, SHOP, "json")).unwrap();
    assert_eq!(v["paths"]["added"].as_array().unwrap().len(), 2);

    let text = diff(SHOP, new, "text");
    assert!(
        text.contains("attack paths: 0 new, 2 gone, 0 changed"),
        "{text}"
    );
    assert!(text.contains("  - browser → cdn → gateway"), "{text}");
    let md = diff(SHOP, new, "markdown");
    assert!(
        md.contains("## Attack paths: 0 new, 2 gone, 0 changed"),
        "{md}"
    );

    // An unchanged model: nothing to report.
    let same: Value = serde_json::from_str(&diff(SHOP, SHOP, "json")).unwrap();
    assert_eq!(
        same["paths"],
        serde_json::json!({"added": [], "removed": [], "changed": []})
    );
}
