//! The readers of each format, all over bytes in memory.

use std::io::{Cursor, Read};

use super::{ArchiveKind, Expander, Stop, archive_kind};
use crate::finding::SkipReason;

/// Memory the xz decoder may use for its dictionary (KiB): enough for every
/// preset `xz` writes (`-9` uses 64 MiB).
const XZ_MEM_LIMIT_KIB: u32 = 96 * 1024;

/// Every file of a zip, in central-directory order.
pub(super) fn zip(
    x: &mut Expander<'_>,
    prefix: &str,
    bytes: &[u8],
    depth: usize,
) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    for i in 0..archive.len() {
        let name = archive.name_for_index(i).unwrap_or("").to_string();
        let path = format!("{prefix}{name}");
        if name.ends_with('/') {
            continue;
        }
        let file = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                x.skip(
                    &path,
                    SkipReason::BadArchive {
                        error: e.to_string(),
                    },
                );
                continue;
            }
        };
        if file.is_dir() || file.is_symlink() {
            continue;
        }
        if !x.count_member(&path) {
            break;
        }
        let compressed = file.compressed_size();
        if let Err(detail) = x.check_declared(file.size(), compressed) {
            x.skip(&path, SkipReason::ArchiveLimit { detail });
            continue;
        }
        x.member(&path, file, compressed, depth);
    }
    Ok(())
}

/// Every regular file of a tar, in order.
pub(super) fn tar(
    x: &mut Expander<'_>,
    prefix: &str,
    bytes: &[u8],
    depth: usize,
) -> Result<(), String> {
    let mut archive = tar::Archive::new(bytes);
    let entries = archive.entries().map_err(|e| e.to_string())?;
    let mut read_any = false;
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if !read_any => return Err(e.to_string()),
            Err(e) => {
                // Damaged past this point: what came before stands.
                let at = format!("{prefix}(after the last member read)");
                x.skip(
                    &at,
                    SkipReason::BadArchive {
                        error: e.to_string(),
                    },
                );
                break;
            }
        };
        read_any = true;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let path = format!("{prefix}{name}");
        if !x.count_member(&path) {
            break;
        }
        let size = entry.size();
        if let Err(detail) = x.check_declared(size, size) {
            x.skip(&path, SkipReason::ArchiveLimit { detail });
            continue;
        }
        x.member(&path, entry, size, depth);
    }
    Ok(())
}

/// The name of what a compressed file holds: `app.env.gz` → `app.env`,
/// `site.tgz` → `site.tar`.
fn inner_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    for (ext, replace) in [
        (".tgz", ".tar"),
        (".tbz2", ".tar"),
        (".tbz", ".tar"),
        (".txz", ".tar"),
        (".gz", ""),
        (".bz2", ""),
        (".xz", ""),
    ] {
        if lower.ends_with(ext) && name.len() > ext.len() {
            return format!("{}{replace}", &name[..name.len() - ext.len()]);
        }
    }
    name.to_string()
}

/// A gzip, bzip2 or xz stream: one member, or the members of the tar it
/// holds (at the same level: `site.tar.gz!index.html`).
pub(super) fn stream(
    x: &mut Expander<'_>,
    prefix: &str,
    name: &str,
    bytes: &[u8],
    kind: ArchiveKind,
    depth: usize,
) -> Result<(), String> {
    let reader: Box<dyn Read + '_> = match kind {
        ArchiveKind::Gzip => Box::new(flate2::read::MultiGzDecoder::new(bytes)),
        ArchiveKind::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(bytes)),
        _ => Box::new(lzma_rust2::XzReader::new_mem_limit(
            bytes,
            true,
            XZ_MEM_LIMIT_KIB,
        )),
    };
    let path = format!("{prefix}{}", inner_name(name));
    if !x.count_member(&path) {
        return Ok(());
    }
    let data = match x.read(reader, bytes.len() as u64) {
        Ok(d) => d,
        Err(Stop::Limit(detail)) => {
            x.skip(&path, SkipReason::ArchiveLimit { detail });
            return Ok(());
        }
        Err(Stop::Io(error)) => return Err(error),
    };
    if archive_kind(&data) == Some(ArchiveKind::Tar) {
        if let Err(error) = tar(x, prefix, &data, depth) {
            x.skip(&path, SkipReason::BadArchive { error });
        }
    } else {
        x.contents(&path, &data, depth);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn compressed_files_are_named_after_what_they_hold() {
        assert_eq!(super::inner_name("app.env.gz"), "app.env");
        assert_eq!(super::inner_name("site.TGZ"), "site.tar");
        assert_eq!(super::inner_name("x.tar.xz"), "x.tar");
        assert_eq!(super::inner_name("blob"), "blob");
        assert_eq!(super::inner_name(".gz"), ".gz");
    }
}
