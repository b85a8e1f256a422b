//! How bad a leaked credential of a given kind is.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// The severity of a rule's findings, ordered `Low < Medium < High < Critical`.
///
/// Critical: a credential that grants broad production access on its own
/// (cloud root keys, private keys, payment keys). High: a scoped but live
/// credential. Medium: a secret whose impact depends on context (generic
/// passwords). Low: weak signals worth a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; often not exploitable alone.
    Low,
    /// Exploitable in some contexts.
    Medium,
    /// A live, scoped credential.
    High,
    /// A credential that grants broad access on its own.
    Critical,
}

impl Severity {
    /// The lowercase name used in rule files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when a string names no severity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity {0:?} (expected low, medium, high or critical)")]
pub struct ParseSeverityError(String);

impl FromStr for Severity {
    type Err = ParseSeverityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            _ => Err(ParseSeverityError(s.to_string())),
        }
    }
}
