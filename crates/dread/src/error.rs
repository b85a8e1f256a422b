//! Errors of every scoring method. Each names the factor or metric at fault.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A scoring method that has a vector form, as named in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// The DREAD compact form, `D:8/R:6/E:7/A:9/D:5`.
    Dread,
    /// The OWASP risk calculator's vector, `SL:5/M:2/.../PV:5`.
    Owasp,
    /// A CVSS v3.0, v3.1 or v4.0 vector.
    Cvss,
}

impl Method {
    /// `DREAD`, `OWASP` or `CVSS`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Dread => "DREAD",
            Method::Owasp => "OWASP",
            Method::Cvss => "CVSS",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a score could not be built or a vector could not be parsed.
///
/// Errors from a vector parser are wrapped in [`Error::Vector`], which names
/// the method; the wrapped [`reason`](Error::reason) is one of the other
/// variants and names the factor or metric. Errors serialise (for JSON
/// reports) but do not deserialise.
///
/// ```
/// use dread::{DreadScore, Error};
///
/// let err = "D:8/R:6/E:11/A:9/D:5".parse::<DreadScore>().unwrap_err();
/// assert_eq!(err.factor(), Some("Exploitability"));
/// assert!(matches!(err.reason(), Error::OutOfRange { value: 11, .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Error {
    /// A factor's value is outside its scale.
    #[error("factor {factor}: {value} is out of range {min}-{max}")]
    OutOfRange {
        /// The factor's name.
        factor: &'static str,
        /// The value given.
        value: i64,
        /// The lowest allowed value.
        min: u8,
        /// The highest allowed value.
        max: u8,
    },
    /// A factor's value is not a whole number.
    #[error("factor {factor}: {value:?} is not a whole number")]
    NotANumber {
        /// The factor's name.
        factor: &'static str,
        /// The text given.
        value: String,
    },
    /// A factor the method needs is missing.
    #[error("factor {factor} is missing")]
    Missing {
        /// The factor's name.
        factor: &'static str,
    },
    /// A factor is given more than once.
    #[error("factor {factor} is given twice")]
    Duplicate {
        /// The factor's name.
        factor: &'static str,
    },
    /// A key names no factor of the method.
    #[error("unknown factor {key:?}")]
    UnknownFactor {
        /// The key given.
        key: String,
    },
    /// A part of a positional vector (DREAD) holds the wrong factor.
    #[error("part {position} is {found:?}, expected {expected}")]
    WrongFactor {
        /// The part's position, from 1.
        position: usize,
        /// The key found there.
        found: String,
        /// The key and factor expected there, e.g. `R (Reproducibility)`.
        expected: &'static str,
    },
    /// A part of a vector is not `KEY:VALUE`.
    #[error("part {part:?} is not KEY:VALUE")]
    Malformed {
        /// The part as given.
        part: String,
    },
    /// A vector has more parts than its method has factors.
    #[error("{count} parts, expected {expected}")]
    TooManyParts {
        /// Parts found.
        count: usize,
        /// Parts expected.
        expected: usize,
    },
    /// A DREAD variant name is not one we know.
    #[error("unknown variant {name:?} (expected standard, dread-d or assume-discoverable)")]
    UnknownVariant {
        /// The name given.
        name: String,
    },
    /// A CVSS vector does not start with a version prefix we score.
    #[error("{vector:?} does not start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/")]
    UnknownVersion {
        /// The vector as given.
        vector: String,
    },
    /// A CVSS base metric is missing.
    #[error("metric {metric} is missing")]
    MissingMetric {
        /// The metric's key and name, e.g. `AC (Attack Complexity)`.
        metric: &'static str,
    },
    /// A CVSS base metric is given more than once.
    #[error("metric {metric} is given twice")]
    DuplicateMetric {
        /// The metric's key and name.
        metric: &'static str,
    },
    /// The `cvss` crate refused the vector (an unknown metric or value).
    #[error("{message}")]
    Cvss {
        /// The `cvss` crate's message.
        message: String,
    },
    /// A deserialised CVSS score disagrees with its own vector.
    #[error("the stored {field} does not match the vector")]
    Mismatch {
        /// `version`, `score` or `severity`.
        field: &'static str,
    },
    /// A vector could not be parsed; `reason` names the field at fault.
    #[error("invalid {method} vector: {reason}")]
    Vector {
        /// The method whose vector it is.
        method: Method,
        /// What is wrong (never another `Vector`).
        reason: Box<Error>,
    },
}

impl Error {
    /// Wraps a parser's error with the method it belongs to.
    pub(crate) fn in_vector(method: Method, reason: Error) -> Error {
        match reason {
            Error::Vector { .. } => reason,
            reason => Error::Vector {
                method,
                reason: Box::new(reason),
            },
        }
    }

    /// The error beneath an [`Error::Vector`] wrapper; `self` otherwise.
    pub fn reason(&self) -> &Error {
        match self {
            Error::Vector { reason, .. } => reason,
            other => other,
        }
    }

    /// The factor or metric at fault, where the error names one.
    pub fn factor(&self) -> Option<&str> {
        match self.reason() {
            Error::OutOfRange { factor, .. }
            | Error::NotANumber { factor, .. }
            | Error::Missing { factor }
            | Error::Duplicate { factor } => Some(factor),
            Error::MissingMetric { metric } | Error::DuplicateMetric { metric } => Some(metric),
            Error::WrongFactor { expected, .. } => Some(expected),
            Error::UnknownFactor { key } => Some(key),
            Error::Mismatch { field } => Some(field),
            _ => None,
        }
    }
}

/// Parses a factor's value, any whole number, so that `11` and `-1` are
/// reported as out of range rather than as not numbers.
pub(crate) fn parse_value(factor: &'static str, text: &str, max: u8) -> Result<u8, Error> {
    let text = text.trim();
    let n: i64 = text.parse().map_err(|_| Error::NotANumber {
        factor,
        value: text.to_string(),
    })?;
    check_range(factor, n, 0, max)
}

/// Checks `value` is within `min..=max`.
pub(crate) fn check_range(factor: &'static str, value: i64, min: u8, max: u8) -> Result<u8, Error> {
    match u8::try_from(value) {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(Error::OutOfRange {
            factor,
            value,
            min,
            max,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_errors_wrap_once_and_serialise() {
        let inner = Error::Missing { factor: "Damage" };
        let once = Error::in_vector(Method::Dread, inner.clone());
        assert_eq!(Error::in_vector(Method::Owasp, once.clone()), once);
        assert_eq!(once.reason(), &inner);
        assert_eq!(inner.reason(), &inner);
        assert_eq!(once.factor(), Some("Damage"));
        assert_eq!(
            serde_json::to_value(&once).unwrap(),
            serde_json::json!({
                "kind": "vector",
                "method": "dread",
                "reason": { "kind": "missing", "factor": "Damage" }
            })
        );
        assert_eq!(check_range("x", 300, 0, 9).unwrap_err().factor(), Some("x"));
        assert_eq!(parse_value("x", " 9 ", 9), Ok(9));
        assert!(matches!(
            parse_value("x", "99999999999999999999", 9),
            Err(Error::NotANumber { .. })
        ));
    }
}
