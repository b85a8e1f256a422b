//! Bounded findings: an input full of matches reports at most the limits,
//! then one warning per rule (and per input) saying how many more.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use secret_patterns::Catalog;
use secret_scan::{Collector, ScanOptions, Scanner};

#[test]
fn findings_are_bounded_per_rule_and_per_input_on_a_large_input() {
    let id = format!("{}{}", "AKIA", "Q3ZT7WLK2MXB5RVD");
    let token = format!("sk_{}_{}", "live", "4eC39HqLyjWDarjtT1zdp7dc9Xw2LmQa");
    // About 2 MB: an AWS key id and a Stripe key on every line.
    let line = format!("id = {id}  stripe = {token}  {}\n", "-".repeat(30));
    let text = line.repeat(2 * 1024 * 1024 / line.len());
    let lines = text.lines().count();
    let scanner = Scanner::new(Catalog::builtin(), {
        let mut o = ScanOptions::default();
        o.max_findings_per_rule = 50;
        o.max_findings_per_file = 80;
        o
    })
    .unwrap();
    let mut found = Collector::default();
    let stats = scanner
        .scan_bytes("big.env", text.as_bytes(), &mut found)
        .unwrap();
    assert_eq!(found.findings.len(), 80);
    assert_eq!(stats.findings, 80);
    let more = |rule: &str| format!("big.env: rule {rule}: {} more findings", lines - 50);
    let w = found.warnings.join("\n");
    assert!(w.contains(&more("aws-access-key-id")), "{w}");
    assert!(w.contains(&more("stripe-secret-key")), "{w}");
    assert!(
        w.contains("big.env: 20 more findings not listed (at most 80 in one input)"),
        "{w}"
    );
    // No limit: every finding.
    let scanner = Scanner::new(Catalog::builtin(), {
        let mut o = ScanOptions::default();
        o.max_findings_per_rule = 0;
        o.max_findings_per_file = 0;
        o
    })
    .unwrap();
    let small = line.repeat(300);
    let mut found = Collector::default();
    scanner
        .scan_bytes("s.env", small.as_bytes(), &mut found)
        .unwrap();
    assert_eq!(found.findings.len(), 600);
    assert!(found.warnings.is_empty());
}
