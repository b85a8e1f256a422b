//! Accepted risks: entries that turn open findings into `accepted` until
//! they expire.

use serde::{Deserialize, Serialize};

use crate::engine::Analysis;
use crate::finding::Status;

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

/// Parses an accepted-risks file; `file` names it in errors.
pub fn parse_acceptances(file: &str, text: &str) -> Result<Vec<Acceptance>, String> {
    let list: Vec<Acceptance> = serde_norway::from_str(text).map_err(|e| {
        let line = e.location().map_or(0, |l| l.line());
        format!(
            "{file}:{line}: {}",
            e.to_string().split(" at line ").next().unwrap_or("")
        )
    })?;
    for (i, a) in list.iter().enumerate() {
        if let Some(d) = &a.expires
            && !is_iso_date(d)
        {
            return Err(format!(
                "{file}: [{i}].expires: {d:?} is not a YYYY-MM-DD date"
            ));
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
    #[test]
    fn accepted_dates_must_be_real_calendar_dates() {
        assert!(super::is_iso_date("2026-02-28"));
        assert!(!super::is_iso_date("2026-99-99"));
        assert!(!super::is_iso_date("2026-02-30"));
        assert!(!super::is_iso_date("2026-2-3"));
    }
}
