//! `threat-modeler tree` and `paths`: every format snapshot-tested, the JSON
//! shapes, byte-stable output, errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_threat-modeler");
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Runs in the repository root, so file names in outputs are relative.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(Path::new(ROOT))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const TREE: &str = "examples/attack-trees/account-takeover.yaml";
const SHOP: &str = "examples/models/webshop.yaml";

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[test]
fn tree_every_format() {
    for format in ["text", "json", "markdown", "dot", "mermaid"] {
        let (code, out, err) = run(&["tree", TREE, "--model", SHOP, "--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        insta::assert_snapshot!(format!("tree_{format}"), out);
        // Byte-stable.
        assert_eq!(
            run(&["tree", TREE, "--model", SHOP, "--format", format]).1,
            out
        );
    }
}

#[test]
fn tree_json_has_the_documented_shape() {
    let (_, out, _) = run(&["tree", TREE, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    for k in ["root", "cheapest", "likeliest", "cut_sets", "nodes"] {
        assert!(v.get(k).is_some(), "{k}");
    }
    assert_eq!(keys(&v["root"]), ["cost", "id", "probability", "skill"]);
    assert_eq!(keys(&v["cheapest"]), ["cost", "leaves"]);
    assert_eq!(keys(&v["likeliest"]), ["leaves", "probability"]);
    for n in v["nodes"].as_array().unwrap() {
        for k in ["id", "gate", "probability", "cost", "skill", "possible"] {
            assert!(n.get(k).is_some(), "{k} in {n}");
        }
    }
    // Plain, unrounded numbers: 1 - 0.665 x 0.91 x 0.96.
    let p = v["root"]["probability"].as_f64().unwrap();
    assert!((p - 0.419_056).abs() < 1e-9);
    assert!(out.contains("\"probability\": 0.4190560000000"), "{out}");
    // An impossible leaf: probability 0, cost null (infinite).
    let stuffing = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "stuffing")
        .unwrap();
    assert_eq!(stuffing["possible"], false);
    assert_eq!(stuffing["cost"], Value::Null);
}

#[test]
fn tree_errors_exit_2_with_file_line_and_path() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "root:\n  id: r\n  gate: or\n  children:\n    - { id: a, probability: 1.5 }\n",
    )
    .unwrap();
    let (code, out, err) = run(&["tree", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("bad.yaml:5: root.children[0].probability: 1.5 is not between 0 and 1"),
        "{err}"
    );
    let src = std::fs::read_to_string(Path::new(ROOT).join(TREE)).unwrap();
    std::fs::write(&bad, src.replace("TM-S-014@idp", "TM-S-014@ipd")).unwrap();
    let (code, _, err) = run(&["tree", bad.to_str().unwrap(), "--model", SHOP]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean \"TM-S-014@idp\""), "{err}");
}

#[test]
fn paths_every_format() {
    for format in ["text", "json", "markdown", "dot", "mermaid"] {
        let (code, out, err) = run(&["paths", SHOP, "--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        insta::assert_snapshot!(format!("paths_{format}"), out);
        assert_eq!(run(&["paths", SHOP, "--format", format]).1, out);
    }
    let (code, out, _) = run(&["paths", SHOP, "--tree"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("paths_tree_text", out);
}

#[test]
fn paths_json_has_the_documented_shape() {
    let (_, out, _) = run(&["paths", SHOP, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let paths = v["paths"].as_array().unwrap();
    assert!(!paths.is_empty());
    for p in paths {
        for k in ["from", "to", "likelihood", "hops"] {
            assert!(p.get(k).is_some(), "{k}");
        }
        let mut product = 1.0;
        for h in p["hops"].as_array().unwrap() {
            for k in ["flow", "element", "threat"] {
                assert!(h[k].is_string(), "{k}");
            }
            product *= h["likelihood"].as_f64().unwrap();
        }
        assert!((p["likelihood"].as_f64().unwrap() - product).abs() < 1e-12);
    }
    assert!(v["cut"]["controls"].is_array());
    assert!(v["cut"]["breaks"].is_u64());
}

#[test]
fn paths_queries_and_errors() {
    let (code, out, _) = run(&[
        "paths",
        SHOP,
        "--to-data",
        "customer-pii",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["targets"], serde_json::json!(["db"]));
    let (code, out, _) = run(&["paths", SHOP, "--max-hops", "4"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("0 attack paths"), "{out}");
    let (code, _, err) = run(&["paths", SHOP, "--from", "browsr"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean \"browser\""), "{err}");
    let (code, _, _) = run(&["paths", SHOP, "--to", "db", "--to-data", "order"]);
    assert_eq!(code, 2);
}

#[test]
fn the_generated_tree_file_is_a_tree_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gen.yaml");
    let (code, _, err) = run(&["paths", SHOP, "--tree-file", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&["tree", file.to_str().unwrap(), "--model", SHOP]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, run(&["paths", SHOP, "--tree"]).1);
}

#[test]
fn readme_and_docs_show_the_current_output() {
    let (_, out, _) = run(&["paths", SHOP]);
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    assert!(
        readme.contains(&out),
        "README.md shows old `paths` output:\n{out}"
    );
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/attack-trees.md")).unwrap();
    assert!(
        doc.contains(&out),
        "docs/attack-trees.md shows old `paths` output"
    );
    let (_, out, _) = run(&["tree", TREE]);
    assert!(
        doc.contains(&out),
        "docs/attack-trees.md shows old `tree` output"
    );
}
