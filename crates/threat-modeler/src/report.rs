//! Printers for `analyze`: text, JSON, Markdown, HTML and SARIF. Nothing here
//! analyses; it only formats an [`Analysis`].

use std::collections::BTreeMap;

use serde_json::{Value, json};
use stride_core::{Analysis, Finding, LoadedModel, Status, Stride};

use crate::dfd;

pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Open => "open",
        Status::Mitigated => "mitigated",
        Status::Accepted => "accepted",
        Status::NotApplicable => "not_applicable",
    }
}

pub fn summary(analysis: &Analysis) -> Value {
    let mut by_stride: BTreeMap<&str, usize> =
        Stride::ALL.iter().map(|s| (s.as_str(), 0)).collect();
    let mut by_severity: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    for t in &analysis.threats {
        *by_stride.entry(t.stride.as_str()).or_default() += 1;
        if t.status == Status::Open {
            *by_severity.entry(t.risk.severity.to_string()).or_default() += 1;
        }
        *by_status
            .entry(status_name(t.status).to_string())
            .or_default() += 1;
    }
    json!({ "threats": analysis.threats.len(), "by_stride": by_stride, "open_by_severity": by_severity, "by_status": by_status })
}

pub fn json_doc(loaded: &LoadedModel, analysis: &Analysis) -> Value {
    let mut doc = json!({
        "model": { "name": loaded.model.name },
        "threats": analysis.threats,
        "coverage": analysis.coverage,
        "summary": summary(analysis),
    });
    if !loaded.model.recorded_threats.is_empty() {
        doc["recorded_threats"] = json!(loaded.model.recorded_threats);
    }
    doc
}

pub fn finding_line(t: &Finding) -> String {
    format!(
        "{:<9} {:<9} {:<22} {}\n          {}\n",
        t.risk.severity.to_string(),
        status_name(t.status),
        t.id,
        t.title,
        t.explanation
    )
}

pub fn text(loaded: &LoadedModel, analysis: &Analysis) -> String {
    let mut out = format!(
        "{}: {} threats\n\n",
        loaded.model.name,
        analysis.threats.len()
    );
    for t in &analysis.threats {
        out.push_str(&finding_line(t));
    }
    let count = |s: Status| analysis.threats.iter().filter(|t| t.status == s).count();
    out.push_str(&format!(
        "\n{} open, {} mitigated, {} accepted\n",
        count(Status::Open),
        count(Status::Mitigated),
        count(Status::Accepted)
    ));
    if !loaded.model.recorded_threats.is_empty() {
        out.push_str(&format!(
            "\n{} threats recorded in the imported model:\n",
            loaded.model.recorded_threats.len()
        ));
        for r in &loaded.model.recorded_threats {
            out.push_str(&format!(
                "  {:<10} {:<9} {}: {}\n",
                r.status,
                r.severity.as_deref().unwrap_or("-"),
                r.element,
                r.title
            ));
        }
    }
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn coverage_table(analysis: &Analysis, order: &[String]) -> String {
    let mut out =
        String::from("| element | S | T | R | I | D | E |\n|---|---|---|---|---|---|---|\n");
    for id in order {
        let Some(cells) = analysis.coverage.get(id) else {
            continue;
        };
        let row: Vec<String> = Stride::ALL
            .iter()
            .map(|s| match cells.get(s) {
                Some(c) if c.status == Status::NotApplicable => "n/a".to_string(),
                Some(c) if c.status == Status::Mitigated => {
                    format!("mitigated ({})", c.controls.join(", "))
                }
                Some(c) => format!("{} open", c.findings.len()),
                None => String::new(),
            })
            .collect();
        out.push_str(&format!("| {id} | {} |\n", row.join(" | ")));
    }
    out
}

fn subjects(loaded: &LoadedModel) -> Vec<String> {
    loaded
        .model
        .elements
        .iter()
        .map(|e| e.id.clone())
        .chain(loaded.model.flows.iter().map(|f| f.id.clone()))
        .collect()
}

pub fn markdown(loaded: &LoadedModel, analysis: &Analysis) -> String {
    let m = &loaded.model;
    let mut out = format!("# Threat model: {}\n\n", m.name);
    if let Some(d) = &m.description {
        out.push_str(&format!("{d}\n\n"));
    }
    out.push_str(&format!("{} threats on {} elements and {} flows.\n\n## Summary by STRIDE category\n\n| category | threats | open |\n|---|---|---|\n", analysis.threats.len(), m.elements.len(), m.flows.len()));
    for s in Stride::ALL {
        let all = analysis.threats.iter().filter(|t| t.stride == s).count();
        let open = analysis
            .threats
            .iter()
            .filter(|t| t.stride == s && t.status == Status::Open)
            .count();
        out.push_str(&format!("| {s} | {all} | {open} |\n"));
    }
    out.push_str("\n## Open threats by severity\n\n| severity | open |\n|---|---|\n");
    for sev in dread::Severity::ALL.iter().rev() {
        let n = analysis
            .threats
            .iter()
            .filter(|t| t.status == Status::Open && t.risk.severity == *sev)
            .count();
        out.push_str(&format!("| {sev} | {n} |\n"));
    }
    out.push_str("\n## Data-flow diagram\n\n```mermaid\n");
    out.push_str(&dfd::mermaid(m));
    out.push_str("```\n\n## Coverage\n\n");
    out.push_str(&coverage_table(analysis, &subjects(loaded)));
    out.push('\n');
    for id in subjects(loaded) {
        let here: Vec<&Finding> = analysis
            .threats
            .iter()
            .filter(|t| t.elements.first() == Some(&id))
            .collect();
        if here.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "## {id}\n\n| id | STRIDE | severity | status | title |\n|---|---|---|---|---|\n"
        ));
        for t in &here {
            out.push_str(&format!(
                "| `{}` | {} | {} ({:.1}) | {} | {} |\n",
                t.id,
                t.stride,
                t.risk.severity,
                t.risk.score,
                status_name(t.status),
                md_escape(&t.title)
            ));
        }
        out.push('\n');
        for t in &here {
            out.push_str(&format!(
                "### {}\n\n{}\n\n*Why:* {}\n\n*Mitigations:*\n",
                md_escape(&t.title),
                md_escape(&t.description),
                md_escape(&t.explanation)
            ));
            for mi in &t.mitigations {
                out.push_str(&format!("- **{}** ({}): {}\n", mi.title, mi.id, mi.text));
            }
            out.push_str(&format!(
                "\nCWE: {} · CAPEC: {}\n\n",
                t.cwe
                    .iter()
                    .map(|c| format!("CWE-{c}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                t.capec
                    .iter()
                    .map(|c| format!("CAPEC-{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One self-contained HTML file: no external scripts, styles or fonts.
pub fn html(loaded: &LoadedModel, analysis: &Analysis) -> String {
    let m = &loaded.model;
    let mut rows = String::new();
    for t in &analysis.threats {
        rows.push_str(&format!(
            "<tr class=\"{}\"><td><code>{}</code></td><td>{}</td><td>{} ({:.1})</td><td>{}</td><td><b>{}</b><br><small>{}</small><br><small><i>{}</i></small></td><td>{}</td></tr>\n",
            status_name(t.status),
            html_escape(&t.id),
            t.stride,
            t.risk.severity,
            t.risk.score,
            status_name(t.status),
            html_escape(&t.title),
            html_escape(&t.description),
            html_escape(&t.explanation),
            t.mitigations.iter().map(|mi| html_escape(&mi.title)).collect::<Vec<_>>().join("<br>")
        ));
    }
    let coverage = coverage_table(analysis, &subjects(loaded));
    let mut cov = String::from("<table><tr>");
    for (i, line) in coverage.lines().enumerate() {
        if i == 1 {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
        let tag = if i == 0 { "th" } else { "td" };
        cov.push_str(
            &cells
                .iter()
                .map(|c| format!("<{tag}>{}</{tag}>", html_escape(c.trim())))
                .collect::<String>(),
        );
        cov.push_str("</tr><tr>");
    }
    cov.push_str("</tr></table>");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Threat model: {name}</title>\n<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccc;padding:4px;vertical-align:top}}tr.open td:nth-child(4){{color:#b00}}tr.mitigated td:nth-child(4){{color:#070}}</style></head>\n<body><h1>Threat model: {name}</h1>\n<p>{n} threats on {e} elements and {f} flows.</p>\n<h2>Coverage</h2>\n{cov}\n<h2>Threats</h2>\n<table><tr><th>id</th><th>STRIDE</th><th>risk</th><th>status</th><th>threat</th><th>mitigations</th></tr>\n{rows}</table>\n<h2>Data-flow diagram (Graphviz DOT)</h2>\n<pre>{dot}</pre>\n</body></html>\n",
        name = html_escape(&m.name),
        n = analysis.threats.len(),
        e = m.elements.len(),
        f = m.flows.len(),
        dot = html_escape(&dfd::dot(m)),
    )
}

fn level(s: dread::Severity) -> &'static str {
    match s {
        dread::Severity::Critical | dread::Severity::High => "error",
        dread::Severity::Medium => "warning",
        _ => "note",
    }
}

/// SARIF 2.1.0: one result per open threat, located at the model file and
/// the line of the element (or flow).
pub fn sarif(loaded: &LoadedModel, analysis: &Analysis, model_path: &str) -> Value {
    let open: Vec<&Finding> = analysis
        .threats
        .iter()
        .filter(|t| t.status == Status::Open)
        .collect();
    let mut rule_ids: Vec<&str> = open.iter().map(|t| t.rule_id.as_str()).collect();
    rule_ids.sort();
    rule_ids.dedup();
    let catalog = stride_core::Catalog::builtin();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| {
            let r = catalog.get(id);
            json!({
                "id": id,
                "name": r.map(|r| r.title.clone()).unwrap_or_default(),
                "shortDescription": { "text": r.map(|r| r.title.replace("{element}", "an element").replace("{flow}", "a flow").replace("{source}", "the source").replace("{target}", "the target")).unwrap_or_default() },
                "fullDescription": { "text": r.map(|r| r.description.clone()).unwrap_or_default() },
                "properties": { "tags": ["security", "threat-model", r.map(|r| r.stride.as_str()).unwrap_or("")], "cwe": r.map(|r| r.cwe.clone()).unwrap_or_default() },
            })
        })
        .collect();
    let uri: String = model_path.replace('\\', "/").replace(' ', "%20");
    let results: Vec<Value> = open
        .iter()
        .map(|t| {
            let line = t.elements.first().and_then(|e| loaded.lines.get(e)).copied().filter(|l| *l > 0).unwrap_or(1);
            json!({
                "ruleId": t.rule_id,
                "ruleIndex": rule_ids.iter().position(|r| *r == t.rule_id).unwrap_or(0),
                "level": level(t.risk.severity),
                "message": { "text": format!("{} — {}", t.title, t.explanation) },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri }, "region": { "startLine": line } } }],
                "partialFingerprints": { "threatId/v1": t.id },
                "properties": { "stride": t.stride, "severity": t.risk.severity, "score": t.risk.score },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{ "tool": { "driver": { "name": "threat-modeler", "version": env!("CARGO_PKG_VERSION"), "informationUri": env!("CARGO_PKG_REPOSITORY"), "rules": rules } }, "results": results }]
    })
}
