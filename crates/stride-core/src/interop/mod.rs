//! Reading and writing the threat-model formats users already have.
//!
//! Each importer returns the model and one line per thing it could not map;
//! a structurally broken file is an error, never a panic.

pub mod curves;
pub mod otm;
pub mod pytm;
pub mod slug;
pub mod threagile;
pub mod threat_dragon;
pub mod threat_dragon_v1;
pub mod tm_bom;

use crate::model::Model;

/// An imported model and what did not map.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The model.
    pub model: Model,
    /// One line per thing that could not be mapped.
    pub unmapped: Vec<String>,
}

/// A file the importer cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ImportError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}
