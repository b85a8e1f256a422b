//! GitLab's secret-detection report (`gl-secret-detection-report.json`, the
//! `artifacts:reports:secret_detection` of a CI job), shaped after GitLab's
//! published security-report schema, version 15: a `scan` block naming the
//! scanner, and one vulnerability per finding with a rule identifier, the
//! file, the lines and the commit.
//!
//! The schema requires the scan's start and end times. Reports are otherwise
//! byte-stable, so both are `SOURCE_DATE_EPOCH` when it is set (reproducible
//! builds' convention) and the time of writing when not. The commit is the
//! finding's for history scans, else `CI_COMMIT_SHA` when GitLab CI sets it.

use std::io::{self, Write};

use secret_patterns::Severity;
use serde_json::{Value, json};

use super::Report;

/// The schema version the report follows.
pub const SCHEMA_VERSION: &str = "15.2.1";

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
    }
}

/// `YYYY-MM-DDTHH:MM:SS` (the schema's pattern has no zone; it is UTC).
fn timestamp() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rest / 3600,
        (rest % 3600) / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// algorithm, public domain).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

pub fn write_gitlab(out: &mut dyn Write, report: &Report<'_>) -> io::Result<()> {
    let ci_commit = std::env::var("CI_COMMIT_SHA")
        .ok()
        .filter(|s| !s.is_empty());
    let vulnerabilities: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let rule = report.catalog.get(&f.rule_id);
            let description = rule
                .map(|r| r.description())
                .filter(|d| !d.is_empty())
                .unwrap_or(&f.rule_name);
            let mut commit = json!({
                "sha": ci_commit.as_deref().unwrap_or("0000000"),
            });
            if let Some(git) = f.git.as_ref().filter(|g| !g.commit.is_empty()) {
                commit = json!({
                    "sha": git.commit,
                    "author": format!("{} <{}>", git.author, git.email),
                    "date": git.date,
                });
            }
            let mut identifiers = vec![json!({
                "type": "secret_scanner_rule_id",
                "name": format!("secret-scanner rule {}", f.rule_id),
                "value": f.rule_id,
            })];
            if let Some(link) = rule.and_then(|r| r.references().first()) {
                identifiers[0]["url"] = json!(link);
            }
            json!({
                // Unique per place: the same secret in two files is two
                // vulnerabilities.
                "id": format!("{}:{}:{}", f.fingerprint, f.path, f.line),
                "name": f.rule_name,
                "description": description,
                "severity": severity(f.severity),
                "solution": "Revoke the credential with its issuer, replace it where it is used, \
                             and remove it from the code (and from history if it was pushed).",
                "raw_source_code_extract": f.secret,
                "identifiers": identifiers,
                "location": {
                    "file": f.path,
                    "start_line": f.line,
                    "end_line": f.end_line,
                    "commit": commit,
                },
            })
        })
        .collect();
    let now = timestamp();
    let tool = |id: &str| {
        json!({
            "id": id,
            "name": "secret-scanner",
            "version": env!("CARGO_PKG_VERSION"),
            "url": env!("CARGO_PKG_REPOSITORY"),
            "vendor": { "name": "The toolkit developers" },
        })
    };
    let doc = json!({
        "version": SCHEMA_VERSION,
        "scan": {
            "analyzer": tool("secret-scanner"),
            "scanner": tool("secret-scanner"),
            "type": "secret_detection",
            "start_time": now,
            "end_time": now,
            "status": "success",
        },
        "vulnerabilities": vulnerabilities,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_become_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(super::civil_from_days(-1), (1969, 12, 31));
    }
}
