//! `coverage`, `dfd`, `diff`, `init` and `interactive`.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
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
}

pub fn run_dfd(args: &DfdArgs) -> Result<u8, String> {
    let loaded = crate::analyze::load(&args.model)?;
    let text = match args.format {
        DfdFormat::Dot => dfd::dot(&loaded.model),
        DfdFormat::Mermaid => dfd::mermaid(&loaded.model),
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

pub fn run_diff(args: &DiffArgs) -> Result<u8, String> {
    let (_, old) = analysed(&args.old, args.accepted.as_deref())?;
    let (_, new) = analysed(&args.new, args.accepted.as_deref())?;
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
            }))
            .map_err(|e| e.to_string())?
        ),
        DiffFormat::Text | DiffFormat::Markdown => {
            let md = args.format == DiffFormat::Markdown;
            let mut out = String::new();
            for (title, list) in [("added", &added), ("removed", &removed)] {
                out.push_str(&if md { format!("## {} {title}\n\n", list.len()) } else { format!("{} {title}\n", list.len()) });
                for f in list.iter() {
                    out.push_str(&if md {
                        format!("- `{}` {} ({}, {})\n", f.id, f.title, f.risk.severity, report::status_name(f.status))
                    } else {
                        format!("  {} {:<9} {:<9} {}\n", if title == "added" { '+' } else { '-' }, f.risk.severity.to_string(), report::status_name(f.status), f.id)
                    });
                }
                out.push('\n');
            }
            out.push_str(&if md { format!("## {} changed\n\n", changed.len()) } else { format!("{} changed\n", changed.len()) });
            for (o, n) in &changed {
                out.push_str(&format!(
                    "{}{} {}: {} {} -> {} {}\n",
                    if md { "- `" } else { "  ~ " },
                    n.id,
                    if md { "`" } else { "" },
                    o.risk.severity,
                    report::status_name(o.status),
                    n.risk.severity,
                    report::status_name(n.status)
                ));
            }
            out
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

#[derive(Debug, Args)]
pub struct InteractiveArgs {
    /// Where to write the model.
    #[arg(long, short = 'o', default_value = "threat-model.yaml")]
    output: PathBuf,
}

/// Reads one answer; `None` at end of input (Ctrl-D).
fn ask(input: &mut dyn BufRead, prompt: &str) -> Result<Option<String>, String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) => Ok(None),
        Ok(_) => Ok(Some(line.trim().to_string())),
        Err(e) => Err(format!("cannot read the answer: {e}")),
    }
}

pub fn run_interactive(args: &InteractiveArgs) -> Result<u8, String> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    match build_interactively(&mut input)? {
        None => {
            eprintln!("\nno model written (input ended)");
            Ok(0)
        }
        Some(yaml) => {
            std::fs::write(&args.output, &yaml)
                .map_err(|e| format!("{}: {e}", args.output.display()))?;
            eprintln!("wrote {}", args.output.display());
            let (loaded, analysis) = analysed(&args.output, None)?;
            write_out(None, &report::text(&loaded, &analysis))?;
            Ok(0)
        }
    }
}

/// Asks for the model's parts; `Ok(None)` when input ends (Ctrl-D) at any
/// prompt.
pub fn build_interactively(input: &mut dyn BufRead) -> Result<Option<String>, String> {
    macro_rules! ask {
        ($p:expr) => {
            match ask(input, $p)? {
                Some(a) => a,
                None => return Ok(None),
            }
        };
    }
    let name = ask!("System name: ");
    let mut yaml = format!(
        "name: {}\nboundaries:\n",
        serde_json::to_string(&name).map_err(|e| e.to_string())?
    );
    eprintln!(
        "Trust boundaries: `id kind` (kinds: internet dmz corporate on_prem cloud third_party device generic); empty line to finish."
    );
    loop {
        let a = ask!("  boundary> ");
        if a.is_empty() {
            break;
        }
        let mut p = a.split_whitespace();
        let (id, kind) = (p.next().unwrap_or("zone"), p.next().unwrap_or("generic"));
        yaml.push_str(&format!("  - {{ id: {id}, name: {id}, kind: {kind} }}\n"));
    }
    yaml.push_str("elements:\n");
    eprintln!(
        "Elements: `id kind type [boundary] [attr,attr]` (kind: external_entity process data_store); empty line to finish."
    );
    loop {
        let a = ask!("  element> ");
        if a.is_empty() {
            break;
        }
        let p: Vec<&str> = a.split_whitespace().collect();
        let (id, kind, ty) = (
            p.first().copied().unwrap_or("x"),
            p.get(1).copied().unwrap_or("process"),
            p.get(2).copied().unwrap_or("generic"),
        );
        let mut line = format!("  - {{ id: {id}, name: {id}, kind: {kind}, type: {ty}");
        if let Some(b) = p.get(3) {
            line.push_str(&format!(", boundary: {b}"));
        }
        if let Some(attrs) = p.get(4) {
            let list: Vec<String> = attrs.split(',').map(|x| format!("{x}: true")).collect();
            line.push_str(&format!(", attributes: {{ {} }}", list.join(", ")));
        }
        yaml.push_str(&line);
        yaml.push_str(" }\n");
    }
    yaml.push_str("flows:\n");
    eprintln!("Flows: `id from to protocol [encrypted] [authenticated]`; empty line to finish.");
    loop {
        let a = ask!("  flow> ");
        if a.is_empty() {
            break;
        }
        let p: Vec<&str> = a.split_whitespace().collect();
        let (id, from, to, proto) = (
            p.first().copied().unwrap_or("f"),
            p.get(1).copied().unwrap_or(""),
            p.get(2).copied().unwrap_or(""),
            p.get(3).copied().unwrap_or("https"),
        );
        yaml.push_str(&format!(
            "  - {{ id: {id}, from: {from}, to: {to}, protocol: {proto}, encrypted: {}, authenticated: {} }}\n",
            p.contains(&"encrypted"),
            p.contains(&"authenticated")
        ));
    }
    Ok(Some(yaml))
}

/// Formats `import` reads and `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Interop {
    /// OWASP Threat Dragon v2 JSON.
    ThreatDragon,
    /// Open Threat Model 0.2.0 (JSON or YAML).
    Otm,
    /// Threagile YAML (import only; `includes:` are followed).
    Threagile,
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
            e.path, e.message
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
        Interop::Threagile => {
            return Err("export --to threagile is not supported: use threat-dragon or otm".into());
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
