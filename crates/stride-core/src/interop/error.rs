//! Why an importer refused a file.

use std::fmt;

/// The format (and, for Threat Dragon, the version) an error is about: it
/// gives the error's prefix (`pytm: `, `Threat Dragon v1: `).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Open Threat Model.
    Otm,
    /// Threagile YAML.
    Threagile,
    /// OWASP Threat Dragon, before its version is known.
    ThreatDragon,
    /// OWASP Threat Dragon v1.
    ThreatDragonV1,
    /// OWASP Threat Dragon v2.
    ThreatDragonV2,
    /// pytm's JSON model.
    Pytm,
    /// The Threat Model Library's TM-BOM.
    TmBom,
}

impl Format {
    /// What the format's errors start with.
    fn prefix(self) -> &'static str {
        match self {
            Format::Otm | Format::Threagile => "",
            Format::ThreatDragon => "Threat Dragon: ",
            Format::ThreatDragonV1 => "Threat Dragon v1: ",
            Format::ThreatDragonV2 => "Threat Dragon v2: ",
            Format::Pytm => "pytm: ",
            Format::TmBom => "TM-BOM: ",
        }
    }
}

/// A file the importer cannot read. Displayed as one line starting with
/// the file's name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportError {
    /// Nested deeper than [`crate::limits::MAX_NESTING`]: refused before
    /// parsing.
    TooDeep {
        /// The file.
        file: String,
        /// Its format.
        format: Format,
        /// Where the limit was passed.
        error: crate::limits::TooDeep,
    },
    /// Not JSON (or YAML, for the formats written in YAML).
    Syntax {
        /// The file.
        file: String,
        /// Its format.
        format: Format,
        /// The parser's message.
        message: String,
    },
    /// Parsed, but not a document of the format.
    NotTheFormat {
        /// The file.
        file: String,
        /// The format it was read as.
        format: Format,
        /// What gives it away (`no technical_assets`).
        why: &'static str,
    },
    /// A part every document of the format has is missing or of the wrong
    /// type, or the document breaks one of the format's rules.
    Malformed {
        /// The file.
        file: String,
        /// Its format.
        format: Format,
        /// What is wrong, naming the part (`detail.diagrams is missing`).
        problem: String,
    },
    /// An included file cannot be read.
    Unreadable {
        /// The including file.
        file: String,
        /// The include, as written.
        include: String,
        /// Why the reader could not read it.
        reason: String,
    },
    /// An included file is refused (its `file` is the include as written).
    Include {
        /// The including file.
        file: String,
        /// Why the include is refused.
        error: Box<ImportError>,
    },
}

impl ImportError {
    /// The file named first in the message.
    pub fn file(&self) -> &str {
        match self {
            ImportError::TooDeep { file, .. }
            | ImportError::Syntax { file, .. }
            | ImportError::NotTheFormat { file, .. }
            | ImportError::Malformed { file, .. }
            | ImportError::Unreadable { file, .. }
            | ImportError::Include { file, .. } => file,
        }
    }

    /// The message after the file's name.
    fn detail(&self) -> String {
        match self {
            ImportError::TooDeep { format, error, .. } => match format {
                Format::Otm => error.to_string(),
                _ => format!("{}line {}: {error}", format.prefix(), error.line),
            },
            ImportError::Syntax {
                format, message, ..
            } => match format {
                Format::Otm | Format::Threagile => message.clone(),
                _ => format!("{}not JSON: {message}", format.prefix()),
            },
            ImportError::NotTheFormat { format, why, .. } => {
                format!("{}{why}", format.prefix())
            }
            ImportError::Malformed {
                format, problem, ..
            } => format!("{}{problem}", format.prefix()),
            ImportError::Unreadable {
                include, reason, ..
            } => format!("includes: {include}: {reason}"),
            ImportError::Include { error, .. } => {
                format!("includes: {}: {}", error.file(), error.detail())
            }
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // As our own loader writes it: `file:line: message`.
            ImportError::TooDeep {
                file,
                format: Format::Otm,
                error,
            } => write!(f, "{file}:{}: {error}", error.line),
            _ => write!(f, "{}: {}", self.file(), self.detail()),
        }
    }
}

impl std::error::Error for ImportError {}
