//! One finding per secret and file in history, `--all-objects`, and damaged
//! stores: repositories built at test time with the git command-line tool.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use secret_scan::{GitScanOptions, Introduced};

mod support;
use support::{commit_file, git, github_token, history, init, no_cache};

#[test]
fn a_secret_kept_through_30_edits_a_rename_and_a_deletion_is_one_finding_at_its_first_commit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    let token = github_token("Kept1Through2Thirty3Edits4Ok55");
    let body = |n: usize| format!("TOKEN={token}\nRETRIES={n}\n");
    let first = commit_file(root, "config/app.env", body(0).as_bytes(), "add config");
    for n in 1..=30 {
        commit_file(root, "config/app.env", body(n).as_bytes(), "tune retries");
    }
    // A rename with an edit (a new blob at a new path), then one more edit.
    git(root, &["mv", "config/app.env", "config/prod.env"]);
    let renamed = commit_file(root, "config/prod.env", body(31).as_bytes(), "rename");
    let last = commit_file(root, "config/prod.env", body(32).as_bytes(), "tune");
    git(root, &["rm", "-q", "config/prod.env"]);
    git(root, &["commit", "-q", "-m", "delete"]);

    let (c, stats) = history(root, &no_cache());
    assert_eq!(c.findings.len(), 1, "{:#?}", c.findings);
    let f = &c.findings[0];
    assert_eq!(f.path, "config/app.env");
    assert_eq!(f.line, 1);
    let g = f.git.as_ref().unwrap();
    assert_eq!(g.commit, first);
    assert_eq!(g.introduced, Introduced::First);
    assert_eq!(g.reached_from, "refs/heads/main");
    assert_eq!(g.also_in.commits, 32, "{g:#?}");
    assert_eq!(g.also_in.files, 1);
    assert_eq!(g.also_in.places, vec![format!("{renamed}:config/prod.env")]);
    assert_eq!(g.also_in.last_commit.as_deref(), Some(last.as_str()));
    assert_eq!(stats.findings_folded, 32);
    assert_eq!(stats.blobs, 33);
}

#[test]
fn a_secret_removed_and_added_back_is_a_second_finding_marked_re_added() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    let token = github_token("Removed1Then2Added3Back4Again5");
    let first = commit_file(
        root,
        "deploy.sh",
        format!("export TOKEN={token}\necho 1\n").as_bytes(),
        "add",
    );
    commit_file(
        root,
        "deploy.sh",
        b"export TOKEN=\"$VAULT_TOKEN\"\n",
        "remove",
    );
    let again = commit_file(
        root,
        "deploy.sh",
        format!("export TOKEN={token}\necho 2\n").as_bytes(),
        "oops",
    );
    let (c, _) = history(root, &no_cache());
    assert_eq!(c.findings.len(), 2, "{:#?}", c.findings);
    let origins: Vec<_> = c.findings.iter().map(|f| f.git.clone().unwrap()).collect();
    let back = origins.iter().find(|g| g.commit == again).unwrap();
    assert_eq!(
        back.introduced,
        Introduced::ReAdded {
            previous: format!("{first}:deploy.sh")
        }
    );
    assert!(
        origins
            .iter()
            .any(|g| g.commit == first && g.introduced.is_first())
    );
}

#[test]
fn a_secret_deleted_with_its_file_and_added_back_is_marked_re_added() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    let token = github_token("Deleted1File2Then3Back4Again55");
    commit_file(root, "a.env", format!("T={token}\n").as_bytes(), "add");
    git(root, &["rm", "-q", "a.env"]);
    git(root, &["commit", "-q", "-m", "delete"]);
    commit_file(
        root,
        "a.env",
        format!("T={token}\nX=1\n").as_bytes(),
        "back",
    );
    let (c, _) = history(root, &no_cache());
    assert_eq!(c.findings.len(), 2, "{:#?}", c.findings);
    assert_eq!(
        c.findings
            .iter()
            .filter(|f| matches!(
                f.git.as_ref().unwrap().introduced,
                Introduced::ReAdded { .. }
            ))
            .count(),
        1
    );
}

#[test]
fn a_secret_copied_to_a_second_file_is_a_second_finding_marked_copied() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    let token = github_token("Copied1To2Second3File4Both5Ok6");
    let first = commit_file(root, "a.env", format!("T={token}\n").as_bytes(), "add");
    let copy = commit_file(
        root,
        "b/other.env",
        format!("# copy\nT={token}\n").as_bytes(),
        "copy",
    );
    let (c, _) = history(root, &no_cache());
    assert_eq!(c.findings.len(), 2, "{:#?}", c.findings);
    let b = c.findings.iter().find(|f| f.path == "b/other.env").unwrap();
    let g = b.git.as_ref().unwrap();
    assert_eq!(g.commit, copy);
    assert_eq!(
        g.introduced,
        Introduced::Copied {
            from: format!("{first}:a.env")
        }
    );
}

#[test]
fn a_secret_only_on_a_deleted_branch_is_found_with_all_objects_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    commit_file(root, "README.md", b"hello\n", "init");
    git(root, &["checkout", "-q", "-b", "experiment"]);
    let token = github_token("Only1On2Deleted3Branch4Found55");
    let dangling = commit_file(root, "leak.env", format!("T={token}\n").as_bytes(), "leak");
    git(root, &["checkout", "-q", "main"]);
    git(root, &["branch", "-q", "-D", "experiment"]);

    let (c, _) = history(root, &no_cache());
    assert!(c.findings.is_empty(), "{:#?}", c.findings);

    let all = GitScanOptions {
        all_objects: true,
        ..no_cache()
    };
    let (c, _) = history(root, &all);
    assert_eq!(c.findings.len(), 1, "{:#?}", c.findings);
    let g = c.findings[0].git.as_ref().unwrap();
    assert_eq!(c.findings[0].path, "leak.env");
    assert_eq!(g.commit, dangling);
    assert_eq!(g.reached_from, "(unreachable)");
}

#[test]
fn a_blob_no_commit_holds_is_found_with_all_objects_and_named_by_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    commit_file(root, "README.md", b"hello\n", "init");
    let token = github_token("Loose1Blob2No3Commit4Holds5It6");
    fs::write(root.join("stray.env"), format!("T={token}\n")).unwrap();
    let blob = git(root, &["hash-object", "-w", "stray.env"]);
    fs::remove_file(root.join("stray.env")).unwrap();
    let all = GitScanOptions {
        all_objects: true,
        ..no_cache()
    };
    let (c, stats) = history(root, &all);
    assert_eq!(c.findings.len(), 1, "{:#?}", c.findings);
    let f = &c.findings[0];
    assert_eq!(f.path, format!("blob:{blob}"));
    let g = f.git.as_ref().unwrap();
    assert!(g.commit.is_empty());
    assert_eq!(g.blob, blob);
    assert_eq!(g.reached_from, "(unreachable)");
    assert_eq!(stats.unreachable_blobs, 1);
}

#[test]
fn a_corrupt_commit_is_named_and_the_walk_goes_on_past_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    let old = github_token("Before1The2Corrupt3Commit4Ok55");
    let new = github_token("After1The2Corrupt3Commit4Ok555");
    commit_file(root, "a.env", format!("A={old}\n").as_bytes(), "one");
    let broken = commit_file(root, "b.txt", b"plain\n", "two");
    commit_file(root, "c.env", format!("C={new}\n").as_bytes(), "three");
    // Overwrite the middle commit's loose object with garbage.
    let object = root
        .join(".git/objects")
        .join(&broken[..2])
        .join(&broken[2..]);
    let mut perms = fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&object, perms).unwrap();
    fs::write(&object, b"not a zlib stream").unwrap();

    let (c, stats) = history(root, &no_cache());
    assert_eq!(stats.unreadable_objects, 1, "{stats:?}");
    assert!(
        c.warnings.iter().any(|w| w.contains(&broken)),
        "{:?}",
        c.warnings
    );
    // The tip commit is still read: its secret is found.
    assert!(
        c.findings.iter().any(|f| f.secret == new),
        "{:#?}",
        c.findings
    );
    assert!(!stats.shallow);
}

#[test]
fn a_tracked_file_under_a_gitignore_pattern_is_scanned_and_an_untracked_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    let tracked = github_token("Tracked1Fixture2Json3Is4Pushed5");
    let untracked = github_token("Untracked1Local2Json3Stays4Ok5");
    commit_file(
        root,
        "fixtures/users.json",
        format!("{{\"token\": \"{tracked}\"}}\n").as_bytes(),
        "fixtures",
    );
    // `*.json` is ignored only after the fixture was committed.
    commit_file(root, ".gitignore", b"*.json\n", "ignore json");
    fs::write(
        root.join("local.json"),
        format!("{{\"token\": \"{untracked}\"}}\n"),
    )
    .unwrap();
    let scanner = support::scanner_with({
        let mut o = secret_scan::ScanOptions::default();
        o.honour_ignore_files = true;
        o
    });
    let mut c = secret_scan::Collector::default();
    scanner.scan_paths(&[root], &mut c).unwrap();
    let secrets: Vec<&str> = c.findings.iter().map(|f| f.secret.as_str()).collect();
    assert_eq!(secrets, [tracked.as_str()], "{:#?}", c.findings);
    assert!(c.findings[0].path.ends_with("fixtures/users.json"));
    // --no-ignore still scans everything.
    let all = support::scanner_with({
        let mut o = secret_scan::ScanOptions::default();
        o.honour_ignore_files = false;
        o
    });
    let mut c = secret_scan::Collector::default();
    all.scan_paths(&[root], &mut c).unwrap();
    assert_eq!(c.findings.len(), 2, "{:#?}", c.findings);
}

#[test]
fn commits_are_attributed_to_the_branch_head_names_before_others_that_sort_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    let token = github_token("Head1Branch2Named3First4Always");
    commit_file(root, "a.env", format!("T={token}\n").as_bytes(), "leak");
    // An older branch whose name sorts before `main` reaches the same commit.
    git(root, &["branch", "-q", "aaa-old-feature"]);
    let (c, _) = history(root, &no_cache());
    assert_eq!(c.findings.len(), 1);
    assert_eq!(
        c.findings[0].git.as_ref().unwrap().reached_from,
        "refs/heads/main"
    );
}

#[test]
fn a_blob_at_a_second_path_is_counted_once_however_often_its_folder_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    let token = github_token("Second1Path2Counted3Once4Only5");
    let body = format!("T={token}\n");
    commit_file(root, "a.env", body.as_bytes(), "leak");
    commit_file(
        root,
        "copy/b.env",
        body.as_bytes(),
        "same content elsewhere",
    );
    // Each of these rewrites the `copy/` tree, so the walk meets b.env again.
    for n in 0..5 {
        commit_file(root, "copy/notes.txt", format!("{n}\n").as_bytes(), "notes");
    }
    let (c, _) = history(root, &no_cache());
    assert_eq!(c.findings.len(), 1, "{:#?}", c.findings);
    let also = &c.findings[0].git.as_ref().unwrap().also_in;
    assert_eq!(
        (also.commits, also.files, also.places.len()),
        (1, 1, 1),
        "{also:#?}"
    );
}
