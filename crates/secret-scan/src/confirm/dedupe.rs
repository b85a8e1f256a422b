//! One finding per secret: where several rules report overlapping bytes,
//! the most specific wins.

use secret_patterns::{Candidate, Rule};

use super::Accepted;
use crate::finding::DropReason;

/// How specific a rule is, for choosing between rules that report the same
/// bytes: confidence first (a provider prefix beats a generic assignment),
/// then a validator, then severity.
pub(crate) fn specificity(
    rule: &Rule,
) -> (secret_patterns::Confidence, bool, secret_patterns::Severity) {
    (
        rule.confidence(),
        rule.validator().is_some(),
        rule.severity(),
    )
}

/// Keeps one finding per secret: among accepted candidates whose secrets
/// overlap, the most specific rule wins (ties: the longer secret, then the
/// rule id, so the choice is deterministic).
pub(crate) fn dedupe<'r>(
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
