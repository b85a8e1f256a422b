//! The Markdown report, in the order a threat-model write-up usually
//! follows: overview, scope and assumptions, the data-flow diagram, the
//! threats ordered by risk, residual (accepted) risks, recommendations, then
//! the coverage matrix and details.

use std::collections::BTreeMap;

use stride_core::explain::prose::sentence;
use stride_core::{Analysis, Finding, LoadedModel, Status};

use crate::dfd;
use crate::report::{
    by_risk, coverage_line, coverage_table, md_escape, severity_counts, status_name, stride_label,
    subject, subjects,
};

/// Accepted-risk details the report shows: id to (owner, expiry, reason).
pub type Acceptances = BTreeMap<String, stride_core::Acceptance>;

/// The mitigations that close the most open risk: for each mitigation, the
/// sum of the scores of the open threats it answers, highest first.
pub fn recommendations(analysis: &Analysis) -> Vec<(String, String, f64, usize)> {
    let mut by: BTreeMap<&str, (&str, f64, usize)> = BTreeMap::new();
    for t in analysis.threats.iter().filter(|t| t.status == Status::Open) {
        for m in &t.mitigations {
            let e = by.entry(&m.id).or_insert((&m.title, 0.0, 0));
            e.1 += t.risk.score;
            e.2 += 1;
        }
    }
    let mut list: Vec<(String, String, f64, usize)> = by
        .into_iter()
        .map(|(id, (title, sum, n))| (id.to_string(), title.to_string(), sum, n))
        .collect();
    list.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    list
}

fn dread_cell(t: &Finding) -> String {
    let f = |k: &str| t.risk.factors.get(k).map_or(0, |v| v.value);
    format!(
        "{:.1} {} ({}/{}/{}/{}/{})",
        t.risk.score,
        t.risk.severity,
        f("damage"),
        f("reproducibility"),
        f("exploitability"),
        f("affected_users"),
        f("discoverability")
    )
}

/// The five likeliest attack paths, as a table (`threat-modeler paths`
/// gives them all, with the cut).
fn attack_paths(loaded: &LoadedModel, analysis: &Analysis) -> String {
    let paths = stride_core::attack::top_paths(&loaded.model, analysis, 5);
    if paths.is_empty() {
        return "No chain of open spoofing, tampering or elevation threats leads from an \
                untrusted entry point to sensitive data.\n"
            .to_string();
    }
    let mut out = String::from("| # | Path | Likelihood | Threats used |\n|---|---|---|---|\n");
    for (i, p) in paths.iter().enumerate() {
        let route: Vec<&str> = std::iter::once(p.from.as_str())
            .chain(p.hops.iter().map(|h| h.element.as_str()))
            .collect();
        let threats: Vec<String> = p.hops.iter().map(|h| format!("`{}`", h.threat)).collect();
        out.push_str(&format!(
            "| {} | {} | {:.4} | {} |\n",
            i + 1,
            route.join(" → "),
            p.likelihood,
            threats.join(", ")
        ));
    }
    out
}

/// The Markdown report.
pub fn markdown(loaded: &LoadedModel, analysis: &Analysis, accepted: &Acceptances) -> String {
    let m = &loaded.model;
    let count = |s: Status| analysis.threats.iter().filter(|t| t.status == s).count();
    let mut out = format!("# Threat model: {}\n\n## Overview\n\n", m.name);
    if let Some(d) = &m.description {
        out.push_str(&format!("{d}\n\n"));
    }
    out.push_str(&format!(
        "{} threats on {} elements and {} flows. Open: {}; {} accepted; {} mitigated.\n\nCoverage: {}.\n\n",
        analysis.threats.len(),
        m.elements.len(),
        m.flows.len(),
        severity_counts(analysis),
        count(Status::Accepted),
        count(Status::Mitigated),
        coverage_line(analysis)
    ));
    // Scope and assumptions.
    out.push_str("## Scope and assumptions\n\n| boundary | kind | elements |\n|---|---|---|\n");
    for b in &m.boundaries {
        let members: Vec<&str> = m
            .elements
            .iter()
            .filter(|e| e.boundary.as_deref() == Some(b.id.as_str()))
            .map(|e| e.name.as_str())
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            md_escape(&b.name),
            b.kind.as_str(),
            md_escape(&members.join(", "))
        ));
    }
    out.push('\n');
    let oos: Vec<String> = m
        .elements
        .iter()
        .filter(|e| e.out_of_scope)
        .map(|e| (&e.id, &e.out_of_scope_reason))
        .chain(
            m.flows
                .iter()
                .filter(|f| f.out_of_scope)
                .map(|f| (&f.id, &f.out_of_scope_reason)),
        )
        .map(|(id, why)| {
            format!(
                "- `{id}` is out of scope: {}\n",
                md_escape(why.as_deref().unwrap_or("no reason given"))
            )
        })
        .collect();
    out.push_str(&oos.concat());
    out.push_str("- Only what the model declares is analysed: a control counts once it is declared (an attribute, or `encrypted`/`authenticated` on a flow).\n");
    out.push_str(
        "- Flows default to unencrypted and unauthenticated unless declared otherwise.\n\n",
    );
    out.push_str("## Data-flow diagram\n\n```mermaid\n");
    out.push_str(&dfd::mermaid(m, Some(&crate::report::worst_open(analysis))));
    out.push_str("```\n\n## Attack paths\n\n");
    out.push_str(&attack_paths(loaded, analysis));
    out.push_str("\n## Threats\n\nOpen threats first, highest risk first. DREAD: score, severity, (damage/reproducibility/exploitability/affected users/discoverability).\n\n| ID | Element | STRIDE | Threat | DREAD | Mitigation |\n|---|---|---|---|---|---|\n");
    for t in by_risk(&analysis.threats) {
        let mitigation = if t.status == Status::Open {
            t.mitigations
                .first()
                .map_or(String::new(), |mi| md_escape(&mi.title))
        } else if t.status == Status::Mitigated {
            format!("mitigated by {}", md_escape(&t.mitigated_by.join(", ")))
        } else {
            status_name(t.status).to_string()
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            t.id,
            md_escape(subject(t)),
            stride_label(t.stride),
            md_escape(&t.title),
            dread_cell(t),
            mitigation
        ));
    }
    out.push_str("\n## Residual risks\n\n");
    let acc: Vec<&Finding> = by_risk(&analysis.threats)
        .into_iter()
        .filter(|t| t.status == Status::Accepted)
        .collect();
    if acc.is_empty() {
        out.push_str("No risk is accepted: every threat is open or mitigated.\n\n");
    } else {
        out.push_str(
            "| ID | Threat | DREAD | Owner | Expires | Reason |\n|---|---|---|---|---|---|\n",
        );
        for t in acc {
            let a = accepted.get(&t.id);
            out.push_str(&format!(
                "| `{}` | {} | {:.1} {} | {} | {} | {} |\n",
                t.id,
                md_escape(&t.title),
                t.risk.score,
                t.risk.severity,
                md_escape(a.map_or("-", |a| a.owner.as_str())),
                a.and_then(|a| a.expires.as_deref()).unwrap_or("never"),
                md_escape(a.map_or("-", |a| a.reason.as_str()))
            ));
        }
        out.push('\n');
    }
    out.push_str("## Recommendations\n\nThe mitigations that close the most open risk (sum of DREAD scores of the open threats each answers), first ten:\n\n| # | Mitigation | Open threats | Risk closed |\n|---|---|---|---|\n");
    for (i, (id, title, sum, n)) in recommendations(analysis).iter().take(10).enumerate() {
        out.push_str(&format!(
            "| {} | {} (`{id}`) | {n} | {sum:.1} |\n",
            i + 1,
            md_escape(title)
        ));
    }
    out.push_str("\n## Coverage\n\n");
    out.push_str(&coverage_table(analysis, &subjects(loaded)));
    out.push_str("\n## Threat details\n\n");
    for t in by_risk(&analysis.threats)
        .into_iter()
        .filter(|t| t.status == Status::Open)
    {
        out.push_str(&format!(
            "### `{}` {}\n\n{}\n\n*Why:* {}\n\n*Mitigations:*\n",
            t.id,
            md_escape(&t.title),
            md_escape(&t.description),
            md_escape(&sentence(&t.explanation))
        ));
        for mi in &t.mitigations {
            out.push_str(&format!("- **{}** ({}): {}\n", mi.title, mi.id, mi.text));
        }
        let links: Vec<String> =
            t.cwe
                .iter()
                .map(|c| format!("[CWE-{c}](https://cwe.mitre.org/data/definitions/{c}.html)"))
                .chain(t.capec.iter().map(|c| {
                    format!("[CAPEC-{c}](https://capec.mitre.org/data/definitions/{c}.html)")
                }))
                .collect();
        if !links.is_empty() {
            out.push_str(&format!("\n{}\n", links.join(" · ")));
        }
        out.push('\n');
    }
    out
}
