//! `threat-modeler export --to FORMAT MODEL`: our model and its findings in
//! another tool's format.

use std::path::PathBuf;

use clap::Args;

use crate::input::{Input, Interop};
use crate::output::write_out;

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

pub fn run(args: &ExportArgs, input: &Input) -> Result<u8, String> {
    let (loaded, analysis) = input.analysed(&args.model, None)?;
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
