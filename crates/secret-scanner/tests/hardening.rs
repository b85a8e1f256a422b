//! Regression tests for the defects an adversarial run found (issue 20,
//! items 2-13): no silent misses, no leaks, bounded cost. Each test is named
//! after the behaviour it pins. Secrets are assembled at run time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_secret-scanner");

fn aws_pair() -> (String, String) {
    (
        format!("{}{}", "AKIA", "Q3ZT7WLK2MXB5RVD"),
        format!("{}{}", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "ZX93KSW2HJ"),
    )
}

fn aws_file() -> String {
    let (id, key) = aws_pair();
    format!("aws_access_key_id = {id}\naws_secret_access_key = {key}\n")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn finish(c: &mut Command) -> Run {
    let out = c.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    finish(&mut cmd(dir, args))
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

// Item 2.
#[test]
fn groups_are_redacted_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("aws.env"), aws_file()).unwrap();
    let (id, key) = aws_pair();
    for format in ["json", "jsonl", "sarif", "text"] {
        let r = run(
            dir.path(),
            &["scan", "aws.env", "--format", format, "--explain"],
        );
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        for leaked in [&id, &key, &key[..20].to_string(), &id[4..].to_string()] {
            assert!(
                !r.stdout.contains(leaked.as_str()),
                "{format}: {}",
                r.stdout
            );
            assert!(
                !r.stderr.contains(leaked.as_str()),
                "{format}: {}",
                r.stderr
            );
        }
    }
    // The pair is there, redacted; --show-secrets shows it.
    let r = run(dir.path(), &["scan", "aws.env", "--format", "json"]);
    assert!(
        r.stdout.contains("\"access_key_id\": \"AKIA****\""),
        "{}",
        r.stdout
    );
    let r = run(
        dir.path(),
        &["scan", "aws.env", "--format", "json", "--show-secrets"],
    );
    assert!(r.stdout.contains(&id), "{}", r.stdout);
}

// Item 3.
#[cfg(unix)]
#[test]
fn named_fifo_input_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut f = fs::OpenOptions::new().write(true).open(fifo).unwrap();
            f.write_all(aws_file().as_bytes()).unwrap();
        })
    };
    let r = run(dir.path(), &["scan", "pipe", "--format", "json"]);
    writer.join().unwrap();
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = json(&r);
    assert_eq!(doc["stats"]["files_scanned"], 1);
    assert_eq!(doc["findings"][0]["path"], "pipe");
}

#[cfg(unix)]
#[test]
fn dev_stdin_named_on_the_command_line_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = cmd(dir.path(), &["scan", "/dev/stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(aws_file().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("/dev/stdin:1:21  aws-access-key-id"),
        "{stdout}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn an_endless_named_device_is_bounded_by_max_file_size() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(
        dir.path(),
        &[
            "scan",
            "/dev/zero",
            "--max-file-size",
            "64K",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json(&r);
    assert_eq!(doc["skipped"][0]["reason"]["kind"], "too-large");
    assert_eq!(doc["stats"]["skipped"]["too-large"], 1);
}

#[cfg(unix)]
#[test]
fn symlinked_files_in_a_tree_are_listed_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("tree")).unwrap();
    fs::write(dir.path().join("outside.env"), aws_file()).unwrap();
    std::os::unix::fs::symlink("../outside.env", dir.path().join("tree/link.env")).unwrap();
    let r = run(dir.path(), &["scan", "tree", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json(&r);
    assert_eq!(doc["skipped"][0]["path"], "tree/link.env");
    assert_eq!(doc["skipped"][0]["reason"]["kind"], "symlink");
    assert_eq!(doc["skipped"][0]["reason"]["target"], "../outside.env");
    assert_eq!(doc["stats"]["skipped"]["symlink"], 1);
    let r = run(dir.path(), &["scan", "tree"]);
    assert!(r.stderr.contains("skipped 1 symlink"), "{}", r.stderr);
}

// Item 4.
#[test]
fn an_unreadable_named_input_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let long = "a/".repeat(3000);
    let r = run(dir.path(), &["scan", &long]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
    #[cfg(unix)]
    if !is_root() {
        use std::os::unix::fs::PermissionsExt;
        let f = dir.path().join("secret.env");
        fs::write(&f, aws_file()).unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o000)).unwrap();
        let r = run(dir.path(), &["scan", "secret.env"]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    }
}

#[cfg(unix)]
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_in_a_tree_is_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("tree")).unwrap();
    // A pipe inside a tree is never read (it could block): listed instead.
    assert!(
        Command::new("mkfifo")
            .arg(dir.path().join("tree/pipe"))
            .status()
            .unwrap()
            .success()
    );
    let mut expected = 1;
    if !is_root() {
        use std::os::unix::fs::PermissionsExt;
        let f = dir.path().join("tree/secret.env");
        fs::write(&f, aws_file()).unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o000)).unwrap();
        expected += 1;
    }
    let r = run(dir.path(), &["scan", "tree", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json(&r);
    assert_eq!(doc["stats"]["skipped"]["unreadable"], expected);
    assert_eq!(doc["skipped"].as_array().unwrap().len(), expected);
    assert!(
        r.stderr.contains("warning: skipped tree/pipe"),
        "{}",
        r.stderr
    );
}

// Item 5.
#[test]
fn findings_over_the_per_rule_limit_become_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (id, _) = aws_pair();
    let text: String = (0..1_500).map(|i| format!("key{i} = {id}\n")).collect();
    fs::write(dir.path().join("many.env"), text).unwrap();
    let r = run(dir.path(), &["scan", "many.env", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = json(&r);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 1_000);
    let warnings = doc["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = warnings[0].as_str().unwrap();
    assert!(
        w.contains("aws-access-key-id: 500 more findings not listed"),
        "{w}"
    );
    assert!(r.stderr.contains("500 more findings"), "{}", r.stderr);
}

// Item 6.
#[test]
fn threads_over_the_cap_are_lowered_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "nothing\n").unwrap();
    let r = run(dir.path(), &["scan", "a.txt", "--threads", "100000000"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("--threads 100000000 is more than"),
        "{}",
        r.stderr
    );
}

fn git(dir: &Path, args: &[&str], author: &str) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", "a@example.org")
        .env("GIT_COMMITTER_NAME", "c")
        .env("GIT_COMMITTER_EMAIL", "c@example.org")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

// Item 7.
#[test]
fn a_staged_blob_over_the_limit_is_skipped_by_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"], "a");
    let mut big = aws_file();
    big.push_str(&"x".repeat(200 * 1024));
    fs::write(root.join("big.env"), big).unwrap();
    git(root, &["add", "big.env"], "a");
    let r = run(
        root,
        &[
            "scan",
            "--staged",
            ".",
            "--max-file-size",
            "100K",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = json(&r);
    assert_eq!(doc["skipped"][0]["reason"]["kind"], "too-large");
    assert!(doc["skipped"][0]["reason"]["size"].as_u64().unwrap() > 200 * 1024);
}

// Item 8.
#[cfg(unix)]
#[test]
fn control_characters_in_names_are_escaped_in_text_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("a\nforged.env:9:9  fake-rule"), aws_file()).unwrap();
    let r = run(root, &["scan", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .lines()
            .all(|l| l.starts_with("a\\nforged.env:9:9  fake-rule:")),
        "{}",
        r.stdout
    );
    // Git authors cannot drive the terminal.
    git(root, &["init", "-q", "-b", "main"], "a");
    git(root, &["add", "-A"], "a");
    git(
        root,
        &["commit", "-q", "-m", "x"],
        "evil\u{1b}[2J\u{1b}]0;title\u{7}",
    );
    let r = run(root, &["scan", "--git", "--no-cache", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
    assert!(r.stdout.contains("evil\\u{1b}[2J"), "{}", r.stdout);
}

// Item 9.
#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_keeps_the_previous_one() {
    let dir = tempfile::tempdir().unwrap();
    let (id, _) = aws_pair();
    let text: String = (0..300).map(|i| format!("key{i} = {id}\n")).collect();
    fs::write(dir.path().join("many.env"), text).unwrap();
    fs::write(dir.path().join("report.json"), "the previous report\n").unwrap();
    // A file size limit of 8 KiB stands in for a full disk: writes past it
    // fail with EFBIG (the signal is ignored so the write returns).
    let script = format!(
        "trap '' XFSZ; ulimit -f 16; exec '{BIN}' scan many.env --format json -o report.json"
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("report.json")).unwrap(),
        "the previous report\n"
    );
    assert!(!dir.path().join("report.json.partial").exists());
}

// Item 10.
#[test]
fn oversized_configuration_files_are_refused_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("a.txt"), "nothing\n").unwrap();
    let big = fs::File::create(root.join("big")).unwrap();
    big.set_len(17 * 1024 * 1024).unwrap();
    for flag in [
        "--config",
        "--gitleaks-config",
        "--baseline",
        "--ignore-file",
    ] {
        let r = run(root, &["scan", "a.txt", flag, "big"]);
        assert_eq!(r.code, 2, "{flag}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{flag}: {}", r.stderr);
        assert!(
            r.stderr.contains("larger than 16 MiB"),
            "{flag}: {}",
            r.stderr
        );
    }
    fs::create_dir(root.join("tree")).unwrap();
    fs::rename(root.join("big"), root.join("tree/.secretsignore")).unwrap();
    let r = run(root, &["scan", "tree"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("larger than 16 MiB"), "{}", r.stderr);
}

// Item 11.
#[cfg(unix)]
#[test]
fn the_history_cache_is_created_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"], "a");
    fs::write(root.join("aws.env"), aws_file()).unwrap();
    git(root, &["add", "-A"], "a");
    git(root, &["commit", "-q", "-m", "x"], "a");
    let r = run(root, &["scan", "--git", ".", "--cache", "cache"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let files: Vec<_> = fs::read_dir(root.join("cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!files.is_empty());
    for f in files {
        let mode = fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", f.display());
    }
}

// Item 12.
#[test]
fn a_utf8_bom_does_not_shift_columns() {
    let dir = tempfile::tempdir().unwrap();
    let (id, _) = aws_pair();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(format!("{id}\n").as_bytes());
    fs::write(dir.path().join("bom.txt"), bytes).unwrap();
    let r = run(dir.path(), &["scan", "bom.txt", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let f = &json(&r)["findings"][0];
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn utf16_without_a_bom_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("[creds]\r\n{}", aws_file());
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    fs::write(dir.path().join("le.ini"), le).unwrap();
    fs::write(dir.path().join("be.ini"), be).unwrap();
    let r = run(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = json(&r);
    assert_eq!(doc["stats"]["files_scanned"], 2, "{doc}");
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 4, "{doc}");
    for f in findings {
        if f["rule_id"] == "aws-access-key-id" {
            assert_eq!(
                (f["line"].as_u64(), f["column"].as_u64()),
                (Some(2), Some(21))
            );
        }
    }
}

// Item 13 (the stock file is tested in secret-patterns; here the notes).
#[test]
fn gitleaks_settings_not_supported_are_reported_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("gl.toml"),
        "[extend]\nuseDefault = true\n[allowlist]\nregexes = ['''^\\$(?:\\d+|{\\d+})$''']\n\
         [[rules]]\nid = \"stripe-secret-key\"\nregex = '''sk_live_[a-z]{8}'''\n\
         [[rules]]\nid = \"only-path\"\npath = '''\\.p12$'''\n",
    )
    .unwrap();
    fs::write(dir.path().join("a.txt"), "nothing\n").unwrap();
    let r = run(
        dir.path(),
        &["scan", "a.txt", "--gitleaks-config", "gl.toml"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 3, "{}", r.stderr);
    assert!(r.stderr.contains("useDefault"), "{}", r.stderr);
    assert!(r.stderr.contains("\"only-path\""), "{}", r.stderr);
    assert!(
        r.stderr.contains("gitleaks:ID (stripe-secret-key)"),
        "{}",
        r.stderr
    );
}
