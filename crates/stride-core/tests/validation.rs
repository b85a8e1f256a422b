//! A model is checked whole: one run reports every problem, one line each.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use stride_core::Model;

#[test]
fn every_validation_error_of_a_model_is_reported_in_one_run() {
    let yaml = "name: t
boundaries:
  - { id: vpc, name: VPC, kind: cloud }
elements:
  - { id: api, name: API, kind: process, type: api, boundary: vcp }
  - { id: db, name: DB, kind: data_store, type: database, boundary: vpc, attributes: { encrypted_at_rets: true } }
flows:
  - { id: f1, from: api, to: dbb }
";
    let err = Model::load("m.yaml", yaml).unwrap_err();
    let text = err.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("m.yaml:5: elements[0].boundary: unknown boundary \"vcp\""),
        "{text}"
    );
    assert!(
        lines[1].starts_with("m.yaml:6: elements[1].attributes.encrypted_at_rets:"),
        "{text}"
    );
    assert!(
        lines[1].contains("did you mean \"encrypted_at_rest\""),
        "{text}"
    );
    assert!(
        lines[2].starts_with("m.yaml:8: flows[0].to: unknown element \"dbb\""),
        "{text}"
    );
    assert_eq!(err.more.len(), 2);
}
