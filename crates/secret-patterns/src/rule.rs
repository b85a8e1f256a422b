//! A compiled rule: one kind of credential, how to find it and how to tell it
//! from look-alikes.
//!
//! (Longer than the workspace's 500-line guide: `impl Rule` is one unit
//! (compilation, the confirmation pipeline every candidate goes through,
//! and the example runner that checks it); splitting the pipeline across
//! files would scatter the order of its steps.)

use std::ops::Range;

use regex::bytes::{Captures, Regex, RegexBuilder};

use crate::Severity;
use crate::error::Error;
use crate::filters::entropy::{char_classes, shannon};
use crate::filters::placeholder::placeholder_marker;
use crate::filters::validator::Validator;
use crate::filters::{Filter, Rejection};
use crate::spec::{
    AllowTarget, Confidence, Example, NegativeExample, Pair, RuleSpec, ValidatorSpec,
};

/// The longest match a rule may produce when its regex has no upper bound
/// and the rule sets no `max_len`. It bounds the window the scanner searches
/// around each keyword hit.
pub const DEFAULT_MAX_MATCH_LEN: usize = 4096;

/// Compiled regexes are capped so that a hostile custom rule cannot make the
/// scanner allocate without bound.
const REGEX_SIZE_LIMIT: usize = 16 * 1024 * 1024;

/// Which capture group holds the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SecretGroup {
    /// The group at this index (the named group `secret`, a gitleaks
    /// `secretGroup`, or group 1).
    Index(usize),
    /// The whole match.
    Whole,
}

/// One detection rule, compiled and ready to run.
///
/// A rule finds candidates with its regex and then decides, through its
/// filters, which of them are credentials: see [`Rule::judge`]. The scanner
/// only runs a rule where one of its [`keywords`](Rule::keywords) occurs.
#[derive(Debug, Clone)]
pub struct Rule {
    id: String,
    name: String,
    description: String,
    severity: Severity,
    confidence: Confidence,
    keywords: Vec<String>,
    pattern: String,
    regex: Regex,
    secret_group: SecretGroup,
    group_names: Vec<(usize, String)>,
    max_match_len: usize,
    min_entropy: Option<f64>,
    min_char_classes: Option<u8>,
    validator: Option<Validator>,
    placeholders: bool,
    literal: bool,
    words: bool,
    allow_words: Vec<(AllowTarget, String)>,
    allow_regexes: Vec<(AllowTarget, Regex)>,
    allow_paths: Vec<Regex>,
    paths: Vec<Regex>,
    pair: Option<Pair>,
    references: Vec<String>,
    rotate: String,
    examples: Vec<Example>,
    negative_examples: Vec<NegativeExample>,
    source: String,
}

/// A regex match of a rule: where it is and which part is the secret.
///
/// Ranges are byte offsets into the haystack the rule ran on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The whole regex match.
    pub span: Range<usize>,
    /// The secret (the `secret` group, or the whole match).
    pub secret: Range<usize>,
    /// Other named groups that took part in the match (`user`, `host`...).
    pub groups: Vec<(String, Range<usize>)>,
}

fn compile(
    source: &str,
    rule_id: &str,
    field: &str,
    pattern: &str,
    case_insensitive: bool,
) -> Result<Regex, Error> {
    let build = |unicode: bool| {
        RegexBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            .unicode(unicode)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
    };
    // Credentials are ASCII: ASCII classes (`\w`, `\s`, `\b`) compile to far
    // smaller automata than their Unicode forms, which matters with 200+
    // rules. A pattern that needs Unicode (`\p{L}`) is compiled with it.
    build(false)
        .or_else(|_| build(true))
        .map_err(|e| Error::Regex {
            source_name: source.to_string(),
            rule_id: rule_id.to_string(),
            field: field.to_string(),
            message: one_line(&e.to_string()),
        })
}

/// The regex crate's parse errors span several lines (the pattern, a caret,
/// the message); error messages here are one line: the message and where.
fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message.lines().collect();
    let Some(err_line) = lines.iter().rev().find(|l| l.starts_with("error: ")) else {
        return lines.join(" ");
    };
    let what = err_line.trim_start_matches("error: ");
    match lines.iter().find(|l| l.trim_start().starts_with('^')) {
        // The caret line is indented like the pattern line (four spaces).
        Some(caret) => {
            let column = caret.find('^').unwrap_or(4).saturating_sub(4) + 1;
            format!("{what} (at character {column} of the pattern)")
        }
        None => what.to_string(),
    }
}

/// The longest match `pattern` can produce, when the regex bounds it.
fn bounded_len(pattern: &str) -> Option<usize> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    hir.properties().maximum_len()
}

/// A kebab-case id, optionally namespaced by a kebab-case prefix and a
/// colon (`gitleaks:aws-access-token`, for imported rules whose id was
/// taken).
fn is_kebab_id(id: &str) -> bool {
    match id.split_once(':') {
        Some((namespace, rest)) => is_plain_kebab_id(namespace) && is_plain_kebab_id(rest),
        None => is_plain_kebab_id(id),
    }
}

fn is_plain_kebab_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

impl Rule {
    /// Checks and compiles one rule table. `source` names the file it came
    /// from, for error messages.
    pub(crate) fn compile(source: &str, spec: RuleSpec) -> Result<Rule, Error> {
        let id = spec.id.clone();
        let field_err = |field: &str, msg: String| Error::field(source, &id, field, msg);
        if !is_kebab_id(&id) {
            return Err(field_err(
                "id",
                "must be kebab-case: lowercase letters, digits and '-'".into(),
            ));
        }
        if spec.name.trim().is_empty() {
            return Err(field_err("name", "must not be empty".into()));
        }
        if spec.keywords.iter().any(|k| k.is_empty()) {
            return Err(field_err("keywords", "a keyword must not be empty".into()));
        }
        if let Some(e) = spec.min_entropy
            && !(0.0..=8.0).contains(&e)
        {
            return Err(field_err(
                "min_entropy",
                format!("{e} is outside 0.0-8.0 bits per byte"),
            ));
        }
        if let Some(c) = spec.min_char_classes
            && !(1..=4).contains(&c)
        {
            return Err(field_err("min_char_classes", format!("{c} is outside 1-4")));
        }
        let regex = compile(source, &id, "regex", &spec.regex, false)?;
        let secret_group = match (
            spec.secret_group,
            regex.capture_names().position(|n| n == Some("secret")),
        ) {
            (Some(0), _) => SecretGroup::Whole,
            (Some(i), _) if i < regex.captures_len() => SecretGroup::Index(i),
            (Some(i), _) => {
                return Err(field_err(
                    "secret_group",
                    format!(
                        "the regex has {} groups, so group {i} does not exist",
                        regex.captures_len() - 1
                    ),
                ));
            }
            (None, Some(i)) => SecretGroup::Index(i),
            (None, None) if regex.captures_len() > 1 => SecretGroup::Index(1),
            (None, None) => SecretGroup::Whole,
        };
        let group_names = regex
            .capture_names()
            .enumerate()
            .filter_map(|(i, n)| match n {
                Some(n) if n != "secret" => Some((i, n.to_string())),
                _ => None,
            })
            .collect();
        let max_match_len = spec
            .max_len
            .or_else(|| bounded_len(&spec.regex))
            .unwrap_or(DEFAULT_MAX_MATCH_LEN);
        let validator = match spec.validator {
            None => None,
            Some(ValidatorSpec::Table(v)) => Some(v),
            Some(ValidatorSpec::Name(name)) => Some(match name.as_str() {
                "crc32-base62" => Validator::Crc32Base62,
                "jwt" => Validator::Jwt,
                "base64-credentials" => Validator::Base64Credentials,
                "pypi-macaroon" => Validator::PypiMacaroon,
                "bech32" => Validator::Bech32,
                other => {
                    return Err(field_err(
                        "validator",
                        format!(
                            "unknown validator {other:?} (expected crc32-base62, jwt, \
                             base64-credentials, pypi-macaroon, bech32, or a table \
                             {{ kind = \"base64-length\", bytes = N }})"
                        ),
                    ));
                }
            }),
        };
        let mut allow_words = Vec::new();
        let mut allow_regexes = Vec::new();
        let mut allow_paths = Vec::new();
        for allow in spec.allow.into_vec() {
            for word in &allow.words {
                if word.is_empty() {
                    return Err(field_err("allow.words", "a word must not be empty".into()));
                }
                allow_words.push((allow.target, word.to_ascii_lowercase()));
            }
            for p in &allow.regexes {
                allow_regexes.push((
                    allow.target,
                    compile(source, &id, "allow.regexes", p, false)?,
                ));
            }
            for p in &allow.paths {
                allow_paths.push(compile(source, &id, "allow.paths", p, false)?);
            }
        }
        let paths = spec
            .paths
            .iter()
            .map(|p| compile(source, &id, "paths", p, false))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Rule {
            name: spec.name,
            description: spec.description,
            severity: spec.severity,
            confidence: spec.confidence,
            keywords: spec.keywords,
            pattern: spec.regex,
            regex,
            secret_group,
            group_names,
            max_match_len,
            min_entropy: spec.min_entropy,
            min_char_classes: spec.min_char_classes,
            validator,
            placeholders: spec.placeholders,
            words: spec.words.unwrap_or(spec.literal),
            literal: spec.literal,
            allow_words,
            allow_regexes,
            allow_paths,
            paths,
            pair: spec.pair,
            references: spec.references,
            rotate: spec.rotate.unwrap_or_default(),
            examples: spec.examples,
            negative_examples: spec.negative_examples,
            source: source.to_string(),
            id,
        })
    }

    /// The stable kebab-case id, e.g. `github-pat-classic`.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// A short human name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// What the credential is and why a leak matters.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// How bad a leak of this credential is.
    pub fn severity(&self) -> Severity {
        self.severity
    }
    /// How sure a match is to be real.
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }
    /// Literals that every match contains (compared ASCII
    /// case-insensitively). Empty for imported rules that have none: those
    /// run on every file.
    pub fn keywords(&self) -> &[String] {
        &self.keywords
    }
    /// The regex as written in the rule file.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }
    /// The compiled regex.
    pub fn regex(&self) -> &Regex {
        &self.regex
    }
    /// The longest match this rule can produce, in bytes: the regex's own
    /// bound, the rule's `max_len`, or [`DEFAULT_MAX_MATCH_LEN`].
    pub fn max_match_len(&self) -> usize {
        self.max_match_len
    }
    /// The validator the rule runs, if any.
    pub fn validator(&self) -> Option<&Validator> {
        self.validator.as_ref()
    }
    /// The rule whose findings this rule's findings are paired with, if any.
    pub fn pair(&self) -> Option<&Pair> {
        self.pair.as_ref()
    }
    /// Links to the provider's documentation of the format.
    pub fn references(&self) -> &[String] {
        &self.references
    }
    /// How to revoke and replace a leaked credential of this kind (empty
    /// when the rule file does not say).
    pub fn rotate(&self) -> &str {
        &self.rotate
    }
    /// Texts the rule must report.
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }
    /// Look-alikes the rule must not report.
    pub fn negative_examples(&self) -> &[NegativeExample] {
        &self.negative_examples
    }
    /// The rule file the rule came from (`aws.toml`, `<inline>`...).
    pub fn source(&self) -> &str {
        &self.source
    }
    /// Everything that decides what the rule reports, as one string (for
    /// [`Catalog::digest`](crate::Catalog::digest)).
    pub(crate) fn fingerprint_material(&self) -> String {
        format!(
            "{}|{}|{:?}|{:?}|{:?}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{}",
            self.id,
            self.pattern,
            self.keywords,
            self.min_entropy,
            self.min_char_classes,
            self.validator,
            self.placeholders,
            self.allow_words,
            self.allow_regexes
                .iter()
                .map(|(t, r)| (t, r.as_str()))
                .collect::<Vec<_>>(),
            self.allow_paths
                .iter()
                .map(Regex::as_str)
                .collect::<Vec<_>>(),
            self.paths.iter().map(Regex::as_str).collect::<Vec<_>>(),
            self.severity,
        )
    }

    /// Whether the rule is limited to some file paths.
    pub fn has_path_condition(&self) -> bool {
        !self.paths.is_empty()
    }

    /// Whether the rule runs on a file at `path` (`None`: stdin or an
    /// unnamed buffer, where path-limited rules do not run). Paths are
    /// matched with `/` separators.
    pub fn applies_to_path(&self, path: Option<&str>) -> bool {
        let Some(p) = path else {
            return self.paths.is_empty();
        };
        let p = p.replace('\\', "/");
        if self.allow_paths.iter().any(|r| r.is_match(p.as_bytes())) {
            return false;
        }
        self.paths.is_empty() || self.paths.iter().any(|r| r.is_match(p.as_bytes()))
    }

    /// Turns one set of captures of [`Rule::regex`] into a candidate, or
    /// `None` when the secret group did not take part in the match.
    pub fn candidate(&self, caps: &Captures<'_>) -> Option<Candidate> {
        let whole = caps.get(0)?;
        let secret = match self.secret_group {
            SecretGroup::Whole => whole.range(),
            SecretGroup::Index(i) => caps.get(i)?.range(),
        };
        if secret.is_empty() {
            return None;
        }
        let groups = self
            .group_names
            .iter()
            .filter_map(|(i, name)| caps.get(*i).map(|m| (name.clone(), m.range())))
            .collect();
        Some(Candidate {
            span: whole.range(),
            secret,
            groups,
        })
    }

    /// Runs the rule's filters on a candidate found in `haystack`: the allow
    /// list, the placeholder list, the randomness tests, then the validator.
    /// `Err` names the filter that dropped it and why.
    pub fn judge(&self, haystack: &[u8], candidate: &Candidate) -> Result<(), Rejection> {
        self.judge_at(haystack, candidate, None)
    }

    /// [`Rule::judge`] for a candidate found in the file at `path`: the
    /// literal filter reads the file's kind from its extension (in source
    /// code a literal is quoted).
    pub fn judge_at(
        &self,
        haystack: &[u8],
        candidate: &Candidate,
        path: Option<&str>,
    ) -> Result<(), Rejection> {
        // A caller may build a candidate by hand: every range the filters
        // slice with is checked here, once, so none of them can panic.
        if haystack.get(candidate.span.clone()).is_none()
            || candidate.secret.start < candidate.span.start
            || candidate.secret.end > candidate.span.end
        {
            return Err(Rejection::new(
                Filter::Validator,
                "match out of bounds (or the secret outside the match)",
            ));
        }
        let secret = haystack
            .get(candidate.secret.clone())
            .ok_or_else(|| Rejection::new(Filter::Validator, "secret out of bounds"))?;
        let secret_text = String::from_utf8_lossy(secret);
        self.check_allow_list(haystack, candidate, secret)?;
        if self.placeholders
            && let Some(marker) = placeholder_marker(&secret_text)
        {
            return Err(Rejection::new(
                Filter::Placeholder,
                format!("placeholder {marker:?}"),
            ));
        }
        if self.literal {
            crate::filters::literal::check(
                haystack,
                candidate.span.clone(),
                candidate.secret.clone(),
                path,
                &self.keywords,
            )
            .map_err(|why| Rejection::new(Filter::Code, why))?;
        }
        if self.words {
            if let Some((_, user)) = candidate.groups.iter().find(|(n, _)| n == "user")
                && haystack.get(user.clone()) == Some(secret)
            {
                return Err(Rejection::new(
                    Filter::Words,
                    "the password is the user name",
                ));
            }
            // A URL's password may be percent-encoded (`p%C3%A4ssword`):
            // words are looked for in what it spells.
            let spelled = crate::filters::words::spelled(secret);
            let cover = crate::filters::words::word_cover(&spelled);
            if cover.share >= crate::filters::words::WORD_COVER_THRESHOLD {
                return Err(Rejection::new(
                    Filter::Words,
                    format!(
                        "{:.0}% common words and runs ({})",
                        cover.share * 100.0,
                        cover.parts.join("+")
                    ),
                ));
            }
        }
        if let Some(min) = self.min_entropy {
            let e = shannon(secret);
            if e < min {
                return Err(Rejection::new(
                    Filter::Entropy,
                    format!("entropy {e:.2} < {min:.2}"),
                ));
            }
        }
        if let Some(min) = self.min_char_classes {
            let c = char_classes(secret);
            if c < min {
                return Err(Rejection::new(
                    Filter::CharClasses,
                    format!("{c} character classes < {min}"),
                ));
            }
        }
        if let Some(v) = &self.validator {
            v.check(secret)
                .map_err(|why| Rejection::new(Filter::Validator, format!("{}: {why}", v.name())))?;
        }
        Ok(())
    }

    fn check_allow_list(
        &self,
        haystack: &[u8],
        candidate: &Candidate,
        secret: &[u8],
    ) -> Result<(), Rejection> {
        if self.allow_words.is_empty() && self.allow_regexes.is_empty() {
            return Ok(());
        }
        let target = |t: AllowTarget| -> &[u8] {
            match t {
                AllowTarget::Secret => secret,
                AllowTarget::Match => &haystack[candidate.span.clone()],
                AllowTarget::Line => &haystack[line_bounds(haystack, candidate.span.clone())],
            }
        };
        for (t, word) in &self.allow_words {
            if memmem_ci(target(*t), word.as_bytes()) {
                return Err(Rejection::new(
                    Filter::Allowlist,
                    format!("allow-listed word {word:?}"),
                ));
            }
        }
        for (t, re) in &self.allow_regexes {
            if re.is_match(target(*t)) {
                return Err(Rejection::new(
                    Filter::Allowlist,
                    format!("allow-listed regex {:?}", re.as_str()),
                ));
            }
        }
        Ok(())
    }

    /// Runs the rule's own examples through the real matcher and returns one
    /// message per failure: a positive example not reported with its secret,
    /// a negative example reported, a match containing none of the keywords,
    /// a keyword no example exercises. Empty when the rule is sound.
    pub fn check_examples(&self) -> Vec<String> {
        example_failures(self)
    }

    /// Runs the rule over a whole buffer and returns every candidate with its
    /// verdict, in order. The scanner does the same work only around keyword
    /// hits; this is for tests, examples and small inputs.
    ///
    /// ```
    /// use secret_patterns::Catalog;
    /// let catalog = Catalog::builtin();
    /// let rule = catalog.get("aws-access-key-id").unwrap();
    /// let text = b"aws_access_key_id = AKIAIOSFODNN7EXAMPLE";
    /// let results = rule.find_all(text, None);
    /// // AWS's documented example key is recognised as a placeholder.
    /// assert_eq!(results.len(), 1);
    /// assert!(results[0].1.is_err());
    /// ```
    pub fn find_all(
        &self,
        haystack: &[u8],
        path: Option<&str>,
    ) -> Vec<(Candidate, Result<(), Rejection>)> {
        if !self.applies_to_path(path) {
            return Vec::new();
        }
        self.regex
            .captures_iter(haystack)
            .filter_map(|caps| self.candidate(&caps))
            .map(|c| {
                let verdict = self.judge_at(haystack, &c, path);
                (c, verdict)
            })
            .collect()
    }
}

/// Runs a rule's examples; returns one message per failure.
fn example_failures(rule: &Rule) -> Vec<String> {
    let mut failures = Vec::new();
    let accepted = |text: &str, path: Option<&str>| -> Vec<(String, String)> {
        rule.find_all(text.as_bytes(), path)
            .into_iter()
            .filter(|(_, v)| v.is_ok())
            .map(|(c, _)| {
                (
                    String::from_utf8_lossy(&text.as_bytes()[c.secret]).into_owned(),
                    String::from_utf8_lossy(&text.as_bytes()[c.span]).into_owned(),
                )
            })
            .collect()
    };
    let mut matched = Vec::new();
    for ex in &rule.examples {
        let path = ex.path.as_deref();
        let found = accepted(&ex.text, path);
        if !found.iter().any(|(s, _)| *s == ex.secret) {
            let verdicts: Vec<String> = rule
                .find_all(ex.text.as_bytes(), path)
                .into_iter()
                .map(|(c, v)| {
                    let s = String::from_utf8_lossy(&ex.text.as_bytes()[c.secret]);
                    match v {
                        Ok(()) => format!("{s:?} reported"),
                        Err(r) => format!("{s:?} dropped by {r}"),
                    }
                })
                .collect();
            failures.push(format!(
                "example {:?}: expected secret {:?}; candidates: [{}]",
                ex.text,
                ex.secret,
                verdicts.join(", ")
            ));
        }
        for (c, _) in rule.find_all(ex.text.as_bytes(), path) {
            let m = String::from_utf8_lossy(&ex.text.as_bytes()[c.span]).to_ascii_lowercase();
            if !rule.keywords.is_empty()
                && !rule
                    .keywords
                    .iter()
                    .any(|k| m.contains(&k.to_ascii_lowercase()))
            {
                failures.push(format!(
                    "match {m:?} contains none of the keywords {:?} (the prefilter would miss it)",
                    rule.keywords
                ));
            }
            matched.push(m);
        }
    }
    for k in &rule.keywords {
        let k = k.to_ascii_lowercase();
        if !rule.examples.is_empty() && !matched.iter().any(|m| m.contains(&k)) {
            failures.push(format!("keyword {k:?} occurs in no example's match"));
        }
    }
    for ex in &rule.negative_examples {
        let found = accepted(&ex.text, ex.path.as_deref());
        if !found.is_empty() {
            let secrets: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
            failures.push(format!(
                "negative example {:?} ({}) was reported: {secrets:?}",
                ex.text, ex.why
            ));
        }
    }
    failures
}

/// Whether `needle` (already lowercase) occurs in `haystack`, ASCII
/// case-insensitively.
fn memmem_ci(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The byte range of the line (or lines) holding `span`, without the
/// line terminators.
pub(crate) fn line_bounds(haystack: &[u8], span: Range<usize>) -> Range<usize> {
    let start = haystack[..span.start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = haystack[span.end..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(haystack.len(), |i| span.end + i);
    start..end
}
