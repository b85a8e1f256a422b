//! `threat-modeler analyze`, `component` and `rules`: the engine from a shell.

use std::collections::BTreeMap;

use clap::Args;
use serde_json::{Value, json};
use stride_core::{
    Analysis, Catalog, ComponentType, Model, ParseComponentTypeError, Status, analyze, threats_for,
};

use crate::TextOrJson;
use crate::report;

/// Output formats of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnalyzeFormat {
    /// A list for people.
    Text,
    /// The full analysis (schema: docs/schema/threat-model-analysis.schema.json).
    Json,
    /// A report with tables, the coverage matrix and a Mermaid diagram.
    Markdown,
    /// SARIF 2.1.0, one result per open threat.
    Sarif,
    /// One self-contained HTML file: summary, diagram (SVG), filters.
    Html,
    /// One row per threat, for spreadsheets and tracker imports.
    Csv,
}

/// Which threats the text and CSV listings show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatusFilter {
    /// Open threats only.
    Open,
    /// Every threat, grouped by status.
    All,
}

/// A severity threshold for `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// low and above.
    Low,
    /// medium and above.
    Medium,
    /// high and above.
    High,
    /// critical only.
    Critical,
}

impl FailOn {
    pub fn severity(self) -> dread::Severity {
        match self {
            FailOn::Low => dread::Severity::Low,
            FailOn::Medium => dread::Severity::Medium,
            FailOn::High => dread::Severity::High,
            FailOn::Critical => dread::Severity::Critical,
        }
    }
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The model file (YAML or JSON).
    model: std::path::PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    format: AnalyzeFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<std::path::PathBuf>,
    /// Exit 1 when an open threat is at or above this severity.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
    /// Accepted risks (YAML list of {id, owner, reason, ticket, expires}).
    #[arg(long, value_name = "FILE")]
    accepted: Option<std::path::PathBuf>,
    /// Text and CSV: which threats to list (default: open ones listed, the
    /// others summarised; CSV: all).
    #[arg(long, value_enum, value_name = "STATUS")]
    status: Option<StatusFilter>,
    /// Text and CSV: hide threats below this severity.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    min_severity: Option<FailOn>,
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

#[derive(Debug, clap::Subcommand)]
pub enum RulesCommand {
    /// Print one rule in full: conditions, controls, mitigations, examples.
    Show {
        /// The rule id.
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    command: Option<RulesCommand>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

/// The format given with `--input-format` (None: detect from the content).
pub static INPUT_FORMAT: std::sync::OnceLock<Option<crate::commands::Interop>> =
    std::sync::OnceLock::new();

/// What a model file is, from `--input-format` or from its content.
fn detect(text: &str) -> Option<crate::commands::Interop> {
    use crate::commands::Interop;
    if let Some(forced) = INPUT_FORMAT.get().copied().flatten() {
        return Some(forced);
    }
    let json: Option<Value> = text
        .trim_start()
        .starts_with('{')
        .then(|| serde_json::from_str(text).ok())
        .flatten();
    if let Some(doc) = &json {
        if stride_core::interop::pytm::is_pytm(doc) {
            return Some(Interop::Pytm);
        }
        if stride_core::interop::tm_bom::is_tm_bom(doc) {
            return Some(Interop::TmBom);
        }
    }
    if is_threat_dragon(text) {
        Some(Interop::ThreatDragon)
    } else if !text.trim_start().starts_with('{') && text.contains("technical_assets") {
        Some(Interop::Threagile)
    } else if text.contains("otmVersion") {
        Some(Interop::Otm)
    } else {
        None
    }
}

/// Loads a model file in our format or, converted, in another tool's; what
/// did not map is printed one line each.
pub fn load(path: &std::path::Path) -> Result<stride_core::LoadedModel, String> {
    use crate::commands::Interop;
    let name = path.display().to_string();
    let text = crate::input::read_text(path)?;
    let imported = match detect(&text) {
        None => return Model::load(&name, &text).map_err(|e| e.to_string()),
        Some(Interop::ThreatDragon) => {
            stride_core::interop::threat_dragon::import(&name, &text).map_err(|e| e.to_string())?
        }
        Some(Interop::Threagile) => import_threagile(path, &text)?,
        Some(Interop::Otm) => stride_core::interop::otm::import(&name, &parse_any(&name, &text)?)
            .map_err(|e| e.to_string())?,
        Some(Interop::Pytm) => {
            stride_core::interop::pytm::import(&name, &text).map_err(|e| e.to_string())?
        }
        Some(Interop::TmBom) => {
            stride_core::interop::tm_bom::import(&name, &text).map_err(|e| e.to_string())?
        }
    };
    for line in &imported.unmapped {
        eprintln!("note: {name}: {line}");
    }
    // Re-load through the validator, so imported models meet the same checks.
    let json = serde_json::to_string(&imported.model).map_err(|e| e.to_string())?;
    Model::load(&name, &json).map_err(|e| e.to_string())
}

/// Imports a Threagile model, reading `includes:` relative to it.
pub fn import_threagile(
    path: &std::path::Path,
    text: &str,
) -> Result<stride_core::interop::Imported, String> {
    let base = path
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let read = |inc: &str| crate::input::read_text(&crate::input::include_path(&base, inc)?);
    stride_core::interop::threagile::import(&path.display().to_string(), text, &read)
        .map_err(|e| e.to_string())
}

/// JSON or YAML into a JSON value.
pub fn parse_any(name: &str, text: &str) -> Result<serde_json::Value, String> {
    stride_core::limits::check_nesting(text, stride_core::limits::MAX_NESTING)
        .map_err(|e| format!("{name}:{}: {e}", e.line))?;
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))
    } else {
        serde_norway::from_str(text).map_err(|e| format!("{name}: {e}"))
    }
}

/// Threat Dragon v2 files are JSON with `summary` and `detail` objects.
pub fn is_threat_dragon(text: &str) -> bool {
    text.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(text)
            .is_ok_and(|v| v.get("summary").is_some() && v.get("detail").is_some())
}

/// Writes to a file, or to stdout. A reader that closed the pipe early
/// (`| head`) ends the program quietly with exit 0, as ripgrep does.
pub fn write_out(output: Option<&std::path::Path>, text: &str) -> Result<(), String> {
    match output {
        Some(p) => std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display())),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
                Err(e) => Err(format!("cannot write to stdout: {e}")),
            }
        }
    }
}

/// Whether text on stdout gets colour: a terminal, and `NO_COLOR` unset or
/// empty (<https://no-color.org>).
pub fn colour_stdout(output: Option<&std::path::Path>) -> bool {
    use std::io::IsTerminal;
    output.is_none()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal()
}

/// Today's date in UTC as YYYY-MM-DD.
pub fn today() -> String {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

/// Loads and analyses a model, applying accepted risks; warnings and
/// acceptance messages go to stderr.
pub fn analysed(
    model: &std::path::Path,
    accepted: Option<&std::path::Path>,
) -> Result<(stride_core::LoadedModel, Analysis), String> {
    analysed_with_acceptances(model, accepted).map(|(l, a, _)| (l, a))
}

/// [`analysed`], also returning the acceptances by finding id (for the
/// reports' residual-risk sections).
pub fn analysed_with_acceptances(
    model: &std::path::Path,
    accepted: Option<&std::path::Path>,
) -> Result<
    (
        stride_core::LoadedModel,
        Analysis,
        crate::markdown::Acceptances,
    ),
    String,
> {
    let mut by_id = crate::markdown::Acceptances::new();
    let loaded = load(model)?;
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    let mut analysis = analyze(&loaded.model, Catalog::builtin());
    if let Some(path) = accepted {
        let name = path.display().to_string();
        let text = crate::input::read_text(path)?;
        let entries = stride_core::parse_acceptances(&name, &text).map_err(|e| e.to_string())?;
        by_id.extend(entries.iter().map(|e| (e.id.clone(), e.clone())));
        let report = stride_core::apply_acceptances(&mut analysis, &entries, &today());
        for e in &report.expired {
            eprintln!("warning: {name}: acceptance of {e}: the threat is open again");
        }
        for e in &report.stale {
            eprintln!("warning: {name}: acceptance of {e} matches no threat (stale)");
        }
    }
    Ok((loaded, analysis, by_id))
}

/// The `--fail-on` gate: exit 1 when an open threat is at or above it.
pub fn gate(analysis: &Analysis, fail_on: Option<FailOn>) -> u8 {
    match fail_on {
        Some(f)
            if analysis
                .threats
                .iter()
                .any(|t| t.status == Status::Open && t.risk.severity >= f.severity()) =>
        {
            1
        }
        _ => 0,
    }
}

pub fn run_analyze(args: &AnalyzeArgs) -> Result<u8, String> {
    let (loaded, analysis, accepted) =
        analysed_with_acceptances(&args.model, args.accepted.as_deref())?;
    let opts = report::TextOptions {
        all: args.status.map(|s| s == StatusFilter::All),
        min_severity: args.min_severity.map(FailOn::severity),
        colour: colour_stdout(args.output.as_deref()),
    };
    let text = match args.format {
        AnalyzeFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&report::json_doc(&loaded, &analysis))
                .map_err(|e| e.to_string())?
        ),
        AnalyzeFormat::Text => report::text(&loaded, &analysis, opts),
        AnalyzeFormat::Csv => report::csv(
            &analysis,
            report::TextOptions {
                all: Some(opts.all.unwrap_or(true)),
                ..opts
            },
        ),
        AnalyzeFormat::Markdown => crate::markdown::markdown(&loaded, &analysis, &accepted),
        AnalyzeFormat::Html => crate::html::html(&loaded, &analysis, &accepted),
        AnalyzeFormat::Sarif => format!(
            "{}\n",
            serde_json::to_string_pretty(&crate::sarif::sarif(
                &loaded,
                &analysis,
                &args.model.display().to_string()
            ))
            .map_err(|e| e.to_string())?
        ),
    };
    write_out(args.output.as_deref(), &text)?;
    Ok(gate(&analysis, args.fail_on))
}

/// Appends a line to a `String` (printing goes through [`write_out`], which
/// ends quietly on a closed pipe).
macro_rules! outln {
    ($o:expr, $($t:tt)*) => {{
        $o.push_str(&format!($($t)*));
        $o.push('\n');
    }};
}

pub fn run_component(args: &ComponentArgs) -> Result<u8, String> {
    let mut out = String::new();
    let code = component_into(args, &mut out)?;
    write_out(None, &out)?;
    Ok(code)
}

fn component_into(args: &ComponentArgs, out: &mut String) -> Result<u8, String> {
    if args.list {
        match args.format {
            TextOrJson::Json => outln!(
                out,
                "{}",
                json!({ "types": ComponentType::ALL.iter().map(|t| json!({"type": t.as_str(), "kind": stride_core::element_kind_name(t.default_kind())})).collect::<Vec<_>>() })
            ),
            TextOrJson::Text => {
                for t in ComponentType::ALL {
                    outln!(out, "{t}");
                }
            }
        }
        return Ok(0);
    }
    let name = args.component_type.as_deref().unwrap_or("generic");
    let ctype: ComponentType = name
        .parse()
        .map_err(|e: ParseComponentTypeError| e.to_string())?;
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
        TextOrJson::Json => outln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json!({ "type": ctype.as_str(), "threats": threats }))
                .map_err(|e| e.to_string())?
        ),
        TextOrJson::Text => {
            outln!(out, "{} threats to a {ctype}:\n", threats.len());
            for t in &threats {
                out.push_str(&report::finding_line(t));
            }
        }
    }
    Ok(0)
}

pub fn run_rules(args: &RulesArgs) -> Result<u8, String> {
    let mut out = String::new();
    let code = rules_into(args, &mut out)?;
    write_out(None, &out)?;
    Ok(code)
}

fn rules_into(args: &RulesArgs, text: &mut String) -> Result<u8, String> {
    let rules = Catalog::builtin().rules();
    if let Some(RulesCommand::Show { id }) = &args.command {
        let r = Catalog::builtin().get(id).ok_or_else(|| {
            format!("no rule has the id {id:?} (`threat-modeler rules` lists them)")
        })?;
        let conds = |c: &[stride_core::condition::Condition]| {
            c.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        };
        let mut out = format!(
            "{}  {}  ({:?} rule{})\n{}\n\n{}\n\nwhen:          {}\n",
            r.id,
            r.stride,
            r.scope,
            if r.baseline { ", baseline" } else { "" },
            r.title,
            r.description,
            conds(&r.when)
        );
        if !r.any.is_empty() {
            out.push_str(&format!("any of:        {}\n", conds(&r.any)));
        }
        out.push_str(&format!("mitigated by:  {}\nCWE:           {:?}\nCAPEC:         {:?}\nDREAD default: {:?}\nmitigations:\n", r.mitigated_by.join(", "), r.cwe, r.capec, r.dread));
        for m in &r.mitigations {
            out.push_str(&format!("  {}: {} — {}\n", m.id, m.title, m.text));
        }
        out.push_str(&format!(
            "\nfires on:\n{}\nquiet on:\n{}",
            r.examples.fires, r.examples.quiet
        ));
        text.push_str(&out);
        return Ok(0);
    }
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
            outln!(
                text,
                "{}",
                serde_json::to_string_pretty(&json!({ "rules": list }))
                    .map_err(|e| e.to_string())?
            );
        }
        TextOrJson::Text => {
            for r in rules {
                outln!(text, "{:<12} {:<23} {}", r.id, r.stride.as_str(), r.title);
            }
            outln!(text, "{} rules", rules.len());
        }
    }
    Ok(0)
}
