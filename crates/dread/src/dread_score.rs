//! DREAD: Damage, Reproducibility, Exploitability, Affected users,
//! Discoverability, each 0-10; the score is their mean.
//!
//! (Over 500 lines because of its tests: the code above them is about 370.)

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{
    Error, Method, Severity,
    error::{check_range, parse_value},
};

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

    /// The serde name: `damage`, `reproducibility`, `exploitability`,
    /// `affected_users`, `discoverability`.
    pub fn key(self) -> &'static str {
        match self {
            DreadFactor::Damage => "damage",
            DreadFactor::Reproducibility => "reproducibility",
            DreadFactor::Exploitability => "exploitability",
            DreadFactor::AffectedUsers => "affected_users",
            DreadFactor::Discoverability => "discoverability",
        }
    }

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

    /// The key and name, as a parse error expects it: `R (Reproducibility)`.
    fn label(self) -> &'static str {
        match self {
            DreadFactor::Damage => "D (Damage)",
            DreadFactor::Reproducibility => "R (Reproducibility)",
            DreadFactor::Exploitability => "E (Exploitability)",
            DreadFactor::AffectedUsers => "A (Affected users)",
            DreadFactor::Discoverability => "D (Discoverability)",
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

impl DreadVariant {
    /// Every variant.
    pub const ALL: [DreadVariant; 3] = [
        DreadVariant::Standard,
        DreadVariant::DreadD,
        DreadVariant::AssumeDiscoverable,
    ];

    /// `standard`, `dread-d` or `assume-discoverable` (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            DreadVariant::Standard => "standard",
            DreadVariant::DreadD => "dread-d",
            DreadVariant::AssumeDiscoverable => "assume-discoverable",
        }
    }
}

impl fmt::Display for DreadVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DreadVariant {
    type Err = Error;

    /// Parses the names [`as_str`](DreadVariant::as_str) prints.
    fn from_str(s: &str) -> Result<Self, Error> {
        DreadVariant::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or_else(|| Error::UnknownVariant {
                name: s.to_string(),
            })
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

/// A DREAD assessment: five ratings on a 0-10 scale, each with an optional
/// rationale.
///
/// Build one with [`DreadScore::new`], [`set`](DreadScore::set) or by
/// parsing the compact form; all three check every value. The fields are
/// public so that callers which already hold checked values can build a
/// score directly; [`validate`](DreadScore::validate) checks such a value,
/// and deserialisation checks it too.
///
/// ```
/// use dread::{DreadFactor, DreadScore, DreadVariant, Severity};
///
/// let mut d: DreadScore = "D:8/R:6/E:7/A:9/D:5".parse()?;
/// assert_eq!(d.score(DreadVariant::Standard), 7.0);
/// assert_eq!(d.severity(DreadVariant::Standard), Severity::High);
/// assert_eq!(d.score(DreadVariant::DreadD), 7.5);
/// assert_eq!(d.score(DreadVariant::AssumeDiscoverable), 8.0);
/// assert_eq!(d.to_string(), "D:8/R:6/E:7/A:9/D:5");
///
/// d.set(DreadFactor::Discoverability, 10, Some("listed by a public scanner".into()))?;
/// assert_eq!(d.score(DreadVariant::Standard), 8.0);
/// assert_eq!(d.severity(DreadVariant::Standard), Severity::Critical);
/// # Ok::<(), dread::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedDread")]
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
    check_range(factor.name(), i64::from(value), 0, 10).map(|_| ())
}

impl FromStr for DreadScore {
    type Err = Error;

    /// Parses the compact form `D:8/R:6/E:7/A:9/D:5`: five `LETTER:VALUE`
    /// parts in the order Damage, Reproducibility, Exploitability, Affected
    /// users, Discoverability (the two `D`s are told apart by position).
    /// Letters are case-insensitive; spaces around parts are ignored.
    fn from_str(s: &str) -> Result<Self, Error> {
        parse_compact(s).map_err(|e| Error::in_vector(Method::Dread, e))
    }
}

fn parse_compact(s: &str) -> Result<DreadScore, Error> {
    let parts: Vec<&str> = s.trim().split('/').collect();
    let mut values = [0u8; 5];
    for (i, factor) in DreadFactor::ALL.into_iter().enumerate() {
        let Some(part) = parts.get(i) else {
            return Err(Error::Missing {
                factor: factor.name(),
            });
        };
        let (letter, value) = part.split_once(':').ok_or_else(|| Error::Malformed {
            part: (*part).to_string(),
        })?;
        let letter = letter.trim();
        let mut chars = letter.chars();
        let matches = chars
            .next()
            .is_some_and(|c| c.eq_ignore_ascii_case(&factor.letter()))
            && chars.next().is_none();
        if !matches {
            return Err(Error::WrongFactor {
                position: i + 1,
                found: letter.to_string(),
                expected: factor.label(),
            });
        }
        values[i] = parse_value(factor.name(), value, 10)?;
    }
    if parts.len() > 5 {
        return Err(Error::TooManyParts {
            count: parts.len(),
            expected: 5,
        });
    }
    DreadScore::new(values)
}

/// The shape [`DreadScore`] deserialises from, checked before use.
#[derive(Deserialize)]
struct UncheckedDread {
    damage: Rating,
    reproducibility: Rating,
    exploitability: Rating,
    affected_users: Rating,
    discoverability: Rating,
}

impl TryFrom<UncheckedDread> for DreadScore {
    type Error = Error;

    fn try_from(u: UncheckedDread) -> Result<Self, Error> {
        let d = DreadScore {
            damage: u.damage,
            reproducibility: u.reproducibility,
            exploitability: u.exploitability,
            affected_users: u.affected_users,
            discoverability: u.discoverability,
        };
        d.validate()?;
        Ok(d)
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

    fn reason(s: &str) -> Error {
        let e = s.parse::<DreadScore>().unwrap_err();
        assert!(
            matches!(
                e,
                Error::Vector {
                    method: Method::Dread,
                    ..
                }
            ),
            "{e:?}"
        );
        e.reason().clone()
    }

    #[test]
    fn levels_follow_the_reference_scale() {
        assert_eq!(dread_severity(10.0), Severity::Critical);
        assert_eq!(dread_severity(8.0), Severity::Critical);
        assert_eq!(dread_severity(7.99), Severity::High);
        assert_eq!(dread_severity(6.0), Severity::High);
        assert_eq!(dread_severity(5.99), Severity::Medium);
        assert_eq!(dread_severity(4.0), Severity::Medium);
        assert_eq!(dread_severity(3.9), Severity::Low);
        assert_eq!(dread_severity(0.0), Severity::Low);
        assert_eq!(dread_severity(f64::NAN), Severity::Low);
    }

    #[test]
    fn variants() {
        let d: DreadScore = "D:8/R:6/E:7/A:9/D:5".parse().unwrap();
        assert_eq!(d.score(DreadVariant::Standard), 7.0);
        assert_eq!(d.score(DreadVariant::DreadD), 7.5);
        assert_eq!(d.score(DreadVariant::AssumeDiscoverable), 8.0);
        assert_eq!(
            d.severity(DreadVariant::AssumeDiscoverable),
            Severity::Critical
        );
        // Discoverability matters only to the standard formula.
        let hidden: DreadScore = "D:8/R:6/E:7/A:9/D:0".parse().unwrap();
        assert_eq!(hidden.score(DreadVariant::Standard), 6.0);
        assert_eq!(hidden.score(DreadVariant::DreadD), 7.5);
        assert_eq!(hidden.score(DreadVariant::AssumeDiscoverable), 8.0);
        for f in DreadFactor::ALL {
            assert_eq!(serde_json::to_value(f).unwrap(), f.key());
        }
        for v in DreadVariant::ALL {
            assert_eq!(v.as_str().parse::<DreadVariant>().unwrap(), v);
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
        }
        assert!(matches!(
            "dread-x".parse::<DreadVariant>(),
            Err(Error::UnknownVariant { .. })
        ));
    }

    #[test]
    fn parse_errors_name_the_factor() {
        let e = "D:8/R:6/E:11/A:9/D:5".parse::<DreadScore>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid DREAD vector: factor Exploitability: 11 is out of range 0-10"
        );
        assert_eq!(e.factor(), Some("Exploitability"));
        assert_eq!(
            reason("D:8/R:6/E:7/A:9"),
            Error::Missing {
                factor: "Discoverability"
            }
        );
        assert_eq!(
            reason("D:8/X:6/E:7/A:9/D:5"),
            Error::WrongFactor {
                position: 2,
                found: "X".into(),
                expected: "R (Reproducibility)"
            }
        );
        // The second D is Discoverability, by position.
        assert_eq!(
            reason("D:8/R:6/E:7/A:9/A:5").factor(),
            Some("D (Discoverability)")
        );
        assert_eq!(
            reason("D:8/R:six/E:7/A:9/D:5"),
            Error::NotANumber {
                factor: "Reproducibility",
                value: "six".into()
            }
        );
        assert_eq!(
            reason("D:-1/R:6/E:7/A:9/D:5"),
            Error::OutOfRange {
                factor: "Damage",
                value: -1,
                min: 0,
                max: 10
            }
        );
        assert_eq!(
            reason("D:8/R:6/E:7/A:300/D:5").factor(),
            Some("Affected users")
        );
        assert_eq!(
            reason("D:1/R:1/E:1/A:1/D:1/X:1"),
            Error::TooManyParts {
                count: 6,
                expected: 5
            }
        );
        assert_eq!(reason(""), Error::Malformed { part: "".into() });
        assert_eq!(
            reason("D:1/R:1/E:1/A:1/DD:1"),
            Error::WrongFactor {
                position: 5,
                found: "DD".into(),
                expected: "D (Discoverability)"
            }
        );
        let e = DreadScore::new([1, 2, 3, 4, 200]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "factor Discoverability: 200 is out of range 0-10"
        );
    }

    #[test]
    fn compact_form_round_trips() {
        let d: DreadScore = " d:0 / r:10 /e:3/a:4/D:10 ".parse().unwrap();
        assert_eq!(d.to_string(), "D:0/R:10/E:3/A:4/D:10");
        assert_eq!(d.to_string().parse::<DreadScore>().unwrap(), d);
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
        assert_eq!(json["damage"], serde_json::json!({ "value": 5 }));
        let back: DreadScore = serde_json::from_value(json).unwrap();
        assert_eq!(back, d);
        assert!(d.set(DreadFactor::Damage, 11, None).is_err());
        assert_eq!(d.damage.value, 5);
    }

    #[test]
    fn deserialising_checks_every_factor() {
        let mut json = serde_json::to_value(DreadScore::new([5; 5]).unwrap()).unwrap();
        json["affected_users"]["value"] = 11.into();
        let e = serde_json::from_value::<DreadScore>(json.clone()).unwrap_err();
        assert!(e.to_string().contains("factor Affected users: 11"), "{e}");
        json.as_object_mut().unwrap().remove("damage");
        let e = serde_json::from_value::<DreadScore>(json).unwrap_err();
        assert!(e.to_string().contains("damage"), "{e}");
    }
}
