//! The parallel secret-scanning engine.
//!
//! This crate will own the gitignore-aware walk, the aho-corasick keyword
//! prefilter built from a `secret-patterns` catalogue, the regex confirmation
//! of candidates and the findings pushed to a caller-supplied sink.
//!
//! The API lands with the `secret-scan` issue; nothing is exported yet.
#![deny(missing_docs)]
