//! Importing gitleaks configurations: our own small file that uses every
//! construct of the format, and the stock gitleaks configuration when one
//! is at hand (it is never committed here: set `GITLEAKS_TOML` to its path,
//! or put it at `../shared/gitleaks/gitleaks.toml`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use secret_patterns::Catalog;

/// Every construct of the format, in a file of our own.
const EVERY_CONSTRUCT: &str = r#"
title = "every construct"
minVersion = "v8.25.0"

[extend]
useDefault = true
disabledRules = ["generic-api-key"]

[allowlist]
description = "global, with a Go-only regex"
regexes = ['''^\$(?:\d+|{\d+})$''', '''^\${(?:[A-Z_]+|[a-z_]+)}$''']
paths = ['''(?:^|/)vendor/''']
stopwords = ["sandbox"]

[[allowlists]]
targetRules = ["acme-token"]
regexes = ['''EXAMPLE''']

[[rules]]
id = "stripe-secret-key"
description = "Clashes with a built-in id"
regex = '''sk_live_[A-Za-z0-9]{24}'''
keywords = ["sk_live_"]

[[rules]]
id = "acme-token"
description = "ACME token"
regex = '''acme_([a-z0-9]{24})'''
secretGroup = 1
entropy = 2.5
keywords = ["acme_"]
tags = ["custom"]
[[rules.allowlists]]
condition = "AND"
paths = ['''test/''']
regexes = ['''fixture''']
[[rules.allowlists]]
commits = ["0123456789abcdef0123456789abcdef01234567"]
regexTarget = "line"
regexes = ['''# example''']

[[rules]]
id = "acme-part"
description = "Only feeds a composite rule"
regex = '''acme_part_[a-z]{8}'''
skipReport = true

[[rules]]
id = "acme-composite"
description = "Composite"
regex = '''acme_host_[a-z]{8}'''
keywords = ["acme_host_"]
[[rules.required]]
id = "acme-part"
withinLines = 2

[[rules]]
id = "pkcs12-file"
path = '''(?i)\.p(?:12|fx)$'''

[[rules]]
id = "backreference"
regex = '''(a)\1(?=b)'''

[[rules]]
id = "odd-setting"
regex = '''odd_[a-z]{10}'''
frobnicate = true
"#;

fn notes_of(text: &str) -> (Catalog, Vec<String>) {
    let import = Catalog::import_gitleaks(text, &Catalog::builtin()).unwrap();
    (import.catalog, import.notes)
}

fn has(notes: &[String], parts: &[&str]) -> bool {
    notes.iter().any(|n| parts.iter().all(|p| n.contains(p)))
}

#[test]
fn every_gitleaks_construct_is_imported_or_reported() {
    let (catalog, notes) = notes_of(EVERY_CONSTRUCT);
    let all = notes.join("\n");
    // A clashing id is namespaced; the rule is there.
    assert!(catalog.get("gitleaks:stripe-secret-key").is_some(), "{all}");
    assert!(
        has(&notes, &["namespaced gitleaks:ID", "stripe-secret-key"]),
        "{all}"
    );
    // The Go-only global allow-list regexes load (no note about them).
    assert!(!has(&notes, &["[allowlist]", "invalid regex"]), "{all}");
    // [extend]
    assert!(has(&notes, &["[extend] useDefault"]), "{all}");
    assert!(has(&notes, &["disabledRules", "generic-api-key"]), "{all}");
    // Rule-level settings.
    assert!(
        has(&notes, &["\"acme-part\"", "skipReport", "left out"]),
        "{all}"
    );
    assert!(catalog.get("acme-part").is_none());
    assert!(has(&notes, &["\"acme-composite\"", "required"]), "{all}");
    assert!(catalog.get("acme-composite").is_some());
    assert!(
        has(&notes, &["\"pkcs12-file\"", "path-only", "left out"]),
        "{all}"
    );
    assert!(has(&notes, &["\"backreference\"", "left out"]), "{all}");
    assert!(has(&notes, &["\"odd-setting\"", "`frobnicate`"]), "{all}");
    assert!(catalog.get("odd-setting").is_some());
    // Allow lists: AND over two tests is left out, commits reported.
    assert!(has(&notes, &["\"acme-token\" allowlist 1", "AND"]), "{all}");
    assert!(
        has(&notes, &["\"acme-token\" allowlist 2", "commits"]),
        "{all}"
    );
    // One line each: no note spans lines.
    assert!(notes.iter().all(|n| !n.contains('\n')), "{all}");
}

#[test]
fn imported_allow_lists_apply_as_gitleaks_means_them() {
    let (catalog, _) = notes_of(EVERY_CONSTRUCT);
    let rule = catalog.get("acme-token").unwrap();
    let token = format!("acme_{}", "k3j9x7q2m5v8b1n4c6z0w2e4");
    let line = format!("token = {token}\n");
    assert!(
        rule.find_all(line.as_bytes(), Some("src/a.py"))[0]
            .1
            .is_ok()
    );
    // The global path allow list applies.
    assert!(
        rule.find_all(line.as_bytes(), Some("vendor/a.py"))
            .is_empty()
    );
    // The AND allow list was left out: a fixture line under test/ is still
    // reported (more findings, never fewer).
    let fixture = format!("token = {token} # fixture\n");
    assert!(
        rule.find_all(fixture.as_bytes(), Some("test/a.py"))[0]
            .1
            .is_ok()
    );
    // The line allow list applies.
    let example = format!("token = {token} # example\n");
    assert!(rule.find_all(example.as_bytes(), None)[0].1.is_err());
}

#[test]
fn a_global_allowlist_error_names_the_allowlist_and_field() {
    let text = "[allowlist]\nregexes = ['''(unclosed''']\n[[rules]]\nid = \"x\"\nregex = '''x_[a-z]{8}'''\n";
    let (catalog, notes) = notes_of(text);
    assert!(catalog.get("x").is_some());
    assert!(
        has(
            &notes,
            &["[allowlist]", "`regexes` entry 1", "invalid regex"]
        ),
        "{notes:?}"
    );
    assert!(!has(&notes, &["rule \"x\""]), "{notes:?}");
}

#[test]
fn the_stock_gitleaks_configuration_loads() {
    let path = std::env::var("GITLEAKS_TOML")
        .unwrap_or_else(|_| "../../../shared/gitleaks/gitleaks.toml".into());
    let Ok(text) = std::fs::read_to_string(&path) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true") || std::env::var("GITLEAKS_TOML").is_err(),
            "GITLEAKS_TOML is set under CI but {path} cannot be read"
        );
        eprintln!("skipped: no stock gitleaks configuration at {path} (set GITLEAKS_TOML)");
        return;
    };
    let import = Catalog::import_gitleaks(&text, &Catalog::builtin()).unwrap();
    let total = text.matches("[[rules]]").count();
    for note in &import.notes {
        eprintln!("note: {note}");
    }
    assert!(total > 100, "{total} rules: is this the stock file?");
    assert_eq!(
        import.catalog.len() + import.skipped_rules,
        total,
        "every rule is imported or reported"
    );
    // Nearly all load.
    assert!(
        import.skipped_rules * 20 <= total,
        "{} of {total} rules left out",
        import.skipped_rules
    );
    let mut all = Catalog::builtin();
    all.extend(import.catalog).unwrap();
}
