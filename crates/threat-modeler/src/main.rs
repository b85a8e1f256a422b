//! `threat-modeler`: threat modeling as code. A thin binary over
//! `stride-core` (models, the STRIDE engine) and `dread` (risk scores): it
//! parses arguments, calls the libraries and prints.
//!
//! Exit codes: 0 done; 1 a `--fail-on` gate tripped; 2 invalid input or
//! arguments (one line on stderr, never a backtrace).

#[macro_use]
mod output;

mod analyze;
mod component;
mod coverage;
mod dfd;
mod dfd_cmd;
mod diff;
mod docs_cmd;
mod export;
mod html;
mod import;
mod init;
mod input;
mod interactive;
mod layout;
mod markdown;
mod path_diff;
mod paths;
mod report;
mod rules;
mod sarif;
mod score;
mod svg;
mod tree;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

/// Threat modeling as code: STRIDE analysis and risk scoring.
#[derive(Debug, Parser)]
#[command(name = "threat-modeler", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The format of model files (default: detected from the content).
    #[arg(long, value_enum, global = true, value_name = "FORMAT")]
    input_format: Option<input::Interop>,
    /// Follow Threagile `includes:` outside the model's directory (absolute
    /// paths, `..`, links out); by default they are refused.
    #[arg(long, global = true)]
    allow_includes_outside: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse a model: every STRIDE threat, with mitigations and risk.
    Analyze(analyze::AnalyzeArgs),
    /// What threatens a component of this type (no model needed).
    Component(component::ComponentArgs),
    /// List the threat rules.
    Rules(rules::RulesArgs),
    /// The element x STRIDE coverage matrix: findings, mitigating controls, or N/A and why.
    Coverage(coverage::CoverageArgs),
    /// Draw the data-flow diagram (Graphviz DOT or Mermaid).
    Dfd(dfd_cmd::DfdArgs),
    /// Threats added, removed and changed between two versions of a model.
    Diff(diff::DiffArgs),
    /// Convert a model from another tool into ours (YAML).
    Import(import::ImportArgs),
    /// Write our model, with its findings, in another tool's format.
    Export(export::ExportArgs),
    /// Write a commented example model.
    Init(init::InitArgs),
    /// Build a model by answering questions, then analyse it.
    Interactive(interactive::InteractiveArgs),
    /// Score a risk with DREAD, the OWASP Risk Rating Methodology or CVSS.
    Score(score::ScoreArgs),
    /// Compute an attack tree: probability, cost, skill, cheapest and likeliest ways, cut sets.
    Tree(tree::TreeArgs),
    /// Attack paths from untrusted entry points to sensitive data, ranked, with their cut.
    Paths(paths::PathsArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of the command, or of one subcommand.
    Man {
        /// A subcommand (e.g. `analyze`); the main page when absent.
        subcommand: Option<String>,
    },
}

/// Text for people, JSON for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    /// Human-readable text.
    Text,
    /// One JSON document.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let input = input::Input {
        format: cli.input_format,
        allow_includes_outside: cli.allow_includes_outside,
    };
    let result = match &cli.command {
        Command::Analyze(args) => analyze::run(args, &input),
        Command::Component(args) => component::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Coverage(args) => coverage::run(args, &input),
        Command::Dfd(args) => dfd_cmd::run(args, &input),
        Command::Diff(args) => diff::run(args, &input),
        Command::Import(args) => import::run(args, &input),
        Command::Export(args) => export::run(args, &input),
        Command::Init(args) => init::run(args),
        Command::Interactive(args) => interactive::run(args),
        Command::Score(args) => score::run(args),
        Command::Tree(args) => tree::run(args, &input),
        Command::Paths(args) => paths::run(args, &input),
        Command::Completions { shell } => docs_cmd::completions(Cli::command(), *shell).map(|()| 0),
        Command::Man { subcommand } => {
            docs_cmd::man(Cli::command(), subcommand.as_deref()).map(|()| 0)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("threat-modeler: error: {message}");
            ExitCode::from(2)
        }
    }
}
