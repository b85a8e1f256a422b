//! Attack paths: a small model and its secured twins, the likelihood of a
//! path worked from its findings, the cut on hand-built paths, queries, and
//! the paths as a generated tree.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use stride_core::attack::{
    AttackPath, AttackTree, Hop, HopThreat, PathQuery, PathReport, Target, attack_paths, evaluate,
    paths_tree, the_cut,
};
use stride_core::{Acceptance, Analysis, Catalog, Model, analyze, apply_acceptances};

const SHOP: &str = r#"
name: Small shop
boundaries:
  - { id: internet, name: Internet, kind: internet }
  - { id: vpc, name: VPC, kind: cloud }
elements:
  - { id: user, name: User, kind: external_entity, type: user, boundary: internet }
  - { id: api, name: API, kind: process, type: api, boundary: vpc, attributes: { internet_facing: true } }
  - { id: db, name: DB, kind: data_store, type: database, boundary: vpc, stores: [pii] }
data:
  - { id: pii, name: Customer data, classification: confidential, pii: true }
flows:
  - { id: req, from: user, to: api, protocol: https, encrypted: true }
  - { id: query, from: api, to: db, protocol: postgres, encrypted: true, authenticated: true, carries: [pii] }
"#;

fn analysed(src: &str) -> (Model, Analysis) {
    let m = Model::load("shop.yaml", src).unwrap().model;
    let a = analyze(&m, Catalog::builtin());
    (m, a)
}

fn paths(src: &str, q: &PathQuery) -> PathReport {
    let (m, a) = analysed(src);
    attack_paths(&m, &a, Catalog::builtin(), q).unwrap()
}

/// (reproducibility + exploitability + discoverability) / 30, from the analysis.
fn likelihood_of(a: &Analysis, id: &str) -> f64 {
    let t = a.threats.iter().find(|t| t.id == id).unwrap();
    let f = |k: &str| f64::from(t.risk.factors[k].value);
    (f("reproducibility") + f("exploitability") + f("discoverability")) / 30.0
}

#[test]
fn the_small_shop_has_one_path_and_its_likelihood_is_the_product_of_its_hops() {
    let (m, a) = analysed(SHOP);
    let r = attack_paths(&m, &a, Catalog::builtin(), &PathQuery::default()).unwrap();
    assert_eq!(r.entries, ["user"]);
    assert_eq!(r.targets, ["db"]);
    assert_eq!(r.paths.len(), 1);
    let p = &r.paths[0];
    assert_eq!(
        (p.from.as_str(), p.to.as_str(), p.hop_count),
        ("user", "db", 2)
    );
    assert_eq!(p.boundaries, ["internet", "vpc"]);
    let hops: Vec<(&str, &str, &str)> = p
        .hops
        .iter()
        .map(|h| (h.flow.as_str(), h.element.as_str(), h.threat.as_str()))
        .collect();
    // Into the API: spoofing on the unauthenticated request; into the
    // database: SQL injection through the query (the likeliest of each).
    assert_eq!(
        hops,
        [
            ("req", "api", "TM-S-007@req"),
            ("query", "db", "TM-T-001@query")
        ]
    );
    // TM-S-007@req: R 9, E 9, D 9 -> 27/30 = 0.9; TM-T-001@query: 22/30.
    let h1 = likelihood_of(&a, "TM-S-007@req");
    let h2 = likelihood_of(&a, "TM-T-001@query");
    assert!((h1 - 0.9).abs() < 1e-9);
    assert!((h2 - 22.0 / 30.0).abs() < 1e-9);
    assert!((p.likelihood - h1 * h2).abs() < 1e-9);
    // Every threat of a hop is listed with what would close it.
    let sqli = &p.hops[1].threats[0];
    assert_eq!(sqli.controls, ["api.parameterized_queries"]);
    // The cut: the query hop's four threats close with three controls; the
    // request hop would need more.
    assert_eq!(
        r.cut.controls,
        [
            "api.parameterized_queries",
            "db.encrypted_at_rest",
            "db.integrity_checks"
        ]
    );
    assert_eq!(r.cut.breaks, 1);
    assert!(r.cut.exact);
}

#[test]
fn the_secured_twin_has_no_path_and_a_half_secured_one_only_a_less_likely_one() {
    let open = paths(SHOP, &PathQuery::default());
    let before = open.paths[0].likelihood;

    // Half secured: parameterised queries close the SQL injection; the hop
    // into the database stays open through tampering at rest (14/30).
    let half = SHOP.replace(
        "attributes: { internet_facing: true } }",
        "attributes: { internet_facing: true, parameterized_queries: true } }",
    );
    let r = paths(&half, &PathQuery::default());
    assert_eq!(r.paths.len(), 1);
    assert!(r.paths[0].likelihood < before);
    assert_eq!(r.paths[0].hops[1].threat, "TM-T-011@db");
    assert!((r.paths[0].likelihood - 0.9 * 14.0 / 30.0).abs() < 1e-9);

    // The twin applies the cut: no path is left.
    let twin = half.replace(
        "stores: [pii] }",
        "stores: [pii], attributes: { encrypted_at_rest: true, integrity_checks: true } }",
    );
    let r = paths(&twin, &PathQuery::default());
    assert!(r.paths.is_empty(), "{:?}", r.paths);
    assert_eq!(r.cut.controls, Vec::<String>::new());
    assert_eq!(r.cut.single, None);
}

#[test]
fn accepted_threats_close_hops_like_mitigated_ones() {
    let (m, mut a) = analysed(SHOP);
    let accept = |id: &str| Acceptance {
        id: id.into(),
        owner: "o".into(),
        reason: "r".into(),
        ticket: None,
        expires: None,
    };
    let ids = [
        "TM-T-001@query",
        "TM-T-011@db",
        "TM-I-002@db",
        "TM-I-020@db",
    ];
    let entries: Vec<Acceptance> = ids.iter().map(|i| accept(i)).collect();
    apply_acceptances(&mut a, &entries, "2025-01-01");
    let r = attack_paths(&m, &a, Catalog::builtin(), &PathQuery::default()).unwrap();
    assert!(r.paths.is_empty());
}

#[test]
fn queries_name_entries_and_targets_and_refuse_unknown_ids() {
    let (m, a) = analysed(SHOP);
    let q = |from: Option<&str>, to: Target, max_hops: usize| PathQuery {
        from: from.map(str::to_string),
        to,
        max_hops,
    };
    let run = |q: PathQuery| attack_paths(&m, &a, Catalog::builtin(), &q);
    // To the API only: one hop, and disclosure at the target counts.
    let r = run(q(None, Target::Element("api".into()), 8)).unwrap();
    assert_eq!(r.paths.len(), 1);
    assert_eq!(r.paths[0].hop_count, 1);
    // Too few hops allowed.
    assert!(run(q(None, Target::Sensitive, 1)).unwrap().paths.is_empty());
    // From the API (an insider's view).
    let r = run(q(Some("api"), Target::Data("pii".into()), 8)).unwrap();
    assert_eq!(r.paths[0].from, "api");
    assert_eq!(r.paths[0].hop_count, 1);
    // Unknown ids, with a suggestion.
    let e = run(q(Some("usr"), Target::Sensitive, 8)).unwrap_err();
    assert!(e.to_string().contains("did you mean \"user\""), "{e}");
    let e = run(q(None, Target::Data("pi".into()), 8)).unwrap_err();
    assert!(e.to_string().contains("unknown data asset"), "{e}");
    let e = run(q(None, Target::Element("dbb".into()), 8)).unwrap_err();
    assert!(e.to_string().contains("did you mean \"db\""), "{e}");
}

fn threat(id: &str, controls: &[&str]) -> HopThreat {
    HopThreat {
        id: id.into(),
        title: id.into(),
        likelihood: 0.5,
        controls: controls.iter().map(|c| c.to_string()).collect(),
    }
}

fn hop(threats: Vec<HopThreat>) -> Hop {
    Hop {
        flow: "f".into(),
        element: "e".into(),
        threat: threats[0].id.clone(),
        likelihood: 0.5,
        threats,
    }
}

fn path(hops: Vec<Hop>) -> AttackPath {
    AttackPath {
        from: "x".into(),
        to: "y".into(),
        likelihood: 0.25,
        hop_count: hops.len(),
        boundaries: vec![],
        hops,
    }
}

#[test]
fn the_cut_on_hand_built_paths() {
    // P1 = [t1 {a, b}] -> [t2 {c}]; P2 = [t3 {c}] -> [t4 {d}]: c breaks both.
    let ps = vec![
        path(vec![
            hop(vec![threat("t1", &["a", "b"])]),
            hop(vec![threat("t2", &["c"])]),
        ]),
        path(vec![
            hop(vec![threat("t3", &["c"])]),
            hop(vec![threat("t4", &["d"])]),
        ]),
    ];
    let cut = the_cut(&ps);
    assert_eq!(cut.controls, ["c"]);
    assert_eq!(cut.breaks, 2);
    assert_eq!(cut.single.as_ref().unwrap().control, "c");
    assert_eq!(cut.single.unwrap().breaks, 2);

    // A hop with two threats needs both closed: P1 = [t1 {a} + t2 {b}],
    // P2 = [t3 {b}]. The smallest cut is {a, b}; b alone breaks only P2.
    let ps = vec![
        path(vec![hop(vec![threat("t1", &["a"]), threat("t2", &["b"])])]),
        path(vec![hop(vec![threat("t3", &["b"])])]),
    ];
    let cut = the_cut(&ps);
    assert_eq!(cut.controls, ["a", "b"]);
    let single = cut.single.unwrap();
    assert_eq!((single.control.as_str(), single.breaks), ("b", 1));

    // Greedy would take the first path's first hop; the exact search finds
    // one control shared by three paths.
    let ps = vec![
        path(vec![
            hop(vec![threat("t1", &["a"])]),
            hop(vec![threat("s", &["z"])]),
        ]),
        path(vec![
            hop(vec![threat("t2", &["b"])]),
            hop(vec![threat("s", &["z"])]),
        ]),
        path(vec![
            hop(vec![threat("t3", &["c"])]),
            hop(vec![threat("s", &["z"])]),
        ]),
    ];
    assert_eq!(the_cut(&ps).controls, ["z"]);
}

#[test]
fn the_paths_as_a_generated_tree() {
    let (m, a) = analysed(SHOP);
    let r = attack_paths(&m, &a, Catalog::builtin(), &PathQuery::default()).unwrap();
    let tree = paths_tree(&m, &r);
    let ev = evaluate(&tree);
    // One target, one path: the root is that path's likelihood.
    assert!((ev.root.probability - r.paths[0].likelihood).abs() < 1e-12);
    let path_node = ev.nodes.iter().find(|n| n.id == "path-1").unwrap();
    assert_eq!(path_node.gate, "and");
    // Either hop cuts the path.
    assert_eq!(ev.cut_sets, [vec!["hop:query"], vec!["hop:req"]]);
    // The tree written as YAML is a valid tree file, the same tree.
    let yaml = serde_norway::to_string(&tree).unwrap();
    let back = AttackTree::load("gen.yaml", &yaml).unwrap();
    assert_eq!(back, tree);
    // Its threats are findings of the model.
    AttackTree::load_checked("gen.yaml", &yaml, Some(&a)).unwrap();
}

#[test]
fn webshop_paths_are_stable() {
    let src = include_str!("../../../examples/models/webshop.yaml");
    let (m, a) = analysed(src);
    let r = attack_paths(&m, &a, Catalog::builtin(), &PathQuery::default()).unwrap();
    let again = attack_paths(&m, &a, Catalog::builtin(), &PathQuery::default()).unwrap();
    assert_eq!(r, again);
    assert_eq!(r.targets, ["queue", "db"]);
    assert!(!r.paths.is_empty());
    assert!(
        r.paths
            .windows(2)
            .all(|w| w[0].likelihood >= w[1].likelihood)
    );
    assert_eq!(
        stride_core::attack::top_paths(&m, &a, 1),
        r.paths[..1].to_vec()
    );
}

#[test]
fn each_path_query_error_has_its_variant() {
    use stride_core::attack::PathError;
    let (m, a) = analysed(SHOP);
    let run = |from: Option<&str>, to: Target| {
        let q = PathQuery {
            from: from.map(str::to_string),
            to,
            max_hops: 8,
        };
        attack_paths(&m, &a, Catalog::builtin(), &q).unwrap_err()
    };
    assert_eq!(
        run(Some("usr"), Target::Sensitive),
        PathError::UnknownElement {
            name: "usr".into(),
            suggestion: Some("user".into())
        }
    );
    let e = run(None, Target::Data("pi".into()));
    assert!(
        matches!(&e, PathError::UnknownDataAsset { name, .. } if name == "pi"),
        "{e:?}"
    );
    let unstored = SHOP.replace("stores: [pii]", "stores: []");
    let (m2, a2) = analysed(&unstored);
    let q = PathQuery {
        from: None,
        to: Target::Data("pii".into()),
        max_hops: 8,
    };
    let e = attack_paths(&m2, &a2, Catalog::builtin(), &q).unwrap_err();
    assert_eq!(e, PathError::NotStored { data: "pii".into() });
    assert_eq!(e.to_string(), "no element of the model stores \"pii\"");
}
