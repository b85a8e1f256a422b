//! Code scanning and CI: SARIF for GitHub, GitLab's secret-detection report,
//! the GitHub Action and the CI examples run as written, the pre-commit hook
//! definitions, and the release and binstall metadata.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

use std::fs;
use std::path::Path;
use std::process::Command;

use util::{external_schema, fixture, git, github_token, repo_root, run, run_env, write};

fn sarif(dir: &Path, args: &[&str]) -> serde_json::Value {
    let r = run(dir, args);
    assert!(r.code <= 1, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn sarif_uris_are_relative_to_the_repository_with_a_base_id() {
    let d = fixture();
    git(d.path(), &["init", "-q", "-b", "main"]);
    let abs = d.path().join("deploy").canonicalize().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let doc = sarif(
        elsewhere.path(),
        &["scan", "--format", "sarif", abs.to_str().unwrap()],
    );
    let loc = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "deploy/aws.ini", "{loc}");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    assert!(doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"].is_object());
}

#[test]
fn sarif_rules_carry_help_on_what_it_grants_and_how_to_rotate() {
    let d = fixture();
    let doc = sarif(d.path(), &["scan", "--format", "sarif"]);
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), 2);
    for rule in rules {
        let text = rule["help"]["text"].as_str().unwrap();
        let md = rule["help"]["markdown"].as_str().unwrap();
        assert!(text.contains("How to rotate it: "), "{text}");
        assert!(md.contains("**How to rotate it:**"), "{md}");
    }
    let aws = rules
        .iter()
        .find(|r| r["id"] == "aws-access-key-id")
        .unwrap();
    assert!(aws["help"]["text"].as_str().unwrap().contains("IAM"));
}

#[test]
fn sarif_history_findings_name_the_commit_and_author() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(
        root,
        "old/.env",
        &format!(
            "GITHUB_TOKEN={}\n",
            github_token("Fx7Lq2Zr9Wm4Tp1Ns8Kd3Hg6Jf5Bc0Vy")
        ),
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "leak"]);
    git(root, &["rm", "-q", "-r", "old"]);
    git(root, &["commit", "-q", "-m", "remove"]);
    let doc = sarif(root, &["scan", "--git", "--no-cache", "--format", "sarif"]);
    let result = &doc["runs"][0]["results"][0];
    let msg = result["message"]["text"].as_str().unwrap();
    assert!(msg.contains("Introduced in commit "), "{msg}");
    assert!(msg.contains("by Grace Hopper <grace@example.org>"), "{msg}");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "old/.env");
    assert_eq!(loc["region"]["startLine"], 1);
    assert!(result["partialFingerprints"]["secretFingerprint/v1"].is_string());
    if let Some(schema) = external_schema("SARIF_SCHEMA", "sarif-schema-2.1.0.json") {
        let v = jsonschema::options().build(&schema).unwrap();
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
}

fn gitlab_report(dir: &Path) -> serde_json::Value {
    let r = run_env(
        dir,
        &["scan", "--format", "gitlab"],
        &[("SOURCE_DATE_EPOCH", "1767225600")],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// The fields GitLab's schema requires, checked without the schema.
#[test]
fn gitlab_report_has_the_required_shape() {
    let d = fixture();
    let doc = gitlab_report(d.path());
    assert_eq!(doc["version"], "15.2.1");
    let scan = &doc["scan"];
    assert_eq!(scan["type"], "secret_detection");
    assert_eq!(scan["status"], "success");
    assert_eq!(scan["start_time"], "2026-01-01T00:00:00");
    for tool in ["analyzer", "scanner"] {
        for key in ["id", "name", "version"] {
            assert!(scan[tool][key].is_string(), "{tool}.{key}");
        }
        assert!(scan[tool]["vendor"]["name"].is_string());
    }
    let vulns = doc["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulns.len(), 2);
    for v in vulns {
        assert!(v["id"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(["Critical", "High", "Medium", "Low"].contains(&v["severity"].as_str().unwrap()));
        assert_eq!(v["identifiers"][0]["type"], "secret_scanner_rule_id");
        assert!(v["location"]["file"].is_string());
        assert!(v["location"]["commit"]["sha"].is_string());
        assert!(
            v["raw_source_code_extract"]
                .as_str()
                .unwrap()
                .contains("****")
        );
    }
}

/// Against GitLab's published schema, when a copy is at
/// `$GITLAB_SECRET_DETECTION_SCHEMA` or
/// `../shared/schemas/secret-detection-report-format.json`. CI has no copy
/// (GitLab's host is not reachable from it, and the schema is never
/// committed here), so this skips with a message there too.
#[test]
fn gitlab_report_matches_gitlabs_published_schema() {
    let Some(schema) = external_schema(
        "GITLAB_SECRET_DETECTION_SCHEMA",
        "secret-detection-report-format.json",
    ) else {
        return;
    };
    let d = fixture();
    let doc = gitlab_report(d.path());
    let v = jsonschema::options().build(&schema).unwrap();
    let errors: Vec<String> = v
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

fn yaml(rel: &str) -> serde_json::Value {
    let text = fs::read_to_string(repo_root().join(rel)).unwrap();
    serde_norway::from_str(&text).unwrap()
}

/// Runs a `run:` script as GitHub would (bash, env set), with the scanner
/// on PATH.
fn bash(script: &str, dir: &Path, env: &[(&str, String)]) -> std::process::Output {
    let bin_dir = Path::new(util::BIN).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-c", script])
        .current_dir(dir)
        .env("PATH", path);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn the_github_action_scans_to_sarif_and_uploads_it() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    assert!(
        steps.iter().any(|s| s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))),
        "no upload-sarif step"
    );
    let scan = steps.iter().find(|s| s["id"] == "scan").unwrap();
    let d = fixture();
    let out = d.path().join("github-output");
    let o = bash(
        scan["run"].as_str().unwrap(),
        d.path(),
        &[
            ("SCAN_PATH", ".".into()),
            ("SCAN_HISTORY", "false".into()),
            ("SCAN_ARGS", "--min-severity low".into()),
            ("SARIF_FILE", "results.sarif".into()),
            ("GITHUB_OUTPUT", out.display().to_string()),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(fs::read_to_string(out).unwrap(), "findings=2\n");
    let doc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.path().join("results.sarif")).unwrap()).unwrap();
    assert_eq!(doc["version"], "2.1.0");
}

#[test]
fn the_gitlab_example_writes_the_report_it_declares() {
    let ci = yaml("examples/ci/gitlab-ci.yml");
    let job = &ci["secret_detection"];
    let declared = job["artifacts"]["reports"]["secret_detection"]
        .as_str()
        .unwrap();
    let script: Vec<&str> = job["script"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l.as_str())
        .filter(|l| l.starts_with("secret-scanner "))
        .collect();
    assert_eq!(script.len(), 1);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(
        root,
        "app/.env",
        &format!(
            "GITHUB_TOKEN={}\n",
            github_token("Fx7Lq2Zr9Wm4Tp1Ns8Kd3Hg6Jf5Bc0Vy")
        ),
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "leak"]);
    let o = bash(script[0], root, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root.join(declared)).unwrap()).unwrap();
    let v = &doc["vulnerabilities"][0];
    assert_eq!(v["location"]["file"], "app/.env");
    assert_eq!(
        v["location"]["commit"]["author"],
        "Grace Hopper <grace@example.org>"
    );
    assert_eq!(v["location"]["commit"]["sha"].as_str().unwrap().len(), 40);
}

#[test]
fn the_pre_commit_hooks_scan_files_and_the_index() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    let by_id = |id: &str| hooks.iter().find(|h| h["id"] == id).unwrap();
    let files = by_id("secret-scanner");
    assert_eq!(files["pass_filenames"], true);
    let staged = by_id("secret-scanner-staged");
    assert_eq!(staged["pass_filenames"], false);
    assert!(staged["entry"].as_str().unwrap().contains("--staged"));
    for h in hooks {
        let entry = h["entry"].as_str().unwrap();
        let script = repo_root().join(entry.split_whitespace().next().unwrap());
        let mode = fs::metadata(&script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        assert!(
            mode.permissions().mode() & 0o111 != 0,
            "{} is not executable",
            script.display()
        );
    }
}

#[test]
fn the_release_profile_and_binstall_metadata_are_set() {
    let root: toml::Value =
        toml::from_str(&fs::read_to_string(repo_root().join("Cargo.toml")).unwrap()).unwrap();
    let release = &root["profile"]["release"];
    assert!(["fat", "thin"].contains(&release["lto"].as_str().unwrap()));
    assert_eq!(release["codegen-units"].as_integer(), Some(1));
    assert_eq!(release["strip"].as_bool(), Some(true));
    let ours: toml::Value = toml::from_str(
        &fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap(),
    )
    .unwrap();
    let binstall = &ours["package"]["metadata"]["binstall"];
    assert!(binstall["pkg-url"].as_str().unwrap().contains("{ target }"));
}
