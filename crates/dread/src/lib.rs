//! Risk scoring for threat models: every score a threat model needs, each
//! exact and tested on published examples.
//!
//! # Brief overview
//!
//! Every method maps to one shared [`Severity`]
//! (`None < Low < Medium < High < Critical`):
//!
//! - [`DreadScore`]: the five DREAD factors (Damage, Reproducibility,
//!   Exploitability, Affected users, Discoverability) rated 0-10 with an
//!   optional rationale each; the score is their mean under a
//!   [`DreadVariant`] (standard, DREAD-D, assume-discoverable); levels
//!   ≥ 8 Critical, ≥ 6 High, ≥ 4 Medium, else Low. Compact form
//!   `D:8/R:6/E:7/A:9/D:5`.
//! - [`OwaspRisk`]: the OWASP Risk Rating Methodology's sixteen 0-9 factors,
//!   likelihood and technical/business impact means, [`Level`]s and the
//!   published severity matrix, parsed from the OWASP calculator's vector.
//! - [`CvssScore`]: CVSS v3.0, v3.1 and v4.0 base scores through RustSec's
//!   `cvss` crate, refusing incomplete vectors.
//! - [`RiskMatrix`]: the 5x5 likelihood x impact matrix of our earlier
//!   tooling.
//!
//! Every public type is serde-serialisable; every error is an [`Error`]
//! naming the factor or metric at fault; no input makes this crate panic.
//!
//! # Example
//!
//! ```
//! use dread::{CvssScore, DreadScore, DreadVariant, OwaspRisk, Severity};
//!
//! let dread: DreadScore = "D:8/R:6/E:7/A:9/D:5".parse()?;
//! assert_eq!(dread.score(DreadVariant::Standard), 7.0);
//! assert_eq!(dread.severity(DreadVariant::Standard), Severity::High);
//!
//! let owasp: OwaspRisk =
//!     "SL:5/M:2/O:7/S:1/ED:3/EE:6/A:9/ID:2/LC:9/LI:7/LAV:5/LAC:8/FD:1/RD:2/NC:1/PV:5".parse()?;
//! assert_eq!(owasp.likelihood(), 4.375);
//! assert_eq!(owasp.severity().technical, Severity::High);
//!
//! let cvss: CvssScore = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".parse()?;
//! assert_eq!((cvss.score, cvss.severity), (9.8, Severity::Critical));
//!
//! // A bad vector names the bad field.
//! let err = "D:8/R:6/E:11/A:9/D:5".parse::<DreadScore>().unwrap_err();
//! assert_eq!(err.to_string(), "invalid DREAD vector: factor Exploitability: 11 is out of range 0-10");
//! # Ok::<(), dread::Error>(())
//! ```
#![deny(missing_docs)]

mod cvss_score;
mod dread_score;
mod error;
mod matrix;
mod owasp;
mod severity;

pub use cvss_score::{CvssScore, CvssVersion, cvss_severity};
pub use dread_score::{DreadFactor, DreadScore, DreadVariant, Rating, dread_severity};
pub use error::Error;
pub use matrix::RiskMatrix;
pub use owasp::{Level, OwaspRisk, OwaspSeverity, overall as owasp_overall};
pub use severity::{ParseSeverityError, Severity};
