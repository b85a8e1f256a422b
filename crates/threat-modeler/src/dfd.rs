//! Data-flow diagrams: Graphviz DOT and Mermaid. Boundaries become clusters
//! or subgraphs (nested), element shapes follow their kind, flows are
//! labelled with protocol and data.

use stride_core::{ElementKind, Model};

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

/// Graphviz DOT.
pub fn dot(model: &Model) -> String {
    let mut out = format!(
        "digraph \"{}\" {{\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
        esc(&model.name)
    );
    fn cluster(model: &Model, parent: Option<&str>, depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        for b in model
            .boundaries
            .iter()
            .filter(|b| b.parent.as_deref() == parent)
        {
            out.push_str(&format!(
                "{pad}subgraph \"cluster_{}\" {{\n{pad}  label=\"{}\"; style=dashed; color=red;\n",
                esc(&b.id),
                esc(&b.name)
            ));
            for e in model
                .elements
                .iter()
                .filter(|e| e.boundary.as_deref() == Some(b.id.as_str()))
            {
                out.push_str(&format!("{pad}  {};\n", node(e)));
            }
            cluster(model, Some(&b.id), depth + 1, out);
            out.push_str(&format!("{pad}}}\n"));
        }
    }
    fn node(e: &stride_core::Element) -> String {
        let shape = match e.kind {
            ElementKind::ExternalEntity => "box",
            ElementKind::Process => "ellipse",
            ElementKind::DataStore => "cylinder",
        };
        format!(
            "{} [label=\"{}\\n({})\", shape={shape}]",
            node_id(&e.id),
            esc(&e.name),
            e.component_type
        )
    }
    cluster(model, None, 1, &mut out);
    for e in model.elements.iter().filter(|e| e.boundary.is_none()) {
        out.push_str(&format!("  {};\n", node(e)));
    }
    for f in &model.flows {
        let style = if f.encrypted { "solid" } else { "dashed" };
        out.push_str(&format!(
            "  {} -> {} [label=\"{}\", style={style}];\n",
            node_id(&f.from),
            node_id(&f.to),
            esc(&flow_label(model, f))
        ));
    }
    out.push_str("}\n");
    out
}

fn mm(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// Mermaid flowchart (starts with its `flowchart` line).
pub fn mermaid(model: &Model) -> String {
    let mut out = String::from("flowchart LR\n");
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
                "{pad}subgraph {}[\"{}\"]\n",
                node_id(&format!("b_{}", b.id)),
                mm(&b.name)
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
    out
}
