//! `threat-modeler import --from FORMAT FILE`: another tool's model as ours
//! (YAML), checked before it is written.

use std::path::PathBuf;

use clap::Args;

use crate::input::{Input, Interop};
use crate::output::write_out;

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

pub fn run(args: &ImportArgs, input: &Input) -> Result<u8, String> {
    let name = args.file.display().to_string();
    let text = crate::input::read_text(&args.file)?;
    let imported = input.import(args.from, &args.file, &text)?;
    for line in &imported.unmapped {
        eprintln!("not mapped: {line}");
    }
    // Never write a model our own loader would refuse (a component without
    // an id, a flow to nowhere): check it as `analyze` checks it.
    let loaded = stride_core::Model::check(&name, imported.model).map_err(|e| {
        format!(
            "{name}: the imported model is invalid, nothing written: {}: {}",
            e.path, e.problem
        )
    })?;
    let yaml = serde_norway::to_string(&loaded.model).map_err(|e| e.to_string())?;
    write_out(args.output.as_deref(), &yaml)?;
    Ok(0)
}
