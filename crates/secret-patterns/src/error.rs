//! Errors raised while loading rules.

/// Why a rule source could not be turned into a [`Catalog`](crate::Catalog).
///
/// Every variant names the source (a file name, or `<inline>`) and, where
/// there is one, the rule id and the field at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not valid TOML, or does not have the shape of a rule file.
    #[error("{source_name}: {message}")]
    Syntax {
        /// The file (or `<inline>`) the text came from.
        source_name: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A rule's regex does not compile.
    #[error("{source_name}: rule {rule_id:?}: field `{field}`: invalid regex: {message}")]
    Regex {
        /// The file (or `<inline>`) the rule came from.
        source_name: String,
        /// The rule's id.
        rule_id: String,
        /// The field holding the regex (`regex`, `allow.regexes`, `paths`...).
        field: String,
        /// The regex compiler's message.
        message: String,
    },
    /// A field has a value the rule format does not accept.
    #[error("{source_name}: rule {rule_id:?}: field `{field}`: {message}")]
    Field {
        /// The file (or `<inline>`) the rule came from.
        source_name: String,
        /// The rule's id.
        rule_id: String,
        /// The field at fault.
        field: String,
        /// What is wrong and how to mend it.
        message: String,
    },
    /// Two rules share an id.
    #[error("{source_name}: rule {rule_id:?} is defined twice")]
    DuplicateId {
        /// The file (or `<inline>`) holding the second definition.
        source_name: String,
        /// The repeated id.
        rule_id: String,
    },
}

impl Error {
    pub(crate) fn field(
        source_name: &str,
        rule_id: &str,
        field: &str,
        message: impl Into<String>,
    ) -> Self {
        Error::Field {
            source_name: source_name.to_string(),
            rule_id: rule_id.to_string(),
            field: field.to_string(),
            message: message.into(),
        }
    }
}
