//! The 5x5 likelihood x impact matrix of our earlier tooling, kept so that
//! old scores carry over.

use serde::{Deserialize, Serialize};

use crate::{Error, Severity};

/// Likelihood and impact, each 1 (rare / negligible) to 5 (almost certain /
/// severe). Severity from their product: ≥ 20 Critical, ≥ 12 High, ≥ 6
/// Medium, else Low.
///
/// ```
/// use dread::{RiskMatrix, Severity};
/// let r = RiskMatrix::new(4, 5)?;
/// assert_eq!(r.product(), 20);
/// assert_eq!(r.severity(), Severity::Critical);
/// assert_eq!(RiskMatrix::new(2, 3)?.severity(), Severity::Medium);
/// assert!(RiskMatrix::new(0, 3).is_err());
/// # Ok::<(), dread::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskMatrix {
    /// 1 to 5.
    pub likelihood: u8,
    /// 1 to 5.
    pub impact: u8,
}

impl RiskMatrix {
    /// Checks both values are 1-5.
    pub fn new(likelihood: u8, impact: u8) -> Result<RiskMatrix, Error> {
        for (factor, v) in [("likelihood", likelihood), ("impact", impact)] {
            if !(1..=5).contains(&v) {
                return Err(Error::OutOfRange {
                    factor,
                    value: v.to_string(),
                    min: 1,
                    max: 5,
                });
            }
        }
        Ok(RiskMatrix { likelihood, impact })
    }

    /// Likelihood x impact, 1 to 25.
    pub fn product(&self) -> u8 {
        self.likelihood * self.impact
    }

    /// The severity of the product.
    pub fn severity(&self) -> Severity {
        match self.product() {
            20.. => Severity::Critical,
            12.. => Severity::High,
            6.. => Severity::Medium,
            _ => Severity::Low,
        }
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
    }
}
