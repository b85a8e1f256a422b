//! Small pieces shared by the error types: the "did you mean" tail of an
//! unknown name, and what a parser refused ([`ParseProblem`]).

/// ` (did you mean "x"?)`, or nothing.
pub(crate) fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean {s:?}?)"),
        None => String::new(),
    }
}

/// The closest of `known` to `name`, owned.
pub(crate) fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    crate::attributes::suggest(name, known).map(str::to_string)
}

/// The field a serde message names after `lead` (`unknown field `, `missing
/// field `), as in ``missing field `reason` ``.
fn serde_field(message: &str, lead: &str) -> Option<String> {
    let after = message.split_once(lead)?.1.strip_prefix('`')?;
    after.split_once('`').map(|(name, _)| name.to_string())
}

/// What a parser (serde, reading a model, an attack tree or an
/// accepted-risks file) refused: an unknown key, a missing key, or anything
/// else. Displayed as the parser's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseProblem {
    /// A key the format does not know (the parser's text, which names it).
    #[error("{message}")]
    UnknownField {
        /// The unknown key.
        field: String,
        /// The parser's text.
        message: String,
    },
    /// A required key is missing (the parser's text, which names it).
    #[error("{message}")]
    MissingField {
        /// The missing key.
        field: String,
        /// The parser's text.
        message: String,
    },
    /// Anything else the parser refused (syntax, a wrong value type...):
    /// its text.
    #[error("{0}")]
    Syntax(String),
}

impl ParseProblem {
    /// A parser's text as a problem, naming the key when the text does.
    pub(crate) fn from_message(message: String) -> ParseProblem {
        if let Some(field) = serde_field(&message, "unknown field ") {
            ParseProblem::UnknownField { field, message }
        } else if let Some(field) = serde_field(&message, "missing field ") {
            ParseProblem::MissingField { field, message }
        } else {
            ParseProblem::Syntax(message)
        }
    }
}
