//! An analysis that responds to its inputs: the example model and its
//! "everything secured" twin (every flow encrypted and authenticated).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};

use stride_core::{Catalog, Model, Status, analyze};

fn webshop() -> Model {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/models/webshop.yaml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    Model::load("webshop.yaml", &text).unwrap().model
}

/// The facts that read a flow's security flags, directly or through the
/// paths and producers they open.
const FLAG_FACTS: &[&str] = &[
    "encrypted",
    "authenticated",
    "plaintext",
    "reachable_unauthenticated_from_internet",
    "unauthenticated_producers",
];

fn depends_on_flags(rule_id: &str) -> bool {
    let rule = Catalog::builtin().get(rule_id).unwrap();
    let reads_flag = rule.when.iter().chain(&rule.any).any(|c| {
        let text = c.to_string();
        let name = text
            .trim_start_matches('!')
            .split_whitespace()
            .next()
            .unwrap_or("");
        let name = name
            .strip_prefix("source.")
            .or_else(|| name.strip_prefix("target."))
            .unwrap_or(name);
        FLAG_FACTS.contains(&name)
    });
    reads_flag || rule.mitigated_by.iter().any(|m| m.starts_with("flow."))
}

#[test]
fn securing_every_flow_closes_the_flag_threats_and_keeps_the_others() {
    let model = webshop();
    let mut twin = model.clone();
    for f in &mut twin.flows {
        f.encrypted = true;
        f.authenticated = true;
    }
    let before = analyze(&model, Catalog::builtin());
    let after = analyze(&twin, Catalog::builtin());
    let open_after: HashSet<&str> = after
        .threats
        .iter()
        .filter(|t| t.status == Status::Open)
        .map(|t| t.id.as_str())
        .collect();
    let all_after: HashMap<&str, &Status> = after
        .threats
        .iter()
        .map(|t| (t.id.as_str(), &t.status))
        .collect();
    let cells_after: HashSet<(String, String)> = after
        .threats
        .iter()
        .map(|t| (t.elements[0].clone(), format!("{:?}", t.stride)))
        .collect();

    let flag_open: Vec<&str> = before
        .threats
        .iter()
        .filter(|t| t.status == Status::Open && depends_on_flags(&t.rule_id))
        .map(|t| t.id.as_str())
        .collect();
    let still_open: Vec<&&str> = flag_open
        .iter()
        .filter(|id| open_after.contains(**id))
        .collect();
    assert!(flag_open.len() >= 10, "{flag_open:?}");
    assert!(
        still_open.len() * 10 <= flag_open.len(),
        "{} of {} flag threats still open on the twin: {still_open:?}",
        still_open.len(),
        flag_open.len()
    );

    for t in before
        .threats
        .iter()
        .filter(|t| !depends_on_flags(&t.rule_id))
    {
        let rule = Catalog::builtin().get(&t.rule_id).unwrap();
        if rule.baseline {
            // A generic finding may give way to a specific one in its cell;
            // the cell itself stays reported.
            let cell = (t.elements[0].clone(), format!("{:?}", t.stride));
            assert!(cells_after.contains(&cell), "{} left its cell empty", t.id);
        } else {
            assert_eq!(all_after.get(t.id.as_str()), Some(&&t.status), "{}", t.id);
        }
    }

    let open = |a: &stride_core::Analysis| {
        a.threats
            .iter()
            .filter(|t| t.status == Status::Open)
            .count()
    };
    println!(
        "webshop: {} elements, open threats {} -> {} on the secured twin",
        model.elements.len(),
        open(&before),
        open(&after)
    );
    assert!(open(&after) < open(&before));
}

#[test]
fn open_threats_per_element_stay_within_eight_on_the_example_models() {
    let init = include_str!("../../threat-modeler/src/init-model.yaml");
    for (name, model) in [
        ("webshop", webshop()),
        ("init", Model::load("init.yaml", init).unwrap().model),
    ] {
        let a = analyze(&model, Catalog::builtin());
        let open = a
            .threats
            .iter()
            .filter(|t| t.status == Status::Open)
            .count();
        let per_element = open as f64 / model.elements.len() as f64;
        println!(
            "{name}: {} elements, {} threats, {open} open, {per_element:.1} open per element",
            model.elements.len(),
            a.threats.len()
        );
        assert!(per_element <= 8.0, "{name}: {per_element:.1}");
    }
}
