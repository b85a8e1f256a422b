//! The catalogue of secret-detection rules, kept as data.
//!
//! This crate will own the rule format (TOML files embedded at build time), the
//! typed `Rule` values parsed from it, the keyword, regex, randomness and
//! checksum checks that decide whether a candidate is a real credential, and
//! the positive and negative examples every rule carries.
//!
//! The API lands with the `secret-patterns` issue; nothing is exported yet.
#![deny(missing_docs)]
