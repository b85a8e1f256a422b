//! Bounded reads of configuration files: rules, gitleaks configurations,
//! baselines and ignore files. A file named by mistake (`/dev/zero`, a
//! multi-gigabyte log) is refused with one line instead of filling memory.

use std::io::Read;
use std::path::Path;

/// The largest configuration file read: 16 MiB, far above any real rule
/// file or baseline.
pub const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// Reads `path` as UTF-8, at most [`MAX_CONFIG_BYTES`]; `what` names the
/// file's role in the error (`--config`, `--baseline`...).
pub fn read_config(path: &Path, what: &str) -> Result<String, String> {
    read_bounded(path, what, MAX_CONFIG_BYTES)
}

fn read_bounded(path: &Path, what: &str, limit: u64) -> Result<String, String> {
    let name = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{name}: {what} file is larger than {} MiB; is it the right file?",
            limit >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|e| format!("{name}: not UTF-8 text: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_reads_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; 1025]).unwrap();
        let err = read_bounded(&big, "--config", 1024).unwrap_err();
        assert!(err.contains("--config file is larger than"), "{err}");
        assert_eq!(read_bounded(&big, "--config", 2048).unwrap().len(), 1025);
    }
}
