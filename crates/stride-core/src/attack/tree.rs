//! Attack trees as code: the file format, loading and validation.
//!
//! A tree is a goal at the root, AND/OR sub-goals below it and leaf attacks
//! that carry a probability, a cost, a skill and a detection level, plus the
//! countermeasures that counter them. It is read from YAML or JSON through
//! one serde schema, like a model, and every error names the file, the line
//! and the key path (`root.children[1].probability`).

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::tree_error::{TreeError, TreeProblem};
use crate::engine::Analysis;
use crate::hint::closest;
use crate::locate::{declares_id, declares_key, indent};

/// An attack tree. See `docs/attack-trees.md` for every key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttackTree {
    /// What the tree is about (defaults to the root's title).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The attacker's goal.
    pub root: Node,
    /// Defences that counter nodes (`countered_by`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countermeasures: Vec<Countermeasure>,
}

/// How a node's children combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// Any one child reaches the node.
    Or,
    /// Every child is needed.
    And,
}

impl Gate {
    /// `or` or `and`.
    pub fn as_str(self) -> &'static str {
        match self {
            Gate::Or => "or",
            Gate::And => "and",
        }
    }
}

/// The skill an attack needs, ordered from least to most.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Skill {
    /// Anyone with a tutorial.
    #[default]
    Low,
    /// A practitioner.
    Medium,
    /// A specialist.
    High,
    /// A well-resourced expert.
    Expert,
}

/// How likely defenders are to notice an attack, ordered from least to most.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Detection {
    /// Rarely noticed.
    #[default]
    Low,
    /// Sometimes noticed.
    Medium,
    /// Usually noticed.
    High,
}

/// A node: a sub-goal with a gate and children, or a leaf attack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Unique id (across nodes and countermeasures); a leaf may repeat
    /// under several parents when every key of it is the same.
    pub id: String,
    /// What the attacker does or achieves (defaults to the id).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How the children combine; required exactly when there are children.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
    /// Sub-goals or attacks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
    /// Leaves: the chance the attack succeeds when tried, 0-1 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Leaves: what the attack costs the attacker, >= 0 (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// Leaves: the skill it needs (default low).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill: Option<Skill>,
    /// Leaves: how likely defenders notice it (default low).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection: Option<Detection>,
    /// Leaves: the finding it stands for (`TM-S-004@login`), checked against
    /// a model when one is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threat: Option<String>,
    /// Countermeasures that make this node impossible once applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countered_by: Vec<String>,
}

impl Node {
    /// A node with an id and a title and nothing else.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Node {
            id: id.into(),
            title: title.into(),
            description: None,
            gate: None,
            children: Vec::new(),
            probability: None,
            cost: None,
            skill: None,
            detection: None,
            threat: None,
            countered_by: Vec::new(),
        }
    }

    /// Whether it is a leaf (no children).
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }

    /// The title, or the id when there is none.
    pub fn label(&self) -> &str {
        if self.title.is_empty() {
            &self.id
        } else {
            &self.title
        }
    }

    /// Every node, parent before children (pre-order).
    pub fn walk(&self) -> Vec<&Node> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }

    /// The leaves, in tree order.
    pub fn leaves(&self) -> Vec<&Node> {
        self.walk().into_iter().filter(|n| n.is_leaf()).collect()
    }
}

/// A defence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Countermeasure {
    /// Unique id (across nodes and countermeasures).
    pub id: String,
    /// What it is (defaults to the id).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Whether it is in place: applied countermeasures make the nodes they
    /// counter impossible.
    #[serde(default)]
    pub applied: bool,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A semantic problem before it is located: the node or countermeasure id,
/// which of the items carrying it, the key path and the key.
struct Problem {
    id: String,
    occurrence: usize,
    path: String,
    key: &'static str,
    problem: TreeProblem,
}

impl AttackTree {
    /// Parses a tree and validates it: JSON when the text starts with `{`,
    /// YAML otherwise. Never panics, whatever the input.
    pub fn load(file: &str, source: &str) -> Result<AttackTree, TreeError> {
        Self::load_checked(file, source, None)
    }

    /// Like [`AttackTree::load`], and every leaf's `threat` must name a
    /// finding of `analysis`.
    pub fn load_checked(
        file: &str,
        source: &str,
        analysis: Option<&Analysis>,
    ) -> Result<AttackTree, TreeError> {
        let err = |line: usize, path: String, message: String| TreeError {
            file: file.to_string(),
            line,
            path,
            problem: TreeProblem::from_parser(message),
        };
        let tree: AttackTree = if source.trim_start().starts_with('{') {
            serde_json::from_str(source).map_err(|e| {
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                err(e.line(), "(document)".into(), msg)
            })?
        } else {
            serde_norway::from_str(source).map_err(|e| {
                let line = e.location().map_or(0, |l| l.line());
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg);
                // serde_norway prefixes nested errors with their path.
                match msg.split_once(": ") {
                    Some((path, rest))
                        if !path.contains(' ')
                            && (path.starts_with("root")
                                || path.starts_with("countermeasures")) =>
                    {
                        err(line, path.to_string(), rest.to_string())
                    }
                    _ => err(line, "(document)".into(), msg.to_string()),
                }
            })?
        };
        tree.validate(analysis).map_err(|p| TreeError {
            file: file.to_string(),
            line: line_of(source, &p.id, p.occurrence, p.key),
            path: p.path,
            problem: p.problem,
        })?;
        Ok(tree)
    }

    /// The title, or the root's.
    pub fn label(&self) -> &str {
        if self.title.is_empty() {
            self.root.label()
        } else {
            &self.title
        }
    }

    /// Whether a countermeasure is applied.
    pub fn applied(&self) -> BTreeSet<&str> {
        self.countermeasures
            .iter()
            .filter(|c| c.applied)
            .map(|c| c.id.as_str())
            .collect()
    }

    #[allow(
        clippy::result_large_err,
        reason = "a typed error with its location: built once, on the cold path of a load"
    )]
    fn validate(&self, analysis: Option<&Analysis>) -> Result<(), Problem> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut first: HashMap<&str, &Node> = HashMap::new();
        let cm_ids: Vec<&str> = self.countermeasures.iter().map(|c| c.id.as_str()).collect();
        let finding_ids: Option<Vec<&str>> =
            analysis.map(|a| a.threats.iter().map(|t| t.id.as_str()).collect());
        // Nodes first (they come first in files), then countermeasures.
        let mut stack: Vec<(&Node, String)> = vec![(&self.root, "root".to_string())];
        while let Some((n, path)) = stack.pop() {
            let occurrence = counts.get(n.id.as_str()).copied().unwrap_or(0);
            let at = |key: &'static str, problem: TreeProblem| Problem {
                id: n.id.clone(),
                occurrence,
                path: if key.is_empty() {
                    path.clone()
                } else {
                    format!("{path}.{key}")
                },
                key,
                problem,
            };
            if n.id.trim().is_empty() {
                return Err(at("id", TreeProblem::EmptyId));
            }
            *counts.entry(&n.id).or_default() += 1;
            match first.get(n.id.as_str()) {
                // A shared leaf: the same attack step under several goals.
                Some(f) if n.is_leaf() && *f == n => continue,
                Some(_) => {
                    let id = n.id.clone();
                    return Err(at("id", TreeProblem::DuplicateNodeId { id }));
                }
                None => {
                    first.insert(&n.id, n);
                }
            }
            match (n.gate, n.children.is_empty()) {
                (None, false) => {
                    return Err(at("gate", TreeProblem::MissingGate));
                }
                (Some(_), true) => {
                    return Err(at("gate", TreeProblem::GateWithoutChildren));
                }
                _ => {}
            }
            if !n.is_leaf() {
                let leaf_only = [
                    ("probability", n.probability.is_some()),
                    ("cost", n.cost.is_some()),
                    ("skill", n.skill.is_some()),
                    ("detection", n.detection.is_some()),
                    ("threat", n.threat.is_some()),
                ];
                if let Some((key, _)) = leaf_only.iter().find(|(_, set)| *set) {
                    let key_name = key.to_string();
                    return Err(at(key, TreeProblem::LeafOnlyKey { key: key_name }));
                }
            }
            if let Some(p) = n.probability
                && !(p.is_finite() && (0.0..=1.0).contains(&p))
            {
                let value = p.to_string();
                return Err(at(
                    "probability",
                    TreeProblem::ProbabilityOutOfRange { value },
                ));
            }
            if let Some(c) = n.cost
                && !(c.is_finite() && c >= 0.0)
            {
                let value = c.to_string();
                return Err(at("cost", TreeProblem::BadCost { value }));
            }
            for c in &n.countered_by {
                if !cm_ids.contains(&c.as_str()) {
                    let problem = TreeProblem::UnknownCountermeasure {
                        name: c.clone(),
                        suggestion: closest(c, cm_ids.iter().copied()),
                    };
                    return Err(at("countered_by", problem));
                }
            }
            if let (Some(t), Some(known)) = (&n.threat, &finding_ids)
                && !known.contains(&t.as_str())
            {
                let problem = TreeProblem::UnknownFinding {
                    name: t.clone(),
                    suggestion: closest(t, known.iter().copied()),
                };
                return Err(at("threat", problem));
            }
            for (i, c) in n.children.iter().enumerate().rev() {
                stack.push((c, format!("{path}.children[{i}]")));
            }
        }
        for (i, c) in self.countermeasures.iter().enumerate() {
            let occurrence = counts.get(c.id.as_str()).copied().unwrap_or(0);
            let path = format!("countermeasures[{i}].id");
            let problem = |problem: TreeProblem| Problem {
                id: c.id.clone(),
                occurrence,
                path: path.clone(),
                key: "id",
                problem,
            };
            if c.id.trim().is_empty() {
                return Err(problem(TreeProblem::EmptyId));
            }
            if occurrence > 0 {
                let id = c.id.clone();
                return Err(problem(TreeProblem::DuplicateCountermeasureId { id }));
            }
            *counts.entry(&c.id).or_default() += 1;
        }
        Ok(())
    }
}

/// The 1-based line of `key` in the node or countermeasure with id `id`
/// (its `occurrence`-th declaration), the id's line when the key is not
/// found, 0 when the id is not found.
fn line_of(source: &str, id: &str, occurrence: usize, key: &str) -> usize {
    let lines: Vec<&str> = source.lines().collect();
    let Some(id_line) = (0..lines.len())
        .filter(|&i| declares_id(lines[i], id))
        .nth(occurrence)
    else {
        return 0;
    };
    if key.is_empty() || key == "id" {
        return id_line + 1;
    }
    let first = lines[id_line];
    let col = first
        .find("id")
        .map(|c| {
            if first[..c].ends_with(['"', '\'']) {
                c - 1
            } else {
                c
            }
        })
        .unwrap_or(0);
    // The node's own keys: on the id line, on lines at the id's column, and
    // anywhere inside a flow mapping opened on the id line.
    let mut depth: i64 = 0;
    for (i, line) in lines.iter().enumerate().skip(id_line) {
        let inside_flow = depth > 0;
        if i > id_line && !inside_flow {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            if indent(line) < col {
                break;
            }
        }
        if (i == id_line || inside_flow || indent(line) == col) && declares_key(line, key) {
            return i + 1;
        }
        depth += line.matches(['{', '[']).count() as i64 - line.matches(['}', ']']).count() as i64;
        if i == id_line && depth < 0 {
            depth = 0;
        }
    }
    id_line + 1
}
