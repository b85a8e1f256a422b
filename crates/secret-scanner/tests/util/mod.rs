//! Helpers for the operator-facing tests: run the binary, build fixtures,
//! drive git. Tokens are assembled at run time.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use secret_patterns::filters::validator::base62;

pub const BIN: &str = env!("CARGO_BIN_EXE_secret-scanner");

pub fn github_token(seed: &str) -> String {
    let mut payload: String = seed.chars().filter(char::is_ascii_alphanumeric).collect();
    payload.truncate(30);
    let crc = base62(u64::from(crc32fast::hash(payload.as_bytes())), 6);
    format!("ghp_{payload}{crc}")
}

pub fn aws_key_id() -> String {
    format!("{}{}", "AKIA", "Q3ZT7WLK2MXB5RVD")
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI_COMMIT_SHA")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

pub fn run(dir: &Path, args: &[&str]) -> Run {
    run_env(dir, args, &[])
}

pub fn write(dir: &Path, rel: &str, contents: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// Two leaked credentials: a GitHub token and an AWS key id.
pub fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "config/.env",
        &format!(
            "GITHUB_TOKEN={}\n",
            github_token("Fx7Lq2Zr9Wm4Tp1Ns8Kd3Hg6Jf5Bc0Vy")
        ),
    );
    write(
        dir.path(),
        "deploy/aws.ini",
        &format!("[default]\naws_access_key_id = {}\n", aws_key_id()),
    );
    dir
}

pub fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Grace Hopper")
        .env("GIT_AUTHOR_EMAIL", "grace@example.org")
        .env("GIT_COMMITTER_NAME", "Grace Hopper")
        .env("GIT_COMMITTER_EMAIL", "grace@example.org")
        .env("GIT_AUTHOR_DATE", "2026-03-04T05:06:07Z")
        .env("GIT_COMMITTER_DATE", "2026-03-04T05:06:07Z")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// The repository root (for action.yml, the examples, the manifests).
pub fn repo_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A JSON schema outside the repository: `$env_var` names it, else
/// `../shared/schemas/NAME`. `None` (with a message) when absent.
pub fn external_schema(env_var: &str, name: &str) -> Option<serde_json::Value> {
    let path = std::env::var_os(env_var)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/schemas").join(name));
    match fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).unwrap()),
        Err(_) => {
            eprintln!("skipping: {} is absent", path.display());
            None
        }
    }
}
