//! Attack trees and attack paths.
//!
//! - [`AttackTree`]: trees people write (YAML or JSON), validated like
//!   models; [`evaluate`] computes every node's probability, minimal cost,
//!   minimal skill and detection bottom-up, the cheapest and the likeliest
//!   way to the root, the minimal cut sets of leaves and of countermeasures,
//!   and what applying each countermeasure not yet applied would change.
//! - [`attack_paths`]: paths computed from a model's analysis, from
//!   untrusted entry points to sensitive data, each hop opened by an open
//!   threat; their [`Cut`]; and [`paths_tree`], the same paths as a tree.
//!
//! The formulas, and why they are what they are, are in
//! `docs/attack-trees.md`.

mod compute;
mod cut;
mod generate;
mod paths;
mod tree;
mod tree_error;

pub use compute::{
    Cheapest, Evaluation, Likeliest, MAX_CUT_SETS, NodeValue, RootValue, WhatIf, evaluate,
};
pub use cut::{Cut, SingleCut, the_cut};
pub use generate::paths_tree;
pub use paths::{
    AttackPath, DEFAULT_MAX_HOPS, Hop, HopThreat, MAX_PATHS, PathError, PathQuery, PathReport,
    Target, attack_paths, finding_likelihood,
};
pub use tree::{AttackTree, Countermeasure, Detection, Gate, Node, Skill};
pub use tree_error::{TreeError, TreeProblem};

use crate::{Analysis, Catalog, Model};

/// The `n` likeliest attack paths of a model with the built-in catalogue and
/// the default query (untrusted entry points to sensitive data), for
/// reports.
pub fn top_paths(model: &Model, analysis: &Analysis, n: usize) -> Vec<AttackPath> {
    attack_paths(model, analysis, Catalog::builtin(), &PathQuery::default())
        .map(|r| r.paths.into_iter().take(n).collect())
        .unwrap_or_default()
}
