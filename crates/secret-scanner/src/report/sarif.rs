//! The SARIF 2.1.0 printer, shaped for GitHub code scanning: the rules that
//! produced results in `tool.driver.rules`, one result per finding with its
//! region, and our content fingerprint in `partialFingerprints`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use secret_patterns::Severity;
use serde_json::{Value, json};

use super::Report;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like number) for each severity.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// Percent-encodes what a relative URI reference cannot hold as is.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn write_sarif(out: &mut dyn Write, report: &Report<'_>) -> io::Result<()> {
    // Rules in first-use order would depend on the findings' order, which
    // is already sorted; a BTreeMap keeps the rule list sorted by id.
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for f in report.findings {
        let next = used.len();
        used.entry(f.rule_id.as_str()).or_insert(next);
    }
    let ids: Vec<&str> = used.keys().copied().collect();
    let index: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules: Vec<Value> = ids
        .iter()
        .map(|id| match report.catalog.get(id) {
            Some(rule) => {
                let mut r = json!({
                    "id": rule.id(),
                    "name": rule.name(),
                    "shortDescription": { "text": rule.name() },
                    "fullDescription": { "text": if rule.description().is_empty() { rule.name() } else { rule.description() } },
                    "defaultConfiguration": { "level": level(rule.severity()) },
                    "properties": {
                        "tags": ["security", "secret"],
                        "precision": match rule.confidence() {
                            secret_patterns::Confidence::High => "very-high",
                            secret_patterns::Confidence::Medium => "high",
                            secret_patterns::Confidence::Low => "medium",
                        },
                        "security-severity": security_severity(rule.severity()),
                    },
                });
                if let Some(link) = rule.references().first() {
                    r["helpUri"] = json!(link);
                }
                r
            }
            None => json!({ "id": id }),
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut props = json!({
                "severity": f.severity.as_str(),
                "confidence": f.confidence,
            });
            let mut message = format!("{} found: {}", f.rule_name, f.secret);
            if !f.decoded.is_empty() {
                props["decoded"] = json!(f.decoded);
                message.push_str(&format!(" (decoded: {})", f.decoded.join(" → ")));
            }
            if let Some(git) = &f.git {
                props["commit"] = json!(git.commit);
                props["author"] = json!(git.author);
                props["email"] = json!(git.email);
                props["date"] = json!(git.date);
            }
            json!({
                "ruleId": f.rule_id,
                "ruleIndex": index.get(f.rule_id.as_str()).copied().unwrap_or(0),
                "level": level(f.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&f.path) },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            // SARIF's end column is exclusive; ours is inclusive.
                            "endColumn": f.end_column + 1,
                        }
                    }
                }],
                "partialFingerprints": { "secretFingerprint/v1": f.fingerprint },
                "properties": props,
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "secret-scanner",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_encoded() {
        assert_eq!(super::uri("src/a b.py"), "src/a%20b.py");
        assert_eq!(super::uri("<stdin>"), "%3Cstdin%3E");
    }
}
