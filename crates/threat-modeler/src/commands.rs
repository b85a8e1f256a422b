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
        DiffFormat::Text => diff_text(&added, &removed, &changed, false),
        DiffFormat::Markdown => diff_text(&added, &removed, &changed, true),
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
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
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
    if args.output.exists() && !args.force {
        return Err(format!(
            "{} exists (use --force to overwrite, or -o another file)",
            args.output.display()
        ));
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    match build_interactively(&mut input)? {
        None => {
            eprintln!("\nno model written (input ended)");
            Ok(0)
        }
        Some(model) => {
            // Written through the model's serialiser, and validated first.
            let yaml = serde_norway::to_string(&model).map_err(|e| e.to_string())?;
            let name = args.output.display().to_string();
            stride_core::Model::load(&name, &yaml).map_err(|e| e.to_string())?;
            std::fs::write(&args.output, &yaml).map_err(|e| format!("{name}: {e}"))?;
            eprintln!("wrote {name}");
            let (loaded, analysis) = analysed(&args.output, None)?;
            write_out(
                None,
                &report::text(&loaded, &analysis, report::TextOptions::default()),
            )?;
            Ok(0)
        }
    }
}

/// A snake_case enum value from an answer, with the valid choices (and a
/// did-you-mean) when it is not one.
fn choice<T: serde::de::DeserializeOwned>(
    what: &str,
    answer: &str,
    valid: &[&str],
) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(answer.to_string())).map_err(|_| {
        let hint = stride_core::attributes::suggest(answer, valid.iter().copied())
            .map_or(String::new(), |s| format!(" (did you mean {s:?}?)"));
        format!(
            "unknown {what} {answer:?}{hint}; one of: {}",
            valid.join(" ")
        )
    })
}

const BOUNDARY_KINDS: &[&str] = &[
    "internet",
    "dmz",
    "corporate",
    "on_prem",
    "cloud",
    "third_party",
    "device",
    "generic",
];
const ELEMENT_KINDS: &[&str] = &["external_entity", "process", "data_store"];

/// Asks for the model's parts, checking each answer as it is typed (kinds,
/// types and attributes with did-you-mean, duplicate ids, known boundaries
/// and elements) and asking again after a wrong one; `Ok(None)` when input
/// ends (Ctrl-D) at any prompt.
pub fn build_interactively(input: &mut dyn BufRead) -> Result<Option<stride_core::Model>, String> {
    use stride_core::{Boundary, Element, Flow, Model};
    macro_rules! ask {
        ($p:expr) => {
            match ask(input, $p)? {
                Some(a) => a,
                None => return Ok(None),
            }
        };
    }
    let mut model = Model {
        name: String::new(),
        description: None,
        boundaries: vec![],
        elements: vec![],
        data: vec![],
        flows: vec![],
        recorded_threats: vec![],
    };
    while model.name.is_empty() {
        model.name = ask!("System name: ");
    }
    let mut ids: Vec<String> = Vec::new();
    let fresh = |ids: &[String], id: &str| -> Result<(), String> {
        if ids.iter().any(|i| i == id) {
            Err(format!("the id {id:?} is taken; choose another"))
        } else {
            Ok(())
        }
    };
    eprintln!(
        "Trust boundaries: `id kind` (kinds: {}); empty line to finish.",
        BOUNDARY_KINDS.join(" ")
    );
    loop {
        let a = ask!("  boundary> ");
        if a.is_empty() {
            break;
        }
        let p: Vec<&str> = a.split_whitespace().collect();
        let id = p[0].to_string();
        let checked = fresh(&ids, &id).and_then(|()| {
            choice(
                "boundary kind",
                p.get(1).copied().unwrap_or("generic"),
                BOUNDARY_KINDS,
            )
        });
        match checked {
            Ok(kind) => {
                ids.push(id.clone());
                model.boundaries.push(Boundary {
                    name: id.clone(),
                    id,
                    kind,
                    parent: None,
                    description: None,
                });
            }
            Err(e) => eprintln!("  {e}"),
        }
    }
    eprintln!(
        "Elements: `id kind type [boundary] [attr,attr]` (kinds: {}; `threat-modeler component --list` lists types); empty line to finish.",
        ELEMENT_KINDS.join(" ")
    );
    loop {
        let a = ask!("  element> ");
        if a.is_empty() {
            break;
        }
        let p: Vec<&str> = a.split_whitespace().collect();
        let id = p[0].to_string();
        let element = (|| -> Result<Element, String> {
            fresh(&ids, &id)?;
            let kind = choice(
                "element kind",
                p.get(1).copied().unwrap_or("process"),
                ELEMENT_KINDS,
            )?;
            let component_type: stride_core::ComponentType =
                p.get(2).copied().unwrap_or("generic").parse()?;
            let boundary = match p.get(3) {
                Some(b) if model.boundary(b).is_none() => {
                    let known: Vec<&str> = model.boundaries.iter().map(|x| x.id.as_str()).collect();
                    return Err(format!("no boundary {b:?}; known: {}", known.join(" ")));
                }
                b => b.map(|b| (*b).to_string()),
            };
            let mut attributes = std::collections::BTreeMap::new();
            for attr in p
                .get(4)
                .map_or(vec![], |l| l.split(',').filter(|x| !x.is_empty()).collect())
            {
                if !stride_core::attributes::is_known(attr) {
                    let known = stride_core::attributes::ATTRIBUTES.iter().map(|(n, _)| *n);
                    let hint = stride_core::attributes::suggest(attr, known)
                        .map_or(String::new(), |s| format!(" (did you mean {s:?}?)"));
                    return Err(format!("unknown attribute {attr:?}{hint}"));
                }
                attributes.insert(attr.to_string(), true);
            }
            Ok(Element {
                id: id.clone(),
                name: id.clone(),
                kind,
                component_type,
                boundary,
                attributes,
                stores: vec![],
                description: None,
                out_of_scope: false,
                out_of_scope_reason: None,
            })
        })();
        match element {
            Ok(e) => {
                ids.push(id);
                model.elements.push(e);
            }
            Err(e) => eprintln!("  {e}"),
        }
    }
    eprintln!("Flows: `id from to protocol [encrypted] [authenticated]`; empty line to finish.");
    loop {
        let a = ask!("  flow> ");
        if a.is_empty() {
            break;
        }
        let p: Vec<&str> = a.split_whitespace().collect();
        let id = p[0].to_string();
        let flow = (|| -> Result<Flow, String> {
            fresh(&ids, &id)?;
            let (Some(from), Some(to)) = (p.get(1), p.get(2)) else {
                return Err("give the flow's source and target element ids".into());
            };
            for end in [from, to] {
                if model.element(end).is_none() {
                    let known: Vec<&str> = model.elements.iter().map(|e| e.id.as_str()).collect();
                    return Err(format!("no element {end:?}; known: {}", known.join(" ")));
                }
            }
            Ok(Flow {
                id: id.clone(),
                from: (*from).to_string(),
                to: (*to).to_string(),
                name: None,
                protocol: Some(p.get(3).copied().unwrap_or("https").to_lowercase()),
                encrypted: p.contains(&"encrypted"),
                authenticated: p.contains(&"authenticated"),
                carries: vec![],
                description: None,
                out_of_scope: false,
                out_of_scope_reason: None,
            })
        })();
        match flow {
            Ok(f) => {
                ids.push(id);
                model.flows.push(f);
            }
            Err(e) => eprintln!("  {e}"),
        }
    }
    Ok(Some(model))
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
    let text = std::fs::read_to_string(&args.file).map_err(|e| format!("{name}: {e}"))?;
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
