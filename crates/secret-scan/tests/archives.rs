//! Archives: formats recognised by content, nested locations, the bounds
//! that stop zip bombs, and archives in git history and staged changes.
//! Every archive is built at test time; secrets are assembled at run time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Write};
use std::path::Path;
use std::process::Command;

use secret_patterns::Catalog;
use secret_scan::{
    ArchiveLimits, Collector, GitCache, GitScanOptions, ScanOptions, Scanner, SkipReason,
};

mod support;
use support::github_token;

/// An `.env` file whose second line holds a token.
fn env_file(token: &str) -> Vec<u8> {
    format!("# settings\nGITHUB_TOKEN={token}\n").into_bytes()
}

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

fn tar(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, bytes) in entries {
        let mut h = tar::Header::new_ustar();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *bytes).unwrap();
    }
    b.into_inner().unwrap()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn bz2(bytes: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn xz(bytes: &[u8]) -> Vec<u8> {
    let mut e =
        lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1)).unwrap();
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn scan(name: &str, bytes: &[u8], options: ScanOptions) -> Collector {
    let mut c = Collector::default();
    Scanner::new(Catalog::builtin(), options)
        .unwrap()
        .scan_bytes(name, bytes, &mut c)
        .unwrap();
    c
}

fn places(c: &Collector) -> Vec<String> {
    c.findings
        .iter()
        .map(|f| format!("{}:{}:{} {}", f.path, f.line, f.column, f.rule_id))
        .collect()
}

#[test]
fn a_token_in_a_zip_inside_a_tar_gz_is_reported_at_its_nested_location() {
    let token = github_token("nested9Kd02mZpQ4rT6vX1yB3nC5eG");
    let inner = zip(&[("config/app.env", &env_file(&token))]);
    let outer = gz(&tar(&[("README", b"hello\n"), ("lib/inner.zip", &inner)]));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bundle.tar.gz"), &outer).unwrap();
    let mut c = Collector::default();
    let scanner = Scanner::new(Catalog::builtin(), ScanOptions::default()).unwrap();
    let stats = scanner.scan_paths(&[dir.path()], &mut c).unwrap();
    let shown = c.findings[0].path.clone();
    assert!(
        shown.ends_with("bundle.tar.gz!lib/inner.zip!config/app.env"),
        "{shown}"
    );
    assert_eq!(places(&c), [format!("{shown}:2:14 github-pat-classic")]);
    assert_eq!(c.findings[0].secret, token);
    assert_eq!(stats.files_scanned, 1);
    assert!(c.skipped.is_empty(), "{:?}", c.skipped);
}

#[test]
fn zips_are_recognised_by_content_whatever_their_name() {
    let token = github_token("jarjar02mZpQ4rT6vX1yB3nC5eG7hJ");
    let jar = zip(&[
        ("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n"),
        ("Main.class", b"\xca\xfe\xba\xbe\0\0\0\x34binary"),
        ("application.properties", &env_file(&token)),
    ]);
    for name in ["app.jar", "site.war", "app.apk", "no-extension"] {
        let c = scan(name, &jar, ScanOptions::default());
        assert_eq!(
            places(&c),
            [format!(
                "{name}!application.properties:2:14 github-pat-classic"
            )]
        );
        // The binary class file is passed over, not reported.
        assert!(c.skipped.is_empty(), "{:?}", c.skipped);
    }
}

#[test]
fn gzip_bzip2_xz_and_compressed_tars_are_opened() {
    let token = github_token("formats2mZpQ4rT6vX1yB3nC5eG7hJ");
    let env = env_file(&token);
    let tarred = tar(&[("etc/app.env", &env)]);
    let cases: [(&str, Vec<u8>, &str); 7] = [
        ("app.env.gz", gz(&env), "app.env.gz!app.env"),
        ("app.env.bz2", bz2(&env), "app.env.bz2!app.env"),
        ("app.env.xz", xz(&env), "app.env.xz!app.env"),
        ("b.tar", tarred.clone(), "b.tar!etc/app.env"),
        ("b.tgz", gz(&tarred), "b.tgz!etc/app.env"),
        ("b.tar.bz2", bz2(&tarred), "b.tar.bz2!etc/app.env"),
        ("b.tar.xz", xz(&tarred), "b.tar.xz!etc/app.env"),
    ];
    for (name, bytes, place) in cases {
        let c = scan(name, &bytes, ScanOptions::default());
        assert_eq!(places(&c), [format!("{place}:2:14 github-pat-classic")]);
    }
}

#[test]
fn a_zip_bomb_member_is_skipped_with_the_reason_not_expanded() {
    // 8 MiB of zeros deflate to about 8 KiB: a ratio near 1000.
    let zeros = vec![0u8; 8 << 20];
    let token = github_token("bombsafe2mZpQ4rT6vX1yB3nC5eG7h");
    let bomb = zip(&[("zeros.bin", &zeros), ("app.env", &env_file(&token))]);
    assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
    let c = scan("bomb.zip", &bomb, ScanOptions::default());
    assert_eq!(c.skipped.len(), 1, "{:?}", c.skipped);
    assert_eq!(c.skipped[0].path, "bomb.zip!zeros.bin");
    let SkipReason::ArchiveLimit { detail } = &c.skipped[0].reason else {
        panic!("{:?}", c.skipped[0].reason);
    };
    assert!(detail.contains("expands over 100x"), "{detail}");
    // The rest of the archive is still scanned.
    assert_eq!(places(&c), ["bomb.zip!app.env:2:14 github-pat-classic"]);
}

#[test]
fn a_bomb_in_a_gzip_stream_stops_at_the_bound() {
    // A gzip declares no size: decompression itself must stop.
    let bomb = gz(&vec![b'a'; 16 << 20]);
    let c = scan("logs.gz", &bomb, ScanOptions::default());
    assert_eq!(c.skipped.len(), 1, "{:?}", c.skipped);
    assert_eq!(c.skipped[0].path, "logs.gz!logs");
    assert_eq!(c.skipped[0].reason.label(), "archive-limit");
    assert!(
        c.skipped[0].reason.to_string().contains("stopped after"),
        "{}",
        c.skipped[0].reason
    );
}

#[test]
fn the_total_expanded_size_is_bounded_across_members() {
    let block: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect(); // 800 KB
    let token = github_token("budget02mZpQ4rT6vX1yB3nC5eG7hJ");
    let archive = zip(&[
        ("a.dat", &block),
        ("b.dat", &block),
        ("late.env", &env_file(&token)),
    ]);
    let options = {
        let mut o = ScanOptions::default();
        o.archives = ArchiveLimits {
            max_total_size: 1_000_000,
            ..ArchiveLimits::default()
        };
        o.include_binary = true;
        o
    };
    let c = scan("big.zip", &archive, options);
    let skipped: Vec<(&str, &str)> = c
        .skipped
        .iter()
        .map(|s| (s.path.as_str(), s.reason.label()))
        .collect();
    // b.dat would pass the budget and is skipped by its declared size; the
    // small file after it still fits.
    assert_eq!(skipped, [("big.zip!b.dat", "archive-limit")]);
    assert!(
        c.skipped[0]
            .reason
            .to_string()
            .contains("1000000-byte limit")
    );
    assert_eq!(places(&c), ["big.zip!late.env:2:14 github-pat-classic"]);
}

#[test]
fn archives_nested_past_the_depth_bound_are_skipped() {
    let token = github_token("deepdown2mZpQ4rT6vX1yB3nC5eG7h");
    let mut bytes = zip(&[("app.env", &env_file(&token))]);
    for level in 0..3 {
        bytes = zip(&[(&format!("level{level}.zip"), &bytes)]);
    }
    // Four zips deep: found with the default depth (5)...
    let c = scan("top.zip", &bytes, ScanOptions::default());
    assert_eq!(
        places(&c),
        ["top.zip!level2.zip!level1.zip!level0.zip!app.env:2:14 github-pat-classic"]
    );
    // ...skipped, with the reason, at depth 2.
    let options = {
        let mut o = ScanOptions::default();
        o.archives = ArchiveLimits {
            max_depth: 2,
            ..ArchiveLimits::default()
        };
        o
    };
    let c = scan("top.zip", &bytes, options);
    assert!(c.findings.is_empty());
    assert_eq!(c.skipped.len(), 1);
    assert_eq!(c.skipped[0].path, "top.zip!level2.zip!level1.zip");
    assert!(c.skipped[0].reason.to_string().contains("deeper than 2"));
}

#[test]
fn with_archives_off_an_archive_is_a_binary_file() {
    let archive = zip(&[("a.env", b"x")]);
    let options = {
        let mut o = ScanOptions::default();
        o.archives = ArchiveLimits::off();
        o
    };
    let c = scan("a.zip", &archive, options);
    assert_eq!(c.skipped[0].reason, SkipReason::Binary);
}

#[test]
fn a_damaged_archive_is_skipped_as_unreadable_and_never_panics() {
    let mut bytes = zip(&[("a.env", b"TOKEN=x\n")]);
    bytes.truncate(bytes.len() / 2);
    let c = scan("broken.zip", &bytes, ScanOptions::default());
    assert_eq!(c.skipped[0].reason.label(), "bad-archive");
    for junk in [
        &b"PK\x03\x04"[..],
        b"\x1f\x8b\x08\0\0\0",
        b"BZh91AY&SY\0\0",
        b"\xfd7zXZ\0\0\0",
    ] {
        let c = scan("junk", junk, ScanOptions::default());
        assert!(c.findings.is_empty());
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.org")
        .env("GIT_COMMITTER_NAME", "Ada Lovelace")
        .env("GIT_COMMITTER_EMAIL", "ada@example.org")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}");
}

#[test]
fn a_zip_committed_to_git_is_found_by_history_and_staged_scans() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let token = github_token("historic2mZpQ4rT6vX1yB3nC5eG7h");
    git(root, &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(root.join("dist")).unwrap();
    std::fs::write(
        root.join("dist/release.zip"),
        zip(&[("conf/app.env", &env_file(&token))]),
    )
    .unwrap();
    git(root, &["add", "-A"]);
    let scanner = Scanner::new(Catalog::builtin(), ScanOptions::default()).unwrap();
    let mut staged = Collector::default();
    scanner.scan_git_staged(root, &mut staged).unwrap();
    assert_eq!(
        places(&staged),
        ["dist/release.zip!conf/app.env:2:14 github-pat-classic"]
    );

    git(root, &["commit", "-q", "-m", "release"]);
    let cache = tempfile::tempdir().unwrap();
    let options = GitScanOptions {
        cache: GitCache::Dir(cache.path().to_path_buf()),
        ..Default::default()
    };
    // Twice: the second run reads the cache, which keeps the member path.
    for run in ["scanned", "cached"] {
        let mut c = Collector::default();
        let (_, g) = scanner.scan_git_history(root, &options, &mut c).unwrap();
        assert_eq!(g.blobs_cached, u64::from(run == "cached"));
        assert_eq!(
            places(&c),
            ["dist/release.zip!conf/app.env:2:14 github-pat-classic"],
            "{run}"
        );
        assert!(c.findings[0].git.is_some());
    }
}
