//! Errors of every scoring method. Each names the field at fault.

/// Why a score could not be computed or a vector parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A factor is outside its scale.
    #[error("factor {factor}: {value} is out of range {min}-{max}")]
    OutOfRange {
        /// The factor's name.
        factor: &'static str,
        /// The value given.
        value: String,
        /// The lowest allowed value.
        min: u8,
        /// The highest allowed value.
        max: u8,
    },
    /// A factor the method needs is missing.
    #[error("factor {factor} is missing")]
    Missing {
        /// The factor's name.
        factor: &'static str,
    },
    /// A vector does not have the method's shape.
    #[error("invalid {method} vector: {message}")]
    Vector {
        /// `DREAD`, `OWASP` or `CVSS`.
        method: &'static str,
        /// What is wrong, naming the field.
        message: String,
    },
}

impl Error {
    pub(crate) fn vector(method: &'static str, message: impl Into<String>) -> Self {
        Error::Vector {
            method,
            message: message.into(),
        }
    }
}
