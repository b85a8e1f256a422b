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

use crate::{
    Error, Method, Severity,
    error::{check_range, parse_value},
};

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

/// The sixteen factors in vector order: the calculator's key, and the key
/// with the factor's name as errors show it.
const FACTORS: [(&str, &str); 16] = [
    ("SL", "SL (skill level)"),
    ("M", "M (motive)"),
    ("O", "O (opportunity)"),
    ("S", "S (size)"),
    ("ED", "ED (ease of discovery)"),
    ("EE", "EE (ease of exploit)"),
    ("A", "A (awareness)"),
    ("ID", "ID (intrusion detection)"),
    ("LC", "LC (loss of confidentiality)"),
    ("LI", "LI (loss of integrity)"),
    ("LAV", "LAV (loss of availability)"),
    ("LAC", "LAC (loss of accountability)"),
    ("FD", "FD (financial damage)"),
    ("RD", "RD (reputation damage)"),
    ("NC", "NC (non-compliance)"),
    ("PV", "PV (privacy violation)"),
];

/// An OWASP risk rating: sixteen factors, each 0-9, in the order of the
/// OWASP calculator's vector.
///
/// Any whole number from 0 to 9 is accepted, not only the values the
/// methodology names for each option: its own worked example rates factors
/// between the named options.
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
#[serde(try_from = "UncheckedOwasp")]
pub struct OwaspRisk {
    /// Values in the order of [`keys`](OwaspRisk::keys): SL M O S ED EE A
    /// ID LC LI LAV LAC FD RD NC PV. Private, so that every value is 0-9.
    factors: [u8; 16],
}

/// The overall severity, once from the technical impact and once from the
/// business impact. OWASP prefers the business impact where good business
/// information is available and the technical impact otherwise; we report
/// both and leave the choice to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwaspSeverity {
    /// Likelihood x technical impact.
    pub technical: Severity,
    /// Likelihood x business impact.
    pub business: Severity,
}

impl OwaspRisk {
    /// Builds a rating from the sixteen values in vector order; a value
    /// over 9 is an error naming the factor.
    pub fn new(factors: [u8; 16]) -> Result<OwaspRisk, Error> {
        for ((_, label), v) in FACTORS.iter().zip(factors) {
            check_range(label, i64::from(v), 0, 9)?;
        }
        Ok(OwaspRisk { factors })
    }

    /// The sixteen values, in the order of [`keys`](OwaspRisk::keys).
    pub fn factors(&self) -> [u8; 16] {
        self.factors
    }

    /// The vector keys in the order of [`factors`](OwaspRisk::factors):
    /// `SL`, `M`, `O`, `S`, `ED`, `EE`, `A`, `ID` (likelihood), `LC`, `LI`,
    /// `LAV`, `LAC` (technical impact), `FD`, `RD`, `NC`, `PV` (business
    /// impact).
    pub fn keys() -> [&'static str; 16] {
        FACTORS.map(|(k, _)| k)
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
    /// once, in any order, each 0-9. Keys are case-insensitive.
    fn from_str(s: &str) -> Result<Self, Error> {
        parse_vector(s).map_err(|e| Error::in_vector(Method::Owasp, e))
    }
}

fn parse_vector(s: &str) -> Result<OwaspRisk, Error> {
    let mut values: [Option<u8>; 16] = [None; 16];
    for part in s.trim().split('/') {
        let (key, value) = part.split_once(':').ok_or_else(|| Error::Malformed {
            part: part.to_string(),
        })?;
        let key = key.trim();
        let i = FACTORS
            .iter()
            .position(|(k, _)| k.eq_ignore_ascii_case(key))
            .ok_or_else(|| Error::UnknownFactor {
                key: key.to_string(),
            })?;
        let label = FACTORS[i].1;
        if values[i].is_some() {
            return Err(Error::Duplicate { factor: label });
        }
        values[i] = Some(parse_value(label, value, 9)?);
    }
    let mut factors = [0u8; 16];
    for ((slot, value), (_, label)) in factors.iter_mut().zip(values).zip(FACTORS) {
        *slot = value.ok_or(Error::Missing { factor: label })?;
    }
    OwaspRisk::new(factors)
}

/// The shape [`OwaspRisk`] deserialises from, checked before use.
#[derive(Deserialize)]
struct UncheckedOwasp {
    factors: [u8; 16],
}

impl TryFrom<UncheckedOwasp> for OwaspRisk {
    type Error = Error;

    fn try_from(u: UncheckedOwasp) -> Result<Self, Error> {
        OwaspRisk::new(u.factors)
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
        let reason = |v: &str| {
            let e = v.parse::<OwaspRisk>().unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::Vector {
                        method: Method::Owasp,
                        ..
                    }
                ),
                "{e:?}"
            );
            e.reason().clone()
        };
        let e = EXAMPLE
            .replace("PV:5", "PV:12")
            .parse::<OwaspRisk>()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid OWASP vector: factor PV (privacy violation): 12 is out of range 0-9"
        );
        assert_eq!(
            reason(&EXAMPLE.replace("/PV:5", "")),
            Error::Missing {
                factor: "PV (privacy violation)"
            }
        );
        assert_eq!(
            reason(&format!("{EXAMPLE}/SL:1")),
            Error::Duplicate {
                factor: "SL (skill level)"
            }
        );
        assert_eq!(
            reason(&format!("{EXAMPLE}/XX:1")),
            Error::UnknownFactor { key: "XX".into() }
        );
        assert_eq!(
            reason(&EXAMPLE.replace("ED:3", "ED:x")),
            Error::NotANumber {
                factor: "ED (ease of discovery)",
                value: "x".into()
            }
        );
        assert_eq!(
            reason(&EXAMPLE.replace("ED:3", "ED3")),
            Error::Malformed { part: "ED3".into() }
        );
        assert!(matches!(reason(""), Error::Malformed { .. }));
        let e = OwaspRisk::new([10; 16]).unwrap_err();
        assert_eq!(e.factor(), Some("SL (skill level)"));
    }

    #[test]
    fn keys_in_any_order_and_case() {
        let mut parts: Vec<&str> = EXAMPLE.split('/').collect();
        parts.reverse();
        let r: OwaspRisk = parts.join("/").to_lowercase().parse().unwrap();
        assert_eq!(r, EXAMPLE.parse().unwrap());
        assert_eq!(r.factors()[..4], [5, 2, 7, 1]);
        assert_eq!(OwaspRisk::keys()[15], "PV");
    }

    #[test]
    fn serde_round_trip_and_checks() {
        let r: OwaspRisk = EXAMPLE.parse().unwrap();
        let json = serde_json::to_value(r).unwrap();
        assert_eq!(serde_json::from_value::<OwaspRisk>(json).unwrap(), r);
        let mut bad = [0u8; 16];
        bad[11] = 10;
        let json = serde_json::json!({ "factors": bad });
        let e = serde_json::from_value::<OwaspRisk>(json).unwrap_err();
        assert!(
            e.to_string().contains("LAC (loss of accountability)"),
            "{e}"
        );
    }
}
