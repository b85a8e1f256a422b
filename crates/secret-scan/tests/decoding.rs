//! Encoded secrets: base64 (both alphabets), hex, percent-encoding and
//! chains of them, found with every rule and reported at the encoded run.
//! Secrets are assembled at run time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use secret_patterns::Catalog;
use secret_scan::{Collector, ScanOptions, Scanner};

mod support;
use support::github_token;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn percent_all(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn scan_with(text: &str, options: ScanOptions) -> Collector {
    let mut c = Collector::default();
    Scanner::new(Catalog::builtin(), options)
        .unwrap()
        .scan_bytes("input.txt", text.as_bytes(), &mut c)
        .unwrap();
    c
}

fn scan(text: &str) -> Collector {
    scan_with(text, ScanOptions::default())
}

/// (line, column, rule, chain, secret) of every finding.
fn found(c: &Collector) -> Vec<(usize, usize, String, Vec<String>, String)> {
    c.findings
        .iter()
        .map(|f| {
            (
                f.line,
                f.column,
                f.rule_id.clone(),
                f.decoded.clone(),
                f.secret.clone(),
            )
        })
        .collect()
}

fn chain(steps: &[&str]) -> Vec<String> {
    steps.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_base64_github_token_in_a_kubernetes_secret_is_the_github_rule_with_chain_base64() {
    let token = github_token("k8sdata2mZpQ4rT6vX1yB3nC5eG7hJ");
    let encoded = STANDARD.encode(&token);
    let manifest = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ntype: Opaque\ndata:\n  token: {encoded}\n"
    );
    let c = scan(&manifest);
    // One finding: the decoded token, not also a generic one for the
    // base64 text.
    assert_eq!(
        found(&c),
        [(
            7,
            10,
            "github-pat-classic".into(),
            chain(&["base64"]),
            token.clone()
        )]
    );
    let f = &c.findings[0];
    assert_eq!(f.byte_offset, manifest.find(&encoded).unwrap());
    assert_eq!((f.end_line, f.end_column), (7, 9 + encoded.len()));
    // The fingerprint is the token's, as if it were written out.
    assert_eq!(
        f.fingerprint,
        secret_scan::fingerprint("github-pat-classic", token.as_bytes())
    );
}

#[test]
fn each_encoding_is_decoded() {
    let token = github_token("eachenc2mZpQ4rT6vX1yB3nC5eG7hJ");
    for (encoding, encoded) in [
        ("base64", STANDARD.encode(format!("token={token}"))),
        ("base64", URL_SAFE_NO_PAD.encode(format!("{token}??>>"))),
        ("hex", hex(token.as_bytes())),
        ("percent", percent_all(&token)),
    ] {
        let text = format!("value = \"{encoded}\"\n");
        let c = scan(&text);
        assert_eq!(
            found(&c),
            [(
                1,
                10,
                "github-pat-classic".into(),
                chain(&[encoding]),
                token.clone()
            )],
            "{encoding}: {encoded}"
        );
    }
}

#[test]
fn a_double_encoding_is_decoded_with_its_chain() {
    let token = github_token("doubled2mZpQ4rT6vX1yB3nC5eG7hJ");
    let encoded = STANDARD.encode(hex(token.as_bytes()));
    let text = format!("x: {encoded}\n");
    let c = scan(&text);
    assert_eq!(
        found(&c),
        [(
            1,
            4,
            "github-pat-classic".into(),
            chain(&["base64", "hex"]),
            token.clone()
        )]
    );
    // One level is not enough; zero turns decoding off.
    for depth in [0, 1] {
        let c = scan_with(&text, {
            let mut o = ScanOptions::default();
            o.max_decode_depth = depth;
            o
        });
        assert!(
            c.findings.iter().all(|f| f.rule_id != "github-pat-classic"),
            "depth {depth}: {:?}",
            found(&c)
        );
    }
}

#[test]
fn provider_checksums_apply_to_decoded_text() {
    let token = github_token("checksum2mZpQ4rT6vX1yB3nC5eG7h");
    // Break the checksum: the decoded text is a malformed token.
    let broken = format!("{}AAAAAA", &token[..token.len() - 6]);
    let c = scan(&format!("t: {}\n", STANDARD.encode(&broken)));
    assert!(
        c.findings.iter().all(|f| f.rule_id != "github-pat-classic"),
        "{:?}",
        found(&c)
    );
}

#[test]
fn a_secret_written_out_is_not_reported_again_through_an_encoding() {
    let token = github_token("plaintxt2mZpQ4rT6vX1yB3nC5eG7h");
    // A URL whose query is percent-encoded around a token written as is.
    let text = format!("url: https://example.org/cb?token={token}&next=%2Fhome%2Fdashboard\n");
    let c = scan(&text);
    let rules: Vec<(String, Vec<String>)> = c
        .findings
        .iter()
        .map(|f| (f.rule_id.clone(), f.decoded.clone()))
        .collect();
    assert_eq!(rules, [("github-pat-classic".to_string(), vec![])]);
}

#[test]
fn an_inline_allow_marker_silences_a_decoded_secret() {
    let token = github_token("allowedd2mZpQ4rT6vX1yB3nC5eG7h");
    let text = format!(
        "token: {}  # secret-scanner:allow\n",
        STANDARD.encode(&token)
    );
    assert!(scan(&text).findings.is_empty());
}
