//! What operators meet: help, completions, man pages, exit codes, rule
//! selection, redaction, the summary, files the scanner writes, scanning from
//! a subfolder, progress and configuration errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

use std::process::Command;

use util::{aws_key_id, fixture, git, github_token, run, run_env, write};

#[test]
fn scan_help_groups_its_flags_and_shows_examples() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["scan", "--help"]);
    assert_eq!(r.code, 0);
    for heading in [
        "Git:",
        "Rules:",
        "Suppressions:",
        "Output:",
        "Input:",
        "Examples:",
    ] {
        assert!(r.stdout.contains(heading), "no {heading}\n{}", r.stdout);
    }
    assert!(r.stdout.contains("secret-scanner scan --staged"));
    assert!(r.stdout.contains("--exit-code N changes it"));
}

#[test]
fn completions_and_man_pages_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(dir.path(), &["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("only-rules"), "{shell}");
    }
    let r = run(dir.path(), &["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(".TH secret-scanner 1"), "{}", r.stdout);
    let r = run(dir.path(), &["man", "scan"]);
    assert!(
        r.stdout.contains(".TH secret-scanner-scan 1"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("exit\\-code"), "{}", r.stdout);
    let r = run(dir.path(), &["man", "nope"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no subcommand \"nope\""), "{}", r.stderr);
}

#[test]
fn exit_code_sets_the_code_for_findings_only() {
    let d = fixture();
    assert_eq!(run(d.path(), &["scan", "--exit-code", "3"]).code, 3);
    let r = run(d.path(), &["scan", "--exit-code", "0"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.lines().count(), 2, "findings are still reported");
    let clean = tempfile::tempdir().unwrap();
    write(clean.path(), "a.txt", "nothing here\n");
    assert_eq!(run(clean.path(), &["scan", "--exit-code", "3"]).code, 0);
}

#[test]
fn redact_and_show_secrets_the_last_one_wins() {
    let d = fixture();
    let token = github_token("Fx7Lq2Zr9Wm4Tp1Ns8Kd3Hg6Jf5Bc0Vy");
    let r = run(d.path(), &["scan", "--show-secrets", "--redact"]);
    assert!(!r.stdout.contains(&token) && r.stdout.contains("ghp_****"));
    let r = run(d.path(), &["scan", "--redact", "--show-secrets"]);
    assert!(r.stdout.contains(&token), "{}", r.stdout);
    let r = run(d.path(), &["scan"]);
    assert!(!r.stdout.contains(&token), "redacted by default");
}

#[test]
fn only_rules_and_its_alias_select_rules() {
    let d = fixture();
    for flag in ["--only-rules", "--enable-rule"] {
        let r = run(d.path(), &["scan", flag, "aws-access-key-id"]);
        assert_eq!(r.code, 1);
        assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
        assert!(r.stdout.contains("aws-access-key-id"));
    }
    let r = run(
        d.path(),
        &[
            "scan",
            "--only-rules",
            "aws-access-key-id,github-pat-classic",
        ],
    );
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    let r = run(d.path(), &["scan", "--only-rules", "no-such-rule"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--only-rules no-such-rule"),
        "{}",
        r.stderr
    );
}

#[test]
fn text_output_shows_the_fingerprint() {
    let d = fixture();
    let r = run(d.path(), &["scan", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let text = run(d.path(), &["scan"]).stdout;
    for f in doc["findings"].as_array().unwrap() {
        let fp = f["fingerprint"].as_str().unwrap();
        assert!(
            text.lines().any(|l| l.ends_with(&format!("  {fp}"))),
            "{fp} not in\n{text}"
        );
    }
}

#[test]
fn the_summary_says_what_suppressed_what() {
    let d = fixture();
    write(
        d.path(),
        "fixtures/one.env",
        &format!("KEY={}\n", github_token("Pq8Rs7Tu6Vw5Xy4Za3Bc2De1Fg0Hi9Jk")),
    );
    write(
        d.path(),
        "fixtures/two.env",
        &format!("KEY={}\n", github_token("Lm1No2Pq3Rs4Tu5Vw6Xy7Za8Bc9De0Fg")),
    );
    write(
        d.path(),
        "src/app.env",
        &format!(
            "KEY={} # secret-scanner:allow\n",
            github_token("Hi1Jk2Lm3No4Pq5Rs6Tu7Vw8Xy9Za0Bc")
        ),
    );
    write(
        d.path(),
        ".secretsignore",
        "[[ignore]]\npath = \"fixtures/**\"\nreason = \"synthetic\"\n",
    );
    let r = run(d.path(), &["scan"]);
    assert!(
        r.stderr
            .contains("; 3 suppressed: 2 by .secretsignore path entries, 1 inline"),
        "{}",
        r.stderr
    );
}

#[test]
fn files_the_scanner_writes_are_never_reported() {
    let d = fixture();
    // The README's baseline workflow, with secrets shown in the baseline.
    let r = run(
        d.path(),
        &[
            "scan",
            "--show-secrets",
            "--format",
            "json",
            "-o",
            "baseline.json",
            ".",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let r = run(d.path(), &["scan", "--baseline", "baseline.json", "."]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    // A report under another name is recognised by its content.
    std::fs::rename(d.path().join("baseline.json"), d.path().join("old.json")).unwrap();
    let r = run(
        d.path(),
        &[
            "scan",
            "--show-secrets",
            "--format",
            "jsonl",
            "-o",
            "out.jsonl",
        ],
    );
    assert_eq!(r.code, 1);
    let r = run(d.path(), &["scan", "."]);
    assert!(!r.stdout.contains("old.json"), "{}", r.stdout);
    assert!(!r.stdout.contains("out.jsonl"), "{}", r.stdout);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("in files secret-scanner wrote"),
        "{}",
        r.stderr
    );
    // An ignore file naming a fingerprint is not itself a finding.
    write(
        d.path(),
        "sub/.secretsignore",
        &format!(
            "[[ignore]]\nfingerprint = \"x:1\"\nreason = \"{}\"\n",
            aws_key_id()
        ),
    );
    let r = run(d.path(), &["scan", "."]);
    assert!(!r.stdout.contains(".secretsignore"), "{}", r.stdout);
}

#[test]
fn staged_git_and_the_ignore_file_work_from_a_subfolder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "README.md", "hello\n");
    write(root, "deep/down/notes.txt", "nothing\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "init"]);
    write(
        root,
        "app/.env",
        &format!(
            "GITHUB_TOKEN={}\n",
            github_token("Fx7Lq2Zr9Wm4Tp1Ns8Kd3Hg6Jf5Bc0Vy")
        ),
    );
    git(root, &["add", "-A"]);
    let sub = root.join("deep/down");
    let r = run(&sub, &["scan", "--staged"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.starts_with("app/.env:1:"), "{}", r.stdout);
    git(root, &["commit", "-q", "-m", "leak"]);
    let r = run(&sub, &["scan", "--git", "--no-cache"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.starts_with("app/.env:1:"), "{}", r.stdout);
    // The repository's .secretsignore applies to a scan of a subfolder,
    // its globs seeing repository paths.
    write(
        root,
        ".secretsignore",
        "[[ignore]]\npath = \"app/**\"\nreason = \"test data\"\n",
    );
    let r = run(&root.join("app"), &["scan"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let r = run(&sub, &["scan", "--staged"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
}

#[test]
fn no_progress_on_a_pipe() {
    let d = fixture();
    let r = run(d.path(), &["scan"]);
    assert!(!r.stderr.contains('\r'), "{:?}", r.stderr);
}

/// A terminal through `script` (util-linux), where it is installed.
#[test]
fn progress_on_a_terminal_shows_totals_and_stops_with_no_progress() {
    if Command::new("script").arg("--version").output().is_err() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("`script` (util-linux) is needed for the terminal test under CI=true");
        }
        eprintln!("skipping: `script` is not installed");
        return;
    }
    let d = fixture();
    let on_tty = |extra: &str| {
        let cmd = format!("{} scan . {extra} >/dev/null", util::BIN);
        let out = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(d.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // The first line may come before the count is known; at least one line
    // is drawn per run, and the rate is always there.
    let shown = on_tty("");
    assert!(shown.contains("\r\x1b[2K"), "{shown:?}");
    assert!(shown.contains("/s"), "{shown:?}");
    let hidden = on_tty("--no-progress");
    assert!(!hidden.contains("\r\x1b[2K"), "{hidden:?}");
}

#[test]
fn configuration_errors_keep_the_line_and_the_caret() {
    let d = fixture();
    write(
        d.path(),
        ".secretsignore",
        "[[ignore]]\nfingerprint = \"a:1\"\nfingerprint = \"a:2\"\nreason = \"x\"\n",
    );
    let r = run(d.path(), &["scan"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.lines().count() >= 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("3 | fingerprint = \"a:2\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains('^'), "{}", r.stderr);
    write(
        d.path(),
        "rules.toml",
        "[[rules]]\nid = \"a\"\nid = \"b\"\n",
    );
    std::fs::remove_file(d.path().join(".secretsignore")).unwrap();
    let r = run_env(d.path(), &["scan", "--config", "rules.toml"], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("rules.toml: "), "{}", r.stderr);
    assert!(r.stderr.contains("3 | id = \"b\""), "{}", r.stderr);
}
