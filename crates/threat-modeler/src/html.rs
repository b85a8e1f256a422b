//! The HTML report: one self-contained file (no network, no Graphviz). In
//! reading order: a summary, the top open risks, the data-flow diagram as
//! inline SVG ([`crate::svg`]), attack paths ([`attack_paths_section`]), all
//! threats by risk with filters (mitigated and accepted ones collapsed), and
//! the coverage matrix. The filters are a few lines of inline script; without
//! script every threat is simply listed. Print CSS gives a clean PDF.

use std::fmt::Write as _;

use dread::Severity;
use stride_core::explain::prose::sentence;
use stride_core::{Analysis, Finding, LoadedModel, Status, Stride};

use crate::markdown::Acceptances;
use crate::report::{
    by_risk, coverage_line, html_escape as esc, status_name, stride_label, subject, subjects,
    worst_open,
};
use crate::svg;

/// How many open threats the "Top risks" section lists.
const TOP: usize = 10;

/// The body of the "Attack paths" section: the five likeliest paths from
/// untrusted entry points to sensitive data (`threat-modeler paths` gives
/// all of them, with the cut), each hop with the threat that opens it; a
/// sentence when there is none.
pub fn attack_paths_section(loaded: &LoadedModel, analysis: &Analysis) -> Option<String> {
    let paths = stride_core::attack::top_paths(&loaded.model, analysis, 5);
    let name = |id: &str| {
        loaded
            .model
            .element(id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    };
    let mut b = String::new();
    if paths.is_empty() {
        b.push_str(
            "<p>No attack path: no chain of open spoofing, tampering or elevation threats \
             leads from an untrusted entry point to sensitive data.</p>",
        );
        return Some(b);
    }
    b.push_str("<table><thead><tr><th>#</th><th>Path</th><th>Likelihood</th><th>Hops (threat used)</th></tr></thead><tbody>");
    for (i, p) in paths.iter().enumerate() {
        let route: Vec<String> = std::iter::once(name(&p.from))
            .chain(p.hops.iter().map(|h| name(&h.element)))
            .map(|n| esc(&n))
            .collect();
        let hops: Vec<String> = p
            .hops
            .iter()
            .map(|h| format!("{} <code>{}</code>", esc(&name(&h.element)), esc(&h.threat)))
            .collect();
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{:.4}</td><td>{}</td></tr>",
            i + 1,
            route.join(" → "),
            p.likelihood,
            hops.join("<br>")
        );
    }
    b.push_str("</tbody></table>");
    Some(b)
}

const STYLE: &str = r#"
:root{--crit:#991b1b;--high:#c2410c;--med:#a16207;--low:#1d4ed8;--ok:#15803d}
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0 auto;max-width:1200px;padding:1.5em 2em;color:#111827;line-height:1.4}
h1{margin:.2em 0}h2{border-bottom:2px solid #e5e7eb;padding-bottom:.2em;margin-top:1.6em}
.muted{color:#6b7280}
.cards{display:flex;flex-wrap:wrap;gap:.6em;margin:.8em 0}
.card{border:1px solid #e5e7eb;border-radius:8px;padding:.5em .9em;min-width:6.5em;text-align:center}
.card b{display:block;font-size:1.7em}
.card.critical b{color:var(--crit)}.card.high b{color:var(--high)}.card.medium b{color:var(--med)}.card.low b{color:var(--low)}.card.mitigated b{color:var(--ok)}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border-bottom:1px solid #e5e7eb;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f9fafb;font-size:.85em;text-transform:uppercase;letter-spacing:.03em}
code{font-size:.85em}
.sev{display:inline-block;border-radius:4px;padding:0 .4em;font-weight:600;font-size:.85em;color:#fff;white-space:nowrap}
.sev.critical{background:var(--crit)}.sev.high{background:var(--high)}.sev.medium{background:var(--med)}.sev.low{background:var(--low)}.sev.none{background:#6b7280}
td.why{font-size:.9em}td.why small{color:#4b5563}
ul.mit{margin:.2em 0;padding-left:1.1em;font-size:.9em}
.diagram{overflow-x:auto;border:1px solid #e5e7eb;border-radius:8px;padding:.5em}
.diagram svg{max-width:100%;height:auto}
form.filters{display:flex;flex-wrap:wrap;gap:.8em;margin:.6em 0;padding:.5em;background:#f9fafb;border-radius:6px}
details{margin:.8em 0}summary{cursor:pointer;font-weight:600}
table.cov td{font-size:.85em}td.c-open{background:#fee2e2}td.c-mitigated{background:#dcfce7}td.c-na{color:#9ca3af}
@media print{
 body{max-width:none;padding:0;font-size:10pt}
 form.filters{display:none}
 .diagram{border:none;overflow:visible}
 h2{break-after:avoid}tr{break-inside:avoid}thead{display:table-header-group}
 .sev,td.c-open,td.c-mitigated,.diagram svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a{color:inherit;text-decoration:none}
}
"#;

/// Filters by severity, status, STRIDE and element; opens the collapsed
/// sections when the status filter asks for them, and before printing.
const SCRIPT: &str = r#"
(function(){
 var f=document.getElementById('filters');if(!f)return;f.hidden=false;
 function apply(){
  var v={};['severity','status','stride','element'].forEach(function(k){v[k]=f.elements[k].value;});
  var shown=0;
  document.querySelectorAll('tr.threat').forEach(function(r){
   var ok=Object.keys(v).every(function(k){return !v[k]||r.dataset[k]===v[k];});
   r.hidden=!ok;if(ok)shown++;
  });
  document.querySelectorAll('details.group').forEach(function(d){if(v.status&&d.dataset.status===v.status)d.open=true;});
  document.getElementById('shown').textContent=shown;
 }
 f.addEventListener('change',apply);
 window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});
})();
"#;

fn sev_badge(s: Severity) -> String {
    format!("<span class=\"sev {s}\">{s}</span>")
}

fn threat_row(t: &Finding, note: &str) -> String {
    let mit: String = t
        .mitigations
        .iter()
        .map(|m| format!("<li title=\"{}\">{}</li>", esc(&m.text), esc(&m.title)))
        .collect();
    let refs: Vec<String> = t
        .cwe
        .iter()
        .map(|c| format!("<a href=\"https://cwe.mitre.org/data/definitions/{c}.html\">CWE-{c}</a>"))
        .chain(t.capec.iter().map(|c| {
            format!("<a href=\"https://capec.mitre.org/data/definitions/{c}.html\">CAPEC-{c}</a>")
        }))
        .collect();
    let status = if t.status == Status::Mitigated && !t.mitigated_by.is_empty() {
        format!(
            "mitigated by <code>{}</code>",
            esc(&t.mitigated_by.join(", "))
        )
    } else {
        status_name(t.status).to_string()
    };
    format!(
        "<tr class=\"threat\" data-severity=\"{sev}\" data-status=\"{st}\" data-stride=\"{stride}\" data-element=\"{el}\"><td>{badge}<br><small>{score:.1}</small></td><td><b>{title}</b><br><code>{id}</code></td><td>{el}</td><td>{stride_l}</td><td class=\"why\">{why}<br><small>{desc}</small><br><small>{refs}</small></td><td><ul class=\"mit\">{mit}</ul><small>{status}{note}</small></td></tr>\n",
        sev = t.risk.severity,
        st = status_name(t.status),
        stride = t.stride,
        el = esc(subject(t)),
        badge = sev_badge(t.risk.severity),
        score = t.risk.score,
        title = esc(&t.title),
        id = esc(&t.id),
        stride_l = stride_label(t.stride),
        why = esc(&sentence(&t.explanation)),
        desc = esc(&t.description),
        refs = refs.join(" · "),
        note = esc(note),
    )
}

const THEAD: &str = "<thead><tr><th>Risk</th><th>Threat</th><th>Element</th><th>STRIDE</th><th>Why</th><th>Mitigations</th></tr></thead>";

fn options(values: &[(String, String)]) -> String {
    values
        .iter()
        .map(|(v, label)| format!("<option value=\"{}\">{}</option>", esc(v), esc(label)))
        .collect()
}

/// The report.
pub fn html(loaded: &LoadedModel, analysis: &Analysis, accepted: &Acceptances) -> String {
    let m = &loaded.model;
    let ordered = by_risk(&analysis.threats);
    let count = |s: Status| analysis.threats.iter().filter(|t| t.status == s).count();
    let open_at = |s: Severity| {
        analysis
            .threats
            .iter()
            .filter(|t| t.status == Status::Open && t.risk.severity == s)
            .count()
    };
    let mut b = String::new();
    // Summary.
    let _ = write!(
        b,
        "<header><h1>Threat model: {}</h1>{}<p class=\"muted\">{} threats on {} elements and {} flows.</p></header>\n<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">",
        esc(&m.name),
        m.description
            .as_ref()
            .map_or(String::new(), |d| format!("<p>{}</p>", esc(d))),
        analysis.threats.len(),
        m.elements.len(),
        m.flows.len()
    );
    for s in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ] {
        let _ = write!(
            b,
            "<div class=\"card {s}\"><b data-count=\"open-{s}\">{}</b>open {s}</div>",
            open_at(s)
        );
    }
    let _ = writeln!(
        b,
        "<div class=\"card accepted\"><b data-count=\"accepted\">{}</b>accepted</div><div class=\"card mitigated\"><b data-count=\"mitigated\">{}</b>mitigated</div></div><p><b>Coverage:</b> {}.</p></section>",
        count(Status::Accepted),
        count(Status::Mitigated),
        esc(&coverage_line(analysis))
    );
    // Top risks.
    let top: Vec<&&Finding> = ordered
        .iter()
        .filter(|t| t.status == Status::Open)
        .take(TOP)
        .collect();
    let _ = write!(
        b,
        "<section id=\"top-risks\"><h2>Top open risks</h2><table><thead><tr><th>Risk</th><th>Threat</th><th>Element</th><th>First mitigation</th></tr></thead><tbody>"
    );
    for t in &top {
        let _ = write!(
            b,
            "<tr><td>{} {:.1}</td><td><b>{}</b><br><small>{}</small></td><td>{}</td><td>{}</td></tr>",
            sev_badge(t.risk.severity),
            t.risk.score,
            esc(&t.title),
            esc(&sentence(&t.explanation)),
            esc(subject(t)),
            t.mitigations
                .first()
                .map_or(String::new(), |mi| esc(&mi.title))
        );
    }
    if top.is_empty() {
        b.push_str("<tr><td colspan=\"4\">No open threats.</td></tr>");
    }
    b.push_str("</tbody></table></section>\n");
    // Diagram.
    let _ = writeln!(
        b,
        "<section id=\"dfd\"><h2>Data-flow diagram</h2><p class=\"muted\">Elements and flows are coloured by their worst open risk.</p><div class=\"diagram\">{}</div></section>",
        svg::render(m, &worst_open(analysis))
    );
    // Attack paths (issue 13 fills the hook).
    if let Some(section) = attack_paths_section(loaded, analysis) {
        let _ = writeln!(
            b,
            "<section id=\"attack-paths\"><h2>Attack paths</h2>{section}</section>"
        );
    }
    // All threats, with filters.
    let sev_opts: Vec<(String, String)> = std::iter::once((String::new(), "any severity".into()))
        .chain(
            Severity::ALL
                .iter()
                .rev()
                .map(|s| (s.to_string(), s.to_string())),
        )
        .collect();
    let status_opts: Vec<(String, String)> = std::iter::once((String::new(), "any status".into()))
        .chain(
            ["open", "accepted", "mitigated"]
                .iter()
                .map(|s| ((*s).to_string(), (*s).to_string())),
        )
        .collect();
    let stride_opts: Vec<(String, String)> =
        std::iter::once((String::new(), "any STRIDE category".into()))
            .chain(
                Stride::ALL
                    .iter()
                    .map(|s| (s.to_string(), stride_label(*s).to_string())),
            )
            .collect();
    let el_opts: Vec<(String, String)> = std::iter::once((String::new(), "any element".into()))
        .chain(subjects(loaded).into_iter().map(|s| (s.clone(), s)))
        .collect();
    let _ = writeln!(
        b,
        "<section id=\"threats\"><h2>All threats</h2><form id=\"filters\" class=\"filters\" hidden><select name=\"severity\">{}</select><select name=\"status\">{}</select><select name=\"stride\">{}</select><select name=\"element\">{}</select><span><span id=\"shown\">{}</span> shown</span></form>",
        options(&sev_opts),
        options(&status_opts),
        options(&stride_opts),
        options(&el_opts),
        analysis.threats.len()
    );
    let open: String = ordered
        .iter()
        .filter(|t| t.status == Status::Open)
        .map(|t| threat_row(t, ""))
        .collect();
    let _ = writeln!(
        b,
        "<h3>Open ({})</h3><table>{THEAD}<tbody>{open}</tbody></table>",
        count(Status::Open)
    );
    for (status, label) in [
        (Status::Accepted, "Accepted"),
        (Status::Mitigated, "Mitigated"),
    ] {
        let rows: String = ordered
            .iter()
            .filter(|t| t.status == status)
            .map(|t| {
                let note = accepted.get(&t.id).map_or(String::new(), |a| {
                    format!(
                        " by {} until {}: {}",
                        a.owner,
                        a.expires.as_deref().unwrap_or("no expiry"),
                        a.reason
                    )
                });
                threat_row(t, &note)
            })
            .collect();
        let _ = writeln!(
            b,
            "<details class=\"group\" data-status=\"{}\"><summary>{label} ({})</summary><table>{THEAD}<tbody>{rows}</tbody></table></details>",
            status_name(status),
            count(status)
        );
    }
    b.push_str("</section>\n");
    // Coverage matrix.
    b.push_str("<section id=\"coverage\"><h2>Coverage matrix</h2><table class=\"cov\"><thead><tr><th>Element / flow</th>");
    for s in Stride::ALL {
        let _ = write!(b, "<th title=\"{}\">{}</th>", stride_label(s), s.letter());
    }
    b.push_str("</tr></thead><tbody>");
    for id in subjects(loaded) {
        let Some(cells) = analysis.coverage.get(&id) else {
            continue;
        };
        let _ = write!(b, "<tr><td>{}</td>", esc(&id));
        for s in Stride::ALL {
            match cells.get(&s) {
                Some(c) if c.status == Status::NotApplicable => {
                    let _ = write!(
                        b,
                        "<td class=\"c-na\" title=\"{}\">n/a</td>",
                        esc(c.reason.as_deref().unwrap_or(""))
                    );
                }
                Some(c) if c.status == Status::Mitigated => {
                    let _ = write!(
                        b,
                        "<td class=\"c-mitigated\">mitigated<br><small>{}</small></td>",
                        esc(&c.controls.join(", "))
                    );
                }
                Some(c) => {
                    let _ = write!(b, "<td class=\"c-open\">{} open</td>", c.findings.len());
                }
                None => b.push_str("<td></td>"),
            }
        }
        b.push_str("</tr>\n");
    }
    b.push_str("</tbody></table></section>\n");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Threat model: {}</title>\n<style>{STYLE}</style></head>\n<body>\n{b}<footer class=\"muted\"><p>Generated by threat-modeler {}.</p></footer>\n<script>{SCRIPT}</script>\n</body></html>\n",
        esc(&m.name),
        env!("CARGO_PKG_VERSION")
    )
}
