//! Shared printing helpers (risk order, counts, escaping) and the text,
//! JSON and CSV printers of `analyze`. Markdown, HTML and SARIF live in their
//! own modules. Nothing here analyses; it only formats an [`Analysis`].

use std::collections::{BTreeMap, HashMap};

use dread::Severity;

use serde_json::{Value, json};
use stride_core::explain::prose::sentence;
use stride_core::{Analysis, Finding, LoadedModel, Status, Stride};

pub fn status_name(s: Status) -> &'static str {
    s.as_str()
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

/// Threats in risk order: open, then accepted, then mitigated; within each,
/// highest score first, then by id (stable and byte-for-byte repeatable).
pub fn by_risk(threats: &[Finding]) -> Vec<&Finding> {
    let mut list: Vec<&Finding> = threats.iter().collect();
    list.sort_by(|a, b| risk_order(a, b));
    list
}

/// [`by_risk`] over a list of references.
pub fn by_risk_refs<'a>(list: &[&'a Finding]) -> Vec<&'a Finding> {
    let mut v: Vec<&'a Finding> = list.to_vec();
    v.sort_by(|a, b| risk_order(a, b));
    v
}

fn risk_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    let rank = |s: Status| match s {
        Status::Open => 0,
        Status::Accepted => 1,
        Status::Mitigated => 2,
        _ => 3,
    };
    rank(a.status)
        .cmp(&rank(b.status))
        .then(b.risk.score.total_cmp(&a.risk.score))
        .then(b.risk.severity.cmp(&a.risk.severity))
        .then(a.id.cmp(&b.id))
}

/// The worst open severity of each element or flow that has an open threat.
pub fn worst_open(analysis: &Analysis) -> HashMap<String, Severity> {
    let mut out: HashMap<String, Severity> = HashMap::new();
    for t in analysis.threats.iter().filter(|t| t.status == Status::Open) {
        if let Some(subject) = t.elements.first() {
            let e = out.entry(subject.clone()).or_insert(t.risk.severity);
            *e = (*e).max(t.risk.severity);
        }
    }
    out
}

/// The element or flow a finding is about.
pub fn subject(t: &Finding) -> &str {
    t.elements.first().map_or("", String::as_str)
}

/// A STRIDE category for people ("Information disclosure").
pub fn stride_label(s: Stride) -> &'static str {
    match s {
        Stride::Spoofing => "Spoofing",
        Stride::Tampering => "Tampering",
        Stride::Repudiation => "Repudiation",
        Stride::InformationDisclosure => "Information disclosure",
        Stride::DenialOfService => "Denial of service",
        Stride::ElevationOfPrivilege => "Elevation of privilege",
    }
}

/// Open threats per severity, highest first, as `2 critical, 5 high, ...`.
pub fn severity_counts(analysis: &Analysis) -> String {
    Severity::ALL
        .iter()
        .rev()
        .filter(|s| **s != Severity::None)
        .map(|s| {
            let n = analysis
                .threats
                .iter()
                .filter(|t| t.status == Status::Open && t.risk.severity == *s)
                .count();
            format!("{n} {s}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Coverage in one line: applicable cells, how many hold open findings,
/// how many are fully mitigated, how many do not apply.
pub fn coverage_line(analysis: &Analysis) -> String {
    let cells: Vec<&stride_core::CoverageCell> = analysis
        .coverage
        .values()
        .flat_map(|c| c.values())
        .collect();
    let count = |s: Status| cells.iter().filter(|c| c.status == s).count();
    let na = count(Status::NotApplicable);
    format!(
        "{} of {} element x STRIDE cells apply: {} with unmitigated threats, {} fully mitigated; {} not applicable",
        cells.len() - na,
        cells.len(),
        cells.len() - na - count(Status::Mitigated),
        count(Status::Mitigated),
        na
    )
}

/// Options of the text (and CSV) listing.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// `Some(false)`: open only; `Some(true)`: everything; `None`: open
    /// listed, the others summarised (accepted ones listed briefly).
    pub all: Option<bool>,
    /// Hide threats below this severity.
    pub min_severity: Option<Severity>,
    /// ANSI colour.
    pub colour: bool,
}

fn paint(on: bool, code: &str, s: &str) -> String {
    if on {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn severity_code(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "36",
        Severity::None => "2",
    }
}

/// One threat as two lines: severity, score and title, then id, category,
/// status and why.
pub fn finding_line_with(t: &Finding, colour: bool) -> String {
    let sev = format!("{:<8}", t.risk.severity.to_string());
    format!(
        "{} {:>4.1}  {}\n               {} · {} · {} — {}\n",
        paint(colour, severity_code(t.risk.severity), &sev),
        t.risk.score,
        paint(colour, "1", &t.title),
        t.id,
        t.stride,
        status_name(t.status),
        sentence(&t.explanation)
    )
}

/// [`finding_line_with`] without colour.
pub fn finding_line(t: &Finding) -> String {
    finding_line_with(t, false)
}

/// The text report: a count line, then threats in risk order.
pub fn text(loaded: &LoadedModel, analysis: &Analysis, opts: TextOptions) -> String {
    let c = opts.colour;
    let count = |s: Status| analysis.threats.iter().filter(|t| t.status == s).count();
    let mut out = format!(
        "{}: {} threats\nopen: {} · {} accepted · {} mitigated\n\n",
        paint(c, "1", &loaded.model.name),
        analysis.threats.len(),
        severity_counts(analysis),
        count(Status::Accepted),
        count(Status::Mitigated)
    );
    let floor = opts.min_severity.unwrap_or(Severity::None);
    let shown = |t: &&Finding| t.risk.severity >= floor;
    let ordered = by_risk(&analysis.threats);
    let open: Vec<&Finding> = ordered
        .iter()
        .copied()
        .filter(|t| t.status == Status::Open)
        .filter(shown)
        .collect();
    let hidden = count(Status::Open) - open.len();
    out.push_str(&paint(
        c,
        "1",
        &format!("{} open threats, highest risk first", open.len()),
    ));
    if hidden > 0 {
        out.push_str(&format!(" ({hidden} below --min-severity hidden)"));
    }
    out.push('\n');
    for t in &open {
        out.push_str(&finding_line_with(t, c));
    }
    match opts.all {
        Some(false) => {}
        Some(true) => {
            for (status, label) in [
                (Status::Accepted, "accepted"),
                (Status::Mitigated, "mitigated"),
            ] {
                let list: Vec<&&Finding> = ordered
                    .iter()
                    .filter(|t| t.status == status)
                    .filter(|t| shown(t))
                    .collect();
                if !list.is_empty() {
                    out.push_str(&paint(
                        c,
                        "1",
                        &format!("\n{} {label} threats\n", list.len()),
                    ));
                    for t in list {
                        out.push_str(&finding_line_with(t, c));
                    }
                }
            }
        }
        None => {
            let accepted: Vec<&&Finding> = ordered
                .iter()
                .filter(|t| t.status == Status::Accepted)
                .collect();
            if !accepted.is_empty() {
                out.push_str(&format!("\n{} accepted (residual risk):\n", accepted.len()));
                for t in accepted {
                    out.push_str(&format!(
                        "  {:<8} {:>4.1}  {}  {}\n",
                        t.risk.severity.to_string(),
                        t.risk.score,
                        t.id,
                        t.title
                    ));
                }
            }
            out.push_str(&format!(
                "\n{} mitigated threats not listed (--status all lists them)\n",
                count(Status::Mitigated)
            ));
        }
    }
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

/// One CSV field, quoted as RFC 4180 says when it must be.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One row per threat, in risk order, CRLF line ends (RFC 4180).
pub fn csv(analysis: &Analysis, opts: TextOptions) -> String {
    let floor = opts.min_severity.unwrap_or(Severity::None);
    let mut out = String::from("id,element,stride,title,severity,score,status,cwe,mitigations\r\n");
    for t in by_risk(&analysis.threats) {
        if t.risk.severity < floor || (opts.all == Some(false) && t.status != Status::Open) {
            continue;
        }
        let cwe: Vec<String> = t.cwe.iter().map(|c| format!("CWE-{c}")).collect();
        let mit: Vec<&str> = t.mitigations.iter().map(|m| m.title.as_str()).collect();
        let row = [
            t.id.clone(),
            subject(t).to_string(),
            t.stride.to_string(),
            t.title.clone(),
            t.risk.severity.to_string(),
            format!("{:.2}", t.risk.score),
            status_name(t.status).to_string(),
            cwe.join("; "),
            mit.join("; "),
        ];
        out.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// Escapes text for HTML and SVG.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn md_escape(s: &str) -> String {
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

pub fn subjects(loaded: &LoadedModel) -> Vec<String> {
    loaded
        .model
        .elements
        .iter()
        .map(|e| e.id.clone())
        .chain(loaded.model.flows.iter().map(|f| f.id.clone()))
        .collect()
}
