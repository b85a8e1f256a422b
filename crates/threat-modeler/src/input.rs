//! Reading the files the tool is given: models, includes, acceptance files.
//!
//! Every read is bounded ([`MAX_INPUT_BYTES`]): `/dev/zero`, a FIFO or a
//! huge file is refused with one line instead of growing memory until the
//! process dies. Threagile `includes:` are followed only to files under the
//! model's directory unless `--allow-includes-outside` is given.

use std::io::Read;
use std::path::{Path, PathBuf};

use stride_core::interop::Imported;
use stride_core::limits::MAX_INPUT_BYTES;
use stride_core::{Analysis, Catalog, LoadedModel, Model, analyze};

/// Formats `import` reads and `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Interop {
    /// OWASP Threat Dragon JSON (v2; v1 is read too).
    ThreatDragon,
    /// Open Threat Model 0.2.0 (JSON or YAML).
    Otm,
    /// Threagile YAML (import only; `includes:` are followed).
    Threagile,
    /// pytm's JSON model, from `tm.py --json FILE` (import only).
    Pytm,
    /// TM-BOM, the OWASP Threat Model Library's JSON format.
    TmBom,
}

/// How model files are read: the global options `--input-format` and
/// `--allow-includes-outside`, handed to every subcommand that loads a
/// model (no global state).
#[derive(Debug, Clone, Copy, Default)]
pub struct Input {
    /// The format given with `--input-format` (`None`: detected from the
    /// content).
    pub format: Option<Interop>,
    /// Whether Threagile includes may leave the model's directory.
    pub allow_includes_outside: bool,
}

/// Reads a UTF-8 text file of at most [`MAX_INPUT_BYTES`]; errors name it.
pub fn read_text(path: &Path) -> Result<String, String> {
    let name = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "{name}: larger than {} MiB: refused (a model file is far smaller)",
            MAX_INPUT_BYTES / (1024 * 1024)
        ));
    }
    String::from_utf8(bytes).map_err(|e| format!("{name}: not UTF-8 text: {e}"))
}

/// The file a Threagile include names, if it may be read: under `base`
/// (the model's directory, symbolic links resolved), or anywhere with
/// `--allow-includes-outside` (`anywhere`).
pub fn include_path(base: &Path, include: &str, anywhere: bool) -> Result<PathBuf, String> {
    let path = base.join(include);
    if anywhere {
        return Ok(path);
    }
    let dir = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let root = dir
        .canonicalize()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let real = path.canonicalize().map_err(|e| e.to_string())?;
    if real.starts_with(&root) {
        Ok(real)
    } else {
        Err(format!(
            "outside the model's directory ({}): not followed (`--allow-includes-outside` allows it)",
            root.display()
        ))
    }
}

impl Input {
    /// What a model file is: the `--input-format` given, or detected from
    /// its content (`None`: our own format).
    pub fn detect(&self, text: &str) -> Option<Interop> {
        self.format.or_else(|| detect(text))
    }

    /// Loads a model file in our format or, converted, in another tool's;
    /// what did not map is printed one line each.
    pub fn load(&self, path: &Path) -> Result<LoadedModel, String> {
        let name = path.display().to_string();
        let text = read_text(path)?;
        let Some(format) = self.detect(&text) else {
            return Model::load(&name, &text).map_err(|e| e.to_string());
        };
        let imported = self.import(format, path, &text)?;
        for line in &imported.unmapped {
            eprintln!("note: {name}: {line}");
        }
        // Imported models meet the same checks as ours.
        Model::check(&name, imported.model).map_err(|e| e.to_string())
    }

    /// Converts `text`, read from `path`, from another tool's format.
    pub fn import(&self, format: Interop, path: &Path, text: &str) -> Result<Imported, String> {
        use stride_core::interop::Format;
        let import = match format {
            Interop::ThreatDragon => Format::ThreatDragon,
            Interop::Otm => Format::Otm,
            Interop::Pytm => Format::Pytm,
            Interop::TmBom => Format::TmBom,
            Interop::Threagile => Format::Threagile,
        }
        .importer();
        // Includes (Threagile's `includes:`) are read relative to the model.
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let anywhere = self.allow_includes_outside;
        let read = |inc: &str| read_text(&include_path(&base, inc, anywhere)?);
        import(&path.display().to_string(), text, &read).map_err(|e| e.to_string())
    }

    /// Loads and analyses a model, applying accepted risks; warnings and
    /// acceptance messages go to stderr.
    pub fn analysed(
        &self,
        model: &Path,
        accepted: Option<&Path>,
    ) -> Result<(LoadedModel, Analysis), String> {
        self.analysed_with_acceptances(model, accepted)
            .map(|(l, a, _)| (l, a))
    }

    /// [`Input::analysed`], also returning the acceptances by finding id
    /// (for the reports' residual-risk sections).
    pub fn analysed_with_acceptances(
        &self,
        model: &Path,
        accepted: Option<&Path>,
    ) -> Result<(LoadedModel, Analysis, crate::markdown::Acceptances), String> {
        let mut by_id = crate::markdown::Acceptances::new();
        let loaded = self.load(model)?;
        for w in &loaded.warnings {
            eprintln!("warning: {w}");
        }
        let mut analysis = analyze(&loaded.model, Catalog::builtin());
        if let Some(path) = accepted {
            let name = path.display().to_string();
            let text = read_text(path)?;
            let entries =
                stride_core::parse_acceptances(&name, &text).map_err(|e| e.to_string())?;
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
}

/// What a model file's content says it is (`None`: our own format).
fn detect(text: &str) -> Option<Interop> {
    use stride_core::interop::Format;
    Some(match stride_core::interop::detect(text)? {
        Format::Otm => Interop::Otm,
        Format::Threagile => Interop::Threagile,
        Format::Pytm => Interop::Pytm,
        Format::TmBom => Interop::TmBom,
        Format::ThreatDragon | Format::ThreatDragonV1 | Format::ThreatDragonV2 => {
            Interop::ThreatDragon
        }
        // A format the library learns later and this tool does not know:
        // read as ours, whose loader then says what is wrong.
        _ => return None,
    })
}

/// Today's date in UTC as YYYY-MM-DD (for accepted risks' expiry).
pub fn today() -> String {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}
