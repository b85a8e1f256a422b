//! Risk scoring for threat models: every score a threat model needs, each
//! exact and tested on published examples.
//!
//! # Brief overview
//!
//! Every method maps to one shared [`Severity`]
//! (`None < Low < Medium < High < Critical`; lowercase in serde, `FromStr`
//! and `Display`).
//!
//! - [`DreadScore`]: the five DREAD factors (Damage, Reproducibility,
//!   Exploitability, Affected users, Discoverability) rated 0-10, each with
//!   an optional rationale ([`Rating`]). The score is their mean under a
//!   [`DreadVariant`]: standard, DREAD-D (Discoverability dropped) or
//!   assume-discoverable (Discoverability counted as 10). Compact form
//!   `D:8/R:6/E:7/A:9/D:5`.
//! - [`OwaspRisk`]: the OWASP Risk Rating Methodology's sixteen 0-9 factors;
//!   likelihood, technical impact and business impact are means, each with
//!   a [`Level`]; the overall severity comes from the published matrix
//!   ([`owasp_overall`]), once per impact ([`OwaspSeverity`]). Parsed from
//!   the OWASP calculator's vector.
//! - [`CvssScore`]: CVSS v3.0, v3.1 and v4.0 base scores computed by
//!   RustSec's `cvss` crate, refusing vectors that lack a base metric.
//! - [`RiskMatrix`]: the 5x5 likelihood x impact matrix of our earlier
//!   tooling.
//! - [`Error`]: every failure, naming the factor or metric at fault; parse
//!   errors are wrapped in [`Error::Vector`] with the [`Method`].
//!
//! Every public type implements serde's `Serialize` (all but [`Error`] also
//! `Deserialize`, checking values on the way in), and no input makes this
//! crate panic: the vector parsers are fuzzed.
//!
//! # Severity mappings
//!
//! | method | None | Low | Medium | High | Critical |
//! |---|---|---|---|---|---|
//! | DREAD mean (0-10) | never | < 4 | ≥ 4 | ≥ 6 | ≥ 8 |
//! | OWASP matrix | Note | Low | Medium | High | Critical |
//! | CVSS base score | 0.0 | 0.1-3.9 | 4.0-6.9 | 7.0-8.9 | 9.0-10.0 |
//! | likelihood x impact (1-25) | never | < 6 | ≥ 6 | ≥ 12 | ≥ 20 |
//!
//! OWASP's "Note" (low likelihood and low impact) becomes [`Severity::None`]:
//! the methodology treats it as below the threshold of a finding.
//!
//! # Example: one risk, three ways
//!
//! ```
//! use dread::{CvssScore, DreadScore, DreadVariant, Level, OwaspRisk, Severity};
//!
//! let dread: DreadScore = "D:8/R:6/E:7/A:9/D:5".parse()?;
//! assert_eq!(dread.score(DreadVariant::Standard), 7.0);
//! assert_eq!(dread.severity(DreadVariant::Standard), Severity::High);
//! assert_eq!(dread.score(DreadVariant::DreadD), 7.5);
//!
//! // OWASP's published worked example.
//! let owasp: OwaspRisk =
//!     "SL:5/M:2/O:7/S:1/ED:3/EE:6/A:9/ID:2/LC:9/LI:7/LAV:5/LAC:8/FD:1/RD:2/NC:1/PV:5".parse()?;
//! assert_eq!(owasp.likelihood(), 4.375);
//! assert_eq!(Level::of(owasp.likelihood()), Level::Medium);
//! assert_eq!(owasp.technical_impact(), 7.25);
//! assert_eq!(owasp.business_impact(), 2.25);
//! assert_eq!(owasp.severity().technical, Severity::High);
//! assert_eq!(owasp.severity().business, Severity::Low);
//!
//! let cvss: CvssScore = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".parse()?;
//! assert_eq!((cvss.score, cvss.severity), (9.8, Severity::Critical));
//! # Ok::<(), dread::Error>(())
//! ```
//!
//! # Example: recording why
//!
//! ```
//! use dread::{DreadFactor, DreadScore, DreadVariant, Severity};
//!
//! let mut risk = DreadScore::new([6, 8, 8, 5, 9])?;
//! risk.set(
//!     DreadFactor::Discoverability,
//!     9,
//!     Some("the endpoint is listed in the public API docs".into()),
//! )?;
//! assert_eq!(risk.severity(DreadVariant::Standard), Severity::High);
//! let json = serde_json::to_value(&risk).unwrap();
//! assert_eq!(json["discoverability"]["value"], 9);
//! # Ok::<(), dread::Error>(())
//! ```
//!
//! # Example: errors name the field
//!
//! ```
//! use dread::{CvssScore, DreadScore, Error, OwaspRisk};
//!
//! let err = "D:8/R:6/E:11/A:9/D:5".parse::<DreadScore>().unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "invalid DREAD vector: factor Exploitability: 11 is out of range 0-10",
//! );
//! assert!(matches!(err.reason(), Error::OutOfRange { factor: "Exploitability", .. }));
//!
//! let err = "SL:5/M:2".parse::<OwaspRisk>().unwrap_err();
//! assert_eq!(err.factor(), Some("O (opportunity)"));
//!
//! // The `cvss` crate accepts partial vectors; we do not.
//! let err = "CVSS:3.1/AV:N".parse::<CvssScore>().unwrap_err();
//! assert_eq!(err.to_string(), "invalid CVSS vector: metric AC (Attack Complexity) is missing");
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
pub use error::{Error, Method};
pub use matrix::RiskMatrix;
pub use owasp::{Level, OwaspRisk, OwaspSeverity, overall as owasp_overall};
pub use severity::{ParseSeverityError, Severity};
