//! CVSS v3.0/v3.1 and v4.0 base scores, computed by RustSec's `cvss` crate.
//! We only check the vector is complete and map the result: the scoring
//! tables are theirs.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{Error, Method, Severity};

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
#[serde(try_from = "UncheckedCvss")]
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

/// The base metrics of v3.0/v3.1: key, and key with name.
const V3_BASE: [(&str, &str); 8] = [
    ("AV", "AV (Attack Vector)"),
    ("AC", "AC (Attack Complexity)"),
    ("PR", "PR (Privileges Required)"),
    ("UI", "UI (User Interaction)"),
    ("S", "S (Scope)"),
    ("C", "C (Confidentiality)"),
    ("I", "I (Integrity)"),
    ("A", "A (Availability)"),
];

/// The base metrics of v4.0: key, and key with name.
const V4_BASE: [(&str, &str); 11] = [
    ("AV", "AV (Attack Vector)"),
    ("AC", "AC (Attack Complexity)"),
    ("AT", "AT (Attack Requirements)"),
    ("PR", "PR (Privileges Required)"),
    ("UI", "UI (User Interaction)"),
    ("VC", "VC (Vulnerable System Confidentiality)"),
    ("VI", "VI (Vulnerable System Integrity)"),
    ("VA", "VA (Vulnerable System Availability)"),
    ("SC", "SC (Subsequent System Confidentiality)"),
    ("SI", "SI (Subsequent System Integrity)"),
    ("SA", "SA (Subsequent System Availability)"),
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

/// The qualitative severity of a CVSS base score, on the specification's
/// scale (the same for v3.x and v4.0), as the `cvss` crate computes it:
/// below 0.1 None, below 4.0 Low, below 7.0 Medium, below 9.0 High, else
/// Critical.
pub fn cvss_severity(score: f64) -> Severity {
    map(cvss::v3::Score::new(score).severity())
}

impl FromStr for CvssScore {
    type Err = Error;

    /// Parses and scores a `CVSS:3.0/`, `CVSS:3.1/` or `CVSS:4.0/` vector.
    /// Every base metric must be present, exactly once (the `cvss` crate
    /// itself accepts partial vectors); other metrics the `cvss` crate
    /// knows (threat, temporal, environmental, supplemental) are checked
    /// but do not change the score, which is always the base score.
    fn from_str(s: &str) -> Result<Self, Error> {
        score_vector(s.trim()).map_err(|e| Error::in_vector(Method::Cvss, e))
    }
}

fn score_vector(vector: &str) -> Result<CvssScore, Error> {
    let (version, base) = if vector.starts_with("CVSS:3.1/") {
        (CvssVersion::V3_1, &V3_BASE[..])
    } else if vector.starts_with("CVSS:3.0/") {
        (CvssVersion::V3_0, &V3_BASE[..])
    } else if vector.starts_with("CVSS:4.0/") {
        (CvssVersion::V4_0, &V4_BASE[..])
    } else {
        return Err(Error::UnknownVersion {
            vector: vector.to_string(),
        });
    };
    let parts: Vec<(&str, &str)> = vector
        .split('/')
        .skip(1)
        .map(|p| p.split_once(':').unwrap_or((p, "")))
        .collect();
    for &(key, metric) in base {
        match parts.iter().filter(|(k, _)| *k == key).count() {
            0 => return Err(Error::MissingMetric { metric }),
            1 => {}
            _ => return Err(Error::DuplicateMetric { metric }),
        }
    }
    let refused = |e: cvss::Error| Error::Cvss {
        message: e.to_string(),
    };
    // Every base metric is present, so the `cvss` crate's scoring (which
    // unwraps them) cannot panic.
    let (score, severity) = match version {
        CvssVersion::V4_0 => {
            // The whole vector must be valid, but v4.0 folds threat and
            // environmental metrics into its one score (CVSS-BT, -BE, -BTE):
            // score the base metrics alone for the base score.
            cvss::v4::Vector::from_str(vector).map_err(refused)?;
            let mut base_only = String::from("CVSS:4.0");
            for &(key, _) in base {
                for (k, v) in &parts {
                    if *k == key {
                        base_only.push('/');
                        base_only.push_str(k);
                        base_only.push(':');
                        base_only.push_str(v);
                    }
                }
            }
            let score = cvss::v4::Vector::from_str(&base_only)
                .map_err(refused)?
                .score();
            (score.clone().value(), map(score.severity()))
        }
        CvssVersion::V3_0 | CvssVersion::V3_1 => {
            // v3's `score` is the base score whatever else is given.
            let score = cvss::v3::Vector::from_str(vector).map_err(refused)?.score();
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

/// The shape [`CvssScore`] deserialises from: the vector is scored again
/// and must agree with the stored version, score and severity.
#[derive(Deserialize)]
struct UncheckedCvss {
    version: CvssVersion,
    vector: String,
    score: f64,
    severity: Severity,
}

impl TryFrom<UncheckedCvss> for CvssScore {
    type Error = Error;

    fn try_from(u: UncheckedCvss) -> Result<Self, Error> {
        let fresh: CvssScore = u.vector.parse()?;
        let field = if fresh.version != u.version {
            Some("version")
        } else if fresh.score != u.score {
            Some("score")
        } else if fresh.severity != u.severity {
            Some("severity")
        } else {
            None
        };
        match field {
            Some(field) => Err(Error::in_vector(Method::Cvss, Error::Mismatch { field })),
            None => Ok(fresh),
        }
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

    fn reason(v: &str) -> Error {
        let e = v.parse::<CvssScore>().unwrap_err();
        assert!(
            matches!(
                e,
                Error::Vector {
                    method: Method::Cvss,
                    ..
                }
            ),
            "{e:?}"
        );
        e.reason().clone()
    }

    #[test]
    fn known_v3_vectors() {
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            (9.8, Severity::Critical)
        );
        // CVE-2013-1937 (phpMyAdmin reflected XSS), the specification's
        // example: 6.1 Medium.
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),
            (6.1, Severity::Medium)
        );
        // Scope changed, all high: 10.0.
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"),
            (10.0, Severity::Critical)
        );
        // Network, high privileges, high impact: 7.2 High.
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"),
            (7.2, Severity::High)
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
        // Temporal metrics are accepted; the base score is reported.
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U"),
            (9.8, Severity::Critical)
        );
        // Metric order is free.
        assert_eq!(
            score("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N"),
            (9.8, Severity::Critical)
        );
    }

    #[test]
    fn known_v4_vectors() {
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            (9.3, Severity::Critical)
        );
        // Supplemental metrics are accepted and do not change the score.
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:N/AU:Y"),
            (9.3, Severity::Critical)
        );
        // So are threat and environmental metrics; the base score is still
        // reported (the `cvss` crate alone would give the CVSS-BTE score).
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/MAV:P/CR:L"),
            (9.3, Severity::Critical)
        );
        // No impact at all: 0.0 None.
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N"),
            (0.0, Severity::None)
        );
        let (s, sev) = score("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N");
        assert!(
            (4.0..7.0).contains(&s) && sev == Severity::Medium,
            "{s} {sev}"
        );
        let (s, sev) = score("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N");
        assert!(s > 0.0 && s < 4.0 && sev == Severity::Low, "{s} {sev}");
    }

    #[test]
    fn incomplete_and_malformed_vectors_are_refused() {
        let e = "CVSS:3.1/AV:N".parse::<CvssScore>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid CVSS vector: metric AC (Attack Complexity) is missing"
        );
        assert_eq!(e.factor(), Some("AC (Attack Complexity)"));
        assert_eq!(
            reason("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"),
            Error::MissingMetric {
                metric: "SA (Subsequent System Availability)"
            }
        );
        // A v3 vector under a v4 prefix misses v4's metrics.
        assert_eq!(
            reason("CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            Error::MissingMetric {
                metric: "AT (Attack Requirements)"
            }
        );
        assert!(matches!(
            reason("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            Error::Cvss { .. }
        ));
        assert!(matches!(
            reason("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1"),
            Error::Cvss { .. }
        ));
        assert!(matches!(reason("AV:N/AC:L"), Error::UnknownVersion { .. }));
        assert!(matches!(
            reason("CVSS:2.0/AV:N"),
            Error::UnknownVersion { .. }
        ));
        assert_eq!(
            reason("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            Error::DuplicateMetric {
                metric: "AV (Attack Vector)"
            }
        );
        assert!("CVSS:3.1/".parse::<CvssScore>().is_err());
        assert!("CVSS:4.0///".parse::<CvssScore>().is_err());
    }

    #[test]
    fn the_severity_scale() {
        assert_eq!(cvss_severity(0.0), Severity::None);
        assert_eq!(cvss_severity(0.1), Severity::Low);
        assert_eq!(cvss_severity(3.9), Severity::Low);
        assert_eq!(cvss_severity(4.0), Severity::Medium);
        assert_eq!(cvss_severity(6.9), Severity::Medium);
        assert_eq!(cvss_severity(7.0), Severity::High);
        assert_eq!(cvss_severity(8.9), Severity::High);
        assert_eq!(cvss_severity(9.0), Severity::Critical);
        assert_eq!(cvss_severity(10.0), Severity::Critical);
    }

    #[test]
    fn serde_rescoring() {
        let c: CvssScore = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
            .parse()
            .unwrap();
        let mut json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["version"], "cvss3.1");
        assert_eq!(
            serde_json::from_value::<CvssScore>(json.clone()).unwrap(),
            c
        );
        json["score"] = 5.0.into();
        let e = serde_json::from_value::<CvssScore>(json).unwrap_err();
        assert!(e.to_string().contains("stored score does not match"), "{e}");
    }

    /// Every complete v3.1 base vector scores without panicking, within
    /// 0-10, with the severity of its score.
    #[test]
    fn every_v3_base_vector() {
        let mut n = 0;
        for av in ["N", "A", "L", "P"] {
            for ac in ["L", "H"] {
                for pr in ["N", "L", "H"] {
                    for ui in ["N", "R"] {
                        for s in ["U", "C"] {
                            for c in ["H", "L", "N"] {
                                for i in ["H", "L", "N"] {
                                    for a in ["H", "L", "N"] {
                                        let v = format!(
                                            "CVSS:3.1/AV:{av}/AC:{ac}/PR:{pr}/UI:{ui}/S:{s}/C:{c}/I:{i}/A:{a}"
                                        );
                                        let (score, sev) = score(&v);
                                        assert!((0.0..=10.0).contains(&score), "{v}");
                                        assert_eq!(sev, cvss_severity(score), "{v}");
                                        n += 1;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(n, 2592);
    }

    /// Every seventh complete v4.0 base vector (of 104,976; the stride is
    /// prime to every metric's number of values, so every value of every
    /// metric is met many times) scores without panicking, within 0-10, with
    /// the severity of its score. All of them take seconds in a debug build.
    #[test]
    fn every_v4_base_vector() {
        const METRICS: [(&str, &[&str]); 11] = [
            ("AV", &["N", "A", "L", "P"]),
            ("AC", &["L", "H"]),
            ("AT", &["N", "P"]),
            ("PR", &["N", "L", "H"]),
            ("UI", &["N", "P", "A"]),
            ("VC", &["H", "L", "N"]),
            ("VI", &["H", "L", "N"]),
            ("VA", &["H", "L", "N"]),
            ("SC", &["H", "L", "N"]),
            ("SI", &["H", "L", "N"]),
            ("SA", &["H", "L", "N"]),
        ];
        let total: usize = METRICS.iter().map(|(_, v)| v.len()).product();
        assert_eq!(total, 104_976);
        for index in (0..total).step_by(7) {
            let mut v = String::from("CVSS:4.0");
            let mut rest = index;
            for (key, values) in METRICS {
                v.push('/');
                v.push_str(key);
                v.push(':');
                v.push_str(values[rest % values.len()]);
                rest /= values.len();
            }
            let (score, sev) = score(&v);
            assert!((0.0..=10.0).contains(&score), "{v}");
            assert_eq!(sev, cvss_severity(score), "{v}");
        }
    }
}
