//! A finding (one threat to one element or flow), its status and its risk.

use std::collections::BTreeMap;

use dread::Severity;
use serde::{Deserialize, Serialize};

use crate::explain::Explanation;
use crate::rule::Mitigation;
use crate::stride::Stride;

/// What became of a threat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Applies and nothing declared answers it.
    Open,
    /// A declared control answers it.
    Mitigated,
    /// Accepted by its owner (see the CLI's `--accepted`).
    Accepted,
    /// Does not apply (used in coverage cells).
    NotApplicable,
}

impl Status {
    /// The name JSON and reports use (`open`, `mitigated`, `accepted`,
    /// `not_applicable`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Mitigated => "mitigated",
            Status::Accepted => "accepted",
            Status::NotApplicable => "not_applicable",
        }
    }
}

/// A DREAD factor with why it has its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorValue {
    /// 0-10.
    pub value: u8,
    /// The rule's default and the model facts that moved it.
    pub rationale: String,
}

/// How a finding's risk was scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RiskMethod {
    /// DREAD: the mean of five 0-10 factors (the `dread` crate).
    Dread,
}

impl RiskMethod {
    /// The name JSON and reports use (`dread`).
    pub fn as_str(self) -> &'static str {
        match self {
            RiskMethod::Dread => "dread",
        }
    }
}

/// A finding's risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Risk {
    /// The scoring method (today always DREAD).
    pub method: RiskMethod,
    /// The DREAD mean, 0-10.
    pub score: f64,
    /// Its severity.
    pub severity: Severity,
    /// The five factors by name.
    pub factors: BTreeMap<String, FactorValue>,
}

/// One threat to one element or flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// `RULE-ID@element-or-flow-id`: stable across unrelated edits.
    pub id: String,
    /// The rule.
    pub rule_id: String,
    /// The element id, or the flow id followed by its source and target.
    pub elements: Vec<String>,
    /// The category.
    pub stride: Stride,
    /// The rule's title with names filled in.
    pub title: String,
    /// What the threat is.
    pub description: String,
    /// Why it fired: the subject, the model facts that made its rule fire
    /// and the controls that mitigate it, as data. Serialized as the
    /// sentence reports show (see [`crate::explain`]).
    pub explanation: Explanation,
    /// What to do.
    pub mitigations: Vec<Mitigation>,
    /// CWE ids.
    pub cwe: Vec<u32>,
    /// CAPEC ids.
    pub capec: Vec<u32>,
    /// Further reading.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// DREAD risk.
    pub risk: Risk,
    /// Open or mitigated (accepted is set by callers).
    pub status: Status,
    /// The declared controls that mitigate it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mitigated_by: Vec<String>,
}
