//! Unit tests of the strict gitleaks import.

use super::*;

const CONFIG: &str = r#"
title = "team rules"

[allowlist]
description = "global"
paths = ['''(^|/)vendor/''']
stopwords = ["sandbox"]

[[rules]]
id = "Acme_Token"
description = "ACME token"
regex = '''acme_(?:live|sandbox)_([A-Za-z0-9]{20})'''
secretGroup = 1
entropy = 3.0
keywords = ["acme_"]
[rules.allowlist]
regexTarget = "line"
regexes = ['''fixture''']
"#;

#[test]
fn imports_rules_and_allow_lists() {
    let catalog = Catalog::from_gitleaks_toml(CONFIG).unwrap();
    let rule = catalog.get("acme-token").unwrap();
    assert_eq!(rule.keywords(), ["acme_"]);
    let text = b"key = acme_live_Zq8xW2rT5yU7iO9pL3kJ";
    let hits = rule.find_all(text, Some("src/app.py"));
    assert_eq!(hits.len(), 1);
    assert_eq!(&text[hits[0].0.secret.clone()], b"Zq8xW2rT5yU7iO9pL3kJ");
    assert!(hits[0].1.is_ok());
    // The global path allow list.
    assert!(rule.find_all(text, Some("vendor/lib.py")).is_empty());
    // The rule's line allow list.
    let fixture = b"key = acme_live_Zq8xW2rT5yU7iO9pL3kJ # fixture";
    assert!(rule.find_all(fixture, None)[0].1.is_err());
    // Low entropy.
    let flat = b"key = acme_live_aaaaaaaaaabbbbbbbbbb";
    let verdict = &rule.find_all(flat, None)[0].1;
    assert_eq!(verdict.as_ref().unwrap_err().filter, crate::Filter::Entropy);
}

#[test]
fn names_the_rule_with_a_broken_regex() {
    let err = Catalog::from_gitleaks_toml("[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("rule \"x\"") && err.contains("invalid regex"),
        "{err}"
    );
}

#[test]
fn refuses_path_only_rules_by_name() {
    let err = Catalog::from_gitleaks_toml("[[rules]]\nid = \"pem-file\"\npath = '''\\.pem$'''\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("pem-file") && err.contains("path-only"),
        "{err}"
    );
}
