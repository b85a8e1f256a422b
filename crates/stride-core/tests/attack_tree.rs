//! Attack trees: the guide's example worked by hand, each formula on small
//! trees computed by hand, validation errors with file, line and path, and
//! no panic on mangled input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use stride_core::attack::{AttackTree, Skill, evaluate};
use stride_core::{Catalog, Model, ParseProblem, analyze};

const EPS: f64 = 1e-9;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < EPS
}

/// The issue's (and the earlier guide's) example, as written there.
const GUIDE: &str = r#"title: Take over a customer account
root:
  id: takeover
  title: Take over a customer account
  gate: or                    # or | and; a node with children must have a gate
  children:
    - id: creds
      title: Obtain credentials
      gate: or
      children:
        - { id: phishing, title: Phishing e-mail, probability: 0.30, cost: 200, skill: low }
        - { id: stuffing, title: Credential stuffing, probability: 0.20, cost: 50, skill: low,
            countered_by: [mfa] }
    - id: session
      title: Hijack a session
      gate: and
      children:
        - { id: xss, title: Stored XSS, probability: 0.15, cost: 1000, skill: medium }
        - { id: steal, title: Exfiltrate the cookie, probability: 0.6, cost: 100, skill: medium }
countermeasures:
  - { id: mfa, title: Multi-factor authentication, applied: true }
"#;

fn tree(src: &str) -> AttackTree {
    AttackTree::load("t.yaml", src).unwrap()
}

fn node<'a>(
    ev: &'a stride_core::attack::Evaluation,
    id: &str,
) -> &'a stride_core::attack::NodeValue {
    ev.nodes.iter().find(|n| n.id == id).unwrap()
}

#[test]
fn guide_example_worked_by_hand() {
    let ev = evaluate(&tree(GUIDE));
    // mfa is applied: stuffing is impossible (probability 0, cost infinite).
    let stuffing = node(&ev, "stuffing");
    assert!(!stuffing.possible);
    assert_eq!(stuffing.probability, 0.0);
    assert_eq!(stuffing.cost, None);
    // creds (OR) = 1 - (1 - 0.30)(1 - 0) = 0.30; cost min(200) = 200.
    let creds = node(&ev, "creds");
    assert!(close(creds.probability, 0.30));
    assert_eq!(creds.cost, Some(200.0));
    assert_eq!(creds.skill, Some(Skill::Low));
    // session (AND) = 0.15 x 0.6 = 0.09; cost 1000 + 100 = 1100; skill max = medium.
    let session = node(&ev, "session");
    assert!(close(session.probability, 0.09));
    assert_eq!(session.cost, Some(1100.0));
    assert_eq!(session.skill, Some(Skill::Medium));
    // takeover (OR) = 1 - (1 - 0.30)(1 - 0.09) = 1 - 0.7 x 0.91 = 1 - 0.637 = 0.363.
    assert!(close(ev.root.probability, 0.363));
    assert_eq!(ev.root.cost, Some(200.0));
    assert_eq!(ev.root.skill, Some(Skill::Low));
    // Cheapest: phishing alone (200 < 1100). Likeliest: phishing (0.30 > 0.09).
    assert_eq!(ev.cheapest.cost, Some(200.0));
    assert_eq!(ev.cheapest.leaves, ["phishing"]);
    assert!(close(ev.likeliest.probability, 0.30));
    assert_eq!(ev.likeliest.leaves, ["phishing"]);
    // Cut: phishing (stuffing is already cut) and one of the session's steps.
    assert_eq!(
        ev.cut_sets,
        [vec!["phishing", "steal"], vec!["phishing", "xss"]]
    );
    // No countermeasure is left to apply, and phishing has none.
    assert!(ev.countermeasure_cut_sets.is_empty());
    assert!(ev.what_if.is_empty());
    assert!(ev.cut_sets_complete);
}

#[test]
fn guide_example_without_mfa_and_what_applying_it_changes() {
    let src = GUIDE.replace("applied: true", "applied: false");
    let ev = evaluate(&tree(&src));
    // creds = 1 - 0.7 x 0.8 = 0.44; takeover = 1 - 0.56 x 0.91 = 0.4904; cheapest = stuffing, 50.
    assert!(close(node(&ev, "creds").probability, 0.44));
    assert!(close(ev.root.probability, 0.4904));
    assert_eq!(ev.cheapest.leaves, ["stuffing"]);
    assert_eq!(ev.cheapest.cost, Some(50.0));
    // Applying mfa gives back the guide's numbers.
    assert_eq!(ev.what_if.len(), 1);
    let w = &ev.what_if[0];
    assert_eq!(w.countermeasure, "mfa");
    assert!(close(w.probability, 0.363));
    assert_eq!(w.cost, Some(200.0));
    assert!(w.possible);
    // Cut sets now need stuffing too.
    assert_eq!(
        ev.cut_sets,
        [
            vec!["phishing", "steal", "stuffing"],
            vec!["phishing", "stuffing", "xss"]
        ]
    );
}

#[test]
fn or_and_probability_cost_skill_and_detection() {
    let src = r#"
root:
  id: r
  gate: or
  children:
    - { id: a, probability: 0.9, cost: 100, skill: expert, detection: high }
    - id: both
      gate: and
      children:
        - { id: b, probability: 0.5, cost: 10, skill: medium, detection: low }
        - { id: c, probability: 0.5, cost: 10, skill: high, detection: medium }
"#;
    let ev = evaluate(&tree(src));
    // AND: 0.5 x 0.5 = 0.25, cost 10 + 10, skill max(medium, high), detection max.
    let both = node(&ev, "both");
    assert!(close(both.probability, 0.25));
    assert_eq!(both.cost, Some(20.0));
    assert_eq!(both.skill, Some(Skill::High));
    assert_eq!(both.detection, Some(stride_core::attack::Detection::Medium));
    // OR: 1 - (1 - 0.9)(1 - 0.25) = 1 - 0.1 x 0.75 = 0.925; cost min(100, 20);
    // skill min(expert, high); detection min(high, medium).
    assert!(close(ev.root.probability, 0.925));
    assert_eq!(ev.root.cost, Some(20.0));
    assert_eq!(ev.root.skill, Some(Skill::High));
    assert_eq!(
        node(&ev, "r").detection,
        Some(stride_core::attack::Detection::Medium)
    );
    // The cheapest way (b + c, 20) is not the likeliest (a, 0.9 > 0.25).
    assert_eq!(ev.cheapest.leaves, ["b", "c"]);
    assert_eq!(ev.likeliest.leaves, ["a"]);
    assert!(close(ev.likeliest.probability, 0.9));
    // Cut: a and one of b, c.
    assert_eq!(ev.cut_sets, [vec!["a", "b"], vec!["a", "c"]]);
    // The title defaults to the root's, the root's title to its id.
    assert_eq!(ev.title, "r");
}

#[test]
fn leaf_defaults_are_the_defenders_worst_case() {
    let ev = evaluate(&tree("root: { id: only }\n"));
    assert_eq!(ev.root.probability, 1.0);
    assert_eq!(ev.root.cost, Some(0.0));
    assert_eq!(ev.root.skill, Some(Skill::Low));
    assert_eq!(ev.cut_sets, [vec!["only"]]);
}

#[test]
fn cut_sets_of_an_and_over_an_or() {
    // AND(a, OR(b, c)): removing a, or both b and c, stops it.
    let src = "root:\n  id: r\n  gate: and\n  children:\n    - { id: a }\n    - id: o\n      gate: or\n      children: [{ id: b }, { id: c }]\n";
    let ev = evaluate(&tree(src));
    assert_eq!(ev.cut_sets, [vec!["a"], vec!["b", "c"]]);
    // 1 x (1 - 0 x 0) = 1.
    assert_eq!(ev.root.probability, 1.0);
}

#[test]
fn countermeasure_cut_sets_and_countered_inner_nodes() {
    let src = r#"
root:
  id: r
  gate: and
  children:
    - id: o
      gate: or
      children:
        - { id: a, probability: 0.5, countered_by: [x] }
        - { id: b, probability: 0.5, countered_by: [x, y] }
    - { id: c, probability: 0.4, countered_by: [z] }
countermeasures:
  - { id: x }
  - { id: y }
  - { id: z }
  - { id: w, applied: true }
"#;
    let ev = evaluate(&tree(src));
    // o = 1 - 0.5 x 0.5 = 0.75; r = 0.75 x 0.4 = 0.3.
    assert!(close(ev.root.probability, 0.3));
    // x alone stops o (a and b); z alone stops c. y alone stops only b.
    assert_eq!(ev.countermeasure_cut_sets, [vec!["x"], vec!["z"]]);
    let by: Vec<(&str, f64, bool)> = ev
        .what_if
        .iter()
        .map(|w| (w.countermeasure.as_str(), w.probability, w.possible))
        .collect();
    assert_eq!(by[0].0, "x");
    assert_eq!((by[0].1, by[0].2), (0.0, false));
    // y: o = 1 - 0.5 x 1 = 0.5, r = 0.5 x 0.4 = 0.2.
    assert_eq!(by[1].0, "y");
    assert!(close(by[1].1, 0.2));
    assert_eq!(by.len(), 3, "applied countermeasures have no what-if");

    // A countermeasure on an inner node stops everything below it.
    let inner = src.replace(
        "      gate: or\n",
        "      gate: or\n      countered_by: [w]\n",
    );
    let ev = evaluate(&tree(&inner));
    assert!(!ev.nodes.iter().find(|n| n.id == "o").unwrap().possible);
    assert!(!ev.nodes[0].possible);
    assert_eq!(ev.root.probability, 0.0);
    assert_eq!(ev.root.cost, None);
    assert!(ev.cut_sets.is_empty(), "already unreachable");
    assert!(ev.cheapest.leaves.is_empty());
}

#[test]
fn a_shared_leaf_counts_once_in_cut_sets() {
    let src = r#"
root:
  id: r
  gate: or
  children:
    - id: p1
      gate: and
      children: [{ id: shared, probability: 0.5 }, { id: x, probability: 0.5 }]
    - id: p2
      gate: and
      children: [{ id: shared, probability: 0.5 }, { id: y, probability: 0.5 }]
"#;
    let ev = evaluate(&tree(src));
    assert_eq!(ev.cut_sets[0], ["shared"]);
    assert_eq!(ev.cut_sets[1], ["x", "y"]);
    // Occurrences are computed independently: 1 - (1 - 0.25)^2 = 0.4375.
    assert!(close(ev.root.probability, 0.4375));
    // A repeated id that differs is refused.
    let bad = src.replacen(
        "{ id: shared, probability: 0.5 }, { id: y",
        "{ id: shared, probability: 0.4 }, { id: y",
        1,
    );
    let err = AttackTree::load("t.yaml", &bad).unwrap_err();
    assert!(
        err.problem.to_string().contains("duplicate id \"shared\""),
        "{err}"
    );
    assert_eq!(err.line, 11);
}

fn load_err(src: &str) -> stride_core::attack::TreeError {
    AttackTree::load("t.yaml", src).unwrap_err()
}

#[test]
fn errors_name_file_line_and_key_path() {
    let e = load_err(&GUIDE.replace("probability: 0.6", "probability: 1.6"));
    assert_eq!(e.file, "t.yaml");
    assert_eq!(e.path, "root.children[1].children[1].probability");
    assert_eq!(e.line, 19);
    assert!(e.problem.to_string().contains("between 0 and 1"), "{e}");

    let e = load_err(&GUIDE.replace("      gate: and\n", ""));
    assert_eq!(e.path, "root.children[1].gate");
    assert_eq!(e.line, 14);
    assert!(e.problem.to_string().contains("needs a gate"), "{e}");

    let e = load_err(&GUIDE.replace("countered_by: [mfa]", "countered_by: [mfaa]"));
    assert_eq!(e.path, "root.children[0].children[1].countered_by");
    assert_eq!(e.line, 13);
    assert!(
        e.problem.to_string().contains("did you mean \"mfa\""),
        "{e}"
    );

    let e = load_err(&GUIDE.replace("cost: 100,", "cots: 100,"));
    assert_eq!(e.line, 19);
    assert_eq!(e.path, "root.children[1].children[1]");
    assert!(
        e.problem.to_string().contains("unknown field `cots`"),
        "{e}"
    );

    let e = load_err(&GUIDE.replace("id: steal", "id: xss"));
    assert_eq!(e.line, 19);
    assert!(e.problem.to_string().contains("duplicate id"), "{e}");

    let e = load_err(&GUIDE.replace(
        "      gate: or\n      children:\n        - { id: phishing",
        "      gate: or\n      cost: 5\n      children:\n        - { id: phishing",
    ));
    assert_eq!(e.path, "root.children[0].cost");
    assert_eq!(e.line, 10);
    assert!(e.problem.to_string().contains("only leaves"), "{e}");

    let e = load_err(&GUIDE.replace("cost: 50,", "cost: -50,"));
    assert_eq!(e.path, "root.children[0].children[1].cost");

    let e = load_err(&format!("{GUIDE}  - {{ id: xss }}\n"));
    assert_eq!(e.path, "countermeasures[1].id");
    assert_eq!(e.line, 22);

    let e = load_err("root: { id: r, gate: or }\n");
    assert!(
        e.problem.to_string().contains("a gate needs children"),
        "{e}"
    );

    let e = load_err("root: { id: r, gate: maybe }\n");
    assert!(
        e.problem.to_string().contains("unknown variant `maybe`"),
        "{e}"
    );
    assert_eq!(e.line, 1);

    let e = load_err("{\"root\": {\"id\": \"r\",\n \"probabilty\": 0.5}}");
    assert_eq!(e.line, 2);
    assert!(
        e.problem.to_string().contains("unknown field `probabilty`"),
        "{e}"
    );
    assert!(!e.problem.to_string().contains(" at line "), "{e}");
}

#[test]
fn json_trees_load_like_yaml() {
    let json = r#"{"root": {"id": "r", "gate": "and", "children": [
  {"id": "a", "probability": 0.5},
  {"id": "b", "probability": 0.5, "countered_by": ["c"]}]},
 "countermeasures": [{"id": "c", "applied": false}]}"#;
    let ev = evaluate(&AttackTree::load("t.json", json).unwrap());
    assert!(close(ev.root.probability, 0.25));
    let bad = json.replace(
        "\"probability\": 0.5, \"countered_by\"",
        "\"probability\": 2, \"countered_by\"",
    );
    let e = AttackTree::load("t.json", &bad).unwrap_err();
    assert_eq!(e.path, "root.children[1].probability");
    assert_eq!(e.line, 3);
}

#[test]
fn threats_are_checked_against_a_model() {
    let model = Model::load(
        "webshop.yaml",
        include_str!("../../../examples/models/webshop.yaml"),
    )
    .unwrap();
    let analysis = analyze(&model.model, Catalog::builtin());
    let src = include_str!("../../../examples/attack-trees/account-takeover.yaml");
    AttackTree::load_checked("a.yaml", src, Some(&analysis)).unwrap();
    let bad = src.replace("TM-S-007@login", "TM-S-007@logn");
    let e = AttackTree::load_checked("a.yaml", &bad, Some(&analysis)).unwrap_err();
    assert!(
        e.problem
            .to_string()
            .contains("did you mean \"TM-S-007@login\""),
        "{e}"
    );
    assert!(e.path.ends_with(".threat"), "{e}");
    assert_eq!(e.line, 19);
    // Without a model, the id is not checked.
    AttackTree::load("a.yaml", &bad).unwrap();
}

#[test]
fn example_tree_numbers() {
    let src = include_str!("../../../examples/attack-trees/account-takeover.yaml");
    let ev = evaluate(&tree(src));
    // creds = 1 - 0.7 x 1 x 0.95 = 0.335; session = 0.09; idp-abuse = 0.1 x 0.4 = 0.04;
    // takeover = 1 - 0.665 x 0.91 x 0.96 = 0.419056.
    assert!(close(ev.root.probability, 0.419_056));
    assert_eq!(
        ev.countermeasure_cut_sets,
        [
            vec!["awareness", "csp", "short-sessions"],
            vec!["awareness", "httponly", "short-sessions"]
        ]
    );
    // Awareness training: creds = 0.05, idp-abuse impossible:
    // 1 - 0.95 x 0.91 = 0.1355; cheapest now the device (300).
    let w = ev
        .what_if
        .iter()
        .find(|w| w.countermeasure == "awareness")
        .unwrap();
    assert!(close(w.probability, 0.1355));
    assert_eq!(w.cost, Some(300.0));
}

#[test]
fn mangled_trees_never_panic() {
    // Every truncation and many one-byte edits of the guide's tree either
    // load (and evaluate) or fail with an error.
    let bytes = GUIDE.as_bytes();
    let subs = [
        b'{', b'}', b'[', b']', b':', b'-', b' ', b'\n', b'9', b'"', b'&', b'*', b'!',
    ];
    let mut tried = 0;
    for cut in 0..bytes.len() {
        for s in subs.iter().chain(std::iter::once(&0u8)) {
            let mut v = bytes.to_vec();
            if *s == 0 {
                v.truncate(cut);
            } else {
                v[cut] = *s;
            }
            if let Ok(text) = std::str::from_utf8(&v)
                && let Ok(t) = AttackTree::load("f.yaml", text)
            {
                let _ = evaluate(&t);
            }
            tried += 1;
        }
    }
    assert!(tried > 5000);
    for text in [
        "",
        "{",
        "[]",
        "root: 1",
        "root: { id: '' }",
        "root: { id: a, children: [] }",
        "root: !!binary aGk=",
        "root: &a { id: a }\ncountermeasures: *a",
        "root: { id: a, probability: .nan }",
        "root: { id: a, cost: .inf }",
    ] {
        let _ = AttackTree::load("f.yaml", text).map(|t| evaluate(&t));
    }
}

#[test]
fn huge_cut_set_searches_stop_and_say_so() {
    // An OR over 60 ANDs of 6 leaves has 6^60 minimal cut sets: the search
    // must stop on its bound, quickly, and mark the lists incomplete.
    let mut src = String::from("root:\n  id: r\n  gate: or\n  children:\n");
    for i in 0..60 {
        src.push_str(&format!(
            "    - id: a{i}\n      gate: and\n      children:\n"
        ));
        for j in 0..6 {
            src.push_str(&format!("        - {{ id: l{i}-{j}, probability: 0.5 }}\n"));
        }
    }
    let start = std::time::Instant::now();
    let ev = evaluate(&tree(&src));
    assert!(!ev.cut_sets_complete);
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
    // 1 - (1 - 0.5^6)^60.
    let expected = 1.0 - (1.0 - 0.5f64.powi(6)).powi(60);
    assert!(close(ev.root.probability, expected));
}

#[test]
fn each_tree_problem_has_its_variant() {
    use stride_core::attack::TreeProblem;
    let e = load_err(&GUIDE.replace("probability: 0.6", "probability: 1.6"));
    assert!(
        matches!(&e.problem, TreeProblem::ProbabilityOutOfRange { value } if value == "1.6"),
        "{e:?}"
    );
    let e = load_err(&GUIDE.replace("      gate: and\n", ""));
    assert_eq!(e.problem, TreeProblem::MissingGate);
    let e = load_err(&GUIDE.replace("countered_by: [mfa]", "countered_by: [mfaa]"));
    assert_eq!(
        e.problem,
        TreeProblem::UnknownCountermeasure {
            name: "mfaa".into(),
            suggestion: Some("mfa".into())
        }
    );
    let e = load_err(&GUIDE.replace("cost: 100,", "cots: 100,"));
    assert!(
        matches!(&e.problem, TreeProblem::Parse(ParseProblem::UnknownField { field, .. }) if field == "cots"),
        "{e:?}"
    );
    let e = load_err(&GUIDE.replace("id: steal", "id: xss"));
    assert!(
        matches!(e.problem, TreeProblem::DuplicateNodeId { .. }),
        "{e:?}"
    );
    let e = load_err(&GUIDE.replace(
        "      gate: or\n      children:\n        - { id: phishing",
        "      gate: or\n      cost: 5\n      children:\n        - { id: phishing",
    ));
    assert!(
        matches!(&e.problem, TreeProblem::LeafOnlyKey { key } if key == "cost"),
        "{e:?}"
    );
    let e = load_err("root: { id: '' }\n");
    assert_eq!(e.problem, TreeProblem::EmptyId);
    let e = load_err("root: { id: a, gate: or }\n");
    assert_eq!(e.problem, TreeProblem::GateWithoutChildren);
    let e = load_err("root: { id: a, cost: -1 }\n");
    assert!(matches!(e.problem, TreeProblem::BadCost { .. }), "{e:?}");
    assert_eq!(e.problem.to_string(), "-1 is not a finite number >= 0");
    let e = load_err("root: { id: a }\ncountermeasures: [{ id: a }]\n");
    assert!(
        matches!(e.problem, TreeProblem::DuplicateCountermeasureId { .. }),
        "{e:?}"
    );
    let e = load_err("title: t\n");
    assert!(
        matches!(&e.problem, TreeProblem::Parse(ParseProblem::MissingField { field, .. }) if field == "root"),
        "{e:?}"
    );
    let e = load_err("root: [\n");
    assert!(
        matches!(e.problem, TreeProblem::Parse(ParseProblem::Syntax(_))),
        "{e:?}"
    );
}
