//! A model is checked whole: one run reports every problem, one line each.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use stride_core::{Model, ParseProblem};

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

#[test]
fn each_model_problem_has_its_variant() {
    use stride_core::ModelProblem;
    let problem = |yaml: &str| Model::load("m.yaml", yaml).unwrap_err().problem;
    let all = |yaml: &str| {
        let e = Model::load("m.yaml", yaml).unwrap_err();
        std::iter::once(e.problem.clone())
            .chain(e.more.iter().map(|m| m.problem.clone()))
            .collect::<Vec<_>>()
    };
    let yaml = "name: t
boundaries:
  - { id: vpc, name: VPC, kind: cloud }
elements:
  - { id: api, name: API, kind: process, type: api, boundary: vcp }
  - { id: db, name: DB, kind: data_store, type: database, boundary: vpc, stores: [cards], attributes: { encrypted_at_rets: true } }
flows:
  - { id: f1, from: api, to: dbb, carries: [x] }
";
    assert_eq!(
        all(yaml),
        [
            ModelProblem::UnknownBoundary {
                name: "vcp".into(),
                suggestion: Some("vpc".into())
            },
            ModelProblem::UnknownAttribute {
                element: "db".into(),
                name: "encrypted_at_rets".into(),
                suggestion: Some("encrypted_at_rest".into())
            },
            ModelProblem::UnknownDataAsset {
                name: "cards".into(),
                suggestion: None
            },
            ModelProblem::UnknownElement {
                name: "dbb".into(),
                suggestion: Some("db".into())
            },
            ModelProblem::UnknownDataAsset {
                name: "x".into(),
                suggestion: None
            },
        ]
    );
    let dupes = "name: t
boundaries:
  - { id: b, name: B }
  - { id: b, name: B }
data:
  - { id: d, name: D }
  - { id: d, name: D }
elements:
  - { id: '', name: E, kind: process }
  - { id: e, name: E, kind: process }
flows:
  - { id: e, from: e, to: e }
";
    assert_eq!(
        all(dupes),
        [
            ModelProblem::DuplicateBoundaryId { id: "b".into() },
            ModelProblem::DuplicateDataId { id: "d".into() },
            ModelProblem::EmptyId,
            ModelProblem::DuplicateId { id: "e".into() },
        ]
    );
    let cycle = "name: t\nboundaries:\n  - { id: a, name: A, parent: b }\n  - { id: b, name: B, parent: a }\n";
    assert!(
        matches!(problem(cycle), ModelProblem::NestingCycle { cycle } if cycle == ["a", "b", "a"])
    );
    assert!(matches!(
        problem("name: t\nelements:\n  - { id: a, name: A, kind: process, type: web_ap }\n"),
        ModelProblem::UnknownVariant { what, suggestion: Some(s), .. } if what == "type" && s == "web_app"
    ));
    assert!(matches!(
        problem("name: t\nelements:\n  - { id: a, name: A, kind: process, colour: red }\n"),
        ModelProblem::Parse(ParseProblem::UnknownField { field, .. }) if field == "colour"
    ));
    assert!(matches!(
        problem("elements: []\n"),
        ModelProblem::Parse(ParseProblem::MissingField { field, .. }) if field == "name"
    ));
    assert!(matches!(
        problem("name: [unclosed\n"),
        ModelProblem::Parse(ParseProblem::Syntax(_))
    ));
    assert!(matches!(
        problem(&format!("name: t\nx: {}", "[".repeat(300))),
        ModelProblem::TooDeep(_)
    ));
}

#[test]
fn a_model_built_in_memory_is_checked_as_a_loaded_one_naming_paths_without_lines() {
    let yaml = "name: t
boundaries:
  - { id: vpc, name: VPC, kind: cloud }
elements:
  - { id: api, name: API, kind: process, type: api, boundary: vcp }
  - { id: db, name: DB, kind: data_store, type: database, boundary: vpc }
flows:
  - { id: f1, from: api, to: dbb }
";
    let model: Model = serde_norway::from_str(yaml).unwrap();
    let loaded = Model::load("m.yaml", yaml).unwrap_err();
    let checked = Model::check("m.yaml", model.clone()).unwrap_err();
    let paths = |e: &stride_core::ModelError| {
        std::iter::once(e)
            .chain(&e.more)
            .map(|e| (e.path.clone(), e.problem.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(paths(&checked), paths(&loaded));
    assert_eq!(checked.path, "elements[0].boundary");
    assert!(
        checked
            .to_string()
            .starts_with("m.yaml:0: elements[0].boundary: unknown boundary"),
        "{checked}"
    );
    // A valid one passes, with the warnings the loader gives.
    let mut model = model;
    model.elements[0].boundary = Some("vpc".into());
    model.flows[0].to = "db".into();
    let text = serde_norway::to_string(&model).unwrap();
    let checked = Model::check("m.yaml", model.clone()).unwrap();
    assert_eq!(checked.model, model);
    assert_eq!(
        checked.warnings,
        Model::load("m.yaml", &text).unwrap().warnings
    );
    assert!(checked.lines.is_empty());
}
