//! Import of gitleaks configurations (`.gitleaks.toml`), so users can bring
//! the rules they already have.
//!
//! What maps: each `[[rules]]` table's `id`, `description`, `regex`,
//! `secretGroup`, `entropy`, `keywords` and `path`; its allow lists
//! (`[rules.allowlist]` or `[[rules.allowlists]]`: `regexes`, `stopwords`,
//! `paths`, `regexTarget`); and the global `[allowlist]` / `[[allowlists]]`,
//! applied to every imported rule. Imported rules have severity `high` and
//! confidence `medium` (gitleaks has neither).
//!
//! What does not: allow-list `commits` (a git-history notion, ignored), an
//! allow list's `condition = "AND"` (read as OR, which can only drop more
//! matches), `[extend]` (the built-in catalogue is ours; add it with
//! [`Catalog::extend`]), and rules with no `regex` (gitleaks' path-only
//! rules), which are an error naming the rule.

use serde::Deserialize;

use crate::error::Error;
use crate::rule::Rule;
use crate::spec::{AllowList, AllowSpec, AllowTarget, Confidence, RuleSpec};
use crate::{Catalog, Severity};

const SOURCE: &str = "<gitleaks config>";

#[derive(Debug, Deserialize)]
struct GitleaksConfig {
    #[serde(default)]
    rules: Vec<GitleaksRule>,
    #[serde(default)]
    allowlist: Option<GitleaksAllow>,
    #[serde(default)]
    allowlists: Vec<GitleaksAllow>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GitleaksRule {
    id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    secret_group: Option<usize>,
    #[serde(default)]
    entropy: Option<f64>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    allowlist: Option<GitleaksAllow>,
    #[serde(default)]
    allowlists: Vec<GitleaksAllow>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GitleaksAllow {
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    regex_target: Option<String>,
}

impl GitleaksAllow {
    fn to_spec(&self, rule_id: &str) -> Result<AllowSpec, Error> {
        let target = match self.regex_target.as_deref() {
            None | Some("") | Some("secret") => AllowTarget::Secret,
            Some("match") => AllowTarget::Match,
            Some("line") => AllowTarget::Line,
            Some(other) => {
                return Err(Error::field(
                    SOURCE,
                    rule_id,
                    "allowlist.regexTarget",
                    format!("unknown target {other:?} (expected secret, match or line)"),
                ));
            }
        };
        Ok(AllowSpec {
            words: self.stopwords.clone(),
            regexes: self.regexes.clone(),
            paths: self.paths.clone(),
            target,
        })
    }
}

/// Turns a gitleaks id into one of ours: lowercase, and any character other
/// than a letter, digit, `-` or `.` becomes `-`.
fn normalise_id(id: &str) -> String {
    let mapped: String = id
        .trim()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '.' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    mapped.trim_matches('-').to_string()
}

impl Catalog {
    /// Imports a gitleaks configuration (see the [`gitleaks`](crate::gitleaks)
    /// module for what maps).
    ///
    /// ```
    /// use secret_patterns::Catalog;
    /// let catalog = Catalog::from_gitleaks_toml(r#"
    /// [[rules]]
    /// id = "internal-token"
    /// description = "Internal service token"
    /// regex = '''itk_([a-z0-9]{32})'''
    /// secretGroup = 1
    /// keywords = ["itk_"]
    /// "#)?;
    /// let rule = catalog.get("internal-token").unwrap();
    /// let hits = rule.find_all(b"token: itk_0123456789abcdef0123456789abcdef", None); // secret-scanner:allow
    /// assert_eq!(hits.len(), 1);
    /// # Ok::<(), secret_patterns::Error>(())
    /// ```
    pub fn from_gitleaks_toml(text: &str) -> Result<Catalog, Error> {
        let config: GitleaksConfig = toml::from_str(text).map_err(|e| Error::Syntax {
            source_name: SOURCE.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let global: Vec<GitleaksAllow> = config
            .allowlist
            .iter()
            .chain(config.allowlists.iter())
            .cloned()
            .collect();
        let mut catalog = Catalog::default();
        for rule in config.rules {
            let id = normalise_id(&rule.id);
            if id.is_empty() {
                return Err(Error::field(SOURCE, &rule.id, "id", "is empty"));
            }
            let Some(regex) = rule.regex.clone() else {
                return Err(Error::field(
                    SOURCE,
                    &id,
                    "regex",
                    "missing: path-only gitleaks rules are not supported",
                ));
            };
            let mut allow = Vec::new();
            for a in rule.allowlist.iter().chain(&rule.allowlists).chain(&global) {
                allow.push(a.to_spec(&id)?);
            }
            let spec = RuleSpec {
                name: if rule.description.is_empty() {
                    id.clone()
                } else {
                    rule.description.clone()
                },
                description: rule.description,
                severity: Severity::High,
                confidence: Confidence::Medium,
                keywords: rule.keywords,
                regex,
                secret_group: rule.secret_group,
                min_entropy: rule.entropy,
                min_char_classes: None,
                validator: None,
                placeholders: false,
                literal: false,
                words: None,
                allow: AllowList::Many(allow),
                paths: rule.path.into_iter().collect(),
                max_len: None,
                pair: None,
                references: Vec::new(),
                rotate: None,
                examples: Vec::new(),
                negative_examples: Vec::new(),
                id,
            };
            let compiled = Rule::compile(SOURCE, spec)?;
            catalog.push(SOURCE, compiled)?;
        }
        Ok(catalog)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"
title = "team rules"

[allowlist]
description = "global"
paths = ['''(^|/)vendor/''']
stopwords = ["sandbox"]

[[rules]]
id = "Acme_Token"
description = "ACME token"
regex = '''acme_(?:live|sandbox)_([A-Za-z0-9]{20})'''
secretGroup = 1
entropy = 3.0
keywords = ["acme_"]
[rules.allowlist]
regexTarget = "line"
regexes = ['''fixture''']
"#;

    #[test]
    fn imports_rules_and_allow_lists() {
        let catalog = Catalog::from_gitleaks_toml(CONFIG).unwrap();
        let rule = catalog.get("acme-token").unwrap();
        assert_eq!(rule.keywords(), ["acme_"]);
        let text = b"key = acme_live_Zq8xW2rT5yU7iO9pL3kJ";
        let hits = rule.find_all(text, Some("src/app.py"));
        assert_eq!(hits.len(), 1);
        assert_eq!(&text[hits[0].0.secret.clone()], b"Zq8xW2rT5yU7iO9pL3kJ");
        assert!(hits[0].1.is_ok());
        // The global path allow list.
        assert!(rule.find_all(text, Some("vendor/lib.py")).is_empty());
        // The rule's line allow list.
        let fixture = b"key = acme_live_Zq8xW2rT5yU7iO9pL3kJ # fixture";
        assert!(rule.find_all(fixture, None)[0].1.is_err());
        // Low entropy.
        let flat = b"key = acme_live_aaaaaaaaaabbbbbbbbbb";
        let verdict = &rule.find_all(flat, None)[0].1;
        assert_eq!(verdict.as_ref().unwrap_err().filter, crate::Filter::Entropy);
    }

    #[test]
    fn names_the_rule_with_a_broken_regex() {
        let err = Catalog::from_gitleaks_toml("[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("rule \"x\"") && err.contains("invalid regex"),
            "{err}"
        );
    }

    #[test]
    fn refuses_path_only_rules_by_name() {
        let err =
            Catalog::from_gitleaks_toml("[[rules]]\nid = \"pem-file\"\npath = '''\\.pem$'''\n")
                .unwrap_err()
                .to_string();
        assert!(
            err.contains("pem-file") && err.contains("path-only"),
            "{err}"
        );
    }
}
