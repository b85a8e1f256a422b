//! Behaviour tests for the engine, one per promise of the crate docs.
//! Fixtures are built in temporary folders; secrets are assembled at run time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;

use secret_patterns::Catalog;
use secret_scan::{Collector, DropReason, ScanOptions, Scanner, SkipReason};

mod support;
use support::github_token;

/// A GitHub classic token with a valid checksum, built from `seed`.
fn scanner(options: ScanOptions) -> Scanner {
    Scanner::new(Catalog::builtin(), options).unwrap()
}

fn scan_text(name: &str, text: &[u8], options: ScanOptions) -> Collector {
    let mut c = Collector::default();
    scanner(options).scan_bytes(name, text, &mut c).unwrap();
    c.sort();
    c
}

fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

#[test]
fn finds_a_token_with_its_position_and_fingerprint() {
    let token = github_token("a8Kd02mZpQ4rT6vX1yB3nC5eG7hJ9");
    let text = format!("# config\nexport GH=\"{token}\"\n");
    let c = scan_text("env.sh", text.as_bytes(), ScanOptions::default());
    assert_eq!(c.findings.len(), 1, "{:?}", c.findings);
    let f = &c.findings[0];
    assert_eq!(f.rule_id, "github-pat-classic");
    assert_eq!((f.line, f.column), (2, 12));
    assert_eq!((f.end_line, f.end_column), (2, 11 + token.len()));
    assert_eq!(f.byte_offset, text.find(&token).unwrap());
    assert_eq!(f.secret, token);
    assert_eq!(
        f.fingerprint,
        secret_scan::fingerprint("github-pat-classic", token.as_bytes())
    );
}

#[test]
fn the_fingerprint_ignores_position() {
    let token = github_token("Xv5Lq9Wm2Zr7Tp4Ns8Kd1Hg6Jf3Bc0");
    let a = scan_text(
        "a.txt",
        format!("t={token}").as_bytes(),
        ScanOptions::default(),
    );
    let b = scan_text(
        "b.txt",
        format!("\n\n\n    token: {token}\n").as_bytes(),
        ScanOptions::default(),
    );
    assert_eq!(a.findings[0].fingerprint, b.findings[0].fingerprint);
}

/// A secret whose match starts exactly `L` bytes before the keyword hit's end
/// is the window's edge. Here the keyword is the prefix of the token, so a
/// match at the far edge of the window is one that *ends* L bytes after the
/// keyword; we check the generic case with a context rule whose keyword sits
/// at the start and whose value ends at the longest length the regex allows.
#[test]
fn a_secret_at_the_edge_of_the_window_is_found() {
    let rule = r#"
[[rules]]
id = "edge-case"
name = "Edge"
severity = "high"
keywords = ["edgekey"]
regex = '''edgekey=(?P<secret>[A-Za-z0-9]{10,40})\b'''
"#;
    let catalog = Catalog::from_toml(rule).unwrap();
    let l = catalog.get("edge-case").unwrap().max_match_len();
    assert_eq!(l, "edgekey=".len() + 40);
    let value = "k3Rt9Zq1Lm4Xv7Bp2Nw8Hs5Jd6Fg0Ac3Ye1Ui7Op"; // 40 characters
    let padding = "z".repeat(5000);
    let text = format!("{padding} edgekey={value} {padding}");
    let scanner = Scanner::new(catalog, ScanOptions::default()).unwrap();
    let mut c = Collector::default();
    scanner
        .scan_bytes("edge.txt", text.as_bytes(), &mut c)
        .unwrap();
    assert_eq!(c.findings.len(), 1);
    assert_eq!(c.findings[0].secret, value);
    // One byte more and the regex's bound (40) is exceeded: no match at all,
    // rather than a truncated one at the window's edge.
    let text = format!("{padding} edgekey={value}Q {padding}");
    let mut c = Collector::default();
    scanner
        .scan_bytes("edge.txt", text.as_bytes(), &mut c)
        .unwrap();
    assert!(c.findings.is_empty(), "{:?}", c.findings);
}

#[test]
fn utf16_files_are_decoded() {
    let token = github_token("Wq2Er4Ty6Ui8Op1As3Df5Gh7Jk9Lz0");
    let text = format!("line one\r\ntoken = {token}\r\n");
    for bom_le in [true, false] {
        let mut bytes = if bom_le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if bom_le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        let c = scan_text("utf16.txt", &bytes, ScanOptions::default());
        assert_eq!(c.findings.len(), 1, "bom_le={bom_le}");
        assert_eq!(c.findings[0].secret, token);
        assert_eq!((c.findings[0].line, c.findings[0].column), (2, 9));
    }
}

#[test]
fn crlf_line_ends_give_the_same_positions() {
    let token = github_token("Mn8Bv6Cx4Za2Sd1Fg3Hj5Kl7Qw9Er0");
    let lf = format!("a\nb\ntoken={token}\n");
    let crlf = lf.replace('\n', "\r\n");
    let a = scan_text("a", lf.as_bytes(), ScanOptions::default());
    let b = scan_text("a", crlf.as_bytes(), ScanOptions::default());
    assert_eq!((a.findings[0].line, a.findings[0].column), (3, 7));
    assert_eq!((b.findings[0].line, b.findings[0].column), (3, 7));
}

#[test]
fn binary_files_are_skipped_unless_asked() {
    let token = github_token("Pl0Ok9Ij8Uh7Yg6Tf5Rd4Es3Wa2Qz1");
    let bytes = [b"\x7fELF\0\0\0".as_slice(), token.as_bytes()].concat();
    let c = scan_text("app.bin", &bytes, ScanOptions::default());
    assert!(c.findings.is_empty());
    assert_eq!(c.skipped.len(), 1);
    assert_eq!(c.skipped[0].reason, SkipReason::Binary);
    let c = scan_text("app.bin", &bytes, {
        let mut o = ScanOptions::default();
        o.include_binary = true;
        o
    });
    assert_eq!(c.findings.len(), 1);
}

#[test]
fn a_huge_single_line_is_scanned() {
    let token = github_token("Zx1Cv2Bn3Ma4Sd5Fg6Hj7Kl8Qw9Er0");
    // 8 MiB of minified-looking code on one line, the token in the middle,
    // plus many keyword look-alikes that fail the regex.
    let chunk = "var a=function(b){return b+1};ghp_short;";
    let half = chunk.repeat(8 * 1024 * 1024 / 2 / chunk.len());
    let text = format!("{half}t=\"{token}\";{half}");
    let c = scan_text("app.min.js", text.as_bytes(), ScanOptions::default());
    assert_eq!(c.findings.len(), 1);
    assert_eq!(c.findings[0].line, 1);
    assert_eq!(c.findings[0].column, half.len() + 4);
}

#[test]
fn inline_allow_markers_suppress_and_explain_says_so() {
    let t1 = github_token("Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0");
    let t2 = github_token("Kk1Ll2Mm3Nn4Oo5Pp6Qq7Rr8Ss9Tt0");
    let t3 = github_token("Uu1Vv2Ww3Xx4Yy5Zz6Aa7Bb8Cc9Dd0");
    let t4 = github_token("Ee1Ff2Gg3Hh4Ii5Jj6Kk7Ll8Mm9Nn0");
    let text = format!(
        "a = \"{t1}\"  # secret-scanner:allow\n\
         b = \"{t2}\"  // gitleaks:allow\n\
         # pragma: allowlist nextline secret\n\
         c = \"{t3}\"\n\
         d = \"{t4}\"\n"
    );
    let c = scan_text("x.py", text.as_bytes(), {
        let mut o = ScanOptions::default();
        o.explain = true;
        o
    });
    assert_eq!(c.findings.len(), 1);
    assert_eq!(c.findings[0].secret, t4);
    let markers: Vec<String> = c
        .dropped
        .iter()
        .filter_map(|d| match &d.reason {
            DropReason::InlineAllow { marker } => Some(marker.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        markers,
        [
            "secret-scanner:allow",
            "gitleaks:allow",
            "pragma: allowlist nextline secret"
        ]
    );
}

#[test]
fn explain_reports_each_filter_with_its_reason() {
    let good = github_token("Gh1Ij2Kl3Mn4Op5Qr6St7Uv8Wx9Yz0");
    let bad_checksum = format!(
        "{}{}",
        &good[..good.len() - 1],
        if good.ends_with('A') { 'B' } else { 'A' }
    );
    let text = format!("GITHUB={bad_checksum}\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");
    let c = scan_text("x.env", text.as_bytes(), {
        let mut o = ScanOptions::default();
        o.explain = true;
        o
    });
    assert!(c.findings.is_empty(), "{:?}", c.findings);
    let reasons: Vec<String> = c
        .dropped
        .iter()
        .map(|d| format!("{} {}", d.rule_id, d.reason))
        .collect();
    assert!(
        reasons.iter().any(|r| r.starts_with("github-pat-classic validator: crc32-base62: checksum mismatch")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("aws-access-key-id placeholder: placeholder \"example\"")),
        "{reasons:?}"
    );
    // Without explain, nothing is reported about filtered candidates (only
    // inline allow markers are, and this text has none).
    let c = scan_text("x.env", text.as_bytes(), ScanOptions::default());
    assert!(c.dropped.is_empty());
}

#[test]
fn overlapping_rules_report_one_finding_the_most_specific() {
    let rule = r#"
[[rules]]
id = "loose-ghp"
name = "Loose"
severity = "low"
confidence = "low"
keywords = ["ghp_"]
regex = '''(?P<secret>ghp_[A-Za-z0-9]{36})'''
"#;
    let mut catalog = Catalog::builtin();
    catalog.extend(Catalog::from_toml(rule).unwrap()).unwrap();
    let scanner = Scanner::new(catalog, {
        let mut o = ScanOptions::default();
        o.explain = true;
        o
    })
    .unwrap();
    let token = github_token("Ab9Cd8Ef7Gh6Ij5Kl4Mn3Op2Qr1St0");
    let mut c = Collector::default();
    scanner
        .scan_bytes("x", format!("k={token}").as_bytes(), &mut c)
        .unwrap();
    assert_eq!(c.findings.len(), 1);
    assert_eq!(c.findings[0].rule_id, "github-pat-classic");
    assert!(c.dropped.iter().any(|d| d.rule_id == "loose-ghp"
        && d.reason
            == DropReason::Duplicate {
                kept_rule: "github-pat-classic".into()
            }));
}

#[test]
fn folders_are_walked_hidden_files_included_git_folder_and_gitignore_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let t = |s: &str| github_token(s);
    write(
        root,
        ".env",
        format!("GH={}\n", t("Hidden1File2Is3Scanned4Yes5Ok6")),
    );
    write(
        root,
        "src/app.py",
        format!("k = '{}'\n", t("Source1File2Is3Scanned4Too5Ok")),
    );
    write(root, ".gitignore", "ignored.txt\n");
    write(
        root,
        "ignored.txt",
        format!("k = {}\n", t("Ignored1By2Gitignore3Inside4Ok")),
    );
    let scan = |honour: bool| {
        let s = scanner({
            let mut o = ScanOptions::default();
            o.honour_ignore_files = honour;
            o
        });
        let mut c = Collector::default();
        s.scan_paths(&[root], &mut c).unwrap();
        c.sort();
        c.findings
            .iter()
            .map(|f| {
                Path::new(&f.path)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect::<Vec<_>>()
    };
    // Not a git repository yet: .gitignore does not apply (the `ignore`
    // crate's default, as git itself would not read it).
    assert_eq!(scan(true), [".env", "ignored.txt", "app.py"]);
    write(
        root,
        ".git/config",
        format!("k = {}\n", t("GitDir1Is2Never3Scanned4Ok5Ok")),
    );
    assert_eq!(scan(true), [".env", "app.py"]);
    assert_eq!(scan(false), [".env", "ignored.txt", "app.py"]);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_skipped_with_a_reason_and_the_scan_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "locked.txt",
        format!("k={}", github_token("Locked1File2Cannot3Be4Read5Ok")),
    );
    write(
        dir.path(),
        "open.txt",
        format!("k={}", github_token("Open1File2Is3Read4Fine5Ok6Yes")),
    );
    let locked = dir.path().join("locked.txt");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_ok() {
        // Running as root: permissions do not stop reads. Use a dangling
        // symlink, which cannot be opened by anyone, instead.
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
        fs::remove_file(&locked).unwrap();
        std::os::unix::fs::symlink(dir.path().join("missing-target"), &locked).unwrap();
    }
    let s = scanner({
        let mut o = ScanOptions::default();
        o.follow_symlinks = true;
        o
    });
    let mut c = Collector::default();
    let stats = s.scan_paths(&[dir.path()], &mut c).unwrap();
    c.sort();
    assert_eq!(c.findings.len(), 1);
    assert!(c.findings[0].path.ends_with("open.txt"));
    assert_eq!(c.skipped.len(), 1, "{:?}", c.skipped);
    assert!(c.skipped[0].path.ends_with("locked.txt"));
    assert!(matches!(c.skipped[0].reason, SkipReason::Unreadable { .. }));
    assert_eq!(stats.skipped.get("unreadable"), Some(&1));
}

#[test]
fn a_missing_root_is_an_error() {
    let s = scanner(ScanOptions::default());
    let err = s
        .scan_paths(&["/definitely/not/here"], &mut Collector::default())
        .unwrap_err();
    assert!(err.to_string().contains("/definitely/not/here"), "{err}");
}

#[test]
fn files_over_the_limit_are_skipped_with_their_size() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "big.txt", "a".repeat(2048));
    let s = scanner({
        let mut o = ScanOptions::default();
        o.max_file_size = 1024;
        o
    });
    let mut c = Collector::default();
    s.scan_paths(&[dir.path()], &mut c).unwrap();
    assert_eq!(
        c.skipped[0].reason,
        SkipReason::TooLarge {
            size: 2048,
            limit: 1024
        }
    );
}

#[test]
fn readers_are_scanned_and_output_is_the_same_in_any_thread_count() {
    let token = github_token("Stdin1Reader2Works3Fine4Ok5Ok6");
    let s = scanner(ScanOptions::default());
    let mut c = Collector::default();
    let stats = s
        .scan_reader("<stdin>", format!("x={token}").as_bytes(), &mut c)
        .unwrap();
    assert_eq!(stats.files_scanned, 1);
    assert_eq!(c.findings[0].path, "<stdin>");

    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        write(
            dir.path(),
            &format!("d{}/f{i}.txt", i % 7),
            format!(
                "n{i}\nk={}\n",
                github_token(&format!("Many{i}Files{i}In{i}Parallel{i}Zq"))
            ),
        );
    }
    let run = |threads: usize| {
        let s = scanner({
            let mut o = ScanOptions::default();
            o.threads = threads;
            o
        });
        let mut c = Collector::default();
        s.scan_paths(&[dir.path()], &mut c).unwrap();
        c.sort();
        c.findings
    };
    let one = run(1);
    assert_eq!(one.len(), 40);
    assert_eq!(one, run(4));
}

#[test]
fn an_aws_secret_key_is_paired_with_the_key_id_next_to_it() {
    let id = format!("{}{}", "AKIA", "Q3ZT7WLK2MXB5RVD");
    let secret = format!("{}{}", "Zk8q2Lw9Xr4Tn7Vb1Mc6Hd3Jf5Gs0", "Pa+Yb/QeRuW");
    let text = format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n");
    let c = scan_text("credentials", text.as_bytes(), ScanOptions::default());
    let key = c
        .findings
        .iter()
        .find(|f| f.rule_id == "aws-secret-access-key")
        .unwrap();
    assert_eq!(key.secret, secret);
    assert_eq!(key.groups.get("access_key_id"), Some(&id));
    // Far apart: no pairing.
    let far = format!(
        "aws_access_key_id = {id}\n{}aws_secret_access_key = {secret}\n",
        "\n".repeat(30)
    );
    let c = scan_text("credentials", far.as_bytes(), ScanOptions::default());
    let key = c
        .findings
        .iter()
        .find(|f| f.rule_id == "aws-secret-access-key")
        .unwrap();
    assert!(key.groups.is_empty());
}

#[test]
fn a_token_with_a_wrong_checksum_is_not_reported_by_a_generic_rule_either() {
    let good = github_token("Claim1By2The3Specific4Rule5Okk");
    let last = if good.ends_with('A') { 'B' } else { 'A' };
    let bad = format!("{}{last}", &good[..good.len() - 1]);
    let text = format!("GITHUB_TOKEN={bad}\n");
    let c = scan_text("x.env", text.as_bytes(), {
        let mut o = ScanOptions::default();
        o.explain = true;
        o
    });
    assert!(c.findings.is_empty(), "{:?}", c.findings);
    assert!(
        c.dropped.iter().any(|d| d.rule_id == "generic-token"
            && d.reason
                == DropReason::Duplicate {
                    kept_rule: "github-pat-classic".into()
                }),
        "{:?}",
        c.dropped
    );
}
