//! `threat-modeler analyze`, `component` and `rules`: the engine from a shell.

use std::collections::BTreeMap;

use clap::Args;
use serde_json::{Value, json};
use stride_core::{
    Analysis, Catalog, ComponentType, Finding, Model, Status, Stride, analyze, threats_for,
};

use crate::TextOrJson;

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The model file (YAML or JSON).
    model: std::path::PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

#[derive(Debug, Args)]
pub struct ComponentArgs {
    /// The component type (`component --list` shows them).
    #[arg(required_unless_present = "list")]
    component_type: Option<String>,
    /// An attribute, `key=true|false` (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    attrs: Vec<String>,
    /// List the known component types.
    #[arg(long)]
    list: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

fn summary(analysis: &Analysis) -> Value {
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
    json!({
        "threats": analysis.threats.len(),
        "by_stride": by_stride,
        "open_by_severity": by_severity,
        "by_status": by_status,
    })
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Open => "open",
        Status::Mitigated => "mitigated",
        Status::Accepted => "accepted",
        Status::NotApplicable => "not_applicable",
    }
}

pub fn load(path: &std::path::Path) -> Result<stride_core::LoadedModel, String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    Model::load(&name, &text).map_err(|e| e.to_string())
}

fn finding_line(t: &Finding) -> String {
    format!(
        "{:<9} {:<8} {:<22} {}\n          {}\n",
        t.risk.severity.to_string(),
        status_name(t.status),
        t.id,
        t.title,
        t.explanation
    )
}

pub fn run_analyze(args: &AnalyzeArgs) -> Result<u8, String> {
    let loaded = load(&args.model)?;
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    let analysis = analyze(&loaded.model, Catalog::builtin());
    match args.format {
        TextOrJson::Json => {
            let doc = json!({
                "model": { "name": loaded.model.name },
                "threats": analysis.threats,
                "coverage": analysis.coverage,
                "summary": summary(&analysis),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
            );
        }
        TextOrJson::Text => {
            let mut out = format!(
                "{}: {} threats\n\n",
                loaded.model.name,
                analysis.threats.len()
            );
            for t in &analysis.threats {
                out.push_str(&finding_line(t));
            }
            let open = analysis
                .threats
                .iter()
                .filter(|t| t.status == Status::Open)
                .count();
            out.push_str(&format!(
                "\n{open} open, {} mitigated\n",
                analysis.threats.len() - open
            ));
            print!("{out}");
        }
    }
    Ok(0)
}

pub fn run_component(args: &ComponentArgs) -> Result<u8, String> {
    if args.list {
        match args.format {
            TextOrJson::Json => println!(
                "{}",
                json!({ "types": ComponentType::ALL.iter().map(|t| json!({"type": t.as_str(), "kind": format!("{:?}", t.default_kind())})).collect::<Vec<_>>() })
            ),
            TextOrJson::Text => {
                for t in ComponentType::ALL {
                    println!("{t}");
                }
            }
        }
        return Ok(0);
    }
    let name = args.component_type.as_deref().unwrap_or("generic");
    let ctype: ComponentType = name.parse()?;
    let mut attrs = BTreeMap::new();
    for a in &args.attrs {
        let (k, v) = a.split_once('=').unwrap_or((a.as_str(), "true"));
        if !stride_core::attributes::is_known(k) {
            let known = stride_core::attributes::ATTRIBUTES.iter().map(|(n, _)| *n);
            return Err(match stride_core::attributes::suggest(k, known) {
                Some(s) => format!("--attr {a}: unknown attribute {k:?} (did you mean {s:?}?)"),
                None => format!("--attr {a}: unknown attribute {k:?}"),
            });
        }
        let v = match v {
            "true" | "yes" | "1" => true,
            "false" | "no" | "0" => false,
            other => return Err(format!("--attr {a}: {other:?} is not true or false")),
        };
        attrs.insert(k.to_string(), v);
    }
    let threats = threats_for(ctype.default_kind(), ctype, &attrs);
    match args.format {
        TextOrJson::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "type": ctype.as_str(), "threats": threats }))
                .map_err(|e| e.to_string())?
        ),
        TextOrJson::Text => {
            println!("{} threats to a {ctype}:\n", threats.len());
            for t in &threats {
                print!("{}", finding_line(t));
            }
        }
    }
    Ok(0)
}

pub fn run_rules(args: &RulesArgs) -> Result<u8, String> {
    let rules = Catalog::builtin().rules();
    match args.format {
        TextOrJson::Json => {
            let list: Vec<Value> = rules
                .iter()
                .map(|r| {
                    json!({
                        "id": r.id,
                        "stride": r.stride,
                        "scope": r.scope,
                        "title": r.title,
                        "description": r.description,
                        "cwe": r.cwe,
                        "capec": r.capec,
                        "mitigations": r.mitigations,
                        "mitigated_by": r.mitigated_by,
                        "baseline": r.baseline,
                        "references": r.references,
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({ "rules": list }))
                    .map_err(|e| e.to_string())?
            );
        }
        TextOrJson::Text => {
            for r in rules {
                println!("{:<12} {:<23} {}", r.id, r.stride.as_str(), r.title);
            }
            println!("{} rules", rules.len());
        }
    }
    Ok(0)
}
