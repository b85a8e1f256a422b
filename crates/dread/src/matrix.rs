//! The 5x5 likelihood x impact matrix of our earlier tooling, kept so that
//! old scores carry over.

use serde::{Deserialize, Serialize};

use crate::{Error, Severity, error::check_range};

/// Likelihood and impact, each 1 (rare / negligible) to 5 (almost certain /
/// severe). Severity from their product: ≥ 20 Critical, ≥ 12 High, ≥ 6
/// Medium, else Low (the matrix has no None).
///
/// ```
/// use dread::{RiskMatrix, Severity};
/// let r = RiskMatrix::new(4, 5)?;
/// assert_eq!(r.product(), 20);
/// assert_eq!(r.severity(), Severity::Critical);
/// assert_eq!(RiskMatrix::new(2, 3)?.severity(), Severity::Medium);
/// assert_eq!(
///     RiskMatrix::new(0, 3).unwrap_err().to_string(),
///     "factor likelihood: 0 is out of range 1-5",
/// );
/// # Ok::<(), dread::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "UncheckedMatrix")]
pub struct RiskMatrix {
    likelihood: u8,
    impact: u8,
}

impl RiskMatrix {
    /// Checks both values are 1-5; an error names the one that is not.
    pub fn new(likelihood: u8, impact: u8) -> Result<RiskMatrix, Error> {
        check_range("likelihood", i64::from(likelihood), 1, 5)?;
        check_range("impact", i64::from(impact), 1, 5)?;
        Ok(RiskMatrix { likelihood, impact })
    }

    /// The likelihood, 1 to 5.
    pub fn likelihood(&self) -> u8 {
        self.likelihood
    }

    /// The impact, 1 to 5.
    pub fn impact(&self) -> u8 {
        self.impact
    }

    /// Likelihood x impact, 1 to 25.
    pub fn product(&self) -> u8 {
        // Both are 1-5 (checked on every way in), so this cannot overflow.
        self.likelihood.saturating_mul(self.impact)
    }

    /// The severity of the product: ≥ 20 Critical, ≥ 12 High, ≥ 6 Medium,
    /// else Low.
    pub fn severity(&self) -> Severity {
        match self.product() {
            20.. => Severity::Critical,
            12.. => Severity::High,
            6.. => Severity::Medium,
            _ => Severity::Low,
        }
    }
}

/// The shape [`RiskMatrix`] deserialises from, checked before use.
#[derive(Deserialize)]
struct UncheckedMatrix {
    likelihood: u8,
    impact: u8,
}

impl TryFrom<UncheckedMatrix> for RiskMatrix {
    type Error = Error;

    fn try_from(u: UncheckedMatrix) -> Result<Self, Error> {
        RiskMatrix::new(u.likelihood, u.impact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell() {
        let mut counts = [0; 5];
        for l in 1..=5 {
            for i in 1..=5 {
                let s = RiskMatrix::new(l, i).unwrap().severity();
                counts[s as usize] += 1;
            }
        }
        // Low: products 1-5 (10 cells); Medium: 6-10 (7); High: 12-16 (5);
        // Critical: 4x5, 5x4, 5x5.
        assert_eq!(counts, [0, 10, 7, 5, 3]);
        assert_eq!(RiskMatrix::new(3, 4).unwrap().severity(), Severity::High);
        assert_eq!(RiskMatrix::new(2, 5).unwrap().severity(), Severity::Medium);
        assert_eq!(RiskMatrix::new(1, 5).unwrap().severity(), Severity::Low);
    }

    #[test]
    fn out_of_range_is_refused_everywhere() {
        assert_eq!(RiskMatrix::new(3, 6).unwrap_err().factor(), Some("impact"));
        let json = serde_json::json!({ "likelihood": 255, "impact": 255 });
        let e = serde_json::from_value::<RiskMatrix>(json).unwrap_err();
        assert!(e.to_string().contains("factor likelihood: 255"), "{e}");
        let m = RiskMatrix::new(5, 5).unwrap();
        let back: RiskMatrix = serde_json::from_value(serde_json::to_value(m).unwrap()).unwrap();
        assert_eq!(
            (back.likelihood(), back.impact(), back.product()),
            (5, 5, 25)
        );
    }
}
