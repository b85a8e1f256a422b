//! Data-flow diagrams: Graphviz DOT and Mermaid. Boundaries become clusters
//! or subgraphs (nested), drawn per kind (colour, line style, the kind in the
//! label); element shapes follow their kind; flows are labelled with
//! protocol and data. With risk colouring, elements and flows take the
//! colour of their worst open risk. The rank direction follows the graph's
//! shape ([`crate::layout::rank_direction`]); DOT output carries a legend.

use std::collections::HashMap;

use dread::Severity;
use stride_core::{ElementKind, Model};

use crate::layout::rank_direction;
use crate::svg::{boundary_style, risk_colours};

/// Worst open severity per element or flow id, when colouring by risk.
pub type RiskColours<'a> = Option<&'a HashMap<String, Severity>>;

fn dot_dash(dash: &str) -> &'static str {
    match dash.split(' ').next() {
        Some("1") | Some("2") => "dotted",
        _ => "dashed",
    }
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn node_id(id: &str) -> String {
    format!(
        "n_{}",
        id.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
    )
}

fn flow_label(model: &Model, f: &stride_core::Flow) -> String {
    let mut parts = Vec::new();
    parts.push(f.name.clone().unwrap_or_else(|| f.id.clone()));
    if let Some(p) = &f.protocol {
        parts.push(p.clone());
    }
    let data: Vec<String> = f
        .carries
        .iter()
        .filter_map(|d| model.data_asset(d).map(|a| a.name.clone()))
        .collect();
    if !data.is_empty() {
        parts.push(data.join(", "));
    }
    parts.join(" | ")
}

/// Graphviz DOT, with a legend.
pub fn dot(model: &Model, risk: RiskColours<'_>) -> String {
    let mut out = format!(
        "digraph \"{}\" {{\n  rankdir={};\n  newrank=true;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
        esc(&model.name),
        rank_direction(model)
    );
    fn cluster(
        model: &Model,
        parent: Option<&str>,
        depth: usize,
        risk: RiskColours<'_>,
        out: &mut String,
    ) {
        let pad = "  ".repeat(depth);
        for b in model
            .boundaries
            .iter()
            .filter(|b| b.parent.as_deref() == parent)
        {
            let (colour, dash) = boundary_style(b.kind);
            out.push_str(&format!(
                "{pad}subgraph \"cluster_{}\" {{\n{pad}  label=\"{} ({})\"; style={}; color=\"{colour}\"; fontcolor=\"{colour}\"; penwidth=1.5;\n",
                esc(&b.id),
                esc(&b.name),
                b.kind.as_str(),
                dot_dash(dash)
            ));
            for e in model
                .elements
                .iter()
                .filter(|e| e.boundary.as_deref() == Some(b.id.as_str()))
            {
                out.push_str(&format!("{pad}  {};\n", node(e, risk)));
            }
            cluster(model, Some(&b.id), depth + 1, risk, out);
            out.push_str(&format!("{pad}}}\n"));
        }
    }
    fn node(e: &stride_core::Element, risk: RiskColours<'_>) -> String {
        let shape = match e.kind {
            ElementKind::ExternalEntity => "box",
            ElementKind::Process => "ellipse",
            ElementKind::DataStore => "cylinder",
        };
        let colour = match risk {
            Some(r) if !e.out_of_scope => {
                let (fill, stroke) = risk_colours(r.get(&e.id).copied());
                format!(", style=filled, fillcolor=\"{fill}\", color=\"{stroke}\"")
            }
            _ => String::new(),
        };
        format!(
            "{} [label=\"{}\\n({})\", shape={shape}{colour}]",
            node_id(&e.id),
            esc(&e.name),
            e.component_type
        )
    }
    cluster(model, None, 1, risk, &mut out);
    for e in model.elements.iter().filter(|e| {
        e.boundary
            .as_deref()
            .is_none_or(|b| model.boundary(b).is_none())
    }) {
        out.push_str(&format!("  {};\n", node(e, risk)));
    }
    for f in &model.flows {
        let style = if f.encrypted { "solid" } else { "dashed" };
        let colour = match risk.and_then(|r| r.get(&f.id)) {
            Some(s) => format!(", color=\"{}\"", risk_colours(Some(*s)).1),
            None => String::new(),
        };
        out.push_str(&format!(
            "  {} -> {} [label=\"{}\", style={style}{colour}];\n",
            node_id(&f.from),
            node_id(&f.to),
            esc(&flow_label(model, f))
        ));
    }
    out.push_str(&legend(model, risk.is_some()));
    out.push_str("}\n");
    out
}

/// The legend: one HTML-like table node, kept apart from the diagram.
fn legend(model: &Model, risk: bool) -> String {
    let mut rows = String::from(
        "<tr><td colspan=\"2\"><b>Legend</b></td></tr><tr><td>box</td><td>external entity</td></tr><tr><td>ellipse</td><td>process</td></tr><tr><td>cylinder</td><td>data store</td></tr><tr><td>solid arrow</td><td>encrypted flow</td></tr><tr><td>dashed arrow</td><td>unencrypted flow</td></tr>",
    );
    let mut kinds: Vec<_> = model.boundaries.iter().map(|b| b.kind).collect();
    kinds.sort();
    kinds.dedup();
    for k in kinds {
        let (colour, dash) = boundary_style(k);
        rows.push_str(&format!(
            "<tr><td><font color=\"{colour}\">{} box</font></td><td>{} boundary</td></tr>",
            dot_dash(dash),
            k.as_str()
        ));
    }
    if risk {
        for (s, name) in [
            (Some(Severity::Critical), "critical"),
            (Some(Severity::High), "high"),
            (Some(Severity::Medium), "medium"),
            (Some(Severity::Low), "low"),
            (None, "none open"),
        ] {
            let (fill, _) = risk_colours(s);
            rows.push_str(&format!(
                "<tr><td bgcolor=\"{fill}\"> </td><td>worst open risk: {name}</td></tr>"
            ));
        }
    }
    format!(
        "  subgraph cluster_legend {{\n    label=\"\"; style=invis;\n    legend [shape=plaintext, fontsize=10, label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"3\">{rows}</table>>];\n  }}\n"
    )
}

fn mm(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// Mermaid flowchart (starts with its `flowchart` line).
pub fn mermaid(model: &Model, risk: RiskColours<'_>) -> String {
    let mut out = format!("flowchart {}\n", rank_direction(model));
    fn node(e: &stride_core::Element) -> String {
        let label = format!("{} ({})", mm(&e.name), e.component_type);
        match e.kind {
            ElementKind::ExternalEntity => format!("{}[\"{label}\"]", node_id(&e.id)),
            ElementKind::Process => format!("{}((\"{label}\"))", node_id(&e.id)),
            ElementKind::DataStore => format!("{}[(\"{label}\")]", node_id(&e.id)),
        }
    }
    fn sub(model: &Model, parent: Option<&str>, depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        for b in model
            .boundaries
            .iter()
            .filter(|b| b.parent.as_deref() == parent)
        {
            out.push_str(&format!(
                "{pad}subgraph {}[\"{} ({})\"]\n",
                node_id(&format!("b_{}", b.id)),
                mm(&b.name),
                b.kind.as_str()
            ));
            for e in model
                .elements
                .iter()
                .filter(|e| e.boundary.as_deref() == Some(b.id.as_str()))
            {
                out.push_str(&format!("{pad}  {}\n", node(e)));
            }
            sub(model, Some(&b.id), depth + 1, out);
            out.push_str(&format!("{pad}end\n"));
        }
    }
    sub(model, None, 1, &mut out);
    for e in model.elements.iter().filter(|e| e.boundary.is_none()) {
        out.push_str(&format!("  {}\n", node(e)));
    }
    for f in &model.flows {
        let arrow = if f.encrypted { "-->" } else { "-.->" };
        out.push_str(&format!(
            "  {} {arrow}|\"{}\"| {}\n",
            node_id(&f.from),
            mm(&flow_label(model, f)),
            node_id(&f.to)
        ));
    }
    // Boundary kinds told apart by colour and dash.
    for b in &model.boundaries {
        let (colour, dash) = boundary_style(b.kind);
        out.push_str(&format!(
            "  style {} stroke:{colour},stroke-dasharray:{}\n",
            node_id(&format!("b_{}", b.id)),
            dash
        ));
    }
    if let Some(r) = risk {
        for (name, sev) in [
            ("critical", Some(Severity::Critical)),
            ("high", Some(Severity::High)),
            ("medium", Some(Severity::Medium)),
            ("low", Some(Severity::Low)),
            ("noneopen", None),
        ] {
            let (fill, stroke) = risk_colours(sev);
            out.push_str(&format!("  classDef {name} fill:{fill},stroke:{stroke}\n"));
        }
        for e in model.elements.iter().filter(|e| !e.out_of_scope) {
            let class = r.get(&e.id).map_or("noneopen", |s| s.as_str());
            out.push_str(&format!("  class {} {class}\n", node_id(&e.id)));
        }
    }
    out
}
