//! Scanning many repositories, sharded: N workers in separate processes,
//! then `merge`, give byte for byte the single-process report; a missing or
//! duplicated shard is an error naming it; the deployment manifests hold
//! the command line each worker runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

use std::fs;
use std::path::{Path, PathBuf};

use util::{aws_key_id, git, github_token, repo_root, run_env, write};

/// Runs the binary with a fixed report time (GitLab's report holds the scan's
/// start and end: with `SOURCE_DATE_EPOCH` set they are fixed).
fn run(dir: &Path, args: &[&str]) -> util::Run {
    run_env(dir, args, &[("SOURCE_DATE_EPOCH", "1767225600")])
}

/// A dozen small repositories (some sharing a secret, one with two commits
/// and a deleted secret), a folder that is not a repository and a clone URL.
/// Returns the list file.
fn organisation(root: &Path) -> PathBuf {
    let mut list = String::from("# the organisation\n");
    for k in 0..12 {
        let repo = root.join(format!("repo-{k:02}"));
        fs::create_dir_all(&repo).unwrap();
        git(&repo, &["init", "-q", "-b", "main"]);
        write(&repo, "README.md", &format!("repository {k}\n"));
        let token = github_token(&format!("seedforrepository{k:02}abcdefghijklmnopqrstuv"));
        write(&repo, "config/app.env", &format!("GITHUB_TOKEN={token}\n"));
        if k % 3 == 0 {
            // The same key in several repositories: one finding each.
            write(
                &repo,
                "deploy/aws.ini",
                &format!("aws_access_key_id = {}\n", aws_key_id()),
            );
        }
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "-m", "first"]);
        if k % 4 == 1 {
            fs::remove_file(repo.join("config/app.env")).unwrap();
            write(&repo, "src/lib.rs", "pub fn f() {}\n");
            git(&repo, &["add", "-A"]);
            git(&repo, &["commit", "-q", "-m", "remove the token"]);
        }
        // Trailing slashes and repeats name the same repository.
        let suffix = if k == 5 { "/" } else { "" };
        list.push_str(&format!("{}{suffix}\n", repo.display()));
    }
    list.push_str(&format!("{}\n", root.join("repo-03").display()));
    let not_repo = root.join("not-a-repository");
    fs::create_dir_all(&not_repo).unwrap();
    list.push_str(&format!("{}\n\n", not_repo.display()));
    list.push_str("https://git.example.org/org/remote-only.git\n");
    let path = root.join("repos.txt");
    fs::write(&path, list).unwrap();
    path
}

/// Runs the N shards, each in its own process; returns the shard files.
fn shards(dir: &Path, list: &Path, n: u64, mode: &str) -> Vec<String> {
    (0..n)
        .map(|i| {
            let out = dir.join(format!("shard-{mode}-{i}-of-{n}.jsonl"));
            let r = run(
                dir,
                &[
                    "scan",
                    "--repos",
                    list.to_str().unwrap(),
                    "--repos-mode",
                    mode,
                    "--shard",
                    &format!("{i}/{n}"),
                    "--format",
                    "jsonl",
                    "-o",
                    out.to_str().unwrap(),
                ],
            );
            assert!(r.code == 0 || r.code == 1, "shard {i}/{n}: {}", r.stderr);
            out.to_str().unwrap().to_string()
        })
        .collect()
}

fn merge(dir: &Path, files: &[String], format: &str) -> util::Run {
    let mut args = vec!["merge", "--format", format];
    args.extend(files.iter().map(String::as_str));
    run(dir, &args)
}

#[test]
fn shards_merge_to_the_single_process_report_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let list = organisation(dir.path());
    let list_arg = list.to_str().unwrap();
    for mode in ["history", "tree"] {
        let formats: &[&str] = match mode {
            "history" => &["jsonl", "json", "sarif", "text", "gitlab"],
            _ => &["json"],
        };
        let single: Vec<String> = formats
            .iter()
            .map(|format| {
                let r = run(
                    dir.path(),
                    &[
                        "scan",
                        "--repos",
                        list_arg,
                        "--repos-mode",
                        mode,
                        "--format",
                        format,
                    ],
                );
                assert_eq!(r.code, 1, "{mode} {format}: {}", r.stderr);
                r.stdout
            })
            .collect();
        // Every repository once; the clone URL and the plain folder skipped.
        let json = &single[formats.iter().position(|f| *f == "json").unwrap()];
        let doc: serde_json::Value = serde_json::from_str(json).unwrap();
        let findings = doc["findings"].as_array().unwrap();
        let repos: std::collections::BTreeSet<&str> = findings
            .iter()
            .map(|f| f["path"].as_str().unwrap().split_once(':').unwrap().0)
            .collect();
        // The tree no longer holds the tokens deleted in repo-01 and repo-05.
        let expected = if mode == "history" { 12 } else { 10 };
        assert_eq!(repos.len(), expected, "{mode}: {repos:?}");
        let skipped = doc["skipped"].to_string();
        assert!(skipped.contains("remote-only"), "{skipped}");
        assert!(skipped.contains("clone URL"), "{skipped}");
        if mode == "history" {
            assert!(skipped.contains("not-a-repository"), "{skipped}");
            assert!(skipped.contains("\"kind\":\"unreadable\""), "{skipped}");
            // The deleted token is still found, in its commit.
            assert!(findings.iter().any(|f| {
                f["path"]
                    .as_str()
                    .unwrap()
                    .contains("repo-01:config/app.env")
            }));
        }
        for n in [3, 5] {
            let files = shards(dir.path(), &list, n, mode);
            let repositories: u64 = files
                .iter()
                .map(|f| {
                    let text = fs::read_to_string(f).unwrap();
                    let last: serde_json::Value =
                        serde_json::from_str(text.lines().last().unwrap()).unwrap();
                    last["shard"]["repositories"].as_u64().unwrap()
                })
                .sum();
            assert_eq!(repositories, 14, "each listed repository in one shard");
            for (format, expected) in formats.iter().zip(&single) {
                let r = merge(dir.path(), &files, format);
                assert_eq!(r.code, 1, "{}", r.stderr);
                assert!(
                    r.stderr.contains(&format!("shard {}/{n}", n - 1)),
                    "{}",
                    r.stderr
                );
                assert!(
                    r.stdout == *expected,
                    "{mode}, {n} shards, {format}: the merged report differs"
                );
            }
        }
    }
}

#[test]
fn a_missing_shard_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let list = organisation(dir.path());
    let mut files = shards(dir.path(), &list, 3, "history");
    files.remove(1);
    let r = merge(dir.path(), &files, "json");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing shard 1/3"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn a_duplicated_shard_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let list = organisation(dir.path());
    let mut files = shards(dir.path(), &list, 3, "history");
    files.push(files[2].clone());
    let r = merge(dir.path(), &files, "json");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("duplicated shard 2/3"), "{}", r.stderr);
}

#[test]
fn an_unfinished_shard_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let list = organisation(dir.path());
    let files = shards(dir.path(), &list, 1, "history");
    let text = fs::read_to_string(&files[0]).unwrap();
    let cut: Vec<&str> = text.lines().collect();
    fs::write(&files[0], cut[..cut.len() - 1].join("\n")).unwrap();
    let r = merge(dir.path(), &files, "json");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no shard trailer"), "{}", r.stderr);
}

#[test]
fn shard_needs_jsonl_and_a_valid_share() {
    let dir = tempfile::tempdir().unwrap();
    let list = organisation(dir.path());
    let list = list.to_str().unwrap();
    let r = run(dir.path(), &["scan", "--repos", list, "--shard", "0/2"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--format jsonl"), "{}", r.stderr);
    let r = run(
        dir.path(),
        &[
            "scan", "--repos", list, "--shard", "2/2", "--format", "jsonl",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid shard"), "{}", r.stderr);
}

fn yaml(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn command_line(container: &serde_json::Value) -> String {
    ["command", "args"]
        .iter()
        .filter_map(|k| container[k].as_array())
        .flatten()
        .map(|v| v.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_kubernetes_manifests_run_one_shard_per_index_and_a_merge() {
    let k8s = repo_root().join("deploy/kubernetes");
    let scan = yaml(&k8s.join("scan-job.yaml"));
    assert_eq!(scan["kind"], "Job");
    let spec = &scan["spec"];
    assert_eq!(spec["completionMode"], "Indexed");
    let n = spec["completions"].as_u64().unwrap();
    assert!(n >= 2);
    let pod = &spec["template"]["spec"];
    let container = &pod["containers"][0];
    let line = command_line(container);
    for part in [
        "secret-scanner scan",
        "--repos /list/repos.txt",
        &format!("--shard $(JOB_COMPLETION_INDEX)/{n}"),
        "--format jsonl",
        "-o /out/shard-$(JOB_COMPLETION_INDEX).jsonl",
    ] {
        assert!(line.contains(part), "{part:?} not in {line:?}");
    }
    let mounts = container["volumeMounts"].to_string();
    assert!(
        mounts.contains("/out") && mounts.contains("/list"),
        "{mounts}"
    );
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);

    let merge = yaml(&k8s.join("merge-job.yaml"));
    assert_eq!(merge["kind"], "Job");
    let line = command_line(&merge["spec"]["template"]["spec"]["containers"][0]);
    assert!(line.contains("secret-scanner merge"), "{line}");
    assert!(line.contains("/out/shard-"), "{line}");
    assert!(line.contains("--format sarif"), "{line}");
}

#[test]
fn the_github_workflow_is_a_matrix_of_shards_and_a_merge_uploading_sarif() {
    let wf = yaml(&repo_root().join("deploy/github-actions/org-scan.yml"));
    let jobs = wf["jobs"].as_object().unwrap();
    let scan = jobs
        .values()
        .find(|j| !j["strategy"]["matrix"]["shard"].is_null());
    let scan = scan.expect("a job with a matrix of shards");
    let shards = scan["strategy"]["matrix"]["shard"].as_array().unwrap();
    assert!(shards.len() >= 2);
    let scan_text = scan.to_string();
    assert!(
        scan_text.contains("--shard ${{ matrix.shard }}/"),
        "{scan_text}"
    );
    let merge = jobs
        .values()
        .find(|j| j.to_string().contains("secret-scanner merge"))
        .expect("a merge job");
    assert!(!merge["needs"].is_null());
    let merge_text = merge.to_string();
    assert!(merge_text.contains("--format sarif"), "{merge_text}");
    assert!(
        merge_text.contains("github/codeql-action/upload-sarif"),
        "{merge_text}"
    );
}

#[test]
fn the_image_is_multi_stage_static_and_not_root() {
    let path = repo_root().join("deploy/Dockerfile");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.matches("\nFROM ").count() + usize::from(text.starts_with("FROM ")) >= 2);
    assert!(text.contains("musl"), "a static binary");
    let user = text
        .lines()
        .rfind(|l| l.starts_with("USER "))
        .expect("a USER line");
    assert!(!user.contains("root") && user.trim() != "USER 0", "{user}");
}

#[test]
fn a_trailer_claiming_a_huge_shard_count_is_answered_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("forged.jsonl");
    fs::write(
        &file,
        "{\"shard\":{\"index\":0,\"count\":18446744073709551615,\"repositories\":0,\"findings\":0,\"skipped\":[]}}\n",
    )
    .unwrap();
    let r = merge(dir.path(), &[file.to_str().unwrap().to_string()], "json");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("missing shards 1/18446744073709551615"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("more"), "{}", r.stderr);
}

#[test]
fn tree_mode_skips_a_bare_repository_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    fs::create_dir_all(&src).unwrap();
    git(&src, &["init", "-q", "-b", "main"]);
    write(&src, "a.txt", "a\n");
    git(&src, &["add", "-A"]);
    git(&src, &["commit", "-q", "-m", "a"]);
    git(dir.path(), &["clone", "-q", "--bare", "src", "bare.git"]);
    let list = dir.path().join("list.txt");
    fs::write(
        &list,
        format!("{}\n", dir.path().join("bare.git").display()),
    )
    .unwrap();
    let args = [
        "scan",
        "--repos",
        list.to_str().unwrap(),
        "--repos-mode",
        "tree",
        "--format",
        "json",
    ];
    let r = run(dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("a bare repository has no work tree"),
        "{}",
        r.stdout
    );
}
