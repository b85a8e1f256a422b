//! The coverage matrix: one cell per element or flow and STRIDE category,
//! holding the findings that live there, or why the category does not apply.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Status};
use crate::model::ElementKind;
use crate::stride::{Stride, applicability};

/// One cell of the coverage matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageCell {
    /// `open` (findings), `mitigated` (all mitigated) or `not_applicable`.
    pub status: Status,
    /// Finding ids in this cell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
    /// The controls that mitigate the cell's findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<String>,
    /// Why it does not apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Marks every cell not applicable because the subject is out of scope.
pub(crate) fn out_of_scope(cells: &mut BTreeMap<Stride, CoverageCell>, reason: Option<&str>) {
    for cell in cells.values_mut() {
        *cell = CoverageCell {
            status: Status::NotApplicable,
            findings: vec![],
            controls: vec![],
            reason: Some(format!(
                "out of scope: {}",
                reason.unwrap_or("no reason given")
            )),
        };
    }
}

/// The six cells of one subject from the findings that live there.
pub(crate) fn cells(
    findings: &[&Finding],
    kind: Option<ElementKind>,
    log_store: bool,
) -> BTreeMap<Stride, CoverageCell> {
    Stride::ALL
        .into_iter()
        .map(|s| {
            let cell = match applicability(kind, log_store, s) {
                Err(reason) => CoverageCell {
                    status: Status::NotApplicable,
                    findings: vec![],
                    controls: vec![],
                    reason: Some(reason.to_string()),
                },
                Ok(()) => {
                    let here: Vec<&Finding> =
                        findings.iter().copied().filter(|f| f.stride == s).collect();
                    let mut controls: Vec<String> =
                        here.iter().flat_map(|f| f.mitigated_by.clone()).collect();
                    controls.sort();
                    controls.dedup();
                    CoverageCell {
                        status: if here.iter().all(|f| f.status == Status::Mitigated)
                            && !here.is_empty()
                        {
                            Status::Mitigated
                        } else {
                            Status::Open
                        },
                        findings: here.iter().map(|f| f.id.clone()).collect(),
                        controls,
                        reason: None,
                    }
                }
            };
            (s, cell)
        })
        .collect()
}
