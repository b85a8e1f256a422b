//! The six STRIDE categories and which apply to which element kind.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::ElementKind;

/// A STRIDE category. Serialised in full snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stride {
    /// Pretending to be someone or something else.
    Spoofing,
    /// Changing data or code.
    Tampering,
    /// Denying an action without the system being able to prove otherwise.
    Repudiation,
    /// Exposing information to someone not allowed to see it.
    InformationDisclosure,
    /// Denying or degrading service.
    DenialOfService,
    /// Gaining capabilities without authorisation.
    ElevationOfPrivilege,
}

impl Stride {
    /// All six, in STRIDE order.
    pub const ALL: [Stride; 6] = [
        Stride::Spoofing,
        Stride::Tampering,
        Stride::Repudiation,
        Stride::InformationDisclosure,
        Stride::DenialOfService,
        Stride::ElevationOfPrivilege,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stride::Spoofing => "spoofing",
            Stride::Tampering => "tampering",
            Stride::Repudiation => "repudiation",
            Stride::InformationDisclosure => "information_disclosure",
            Stride::DenialOfService => "denial_of_service",
            Stride::ElevationOfPrivilege => "elevation_of_privilege",
        }
    }

    /// The letter: S, T, R, I, D or E.
    pub fn letter(self) -> char {
        ['S', 'T', 'R', 'I', 'D', 'E'][self as usize]
    }
}

impl fmt::Display for Stride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is applicable where (Shostack's STRIDE-per-element chart), with the
/// reason for what is not.
///
/// External entities: S, R. Processes: all six. Data stores: T, I, D, and R
/// when the store is a log store (logs are what repudiation is fought with).
/// Data flows: T, I, D.
pub fn applicability(
    kind: Option<ElementKind>,
    is_log_store: bool,
    stride: Stride,
) -> Result<(), &'static str> {
    use Stride::*;
    match (kind, stride) {
        (Some(ElementKind::Process), _) => Ok(()),
        (Some(ElementKind::ExternalEntity), Spoofing | Repudiation) => Ok(()),
        (Some(ElementKind::ExternalEntity), _) => {
            Err("external entities are outside the system: only spoofing and repudiation apply")
        }
        (Some(ElementKind::DataStore), Tampering | InformationDisclosure | DenialOfService) => {
            Ok(())
        }
        (Some(ElementKind::DataStore), Repudiation) if is_log_store => Ok(()),
        (Some(ElementKind::DataStore), Repudiation) => {
            Err("a data store that is not a log store does not act, so cannot repudiate")
        }
        (Some(ElementKind::DataStore), _) => Err(
            "data stores do not authenticate or run code: spoofing and elevation apply to the processes in front of them",
        ),
        (None, Tampering | InformationDisclosure | DenialOfService) => Ok(()),
        (None, _) => {
            Err("data flows carry data: only tampering, disclosure and denial of service apply")
        }
    }
}
