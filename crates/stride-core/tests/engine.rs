//! The engine's guarantees: coverage, stable ids, validation errors with
//! lines, declared controls, quick mode, and the reference analysis.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use stride_core::{
    Catalog, ComponentType, ElementKind, Model, Status, Stride, analyze, applicability, threats_for,
};

fn webshop() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/models/webshop.yaml"
    ))
    .unwrap()
}

fn models() -> Vec<(String, String)> {
    let mut out = vec![("webshop".to_string(), webshop())];
    for rule in Catalog::builtin().rules().iter().step_by(7) {
        out.push((rule.id.clone(), rule.examples.fires.clone()));
    }
    out
}

#[test]
fn every_applicable_cell_holds_a_finding_on_every_model() {
    for (name, yaml) in models() {
        let loaded = Model::load(&name, &yaml).unwrap();
        let analysis = analyze(&loaded.model, Catalog::builtin());
        let m = &loaded.model;
        let subjects: Vec<(String, Option<ElementKind>, bool)> = m
            .elements
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    Some(e.kind),
                    e.component_type == ComponentType::LogStore,
                )
            })
            .chain(m.flows.iter().map(|f| (f.id.clone(), None, false)))
            .collect();
        for (id, kind, log) in subjects {
            let cells = &analysis.coverage[&id];
            assert_eq!(cells.len(), 6, "{name}/{id}");
            for s in Stride::ALL {
                let cell = &cells[&s];
                match applicability(kind, log, s) {
                    Ok(()) => assert!(!cell.findings.is_empty(), "{name}/{id}/{s}: no finding"),
                    Err(_) => {
                        assert_eq!(cell.status, Status::NotApplicable);
                        assert!(cell.reason.is_some());
                    }
                }
            }
        }
    }
}

#[test]
fn ids_are_stable_and_an_unrelated_element_changes_none() {
    let yaml = webshop();
    let a = analyze(&Model::load("a", &yaml).unwrap().model, Catalog::builtin());
    let b = analyze(&Model::load("b", &yaml).unwrap().model, Catalog::builtin());
    assert_eq!(a, b);
    let ids: Vec<&str> = a.threats.iter().map(|t| t.id.as_str()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "finding ids are unique");
    let extended = yaml.replace(
        "data:\n",
        "  - { id: reports, name: Reporting job, kind: process, type: batch_job, boundary: corp, attributes: { privileged: true } }\ndata:\n",
    );
    let c = analyze(
        &Model::load("c", &extended).unwrap().model,
        Catalog::builtin(),
    );
    let before: BTreeMap<&str, (&Status, String)> = a
        .threats
        .iter()
        .map(|t| (t.id.as_str(), (&t.status, t.title.clone())))
        .collect();
    for t in &c.threats {
        if let Some(old) = before.get(t.id.as_str()) {
            assert_eq!(old, &(&t.status, t.title.clone()), "{}", t.id);
        }
    }
    for id in before.keys() {
        assert!(c.threats.iter().any(|t| t.id == *id), "{id} disappeared");
    }
}

#[test]
fn declared_flow_controls_mitigate_and_name_the_flag() {
    let yaml = "name: t\nboundaries:\n  - { id: i, name: I, kind: internet }\n  - { id: v, name: V, kind: cloud }\nelements:\n  - { id: c, name: C, kind: external_entity, type: user, boundary: i }\n  - { id: w, name: W, kind: process, type: web_app, boundary: v }\nflows:\n  - { id: f, from: c, to: w, protocol: http }\n";
    let open = analyze(&Model::load("t", yaml).unwrap().model, Catalog::builtin());
    // Cleartext across a boundary: the crossing rule, which supersedes the
    // general cleartext one on the same flow.
    assert!(!open.threats.iter().any(|t| t.rule_id == "TM-I-001"));
    let sniff = open
        .threats
        .iter()
        .find(|t| t.rule_id == "TM-I-023")
        .unwrap();
    assert_eq!(sniff.status, Status::Open);
    assert!(
        sniff.explanation.to_string().contains("crosses i→v"),
        "{}",
        sniff.explanation
    );
    assert!(
        sniff.explanation.to_string().contains("encrypted=false"),
        "{}",
        sniff.explanation
    );
    let safe = yaml.replace(
        "protocol: http }",
        "protocol: https, encrypted: true, authenticated: true }",
    );
    let closed = analyze(&Model::load("t", &safe).unwrap().model, Catalog::builtin());
    assert!(
        !closed.threats.iter().any(|t| t.rule_id == "TM-I-001"),
        "cleartext rule must not fire on an encrypted flow"
    );
    // Open: the most specific rule for the root cause (cleartext across a
    // boundary, an unauthenticated internet caller) and not the general
    // ones it supersedes. Secured: the general rules, mitigated by the flag.
    for (root_cause, general, flag) in [
        ("TM-I-023", "TM-I-023", "flow.encrypted"),
        ("TM-T-005", "TM-T-020", "flow.encrypted"),
        ("TM-S-007", "TM-S-019", "flow.authenticated"),
    ] {
        let before = open.threats.iter().find(|t| t.rule_id == root_cause);
        assert_eq!(
            before.map(|t| &t.status),
            Some(&Status::Open),
            "{root_cause}"
        );
        if general != root_cause {
            assert!(
                !open.threats.iter().any(|t| t.rule_id == general),
                "{general} is superseded by {root_cause}"
            );
        }
        let after = closed
            .threats
            .iter()
            .find(|t| t.rule_id == general)
            .unwrap();
        assert_eq!(after.status, Status::Mitigated, "{general}");
        assert_eq!(after.mitigated_by, [flag], "{general}");
    }
    let spoof = closed
        .threats
        .iter()
        .find(|t| t.rule_id == "TM-S-019")
        .unwrap();
    // Internet exposure raises Exploitability, with the reason.
    assert!(
        spoof.risk.factors["exploitability"]
            .rationale
            .contains("internet exposure")
    );
}

#[test]
fn validation_errors_name_file_line_and_path() {
    let yaml = webshop();
    let load = |text: &str| Model::load("webshop.yaml", text).unwrap_err().to_string();
    let broken = yaml.replace(
        "to: payments-svc, protocol: amqps",
        "to: paymnts-svc, protocol: amqps",
    );
    assert_eq!(
        load(&broken),
        "webshop.yaml:74: flows[6].to: unknown element \"paymnts-svc\" (did you mean \"payments-svc\"?)"
    );
    let attr = yaml.replace(
        "rate_limiting: true, uses_jwt",
        "rate_limting: true, uses_jwt",
    );
    assert_eq!(
        load(&attr),
        "webshop.yaml:27: elements[3].attributes.rate_limting: element \"gateway\": unknown attribute \"rate_limting\" (did you mean \"rate_limiting\"?)"
    );
    // The duplicate is reported where it is, not where the id first appears;
    // the flows left pointing at the renamed element are reported in the same
    // run.
    let dup = yaml.replace("  - id: queue\n", "  - id: orders\n");
    assert_eq!(
        load(&dup),
        "webshop.yaml:52: elements[8].id: duplicate id \"orders\"\nwebshop.yaml:72: flows[4].to: unknown element \"queue\"\nwebshop.yaml:74: flows[6].from: unknown element \"queue\""
    );
    let cycle = yaml
        .replace(
            "{ id: internet, name: Internet, kind: internet }",
            "{ id: internet, name: Internet, kind: internet, parent: edge }",
        )
        .replace(
            "{ id: edge, name: Edge (CDN), kind: dmz }",
            "{ id: edge, name: Edge (CDN), kind: dmz, parent: internet }",
        );
    assert_eq!(
        load(&cycle),
        "webshop.yaml:6: boundaries[0].parent: boundary nesting has a cycle: internet -> edge -> internet"
    );
    let missing_boundary = yaml.replace(
        "boundary: data-tier, stores: [order, customer-pii]",
        "boundary: data-teir, stores: [order, customer-pii]",
    );
    assert_eq!(
        load(&missing_boundary),
        "webshop.yaml:58: elements[9].boundary: unknown boundary \"data-teir\" (did you mean \"data-tier\"?)"
    );
    // Block style: the line of the key, not of the item's id.
    let block =
        "name: t\nelements:\n  - id: a\n    name: A\n    kind: process\n    boundary: nowhere\n";
    assert_eq!(
        Model::load("m.yaml", block).unwrap_err().to_string(),
        "m.yaml:6: elements[0].boundary: unknown boundary \"nowhere\""
    );
    let syntax = Model::load("x.yaml", "name: [unclosed\n").unwrap_err();
    assert!(syntax.line >= 1, "{syntax}");
    let unknown_key = Model::load(
        "x.yaml",
        "name: t\nelements:\n  - { id: a, name: A, kind: process, colour: red }\n",
    )
    .unwrap_err();
    assert_eq!(unknown_key.line, 3, "{unknown_key}");
    assert!(
        unknown_key.problem.to_string().contains("colour"),
        "{unknown_key}"
    );
    let json = Model::load("x.json", "{\"name\": 1").unwrap_err();
    assert!(json.to_string().starts_with("x.json:1: "), "{json}");
}

#[test]
fn warnings_for_unknown_protocols_and_direct_entity_store_flows() {
    let yaml = "name: t\nelements:\n  - { id: u, name: U, kind: external_entity }\n  - { id: d, name: D, kind: data_store }\nflows:\n  - { id: f, from: u, to: d, protocol: carrier-pigeon }\n";
    let loaded = Model::load("t", yaml).unwrap();
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
}

#[test]
fn quick_mode_answers_for_common_components() {
    let attrs = |pairs: &[&str]| {
        pairs
            .iter()
            .map(|p| (p.to_string(), true))
            .collect::<BTreeMap<_, _>>()
    };
    let auth = threats_for(
        ElementKind::Process,
        ComponentType::AuthService,
        &attrs(&["authenticates_users", "internet_facing"]),
    );
    let ids: Vec<&str> = auth.iter().map(|t| t.rule_id.as_str()).collect();
    for id in ["TM-S-001", "TM-S-004", "TM-R-001", "TM-E-001", "TM-D-002"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let db = threats_for(
        ElementKind::DataStore,
        ComponentType::Database,
        &BTreeMap::new(),
    );
    assert!(db.iter().any(|t| t.rule_id == "TM-I-002"));
    let mitigated = threats_for(
        ElementKind::DataStore,
        ComponentType::Database,
        &attrs(&["encrypted_at_rest"]),
    );
    assert_eq!(
        mitigated
            .iter()
            .find(|t| t.rule_id == "TM-I-002")
            .unwrap()
            .status,
        Status::Mitigated
    );
    for t in [
        ComponentType::Api,
        ComponentType::LoadBalancer,
        ComponentType::Cdn,
        ComponentType::FileUpload,
        ComponentType::WebApp,
        ComponentType::PaymentService,
        ComponentType::Microservice,
        ComponentType::ApiGateway,
    ] {
        assert!(
            !threats_for(t.default_kind(), t, &BTreeMap::new()).is_empty(),
            "{t}"
        );
    }
}

#[test]
fn the_reference_analysis() {
    let loaded = Model::load("webshop.yaml", &webshop()).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let analysis = analyze(&loaded.model, Catalog::builtin());
    insta::assert_json_snapshot!(analysis);
}
