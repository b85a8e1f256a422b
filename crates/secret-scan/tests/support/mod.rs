//! Helpers shared by the git tests: repositories built with the git
//! command-line tool, deterministic authors and dates, valid GitHub tokens.
#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::process::Command;

use secret_patterns::Catalog;
use secret_patterns::filters::validator::base62;
use secret_scan::{Collector, GitCache, GitScanOptions, ScanOptions, Scanner};

/// A valid classic GitHub token (its CRC-32 checksum right) from a seed:
/// the seed's letters and digits, padded to 30 when short.
pub fn github_token(seed: &str) -> String {
    let mut payload: String = seed.chars().filter(char::is_ascii_alphanumeric).collect();
    while payload.len() < 30 {
        payload.push_str("Qz7Lp3Xv9");
    }
    payload.truncate(30);
    let crc = base62(u64::from(crc32fast::hash(payload.as_bytes())), 6);
    format!("ghp_{payload}{crc}")
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.org")
        .env("GIT_COMMITTER_NAME", "Ada Lovelace")
        .env("GIT_COMMITTER_EMAIL", "ada@example.org")
        .env("GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z")
        .env("GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub fn init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
}

pub fn commit_file(dir: &Path, rel: &str, contents: &[u8], msg: &str) -> String {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", msg]);
    git(dir, &["rev-parse", "HEAD"])
}

pub fn scanner() -> Scanner {
    Scanner::new(Catalog::builtin(), ScanOptions::default()).unwrap()
}

pub fn history(dir: &Path, options: &GitScanOptions) -> (Collector, secret_scan::GitStats) {
    let mut c = Collector::default();
    let (_, stats) = scanner().scan_git_history(dir, options, &mut c).unwrap();
    c.sort();
    (c, stats)
}

pub fn no_cache() -> GitScanOptions {
    GitScanOptions {
        cache: GitCache::Off,
        ..Default::default()
    }
}

pub fn scanner_with(options: ScanOptions) -> Scanner {
    Scanner::new(Catalog::builtin(), options).unwrap()
}
