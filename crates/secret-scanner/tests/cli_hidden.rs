//! End-to-end: secrets hidden in archives and encodings, in every output
//! format (insta snapshots), and the flags that bound or turn off each.
//! Fixtures are built at test time; tokens are assembled at run time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use base64::Engine;

mod util;
use util::{github_token, run};

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A Kubernetes Secret with a base64 token, and a release zip holding a
/// token and a bomb-like member.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let k8s_token = github_token("K8sSecret7Lq2Zr9Wm4Tp1Ns8Kd3Hg6");
    let encoded = base64::engine::general_purpose::STANDARD.encode(&k8s_token);
    fs::create_dir_all(root.join("deploy")).unwrap();
    fs::write(
        root.join("deploy/secret.yaml"),
        format!("apiVersion: v1\nkind: Secret\ndata:\n  token: {encoded}\n"),
    )
    .unwrap();
    let zip_token = github_token("ReleaseZip7Lq2Zr9Wm4Tp1Ns8Kd3Hg");
    let release = zip(&[
        ("conf/app.env", format!("A=1\nGH={zip_token}\n").as_bytes()),
        ("zeros.bin", &vec![0u8; 4 << 20]),
    ]);
    fs::write(root.join("release.zip"), release).unwrap();
    (dir, root)
}

#[test]
fn hidden_secrets_text_output() {
    let (_d, root) = fixture();
    let r = run(&root, &["scan", "--no-progress"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    assert!(r.stderr.contains("skipped 1 archive-limit"), "{}", r.stderr);
}

#[test]
fn hidden_secrets_json_output() {
    let (_d, root) = fixture();
    let r = run(&root, &["scan", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/schema/secret-scanner-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn hidden_secrets_sarif_output() {
    let (_d, root) = fixture();
    let r = run(&root, &["scan", "--format", "sarif"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn no_archives_and_max_decode_depth_zero_turn_each_off() {
    let (_d, root) = fixture();
    let r = run(
        &root,
        &[
            "scan",
            "--format",
            "jsonl",
            "--no-archives",
            "--max-decode-depth",
            "0",
        ],
    );
    // The zip is a binary file again; the base64 value is at most a generic
    // finding, never the GitHub rule.
    assert!(!r.stdout.contains("github-pat-classic"), "{}", r.stdout);
    let r = run(
        &root,
        &["scan", "--format", "jsonl", "--max-archive-depth", "0"],
    );
    assert!(!r.stdout.contains("release.zip!"), "{}", r.stdout);
    assert!(
        r.stdout.contains("\"decoded\":[\"base64\"]"),
        "{}",
        r.stdout
    );
    // The size bound names itself in the skip reason.
    let r = run(
        &root,
        &["scan", "--format", "json", "--max-archive-size", "1K"],
    );
    assert!(
        r.stdout.contains("expanded size over the 1024-byte limit"),
        "{}",
        r.stdout
    );
}
