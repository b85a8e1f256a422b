//! The on-disk shape of a rule file, as serde reads it.
//!
//! These types mirror the TOML format documented in `docs/rules.md`; they are
//! checked and compiled into [`Rule`](crate::Rule)s by the catalogue loader.

use serde::{Deserialize, Serialize};

use crate::Severity;
use crate::filters::validator::Validator;

/// A rule file: a list of `[[rules]]` tables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleFile {
    /// How to rotate a credential of this file's rules (each rule may say
    /// its own with `rotate`).
    #[serde(default)]
    pub rotate: Option<String>,
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// One `[[rules]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSpec {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub severity: Severity,
    #[serde(default)]
    pub confidence: Confidence,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub regex: String,
    #[serde(default)]
    pub secret_group: Option<usize>,
    #[serde(default)]
    pub min_entropy: Option<f64>,
    #[serde(default)]
    pub min_char_classes: Option<u8>,
    #[serde(default)]
    pub validator: Option<ValidatorSpec>,
    #[serde(default = "yes")]
    pub placeholders: bool,
    /// Generic rules: the value must be a literal, not code, and not made of
    /// common words (the `literal` and `words` filters).
    #[serde(default)]
    pub literal: bool,
    /// Run the words filter (default: as `literal`): connection strings use
    /// it on their password alone (`postgres:postgres@`, `admin:admin@`).
    #[serde(default)]
    pub words: Option<bool>,
    #[serde(default)]
    pub allow: AllowList,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub max_len: Option<usize>,
    #[serde(default)]
    pub pair: Option<Pair>,
    #[serde(default)]
    pub references: Vec<String>,
    /// How to revoke and replace a leaked credential of this kind.
    #[serde(default)]
    pub rotate: Option<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub negative_examples: Vec<NegativeExample>,
}

fn yes() -> bool {
    true
}

/// A validator named by a string (`"jwt"`) or written as a table
/// (`{ kind = "base64-length", bytes = 64 }`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum ValidatorSpec {
    Name(String),
    Table(Validator),
}

/// Pairing: a finding of this rule is reported with the nearest finding of
/// another rule in the same input (an AWS secret key with its key id), the
/// partner's secret in the named group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    /// The partner rule's id.
    pub with: String,
    /// The group of this rule's findings that receives the partner's secret.
    pub group: String,
    /// How many lines apart the two may be (default 10).
    #[serde(default = "default_pair_lines")]
    pub max_lines: usize,
}

fn default_pair_lines() -> usize {
    10
}

/// How sure a rule is that a match is a real credential.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A weak signal: generic shapes, context words.
    Low,
    /// A distinctive shape without a provider prefix or checksum.
    #[default]
    Medium,
    /// A provider prefix, a checksum or a file format that leaves little doubt.
    High,
}

impl Confidence {
    /// `low`, `medium` or `high`, as rule files and reports spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One allow table (`[rules.allow]`) or several (`[[rules.allow]]`), each
/// with its own target.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum AllowList {
    One(AllowSpec),
    Many(Vec<AllowSpec>),
}

impl Default for AllowList {
    fn default() -> Self {
        AllowList::Many(Vec::new())
    }
}

impl AllowList {
    pub fn into_vec(self) -> Vec<AllowSpec> {
        match self {
            AllowList::One(a) => vec![a],
            AllowList::Many(v) => v,
        }
    }
}

/// What a rule's allow list cancels.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AllowSpec {
    #[serde(default)]
    pub words: Vec<String>,
    #[serde(default)]
    pub regexes: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub target: AllowTarget,
}

/// Which text a rule's allow list is checked against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AllowTarget {
    /// The `secret` group only.
    #[default]
    Secret,
    /// The whole regex match.
    Match,
    /// The whole line (or lines) holding the match.
    Line,
}

/// A text the rule must report, with the secret it must extract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The input text.
    pub text: String,
    /// The `secret` group the rule must extract from `text`.
    pub secret: String,
    /// The file path the text is scanned as, for rules limited to some paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// A look-alike the rule must not report, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegativeExample {
    /// The input text.
    pub text: String,
    /// Why it must not be reported (placeholder, wrong checksum, ...).
    #[serde(default)]
    pub why: String,
    /// The file path the text is scanned as, for rules limited to some paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}
