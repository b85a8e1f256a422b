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

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use memchr::memmem;
use secret_patterns::{Candidate, Catalog, Rule};

use crate::finding::{DropReason, Dropped, Finding, fingerprint};
use crate::prefilter::{Hit, Prefilter};

/// Markers that allow a finding on their line: ours first, then those of
/// other tools, so their users' annotations keep working.
pub const INLINE_ALLOW_MARKERS: &[&str] = &[
    "secret-scanner:allow",
    "gitleaks:allow",
    "pragma: allowlist secret",
    "kingfisher:ignore",
    "trufflehog:ignore",
];

/// A marker that allows a finding on the line after it (detect-secrets).
pub const NEXT_LINE_ALLOW_MARKER: &str = "pragma: allowlist nextline secret";

/// How far from a finding, on its line, an inline marker is looked for. It
/// bounds the cost on multi-megabyte single lines (minified code).
const MARKER_REACH: usize = 64 * 1024;

/// Per-thread scratch space, reused from one buffer to the next.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    hits: Vec<(usize, Hit)>,
    windows: Vec<Range<usize>>,
}

/// One buffer's results, before positions are computed.
#[derive(Debug, Default)]
pub(crate) struct BufferResults {
    pub findings: Vec<Finding>,
    pub dropped: Vec<Dropped>,
}

/// Bytes a high-confidence rule recognised and its validator refused.
struct Claim<'r> {
    rule: &'r Rule,
    secret: Range<usize>,
}

struct Accepted<'r> {
    rule: &'r Rule,
    candidate: Candidate,
}

/// Scans one buffer (already decoded) for every rule of `catalog`.
pub(crate) fn scan_buffer(
    catalog: &Catalog,
    prefilter: &Prefilter,
    explain: bool,
    path: &str,
    rule_path: Option<&str>,
    haystack: &[u8],
    scratch: &mut Scratch,
) -> BufferResults {
    let rules = catalog.rules();
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
                    w.clone(),
                    explain,
                    &mut accepted,
                    &mut dropped,
                    &mut claimed,
                );
            }
        }
        i = j;
    }
    for &ri in &prefilter.always {
        let rule = &rules[ri];
        if rule.applies_to_path(rule_path) {
            run_rule(
                rule,
                haystack,
                0..haystack.len(),
                explain,
                &mut accepted,
                &mut dropped,
                &mut claimed,
            );
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
            if explain {
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

    let kept = dedupe(accepted, explain, &mut dropped);
    positions(path, haystack, kept, dropped)
}

fn run_rule<'r>(
    rule: &'r Rule,
    haystack: &[u8],
    window: Range<usize>,
    explain: bool,
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
        match rule.judge(haystack, &candidate) {
            Ok(()) => accepted.push(Accepted { rule, candidate }),
            Err(rejection) => {
                if rejection.filter == secret_patterns::Filter::Validator
                    && rule.confidence() == secret_patterns::Confidence::High
                {
                    claimed.push(Claim {
                        rule,
                        secret: candidate.secret.clone(),
                    });
                }
                if explain {
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

/// The inline allow marker covering the line that holds `offset`, if any.
fn inline_allow(haystack: &[u8], offset: usize) -> Option<&'static str> {
    let lo = offset.saturating_sub(MARKER_REACH);
    let line_start = memchr::memrchr(b'\n', &haystack[lo..offset]).map_or(lo, |i| lo + i + 1);
    let hi = (offset + MARKER_REACH).min(haystack.len());
    let line_end = memchr::memchr(b'\n', &haystack[offset..hi]).map_or(hi, |i| offset + i);
    let line = &haystack[line_start..line_end];
    if let Some(m) = INLINE_ALLOW_MARKERS
        .iter()
        .find(|m| memmem::find(line, m.as_bytes()).is_some())
    {
        return Some(m);
    }
    if line_start > 0 {
        let prev_end = line_start - 1;
        let lo = prev_end.saturating_sub(MARKER_REACH);
        let prev_start = memchr::memrchr(b'\n', &haystack[lo..prev_end]).map_or(lo, |i| lo + i + 1);
        if memmem::find(
            &haystack[prev_start..prev_end],
            NEXT_LINE_ALLOW_MARKER.as_bytes(),
        )
        .is_some()
        {
            return Some(NEXT_LINE_ALLOW_MARKER);
        }
    }
    None
}

/// How specific a rule is, for choosing between rules that report the same
/// bytes: confidence first (a provider prefix beats a generic assignment),
/// then a validator, then severity.
fn specificity(rule: &Rule) -> (secret_patterns::Confidence, bool, secret_patterns::Severity) {
    (
        rule.confidence(),
        rule.validator().is_some(),
        rule.severity(),
    )
}

/// Keeps one finding per secret: among accepted candidates whose secrets
/// overlap, the most specific rule wins (ties: the longer secret, then the
/// rule id, so the choice is deterministic).
fn dedupe<'r>(
    mut accepted: Vec<Accepted<'r>>,
    explain: bool,
    dropped: &mut Vec<(&'r Rule, Candidate, DropReason)>,
) -> Vec<Accepted<'r>> {
    accepted.sort_by(|a, b| {
        (
            a.candidate.secret.start,
            a.candidate.secret.end,
            a.rule.id(),
        )
            .cmp(&(
                b.candidate.secret.start,
                b.candidate.secret.end,
                b.rule.id(),
            ))
    });
    let mut kept: Vec<Accepted<'r>> = Vec::with_capacity(accepted.len());
    let mut cluster: Vec<Accepted<'r>> = Vec::new();
    let mut cluster_end = 0;
    let flush = |cluster: &mut Vec<Accepted<'r>>,
                 kept: &mut Vec<Accepted<'r>>,
                 dropped: &mut Vec<(&'r Rule, Candidate, DropReason)>| {
        if cluster.is_empty() {
            return;
        }
        let best = cluster
            .iter()
            .enumerate()
            .max_by(|(_, a), (_, b)| {
                let ka = (specificity(a.rule), a.candidate.secret.len());
                let kb = (specificity(b.rule), b.candidate.secret.len());
                ka.cmp(&kb).then_with(|| b.rule.id().cmp(a.rule.id()))
            })
            .map_or(0, |(i, _)| i);
        let winner = cluster.swap_remove(best);
        for other in cluster.drain(..) {
            if explain {
                dropped.push((
                    other.rule,
                    other.candidate,
                    DropReason::Duplicate {
                        kept_rule: winner.rule.id().to_string(),
                    },
                ));
            }
        }
        kept.push(winner);
    };
    for a in accepted {
        if !cluster.is_empty() && a.candidate.secret.start >= cluster_end {
            flush(&mut cluster, &mut kept, dropped);
        }
        cluster_end = if cluster.is_empty() {
            a.candidate.secret.end
        } else {
            cluster_end.max(a.candidate.secret.end)
        };
        cluster.push(a);
    }
    flush(&mut cluster, &mut kept, dropped);
    kept
}

/// Gives each finding of a rule with a `pair` the secret of the nearest
/// finding of the partner rule, when it is at most `max_lines` away.
fn pair_findings(rules: &[&Rule], findings: &mut [Finding]) {
    for i in 0..findings.len() {
        let Some(pair) = rules[i].pair() else {
            continue;
        };
        let partner = findings
            .iter()
            .filter(|f| f.rule_id == pair.with)
            .map(|f| (f.line.abs_diff(findings[i].line), f))
            .filter(|(d, _)| *d <= pair.max_lines)
            .min_by_key(|(d, f)| (*d, f.byte_offset))
            .map(|(_, f)| f.secret.clone());
        if let Some(secret) = partner {
            findings[i].groups.insert(pair.group.clone(), secret);
        }
    }
}

/// Walks a buffer's lines forwards, turning byte offsets into 1-based lines
/// and character columns in one pass over the offsets in ascending order.
struct LineCursor<'h> {
    haystack: &'h [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    chars_pos: usize,
    chars: usize,
}

impl<'h> LineCursor<'h> {
    fn new(haystack: &'h [u8]) -> Self {
        LineCursor {
            haystack,
            pos: 0,
            line: 1,
            line_start: 0,
            chars_pos: 0,
            chars: 0,
        }
    }

    /// (line, number of characters from the line start to `offset`).
    fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.haystack.len());
        if offset < self.pos {
            *self = LineCursor::new(self.haystack);
        }
        for nl in memchr::memchr_iter(b'\n', &self.haystack[self.pos..offset]) {
            self.line += 1;
            self.line_start = self.pos + nl + 1;
        }
        self.pos = offset;
        if self.chars_pos < self.line_start || self.chars_pos > offset {
            self.chars_pos = self.line_start;
            self.chars = 0;
        }
        self.chars += self.haystack[self.chars_pos..offset]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        self.chars_pos = offset;
        (self.line, self.chars)
    }
}

fn text(haystack: &[u8], range: Range<usize>) -> String {
    match String::from_utf8_lossy(&haystack[range]) {
        Cow::Borrowed(s) => s.to_string(),
        Cow::Owned(s) => s,
    }
}

fn positions(
    path: &str,
    haystack: &[u8],
    kept: Vec<Accepted<'_>>,
    mut dropped: Vec<(&Rule, Candidate, DropReason)>,
) -> BufferResults {
    let mut cursor = LineCursor::new(haystack);
    let rules: Vec<&Rule> = kept.iter().map(|a| a.rule).collect();
    let mut findings: Vec<Finding> = kept
        .into_iter()
        .map(|a| {
            let secret = a.candidate.secret.clone();
            let (line, chars) = cursor.at(secret.start);
            let (end_line, end_chars) = cursor.at(secret.end);
            let groups: BTreeMap<String, String> = a
                .candidate
                .groups
                .iter()
                .map(|(name, r)| (name.clone(), text(haystack, r.clone())))
                .collect();
            Finding {
                rule_id: a.rule.id().to_string(),
                rule_name: a.rule.name().to_string(),
                severity: a.rule.severity(),
                confidence: a.rule.confidence(),
                path: path.to_string(),
                line,
                column: chars + 1,
                end_line,
                end_column: end_chars.max(1),
                byte_offset: secret.start,
                fingerprint: fingerprint(a.rule.id(), &haystack[secret.clone()]),
                secret: text(haystack, secret),
                groups,
                git: None,
            }
        })
        .collect();
    pair_findings(&rules, &mut findings);
    dropped.sort_by_key(|(_, c, _)| c.secret.start);
    let mut cursor = LineCursor::new(haystack);
    let dropped = dropped
        .into_iter()
        .map(|(rule, c, reason)| {
            let (line, chars) = cursor.at(c.secret.start);
            Dropped {
                rule_id: rule.id().to_string(),
                path: path.to_string(),
                line,
                column: chars + 1,
                secret: text(haystack, c.secret),
                reason,
            }
        })
        .collect();
    BufferResults { findings, dropped }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_cursor_counts_lines_and_characters() {
        let text = "ab\r\nçd\nxyz".as_bytes();
        let mut c = LineCursor::new(text);
        assert_eq!(c.at(0), (1, 0));
        assert_eq!(c.at(1), (1, 1));
        // 'ç' is two bytes, one character.
        let d = text.iter().position(|&b| b == b'd').unwrap();
        assert_eq!(c.at(d), (2, 1));
        assert_eq!(c.at(text.len()), (3, 3));
        // Going backwards restarts.
        assert_eq!(c.at(1), (1, 1));
    }

    #[test]
    fn markers_cover_their_line_and_nextline_the_following_one() {
        let text = b"a = 1 # gitleaks:allow\nb = 2\n# pragma: allowlist nextline secret\nc = 3\n";
        assert_eq!(inline_allow(text, 2), Some("gitleaks:allow"));
        assert_eq!(inline_allow(text, 24), None);
        let c = text.len() - "c = 3\n".len();
        assert_eq!(inline_allow(text, c), Some(NEXT_LINE_ALLOW_MARKER));
    }
}
