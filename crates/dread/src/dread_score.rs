//! DREAD: Damage, Reproducibility, Exploitability, Affected users,
//! Discoverability, each 0-10; the score is their mean.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{Error, Severity};

/// One of the five DREAD factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DreadFactor {
    /// How bad an attack would be.
    Damage,
    /// How easy it is to reproduce.
    Reproducibility,
    /// How little is needed to launch it.
    Exploitability,
    /// How many users it touches.
    AffectedUsers,
    /// How easy it is to find.
    Discoverability,
}

impl DreadFactor {
    /// The five factors in the order of the compact form.
    pub const ALL: [DreadFactor; 5] = [
        DreadFactor::Damage,
        DreadFactor::Reproducibility,
        DreadFactor::Exploitability,
        DreadFactor::AffectedUsers,
        DreadFactor::Discoverability,
    ];

    /// The factor's name, as errors show it.
    pub fn name(self) -> &'static str {
        match self {
            DreadFactor::Damage => "Damage",
            DreadFactor::Reproducibility => "Reproducibility",
            DreadFactor::Exploitability => "Exploitability",
            DreadFactor::AffectedUsers => "Affected users",
            DreadFactor::Discoverability => "Discoverability",
        }
    }

    /// The letter of the compact form (`D`, `R`, `E`, `A`, `D`).
    pub fn letter(self) -> char {
        match self {
            DreadFactor::Damage | DreadFactor::Discoverability => 'D',
            DreadFactor::Reproducibility => 'R',
            DreadFactor::Exploitability => 'E',
            DreadFactor::AffectedUsers => 'A',
        }
    }
}

/// Which DREAD formula to apply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DreadVariant {
    /// The mean of all five factors.
    #[default]
    Standard,
    /// DREAD-D: Discoverability dropped, the mean of the other four (for
    /// teams that assume attackers find everything eventually and do not
    /// want obscurity to lower a score).
    DreadD,
    /// Discoverability forced to 10, then the mean of all five.
    AssumeDiscoverable,
}

impl FromStr for DreadVariant {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "standard" | "dread" => Ok(DreadVariant::Standard),
            "dread-d" => Ok(DreadVariant::DreadD),
            "assume-discoverable" => Ok(DreadVariant::AssumeDiscoverable),
            other => Err(Error::vector(
                "DREAD",
                format!(
                    "unknown variant {other:?} (expected standard, dread-d or assume-discoverable)"
                ),
            )),
        }
    }
}

/// One factor's rating, with an optional reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// 0 to 10.
    pub value: u8,
    /// Why this value (model facts, an analyst's note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}

/// A DREAD assessment: five ratings on a 0-10 scale.
///
/// ```
/// use dread::{DreadScore, DreadVariant, Severity};
///
/// let d: DreadScore = "D:8/R:6/E:7/A:9/D:5".parse()?;
/// assert_eq!(d.score(DreadVariant::Standard), 7.0);
/// assert_eq!(d.severity(DreadVariant::Standard), Severity::High);
/// assert_eq!(d.score(DreadVariant::DreadD), 7.5);
/// assert_eq!(d.score(DreadVariant::AssumeDiscoverable), 8.0);
/// assert_eq!(d.to_string(), "D:8/R:6/E:7/A:9/D:5");
/// # Ok::<(), dread::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DreadScore {
    /// Damage.
    pub damage: Rating,
    /// Reproducibility.
    pub reproducibility: Rating,
    /// Exploitability.
    pub exploitability: Rating,
    /// Affected users.
    pub affected_users: Rating,
    /// Discoverability.
    pub discoverability: Rating,
}

impl DreadScore {
    /// Builds an assessment from the five values in D, R, E, A, D order;
    /// a value over 10 is an error naming the factor.
    pub fn new(values: [u8; 5]) -> Result<DreadScore, Error> {
        for (factor, value) in DreadFactor::ALL.into_iter().zip(values) {
            check(factor, value)?;
        }
        let r = |value| Rating {
            value,
            rationale: None,
        };
        Ok(DreadScore {
            damage: r(values[0]),
            reproducibility: r(values[1]),
            exploitability: r(values[2]),
            affected_users: r(values[3]),
            discoverability: r(values[4]),
        })
    }

    /// Checks every factor (for values deserialized from untrusted input).
    pub fn validate(&self) -> Result<(), Error> {
        for f in DreadFactor::ALL {
            check(f, self.get(f).value)?;
        }
        Ok(())
    }

    /// One factor's rating.
    pub fn get(&self, factor: DreadFactor) -> &Rating {
        match factor {
            DreadFactor::Damage => &self.damage,
            DreadFactor::Reproducibility => &self.reproducibility,
            DreadFactor::Exploitability => &self.exploitability,
            DreadFactor::AffectedUsers => &self.affected_users,
            DreadFactor::Discoverability => &self.discoverability,
        }
    }

    /// One factor's rating, to change.
    pub fn get_mut(&mut self, factor: DreadFactor) -> &mut Rating {
        match factor {
            DreadFactor::Damage => &mut self.damage,
            DreadFactor::Reproducibility => &mut self.reproducibility,
            DreadFactor::Exploitability => &mut self.exploitability,
            DreadFactor::AffectedUsers => &mut self.affected_users,
            DreadFactor::Discoverability => &mut self.discoverability,
        }
    }

    /// Sets a factor with its rationale; a value over 10 is an error.
    pub fn set(
        &mut self,
        factor: DreadFactor,
        value: u8,
        rationale: Option<String>,
    ) -> Result<(), Error> {
        check(factor, value)?;
        *self.get_mut(factor) = Rating { value, rationale };
        Ok(())
    }

    /// The score under `variant`, 0.0 to 10.0.
    pub fn score(&self, variant: DreadVariant) -> f64 {
        let v = |f: DreadFactor| f64::from(self.get(f).value);
        let four = v(DreadFactor::Damage)
            + v(DreadFactor::Reproducibility)
            + v(DreadFactor::Exploitability)
            + v(DreadFactor::AffectedUsers);
        match variant {
            DreadVariant::Standard => (four + v(DreadFactor::Discoverability)) / 5.0,
            DreadVariant::DreadD => four / 4.0,
            DreadVariant::AssumeDiscoverable => (four + 10.0) / 5.0,
        }
    }

    /// The severity of the score under `variant`: see [`dread_severity`].
    pub fn severity(&self, variant: DreadVariant) -> Severity {
        dread_severity(self.score(variant))
    }
}

/// The DREAD level of a score, on the scale of our reference guide:
/// ≥ 8 Critical, ≥ 6 High, ≥ 4 Medium, else Low. (DREAD has no "none".)
pub fn dread_severity(score: f64) -> Severity {
    if score >= 8.0 {
        Severity::Critical
    } else if score >= 6.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else {
        Severity::Low
    }
}

fn check(factor: DreadFactor, value: u8) -> Result<(), Error> {
    if value > 10 {
        return Err(Error::OutOfRange {
            factor: factor.name(),
            value: value.to_string(),
            min: 0,
            max: 10,
        });
    }
    Ok(())
}

impl FromStr for DreadScore {
    type Err = Error;

    /// Parses the compact form `D:8/R:6/E:7/A:9/D:5`: five `LETTER:VALUE`
    /// parts in the order Damage, Reproducibility, Exploitability, Affected
    /// users, Discoverability (the two `D`s are told apart by position).
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |m: String| Error::vector("DREAD", m);
        let parts: Vec<&str> = s.trim().split('/').collect();
        let mut values = [0u8; 5];
        for (i, factor) in DreadFactor::ALL.into_iter().enumerate() {
            let Some(part) = parts.get(i) else {
                return Err(bad(format!(
                    "factor {} is missing (expected D:_/R:_/E:_/A:_/D:_)",
                    factor.name()
                )));
            };
            let (letter, value) = part
                .split_once(':')
                .ok_or_else(|| bad(format!("part {} {part:?} is not LETTER:VALUE", i + 1)))?;
            if !letter
                .trim()
                .eq_ignore_ascii_case(&factor.letter().to_string())
            {
                return Err(bad(format!(
                    "part {} is {letter:?}, expected {} ({})",
                    i + 1,
                    factor.letter(),
                    factor.name()
                )));
            }
            let value = value.trim();
            let n: u8 = value.parse().map_err(|_| {
                bad(format!(
                    "factor {}: {value:?} is not a whole number 0-10",
                    factor.name()
                ))
            })?;
            if n > 10 {
                return Err(bad(format!(
                    "factor {}: {n} is out of range 0-10",
                    factor.name()
                )));
            }
            values[i] = n;
        }
        if parts.len() > 5 {
            return Err(bad(format!(
                "{} parts, expected 5 (D:_/R:_/E:_/A:_/D:_)",
                parts.len()
            )));
        }
        DreadScore::new(values)
    }
}

impl fmt::Display for DreadScore {
    /// The compact form, `D:8/R:6/E:7/A:9/D:5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = DreadFactor::ALL
            .into_iter()
            .map(|x| format!("{}:{}", x.letter(), self.get(x).value))
            .collect();
        f.write_str(&parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_reference_scale() {
        assert_eq!(dread_severity(8.0), Severity::Critical);
        assert_eq!(dread_severity(7.99), Severity::High);
        assert_eq!(dread_severity(6.0), Severity::High);
        assert_eq!(dread_severity(4.0), Severity::Medium);
        assert_eq!(dread_severity(3.9), Severity::Low);
        assert_eq!(dread_severity(0.0), Severity::Low);
    }

    #[test]
    fn parse_errors_name_the_factor() {
        let e = "D:8/R:6/E:11/A:9/D:5"
            .parse::<DreadScore>()
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "invalid DREAD vector: factor Exploitability: 11 is out of range 0-10"
        );
        let e = "D:8/R:6/E:7/A:9"
            .parse::<DreadScore>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("factor Discoverability is missing"), "{e}");
        let e = "D:8/X:6/E:7/A:9/D:5"
            .parse::<DreadScore>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected R (Reproducibility)"), "{e}");
        let e = "D:8/R:six/E:7/A:9/D:5"
            .parse::<DreadScore>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("factor Reproducibility"), "{e}");
        assert!("D:1/R:1/E:1/A:1/D:1/X:1".parse::<DreadScore>().is_err());
        assert!("".parse::<DreadScore>().is_err());
        let e = DreadScore::new([1, 2, 3, 4, 200]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "factor Discoverability: 200 is out of range 0-10"
        );
    }

    #[test]
    fn rationale_is_kept_and_serialised() {
        let mut d = DreadScore::new([5; 5]).unwrap();
        d.set(
            DreadFactor::Exploitability,
            9,
            Some("internet-facing".into()),
        )
        .unwrap();
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["exploitability"]["rationale"], "internet-facing");
        assert!(d.set(DreadFactor::Damage, 11, None).is_err());
    }
}
