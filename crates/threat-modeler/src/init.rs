//! `threat-modeler init [PATH]`: writes a commented example model.

use std::path::PathBuf;

use clap::Args;

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

pub fn run(args: &InitArgs) -> Result<u8, String> {
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
