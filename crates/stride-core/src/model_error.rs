//! The errors of the model: [`ModelError`] of
//! [`Model::load`](crate::Model::load), where (file, line, path) and what
//! ([`ModelProblem`]), with every other problem of the same model; and
//! [`ParseComponentTypeError`] of `ComponentType::from_str`.

use crate::hint::{ParseProblem, did_you_mean};
use crate::limits::TooDeep;
use crate::model::ComponentType;

/// A problem found while loading or validating a model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {path}: {problem}{}", more_lines(.more))]
pub struct ModelError {
    /// The file name (or `<model>`).
    pub file: String,
    /// 1-based line of the offending key (0 when unknown).
    pub line: usize,
    /// Where in the model, e.g. `flows[2].to`.
    pub path: String,
    /// What is wrong.
    pub problem: ModelProblem,
    /// The other problems of the same model, in model order: a model is
    /// checked whole, so one run lists every problem (one line each).
    pub more: Vec<ModelError>,
}

fn more_lines(more: &[ModelError]) -> String {
    more.iter().map(|e| format!("\n{e}")).collect()
}

/// What is wrong with a model: [`ModelError::problem`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelProblem {
    /// The document nests too deep: refused before parsing.
    #[error("{0}")]
    TooDeep(TooDeep),
    /// The parser refused the text: an unknown or missing key, or any
    /// other syntax or type error.
    #[error(transparent)]
    Parse(ParseProblem),
    /// A value outside a closed list (an element `kind`, a `type`, a
    /// `classification`...).
    #[error("unknown {what} {name:?}{}", variant_hint(.suggestion, .expected))]
    UnknownVariant {
        /// What the value is: `type`, `kind`, `classification` or `value`.
        what: String,
        /// The value as written.
        name: String,
        /// The close spelling, when one is close.
        suggestion: Option<String>,
        /// Every allowed value (listed when none is close).
        expected: Vec<String>,
    },
    /// An id is empty.
    #[error("empty id")]
    EmptyId,
    /// Two boundaries share an id.
    #[error("duplicate boundary id {id:?}")]
    DuplicateBoundaryId {
        /// The id.
        id: String,
    },
    /// Two data assets share an id.
    #[error("duplicate data id {id:?}")]
    DuplicateDataId {
        /// The id.
        id: String,
    },
    /// Two elements or flows share an id (they share one id space).
    #[error("duplicate id {id:?}")]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// A `boundary` or `parent` names no boundary.
    #[error("unknown boundary {name:?}{}", did_you_mean(.suggestion))]
    UnknownBoundary {
        /// The id as written.
        name: String,
        /// The close id, when one is close.
        suggestion: Option<String>,
    },
    /// A flow's `from` or `to` names no element.
    #[error("unknown element {name:?}{}", did_you_mean(.suggestion))]
    UnknownElement {
        /// The id as written.
        name: String,
        /// The close id, when one is close.
        suggestion: Option<String>,
    },
    /// `stores` or `carries` names no data asset.
    #[error("unknown data asset {name:?}{}", did_you_mean(.suggestion))]
    UnknownDataAsset {
        /// The id as written.
        name: String,
        /// The close id, when one is close.
        suggestion: Option<String>,
    },
    /// An element declares an attribute the rules do not know.
    #[error("element {element:?}: unknown attribute {name:?}{}", did_you_mean(.suggestion))]
    UnknownAttribute {
        /// The element's id.
        element: String,
        /// The attribute as written.
        name: String,
        /// The close attribute, when one is close.
        suggestion: Option<String>,
    },
    /// Boundaries nest in a loop.
    #[error("boundary nesting has a cycle: {}", .cycle.join(" -> "))]
    NestingCycle {
        /// The boundaries followed, from the one reported back to the one
        /// met twice.
        cycle: Vec<String>,
    },
    /// The model was refused without a more precise problem.
    #[error("invalid model")]
    Invalid,
}

/// A name that is no [`ComponentType`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown type {name:?} ({})", match .suggestion {
    Some(t) => format!("did you mean {:?}?", t.as_str()),
    None => "`threat-modeler component --list` lists them".to_string(),
})]
#[non_exhaustive]
pub struct ParseComponentTypeError {
    /// The name as written.
    pub name: String,
    /// The type whose name is close, if one is.
    pub suggestion: Option<ComponentType>,
}

fn variant_hint(suggestion: &Option<String>, expected: &[String]) -> String {
    match suggestion {
        Some(_) => did_you_mean(suggestion),
        None => format!("; expected one of {}", expected.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::{ComponentType, ParseComponentTypeError};

    #[test]
    fn an_unknown_type_names_the_close_one() {
        let e = "web_ap".parse::<ComponentType>().unwrap_err();
        assert!(matches!(
            e,
            ParseComponentTypeError {
                suggestion: Some(ComponentType::WebApp),
                ..
            }
        ));
        assert_eq!(
            e.to_string(),
            r#"unknown type "web_ap" (did you mean "web_app"?)"#
        );
        let e = "zzzzzzzzz".parse::<ComponentType>().unwrap_err();
        assert_eq!(e.suggestion, None);
        assert_eq!(
            e.to_string(),
            r#"unknown type "zzzzzzzzz" (`threat-modeler component --list` lists them)"#
        );
    }
}
