//! `threat-modeler coverage MODEL`: the element × STRIDE matrix.

use std::path::PathBuf;

use clap::Args;

use crate::input::Input;
use crate::output::write_out;
use crate::{TextOrJson, report};

#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// The model file.
    model: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

pub fn run(args: &CoverageArgs, input: &Input) -> Result<u8, String> {
    let (loaded, analysis) = input.analysed(&args.model, None)?;
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
