//! `threat-modeler tree`: an attack tree's computed attributes, in text,
//! JSON, Markdown, Graphviz DOT or Mermaid.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use stride_core::attack::{AttackTree, Evaluation, Node, NodeValue, evaluate};

use crate::input::Input;
use crate::output::write_out;

/// Output formats of `tree` and `paths`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// For people.
    Text,
    /// One JSON document (probabilities unrounded).
    Json,
    /// Tables and a Mermaid diagram.
    Markdown,
    /// Graphviz DOT (render with `dot -Tsvg`).
    Dot,
    /// Mermaid flowchart.
    Mermaid,
}

#[derive(Debug, Args)]
pub struct TreeArgs {
    /// The attack tree file (YAML or JSON).
    file: PathBuf,
    /// A model: every leaf's `threat` must name one of its findings.
    #[arg(long, value_name = "MODEL")]
    model: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    format: GraphFormat,
    /// Write to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: &TreeArgs, input: &Input) -> Result<u8, String> {
    let analysis = match &args.model {
        Some(m) => Some(input.analysed(m, None)?.1),
        None => None,
    };
    let name = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).map_err(|e| format!("{name}: {e}"))?;
    let tree =
        AttackTree::load_checked(&name, &text, analysis.as_ref()).map_err(|e| e.to_string())?;
    write_out(args.output.as_deref(), &render(&tree, args.format)?)?;
    Ok(0)
}

/// A tree's evaluation in a format.
pub fn render(tree: &AttackTree, format: GraphFormat) -> Result<String, String> {
    let ev = evaluate(tree);
    Ok(match format {
        GraphFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&ev).map_err(|e| e.to_string())?
        ),
        GraphFormat::Text => text(tree, &ev),
        GraphFormat::Markdown => markdown(tree, &ev),
        GraphFormat::Dot => dot(tree, &ev),
        GraphFormat::Mermaid => mermaid(tree, &ev),
    })
}

/// A probability for people: at most 4 decimals.
pub fn prob(p: f64) -> String {
    let s = format!("{p:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() { "0".into() } else { s.into() }
}

fn cost(c: Option<f64>) -> String {
    c.map_or_else(|| "∞".into(), prob)
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "-".into(), |v| v.to_string())
}

fn sets(list: &[Vec<String>]) -> String {
    if list.is_empty() {
        return "none".into();
    }
    let mut out = list
        .iter()
        .take(10)
        .map(|s| format!("{{{}}}", s.join(", ")))
        .collect::<Vec<_>>()
        .join(", ");
    if list.len() > 10 {
        out.push_str(&format!(
            " and {} more (all in --format json)",
            list.len() - 10
        ));
    }
    out
}

fn node_line(v: &NodeValue) -> String {
    let state = if v.possible { "" } else { "  (impossible)" };
    format!(
        "p={}  cost={}  skill={}  detection={}{state}",
        prob(v.probability),
        cost(v.cost),
        opt(v.skill),
        opt(v.detection)
    )
}

fn summary(ev: &Evaluation, out: &mut String) {
    let _ = writeln!(
        out,
        "cheapest:   cost {} via {}",
        cost(ev.cheapest.cost),
        if ev.cheapest.leaves.is_empty() {
            "nothing (unreachable)".into()
        } else {
            ev.cheapest.leaves.join(" + ")
        }
    );
    let _ = writeln!(
        out,
        "likeliest:  probability {} via {}",
        prob(ev.likeliest.probability),
        if ev.likeliest.leaves.is_empty() {
            "nothing (unreachable)".into()
        } else {
            ev.likeliest.leaves.join(" + ")
        }
    );
    let _ = writeln!(out, "cut sets of leaves:          {}", sets(&ev.cut_sets));
    let _ = writeln!(
        out,
        "cut sets of countermeasures: {}",
        sets(&ev.countermeasure_cut_sets)
    );
    if !ev.cut_sets_complete {
        let _ = writeln!(
            out,
            "(cut sets incomplete: at most {} per node, and a bound on the search)",
            stride_core::attack::MAX_CUT_SETS
        );
    }
}

fn text(tree: &AttackTree, ev: &Evaluation) -> String {
    let mut out = format!(
        "{}\nroot {}: probability {}, cost {}, skill {}\n\n",
        ev.title,
        ev.root.id,
        prob(ev.root.probability),
        cost(ev.root.cost),
        opt(ev.root.skill)
    );
    let width = ev
        .nodes
        .iter()
        .map(|n| n.depth * 2 + n.id.chars().count())
        .max()
        .unwrap_or(0);
    for n in &ev.nodes {
        let id = format!("{}{}", "  ".repeat(n.depth), n.id);
        let _ = writeln!(
            out,
            "{id:<width$}  {:<4}  {}  {}",
            n.gate.to_uppercase(),
            node_line(n),
            n.title
        );
    }
    out.push('\n');
    summary(ev, &mut out);
    if !ev.what_if.is_empty() {
        out.push_str("what if applied:\n");
        for w in &ev.what_if {
            let _ = writeln!(
                out,
                "  {}: probability {} -> {}, cost {} -> {}{}",
                w.countermeasure,
                prob(ev.root.probability),
                prob(w.probability),
                cost(ev.root.cost),
                cost(w.cost),
                if w.possible {
                    ""
                } else {
                    " (goal unreachable)"
                }
            );
        }
    }
    let applied: Vec<&str> = tree.applied().into_iter().collect();
    if !applied.is_empty() {
        let _ = writeln!(out, "applied: {}", applied.join(", "));
    }
    out
}

fn markdown(tree: &AttackTree, ev: &Evaluation) -> String {
    let mut out = format!(
        "# Attack tree: {}\n\nRoot `{}`: probability **{}**, minimal cost **{}**, minimal skill **{}**.\n\n",
        ev.title,
        ev.root.id,
        prob(ev.root.probability),
        cost(ev.root.cost),
        opt(ev.root.skill)
    );
    out.push_str("| node | gate | probability | cost | skill | detection | possible |\n|---|---|---|---|---|---|---|\n");
    for n in &ev.nodes {
        let _ = writeln!(
            out,
            "| {}`{}` {} | {} | {} | {} | {} | {} | {} |",
            "&nbsp;&nbsp;".repeat(n.depth),
            n.id,
            n.title.replace('|', "\\|"),
            n.gate,
            prob(n.probability),
            cost(n.cost),
            opt(n.skill),
            opt(n.detection),
            if n.possible { "yes" } else { "no" }
        );
    }
    out.push_str("\n```text\n");
    summary(ev, &mut out);
    out.push_str("```\n");
    if !ev.what_if.is_empty() {
        out.push_str("\n| countermeasure | probability | cost | skill | goal reachable |\n|---|---|---|---|---|\n");
        for w in &ev.what_if {
            let _ = writeln!(
                out,
                "| `{}` | {} → {} | {} → {} | {} | {} |",
                w.countermeasure,
                prob(ev.root.probability),
                prob(w.probability),
                cost(ev.root.cost),
                cost(w.cost),
                opt(w.skill),
                if w.possible { "yes" } else { "no" }
            );
        }
    }
    out.push_str("\n```mermaid\n");
    out.push_str(&mermaid(tree, ev));
    out.push_str("```\n");
    out
}

/// A DOT or Mermaid node id: `n_` and the id with anything but ASCII
/// letters and digits as `_`, then its index (ids may differ only there).
fn gid(index: usize, id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("n{index}_{clean}")
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn label(n: &NodeValue) -> String {
    let head = if n.gate == "leaf" {
        String::new()
    } else {
        format!("{} · ", n.gate.to_uppercase())
    };
    format!(
        "{}\n{head}p={} · cost {}",
        n.title,
        prob(n.probability),
        cost(n.cost)
    )
}

/// Diagram node ids with their nodes, in tree order.
type Laid<'a> = Vec<(String, &'a Node)>;

/// Node ids for diagrams, in tree order, and parent-child edges.
fn layout(tree: &AttackTree) -> (Laid<'_>, Vec<(usize, usize)>) {
    fn go<'a>(
        n: &'a Node,
        parent: Option<usize>,
        ids: &mut Laid<'a>,
        edges: &mut Vec<(usize, usize)>,
    ) {
        let i = ids.len();
        ids.push((gid(i, &n.id), n));
        if let Some(p) = parent {
            edges.push((p, i));
        }
        for c in &n.children {
            go(c, Some(i), ids, edges);
        }
    }
    let (mut ids, mut edges) = (Vec::new(), Vec::new());
    go(&tree.root, None, &mut ids, &mut edges);
    (ids, edges)
}

fn dot(tree: &AttackTree, ev: &Evaluation) -> String {
    let mut out = format!(
        "digraph \"{}\" {{\n  rankdir=TB;\n  node [fontname=\"Helvetica\", shape=box, style=rounded];\n",
        esc(&ev.title)
    );
    let (ids, edges) = layout(tree);
    for ((gid, n), v) in ids.iter().zip(&ev.nodes) {
        let shape = if n.is_leaf() { "box" } else { "ellipse" };
        let style = if v.possible { "solid" } else { "dashed" };
        let _ = writeln!(
            out,
            "  {gid} [label=\"{}\", shape={shape}, style={style}];",
            esc(&label(v)).replace('\n', "\\n")
        );
    }
    for (a, b) in edges {
        let _ = writeln!(out, "  {} -> {};", ids[a].0, ids[b].0);
    }
    for (i, c) in tree.countermeasures.iter().enumerate() {
        let cid = format!("c{}", &gid(i, &c.id)[1..]);
        let state = if c.applied { "applied" } else { "not applied" };
        let _ = writeln!(
            out,
            "  {cid} [label=\"{}\\n({state})\", shape=hexagon, color=darkgreen];",
            esc(if c.title.is_empty() { &c.id } else { &c.title })
        );
        for (gid, n) in &ids {
            if n.countered_by.contains(&c.id) {
                let _ = writeln!(
                    out,
                    "  {cid} -> {gid} [style=dashed, color=darkgreen, arrowhead=tee];"
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

fn mm(s: &str) -> String {
    s.replace('"', "#quot;")
}

fn mermaid(tree: &AttackTree, ev: &Evaluation) -> String {
    let mut out = String::from("flowchart TD\n");
    let (ids, edges) = layout(tree);
    for ((gid, n), v) in ids.iter().zip(&ev.nodes) {
        let l = mm(&label(v)).replace('\n', "<br/>");
        if n.is_leaf() {
            let _ = writeln!(out, "  {gid}[\"{l}\"]");
        } else {
            let _ = writeln!(out, "  {gid}([\"{l}\"])");
        }
    }
    for (a, b) in edges {
        let _ = writeln!(out, "  {} --> {}", ids[a].0, ids[b].0);
    }
    for (i, c) in tree.countermeasures.iter().enumerate() {
        let cid = format!("c{}", &gid(i, &c.id)[1..]);
        let state = if c.applied { "applied" } else { "not applied" };
        let _ = writeln!(
            out,
            "  {cid}{{{{\"{} ({state})\"}}}}",
            mm(if c.title.is_empty() { &c.id } else { &c.title })
        );
        for (gid, n) in &ids {
            if n.countered_by.contains(&c.id) {
                let _ = writeln!(out, "  {cid} -.-x {gid}");
            }
        }
    }
    for (gid, v) in ids.iter().map(|(g, _)| g).zip(&ev.nodes) {
        if !v.possible {
            let _ = writeln!(out, "  style {gid} stroke-dasharray: 5 5");
        }
    }
    out
}
