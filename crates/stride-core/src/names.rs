//! The names enums are spelt with in models, rule files and reports: one
//! `as_str` per enum (the same spelling serde reads and writes, checked by
//! the tests below), with `ALL` in declaration order and `Display`, so no
//! printer formats an enum with `{:?}` or through a serde round trip.

/// Implements `ALL`, `as_str` and `Display` for a field-less enum from its
/// variants and their names.
macro_rules! named_enum {
    ($t:ident { $($v:ident => $name:literal),+ $(,)? }) => {
        impl $t {
            /// Every value, in declaration order.
            pub const ALL: &'static [$t] = &[$($t::$v),+];

            /// The name models and reports use (as serde spells it).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($t::$v => $name),+
                }
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

use crate::attack::{Detection, Skill};
use crate::model::{BoundaryKind, Classification, ElementKind};
use crate::rule::Scope;

named_enum!(BoundaryKind {
    Internet => "internet",
    Dmz => "dmz",
    Corporate => "corporate",
    OnPrem => "on_prem",
    Cloud => "cloud",
    ThirdParty => "third_party",
    Device => "device",
    Generic => "generic",
});

named_enum!(ElementKind {
    ExternalEntity => "external_entity",
    Process => "process",
    DataStore => "data_store",
});

named_enum!(Classification {
    Public => "public",
    Internal => "internal",
    Confidential => "confidential",
    Restricted => "restricted",
});

named_enum!(Scope {
    Element => "element",
    Flow => "flow",
});

named_enum!(Skill {
    Low => "low",
    Medium => "medium",
    High => "high",
    Expert => "expert",
});

named_enum!(Detection {
    Low => "low",
    Medium => "medium",
    High => "high",
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Each name is the one serde writes, and no two variants share one
    /// (they would read back as the same value).
    fn same_as_serde<T: serde::Serialize + Copy>(all: &[T], as_str: fn(T) -> &'static str) {
        let mut seen = std::collections::HashSet::new();
        for v in all {
            let serde_name = serde_json::to_value(v).ok();
            assert_eq!(
                serde_name.as_ref().and_then(|n| n.as_str()),
                Some(as_str(*v)),
                "as_str and serde disagree"
            );
            assert!(seen.insert(as_str(*v)), "{} is used twice", as_str(*v));
        }
    }

    #[test]
    fn every_name_is_the_one_serde_reads_and_writes() {
        same_as_serde(BoundaryKind::ALL, BoundaryKind::as_str);
        same_as_serde(ElementKind::ALL, ElementKind::as_str);
        same_as_serde(Classification::ALL, Classification::as_str);
        same_as_serde(Scope::ALL, Scope::as_str);
        same_as_serde(Skill::ALL, Skill::as_str);
        same_as_serde(Detection::ALL, Detection::as_str);
        assert_eq!(BoundaryKind::OnPrem.to_string(), "on_prem");
    }
}
