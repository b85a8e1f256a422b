//! The catalogue of secret-detection rules, kept as data.
//!
//! # Brief overview
//!
//! A [`Rule`] describes one kind of credential: the literal
//! [keywords](Rule::keywords) every match contains, a [regex](Rule::regex)
//! whose `secret` group is the credential, and the filters that tell a real
//! credential from a look-alike: an allow list, the catalogue-wide
//! [placeholder list](filters::placeholder), randomness tests
//! ([entropy](filters::entropy)) and an offline [validator](filters::validator)
//! such as the CRC-32 checksum GitHub and npm embed in their tokens.
//!
//! A [`Catalog`] holds rules with unique ids. [`Catalog::builtin`] loads the
//! rule files under this crate's `rules/` folder, embedded at build time; users
//! add their own with [`Catalog::from_toml`] (format in `docs/rules.md`) or
//! bring a gitleaks configuration with [`Catalog::from_gitleaks_toml`].
//!
//! This crate decides *what* a secret is. Reading files, the keyword prefilter
//! and reporting belong to the `secret-scan` crate.
//!
//! # Example
//!
//! Run one rule over a buffer and look at each candidate's verdict:
//!
//! ```
//! use secret_patterns::{Catalog, Filter};
//!
//! let catalog = Catalog::builtin();
//! let rule = catalog.get("github-pat-classic").expect("built-in rule");
//!
//! // A token whose last six characters are not the CRC-32 of the rest.
//! let text = b"GITHUB_TOKEN=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
//! let results = rule.find_all(text, None);
//! assert_eq!(results.len(), 1);
//! let rejection = results[0].1.as_ref().unwrap_err();
//! assert_eq!(rejection.filter, Filter::Validator);
//! assert!(rejection.reason.contains("checksum mismatch"));
//! ```
//!
//! # Cost
//!
//! Every regex is compiled once, when the catalogue is built, with a size
//! limit of 16 MiB per regex, so a custom rule cannot make compilation
//! unbounded. Matching is linear in the input (the `regex` crate guarantees
//! it); filters are linear in the length of a candidate.
#![deny(missing_docs)]

mod builtin;
mod catalog;
mod error;
pub mod filters;
pub mod gitleaks;
mod rule;
mod severity;
mod spec;

pub use catalog::Catalog;
pub use error::Error;
pub use filters::{Filter, Rejection};
pub use rule::{Candidate, DEFAULT_MAX_MATCH_LEN, Rule};
pub use severity::{ParseSeverityError, Severity};
pub use spec::{AllowTarget, Confidence, Example, NegativeExample, Pair};
