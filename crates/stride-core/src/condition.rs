//! The small, safe condition language of threat rules.
//!
//! A condition is one line: an optional `!`, a fact name, and optionally an
//! operator and a value:
//!
//! ```text
//! kind == process              type in [web_app, api]      attr.internet_facing
//! !attr.mfa                    data >= confidential        boundary == internet
//! source.kind == external_entity   target.type in [database]   crosses_boundary
//! !encrypted                   protocol in [http, ftp]      plaintext
//! ```
//!
//! Element rules see the element's facts; flow rules see the flow's facts
//! and its endpoints' facts under `source.` and `target.`. Nothing is
//! evaluated as code.

use std::collections::BTreeMap;
use std::fmt;

use crate::attributes;
use crate::explain::FactState;
use crate::rule::Scope;

/// A fact's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// A yes/no fact.
    Bool(bool),
    /// A single value (`kind`, `type`, `protocol`).
    Text(String),
    /// Several values (`boundary` kinds of the enclosing boundaries).
    Set(Vec<String>),
    /// A classification level (0 public ... 3 restricted; -1 no data).
    Level(i8),
    /// A number of things (`writers`, `shared_by`, `internet_hops`).
    Count(u32),
}

/// The facts about one element or flow.
pub type Facts = BTreeMap<String, Fact>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Truthy,
    Eq(String),
    In(Vec<String>),
    AtLeast(i8),
    AtLeastCount(u32),
    AtMostCount(u32),
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    negated: bool,
    name: String,
    op: Op,
    text: String,
}

const ELEMENT_FACTS: &[&str] = &[
    "kind",
    "type",
    "data",
    "pii",
    "boundary",
    "internet_exposed",
    "inbound_from_external",
    "inbound_crossing",
    "has_inbound",
    "has_outbound",
    // Across the model: see `cross.rs`.
    "writers",
    "shared_by",
    "mixes_classifications",
    "third_party",
    "internet_hops",
    "reachable_unauthenticated_from_internet",
    "unauthenticated_producers",
];
const FLOW_FACTS: &[&str] = &[
    "crosses_boundary",
    "encrypted",
    "authenticated",
    "protocol",
    "plaintext",
    "data",
    "pii",
    "from_internet",
];

/// The classification levels, lowest first.
pub const LEVELS: [&str; 4] = ["public", "internal", "confidential", "restricted"];

fn known(name: &str, scope: Scope) -> bool {
    let element = |n: &str| {
        ELEMENT_FACTS.contains(&n) || n.strip_prefix("attr.").is_some_and(attributes::is_known)
    };
    match scope {
        Scope::Element => element(name),
        Scope::Flow => {
            FLOW_FACTS.contains(&name)
                || name.strip_prefix("source.").is_some_and(element)
                || name.strip_prefix("target.").is_some_and(element)
        }
    }
}

/// Why a condition of a rule does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConditionError {
    /// `>=` names neither a number nor a classification level.
    #[error("{condition:?}: unknown level {level:?}")]
    UnknownLevel {
        /// The condition as written (trimmed).
        condition: String,
        /// The value after `>=`.
        level: String,
    },
    /// `<=` is followed by something other than a number.
    #[error("{condition:?}: `<=` takes a number, not {value:?}")]
    NotANumber {
        /// The condition as written (trimmed).
        condition: String,
        /// The value after `<=`.
        value: String,
    },
    /// The value of `in` is not written `[a, b]`.
    #[error("{condition:?}: a list is written [a, b]")]
    BadList {
        /// The condition as written (trimmed).
        condition: String,
    },
    /// The fact is not one the rule's scope knows (an unrecognised operator
    /// reads as part of the fact's name, so it lands here too).
    #[error("{condition:?}: unknown fact {fact:?} for a {scope:?} rule")]
    UnknownFact {
        /// The condition as written (trimmed).
        condition: String,
        /// The fact name.
        fact: String,
        /// The rule's scope.
        scope: Scope,
    },
}

/// Why a `mitigated_by` control name is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ControlError {
    /// No attribute or flow flag of that name exists for the scope.
    #[error("unknown control {name:?}")]
    UnknownControl {
        /// The control as written.
        name: String,
        /// The rule's scope.
        scope: Scope,
    },
}

/// Checks a `mitigated_by` control name for a scope.
pub fn check_control(name: &str, scope: Scope) -> Result<(), ControlError> {
    let ok = match scope {
        Scope::Element => attributes::is_known(name),
        Scope::Flow => {
            name == "flow.encrypted"
                || name == "flow.authenticated"
                || name
                    .strip_prefix("source.")
                    .is_some_and(attributes::is_known)
                || name
                    .strip_prefix("target.")
                    .is_some_and(attributes::is_known)
        }
    };
    if ok {
        Ok(())
    } else {
        Err(ControlError::UnknownControl {
            name: name.to_string(),
            scope,
        })
    }
}

impl Condition {
    /// Parses one condition for a scope; unknown facts are errors.
    pub fn parse(text: &str, scope: Scope) -> Result<Condition, ConditionError> {
        let t = text.trim();
        let (negated, rest) = match t.strip_prefix('!') {
            Some(r) => (true, r.trim()),
            None => (false, t),
        };
        let (name, op) = if let Some((n, v)) = rest.split_once("==") {
            (n.trim(), Op::Eq(v.trim().to_string()))
        } else if let Some((n, v)) = rest.split_once(">=") {
            let v = v.trim();
            match v.parse::<u32>() {
                Ok(count) => (n.trim(), Op::AtLeastCount(count)),
                Err(_) => {
                    let level = LEVELS.iter().position(|l| *l == v).ok_or_else(|| {
                        ConditionError::UnknownLevel {
                            condition: t.to_string(),
                            level: v.to_string(),
                        }
                    })?;
                    (n.trim(), Op::AtLeast(level as i8))
                }
            }
        } else if let Some((n, v)) = rest.split_once("<=") {
            let v = v.trim();
            let count = v.parse::<u32>().map_err(|_| ConditionError::NotANumber {
                condition: t.to_string(),
                value: v.to_string(),
            })?;
            (n.trim(), Op::AtMostCount(count))
        } else if let Some((n, v)) = rest.split_once(" in ") {
            let v = v.trim();
            let inner = v
                .strip_prefix('[')
                .and_then(|x| x.strip_suffix(']'))
                .ok_or_else(|| ConditionError::BadList {
                    condition: t.to_string(),
                })?;
            (
                n.trim(),
                Op::In(
                    inner
                        .split(',')
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect(),
                ),
            )
        } else {
            (rest, Op::Truthy)
        };
        if !known(name, scope) {
            return Err(ConditionError::UnknownFact {
                condition: t.to_string(),
                fact: name.to_string(),
                scope,
            });
        }
        Ok(Condition {
            negated,
            name: name.to_string(),
            op,
            text: t.to_string(),
        })
    }

    /// Whether the condition holds.
    pub fn eval(&self, facts: &Facts) -> bool {
        let v = facts.get(&self.name);
        let holds = match (&self.op, v) {
            (Op::Truthy, Some(Fact::Bool(b))) => *b,
            (Op::Truthy, Some(Fact::Level(l))) => *l >= 0,
            (Op::Truthy, Some(Fact::Set(s))) => !s.is_empty(),
            (Op::Truthy, Some(Fact::Text(s))) => !s.is_empty(),
            (Op::Eq(x), Some(Fact::Text(s))) => s == x,
            (Op::Eq(x), Some(Fact::Set(s))) => s.contains(x),
            (Op::In(xs), Some(Fact::Text(s))) => xs.contains(s),
            (Op::In(xs), Some(Fact::Set(s))) => s.iter().any(|v| xs.contains(v)),
            (Op::AtLeast(l), Some(Fact::Level(v))) => v >= l,
            (Op::Truthy, Some(Fact::Count(n))) => *n > 0,
            (Op::AtLeastCount(l), Some(Fact::Count(n))) => n >= l,
            (Op::AtMostCount(l), Some(Fact::Count(n))) => n <= l,
            _ => false,
        };
        holds != self.negated
    }

    /// The fact as it is: what made the condition hold (its words are
    /// [`crate::explain::prose`]'s).
    pub fn explain(&self, facts: &Facts) -> FactState {
        FactState {
            fact: self.name.clone(),
            value: facts.get(&self.name).cloned(),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_evaluates() {
        let mut facts = Facts::new();
        facts.insert("type".into(), Fact::Text("web_app".into()));
        facts.insert("attr.mfa".into(), Fact::Bool(false));
        facts.insert("data".into(), Fact::Level(3));
        let c = |s| Condition::parse(s, Scope::Element).unwrap();
        assert!(c("type in [api, web_app]").eval(&facts));
        assert!(c("!attr.mfa").eval(&facts));
        assert!(c("data >= confidential").eval(&facts));
        assert!(!c("type == api").eval(&facts));
        assert!(Condition::parse("attr.nope", Scope::Element).is_err());
        assert!(Condition::parse("crosses_boundary", Scope::Element).is_err());
        assert!(Condition::parse("crosses_boundary", Scope::Flow).is_ok());
        assert!(Condition::parse("data >= secret", Scope::Flow).is_err());
        facts.insert("shared_by".into(), Fact::Count(3));
        assert!(c("shared_by >= 2").eval(&facts));
        assert!(!c("shared_by >= 4").eval(&facts));
        assert!(c("shared_by <= 3").eval(&facts));
        assert!(!c("internet_hops <= 3").eval(&facts), "unset is false");
        assert!(Condition::parse("shared_by <= many", Scope::Element).is_err());
    }

    #[test]
    fn each_bad_condition_has_its_variant_and_todays_message() {
        let e = Condition::parse("data >= secret", Scope::Element).unwrap_err();
        assert!(matches!(&e, ConditionError::UnknownLevel { level, .. } if level == "secret"));
        assert_eq!(e.to_string(), r#""data >= secret": unknown level "secret""#);
        let e = Condition::parse("shared_by <= many", Scope::Element).unwrap_err();
        assert!(matches!(e, ConditionError::NotANumber { .. }));
        assert_eq!(
            e.to_string(),
            r#""shared_by <= many": `<=` takes a number, not "many""#
        );
        let e = Condition::parse("type in api", Scope::Element).unwrap_err();
        assert!(matches!(e, ConditionError::BadList { .. }));
        assert_eq!(e.to_string(), r#""type in api": a list is written [a, b]"#);
        let e = Condition::parse("x ~ 1", Scope::Element).unwrap_err();
        assert!(matches!(
            &e,
            ConditionError::UnknownFact { fact, scope: Scope::Element, .. } if fact == "x ~ 1"
        ));
        assert_eq!(
            e.to_string(),
            r#""x ~ 1": unknown fact "x ~ 1" for a Element rule"#
        );
    }

    #[test]
    fn an_unknown_control_is_named() {
        let e = check_control("flow.nope", Scope::Flow).unwrap_err();
        assert!(matches!(
            &e,
            ControlError::UnknownControl { name, scope: Scope::Flow } if name == "flow.nope"
        ));
        assert_eq!(e.to_string(), r#"unknown control "flow.nope""#);
        assert_eq!(check_control("target.waf", Scope::Flow), Ok(()));
    }
}
