//! The threat rule catalogue: the built-in rule files embedded at build
//! time, parsed and checked once, and any caller-supplied rule files.

use std::collections::BTreeMap;

use crate::condition::Condition;
use crate::rule::{Mitigation, Rule, RuleError, RuleFile};

use crate::builtin::BUILTIN_RULE_FILES;

/// The threat rule catalogue.
///
/// [`Catalog::builtin`] is parsed and checked once per process; a caller
/// adds its own rule files with [`Catalog::from_sources`].
///
/// ```
/// use stride_core::{Catalog, Scope, Stride};
///
/// let catalog = Catalog::builtin();
/// // STRIDE per element: baseline rules cover every category.
/// for stride in Stride::ALL {
///     assert!(catalog.rules().iter().any(|r| r.baseline && r.stride == stride));
/// }
/// let rule = catalog.rules().iter().find(|r| r.scope == Scope::Flow).unwrap();
/// assert_eq!(catalog.get(&rule.id).map(|r| &r.title), Some(&rule.title));
/// ```
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
                supersedes: s.supersedes,
                mitigations: mits,
                cwe: s.cwe,
                capec: s.capec,
                references: s.references,
                dread: s.dread,
                examples: s.examples,
                source: file,
            });
        }
        for r in &rules {
            for id in &r.supersedes {
                match rules.iter().find(|o| &o.id == id) {
                    None => {
                        return Err(RuleError {
                            file: r.source.clone(),
                            message: format!("rule {}: supersedes: unknown rule {id:?}", r.id),
                        });
                    }
                    Some(o) if o.stride != r.stride || o.scope != r.scope => {
                        return Err(RuleError {
                            file: r.source.clone(),
                            message: format!(
                                "rule {}: supersedes {id}, which has another STRIDE category or scope",
                                r.id
                            ),
                        });
                    }
                    Some(_) => {}
                }
            }
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
