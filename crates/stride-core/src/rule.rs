//! A threat rule: the TOML format a rule file is written in, and the parsed,
//! checked [`Rule`] the engine runs. See `docs/threat-rules.md`.

use serde::{Deserialize, Serialize};

use crate::condition::{Condition, ConditionError, ControlError};
use crate::stride::Stride;

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
pub(crate) struct RuleFile {
    #[serde(default)]
    pub(crate) rules: Vec<RuleSpec>,
    #[serde(default)]
    pub(crate) mitigations: Vec<Mitigation>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSpec {
    pub(crate) id: String,
    pub(crate) stride: Stride,
    pub(crate) scope: Scope,
    pub(crate) title: String,
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) when: Vec<String>,
    #[serde(default)]
    pub(crate) any: Vec<String>,
    #[serde(default)]
    pub(crate) baseline: bool,
    #[serde(default)]
    pub(crate) mitigated_by: Vec<String>,
    #[serde(default)]
    pub(crate) supersedes: Vec<String>,
    pub(crate) mitigations: Vec<String>,
    pub(crate) cwe: Vec<u32>,
    pub(crate) capec: Vec<u32>,
    #[serde(default)]
    pub(crate) references: Vec<String>,
    pub(crate) dread: [u8; 5],
    pub(crate) examples: RuleExamples,
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
    /// Less specific rules about the same root cause: where this rule fires
    /// on a subject, their findings on the same subject are not reported
    /// (one root cause, one finding).
    pub supersedes: Vec<String>,
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
#[error("{file}: {problem}")]
pub struct RuleError {
    /// The rule file.
    pub file: String,
    /// What is wrong, naming the rule and field.
    pub problem: RuleProblem,
}

/// What is wrong in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleProblem {
    /// The file is not valid TOML for the rule format: the parser's text,
    /// on one line.
    #[error("{0}")]
    Syntax(String),
    /// Two mitigations share an id.
    #[error("mitigation {id:?} is defined twice")]
    DuplicateMitigation {
        /// The mitigation id.
        id: String,
    },
    /// Two rules share an id.
    #[error("rule {rule:?}: id is used twice")]
    DuplicateRule {
        /// The rule id.
        rule: String,
    },
    /// A condition of `when` or `any` does not parse.
    #[error("rule {rule:?}: {field}: {error}")]
    BadCondition {
        /// The rule id.
        rule: String,
        /// `when` or `any`.
        field: String,
        /// Why the condition does not parse.
        error: ConditionError,
    },
    /// The rule lists no CWE or no CAPEC id.
    #[error("rule {rule:?}: needs at least one CWE and one CAPEC id")]
    MissingCweOrCapec {
        /// The rule id.
        rule: String,
    },
    /// A default DREAD factor is above 10.
    #[error("rule {rule:?}: dread factor {value} is out of range 0-10")]
    DreadOutOfRange {
        /// The rule id.
        rule: String,
        /// The factor.
        value: u8,
    },
    /// A mitigation id no rule file defines.
    #[error("rule {rule:?}: unknown mitigation {mitigation:?}")]
    UnknownMitigation {
        /// The rule id.
        rule: String,
        /// The mitigation id.
        mitigation: String,
    },
    /// A `mitigated_by` control is refused.
    #[error("rule {rule:?}: mitigated_by: {error}")]
    BadControl {
        /// The rule id.
        rule: String,
        /// Why the control is refused.
        error: ControlError,
    },
    /// `supersedes` names a rule that does not exist.
    #[error("rule {rule}: supersedes: unknown rule {superseded:?}")]
    UnknownSuperseded {
        /// The rule id.
        rule: String,
        /// The id it supersedes.
        superseded: String,
    },
    /// `supersedes` names a rule of another STRIDE category or scope.
    #[error("rule {rule}: supersedes {superseded}, which has another STRIDE category or scope")]
    SupersedesAcross {
        /// The rule id.
        rule: String,
        /// The id it supersedes.
        superseded: String,
    },
}
