//! Threat rules as data: the TOML format, conditions and the catalogue.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::condition::Condition;
use crate::stride::Stride;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One element.
    Element,
    /// One flow with its source, target, crossings and data.
    Flow,
}

/// A mitigation: what to do about a threat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mitigation {
    /// Stable id, e.g. `MIT-MFA`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// What to do.
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rules: Vec<RuleSpec>,
    #[serde(default)]
    mitigations: Vec<Mitigation>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    stride: Stride,
    scope: Scope,
    title: String,
    description: String,
    #[serde(default)]
    when: Vec<String>,
    #[serde(default)]
    any: Vec<String>,
    #[serde(default)]
    baseline: bool,
    #[serde(default)]
    mitigated_by: Vec<String>,
    mitigations: Vec<String>,
    cwe: Vec<u32>,
    capec: Vec<u32>,
    #[serde(default)]
    references: Vec<String>,
    dread: [u8; 5],
    examples: RuleExamples,
}

/// A model where a rule must fire and one where it must not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleExamples {
    /// YAML model in which the rule fires.
    pub fires: String,
    /// YAML model in which it does not.
    pub quiet: String,
}

/// A threat rule, parsed and checked.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id, e.g. `TM-S-001`.
    pub id: String,
    /// The STRIDE category.
    pub stride: Stride,
    /// Element or flow.
    pub scope: Scope,
    /// Title template (`{element}`, `{flow}`, `{source}`, `{target}`).
    pub title: String,
    /// What the threat is.
    pub description: String,
    /// Conditions that must all hold.
    pub when: Vec<Condition>,
    /// Conditions of which one must hold (when not empty).
    pub any: Vec<Condition>,
    /// A STRIDE-per-element baseline rule: fires only where no other rule
    /// covered the same element and category, so coverage is total.
    pub baseline: bool,
    /// Declared controls that mitigate it (`mfa`, `flow.encrypted`,
    /// `target.waf`...).
    pub mitigated_by: Vec<String>,
    /// The mitigations, resolved.
    pub mitigations: Vec<Mitigation>,
    /// CWE ids.
    pub cwe: Vec<u32>,
    /// CAPEC ids.
    pub capec: Vec<u32>,
    /// Further reading.
    pub references: Vec<String>,
    /// Default DREAD factors (D, R, E, A, D).
    pub dread: [u8; 5],
    /// Examples.
    pub examples: RuleExamples,
    /// The file the rule came from.
    pub source: String,
}

/// An error in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct RuleError {
    /// The rule file.
    pub file: String,
    /// What is wrong, naming the rule and field.
    pub message: String,
}

/// The threat rule catalogue.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    rules: Vec<Rule>,
}

impl Catalog {
    /// The built-in catalogue (every `rules/*.toml` of this crate), parsed
    /// once per process.
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| match Catalog::from_sources(BUILTIN_RULE_FILES) {
            Ok(c) => c,
            // The built-in files are checked by this crate's tests.
            Err(e) => panic!("built-in threat rules are invalid: {e}"),
        })
    }

    /// Parses rule files `(name, text)`; mitigations may be defined in any
    /// of them.
    pub fn from_sources(files: &[(&str, &str)]) -> Result<Catalog, RuleError> {
        let mut specs = Vec::new();
        let mut mitigations: BTreeMap<String, Mitigation> = BTreeMap::new();
        for (name, text) in files {
            let file: RuleFile = toml::from_str(text).map_err(|e| RuleError {
                file: name.to_string(),
                message: e.to_string().trim_end().replace('\n', " "),
            })?;
            for m in file.mitigations {
                if mitigations.insert(m.id.clone(), m.clone()).is_some() {
                    return Err(RuleError {
                        file: name.to_string(),
                        message: format!("mitigation {:?} is defined twice", m.id),
                    });
                }
            }
            specs.extend(file.rules.into_iter().map(|r| (name.to_string(), r)));
        }
        let mut rules: Vec<Rule> = Vec::new();
        for (file, s) in specs {
            let bad = |m: String| RuleError {
                file: file.clone(),
                message: format!("rule {:?}: {m}", s.id),
            };
            if rules.iter().any(|r| r.id == s.id) {
                return Err(bad("id is used twice".into()));
            }
            let parse = |list: &[String], field: &str| {
                list.iter()
                    .map(|c| Condition::parse(c, s.scope).map_err(|e| bad(format!("{field}: {e}"))))
                    .collect::<Result<Vec<_>, _>>()
            };
            let when = parse(&s.when, "when")?;
            let any = parse(&s.any, "any")?;
            if s.cwe.is_empty() || s.capec.is_empty() {
                return Err(bad("needs at least one CWE and one CAPEC id".into()));
            }
            if let Some(v) = s.dread.iter().find(|v| **v > 10) {
                return Err(bad(format!("dread factor {v} is out of range 0-10")));
            }
            let mits = s
                .mitigations
                .iter()
                .map(|id| {
                    mitigations
                        .get(id)
                        .cloned()
                        .ok_or_else(|| bad(format!("unknown mitigation {id:?}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            for c in &s.mitigated_by {
                crate::condition::check_control(c, s.scope)
                    .map_err(|e| bad(format!("mitigated_by: {e}")))?;
            }
            rules.push(Rule {
                id: s.id,
                stride: s.stride,
                scope: s.scope,
                title: s.title,
                description: s.description,
                when,
                any,
                baseline: s.baseline,
                mitigated_by: s.mitigated_by,
                mitigations: mits,
                cwe: s.cwe,
                capec: s.capec,
                references: s.references,
                dread: s.dread,
                examples: s.examples,
                source: file,
            });
        }
        Ok(Catalog { rules })
    }

    /// Every rule, in catalogue order (file name, then order in the file).
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// A rule by id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}
