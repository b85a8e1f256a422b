//! Risk: a rule's default DREAD factors, moved by the model's facts, scored
//! with the `dread` crate, each factor with its rationale.

use std::collections::BTreeMap;

use dread::{DreadFactor, DreadScore, DreadVariant, Rating};

use crate::condition::{Fact, Facts};
use crate::finding::{FactorValue, Risk};
use crate::rule::Rule;

/// The rule's DREAD defaults moved by model facts, with the reasons.
pub(crate) fn risk(rule: &Rule, facts: &Facts, prefix: &str) -> Risk {
    let get = |n: &str| facts.get(&format!("{prefix}{n}")).or_else(|| facts.get(n));
    let exposed = get("internet_exposed") == Some(&Fact::Bool(true))
        || facts.get("from_internet") == Some(&Fact::Bool(true));
    let lvl = match facts.get("data").or_else(|| get("data")) {
        Some(Fact::Level(l)) => *l,
        _ => -1,
    };
    let pii = facts.get("pii").or_else(|| get("pii")) == Some(&Fact::Bool(true));
    let mut v = rule.dread;
    let mut why: [Vec<String>; 5] = Default::default();
    for (i, w) in why.iter_mut().enumerate() {
        w.push(format!("rule default {}", v[i]));
    }
    let mut bump = |i: usize, by: u8, reason: &str| {
        let new = (v[i] + by).min(10);
        if new != v[i] {
            why[i].push(format!("+{} {reason}", new - v[i]));
            v[i] = new;
        }
    };
    if exposed {
        bump(2, 2, "internet exposure");
        bump(4, 1, "internet exposure");
    }
    if lvl >= 3 {
        bump(0, 2, "restricted data");
        bump(3, 1, "restricted data");
    } else if lvl == 2 {
        bump(0, 1, "confidential data");
    }
    if pii {
        bump(3, 1, "personal data");
    }
    // Every value is within 0-10 (rule files are checked, bumps are capped),
    // so the score is built directly rather than through a fallible constructor.
    let rating = |i: usize| Rating {
        value: v[i],
        rationale: Some(why[i].join(", ")),
    };
    let score = DreadScore {
        damage: rating(0),
        reproducibility: rating(1),
        exploitability: rating(2),
        affected_users: rating(3),
        discoverability: rating(4),
    };
    let mut factors = BTreeMap::new();
    for (i, f) in DreadFactor::ALL.into_iter().enumerate() {
        let key = match f {
            DreadFactor::Damage => "damage",
            DreadFactor::Reproducibility => "reproducibility",
            DreadFactor::Exploitability => "exploitability",
            DreadFactor::AffectedUsers => "affected_users",
            DreadFactor::Discoverability => "discoverability",
        };
        factors.insert(
            key.to_string(),
            FactorValue {
                value: v[i],
                rationale: why[i].join(", "),
            },
        );
    }
    let s = (score.score(DreadVariant::Standard) * 100.0).round() / 100.0;
    Risk {
        method: crate::finding::RiskMethod::Dread,
        score: s,
        severity: score.severity(DreadVariant::Standard),
        factors,
    }
}
