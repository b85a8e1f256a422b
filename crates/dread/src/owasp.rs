//! The OWASP Risk Rating Methodology, as published by OWASP:
//! <https://owasp.org/www-community/OWASP_Risk_Rating_Methodology>.
//!
//! Sixteen factors rated 0-9: eight for likelihood (threat agent and
//! vulnerability), four for technical impact and four for business impact.
//! Likelihood and each impact are the means of their factors; a mean below 3
//! is LOW, below 6 MEDIUM, else HIGH; the overall severity comes from the
//! published 3x3 matrix.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{Error, Severity};

/// LOW, MEDIUM or HIGH, for likelihood and impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Mean below 3.
    Low,
    /// Mean from 3 to below 6.
    Medium,
    /// Mean of 6 or more.
    High,
}

impl Level {
    /// The level of a mean on the 0-9 scale.
    pub fn of(mean: f64) -> Level {
        if mean < 3.0 {
            Level::Low
        } else if mean < 6.0 {
            Level::Medium
        } else {
            Level::High
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
        })
    }
}

/// The published overall-severity matrix. OWASP's "Note" (low likelihood,
/// low impact) maps to [`Severity::None`]: OWASP itself describes it as not
/// worth a fix on its own.
///
/// | impact \ likelihood | LOW | MEDIUM | HIGH |
/// |---|---|---|---|
/// | HIGH | Medium | High | Critical |
/// | MEDIUM | Low | Medium | High |
/// | LOW | Note (None) | Low | Medium |
pub fn overall(likelihood: Level, impact: Level) -> Severity {
    use Level::*;
    match (impact, likelihood) {
        (High, Low) => Severity::Medium,
        (High, Medium) => Severity::High,
        (High, High) => Severity::Critical,
        (Medium, Low) => Severity::Low,
        (Medium, Medium) => Severity::Medium,
        (Medium, High) => Severity::High,
        (Low, Low) => Severity::None,
        (Low, Medium) => Severity::Low,
        (Low, High) => Severity::Medium,
    }
}

/// The sixteen factors, with their vector keys and names.
const FACTORS: [(&str, &str); 16] = [
    ("SL", "skill level"),
    ("M", "motive"),
    ("O", "opportunity"),
    ("S", "size"),
    ("ED", "ease of discovery"),
    ("EE", "ease of exploit"),
    ("A", "awareness"),
    ("ID", "intrusion detection"),
    ("LC", "loss of confidentiality"),
    ("LI", "loss of integrity"),
    ("LAV", "loss of availability"),
    ("LAC", "loss of accountability"),
    ("FD", "financial damage"),
    ("RD", "reputation damage"),
    ("NC", "non-compliance"),
    ("PV", "privacy violation"),
];

/// An OWASP risk rating: sixteen factors, each 0-9, in the order of the
/// OWASP calculator's vector.
///
/// ```
/// use dread::{Level, OwaspRisk, Severity};
///
/// // OWASP's published worked example.
/// let r: OwaspRisk = "SL:5/M:2/O:7/S:1/ED:3/EE:6/A:9/ID:2/LC:9/LI:7/LAV:5/LAC:8/FD:1/RD:2/NC:1/PV:5".parse()?;
/// assert_eq!(r.likelihood(), 4.375);
/// assert_eq!(Level::of(r.likelihood()), Level::Medium);
/// assert_eq!(r.technical_impact(), 7.25);
/// assert_eq!(r.business_impact(), 2.25);
/// assert_eq!(r.severity().technical, Severity::High);
/// assert_eq!(r.severity().business, Severity::Low);
/// # Ok::<(), dread::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwaspRisk {
    /// Values in the order SL M O S ED EE A ID LC LI LAV LAC FD RD NC PV.
    pub factors: [u8; 16],
}

/// The overall severity, once from the technical impact and once from the
/// business impact (OWASP asks for both when business data is reliable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwaspSeverity {
    /// Likelihood x technical impact.
    pub technical: Severity,
    /// Likelihood x business impact.
    pub business: Severity,
}

impl OwaspRisk {
    /// Builds a rating; a value over 9 is an error naming the factor.
    pub fn new(factors: [u8; 16]) -> Result<OwaspRisk, Error> {
        for (i, &v) in factors.iter().enumerate() {
            if v > 9 {
                return Err(Error::OutOfRange {
                    factor: FACTORS[i].1,
                    value: v.to_string(),
                    min: 0,
                    max: 9,
                });
            }
        }
        Ok(OwaspRisk { factors })
    }

    fn mean(&self, range: std::ops::Range<usize>) -> f64 {
        let n = range.len() as f64;
        self.factors[range]
            .iter()
            .map(|&v| f64::from(v))
            .sum::<f64>()
            / n
    }

    /// The mean of the eight likelihood factors.
    pub fn likelihood(&self) -> f64 {
        self.mean(0..8)
    }

    /// The mean of the four technical impact factors.
    pub fn technical_impact(&self) -> f64 {
        self.mean(8..12)
    }

    /// The mean of the four business impact factors.
    pub fn business_impact(&self) -> f64 {
        self.mean(12..16)
    }

    /// The overall severity from the published matrix, for both impacts.
    pub fn severity(&self) -> OwaspSeverity {
        let l = Level::of(self.likelihood());
        OwaspSeverity {
            technical: overall(l, Level::of(self.technical_impact())),
            business: overall(l, Level::of(self.business_impact())),
        }
    }
}

impl FromStr for OwaspRisk {
    type Err = Error;

    /// Parses the calculator's vector, `SL:5/M:2/.../PV:5`: every factor
    /// once, in any order, each 0-9.
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |m: String| Error::vector("OWASP", m);
        let mut values: [Option<u8>; 16] = [None; 16];
        for part in s.trim().split('/') {
            let (key, value) = part
                .split_once(':')
                .ok_or_else(|| bad(format!("part {part:?} is not KEY:VALUE")))?;
            let key = key.trim().to_ascii_uppercase();
            let i = FACTORS
                .iter()
                .position(|(k, _)| *k == key)
                .ok_or_else(|| bad(format!("unknown factor {key:?}")))?;
            let name = FACTORS[i].1;
            if values[i].is_some() {
                return Err(bad(format!("factor {key} ({name}) is given twice")));
            }
            let value = value.trim();
            let n: u8 = value.parse().map_err(|_| {
                bad(format!(
                    "factor {key} ({name}): {value:?} is not a whole number 0-9"
                ))
            })?;
            if n > 9 {
                return Err(bad(format!(
                    "factor {key} ({name}): {n} is out of range 0-9"
                )));
            }
            values[i] = Some(n);
        }
        let mut factors = [0u8; 16];
        for (i, v) in values.iter().enumerate() {
            factors[i] = v.ok_or_else(|| {
                bad(format!(
                    "factor {} ({}) is missing",
                    FACTORS[i].0, FACTORS[i].1
                ))
            })?;
        }
        OwaspRisk::new(factors)
    }
}

impl fmt::Display for OwaspRisk {
    /// The calculator's vector form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = FACTORS
            .iter()
            .zip(self.factors)
            .map(|((k, _), v)| format!("{k}:{v}"))
            .collect();
        f.write_str(&parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str =
        "SL:5/M:2/O:7/S:1/ED:3/EE:6/A:9/ID:2/LC:9/LI:7/LAV:5/LAC:8/FD:1/RD:2/NC:1/PV:5";

    #[test]
    fn the_published_example() {
        let r: OwaspRisk = EXAMPLE.parse().unwrap();
        assert_eq!(r.likelihood(), 4.375);
        assert_eq!(r.technical_impact(), 7.25);
        assert_eq!(r.business_impact(), 2.25);
        assert_eq!(Level::of(r.technical_impact()), Level::High);
        assert_eq!(Level::of(r.business_impact()), Level::Low);
        assert_eq!(
            r.severity(),
            OwaspSeverity {
                technical: Severity::High,
                business: Severity::Low
            }
        );
        assert_eq!(r.to_string(), EXAMPLE);
    }

    #[test]
    fn the_matrix_is_the_published_one() {
        use Level::*;
        let rows = [
            (High, [Severity::Medium, Severity::High, Severity::Critical]),
            (Medium, [Severity::Low, Severity::Medium, Severity::High]),
            (Low, [Severity::None, Severity::Low, Severity::Medium]),
        ];
        for (impact, expected) in rows {
            for (likelihood, e) in [Low, Medium, High].into_iter().zip(expected) {
                assert_eq!(
                    overall(likelihood, impact),
                    e,
                    "{likelihood:?} x {impact:?}"
                );
            }
        }
        assert_eq!(Level::of(2.99), Low);
        assert_eq!(Level::of(3.0), Medium);
        assert_eq!(Level::of(6.0), High);
    }

    #[test]
    fn errors_name_the_field() {
        let e = EXAMPLE
            .replace("PV:5", "PV:12")
            .parse::<OwaspRisk>()
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("factor PV (privacy violation): 12 is out of range 0-9"),
            "{e}"
        );
        let e = EXAMPLE
            .replace("/PV:5", "")
            .parse::<OwaspRisk>()
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("factor PV (privacy violation) is missing"),
            "{e}"
        );
        let e = format!("{EXAMPLE}/SL:1")
            .parse::<OwaspRisk>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("given twice"), "{e}");
        let e = format!("{EXAMPLE}/XX:1")
            .parse::<OwaspRisk>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown factor \"XX\""), "{e}");
    }
}
