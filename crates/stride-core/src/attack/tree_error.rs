//! The error of [`AttackTree::load`](super::AttackTree::load): where (file,
//! line, key path) and what ([`TreeProblem`]).

use crate::hint::{ParseProblem, did_you_mean};

/// A problem found while loading or validating an attack tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {path}: {problem}")]
pub struct TreeError {
    /// The file name.
    pub file: String,
    /// 1-based line of the offending key (0 when unknown).
    pub line: usize,
    /// Where in the tree, e.g. `root.children[1].probability`.
    pub path: String,
    /// What is wrong.
    pub problem: TreeProblem,
}

/// What is wrong with an attack tree: [`TreeError::problem`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TreeProblem {
    /// The parser refused the text: an unknown or missing key, a wrong
    /// value type, an unknown gate...
    #[error(transparent)]
    Parse(ParseProblem),
    /// A node or countermeasure id is empty.
    #[error("empty id")]
    EmptyId,
    /// Two nodes share an id and are not identical leaves.
    #[error("duplicate id {id:?} (only leaves identical in every key may repeat)")]
    DuplicateNodeId {
        /// The id.
        id: String,
    },
    /// A countermeasure's id is already used by a node or countermeasure.
    #[error("duplicate id {id:?}")]
    DuplicateCountermeasureId {
        /// The id.
        id: String,
    },
    /// A node has children but no gate.
    #[error("a node with children needs a gate (or | and)")]
    MissingGate,
    /// A node has a gate but no children.
    #[error("a gate needs children")]
    GateWithoutChildren,
    /// A node with children carries a value only leaves carry.
    #[error("only leaves carry `{key}`: it is computed for nodes with children")]
    LeafOnlyKey {
        /// The key (`probability`, `cost`, `skill`, `detection`, `threat`).
        key: String,
    },
    /// A probability outside 0..=1 (or not a number).
    #[error("{value} is not between 0 and 1")]
    ProbabilityOutOfRange {
        /// The value, as the number prints.
        value: String,
    },
    /// A negative or infinite cost.
    #[error("{value} is not a finite number >= 0")]
    BadCost {
        /// The value, as the number prints.
        value: String,
    },
    /// `countered_by` names no countermeasure of the tree.
    #[error("unknown countermeasure {name:?}{}", did_you_mean(.suggestion))]
    UnknownCountermeasure {
        /// The id as written.
        name: String,
        /// The close id, when one is close.
        suggestion: Option<String>,
    },
    /// A leaf's `threat` names no finding of the model's analysis.
    #[error("unknown finding {name:?}{} of the model", did_you_mean(.suggestion))]
    UnknownFinding {
        /// The finding id as written.
        name: String,
        /// The close finding id, when one is close.
        suggestion: Option<String>,
    },
}

impl TreeProblem {
    /// A parser's text as a problem.
    pub(crate) fn from_parser(message: String) -> TreeProblem {
        TreeProblem::Parse(ParseProblem::from_message(message))
    }
}
