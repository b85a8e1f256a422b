//! The checks a regex match must pass before it becomes a finding.
//!
//! Each filter either lets a candidate through or returns a [`Rejection`]
//! naming itself and saying why, which is what the scanner's explain mode
//! prints.

pub mod entropy;
pub mod literal;
pub mod placeholder;
pub mod validator;
pub mod words;

use std::fmt;

use serde::Serialize;

/// Which check dropped a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Filter {
    /// The rule's own allow list (words or regexes).
    Allowlist,
    /// The catalogue-wide placeholder list (`changeme`, `${VAR}`, ...).
    Placeholder,
    /// Shannon entropy below the rule's minimum.
    Entropy,
    /// Too few character classes (lower, upper, digit, symbol).
    CharClasses,
    /// A structural or checksum validator failed.
    Validator,
    /// A generic rule's value is code, not a literal (see [`literal`]).
    Code,
    /// Common words and runs make up the value (see [`words`]).
    Words,
}

impl Filter {
    /// The kebab-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Filter::Allowlist => "allowlist",
            Filter::Placeholder => "placeholder",
            Filter::Entropy => "entropy",
            Filter::CharClasses => "char-classes",
            Filter::Validator => "validator",
            Filter::Code => "code",
            Filter::Words => "words",
        }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A candidate dropped by a filter, with the reason in words
/// (for example `entropy 2.10 < 3.50`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// The filter that dropped the candidate.
    pub filter: Filter,
    /// Why, in a short phrase.
    pub reason: String,
}

impl Rejection {
    pub(crate) fn new(filter: Filter, reason: impl Into<String>) -> Self {
        Rejection {
            filter,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.filter, self.reason)
    }
}
