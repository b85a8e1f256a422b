//! Confirmation: running the rules a buffer's keyword hits select, in windows
//! around those hits, then filtering, suppressing and de-duplicating.
//!
//! # The window
//!
//! For a rule whose longest possible match is `L` bytes (see
//! [`Rule::max_match_len`](secret_patterns::Rule::max_match_len)) and a
//! keyword hit at `[s, e)`, the rule's regex runs over `[s - L, e + L)`
//! (clamped to the buffer); overlapping windows of one rule are merged first.
//! Since every match of a rule contains one of its keywords and is at most
//! `L` bytes long, every match lies inside the window of the keyword it
//! contains: windowing loses nothing. Look-behind assertions (`\b`, `^`)
//! still see the bytes before a window, because the search starts at the
//! window's offset in the whole buffer. The cost is linear in the buffer
//! (the prefilter) plus `O(hits × L)` for the regexes.

//!
//! # Parts
//!
//! This module finds candidates and runs the rules' filters; `markers`
//! applies inline allow comments, `dedupe` keeps one finding per secret
//! (and lets a validator's refusal silence less specific rules), and
//! `positions` turns byte offsets into lines and columns and pairs related
//! findings (an AWS key id with its secret).

mod decoded;
mod dedupe;
mod markers;
mod positions;

use std::ops::Range;

use secret_patterns::{Candidate, Catalog, Rule};

use crate::finding::{DropReason, Dropped, Finding, Skipped};
use crate::prefilter::{Hit, Prefilter};

use dedupe::{dedupe, specificity};
use markers::inline_allow;
pub use markers::{INLINE_ALLOW_MARKERS, NEXT_LINE_ALLOW_MARKER};
use positions::positions;

/// Per-thread scratch space, reused from one buffer to the next.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    hits: Vec<(usize, Hit)>,
    windows: Vec<Range<usize>>,
}

/// One input's results: findings, dropped candidates (explain mode) and,
/// for an archive, the members skipped.
#[derive(Debug, Default)]
pub(crate) struct BufferResults {
    pub findings: Vec<Finding>,
    pub dropped: Vec<Dropped>,
    pub skipped: Vec<Skipped>,
    /// What the finding limits left out, one message per rule (and one for
    /// the input), delivered as warnings after the findings.
    pub omitted: Vec<String>,
}

/// Caps on what one buffer may report (0: none). See
/// [`ScanOptions::max_findings_per_rule`](crate::ScanOptions::max_findings_per_rule).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub per_rule: usize,
    pub per_file: usize,
}

/// One rule's allowance in one buffer, and what went over it.
#[derive(Debug)]
struct Budget {
    cap: usize,
    accepted: usize,
    dropped: usize,
    claimed: usize,
    omitted: u64,
    omitted_dropped: u64,
}

impl Budget {
    fn new(cap: usize) -> Self {
        Budget {
            cap: if cap == 0 { usize::MAX } else { cap },
            accepted: 0,
            dropped: 0,
            claimed: 0,
            omitted: 0,
            omitted_dropped: 0,
        }
    }

    fn note(&self, path: &str, rule: &Rule, out: &mut Vec<String>) {
        if self.omitted > 0 {
            out.push(format!(
                "{path}: rule {}: {} more findings not listed (at most {} per rule in one input)",
                rule.id(),
                self.omitted,
                self.cap
            ));
        }
        if self.omitted_dropped > 0 {
            out.push(format!(
                "{path}: rule {}: {} more dropped candidates not listed (at most {} per rule in one input)",
                rule.id(),
                self.omitted_dropped,
                self.cap
            ));
        }
    }
}

/// Bytes a high-confidence rule recognised and its validator refused.
pub(crate) struct Claim<'r> {
    rule: &'r Rule,
    secret: Range<usize>,
}

pub(crate) struct Accepted<'r> {
    pub rule: &'r Rule,
    pub candidate: Candidate,
}

/// Scans one buffer (already decoded) for every rule of `catalog`, and the
/// encoded runs inside it `decode_depth` levels deep.
#[allow(clippy::too_many_arguments)]
pub(crate) fn scan_buffer(
    catalog: &Catalog,
    prefilter: &Prefilter,
    explain: bool,
    limits: Limits,
    path: &str,
    rule_path: Option<&str>,
    haystack: &[u8],
    scratch: &mut Scratch,
    decode_depth: usize,
) -> BufferResults {
    let rules = catalog.rules();
    let mut omitted = Vec::new();
    let mut accepted: Vec<Accepted<'_>> = Vec::new();
    let mut dropped: Vec<(&Rule, Candidate, DropReason)> = Vec::new();
    let mut claimed: Vec<Claim<'_>> = Vec::new();

    prefilter.hits(haystack, &mut scratch.hits);
    scratch
        .hits
        .sort_unstable_by_key(|(ri, hit)| (*ri, hit.start));
    let mut i = 0;
    let hits = &scratch.hits;
    while i < hits.len() {
        let ri = hits[i].0;
        let mut j = i;
        while j < hits.len() && hits[j].0 == ri {
            j += 1;
        }
        let rule = &rules[ri];
        if rule.applies_to_path(rule_path) {
            let mut budget = Budget::new(limits.per_rule);
            let reach = rule.max_match_len();
            scratch.windows.clear();
            for (_, hit) in &hits[i..j] {
                let w = hit.start.saturating_sub(reach)
                    ..(hit.end.saturating_add(reach)).min(haystack.len());
                match scratch.windows.last_mut() {
                    Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                    _ => scratch.windows.push(w),
                }
            }
            for w in &scratch.windows {
                run_rule(
                    rule,
                    haystack,
                    rule_path,
                    w.clone(),
                    explain,
                    &mut budget,
                    &mut accepted,
                    &mut dropped,
                    &mut claimed,
                );
            }
            budget.note(path, rule, &mut omitted);
        }
        i = j;
    }
    for &ri in &prefilter.always {
        let rule = &rules[ri];
        if rule.applies_to_path(rule_path) {
            let mut budget = Budget::new(limits.per_rule);
            run_rule(
                rule,
                haystack,
                rule_path,
                0..haystack.len(),
                explain,
                &mut budget,
                &mut accepted,
                &mut dropped,
                &mut claimed,
            );
            budget.note(path, rule, &mut omitted);
        }
    }

    // A high-confidence rule whose validator refused a candidate has said
    // what those bytes are: a malformed token. Less specific rules (generic
    // assignments) must not report the same bytes.
    if !claimed.is_empty() {
        accepted.retain(|a| {
            let claim = claimed.iter().find(|c| {
                specificity(c.rule) > specificity(a.rule)
                    && c.secret.start < a.candidate.secret.end
                    && a.candidate.secret.start < c.secret.end
            });
            match claim {
                None => true,
                Some(c) => {
                    if explain {
                        dropped.push((
                            a.rule,
                            a.candidate.clone(),
                            DropReason::Duplicate {
                                kept_rule: c.rule.id().to_string(),
                            },
                        ));
                    }
                    false
                }
            }
        });
    }

    // Inline allow markers.
    accepted.retain(|a| match inline_allow(haystack, a.candidate.secret.start) {
        None => true,
        Some(marker) => {
            // Kept even without `explain`: they are few (one per marker), and
            // the CLI counts them in its summary ("7 inline").
            {
                dropped.push((
                    a.rule,
                    a.candidate.clone(),
                    DropReason::InlineAllow {
                        marker: marker.to_string(),
                    },
                ));
            }
            false
        }
    });

    let mut kept = dedupe(accepted, explain, &mut dropped);
    if limits.per_file > 0 && kept.len() > limits.per_file {
        omitted.push(format!(
            "{path}: {} more findings not listed (at most {} in one input)",
            kept.len() - limits.per_file,
            limits.per_file
        ));
        kept.truncate(limits.per_file);
    }
    let mut results = positions(path, haystack, kept, dropped);
    results.omitted = omitted;
    if decode_depth > 0 {
        decoded::add_decoded(
            catalog,
            prefilter,
            explain,
            limits,
            path,
            rule_path,
            haystack,
            scratch,
            decode_depth,
            &mut results,
        );
    }
    results
}

#[allow(clippy::too_many_arguments)]
fn run_rule<'r>(
    rule: &'r Rule,
    haystack: &[u8],
    rule_path: Option<&str>,
    window: Range<usize>,
    explain: bool,
    budget: &mut Budget,
    accepted: &mut Vec<Accepted<'r>>,
    dropped: &mut Vec<(&'r Rule, Candidate, DropReason)>,
    claimed: &mut Vec<Claim<'r>>,
) {
    let bounded = &haystack[..window.end];
    let regex = rule.regex();
    let mut at = window.start;
    while at <= bounded.len() {
        let Some(caps) = regex.captures_at(bounded, at) else {
            break;
        };
        let Some(whole) = caps.get(0) else {
            break;
        };
        at = if whole.end() > whole.start() {
            whole.end()
        } else {
            whole.end() + 1
        };
        let Some(candidate) = rule.candidate(&caps) else {
            continue;
        };
        match rule.judge_at(haystack, &candidate, rule_path) {
            Ok(()) if budget.accepted >= budget.cap => budget.omitted += 1,
            Ok(()) => {
                budget.accepted += 1;
                accepted.push(Accepted { rule, candidate });
            }
            Err(rejection) => {
                if rejection.filter == secret_patterns::Filter::Validator
                    && rule.confidence() == secret_patterns::Confidence::High
                    && budget.claimed < budget.cap
                {
                    budget.claimed += 1;
                    claimed.push(Claim {
                        rule,
                        secret: candidate.secret.clone(),
                    });
                }
                if explain && budget.dropped >= budget.cap {
                    budget.omitted_dropped += 1;
                } else if explain {
                    budget.dropped += 1;
                    dropped.push((
                        rule,
                        candidate,
                        DropReason::Filter {
                            filter: rejection.filter,
                            detail: rejection.reason,
                        },
                    ));
                }
            }
        }
    }
}
