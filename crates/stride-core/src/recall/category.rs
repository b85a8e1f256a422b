//! Recorded threat categories and their STRIDE counterparts.

use crate::stride::Stride;

/// Why a recorded threat's category has no STRIDE counterpart: the threat
/// is excluded from recall.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnmappedCategory {
    /// One of LINDDUN's privacy categories other than disclosure of
    /// information.
    #[error("LINDDUN {category:?}: a privacy threat with no STRIDE counterpart")]
    Linddun {
        /// The category as written.
        category: String,
    },
    /// The threat records no category.
    #[error("no category recorded")]
    Missing,
    /// Any other category.
    #[error("category {category:?} has no STRIDE counterpart")]
    Other {
        /// The category as written.
        category: String,
    },
    /// A Threagile risk category missing from
    /// [`THREAGILE_STRIDE`](super::THREAGILE_STRIDE).
    #[error("Threagile category {category:?} is not in the table")]
    NotInThreagileTable {
        /// The Threagile risk category id.
        category: String,
    },
}

/// Maps a recorded threat category to STRIDE.
///
/// STRIDE names map to themselves (case and spacing aside). CIA types map to
/// the STRIDE category that violates the property: confidentiality to
/// information disclosure, integrity to tampering, availability to denial of
/// service. Of LINDDUN's seven, only disclosure of information has a STRIDE
/// counterpart; the other six (linkability, identifiability,
/// non-repudiation, detectability, unawareness, non-compliance) are privacy
/// properties STRIDE does not model and are excluded, as is anything else.
pub fn stride_of(category: &str) -> Result<Stride, UnmappedCategory> {
    let norm: String = category
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    Ok(match norm.as_str() {
        "spoofing" => Stride::Spoofing,
        "tampering" | "integrity" => Stride::Tampering,
        "repudiation" => Stride::Repudiation,
        "informationdisclosure" | "disclosureofinformation" | "confidentiality" => {
            Stride::InformationDisclosure
        }
        "denialofservice" | "availability" => Stride::DenialOfService,
        "elevationofprivilege" => Stride::ElevationOfPrivilege,
        "linkability" | "identifiability" | "nonrepudiation" | "detectability" | "unawareness"
        | "noncompliance" => {
            return Err(UnmappedCategory::Linddun {
                category: category.to_string(),
            });
        }
        "" => return Err(UnmappedCategory::Missing),
        _ => {
            return Err(UnmappedCategory::Other {
                category: category.to_string(),
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_unmapped_category_has_its_variant() {
        assert!(matches!(
            stride_of("Linkability"),
            Err(UnmappedCategory::Linddun { category }) if category == "Linkability"
        ));
        assert_eq!(stride_of(""), Err(UnmappedCategory::Missing));
        let e = stride_of("Fraud").unwrap_err();
        assert!(matches!(e, UnmappedCategory::Other { .. }));
        assert_eq!(
            e.to_string(),
            "category \"Fraud\" has no STRIDE counterpart"
        );
        assert_eq!(
            stride_of("Non-compliance").unwrap_err().to_string(),
            "LINDDUN \"Non-compliance\": a privacy threat with no STRIDE counterpart"
        );
    }
}
