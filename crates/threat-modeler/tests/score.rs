//! `threat-modeler score`: every method in text and JSON as snapshots, and
//! the exit code and one-line message of bad vectors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_threat-modeler");

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const OWASP: &str = "SL:5/M:2/O:7/S:1/ED:3/EE:6/A:9/ID:2/LC:9/LI:7/LAV:5/LAC:8/FD:1/RD:2/NC:1/PV:5";

#[test]
fn dread_text_and_json() {
    let (code, text, _) = run(&["score", "--dread", "D:8/R:6/E:7/A:9/D:5"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(text);
    let (_, json, _) = run(&[
        "score",
        "--dread",
        "D:8/R:6/E:7/A:9/D:5",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["method"], "dread");
    assert_eq!(v["score"], 7.0);
    assert_eq!(v["severity"], "high");
    insta::assert_snapshot!(json);
}

#[test]
fn dread_variants() {
    let (_, json, _) = run(&[
        "score",
        "--dread",
        "D:8/R:6/E:7/A:9/D:5",
        "--variant",
        "dread-d",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (v["score"].as_f64(), v["variant"].as_str()),
        (Some(7.5), Some("dread-d"))
    );
    let (_, text, _) = run(&[
        "score",
        "--dread",
        "D:8/R:6/E:7/A:9/D:5",
        "--variant",
        "assume-discoverable",
    ]);
    insta::assert_snapshot!(text);
}

#[test]
fn owasp_text_and_json() {
    let (code, text, _) = run(&["score", "--owasp", OWASP]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(text);
    let (_, json, _) = run(&["score", "--owasp", OWASP, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["likelihood"]["score"], 4.375);
    assert_eq!(v["likelihood"]["level"], "medium");
    assert_eq!(v["impact"]["technical"]["score"], 7.25);
    assert_eq!(v["impact"]["technical"]["level"], "high");
    assert_eq!(v["impact"]["business"]["score"], 2.25);
    assert_eq!(v["impact"]["business"]["level"], "low");
    assert_eq!(v["severity"]["technical"], "high");
    assert_eq!(v["severity"]["business"], "low");
    insta::assert_snapshot!(json);
}

#[test]
fn cvss_text_and_json() {
    let (code, text, _) = run(&[
        "score",
        "--cvss",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(text);
    let (_, json, _) = run(&[
        "score",
        "--cvss",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "--format",
        "json",
    ]);
    insta::assert_snapshot!(json);
    let (_, json, _) = run(&[
        "score",
        "--cvss",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (
            v["method"].as_str(),
            v["score"].as_f64(),
            v["severity"].as_str()
        ),
        (Some("cvss4.0"), Some(9.3), Some("critical"))
    );
}

#[test]
fn bad_vectors_print_one_line_and_exit_2() {
    for (args, needle) in [
        (
            vec!["score", "--dread", "D:8/R:6/E:11/A:9/D:5"],
            "factor Exploitability: 11 is out of range 0-10",
        ),
        (
            vec!["score", "--owasp", "SL:5/M:2"],
            "factor O (opportunity) is missing",
        ),
        (
            vec!["score", "--cvss", "CVSS:3.1/AV:N"],
            "metric AC (Attack Complexity) is missing",
        ),
        (
            vec!["score", "--cvss", "CVSS:9.9/AV:N"],
            "does not start with",
        ),
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{err}");
        assert!(!err.contains("panicked") && !err.contains("backtrace"));
    }
    // Usage errors: no method, two methods.
    assert_eq!(run(&["score"]).0, 2);
    assert_eq!(
        run(&["score", "--dread", "D:1/R:1/E:1/A:1/D:1", "--cvss", "x"]).0,
        2
    );
}
