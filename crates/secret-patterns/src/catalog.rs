//! The catalogue: every rule the scanner runs, loaded once.

use std::collections::HashMap;

use crate::error::Error;
use crate::rule::Rule;
use crate::spec::RuleFile;

use crate::builtin::BUILTIN_RULE_FILES;

/// A set of rules with unique ids, in a stable order.
///
/// Build it from the built-in rule files with [`Catalog::builtin`], from a
/// user's TOML with [`Catalog::from_toml`], or from a gitleaks configuration
/// with [`Catalog::from_gitleaks_toml`]; then [`extend`](Catalog::extend)
/// one with another and [`disable`](Catalog::disable) rules by id.
///
/// ```
/// use secret_patterns::Catalog;
///
/// let mut catalog = Catalog::builtin();
/// let custom = Catalog::from_toml(r#"
/// [[rules]]
/// id = "acme-deploy-key"
/// name = "ACME deploy key"
/// severity = "high"
/// keywords = ["acmedk_"]
/// regex = '''\b(?P<secret>acmedk_[a-z0-9]{24})\b'''
/// "#)?;
/// catalog.extend(custom)?;
/// assert!(catalog.get("acme-deploy-key").is_some());
/// assert!(catalog.disable("acme-deploy-key"));
/// assert!(catalog.get("acme-deploy-key").is_none());
/// # Ok::<(), secret_patterns::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    rules: Vec<Rule>,
    by_id: HashMap<String, usize>,
}

impl Catalog {
    /// The built-in catalogue: every file under the crate's `rules/` folder,
    /// embedded at build time, in file-name order.
    ///
    /// The rule files are parsed and their regexes compiled once per process;
    /// later calls clone the result, which is cheap (compiled regexes are
    /// shared).
    pub fn builtin() -> Catalog {
        static BUILTIN: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(Catalog::load_builtin).clone()
    }

    fn load_builtin() -> Catalog {
        let mut catalog = Catalog::default();
        for (name, text) in BUILTIN_RULE_FILES {
            match Catalog::from_toml_named(name, text).and_then(|c| catalog.extend(c)) {
                Ok(()) => {}
                // The built-in files are checked by this crate's tests; a
                // failure here is a bug in a release, not a user error.
                Err(err) => panic!("built-in rule file is invalid: {err}"),
            }
        }
        catalog
    }

    /// The names and contents of the built-in rule files.
    pub fn builtin_sources() -> &'static [(&'static str, &'static str)] {
        BUILTIN_RULE_FILES
    }

    /// Parses a rule file in this crate's TOML format (see `docs/rules.md`).
    /// Errors name the source as `<inline>`.
    pub fn from_toml(text: &str) -> Result<Catalog, Error> {
        Catalog::from_toml_named("<inline>", text)
    }

    /// Parses a rule file in this crate's TOML format; `source` names it in
    /// errors (usually the file path).
    pub fn from_toml_named(source: &str, text: &str) -> Result<Catalog, Error> {
        let file: RuleFile = toml::from_str(text).map_err(|e| Error::Syntax {
            source_name: source.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let mut catalog = Catalog::default();
        for mut spec in file.rules {
            if spec.rotate.is_none() {
                spec.rotate.clone_from(&file.rotate);
            }
            let rule = Rule::compile(source, spec)?;
            catalog.push(source, rule)?;
        }
        Ok(catalog)
    }

    pub(crate) fn push(&mut self, source: &str, rule: Rule) -> Result<(), Error> {
        if self.by_id.contains_key(rule.id()) {
            return Err(Error::DuplicateId {
                source_name: source.to_string(),
                rule_id: rule.id().to_string(),
            });
        }
        self.by_id.insert(rule.id().to_string(), self.rules.len());
        self.rules.push(rule);
        Ok(())
    }

    /// Adds every rule of `other`. A rule whose id is already present is an
    /// error (disable the old one first to replace it), and then `self` is
    /// left unchanged.
    pub fn extend(&mut self, other: Catalog) -> Result<(), Error> {
        if let Some(dup) = other.rules.iter().find(|r| self.by_id.contains_key(r.id())) {
            return Err(Error::DuplicateId {
                source_name: dup.source().to_string(),
                rule_id: dup.id().to_string(),
            });
        }
        for rule in other.rules {
            let source = rule.source().to_string();
            self.push(&source, rule)?;
        }
        Ok(())
    }

    /// Removes the rule with this id; `false` when there was none.
    pub fn disable(&mut self, id: &str) -> bool {
        let Some(index) = self.by_id.remove(id) else {
            return false;
        };
        self.rules.remove(index);
        for slot in self.by_id.values_mut() {
            if *slot > index {
                *slot -= 1;
            }
        }
        true
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.by_id.get(id).map(|&i| &self.rules[i])
    }

    /// Every rule, in catalogue order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Iterates over every rule, in catalogue order.
    pub fn iter(&self) -> std::slice::Iter<'_, Rule> {
        self.rules.iter()
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// A 64-bit digest of every rule's content (id, regex, filters, paths),
    /// stable across runs and platforms: caches of earlier scans are valid
    /// only while it stays the same.
    pub fn digest(&self) -> u64 {
        // FNV-1a: small, stable, and good enough to tell rule sets apart.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for &b in bytes.iter().chain(std::iter::once(&0xff)) {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        };
        for rule in &self.rules {
            feed(rule.fingerprint_material().as_bytes());
        }
        hash
    }
}

impl<'a> IntoIterator for &'a Catalog {
    type Item = &'a Rule;
    type IntoIter = std::slice::Iter<'a, Rule>;

    fn into_iter(self) -> Self::IntoIter {
        self.rules.iter()
    }
}
