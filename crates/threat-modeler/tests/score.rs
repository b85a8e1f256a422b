//! `threat-modeler score`: every method in text and JSON as snapshots, and
//! the exit code and one-line message of bad vectors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_threat-modeler");

/// Runs the binary: exit code, stdout, stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs `score` with `args`, checks it succeeded quietly, returns stdout.
fn score(args: &[&str]) -> String {
    let mut all = vec!["score"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{args:?}: {err}");
    assert!(err.is_empty(), "{err}");
    out
}

fn json(args: &[&str]) -> (String, serde_json::Value) {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let out = score(&all);
    let v = serde_json::from_str(&out).unwrap();
    (out, v)
}

const DREAD: &str = "D:8/R:6/E:7/A:9/D:5";
const OWASP: &str = "SL:5/M:2/O:7/S:1/ED:3/EE:6/A:9/ID:2/LC:9/LI:7/LAV:5/LAC:8/FD:1/RD:2/NC:1/PV:5";
const CVSS31: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const CVSS40: &str = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";

#[test]
fn dread_text_and_json() {
    insta::assert_snapshot!("dread_text", score(&["--dread", DREAD]));
    let (out, v) = json(&["--dread", DREAD]);
    assert_eq!(v["method"], "dread");
    assert_eq!(v["variant"], "standard");
    assert_eq!(v["score"], 7.0);
    assert_eq!(v["severity"], "high");
    assert_eq!(v["factors"]["affected_users"], 9);
    insta::assert_snapshot!("dread_json", out);
    // Text is the default; `--format text` says the same.
    assert_eq!(
        score(&["--dread", DREAD, "--format", "text"]),
        score(&["--dread", DREAD])
    );
}

#[test]
fn dread_variants() {
    let (out, v) = json(&["--dread", DREAD, "--variant", "dread-d"]);
    assert_eq!(v["score"], 7.5);
    assert_eq!(v["variant"], "dread-d");
    assert_eq!(v["severity"], "high");
    insta::assert_snapshot!("dread_d_json", out);
    insta::assert_snapshot!(
        "dread_d_text",
        score(&["--dread", DREAD, "--variant", "dread-d"])
    );
    let (_, v) = json(&["--dread", DREAD, "--variant", "assume-discoverable"]);
    assert_eq!(
        (v["score"].as_f64(), v["severity"].as_str()),
        (Some(8.0), Some("critical"))
    );
    insta::assert_snapshot!(
        "dread_assume_discoverable_text",
        score(&["--dread", DREAD, "--variant", "assume-discoverable"])
    );
}

#[test]
fn owasp_text_and_json() {
    insta::assert_snapshot!("owasp_text", score(&["--owasp", OWASP]));
    let (out, v) = json(&["--owasp", OWASP]);
    assert_eq!(v["method"], "owasp");
    assert_eq!(v["likelihood"]["score"], 4.375);
    assert_eq!(v["likelihood"]["level"], "medium");
    assert_eq!(v["impact"]["technical"]["score"], 7.25);
    assert_eq!(v["impact"]["technical"]["level"], "high");
    assert_eq!(v["impact"]["business"]["score"], 2.25);
    assert_eq!(v["impact"]["business"]["level"], "low");
    assert_eq!(v["severity"]["technical"], "high");
    assert_eq!(v["severity"]["business"], "low");
    insta::assert_snapshot!("owasp_json", out);
    // OWASP's "Note" (low likelihood, low impact) is our "none".
    let (_, v) = json(&["--owasp", &OWASP.replace(|c: char| c.is_ascii_digit(), "1")]);
    assert_eq!(v["severity"]["technical"], "none");
}

#[test]
fn cvss_text_and_json() {
    insta::assert_snapshot!("cvss31_text", score(&["--cvss", CVSS31]));
    let (out, v) = json(&["--cvss", CVSS31]);
    assert_eq!(v["method"], "cvss3.1");
    assert_eq!(v["score"], 9.8);
    assert_eq!(v["severity"], "critical");
    insta::assert_snapshot!("cvss31_json", out);

    insta::assert_snapshot!("cvss40_text", score(&["--cvss", CVSS40]));
    let (out, v) = json(&["--cvss", CVSS40]);
    assert_eq!(v["method"], "cvss4.0");
    assert_eq!(v["score"], 9.3);
    assert_eq!(v["severity"], "critical");
    insta::assert_snapshot!("cvss40_json", out);

    // The specification's reflected XSS example: 6.1 medium; and a low one.
    let (_, v) = json(&["--cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"]);
    assert_eq!(
        (v["score"].as_f64(), v["severity"].as_str()),
        (Some(6.1), Some("medium"))
    );
    let (_, v) = json(&["--cvss", "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:L/I:N/A:N"]);
    assert_eq!(
        (v["score"].as_f64(), v["severity"].as_str()),
        (Some(2.5), Some("low"))
    );
}

#[test]
fn bad_vectors_print_one_line_and_exit_2() {
    for (flag, vector, message) in [
        (
            "--dread",
            "D:8/R:6/E:11/A:9/D:5",
            "invalid DREAD vector: factor Exploitability: 11 is out of range 0-10",
        ),
        (
            "--dread",
            "D:8/R:6/E:7/A:9",
            "invalid DREAD vector: factor Discoverability is missing",
        ),
        (
            "--dread",
            "D:8/R:6/E:7/X:9/D:5",
            "invalid DREAD vector: part 4 is \"X\", expected A (Affected users)",
        ),
        (
            "--owasp",
            "SL:5/M:2",
            "invalid OWASP vector: factor O (opportunity) is missing",
        ),
        (
            "--owasp",
            &OWASP.replace("LAC:8", "LAC:10"),
            "invalid OWASP vector: factor LAC (loss of accountability): 10 is out of range 0-9",
        ),
        (
            "--cvss",
            "CVSS:3.1/AV:N",
            "invalid CVSS vector: metric AC (Attack Complexity) is missing",
        ),
        (
            "--cvss",
            &CVSS40.replace("/SA:N", ""),
            "invalid CVSS vector: metric SA (Subsequent System Availability) is missing",
        ),
        (
            "--cvss",
            "CVSS:9.9/AV:N",
            "invalid CVSS vector: \"CVSS:9.9/AV:N\" does not start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/",
        ),
    ] {
        for format in ["text", "json"] {
            let (code, out, err) = run(&["score", flag, vector, "--format", format]);
            assert_eq!(code, 2, "{vector}");
            assert!(out.is_empty(), "{out}");
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(err.starts_with("threat-modeler: error: "), "{err}");
            assert!(err.trim_end().ends_with(message), "{err}");
            assert!(!err.contains("panicked") && !err.contains("backtrace"));
        }
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["score"],
        vec!["score", "--dread", DREAD, "--cvss", CVSS31],
        vec!["score", "--owasp", OWASP, "--variant", "dread-d"],
        vec!["score", "--dread", DREAD, "--variant", "dread-x"],
        vec!["score", "--dread", DREAD, "--format", "yaml"],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert!(err.contains("error:") && !err.contains("panicked"), "{err}");
    }
}
