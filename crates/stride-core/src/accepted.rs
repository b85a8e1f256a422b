//! Accepted risks: entries that turn open findings into `accepted` until
//! they expire.

use serde::{Deserialize, Serialize};

use crate::engine::Analysis;
use crate::finding::Status;
use crate::hint::ParseProblem;

/// One accepted risk, as written in an accepted-risks YAML file (a list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// The finding id (`RULE@element`).
    pub id: String,
    /// Who accepted it.
    pub owner: String,
    /// Why.
    pub reason: String,
    /// The tracking ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// ISO date (`YYYY-MM-DD`) after which the acceptance no longer holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// What applying acceptances did, for the messages a CLI prints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AcceptanceReport {
    /// Findings now accepted.
    pub accepted: Vec<String>,
    /// Entries past their date: the finding stays open.
    pub expired: Vec<String>,
    /// Entries that match no finding.
    pub stale: Vec<String>,
}

/// Why an accepted-risks file is refused. Every variant names the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AcceptanceError {
    /// The file is not a YAML list of entries, or an entry has a key the
    /// format does not know (a typo such as `expire`) or lacks a required
    /// one (`id`, `owner`, `reason`).
    #[error("{file}:{line}: {problem}")]
    Parse {
        /// The file name.
        file: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// What the parser refused.
        problem: ParseProblem,
    },
    /// `expires` is not a real `YYYY-MM-DD` date.
    #[error("{file}: [{index}].expires: {date:?} is not a YYYY-MM-DD date")]
    BadDate {
        /// The file name.
        file: String,
        /// The entry's index in the list.
        index: usize,
        /// The date as written.
        date: String,
    },
}

/// Parses an accepted-risks file; `file` names it in errors.
pub fn parse_acceptances(file: &str, text: &str) -> Result<Vec<Acceptance>, AcceptanceError> {
    let list: Vec<Acceptance> = serde_norway::from_str(text).map_err(|e| {
        let line = e.location().map_or(0, |l| l.line());
        let file = file.to_string();
        let message = e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string();
        AcceptanceError::Parse {
            file,
            line,
            problem: ParseProblem::from_message(message),
        }
    })?;
    for (i, a) in list.iter().enumerate() {
        if let Some(d) = &a.expires
            && !is_iso_date(d)
        {
            return Err(AcceptanceError::BadDate {
                file: file.to_string(),
                index: i,
                date: d.clone(),
            });
        }
    }
    Ok(list)
}

/// A real calendar date written `YYYY-MM-DD` (`2026-99-99` and `2026-02-30`
/// are refused).
fn is_iso_date(d: &str) -> bool {
    d.len() == 10 && d.parse::<jiff::civil::Date>().is_ok()
}

/// Applies acceptances to open findings. `today` is an ISO date; ISO dates
/// compare correctly as strings.
pub fn apply_acceptances(
    analysis: &mut Analysis,
    entries: &[Acceptance],
    today: &str,
) -> AcceptanceReport {
    let mut report = AcceptanceReport::default();
    for a in entries {
        let Some(t) = analysis.threats.iter_mut().find(|t| t.id == a.id) else {
            report.stale.push(a.id.clone());
            continue;
        };
        match &a.expires {
            Some(d) if d.as_str() < today => report.expired.push(format!("{} (expired {d})", a.id)),
            _ => {
                if t.status == Status::Open {
                    t.status = Status::Accepted;
                    report.accepted.push(a.id.clone());
                }
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::{AcceptanceError, ParseProblem, parse_acceptances};

    #[test]
    fn each_acceptance_problem_has_its_variant() {
        let e = parse_acceptances(
            "a.yaml",
            "- { id: X@y, owner: me, reason: r, expires: 2026-02-30 }\n",
        )
        .unwrap_err();
        assert!(
            matches!(&e, AcceptanceError::BadDate { index: 0, date, .. } if date == "2026-02-30")
        );
        assert_eq!(
            e.to_string(),
            "a.yaml: [0].expires: \"2026-02-30\" is not a YYYY-MM-DD date"
        );
        let e = parse_acceptances("a.yaml", "- { id: X@y, owner: me }\n").unwrap_err();
        assert!(
            matches!(&e, AcceptanceError::Parse { line: 1, problem: ParseProblem::MissingField { field, .. }, .. } if field == "reason"),
            "{e:?}"
        );
        let e = parse_acceptances(
            "a.yaml",
            "- id: X@y\n  owner: me\n  reason: r\n  expire: 2026-01-01\n",
        )
        .unwrap_err();
        assert!(
            matches!(&e, AcceptanceError::Parse { problem: ParseProblem::UnknownField { field, .. }, .. } if field == "expire"),
            "{e:?}"
        );
        let e = parse_acceptances("a.yaml", "id: X@y\n").unwrap_err();
        assert!(
            matches!(
                e,
                AcceptanceError::Parse {
                    problem: ParseProblem::Syntax(_),
                    ..
                }
            ),
            "{e:?}"
        );
    }

    #[test]
    fn accepted_dates_must_be_real_calendar_dates() {
        assert!(super::is_iso_date("2026-02-28"));
        assert!(!super::is_iso_date("2026-99-99"));
        assert!(!super::is_iso_date("2026-02-30"));
        assert!(!super::is_iso_date("2026-2-3"));
    }
}
