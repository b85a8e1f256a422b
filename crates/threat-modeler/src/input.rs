//! Reading the files the tool is given: models, includes, acceptance files.
//!
//! Every read is bounded ([`MAX_INPUT_BYTES`]): `/dev/zero`, a FIFO or a
//! huge file is refused with one line instead of growing memory until the
//! process dies. Threagile `includes:` are followed only to files under the
//! model's directory unless `--allow-includes-outside` is given.

use std::io::Read;
use std::path::{Path, PathBuf};

use stride_core::limits::MAX_INPUT_BYTES;

/// Whether `--allow-includes-outside` was given.
pub static ALLOW_INCLUDES_OUTSIDE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

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
/// `--allow-includes-outside`.
pub fn include_path(base: &Path, include: &str) -> Result<PathBuf, String> {
    let path = base.join(include);
    if ALLOW_INCLUDES_OUTSIDE.get().copied().unwrap_or(false) {
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
