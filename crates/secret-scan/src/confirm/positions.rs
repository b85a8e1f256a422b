//! From byte offsets to findings: 1-based lines and character columns,
//! fingerprints, capture groups, and pairing of related findings.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use secret_patterns::{Candidate, Rule};

use super::{Accepted, BufferResults};
use crate::finding::{DropReason, Dropped, Finding, fingerprint};

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
/// A UTF-8 byte-order mark is not a character of the first line.
pub(super) struct LineCursor<'h> {
    haystack: &'h [u8],
    start: usize,
    pos: usize,
    line: usize,
    line_start: usize,
    chars_pos: usize,
    chars: usize,
}

impl<'h> LineCursor<'h> {
    pub(super) fn new(haystack: &'h [u8]) -> Self {
        let start = if haystack.starts_with(UTF8_BOM) {
            UTF8_BOM.len()
        } else {
            0
        };
        LineCursor {
            haystack,
            start,
            pos: start,
            line: 1,
            line_start: start,
            chars_pos: start,
            chars: 0,
        }
    }

    /// (line, number of characters from the line start to `offset`).
    pub(super) fn at(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.clamp(self.start, self.haystack.len().max(self.start));
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

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn text(haystack: &[u8], range: Range<usize>) -> String {
    match String::from_utf8_lossy(&haystack[range]) {
        Cow::Borrowed(s) => s.to_string(),
        Cow::Owned(s) => s,
    }
}

pub(crate) fn positions(
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
                decoded: Vec::new(),
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
    BufferResults {
        findings,
        dropped,
        omitted: Vec::new(),
        skipped: Vec::new(),
    }
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
    fn a_utf8_bom_does_not_shift_columns() {
        let text = b"\xEF\xBB\xBFkey=1\nx";
        let mut c = LineCursor::new(text);
        assert_eq!(c.at(3), (1, 0));
        assert_eq!(c.at(7), (1, 4));
        assert_eq!(c.at(0), (1, 0));
        assert_eq!(c.at(text.len()), (2, 1));
    }
}
