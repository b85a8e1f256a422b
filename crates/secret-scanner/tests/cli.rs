//! End-to-end tests of the `secret-scanner` binary: every output format as an
//! insta snapshot, every exit code, suppressions, stdin and custom rules.
//! Fixtures are built in temporary folders; tokens are assembled at run time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod util;
use util::{BIN, Run, aws_key_id, git, github_token, write};

fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// A small tree: two leaked tokens, a placeholder, a binary file.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    write(
        &root,
        "config/.env",
        &format!(
            "APP=shop\nGITHUB_TOKEN={}\n",
            github_token("Fx7Lq2Zr9Wm4Tp1Ns8Kd3Hg6Jf5Bc0Vy")
        ),
    );
    write(
        &root,
        "deploy/aws.ini",
        &format!(
            "[default]\naws_access_key_id = {}\nregion = eu-west-1\n",
            aws_key_id()
        ),
    );
    write(
        &root,
        "docs/setup.md",
        "Set `aws_access_key_id = AKIAIOSFODNN7EXAMPLE` in your profile.\n",
    );
    fs::write(root.join("logo.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    (dir, root)
}

#[test]
fn text_output() {
    let (_d, root) = fixture();
    let r = run_in(&root, &["scan", "--no-progress"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    assert!(
        r.stderr.starts_with("2 findings in 3 files"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("skipped 1 binary"), "{}", r.stderr);
}

#[test]
fn json_output() {
    let (_d, root) = fixture();
    let r = run_in(&root, &["scan", "--format", "json"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    assert!(
        r.stderr.is_empty(),
        "JSON to stdout prints no summary: {}",
        r.stderr
    );
}

#[test]
fn jsonl_output() {
    let (_d, root) = fixture();
    let r = run_in(&root, &["scan", "--format", "jsonl"], None);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.lines().count(), 2);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn sarif_output() {
    let (_d, root) = fixture();
    let r = run_in(&root, &["scan", "--format", "sarif"], None);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn explain_output_lists_dropped_candidates() {
    let (_d, root) = fixture();
    let r = run_in(&root, &["scan", "--explain", "--no-progress"], None);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn show_secrets_prints_them_in_full_and_redaction_is_the_default() {
    let (_d, root) = fixture();
    let token = github_token("Fx7Lq2Zr9Wm4Tp1Ns8Kd3Hg6Jf5Bc0Vy");
    let hidden = run_in(&root, &["scan", "--format", "jsonl"], None);
    assert!(!hidden.stdout.contains(&token));
    assert!(hidden.stdout.contains("\"secret\":\"ghp_****\""));
    let shown = run_in(
        &root,
        &["scan", "--format", "jsonl", "--show-secrets"],
        None,
    );
    assert!(shown.stdout.contains(&token));
}

#[test]
fn output_is_byte_stable_across_thread_counts() {
    let (_d, root) = fixture();
    for i in 0..30 {
        write(
            &root,
            &format!("many/f{i}.txt"),
            &format!(
                "t={}\n",
                github_token(&format!("Stable{i:02}Output{i:02}Across{i:02}Threads"))
            ),
        );
    }
    let a = run_in(&root, &["scan", "--format", "json", "--threads", "1"], None);
    let b = run_in(&root, &["scan", "--format", "json", "--threads", "4"], None);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "clean.txt", "nothing to see\n");
    assert_eq!(run_in(dir.path(), &["scan"], None).code, 0);
    write(
        dir.path(),
        "leak.txt",
        &format!("k={}\n", github_token("Exit1Code1Means1Findings1Ok1Ok")),
    );
    assert_eq!(run_in(dir.path(), &["scan"], None).code, 1);
    let missing = run_in(dir.path(), &["scan", "no-such-dir"], None);
    assert_eq!(missing.code, 2);
    assert_eq!(missing.stderr.lines().count(), 1, "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .contains("no-such-dir: no such file or directory")
    );
    let usage = run_in(dir.path(), &["scan", "--format", "yaml"], None);
    assert_eq!(usage.code, 2);
    let size = run_in(dir.path(), &["scan", "--max-file-size", "lots"], None);
    assert_eq!(size.code, 2);
    assert!(size.stderr.contains("invalid size"), "{}", size.stderr);
}

#[test]
fn a_baseline_suppresses_what_it_lists() {
    let (_d, root) = fixture();
    let first = run_in(
        &root,
        &["scan", "--format", "json", "-o", "baseline.json"],
        None,
    );
    assert_eq!(first.code, 1);
    assert!(first.stderr.starts_with("2 findings"), "{}", first.stderr);
    let again = run_in(&root, &["scan", "--baseline", "baseline.json"], None);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(again.stderr.contains("2 suppressed"), "{}", again.stderr);
    // A new leak is still reported.
    write(
        &root,
        "new.txt",
        &format!("t={}\n", github_token("NewLeak1After2The3Baseline4Ok5")),
    );
    let third = run_in(
        &root,
        &["scan", "--baseline", "baseline.json", "--format", "jsonl"],
        None,
    );
    assert_eq!(third.code, 1);
    assert_eq!(third.stdout.lines().count(), 1);
    // Not a report of ours.
    write(&root, "bogus.json", "{\"results\": []}");
    let bad = run_in(&root, &["scan", "--baseline", "bogus.json"], None);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("not a secret-scanner JSON report"),
        "{}",
        bad.stderr
    );
}

#[test]
fn the_ignore_file_suppresses_expires_and_reports_unused_entries() {
    let (_d, root) = fixture();
    let r = run_in(&root, &["scan", "--format", "jsonl"], None);
    let fps: Vec<String> = r
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["fingerprint"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    write(
        &root,
        ".secretsignore",
        &format!(
            "[[ignore]]\nfingerprint = \"{}\"\nreason = \"revoked\"\n\n\
             [[ignore]]\nfingerprint = \"{}\"\nexpires = \"2020-01-01\"\n\n\
             [[ignore]]\npath = \"nowhere/**\"\nreason = \"nothing there\"\n",
            fps[0], fps[1]
        ),
    );
    let r = run_in(
        &root,
        &["scan", "--format", "jsonl", "--report-unused-ignores"],
        None,
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout.lines().count(),
        1,
        "the expired entry no longer suppresses"
    );
    assert!(r.stdout.contains(&fps[1]));
    assert!(
        r.stderr.contains("entry 2 (fingerprint") && r.stderr.contains("expired on 2020-01-01"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("entry 3 (path nowhere/**, reason \"nothing there\") matched no finding"),
        "{}",
        r.stderr
    );
    // --ignore-file points elsewhere; a broken file is a one-line error.
    write(&root, "other.toml", "[[ignore]]\npath = \"x/**\"\n");
    let bad = run_in(&root, &["scan", "--ignore-file", "other.toml"], None);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("needs a `reason`"), "{}", bad.stderr);
}

#[test]
fn stdin_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let token = github_token("Stdin1Is2Read3With4A5Dash6Arg7");
    let r = run_in(
        dir.path(),
        &["scan", "-", "--format", "jsonl"],
        Some(&format!("echo {token}\n")),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("\"path\":\"<stdin>\""), "{}", r.stdout);
}

#[test]
fn custom_rules_extend_the_catalogue_and_a_broken_regex_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "rules.toml",
        "[[rules]]\nid = \"acme-key\"\nname = \"ACME key\"\nseverity = \"high\"\nkeywords = [\"acme_\"]\nregex = '''\\b(?P<secret>acme_[a-z0-9]{20})\\b'''\n",
    );
    write(dir.path(), "src/a.txt", "key = acme_q8z2m4x7c1v9b3n6k0p5\n");
    let r = run_in(
        dir.path(),
        &["scan", "src", "--config", "rules.toml", "--format", "jsonl"],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("\"rule_id\":\"acme-key\""));
    let r = run_in(
        dir.path(),
        &[
            "scan",
            "src",
            "--config",
            "rules.toml",
            "--disable-rule",
            "acme-key",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);

    write(
        dir.path(),
        "broken.toml",
        "[[rules]]\nid = \"broken\"\nname = \"Broken\"\nseverity = \"high\"\nkeywords = [\"x\"]\nregex = '''(?P<secret>[a-z'''\n",
    );
    let r = run_in(
        dir.path(),
        &["scan", "src", "--config", "broken.toml"],
        None,
    );
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("broken.toml: rule \"broken\": field `regex`: invalid regex"),
        "{}",
        r.stderr
    );
    let r = run_in(dir.path(), &["rules", "check", "broken.toml"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid regex"), "{}", r.stderr);
    let r = run_in(dir.path(), &["rules", "check", "rules.toml"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "rules.toml: 1 rules OK");
    let r = run_in(
        dir.path(),
        &["scan", "src", "--disable-rule", "no-such-rule"],
        None,
    );
    assert_eq!(r.code, 2);
}

#[test]
fn rules_check_runs_the_files_examples() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "r.toml",
        "[[rules]]\nid = \"acme-key\"\nname = \"ACME\"\nseverity = \"high\"\nkeywords = [\"acme_\"]\nregex = '''\\b(?P<secret>acme_[a-z0-9]{20})\\b'''\n[[rules.examples]]\ntext = \"acme_q8z2m4x7c1v9b3n6k0p\"\nsecret = \"acme_q8z2m4x7c1v9b3n6k0p\"\n",
    );
    let r = run_in(dir.path(), &["rules", "check", "r.toml"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("rule \"acme-key\": example"),
        "{}",
        r.stderr
    );
}

#[test]
fn gitleaks_configurations_are_imported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "gitleaks.toml",
        "[[rules]]\nid = \"corp-token\"\ndescription = \"Corp token\"\nregex = '''corp_([a-z0-9]{16})'''\nsecretGroup = 1\nkeywords = [\"corp_\"]\n",
    );
    write(dir.path(), "src/a.txt", "corp_q8z2m4x7c1v9b3n6\n");
    let r = run_in(
        dir.path(),
        &[
            "scan",
            "src",
            "--gitleaks-config",
            "gitleaks.toml",
            "--format",
            "jsonl",
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("\"rule_id\":\"corp-token\""));
}

#[test]
fn rules_list_and_show() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["rules", "--format", "json"], None);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules.len(), secret_patterns::Catalog::builtin().len());
    for key in ["id", "name", "severity", "keywords", "references"] {
        assert!(rules.iter().all(|r| r.get(key).is_some()), "{key}");
    }
    let r = run_in(dir.path(), &["rules"], None);
    assert!(r.stdout.contains("github-pat-classic"));
    let r = run_in(dir.path(), &["rules", "show", "github-pat-classic"], None);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("validator:   crc32-base62"));
    assert!(r.stdout.contains("negative examples (not reported):"));
    let r = run_in(dir.path(), &["rules", "show", "nope"], None);
    assert_eq!(r.code, 2);
}

fn shared_schema(name: &str) -> Option<serde_json::Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas")
        .join(name);
    match fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).unwrap()),
        Err(_) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{} is missing, and CI=true requires it", path.display())
        }
        Err(_) => {
            eprintln!(
                "skipping: {} is absent (../shared not checked out)",
                path.display()
            );
            None
        }
    }
}

#[test]
fn json_output_matches_its_published_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/schema/secret-scanner-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let (_d, root) = fixture();
    for extra in [&[][..], &["--explain"][..], &["--show-secrets"][..]] {
        let mut args = vec!["scan", "--format", "json"];
        args.extend_from_slice(extra);
        let r = run_in(&root, &args, None);
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
    let r = run_in(&root, &["scan", "--format", "jsonl"], None);
    let finding_schema = serde_json::json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": schema["definitions"],
        "$ref": "#/definitions/finding"
    });
    let v = jsonschema::draft7::new(&finding_schema).unwrap();
    for line in r.stdout.lines() {
        assert!(v.is_valid(&serde_json::from_str(line).unwrap()), "{line}");
    }
}

#[test]
fn sarif_output_matches_the_sarif_2_1_0_schema() {
    let Some(schema) = shared_schema("sarif-schema-2.1.0.json") else {
        return;
    };
    let validator = jsonschema::options().build(&schema).unwrap();
    let (_d, root) = fixture();
    let r = run_in(&root, &["scan", "--format", "sarif"], None);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 2);
}

#[test]
fn the_project_scans_itself_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let r = run_in(&root, &["scan", ".", "--no-progress"], None);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
}

#[test]
fn git_history_findings_carry_commit_author_and_date_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(
        root,
        "app.env",
        &format!("TOKEN={}\n", github_token("History1Via2The3Command4Line5Z")),
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "leak"]);
    write(root, "app.env", "TOKEN=\n");
    git(root, &["commit", "-q", "-am", "fix"]);
    let r = run_in(
        root,
        &["scan", "--git", "--no-cache", "--format", "json"],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let f = &doc["findings"][0];
    assert_eq!(f["path"], "app.env");
    assert_eq!(f["author"], "Grace Hopper");
    assert_eq!(f["email"], "grace@example.org");
    assert_eq!(f["date"], "2026-03-04T05:06:07Z");
    assert_eq!(f["commit"].as_str().unwrap().len(), 40);
    assert_eq!(doc["stats"]["commits"], 2);
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/schema/secret-scanner-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    assert!(jsonschema::draft7::new(&schema).unwrap().is_valid(&doc));
    let text = run_in(
        root,
        &["scan", "--git", "--no-cache", "--no-progress"],
        None,
    );
    assert!(
        text.stdout.contains("commit ")
            && text
                .stdout
                .contains("Grace Hopper <grace@example.org> 2026-03-04T05:06:07Z"),
        "{}",
        text.stdout
    );
    let sarif = run_in(
        root,
        &["scan", "--git", "--no-cache", "--format", "sarif"],
        None,
    );
    assert!(sarif.stdout.contains("\"author\": \"Grace Hopper\""));
    let jsonl = run_in(
        root,
        &["scan", "--git", "--no-cache", "--format", "jsonl"],
        None,
    );
    assert!(jsonl.stdout.contains("\"commit\":"));
    // Cached re-scan: same findings, nothing read.
    let a = run_in(root, &["scan", "--git", "--format", "json"], None);
    let b = run_in(root, &["scan", "--git", "--format", "json"], None);
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&a.stdout).unwrap(),
        serde_json::from_str(&b.stdout).unwrap(),
    );
    assert_eq!(a["findings"], b["findings"]);
    assert_eq!(b["stats"]["blobs_scanned"], 0);
}

#[test]
fn staged_and_not_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let r = run_in(root, &["scan", "--git"], None);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("not a git repository"), "{}", r.stderr);
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "clean.txt", "hello\n");
    git(root, &["add", "-A"]);
    assert_eq!(run_in(root, &["scan", "--staged"], None).code, 0);
    write(
        root,
        "leak.txt",
        &format!("{}\n", github_token("Staged1Via2The3Command4Line5Zq")),
    );
    git(root, &["add", "leak.txt"]);
    let r = run_in(root, &["scan", "--staged", "--format", "jsonl"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("\"path\":\"leak.txt\""));
}

#[test]
fn walk_flags_no_ignore_include_binary_max_file_size_and_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, ".gitignore", "ignored.txt\n");
    write(
        root,
        "ignored.txt",
        &format!("{}\n", github_token("Ignored1Unless2No3Ignore4Flag5")),
    );
    let lines = |args: &[&str]| run_in(root, args, None).stdout.lines().count();
    assert_eq!(lines(&["scan", "--format", "jsonl"]), 0);
    assert_eq!(lines(&["scan", "--format", "jsonl", "--no-ignore"]), 1);
    fs::write(
        root.join("blob.bin"),
        [
            b"\0\0\0".as_slice(),
            github_token("Binary1Only2With3Include4Flag5").as_bytes(),
        ]
        .concat(),
    )
    .unwrap();
    assert_eq!(lines(&["scan", "--format", "jsonl", "--no-ignore"]), 1);
    assert_eq!(
        lines(&[
            "scan",
            "--format",
            "jsonl",
            "--no-ignore",
            "--include-binary"
        ]),
        2
    );
    let r = run_in(
        root,
        &[
            "scan",
            "--format",
            "json",
            "--no-ignore",
            "--max-file-size",
            "10",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    assert!(
        v["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["reason"]["kind"] == "too-large")
    );
    let loud = run_in(root, &["scan", "--no-ignore", "--no-progress"], None);
    assert!(!loud.stderr.is_empty());
    let quiet = run_in(root, &["scan", "--no-ignore", "--quiet"], None);
    assert_eq!(quiet.code, 1);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
}

#[test]
fn min_severity_and_min_confidence_keep_only_findings_at_or_above_the_floor() {
    let dir = tempfile::tempdir().unwrap();
    // A critical, high-confidence GitHub token and a medium, low-confidence
    // generic password (assembled here so this file stays clean).
    let password = format!("{}{}", "Kp8fR2wLx7", "Qz4Vn9Tb3m");
    write(
        dir.path(),
        "app.env",
        &format!(
            "GITHUB_TOKEN={}\nDB_PASSWORD={password}\n",
            github_token("Floor1Levels2Keep3Only4Above5X")
        ),
    );
    let rules = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["scan", "--format", "jsonl"];
        all.extend_from_slice(args);
        let run = run_in(dir.path(), &all, None);
        assert_eq!(run.code, 1, "{}", run.stderr);
        run.stdout
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["rule_id"].as_str().unwrap().to_string()
            })
            .collect()
    };
    assert_eq!(rules(&[]), ["github-pat-classic", "generic-password"]);
    assert_eq!(rules(&["--min-severity", "high"]), ["github-pat-classic"]);
    assert_eq!(rules(&["--min-confidence", "high"]), ["github-pat-classic"]);
    assert_eq!(
        rules(&["--min-severity", "medium", "--min-confidence", "low"]),
        ["github-pat-classic", "generic-password"]
    );
    let bad = run_in(dir.path(), &["scan", "--min-severity", "severe"], None);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("not a severity"), "{}", bad.stderr);
}

#[test]
fn a_failed_scan_leaves_no_partial_report_and_a_device_output_is_written_directly() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    std::fs::write(&report, "the previous report\n").unwrap();
    let run = run_in(
        dir.path(),
        &[
            "scan",
            "no-such-dir",
            "--format",
            "json",
            "-o",
            "report.json",
        ],
        None,
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        "the previous report\n"
    );
    assert!(!dir.path().join("report.json.partial").exists());

    write(dir.path(), "clean.txt", "nothing to see\n");
    let run = run_in(
        dir.path(),
        &["scan", "clean.txt", "--format", "jsonl", "-o", "/dev/null"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}
