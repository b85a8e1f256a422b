//! `threat-modeler dfd MODEL`: the data-flow diagram (the drawing itself is
//! in `dfd.rs`).

use std::path::PathBuf;

use clap::Args;

use crate::input::Input;
use crate::output::write_out;
use crate::{dfd, report};

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

pub fn run(args: &DfdArgs, input: &Input) -> Result<u8, String> {
    let (loaded, worst) = if args.color_by == ColorBy::Risk {
        let (loaded, analysis) = input.analysed(&args.model, None)?;
        (loaded, Some(report::worst_open(&analysis)))
    } else {
        (input.load(&args.model)?, None)
    };
    let text = match args.format {
        DfdFormat::Dot => dfd::dot(&loaded.model, worst.as_ref()),
        DfdFormat::Mermaid => dfd::mermaid(&loaded.model, worst.as_ref()),
    };
    write_out(args.output.as_deref(), &text)?;
    Ok(0)
}
