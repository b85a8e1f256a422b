//! CVSS v3.0/v3.1 and v4.0 base scores, computed by RustSec's `cvss` crate.
//! We only check the vector is complete and map the result: the scoring
//! tables are theirs.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{Error, Severity};

/// The CVSS version of a vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CvssVersion {
    /// CVSS v3.0.
    #[serde(rename = "cvss3.0")]
    V3_0,
    /// CVSS v3.1.
    #[serde(rename = "cvss3.1")]
    V3_1,
    /// CVSS v4.0.
    #[serde(rename = "cvss4.0")]
    V4_0,
}

impl CvssVersion {
    /// `cvss3.0`, `cvss3.1` or `cvss4.0`.
    pub fn method(self) -> &'static str {
        match self {
            CvssVersion::V3_0 => "cvss3.0",
            CvssVersion::V3_1 => "cvss3.1",
            CvssVersion::V4_0 => "cvss4.0",
        }
    }
}

/// A parsed, scored CVSS vector.
///
/// Severity follows the CVSS specification's qualitative scale: 0.0 None,
/// 0.1-3.9 Low, 4.0-6.9 Medium, 7.0-8.9 High, 9.0-10.0 Critical.
///
/// ```
/// use dread::{CvssScore, Severity};
///
/// let v3: CvssScore = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".parse()?;
/// assert_eq!(v3.score, 9.8);
/// assert_eq!(v3.severity, Severity::Critical);
///
/// let v4: CvssScore = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N".parse()?;
/// assert_eq!(v4.score, 9.3);
///
/// // Incomplete vectors are refused, naming the missing metric.
/// let err = "CVSS:3.1/AV:N".parse::<CvssScore>().unwrap_err();
/// assert!(err.to_string().contains("metric AC (Attack Complexity) is missing"));
/// # Ok::<(), dread::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvssScore {
    /// The version.
    pub version: CvssVersion,
    /// The vector as given (trimmed).
    pub vector: String,
    /// The base score, 0.0 to 10.0.
    pub score: f64,
    /// The qualitative severity.
    pub severity: Severity,
}

const V3_BASE: [(&str, &str); 8] = [
    ("AV", "Attack Vector"),
    ("AC", "Attack Complexity"),
    ("PR", "Privileges Required"),
    ("UI", "User Interaction"),
    ("S", "Scope"),
    ("C", "Confidentiality"),
    ("I", "Integrity"),
    ("A", "Availability"),
];

const V4_BASE: [(&str, &str); 11] = [
    ("AV", "Attack Vector"),
    ("AC", "Attack Complexity"),
    ("AT", "Attack Requirements"),
    ("PR", "Privileges Required"),
    ("UI", "User Interaction"),
    ("VC", "Vulnerable System Confidentiality"),
    ("VI", "Vulnerable System Integrity"),
    ("VA", "Vulnerable System Availability"),
    ("SC", "Subsequent System Confidentiality"),
    ("SI", "Subsequent System Integrity"),
    ("SA", "Subsequent System Availability"),
];

fn map(s: cvss::Severity) -> Severity {
    match s {
        cvss::Severity::None => Severity::None,
        cvss::Severity::Low => Severity::Low,
        cvss::Severity::Medium => Severity::Medium,
        cvss::Severity::High => Severity::High,
        cvss::Severity::Critical => Severity::Critical,
    }
}

/// The qualitative severity of a CVSS score (used for both versions).
pub fn cvss_severity(score: f64) -> Severity {
    if score <= 0.0 {
        Severity::None
    } else if score < 4.0 {
        Severity::Low
    } else if score < 7.0 {
        Severity::Medium
    } else if score < 9.0 {
        Severity::High
    } else {
        Severity::Critical
    }
}

impl FromStr for CvssScore {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let vector = s.trim();
        let bad = |m: String| Error::vector("CVSS", m);
        let (version, base) = if vector.starts_with("CVSS:3.1/") {
            (CvssVersion::V3_1, &V3_BASE[..])
        } else if vector.starts_with("CVSS:3.0/") {
            (CvssVersion::V3_0, &V3_BASE[..])
        } else if vector.starts_with("CVSS:4.0/") {
            (CvssVersion::V4_0, &V4_BASE[..])
        } else {
            return Err(bad(format!(
                "{vector:?} does not start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/"
            )));
        };
        let keys: Vec<&str> = vector
            .split('/')
            .skip(1)
            .map(|p| p.split(':').next().unwrap_or(""))
            .collect();
        for (key, name) in base {
            match keys.iter().filter(|k| *k == key).count() {
                0 => return Err(bad(format!("metric {key} ({name}) is missing"))),
                1 => {}
                _ => return Err(bad(format!("metric {key} ({name}) is given twice"))),
            }
        }
        let (score, severity) = match version {
            CvssVersion::V4_0 => {
                let v = cvss::v4::Vector::from_str(vector).map_err(|e| bad(e.to_string()))?;
                let value = v.score().value();
                (value, map(v.score().severity()))
            }
            _ => {
                let v = cvss::v3::Vector::from_str(vector).map_err(|e| bad(e.to_string()))?;
                let score = v.score();
                (score.value(), map(score.severity()))
            }
        };
        Ok(CvssScore {
            version,
            vector: vector.to_string(),
            score,
            severity,
        })
    }
}

impl fmt::Display for CvssScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:.1} {}", self.vector, self.score, self.severity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(v: &str) -> (f64, Severity) {
        let s: CvssScore = v.parse().unwrap();
        (s.score, s.severity)
    }

    #[test]
    fn known_v3_vectors() {
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            (9.8, Severity::Critical)
        );
        // Reflected XSS, the specification's example: 6.1 Medium.
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),
            (6.1, Severity::Medium)
        );
        // Local, high complexity, low confidentiality: 2.5 Low.
        assert_eq!(
            score("CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:L/I:N/A:N"),
            (2.5, Severity::Low)
        );
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"),
            (0.0, Severity::None)
        );
        assert_eq!(
            score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            (9.8, Severity::Critical)
        );
    }

    #[test]
    fn known_v4_vectors() {
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            (9.3, Severity::Critical)
        );
        // Low impact on confidentiality only, local, needs privileges.
        let (s, sev) = score("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N");
        assert!(s < 7.0 && sev <= Severity::Medium, "{s} {sev}");
        let (s, sev) = score("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N");
        assert_eq!(sev, Severity::Low, "{s}");
    }

    #[test]
    fn incomplete_and_malformed_vectors_are_refused() {
        let e = "CVSS:3.1/AV:N"
            .parse::<CvssScore>()
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("metric AC (Attack Complexity) is missing"),
            "{e}"
        );
        let e = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"
            .parse::<CvssScore>()
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("metric SA (Subsequent System Availability) is missing"),
            "{e}"
        );
        let e = "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
            .parse::<CvssScore>()
            .unwrap_err();
        assert!(e.to_string().starts_with("invalid CVSS vector"), "{e}");
        assert!("AV:N/AC:L".parse::<CvssScore>().is_err());
        assert!(
            "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
                .parse::<CvssScore>()
                .is_err()
        );
        assert_eq!(cvss_severity(9.0), Severity::Critical);
        assert_eq!(cvss_severity(8.9), Severity::High);
    }
}
