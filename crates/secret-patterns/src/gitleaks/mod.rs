//! Import of gitleaks configurations (`.gitleaks.toml`), so users can bring
//! the rules they already have. The stock gitleaks configuration loads.
//!
//! What maps: each `[[rules]]` table's `id`, `description`, `regex`,
//! `secretGroup`, `entropy`, `keywords` and `path`; its allow lists
//! (`[rules.allowlist]` or `[[rules.allowlists]]`: `regexes`, `stopwords`,
//! `paths`, `regexTarget`); and the global `[allowlist]` / `[[allowlists]]`
//! (with `targetRules`), applied to every imported rule. Imported rules have
//! severity `high` and confidence `medium` (gitleaks has neither). Go-only
//! regex syntax is translated where it has an equivalent (see
//! `translate`). An id that clashes with one already loaded is namespaced
//! `gitleaks:ID`.
//!
//! What does not, each reported as one note (never silently ignored):
//! a regex that still does not compile, and a rule with no `regex` (gitleaks'
//! path-only rules): the rule is left out; `skipReport = true`: the rule is
//! left out (it only feeds composite rules); `[[rules.required]]`: the
//! rule is kept and reports its own matches, without the companion check;
//! an allow list with `condition = "AND"` over more than one kind of test:
//! left out (reading it as OR would drop more than gitleaks does); allow
//! list `commits`; `[extend]` (gitleaks' defaults are not bundled: the
//! built-in catalogue stands in for them); and any setting this importer
//! does not know.

mod translate;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::Error;
use crate::rule::Rule;
use crate::spec::{AllowList, AllowSpec, AllowTarget, Confidence, RuleSpec};
use crate::{Catalog, Severity};

const SOURCE: &str = "<gitleaks config>";

/// The prefix given to an imported rule whose id is already taken.
pub const NAMESPACE: &str = "gitleaks:";

/// Settings that carry no meaning for matching and are accepted as they
/// are.
type Other = BTreeMap<String, toml::Value>;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GitleaksConfig {
    #[serde(default)]
    title: Option<toml::Value>,
    #[serde(default)]
    description: Option<toml::Value>,
    #[serde(default)]
    min_version: Option<toml::Value>,
    #[serde(default)]
    extend: Option<Extend>,
    #[serde(default)]
    rules: Vec<GitleaksRule>,
    #[serde(default)]
    allowlist: Option<GitleaksAllow>,
    #[serde(default)]
    allowlists: Vec<GitleaksAllow>,
    #[serde(flatten)]
    other: Other,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Extend {
    #[serde(default)]
    use_default: Option<bool>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    disabled_rules: Vec<String>,
    #[serde(flatten)]
    other: Other,
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
    tags: Vec<String>,
    #[serde(default)]
    skip_report: bool,
    #[serde(default)]
    required: Vec<toml::Value>,
    #[serde(default)]
    allowlist: Option<GitleaksAllow>,
    #[serde(default)]
    allowlists: Vec<GitleaksAllow>,
    #[serde(flatten)]
    other: Other,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GitleaksAllow {
    #[serde(default, rename = "description")]
    _description: Option<toml::Value>,
    #[serde(default)]
    condition: Option<String>,
    #[serde(default)]
    commits: Vec<String>,
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    regex_target: Option<String>,
    #[serde(default)]
    target_rules: Vec<String>,
    #[serde(flatten)]
    other: Other,
}

/// What importing a gitleaks configuration gave: the rules, and one note
/// for each rule left out or setting not supported.
#[derive(Debug, Clone, Default)]
pub struct GitleaksImport {
    /// The imported rules.
    pub catalog: Catalog,
    /// One line per rule left out, setting not supported or id renamed,
    /// for the user to read.
    pub notes: Vec<String>,
    /// How many rules were left out.
    pub skipped_rules: usize,
}

fn unknown(at: &str, other: &Other, notes: &mut Vec<String>) {
    for key in other.keys() {
        notes.push(format!("{at}: setting `{key}` is not supported: ignored"));
    }
}

impl GitleaksAllow {
    /// The allow list as ours, or `None` (with a note) when it cannot be
    /// applied faithfully. `at` names it in notes (`rule "x" allowlist 2`,
    /// `[allowlist]`). Each regex is translated and checked; a broken one
    /// is left out with a note.
    fn to_spec(&self, at: &str, notes: &mut Vec<String>) -> Option<AllowSpec> {
        unknown(at, &self.other, notes);
        if !self.commits.is_empty() {
            notes.push(format!(
                "{at}: `commits` is not supported (commit allow lists): ignored"
            ));
        }
        let kinds = [
            !self.regexes.is_empty(),
            !self.stopwords.is_empty(),
            !self.paths.is_empty(),
            !self.commits.is_empty(),
        ]
        .iter()
        .filter(|k| **k)
        .count();
        if self
            .condition
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case("and"))
            && kinds > 1
        {
            notes.push(format!(
                "{at}: `condition = \"AND\"` over several tests is not supported: allow list left out (more findings, never fewer)"
            ));
            return None;
        }
        let target = match self.regex_target.as_deref() {
            None | Some("") | Some("secret") => AllowTarget::Secret,
            Some("match") => AllowTarget::Match,
            Some("line") => AllowTarget::Line,
            Some(other) => {
                notes.push(format!(
                    "{at}: `regexTarget` {other:?} is unknown (expected secret, match or line): allow list left out"
                ));
                return None;
            }
        };
        let checked = |field: &str, list: &[String], notes: &mut Vec<String>| -> Vec<String> {
            list.iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    let p = translate::go_to_rust(p);
                    match regex::bytes::Regex::new(&p) {
                        Ok(_) => Some(p),
                        Err(e) => {
                            let why = e.to_string();
                            let why = why.lines().last().unwrap_or_default().trim();
                            notes.push(format!(
                                "{at}: `{field}` entry {}: invalid regex ({why}): entry left out",
                                i + 1
                            ));
                            None
                        }
                    }
                })
                .collect()
        };
        Some(AllowSpec {
            words: self.stopwords.clone(),
            regexes: checked("regexes", &self.regexes, notes),
            paths: checked("paths", &self.paths, notes),
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

/// The notes for the top-level settings.
fn config_notes(config: &GitleaksConfig, notes: &mut Vec<String>) {
    let _ = (&config.title, &config.description, &config.min_version);
    unknown("top level", &config.other, notes);
    let Some(extend) = &config.extend else {
        return;
    };
    if extend.use_default == Some(true) {
        notes.push(
            "[extend] useDefault: gitleaks' own default rules are not bundled; the built-in catalogue stands in for them"
                .into(),
        );
    }
    if let Some(path) = &extend.path {
        notes.push(format!(
            "[extend] path {path:?} is not followed: pass that file with another --gitleaks-config"
        ));
    }
    if let Some(url) = &extend.url {
        notes.push(format!("[extend] url {url:?} is not fetched"));
    }
    if !extend.disabled_rules.is_empty() {
        notes.push(format!(
            "[extend] disabledRules ({}) name gitleaks' default rules, which are not bundled: use --disable-rule for built-in ones",
            extend.disabled_rules.join(", ")
        ));
    }
    unknown("[extend]", &extend.other, notes);
}

impl Catalog {
    /// Imports a gitleaks configuration strictly: the first rule that would
    /// be left out is an error naming it. See [`Catalog::import_gitleaks`]
    /// for the lenient import that loads what it can.
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
        import(text, &Catalog::default(), true).map(|i| i.catalog)
    }

    /// Imports a gitleaks configuration, loading every rule it can: a rule
    /// whose id is already in `taken` gets the id `gitleaks:ID`; a rule
    /// that cannot be imported is left out and every setting not supported
    /// is ignored, each with one note (see the [module](crate::gitleaks)
    /// docs). Only a file that is not TOML, or not shaped like a gitleaks
    /// configuration, is an error.
    pub fn import_gitleaks(text: &str, taken: &Catalog) -> Result<GitleaksImport, Error> {
        import(text, taken, false)
    }
}

fn import(text: &str, taken: &Catalog, strict: bool) -> Result<GitleaksImport, Error> {
    let config: GitleaksConfig = toml::from_str(text).map_err(|e| Error::Syntax {
        source_name: SOURCE.to_string(),
        message: e.to_string().trim_end().to_string(),
    })?;
    let mut out = GitleaksImport::default();
    config_notes(&config, &mut out.notes);
    // The global allow lists, checked once and named as what they are.
    let global: Vec<(Vec<String>, AllowSpec)> = config
        .allowlist
        .iter()
        .map(|a| ("[allowlist]".to_string(), a))
        .chain(
            config
                .allowlists
                .iter()
                .enumerate()
                .map(|(i, a)| (format!("[[allowlists]] {}", i + 1), a)),
        )
        .filter_map(|(at, a)| {
            a.to_spec(&at, &mut out.notes)
                .map(|spec| (a.target_rules.clone(), spec))
        })
        .collect();
    let mut renamed = Vec::new();
    for rule in config.rules {
        let plain = normalise_id(&rule.id);
        let at = format!("rule {:?}", rule.id);
        let leave_out = |why: String, out: &mut GitleaksImport| -> Result<(), Error> {
            if strict {
                return Err(Error::field(SOURCE, &plain, "regex", why));
            }
            out.notes.push(format!("{at}: {why}: rule left out"));
            out.skipped_rules += 1;
            Ok(())
        };
        if plain.is_empty() {
            return Err(Error::field(SOURCE, &rule.id, "id", "is empty"));
        }
        unknown(&at, &rule.other, &mut out.notes);
        let _ = &rule.tags;
        if rule.skip_report {
            leave_out(
                "`skipReport = true` (it only feeds other rules\' `required`)".into(),
                &mut out,
            )?;
            continue;
        }
        if !rule.required.is_empty() {
            out.notes.push(format!(
                "{at}: [[rules.required]] (companion rules) is not supported: the rule reports its own matches"
            ));
        }
        let Some(regex) = rule.regex.as_deref() else {
            leave_out(
                "path-only gitleaks rules (no `regex`) are not supported".into(),
                &mut out,
            )?;
            continue;
        };
        let id = if taken.get(&plain).is_some() || out.catalog.get(&plain).is_some() {
            renamed.push(plain.clone());
            format!("{NAMESPACE}{plain}")
        } else {
            plain.clone()
        };
        let mut allow = Vec::new();
        for (i, a) in rule.allowlist.iter().chain(&rule.allowlists).enumerate() {
            if let Some(spec) = a.to_spec(&format!("{at} allowlist {}", i + 1), &mut out.notes) {
                allow.push(spec);
            }
        }
        for (targets, spec) in &global {
            if targets.is_empty() || targets.iter().any(|t| t == &rule.id) {
                allow.push(spec.clone());
            }
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
            regex: translate::go_to_rust(regex),
            secret_group: rule.secret_group,
            min_entropy: rule.entropy,
            min_char_classes: None,
            validator: None,
            placeholders: false,
            literal: false,
            words: None,
            allow: AllowList::Many(allow),
            paths: rule.path.iter().map(|p| translate::go_to_rust(p)).collect(),
            max_len: None,
            pair: None,
            references: Vec::new(),
            rotate: None,
            examples: Vec::new(),
            negative_examples: Vec::new(),
            id,
        };
        match Rule::compile(SOURCE, spec) {
            Ok(compiled) => out.catalog.push(SOURCE, compiled)?,
            Err(e) if strict => return Err(e),
            Err(e) => {
                let why = e.to_string();
                // The error names the source and rule; the note names the
                // rule already.
                let why = why
                    .find("field `")
                    .map_or(why.as_str(), |at| &why[at..])
                    .to_string();
                out.notes.push(format!("{at}: {why}: rule left out"));
                out.skipped_rules += 1;
            }
        }
    }
    if !renamed.is_empty() {
        out.notes.push(format!(
            "{} rule ids were already taken and are namespaced {NAMESPACE}ID ({}{})",
            renamed.len(),
            renamed
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            if renamed.len() > 5 { ", ..." } else { "" }
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
