//! The keyword prefilter: one aho-corasick automaton over every rule's
//! keywords, telling which rules can match a buffer and where.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use secret_patterns::Catalog;

use crate::error::Error;

/// One keyword occurrence: the byte range of the keyword in the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
}

/// The automaton and, for each distinct keyword, the rules that own it.
#[derive(Debug, Clone)]
pub(crate) struct Prefilter {
    automaton: Option<AhoCorasick>,
    /// `rules_by_pattern[p]`: indexes (into the catalogue) of the rules whose
    /// keywords include pattern `p`.
    rules_by_pattern: Vec<Vec<usize>>,
    /// Rules with no keyword (imported ones): they run on every buffer.
    pub always: Vec<usize>,
}

impl Prefilter {
    pub fn new(catalog: &Catalog) -> Result<Prefilter, Error> {
        let mut patterns: Vec<String> = Vec::new();
        let mut rules_by_pattern: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (ri, rule) in catalog.iter().enumerate() {
            if rule.keywords().is_empty() {
                always.push(ri);
            }
            for kw in rule.keywords() {
                let kw = kw.to_ascii_lowercase();
                match patterns.iter().position(|p| *p == kw) {
                    Some(pi) => {
                        if !rules_by_pattern[pi].contains(&ri) {
                            rules_by_pattern[pi].push(ri);
                        }
                    }
                    None => {
                        patterns.push(kw);
                        rules_by_pattern.push(vec![ri]);
                    }
                }
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            // Standard semantics with overlapping search: a keyword inside
            // another (`secret` in `secret_access`) is still reported.
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&patterns)
                    .or_else(|_| {
                        AhoCorasickBuilder::new()
                            .ascii_case_insensitive(true)
                            .match_kind(MatchKind::Standard)
                            .build(&patterns)
                    })
                    .map_err(|e| Error::Prefilter(e.to_string()))?,
            )
        };
        Ok(Prefilter {
            automaton,
            rules_by_pattern,
            always,
        })
    }

    /// Pushes `(rule index, hit)` for every keyword occurrence in `haystack`
    /// into `out` (cleared first).
    pub fn hits(&self, haystack: &[u8], out: &mut Vec<(usize, Hit)>) {
        out.clear();
        let Some(ac) = &self.automaton else {
            return;
        };
        for m in ac.find_overlapping_iter(haystack) {
            let hit = Hit {
                start: m.start(),
                end: m.end(),
            };
            for &ri in &self.rules_by_pattern[m.pattern().as_usize()] {
                out.push((ri, hit));
            }
        }
    }
}
