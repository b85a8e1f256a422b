//! Git history and staged scans on repositories built at test time with the
//! git command-line tool (the scanner itself never runs git).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use secret_patterns::Catalog;
use secret_scan::{Collector, GitCache, GitScanOptions, ScanOptions, Scanner};

mod support;
use support::{commit_file, git, github_token, history, init, no_cache, scanner};

#[test]
fn a_secret_removed_later_is_found_with_the_commit_that_added_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    let token = github_token("Removed1Later2Still3Leaked4Ok5");
    let first = commit_file(
        root,
        "config/app.env",
        format!("TOKEN={token}\n").as_bytes(),
        "add config",
    );
    commit_file(root, "config/app.env", b"TOKEN=${TOKEN}\n", "remove token");
    let (c, stats) = history(root, &no_cache());
    assert_eq!(c.findings.len(), 1, "{:?}", c.findings);
    let f = &c.findings[0];
    assert_eq!(f.path, "config/app.env");
    assert_eq!(f.secret, token);
    let g = f.git.as_ref().unwrap();
    assert_eq!(g.commit, first);
    assert_eq!(
        (g.author.as_str(), g.email.as_str()),
        ("Ada Lovelace", "ada@example.org")
    );
    assert_eq!(g.date, "2026-01-02T03:04:05Z");
    assert_eq!(stats.commits, 2);
    assert_eq!(stats.blobs, 2);
}

#[test]
fn the_same_blob_on_two_branches_is_reported_once_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    commit_file(root, "README.md", b"hello\n", "init");
    let token = github_token("Same1Blob2Two3Branches4Once5Ok");
    git(root, &["checkout", "-q", "-b", "feature"]);
    let on_feature = commit_file(
        root,
        "a/secret.txt",
        format!("t={token}\n").as_bytes(),
        "feature leak",
    );
    git(root, &["checkout", "-q", "main"]);
    commit_file(
        root,
        "b/copy.txt",
        format!("t={token}\n").as_bytes(),
        "main leak, same content",
    );
    let (c, stats) = history(root, &no_cache());
    assert_eq!(c.findings.len(), 1, "{:?}", c.findings);
    let g = c.findings[0].git.as_ref().unwrap();
    assert_eq!(g.also_in.commits, 1);
    assert_eq!(g.also_in.files, 1);
    assert_eq!(g.also_in.places.len(), 1);
    // Both leak commits have the same time: ties are broken by commit id,
    // so the attribution is stable either way.
    assert!(g.commit == on_feature || g.also_in.places[0].starts_with(&on_feature));
    assert_eq!(stats.blobs, 2);
    // --branch limits the walk.
    let only_main = GitScanOptions {
        branches: vec!["main".into()],
        ..no_cache()
    };
    let (c, _) = history(root, &only_main);
    assert_eq!(c.findings.len(), 1);
    assert_eq!(c.findings[0].path, "b/copy.txt");
}

#[test]
fn binary_blobs_are_skipped_and_since_commit_limits_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    let t1 = github_token("Binary1Blob2Is3Skipped4Here5Ok");
    let base = commit_file(
        root,
        "img.bin",
        &[b"\0\x01\x02".as_slice(), t1.as_bytes()].concat(),
        "binary",
    );
    let t2 = github_token("After1Since2Commit3Is4Found5Ok");
    commit_file(root, "later.txt", format!("{t2}\n").as_bytes(), "later");
    let (c, _) = history(root, &no_cache());
    assert_eq!(c.findings.len(), 1);
    assert_eq!(c.skipped.len(), 1);
    assert_eq!(c.skipped[0].path, "img.bin");
    let since = GitScanOptions {
        since_commit: Some(base[..10].to_string()),
        ..no_cache()
    };
    let (c, stats) = history(root, &since);
    assert_eq!(stats.commits, 1);
    assert!(c.skipped.is_empty());
    assert_eq!(c.findings[0].secret, t2);
}

#[test]
fn packed_and_loose_repositories_give_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    for i in 0..5 {
        commit_file(
            root,
            &format!("f{i}.txt"),
            format!(
                "t={}\n",
                github_token(&format!("Packed{i}Loose{i}Same{i}Results{i}ZqWxYz"))
            )
            .as_bytes(),
            "c",
        );
    }
    let (loose, _) = history(root, &no_cache());
    git(root, &["gc", "-q", "--aggressive"]);
    assert!(
        fs::read_dir(root.join(".git/objects/pack"))
            .unwrap()
            .count()
            > 0
    );
    let (packed, _) = history(root, &no_cache());
    assert_eq!(loose.findings.len(), 5);
    assert_eq!(loose.findings, packed.findings);
}

#[test]
fn a_cached_rescan_reads_no_old_blob_and_reports_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    commit_file(
        root,
        "a.txt",
        format!("{}\n", github_token("Cached1Results2Are3Reused4Ok5Z")).as_bytes(),
        "one",
    );
    commit_file(root, "b.bin", b"\0binary", "two");
    let cache = tempfile::tempdir().unwrap();
    let options = GitScanOptions {
        cache: GitCache::Dir(cache.path().to_path_buf()),
        ..Default::default()
    };
    let (first, s1) = history(root, &options);
    assert_eq!((s1.blobs_scanned, s1.blobs_cached), (2, 0));
    let (second, s2) = history(root, &options);
    assert_eq!((s2.blobs_scanned, s2.blobs_cached), (0, 2));
    assert_eq!(first.findings, second.findings);
    assert_eq!(first.skipped, second.skipped);
    // A new commit: only its blob is read.
    commit_file(root, "c.txt", b"nothing\n", "three");
    let (_, s3) = history(root, &options);
    assert_eq!((s3.blobs_scanned, s3.blobs_cached), (1, 2));
    // A changed catalogue invalidates the cache.
    let mut catalog = Catalog::builtin();
    catalog.disable("aws-access-key-id");
    let other = Scanner::new(catalog, ScanOptions::default()).unwrap();
    let (_, s4) = other
        .scan_git_history(root, &options, &mut Collector::default())
        .unwrap();
    assert_eq!(s4.blobs_cached, 0);
    // The default cache lives in the git folder.
    let (_, d1) = history(root, &GitScanOptions::default());
    assert_eq!(d1.blobs_cached, 0);
    assert!(root.join(".git/secret-scanner").is_dir());
    let (_, d2) = history(root, &GitScanOptions::default());
    assert_eq!(d2.blobs_scanned, 0);
}

#[test]
fn staged_sees_what_the_working_tree_no_longer_has() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    commit_file(
        root,
        "keep.txt",
        format!("{}\n", github_token("Committed1Already2Not3Staged4Z")).as_bytes(),
        "base",
    );
    let token = github_token("Staged1Secret2Gone3From4Tree5Z");
    fs::write(root.join("new.env"), format!("TOKEN={token}\n")).unwrap();
    git(root, &["add", "new.env"]);
    fs::write(root.join("new.env"), "TOKEN=\n").unwrap();
    let mut c = Collector::default();
    let stats = scanner().scan_git_staged(root, &mut c).unwrap();
    assert_eq!(stats.files_scanned, 1);
    assert_eq!(c.findings.len(), 1);
    assert_eq!(c.findings[0].path, "new.env");
    assert_eq!(c.findings[0].secret, token);
}

#[test]
fn not_a_repository_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = scanner()
        .scan_git_history(dir.path(), &no_cache(), &mut Collector::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a git repository"), "{err}");
    let err = scanner()
        .scan_git_staged(dir.path(), &mut Collector::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a git repository"), "{err}");
}

#[test]
fn a_shallow_clone_is_scanned_on_what_it_has() {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    fs::create_dir_all(&origin).unwrap();
    init(&origin);
    commit_file(
        &origin,
        "old.txt",
        format!("{}\n", github_token("Old1Commit2Not3In4Shallow5Clon")).as_bytes(),
        "old",
    );
    commit_file(
        &origin,
        "new.txt",
        format!("{}\n", github_token("New1Commit2Is3In4Shallow5Clone")).as_bytes(),
        "new",
    );
    let shallow = dir.path().join("shallow");
    let url = format!("file://{}", origin.display());
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ],
    );
    let (c, stats) = history(&shallow, &no_cache());
    assert_eq!(stats.commits, 1);
    // The shallow commit's tree holds both files; both are found, attributed
    // to the only commit the clone has.
    assert_eq!(c.findings.len(), 2, "{:?}", c.findings);
}

#[test]
fn a_corrupt_repository_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".git/objects")).unwrap();
    fs::write(dir.path().join(".git/HEAD"), "this is not a ref\n").unwrap();
    let err = scanner()
        .scan_git_history(dir.path(), &no_cache(), &mut Collector::default())
        .unwrap_err()
        .to_string();
    assert!(!err.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
}
