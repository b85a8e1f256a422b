//! Every built-in rule says how to rotate what it finds (SARIF `help`).
#![allow(clippy::unwrap_used)]

use secret_patterns::Catalog;

#[test]
fn every_builtin_rule_says_how_to_rotate_its_credential() {
    let catalog = Catalog::builtin();
    let missing: Vec<&str> = catalog
        .iter()
        .filter(|r| r.rotate().trim().is_empty())
        .map(|r| r.id())
        .collect();
    assert!(missing.is_empty(), "no `rotate` text: {missing:?}");
}

#[test]
fn a_rule_level_rotate_overrides_the_file_level_one() {
    let text = r#"
rotate = "file level"

[[rules]]
id = "a"
name = "A"
severity = "high"
regex = '''(?P<secret>aaa[0-9]{8})'''

[[rules]]
id = "b"
name = "B"
severity = "high"
regex = '''(?P<secret>bbb[0-9]{8})'''
rotate = "rule level"
"#;
    let c = Catalog::from_toml(text).unwrap();
    assert_eq!(c.get("a").unwrap().rotate(), "file level");
    assert_eq!(c.get("b").unwrap().rotate(), "rule level");
}

#[test]
fn a_syntax_error_keeps_the_line_and_the_caret() {
    let err = Catalog::from_toml_named("custom.toml", "[[rules]]\nid = \"a\"\nid = \"b\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("custom.toml: "), "{err}");
    assert!(err.lines().count() >= 3, "{err}");
    assert!(err.contains('^'), "{err}");
    assert!(err.contains("3 | id = \"b\""), "{err}");
}
