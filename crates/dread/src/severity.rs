//! The one severity scale every scoring method maps to.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// How severe a risk is: `None < Low < Medium < High < Critical`.
///
/// Each scoring method documents how its scores map here: see
/// [`DreadScore::severity`](crate::DreadScore::severity),
/// [`OwaspRisk::severity`](crate::OwaspRisk::severity),
/// [`CvssScore`](crate::CvssScore) and [`RiskMatrix`](crate::RiskMatrix).
///
/// ```
/// use dread::Severity;
/// assert!(Severity::High > Severity::Medium);
/// assert_eq!("critical".parse::<Severity>(), Ok(Severity::Critical));
/// assert_eq!(Severity::Low.to_string(), "low");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// No risk worth tracking (OWASP "Note", CVSS 0.0).
    None,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 5] = [
        Severity::None,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::None => "none",
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("unknown severity {0:?} (expected none, low, medium, high or critical)")]
pub struct ParseSeverityError(pub String);

impl FromStr for Severity {
    type Err = ParseSeverityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ParseSeverityError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_order_and_serde() {
        for (i, s) in Severity::ALL.into_iter().enumerate() {
            assert_eq!(s.to_string().parse::<Severity>(), Ok(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            if i > 0 {
                assert!(Severity::ALL[i - 1] < s);
            }
        }
        assert_eq!(" HIGH ".parse::<Severity>(), Ok(Severity::High));
        assert_eq!(
            "severe".parse::<Severity>(),
            Err(ParseSeverityError("severe".into()))
        );
        assert!(serde_json::from_str::<Severity>("\"High\"").is_err());
    }
}
