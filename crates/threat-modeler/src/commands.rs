//! `coverage`, `dfd`, `diff`, `init` and `interactive`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use stride_core::{Finding, Status};

use crate::analyze::{FailOn, analysed, write_out};
use crate::{TextOrJson, dfd, report};

#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// The model file.
    model: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

pub fn run_coverage(args: &CoverageArgs) -> Result<u8, String> {
    let (loaded, analysis) = analysed(&args.model, None)?;
    match args.format {
        TextOrJson::Json => write_out(
            None,
            &format!(
                "{}\n",
                serde_json::to_string_pretty(&analysis.coverage).map_err(|e| e.to_string())?
            ),
        )?,
        TextOrJson::Text => {
            let order: Vec<String> = loaded
                .model
                .elements
                .iter()
                .map(|e| e.id.clone())
                .chain(loaded.model.flows.iter().map(|f| f.id.clone()))
                .collect();
            let mut out = report::coverage_table(&analysis, &order);
            out.push_str("\nn/a reasons:\n");
            let mut reasons: Vec<String> = analysis
                .coverage
                .values()
                .flat_map(|c| {
                    c.iter().filter_map(|(s, cell)| {
                        cell.reason
                            .as_ref()
                            .map(|r| format!("  {}: {r}", s.letter()))
                    })
                })
                .collect();
            reasons.sort();
            reasons.dedup();
            out.push_str(&reasons.join("\n"));
            out.push('\n');
            write_out(None, &out)?;
        }
    }
    Ok(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DfdFormat {
    /// Graphviz DOT (render with `dot -Tsvg`).
    Dot,
    /// Mermaid flowchart.
    Mermaid,
}

#[derive(Debug, Args)]
pub struct DfdArgs {
    /// The model file.
    model: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DfdFormat::Dot)]
    format: DfdFormat,
    /// Write to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Colour elements and flows: `risk` by their worst open threat.
    #[arg(long, value_enum, default_value_t = ColorBy::None, value_name = "WHAT")]
    color_by: ColorBy,
}

/// What `dfd --color-by` colours by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorBy {
    /// No colouring.
    None,
    /// The worst open risk of each element and flow.
    Risk,
}

pub fn run_dfd(args: &DfdArgs) -> Result<u8, String> {
    let (loaded, worst) = if args.color_by == ColorBy::Risk {
        let (loaded, analysis) = analysed(&args.model, None)?;
        (loaded, Some(report::worst_open(&analysis)))
    } else {
        (crate::analyze::load(&args.model)?, None)
    };
    let text = match args.format {
        DfdFormat::Dot => dfd::dot(&loaded.model, worst.as_ref()),
        DfdFormat::Mermaid => dfd::mermaid(&loaded.model, worst.as_ref()),
    };
    write_out(args.output.as_deref(), &text)?;
    Ok(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Lines for people.
    Text,
    /// `{"added", "removed", "changed"}`.
    Json,
    /// Markdown tables.
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier model.
    old: PathBuf,
    /// The later model.
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Exit 1 when a new or worsened open threat is at or above this severity.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
    /// Accepted risks applied to both versions.
    #[arg(long, value_name = "FILE")]
    accepted: Option<PathBuf>,
}

fn brief(f: &Finding) -> serde_json::Value {
    json!({ "id": f.id, "title": f.title, "stride": f.stride, "severity": f.risk.severity, "status": report::status_name(f.status) })
}

/// A severity and status, with the score: `high 7.4 open`.
fn state(f: &Finding) -> String {
    format!(
        "{} {:.1} {}",
        f.risk.severity,
        f.risk.score,
        report::status_name(f.status)
    )
}

/// The text and Markdown forms of a diff: titles, and for changed threats
/// the severity and status before and after.
fn diff_text(
    added: &[&Finding],
    removed: &[&Finding],
    changed: &[(&Finding, &Finding)],
    md: bool,
) -> String {
    let mut out = String::new();
    for (title, list, mark) in [("added", added, '+'), ("removed", removed, '-')] {
        if md {
            out.push_str(&format!("## {} {title}\n\n", list.len()));
        } else {
            out.push_str(&format!("{} {title}\n", list.len()));
        }
        for f in report::by_risk_refs(list) {
            if md {
                out.push_str(&format!(
                    "- `{}` {} ({})\n",
                    f.id,
                    report::md_escape(&f.title),
                    state(f)
                ));
            } else {
                out.push_str(&format!(
                    "  {mark} {}  [{}]\n      {}\n",
                    f.title,
                    state(f),
                    f.id
                ));
            }
        }
        out.push('\n');
    }
    if md {
        out.push_str(&format!("## {} changed\n\n", changed.len()));
    } else {
        out.push_str(&format!("{} changed\n", changed.len()));
    }
    for (o, n) in changed {
        let arrow = if n.risk.severity > o.risk.severity {
            "worse"
        } else if n.risk.severity < o.risk.severity {
            "better"
        } else {
            "status"
        };
        if md {
            out.push_str(&format!(
                "- `{}` {}: {} → {} ({arrow})\n",
                n.id,
                report::md_escape(&n.title),
                state(o),
                state(n)
            ));
        } else {
            out.push_str(&format!(
                "  ~ {}  [{} -> {}] ({arrow})\n      {}\n",
                n.title,
                state(o),
                state(n),
                n.id
            ));
        }
    }
    out
}

pub fn run_diff(args: &DiffArgs) -> Result<u8, String> {
    let (old_model, old) = analysed(&args.old, args.accepted.as_deref())?;
    let (new_model, new) = analysed(&args.new, args.accepted.as_deref())?;
    let paths = crate::path_diff::diff((&old_model.model, &old), (&new_model.model, &new));
    let old_by: BTreeMap<&str, &Finding> = old.threats.iter().map(|t| (t.id.as_str(), t)).collect();
    let new_by: BTreeMap<&str, &Finding> = new.threats.iter().map(|t| (t.id.as_str(), t)).collect();
    let added: Vec<&Finding> = new_by
        .iter()
        .filter(|(k, _)| !old_by.contains_key(*k))
        .map(|(_, v)| *v)
        .collect();
    let removed: Vec<&Finding> = old_by
        .iter()
        .filter(|(k, _)| !new_by.contains_key(*k))
        .map(|(_, v)| *v)
        .collect();
    let changed: Vec<(&Finding, &Finding)> = new_by
        .iter()
        .filter_map(|(k, n)| {
            old_by
                .get(k)
                .filter(|o| o.status != n.status || o.risk.severity != n.risk.severity)
                .map(|o| (*o, *n))
        })
        .collect();
    let text = match args.format {
        DiffFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({
                "added": added.iter().map(|f| brief(f)).collect::<Vec<_>>(),
                "removed": removed.iter().map(|f| brief(f)).collect::<Vec<_>>(),
                "changed": changed.iter().map(|(o, n)| json!({ "id": n.id, "title": n.title, "before": brief(o), "after": brief(n) })).collect::<Vec<_>>(),
                "paths": paths.json(),
            }))
            .map_err(|e| e.to_string())?
        ),
        DiffFormat::Text => diff_text(&added, &removed, &changed, false) + "\n" + &paths.text(false),
        DiffFormat::Markdown => {
            diff_text(&added, &removed, &changed, true) + "\n" + &paths.text(true)
        }
    };
    write_out(None, &text)?;
    // The gate: only new threats, or ones that got worse, count.
    let worse = |f: &Finding| {
        args.fail_on
            .is_some_and(|t| f.status == Status::Open && f.risk.severity >= t.severity())
    };
    let tripped = added.iter().any(|f| worse(f))
        || changed.iter().any(|(o, n)| {
            worse(n) && (o.status != Status::Open || o.risk.severity < n.risk.severity)
        });
    Ok(u8::from(tripped))
}

/// The commented model `init` writes; it analyses cleanly (tested).
pub const INIT_MODEL: &str = include_str!("init-model.yaml");

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The model file to write.
    #[arg(default_value = "threat-model.yaml")]
    path: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
}

pub fn run_init(args: &InitArgs) -> Result<u8, String> {
    if args.path.exists() && !args.force {
        return Err(format!(
            "{} exists (use --force to overwrite)",
            args.path.display()
        ));
    }
    std::fs::write(&args.path, INIT_MODEL).map_err(|e| format!("{}: {e}", args.path.display()))?;
    eprintln!(
        "wrote {}; analyse it with: threat-modeler analyze {}",
        args.path.display(),
        args.path.display()
    );
    Ok(0)
}

/// Formats `import` reads and `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Interop {
    /// OWASP Threat Dragon JSON (v2; v1 is read too).
    ThreatDragon,
    /// Open Threat Model 0.2.0 (JSON or YAML).
    Otm,
    /// Threagile YAML (import only; `includes:` are followed).
    Threagile,
    /// pytm's JSON model, from `tm.py --json FILE` (import only).
    Pytm,
    /// TM-BOM, the OWASP Threat Model Library's JSON format.
    TmBom,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The source format.
    #[arg(long, value_enum)]
    from: Interop,
    /// The file to import.
    file: PathBuf,
    /// Where to write our model (YAML); stdout when absent.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run_import(args: &ImportArgs) -> Result<u8, String> {
    let name = args.file.display().to_string();
    let text = crate::input::read_text(&args.file)?;
    let imported = match args.from {
        Interop::ThreatDragon => {
            stride_core::interop::threat_dragon::import(&name, &text).map_err(|e| e.to_string())?
        }
        Interop::Otm => {
            let doc = crate::analyze::parse_any(&name, &text)?;
            stride_core::interop::otm::import(&name, &doc).map_err(|e| e.to_string())?
        }
        Interop::Threagile => crate::analyze::import_threagile(&args.file, &text)?,
        Interop::Pytm => {
            stride_core::interop::pytm::import(&name, &text).map_err(|e| e.to_string())?
        }
        Interop::TmBom => {
            stride_core::interop::tm_bom::import(&name, &text).map_err(|e| e.to_string())?
        }
    };
    for line in &imported.unmapped {
        eprintln!("not mapped: {line}");
    }
    // Never write a model our own loader would refuse (a component without
    // an id, a flow to nowhere): check it as `analyze` would read it back.
    let json = serde_json::to_string(&imported.model).map_err(|e| e.to_string())?;
    if let Err(e) = stride_core::Model::load(&name, &json) {
        return Err(format!(
            "{name}: the imported model is invalid, nothing written: {}: {}",
            e.path, e.problem
        ));
    }
    let yaml = serde_norway::to_string(&imported.model).map_err(|e| e.to_string())?;
    write_out(args.output.as_deref(), &yaml)?;
    Ok(0)
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The target format.
    #[arg(long, value_enum)]
    to: Interop,
    /// Our model file.
    model: PathBuf,
    /// Where to write; stdout when absent.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run_export(args: &ExportArgs) -> Result<u8, String> {
    let (loaded, analysis) = analysed(&args.model, None)?;
    let doc = match args.to {
        Interop::ThreatDragon => {
            stride_core::interop::threat_dragon::export(&loaded.model, &analysis)
        }
        Interop::Otm => stride_core::interop::otm::export(&loaded.model),
        Interop::TmBom => stride_core::interop::tm_bom::export(&loaded.model, &analysis),
        Interop::Threagile | Interop::Pytm => {
            return Err(
                "export supports threat-dragon, otm and tm-bom (threagile and pytm are import only)"
                    .into(),
            );
        }
    };
    write_out(
        args.output.as_deref(),
        &format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
        ),
    )?;
    Ok(0)
}
