//! Checks every built-in rule against its own examples, through the real
//! matcher (regex, allow list, placeholders, randomness, validator).

use secret_patterns::Catalog;

#[test]
fn every_rule_passes_its_examples() {
    let catalog = Catalog::builtin();
    let failures: Vec<String> = catalog
        .iter()
        .flat_map(|rule| {
            rule.check_examples()
                .into_iter()
                .map(move |f| format!("{}: {f}", rule.id()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_is_complete() {
    let catalog = Catalog::builtin();
    let mut failures = Vec::new();
    for rule in &catalog {
        let mut missing = Vec::new();
        if rule.description().trim().is_empty() {
            missing.push("a description");
        }
        // A rule limited to some paths may have no keyword: it then runs on
        // every file of those paths (a master.key file is 32 hex digits).
        if rule.keywords().is_empty() && !rule.has_path_condition() {
            missing.push("a keyword (or a path condition)");
        }
        if rule.examples().len() < 2 {
            missing.push("two examples");
        }
        if rule.negative_examples().len() < 2 {
            missing.push("two negative examples");
        }
        if rule.references().is_empty() {
            missing.push("a reference");
        }
        if !rule.regex().capture_names().any(|n| n == Some("secret")) {
            missing.push("a named group `secret`");
        }
        if rule
            .negative_examples()
            .iter()
            .any(|n| n.why.trim().is_empty())
        {
            missing.push("a `why` on every negative example");
        }
        if rule.has_path_condition() && rule.examples().iter().any(|e| e.path.is_none()) {
            missing.push("a `path` on every example (the rule is path-limited)");
        }
        if !missing.is_empty() {
            failures.push(format!("{} lacks {}", rule.id(), missing.join(", ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rule_ids_are_stable() {
    let catalog = Catalog::builtin();
    let ids: Vec<String> = catalog
        .iter()
        .map(|r| format!("{} {}", r.source(), r.id()))
        .collect();
    insta::assert_snapshot!(ids.join("\n"));
}

#[test]
fn pairs_name_existing_rules() {
    let catalog = Catalog::builtin();
    for rule in &catalog {
        if let Some(pair) = rule.pair() {
            assert!(
                catalog.get(&pair.with).is_some(),
                "{}: pair.with {:?} names no rule",
                rule.id(),
                pair.with
            );
        }
    }
}

/// The minimum size of the built-in catalogue.
const MIN_RULES: usize = 200;

#[test]
fn the_catalogue_is_large_enough() {
    let n = Catalog::builtin().len();
    assert!(n >= MIN_RULES, "{n} rules, expected at least {MIN_RULES}");
}

/// Rules compile with ASCII classes (smaller automata); a pattern that needs
/// Unicode still compiles, with it.
#[test]
fn unicode_classes_still_compile_in_custom_rules() {
    let c = Catalog::from_toml(
        "[[rules]]\nid = \"u\"\nname = \"U\"\nseverity = \"low\"\nkeywords = [\"clé\"]\nregex = '''clé=(?P<secret>\\p{L}{8,})'''\n",
    )
    .unwrap();
    let hits = c
        .get("u")
        .unwrap()
        .find_all("clé=ÉtéHiverÉtéHiver".as_bytes(), None);
    assert_eq!(hits.len(), 1);
}

#[test]
fn a_hand_built_candidate_out_of_bounds_is_rejected_not_a_panic() {
    use secret_patterns::{Candidate, filters::Filter};
    let catalog = Catalog::builtin();
    let text = b"token = abc";
    for rule in catalog.iter() {
        for (span, secret) in [(0..40, 8..11), (8..11, 0..11), (20..30, 22..25)] {
            let candidate = Candidate {
                span,
                secret,
                groups: Vec::new(),
            };
            let verdict = rule.judge_at(text, &candidate, Some("a.rs"));
            let rejection = verdict.expect_err("an out-of-bounds candidate is refused");
            assert_eq!(rejection.filter, Filter::Validator, "{}", rule.id());
        }
    }
}
