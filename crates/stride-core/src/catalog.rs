//! The threat rule catalogue: the built-in rule files embedded at build
//! time, parsed and checked once, and any caller-supplied rule files.

use std::collections::BTreeMap;

use crate::condition::Condition;
use crate::rule::{Mitigation, Rule, RuleError, RuleFile, RuleProblem};

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
    #[allow(
        clippy::result_large_err,
        reason = "a typed error with its location: built once, on the cold path of a load"
    )]
    pub fn from_sources(files: &[(&str, &str)]) -> Result<Catalog, RuleError> {
        let mut specs = Vec::new();
        let mut mitigations: BTreeMap<String, Mitigation> = BTreeMap::new();
        for (name, text) in files {
            let file: RuleFile = toml::from_str(text).map_err(|e| RuleError {
                file: name.to_string(),
                problem: RuleProblem::Syntax(e.to_string().trim_end().replace('\n', " ")),
            })?;
            for m in file.mitigations {
                if mitigations.insert(m.id.clone(), m.clone()).is_some() {
                    return Err(RuleError {
                        file: name.to_string(),
                        problem: RuleProblem::DuplicateMitigation { id: m.id.clone() },
                    });
                }
            }
            specs.extend(file.rules.into_iter().map(|r| (name.to_string(), r)));
        }
        let mut rules: Vec<Rule> = Vec::new();
        for (file, s) in specs {
            let bad = |problem: RuleProblem| RuleError {
                file: file.clone(),
                problem,
            };
            let rule = || s.id.clone();
            if rules.iter().any(|r| r.id == s.id) {
                return Err(bad(RuleProblem::DuplicateRule { rule: rule() }));
            }
            let parse = |list: &[String], field: &str| {
                list.iter()
                    .map(|c| {
                        Condition::parse(c, s.scope).map_err(|error| {
                            bad(RuleProblem::BadCondition {
                                rule: rule(),
                                field: field.to_string(),
                                error,
                            })
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            };
            let when = parse(&s.when, "when")?;
            let any = parse(&s.any, "any")?;
            if s.cwe.is_empty() || s.capec.is_empty() {
                return Err(bad(RuleProblem::MissingCweOrCapec { rule: rule() }));
            }
            if let Some(v) = s.dread.iter().find(|v| **v > 10) {
                return Err(bad(RuleProblem::DreadOutOfRange {
                    rule: rule(),
                    value: *v,
                }));
            }
            let mits = s
                .mitigations
                .iter()
                .map(|id| {
                    mitigations.get(id).cloned().ok_or_else(|| {
                        bad(RuleProblem::UnknownMitigation {
                            rule: rule(),
                            mitigation: id.clone(),
                        })
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            for c in &s.mitigated_by {
                crate::condition::check_control(c, s.scope).map_err(|error| {
                    bad(RuleProblem::BadControl {
                        rule: rule(),
                        error,
                    })
                })?;
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
                            problem: RuleProblem::UnknownSuperseded {
                                rule: r.id.clone(),
                                superseded: id.clone(),
                            },
                        });
                    }
                    Some(o) if o.stride != r.stride || o.scope != r.scope => {
                        return Err(RuleError {
                            file: r.source.clone(),
                            problem: RuleProblem::SupersedesAcross {
                                rule: r.id.clone(),
                                superseded: id.clone(),
                            },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::condition::ConditionError;

    /// A rule file with one rule, `extra` added to (or replacing) its keys.
    fn file(extra: &str, mitigated_by: &str, dread: &str) -> String {
        format!(
            "[[mitigations]]\nid = \"MIT-X\"\ntitle = \"X\"\ntext = \"x\"\n\n[[rules]]\nid = \"R-1\"\nstride = \"spoofing\"\nscope = \"element\"\ntitle = \"t\"\ndescription = \"d\"\nmitigations = [\"MIT-X\"]\nmitigated_by = [{mitigated_by}]\ndread = {dread}\n{extra}\n[rules.examples]\nfires = \"\"\nquiet = \"\"\n"
        )
    }

    fn problem(files: &[(&str, &str)]) -> RuleProblem {
        match Catalog::from_sources(files) {
            Err(e) => e.problem,
            Ok(_) => panic!("accepted"),
        }
    }

    #[test]
    fn each_rule_file_problem_has_its_variant() {
        let ok = file("cwe = [1]\ncapec = [1]", "", "[1, 1, 1, 1, 1]");
        assert!(Catalog::from_sources(&[("a.toml", &ok)]).is_ok());
        assert!(matches!(
            problem(&[("a.toml", "rules = 1")]),
            RuleProblem::Syntax(_)
        ));
        assert!(matches!(
            problem(&[("a.toml", &ok), ("b.toml", &ok)]),
            RuleProblem::DuplicateMitigation { .. }
        ));
        let rule_only = ok.split_once("\n\n").map_or("", |(_, r)| r);
        assert!(matches!(
            problem(&[("a.toml", &ok), ("b.toml", rule_only)]),
            RuleProblem::DuplicateRule { .. }
        ));
        let no_cwe = file("cwe = []\ncapec = [1]", "", "[1, 1, 1, 1, 1]");
        assert!(matches!(
            problem(&[("a.toml", &no_cwe)]),
            RuleProblem::MissingCweOrCapec { .. }
        ));
        let dread = file("cwe = [1]\ncapec = [1]", "", "[1, 1, 11, 1, 1]");
        let e = Catalog::from_sources(&[("a.toml", &dread)]).unwrap_err();
        assert!(matches!(
            e.problem,
            RuleProblem::DreadOutOfRange { value: 11, .. }
        ));
        assert_eq!(
            e.to_string(),
            "a.toml: rule \"R-1\": dread factor 11 is out of range 0-10"
        );
        let control = file("cwe = [1]\ncapec = [1]", "\"nope\"", "[1, 1, 1, 1, 1]");
        assert!(matches!(
            problem(&[("a.toml", &control)]),
            RuleProblem::BadControl { .. }
        ));
        let cond = file(
            "cwe = [1]\ncapec = [1]\nwhen = [\"nope\"]",
            "",
            "[1, 1, 1, 1, 1]",
        );
        let e = Catalog::from_sources(&[("a.toml", &cond)]).unwrap_err();
        assert!(matches!(
            &e.problem,
            RuleProblem::BadCondition { field, error: ConditionError::UnknownFact { .. }, .. }
                if field == "when"
        ));
        assert_eq!(
            e.to_string(),
            "a.toml: rule \"R-1\": when: \"nope\": unknown fact \"nope\" for a Element rule"
        );
        let sup = file(
            "cwe = [1]\ncapec = [1]\nsupersedes = [\"R-9\"]",
            "",
            "[1, 1, 1, 1, 1]",
        );
        assert!(matches!(
            problem(&[("a.toml", &sup)]),
            RuleProblem::UnknownSuperseded { .. }
        ));
        let mit = ok.replace("mitigations = [\"MIT-X\"]", "mitigations = [\"MIT-Y\"]");
        assert!(matches!(
            problem(&[("a.toml", &mit)]),
            RuleProblem::UnknownMitigation { .. }
        ));
    }
}
