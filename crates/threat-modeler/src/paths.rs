//! `threat-modeler paths`: attack paths through a model, ranked, with their
//! cut; or the same paths as a generated attack tree.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use stride_core::Model;
use stride_core::attack::{PathQuery, PathReport, Target, attack_paths, paths_tree};

use crate::input::Input;
use crate::output::write_out;
use crate::tree::{GraphFormat, prob};

#[derive(Debug, Args)]
pub struct PathsArgs {
    /// The model file.
    model: PathBuf,
    /// Start here (default: every external entity in an internet or third-party boundary).
    #[arg(long, value_name = "ID")]
    from: Option<String>,
    /// End at this element (default: data stores holding restricted or confidential data).
    #[arg(long, value_name = "ID", conflicts_with = "to_data")]
    to: Option<String>,
    /// End at the data stores holding this data asset.
    #[arg(long, value_name = "DATA-ID")]
    to_data: Option<String>,
    /// The longest path, in hops.
    #[arg(long, value_name = "N", default_value_t = stride_core::attack::DEFAULT_MAX_HOPS)]
    max_hops: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    format: GraphFormat,
    /// Print the paths as a generated attack tree (in --format), evaluated like `tree`.
    #[arg(long, conflicts_with = "tree_file")]
    tree: bool,
    /// Write the generated attack tree as a tree file (YAML) to FILE.
    #[arg(long, value_name = "FILE")]
    tree_file: Option<PathBuf>,
    /// Accepted risks: accepted threats close hops like mitigated ones.
    #[arg(long, value_name = "FILE")]
    accepted: Option<PathBuf>,
    /// Write to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: &PathsArgs, input: &Input) -> Result<u8, String> {
    let (loaded, analysis) = input.analysed(&args.model, args.accepted.as_deref())?;
    let query = PathQuery {
        from: args.from.clone(),
        to: match (&args.to, &args.to_data) {
            (Some(t), _) => Target::Element(t.clone()),
            (None, Some(d)) => Target::Data(d.clone()),
            (None, None) => Target::Sensitive,
        },
        max_hops: args.max_hops,
    };
    let model = &loaded.model;
    let report = attack_paths(model, &analysis, stride_core::Catalog::builtin(), &query)
        .map_err(|e| e.to_string())?;
    if let Some(file) = &args.tree_file {
        let yaml =
            serde_norway::to_string(&paths_tree(model, &report)).map_err(|e| e.to_string())?;
        write_out(Some(file), &yaml)?;
        return Ok(0);
    }
    let text = if args.tree {
        crate::tree::render(&paths_tree(model, &report), args.format)?
    } else {
        match args.format {
            GraphFormat::Json => format!(
                "{}\n",
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
            ),
            GraphFormat::Text => text(model, &report),
            GraphFormat::Markdown => markdown(model, &report),
            GraphFormat::Dot => dot(model, &report),
            GraphFormat::Mermaid => mermaid(model, &report),
        }
    };
    write_out(args.output.as_deref(), &text)?;
    Ok(0)
}

fn route(p: &stride_core::attack::AttackPath) -> String {
    std::iter::once(p.from.as_str())
        .chain(p.hops.iter().map(|h| h.element.as_str()))
        .collect::<Vec<_>>()
        .join(" → ")
}

fn cut_lines(r: &PathReport, out: &mut String) {
    if r.paths.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "The cut: {} breaks {} of {} paths{}",
        r.cut.controls.join(" + "),
        r.cut.breaks,
        r.paths.len(),
        if r.cut.exact {
            ""
        } else {
            " (search limit reached: small, maybe not the smallest)"
        }
    );
    match &r.cut.single {
        Some(s) => {
            let _ = writeln!(
                out,
                "The single control that breaks the most: {} ({} of {} paths)",
                s.control,
                s.breaks,
                r.paths.len()
            );
        }
        None => out.push_str("No single control breaks a path on its own.\n"),
    }
}

fn header(model: &Model, r: &PathReport) -> String {
    format!(
        "{} attack path{} in {} from {} to {}{}",
        r.paths.len(),
        if r.paths.len() == 1 { "" } else { "s" },
        model.name,
        if r.entries.is_empty() {
            "(no entry point)".into()
        } else {
            r.entries.join(", ")
        },
        if r.targets.is_empty() {
            "(no target)".into()
        } else {
            r.targets.join(", ")
        },
        if r.truncated {
            " (search limit reached: more paths exist)"
        } else {
            ""
        }
    )
}

fn text(model: &Model, r: &PathReport) -> String {
    let mut out = format!("{}\n", header(model, r));
    for (i, p) in r.paths.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n{}. {}\n   likelihood {} · {} hop{} · boundaries {}",
            i + 1,
            route(p),
            prob(p.likelihood),
            p.hop_count,
            if p.hop_count == 1 { "" } else { "s" },
            p.boundaries.join(" → ")
        );
        let fw = p.hops.iter().map(|h| h.flow.len()).max().unwrap_or(0);
        let ew = p.hops.iter().map(|h| h.element.len()).max().unwrap_or(0);
        for h in &p.hops {
            let more = h.threats.len().saturating_sub(1);
            let _ = writeln!(
                out,
                "   {:<fw$}  into {:<ew$}  {:<6}  {}{}",
                h.flow,
                h.element,
                prob(h.likelihood),
                h.threat,
                if more > 0 {
                    format!(" (+{more} more)")
                } else {
                    String::new()
                }
            );
        }
    }
    out.push('\n');
    cut_lines(r, &mut out);
    out
}

fn markdown(model: &Model, r: &PathReport) -> String {
    let mut out = format!(
        "# Attack paths: {}\n\n{}.\n\n",
        model.name,
        header(model, r)
    );
    if !r.paths.is_empty() {
        out.push_str("| # | path | likelihood | hops | boundaries | threats used |\n|---|---|---|---|---|---|\n");
        for (i, p) in r.paths.iter().enumerate() {
            let used: Vec<String> = p.hops.iter().map(|h| format!("`{}`", h.threat)).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                i + 1,
                route(p),
                prob(p.likelihood),
                p.hop_count,
                p.boundaries.join(" → "),
                used.join(", ")
            );
        }
        out.push_str("\n```text\n");
        cut_lines(r, &mut out);
        out.push_str("```\n\n```mermaid\n");
        out.push_str(&mermaid(model, r));
        out.push_str("```\n");
    }
    out
}

/// A flow the paths use: (flow, from, to), the likeliest threat used on it,
/// its likelihood and the number of paths through it.
type Used = ((String, String, String), (String, f64, usize));

/// The flows the paths use, in the order the ranked paths first take them.
fn used_flows(r: &PathReport) -> Vec<Used> {
    let mut used: Vec<Used> = Vec::new();
    for p in &r.paths {
        let mut at = p.from.clone();
        for h in &p.hops {
            let key = (h.flow.clone(), at.clone(), h.element.clone());
            let i = match used.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    used.push((key, (h.threat.clone(), h.likelihood, 0)));
                    used.len() - 1
                }
            };
            let e = &mut used[i].1;
            if h.likelihood > e.1 {
                (e.0, e.1) = (h.threat.clone(), h.likelihood);
            }
            e.2 += 1;
            at = h.element.clone();
        }
    }
    used
}

fn did(id: &str) -> String {
    format!(
        "n_{}",
        id.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
    )
}

fn touched(r: &PathReport) -> Vec<String> {
    let mut ids: Vec<String> = r
        .paths
        .iter()
        .flat_map(|p| {
            std::iter::once(p.from.clone()).chain(p.hops.iter().map(|h| h.element.clone()))
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn dot(model: &Model, r: &PathReport) -> String {
    let mut out = format!(
        "digraph \"attack paths: {}\" {{\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
        model.name.replace('"', "\\\"")
    );
    for id in touched(r) {
        let name = model.element(&id).map_or(id.as_str(), |e| e.name.as_str());
        let shape = if r.entries.contains(&id) {
            "box, color=red"
        } else if r.targets.contains(&id) {
            "cylinder, color=red"
        } else {
            "ellipse"
        };
        let _ = writeln!(
            out,
            "  {} [label=\"{}\", shape={shape}];",
            did(&id),
            name.replace('"', "\\\"")
        );
    }
    for ((flow, from, to), (threat, p, n)) in used_flows(r) {
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{flow}\\n{threat} ({})\\n{n} path{}\", penwidth={}];",
            did(&from),
            did(&to),
            prob(p),
            if n == 1 { "" } else { "s" },
            1 + n.min(5)
        );
    }
    out.push_str("}\n");
    out
}

fn mermaid(model: &Model, r: &PathReport) -> String {
    let mut out = String::from("flowchart LR\n");
    for id in touched(r) {
        let name = model
            .element(&id)
            .map_or(id.as_str(), |e| e.name.as_str())
            .replace('"', "#quot;");
        if r.targets.contains(&id) {
            let _ = writeln!(out, "  {}[(\"{name}\")]", did(&id));
        } else {
            let _ = writeln!(out, "  {}[\"{name}\"]", did(&id));
        }
    }
    for ((flow, from, to), (threat, p, _)) in used_flows(r) {
        let _ = writeln!(
            out,
            "  {} -->|\"{flow}: {threat} ({})\"| {}",
            did(&from),
            prob(p),
            did(&to)
        );
    }
    out
}
