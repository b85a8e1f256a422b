//! Every threat rule fires on its firing example and stays quiet on its
//! quiet one; the catalogue is complete and its ids are stable.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use stride_core::{Catalog, Model, Scope, Stride, analyze};

#[test]
fn every_rule_fires_on_its_example_and_not_on_its_quiet_one() {
    let catalog = Catalog::builtin();
    let mut failures = Vec::new();
    for rule in catalog.rules() {
        for (which, yaml, expect) in [
            ("fires", &rule.examples.fires, true),
            ("quiet", &rule.examples.quiet, false),
        ] {
            let loaded = match Model::load(&format!("{}:{which}", rule.id), yaml) {
                Ok(m) => m,
                Err(e) => {
                    failures.push(format!("{}: {which} example does not load: {e}", rule.id));
                    continue;
                }
            };
            let analysis = analyze(&loaded.model, catalog);
            let fired = analysis.threats.iter().any(|t| t.rule_id == rule.id);
            if fired != expect {
                failures.push(format!(
                    "{}: {which} example {}",
                    rule.id,
                    if expect { "did not fire" } else { "fired" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_catalogue_is_large_and_balanced() {
    let catalog = Catalog::builtin();
    let specific: Vec<_> = catalog.rules().iter().filter(|r| !r.baseline).collect();
    assert!(
        catalog.rules().len() >= 120,
        "{} rules",
        catalog.rules().len()
    );
    for s in Stride::ALL {
        let n = specific.iter().filter(|r| r.stride == s).count();
        assert!(n >= 10, "{s}: {n} rules");
    }
    // The loader already refuses a rule without CWE or CAPEC ids; what it
    // does not check: a mitigation to act on, and a title naming its subject.
    let mut failures = Vec::new();
    for r in catalog.rules() {
        if r.mitigations.is_empty() {
            failures.push(format!("{}: no mitigation", r.id));
        }
        let names = match r.scope {
            Scope::Element => &["{element}"][..],
            Scope::Flow => &["{flow}", "{source}", "{target}"][..],
        };
        if !names.iter().any(|n| r.title.contains(n)) {
            failures.push(format!(
                "{}: title {:?} names none of {names:?}",
                r.id, r.title
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rule_ids_are_stable() {
    let ids: Vec<String> = Catalog::builtin()
        .rules()
        .iter()
        .map(|r| format!("{} {} {}", r.source, r.id, r.stride))
        .collect();
    insta::assert_snapshot!(ids.join("\n"));
}

/// The 18 threats of the earlier tool, each with the rule that covers it.
#[test]
fn the_earlier_tools_threats_are_all_covered() {
    let catalog = Catalog::builtin();
    let titles: BTreeMap<&str, &str> = [
        ("credential theft", "TM-S-001"),
        ("session hijacking", "TM-S-002"),
        ("JWT manipulation", "TM-S-003"),
        ("authentication event denial", "TM-R-001"),
        ("password hash exposure", "TM-I-003"),
        ("brute force", "TM-S-004"),
        ("privilege escalation via auth bypass", "TM-E-001"),
        ("API key impersonation", "TM-S-005"),
        ("request manipulation", "TM-T-002"),
        ("excessive data exposure", "TM-I-004"),
        ("rate-limit bypass", "TM-D-002"),
        ("SQL injection", "TM-T-001"),
        ("unencrypted data at rest", "TM-I-002"),
        ("audit log tampering", "TM-T-003"),
        ("traffic interception", "TM-I-001"),
        ("DDoS", "TM-D-001"),
        ("insecure file upload", "TM-T-008"),
        ("file integrity violation", "TM-T-004"),
    ]
    .into_iter()
    .collect();
    for (threat, id) in titles {
        let rule = catalog
            .get(id)
            .unwrap_or_else(|| panic!("{threat}: rule {id} missing"));
        assert!(!rule.mitigations.is_empty(), "{threat}");
    }
}
