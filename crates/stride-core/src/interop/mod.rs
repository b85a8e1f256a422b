//! Reading and writing the threat-model formats users already have.
//!
//! Every importer has one signature, [`Importer`]: it takes the file's name
//! and text (and a reader for the files it includes, which only Threagile
//! follows), parses the text itself into `#[derive(Deserialize)]` structs
//! describing its format's fields (with the lenient field types of
//! `lenient.rs`), and returns the model and one [`Unmapped`] per thing it
//! could not map. A structurally broken file is an [`ImportError`], never a
//! panic. The model is not validated
//! here: [`Model::check`](crate::Model::check) does that.

pub mod curves;
mod error;
pub(crate) mod lenient;
pub mod otm;
pub mod pytm;
pub mod slug;
pub mod threagile;
pub mod threat_dragon;
pub mod threat_dragon_v1;
pub mod tm_bom;
mod unmapped;

pub use error::{Format, ImportError};
pub use unmapped::{Thing, Unmapped};

use crate::model::Model;

/// An imported model and what did not map.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The model, not yet validated.
    pub model: Model,
    /// One entry per thing that could not be mapped.
    pub unmapped: Vec<Unmapped>,
}

impl Imported {
    /// What did not map, one line each.
    pub fn lines(&self) -> Vec<String> {
        self.unmapped.iter().map(ToString::to_string).collect()
    }
}

/// Reads the files a model includes (Threagile's `includes:`).
pub trait IncludeReader {
    /// The text of `path` (as the model writes it, relative to the model),
    /// or why it cannot be read.
    fn read(&self, path: &str) -> Result<String, String>;
}

impl<F: Fn(&str) -> Result<String, String>> IncludeReader for F {
    fn read(&self, path: &str) -> Result<String, String> {
        self(path)
    }
}

/// A reader for models read without their includes: every include is
/// refused.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoIncludes;

impl IncludeReader for NoIncludes {
    fn read(&self, _: &str) -> Result<String, String> {
        Err("includes are not read here".into())
    }
}

/// The signature every importer has: the file's name (for messages), its
/// text, and a reader for what it includes.
pub type Importer = fn(&str, &str, &dyn IncludeReader) -> Result<Imported, ImportError>;

impl Format {
    /// The importer of this format (both Threat Dragon versions share one,
    /// which tells them apart).
    pub fn importer(self) -> Importer {
        match self {
            Format::Otm => otm::import,
            Format::Threagile => threagile::import,
            Format::ThreatDragon | Format::ThreatDragonV1 | Format::ThreatDragonV2 => {
                threat_dragon::import
            }
            Format::Pytm => pytm::import,
            Format::TmBom => tm_bom::import,
        }
    }
}

/// Which other tool's format `text` is in, from its content: pytm and
/// TM-BOM JSON by their keys, Threat Dragon by its `summary` and `detail`
/// objects, Threagile YAML by `technical_assets`, OTM by `otmVersion`.
/// `None` means our own format (which [`Model::load`](crate::Model::load)
/// then reads, and reports on if it is not).
///
/// Cost: at most one JSON parse of the text (only when it starts with
/// `{`), then substring searches.
///
/// ```
/// use stride_core::interop::{Format, detect};
///
/// assert_eq!(detect("{\"summary\": {}, \"detail\": {}}"), Some(Format::ThreatDragon));
/// assert_eq!(detect("title: Shop\ntechnical_assets:\n"), Some(Format::Threagile));
/// assert_eq!(detect("name: Shop\nelements: []\n"), None);
/// ```
pub fn detect(text: &str) -> Option<Format> {
    let json_like = text.trim_start().starts_with('{');
    if json_like
        && crate::limits::check_nesting(text, crate::limits::MAX_NESTING).is_ok()
        && let Ok(doc) = serde_json::from_str::<serde_json::Value>(text)
    {
        if pytm::is_pytm(&doc) {
            return Some(Format::Pytm);
        }
        if tm_bom::is_tm_bom(&doc) {
            return Some(Format::TmBom);
        }
        if doc.get("summary").is_some() && doc.get("detail").is_some() {
            return Some(Format::ThreatDragon);
        }
    }
    if !json_like && text.contains("technical_assets") {
        Some(Format::Threagile)
    } else if text.contains("otmVersion") {
        Some(Format::Otm)
    } else {
        None
    }
}
