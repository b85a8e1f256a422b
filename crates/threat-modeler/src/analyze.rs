//! `threat-modeler analyze MODEL`: every STRIDE threat of a model, in the
//! format asked for, with the `--fail-on` gate.

use clap::Args;
use stride_core::{Analysis, Status};

use crate::input::Input;
use crate::output::{colour_stdout, write_out};
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

pub fn run(args: &AnalyzeArgs, input: &Input) -> Result<u8, String> {
    let (loaded, analysis, accepted) =
        input.analysed_with_acceptances(&args.model, args.accepted.as_deref())?;
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
