//! Large and deep models: the results the indexes and linear checks must
//! give (their cost is measured by `benches/threat_engine.rs`, not here).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use stride_core::condition::Fact;
use stride_core::{Catalog, Model, analyze, element_facts};

/// A chain of `depth` boundaries, `b0` the outermost (internet), each
/// inside the previous; one element in the innermost.
fn chain(depth: usize) -> String {
    let mut yaml =
        String::from("name: deep\nboundaries:\n  - { id: b0, name: B0, kind: internet }\n");
    for i in 1..depth {
        yaml.push_str(&format!(
            "  - {{ id: b{i}, name: B{i}, kind: cloud, parent: b{} }}\n",
            i - 1
        ));
    }
    yaml.push_str(&format!(
        "elements:\n  - {{ id: app, name: App, kind: process, type: api, boundary: b{} }}\n",
        depth - 1
    ));
    yaml
}

#[test]
fn a_chain_of_4000_nested_boundaries_loads_and_the_element_sees_every_one() {
    let loaded = Model::load("deep.yaml", &chain(4000)).unwrap();
    let app = &loaded.model.elements[0];
    let facts = element_facts(&loaded.model, app);
    let Some(Fact::Set(kinds)) = facts.get("boundary") else {
        panic!("no boundary fact: {facts:?}")
    };
    assert_eq!(kinds.len(), 4000);
    assert_eq!(kinds.last().map(String::as_str), Some("internet"));
    assert_eq!(facts.get("internet_exposed"), Some(&Fact::Bool(true)));
    let analysis = analyze(&loaded.model, Catalog::builtin());
    assert!(
        analysis.coverage["app"]
            .values()
            .all(|c| !c.findings.is_empty())
    );
    assert_eq!(loaded.lines.get("b3999"), Some(&4002));
}

#[test]
fn a_boundary_cycle_is_reported_from_the_first_boundary_that_reaches_it() {
    // b0 <- b1 <- ... <- b9, then b0's parent closes the loop at b5.
    let mut yaml = chain(10).replace(
        "{ id: b0, name: B0, kind: internet }",
        "{ id: b0, name: B0, kind: internet, parent: b5 }",
    );
    let err = Model::load("cycle.yaml", &yaml).unwrap_err();
    assert_eq!(err.path, "boundaries[0].parent");
    assert_eq!(
        err.problem.to_string(),
        "boundary nesting has a cycle: b0 -> b5 -> b4 -> b3 -> b2 -> b1 -> b0"
    );
    // A boundary leading into a cycle it is not part of.
    yaml = "name: t\nboundaries:\n  - { id: top, name: T }\n  - { id: a, name: A, parent: b }\n  - { id: b, name: B, parent: c }\n  - { id: c, name: C, parent: b }\n".into();
    let err = Model::load("cycle.yaml", &yaml).unwrap_err();
    assert_eq!(err.path, "boundaries[1].parent");
    assert_eq!(
        err.problem.to_string(),
        "boundary nesting has a cycle: a -> b -> c -> b"
    );
}

#[test]
fn every_id_of_a_large_model_gets_its_own_line() {
    let mut yaml = String::from("name: big\nelements:\n");
    for i in 0..2000 {
        yaml.push_str(&format!("  - {{ id: e{i}, name: E{i}, kind: process }}\n"));
    }
    yaml.push_str("flows:\n");
    for i in 0..2000 {
        yaml.push_str(&format!(
            "  - {{ id: f{i}, from: e{i}, to: e{} }}\n",
            (i + 1) % 2000
        ));
    }
    let loaded = Model::load("big.yaml", &yaml).unwrap();
    assert_eq!(loaded.lines.len(), 4000);
    for i in [0, 1, 10, 999, 1999] {
        assert_eq!(loaded.lines[&format!("e{i}")], i + 3, "e{i}");
        assert_eq!(loaded.lines[&format!("f{i}")], i + 2004, "f{i}");
    }
}

#[test]
fn deeply_nested_yaml_and_json_are_refused_before_parsing() {
    for text in [
        format!("name: t\nelements: {}", "[".repeat(200_000)),
        format!("{{\"name\": \"t\", \"elements\": {}", "[".repeat(200_000)),
        format!(
            "name: t\nx:\n{}",
            (1..300)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect::<String>()
        ),
    ] {
        let err = Model::load("bomb.yaml", &text).unwrap_err();
        assert!(
            err.problem
                .to_string()
                .starts_with("nesting deeper than 128 levels"),
            "{err}"
        );
        assert!(err.line > 0, "{err}");
    }
    let err = stride_core::interop::threagile::import(
        "t.yaml",
        &format!("title: T\ntechnical_assets: {}", "{".repeat(100_000)),
        &|_: &str| Err("no includes".into()),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("nesting deeper than 128 levels"),
        "{err}"
    );
    let err = stride_core::interop::threagile::import(
        "t.yaml",
        "title: T\nincludes: [deep.yaml]\ntechnical_assets: {}\n",
        &|_: &str| Ok("- ".repeat(10_000)),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("includes: deep.yaml: line 1: nesting deeper"),
        "{err}"
    );
}
