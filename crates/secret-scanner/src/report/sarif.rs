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

/// A result's message: the rule, the redacted secret, and for history
/// findings where it came in (commit, author, date), since the file may no
/// longer exist at that path.
fn message(f: &secret_scan::Finding) -> String {
    let mut text = format!("{} found: {}", f.rule_name, f.secret);
    if let Some(git) = f.git.as_ref().filter(|g| !g.commit.is_empty()) {
        text.push_str(&format!(
            ". Introduced in commit {} by {} <{}> on {}",
            git.commit, git.author, git.email, git.date
        ));
        if git.reached_from == "(unreachable)" {
            text.push_str(" (no branch or tag reaches it)");
        }
    }
    text
}

/// The rule's `help`: what the credential grants, how to rotate it, where
/// the provider documents it; as plain text and as Markdown.
fn help(rule: &secret_patterns::Rule) -> Value {
    let grants = if rule.description().is_empty() {
        rule.name()
    } else {
        rule.description()
    };
    let rotate = match rule.rotate() {
        "" => {
            "Revoke the credential with its issuer, replace it where it is used, and remove it from the code."
        }
        r => r,
    };
    let mut text = format!("{grants}\n\nHow to rotate it: {rotate}");
    let mut markdown = format!(
        "**{}**\n\n{grants}\n\n**How to rotate it:** {rotate}",
        rule.name()
    );
    text.push_str(
        "\n\nTo silence a finding that is not a secret, add its fingerprint to .secretsignore with a reason.",
    );
    markdown.push_str(
        "\n\nTo silence a finding that is not a secret, add its fingerprint to `.secretsignore` with a `reason`.",
    );
    if !rule.references().is_empty() {
        markdown.push_str("\n\nReferences:");
        for link in rule.references() {
            markdown.push_str(&format!("\n- <{link}>"));
        }
    }
    json!({ "text": text, "markdown": markdown })
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
                r["help"] = help(rule);
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
            let mut text = message(f);
            if !f.decoded.is_empty() {
                props["decoded"] = json!(f.decoded);
                text.push_str(&format!(" (decoded: {})", f.decoded.join(" → ")));
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
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        // Relative to the repository root (see crate::locate);
                        // history paths are the file at the introducing commit.
                        "artifactLocation": { "uri": uri(&f.path), "uriBaseId": "%SRCROOT%" },
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
            "originalUriBaseIds": {
                "%SRCROOT%": { "description": { "text": "The root of the repository (or of the scanned folder outside one)." } }
            },
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
