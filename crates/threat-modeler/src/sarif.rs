//! SARIF 2.1.0 for GitHub code scanning: one result per open threat, on the
//! line of its element or flow; one rule per threat rule, with a name and
//! descriptions free of template placeholders, `help` (text and Markdown),
//! tags and `security-severity`, so alerts sort by risk.

use serde_json::{Value, json};
use stride_core::explain::prose::sentence;
use stride_core::{Analysis, Finding, LoadedModel, Rule, Status};

use crate::report::{by_risk, stride_label};

/// A rule title with its placeholders replaced by generic words:
/// `Denial of service of flow {flow}` → `Denial of service of a data flow`.
pub fn generic_title(template: &str) -> String {
    let mut s = template.to_string();
    for (from, to) in [
        ("flow {flow}", "a data flow"),
        ("process {element}", "a process"),
        ("data store {element}", "a data store"),
        ("external entity {element}", "an external entity"),
        ("third party {element}", "a third party"),
        ("Batch job {element}", "A batch job"),
        ("Over-privileged {element}", "Over-privileged component"),
        ("{element}'s", "a component's"),
        ("{element}", "a component"),
        ("{flow}", "a data flow"),
        ("{source}", "the sender"),
        ("{target}", "the receiver"),
    ] {
        s = s.replace(from, to);
    }
    s
}

/// A rule description with its placeholders replaced by generic words.
pub fn generic_text(template: &str) -> String {
    template
        .replace("{element}'s", "the component's")
        .replace("{element}", "the component")
        .replace("{flow}", "the data flow")
        .replace("{source}", "the sender")
        .replace("{target}", "the receiver")
}

/// A PascalCase identifier from a title (`DenialOfServiceOfADataFlow`).
fn pascal(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn level(s: dread::Severity) -> &'static str {
    match s {
        dread::Severity::Critical | dread::Severity::High => "error",
        dread::Severity::Medium => "warning",
        _ => "note",
    }
}

fn cwe_link(c: u32) -> String {
    format!("https://cwe.mitre.org/data/definitions/{c}.html")
}

fn capec_link(c: u32) -> String {
    format!("https://capec.mitre.org/data/definitions/{c}.html")
}

fn help(r: &Rule) -> (String, String) {
    let title = generic_title(&r.title);
    let mut text = format!(
        "{title} ({}).\n\n{}\n\nMitigations:\n",
        stride_label(r.stride),
        generic_text(&r.description)
    );
    let mut md = format!(
        "**{title}** ({})\n\n{}\n\n#### Mitigations\n\n",
        stride_label(r.stride),
        generic_text(&r.description)
    );
    for m in &r.mitigations {
        text.push_str(&format!("- {}: {}\n", m.title, m.text));
        md.push_str(&format!("- **{}**: {}\n", m.title, m.text));
    }
    if !r.mitigated_by.is_empty() {
        let controls = r.mitigated_by.join(", ");
        text.push_str(&format!(
            "\nDeclare a control in the model once in place: {controls}.\n"
        ));
        md.push_str(&format!(
            "\nDeclare a control in the model once it is in place: `{}`.\n",
            r.mitigated_by.join("`, `")
        ));
    }
    let mut refs: Vec<(String, String)> = Vec::new();
    refs.extend(r.cwe.iter().map(|c| (format!("CWE-{c}"), cwe_link(*c))));
    refs.extend(
        r.capec
            .iter()
            .map(|c| (format!("CAPEC-{c}"), capec_link(*c))),
    );
    refs.extend(r.references.iter().map(|u| (u.clone(), u.clone())));
    if !refs.is_empty() {
        text.push_str("\nReferences:\n");
        md.push_str("\n#### References\n\n");
        for (name, url) in &refs {
            if name == url {
                text.push_str(&format!("- {url}\n"));
                md.push_str(&format!("- <{url}>\n"));
            } else {
                text.push_str(&format!("- {name}: {url}\n"));
                md.push_str(&format!("- [{name}]({url})\n"));
            }
        }
    }
    (text, md)
}

/// The SARIF document. `model_path` is the model file as given on the
/// command line (the results' location).
pub fn sarif(loaded: &LoadedModel, analysis: &Analysis, model_path: &str) -> Value {
    let open: Vec<&Finding> = by_risk(&analysis.threats)
        .into_iter()
        .filter(|t| t.status == Status::Open)
        .collect();
    let mut rule_ids: Vec<&str> = open.iter().map(|t| t.rule_id.as_str()).collect();
    rule_ids.sort();
    rule_ids.dedup();
    let catalog = stride_core::Catalog::builtin();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| {
            // GitHub reads the severity from the rule: the highest of its
            // open results in this model.
            let top = open
                .iter()
                .filter(|t| t.rule_id == *id)
                .map(|t| t.risk.score)
                .fold(0.0_f64, f64::max);
            let Some(r) = catalog.get(id) else {
                return json!({ "id": id, "name": id, "shortDescription": { "text": id } });
            };
            let title = generic_title(&r.title);
            let (text, markdown) = help(r);
            let mut tags = vec![
                "security".to_string(),
                "threat-model".to_string(),
                format!("stride/{}", r.stride),
            ];
            tags.extend(r.cwe.iter().map(|c| format!("external/cwe/cwe-{c}")));
            let help_uri = r
                .references
                .first()
                .cloned()
                .or_else(|| r.cwe.first().map(|c| cwe_link(*c)))
                .unwrap_or_else(|| {
                    format!(
                        "{}/blob/main/docs/threat-rules.md",
                        env!("CARGO_PKG_REPOSITORY")
                    )
                });
            json!({
                "id": id,
                "name": pascal(&title),
                "shortDescription": { "text": title },
                "fullDescription": { "text": generic_text(&r.description) },
                "help": { "text": text, "markdown": markdown },
                "helpUri": help_uri,
                "defaultConfiguration": { "level": "warning" },
                "properties": {
                    "tags": tags,
                    "security-severity": format!("{top:.1}"),
                    "precision": "medium",
                    "problem.severity": "warning",
                    "cwe": r.cwe,
                    "capec": r.capec,
                },
            })
        })
        .collect();
    let uri: String = model_path.replace('\\', "/").replace(' ', "%20");
    let results: Vec<Value> = open
        .iter()
        .map(|t| {
            let line = t
                .elements
                .first()
                .and_then(|e| loaded.lines.get(e))
                .copied()
                .filter(|l| *l > 0)
                .unwrap_or(1);
            let mitigations: Vec<&str> = t.mitigations.iter().map(|m| m.title.as_str()).collect();
            json!({
                "ruleId": t.rule_id,
                "ruleIndex": rule_ids.iter().position(|r| *r == t.rule_id).unwrap_or(0),
                "level": level(t.risk.severity),
                "message": { "text": format!(
                    "{} ({} risk, DREAD {:.1}). {} Mitigate: {}.",
                    t.title, t.risk.severity, t.risk.score, sentence(&t.explanation), mitigations.join("; ")
                ) },
                "locations": [{
                    "physicalLocation": { "artifactLocation": { "uri": uri }, "region": { "startLine": line } },
                    "logicalLocations": [{ "name": t.elements.first().cloned().unwrap_or_default() }],
                }],
                "partialFingerprints": { "threatId/v1": t.id },
                "properties": { "stride": t.stride, "severity": t.risk.severity, "score": t.risk.score, "security-severity": format!("{:.1}", t.risk.score) },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{ "tool": { "driver": { "name": "threat-modeler", "version": env!("CARGO_PKG_VERSION"), "informationUri": env!("CARGO_PKG_REPOSITORY"), "rules": rules } }, "results": results }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_rule_title_keeps_a_placeholder_once_made_generic() {
        for r in stride_core::Catalog::builtin().rules() {
            let t = generic_title(&r.title);
            assert!(!t.contains('{') && !t.contains('}'), "{}: {t}", r.id);
            let d = generic_text(&r.description);
            assert!(!d.contains('{') && !d.contains('}'), "{}: {d}", r.id);
            assert!(!pascal(&t).is_empty());
        }
    }
}
