//! Secrets behind an encoding: each encoded run that decodes to text (see
//! the `encoded` module) is scanned with every rule, recursively, and what
//! is found there is reported at the run's place in the input, with the
//! chain of decodings.
//!
//! A decoded finding and a finding of the encoded bytes themselves (a
//! generic rule that saw a long base64 value) are one secret: the more
//! specific rule is kept, and on a tie the finding as written.

use secret_patterns::Catalog;

use super::dedupe::specificity;
use super::markers::inline_allow;
use super::positions::LineCursor;
use super::{BufferResults, Limits, Scratch, scan_buffer};
use crate::encoded::decoded_runs;
use crate::finding::{DropReason, Dropped, Finding};
use crate::prefilter::Prefilter;

/// Adds to `results` what the encoded runs of `haystack` hide, decoding at
/// most `depth` levels deep.
#[allow(clippy::too_many_arguments)]
pub(super) fn add_decoded(
    catalog: &Catalog,
    prefilter: &Prefilter,
    explain: bool,
    limits: Limits,
    path: &str,
    rule_path: Option<&str>,
    haystack: &[u8],
    scratch: &mut Scratch,
    depth: usize,
    results: &mut BufferResults,
) {
    let mut runs = Vec::new();
    decoded_runs(haystack, &mut runs);
    if runs.is_empty() {
        return;
    }
    let rank = |id: &str| catalog.get(id).map(specificity);
    let mut cursor = LineCursor::new(haystack);
    let mut added: Vec<Finding> = Vec::new();
    for run in runs {
        let inner = scan_buffer(
            catalog,
            prefilter,
            false,
            limits,
            path,
            rule_path,
            &run.text,
            scratch,
            depth - 1,
        );
        // The marker lookup reads up to 64 KiB around the run: only for
        // runs that hide something.
        if inner.findings.is_empty() || inline_allow(haystack, run.range.start).is_some() {
            continue;
        }
        let (line, chars) = cursor.at(run.range.start);
        let (end_line, end_chars) = cursor.at(run.range.end);
        for mut f in inner.findings {
            // Findings of the encoded bytes themselves, overlapping the run.
            let overlapping = |o: &Finding| {
                o.decoded.is_empty()
                    && o.byte_offset < run.range.end
                    && run.range.start < o.byte_offset + o.secret.len().max(1)
            };
            let mine = rank(&f.rule_id);
            let beaten = results
                .findings
                .iter()
                .any(|o| overlapping(o) && rank(&o.rule_id) >= mine);
            if beaten {
                continue;
            }
            let (taken, rest): (Vec<Finding>, Vec<Finding>) =
                results.findings.drain(..).partition(|o| overlapping(o));
            results.findings = rest;
            if explain {
                results.dropped.extend(taken.into_iter().map(|o| Dropped {
                    rule_id: o.rule_id,
                    path: o.path,
                    line: o.line,
                    column: o.column,
                    secret: o.secret,
                    reason: DropReason::Duplicate {
                        kept_rule: f.rule_id.clone(),
                    },
                }));
            }
            f.line = line;
            f.column = chars + 1;
            f.end_line = end_line;
            f.end_column = end_chars.max(1);
            f.byte_offset = run.range.start;
            f.decoded.insert(0, run.encoding.name().to_string());
            added.push(f);
        }
    }
    if added.is_empty() {
        return;
    }
    results.findings.extend(added);
    results
        .findings
        .sort_by(|a, b| (a.byte_offset, &a.rule_id).cmp(&(b.byte_offset, &b.rule_id)));
}
