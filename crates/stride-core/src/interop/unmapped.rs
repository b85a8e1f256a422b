//! What an importer could not map, one value per thing.

use std::fmt;

/// What kind of thing did not map: its label starts the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Thing {
    /// An OTM trust zone.
    TrustZone,
    /// An OTM or TM-BOM component.
    Component,
    /// A Threagile technical asset.
    TechnicalAsset,
    /// A Threagile communication link.
    Link,
    /// A Threagile shared runtime.
    SharedRuntime,
    /// A Threagile risk-tracking entry.
    RiskTracking,
    /// A Threat Dragon diagram.
    Diagram,
    /// A Threat Dragon boundary box.
    BoundaryBox,
    /// A Threat Dragon boundary curve.
    BoundaryCurve,
    /// A Threat Dragon text block.
    TextBlock,
    /// A Threat Dragon cell of an unknown type.
    Cell,
    /// A flow.
    Flow,
    /// An element.
    Element,
    /// A boundary.
    Boundary,
    /// A data asset (or several, by id).
    Data,
    /// A TM-BOM data flow.
    DataFlow,
    /// A TM-BOM trust boundary.
    TrustBoundary,
    /// A TM-BOM threat.
    Threat,
    /// A section or an item named as the file writes it, with no label
    /// (`threats: not imported ...`).
    Part,
    /// The model as a whole: the line is the reason alone.
    Model,
}

impl Thing {
    /// The words the line starts with.
    pub fn label(self) -> &'static str {
        match self {
            Thing::TrustZone => "trust zone",
            Thing::Component => "component",
            Thing::TechnicalAsset => "technical asset",
            Thing::Link => "link",
            Thing::SharedRuntime => "shared runtime",
            Thing::RiskTracking => "risk tracking",
            Thing::Diagram => "diagram",
            Thing::BoundaryBox => "boundary box",
            Thing::BoundaryCurve => "boundary curve",
            Thing::TextBlock => "text block",
            Thing::Cell => "cell",
            Thing::Flow => "flow",
            Thing::Element => "element",
            Thing::Boundary => "boundary",
            Thing::Data => "data",
            Thing::DataFlow => "data flow",
            Thing::TrustBoundary => "trust boundary",
            Thing::Threat => "threat",
            Thing::Part | Thing::Model => "",
        }
    }
}

/// One thing an importer could not map, and why. Displayed as one line:
/// `flow f1: an end is a point, not an element; skipped`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// What kind of thing.
    pub thing: Thing,
    /// Its id or name (empty for [`Thing::Model`]).
    pub name: String,
    /// Whether the name is shown quoted (pytm names things by name).
    pub quoted: bool,
    /// A note shown in parentheses after the name.
    pub note: Option<String>,
    /// Why it did not map, or what was done instead.
    pub why: String,
}

impl Unmapped {
    /// A thing, by id, and why.
    pub fn new(thing: Thing, name: impl Into<String>, why: impl Into<String>) -> Self {
        Unmapped {
            thing,
            name: name.into(),
            quoted: false,
            note: None,
            why: why.into(),
        }
    }

    /// A thing, by its name shown quoted, and why.
    pub fn quoted(thing: Thing, name: impl Into<String>, why: impl Into<String>) -> Self {
        Unmapped {
            quoted: true,
            ..Unmapped::new(thing, name, why)
        }
    }

    /// A line about the model as a whole.
    pub fn model(why: impl Into<String>) -> Self {
        Unmapped::new(Thing::Model, "", why)
    }

    /// With a note in parentheses after the name.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Rewrites an id that the import replaced (`old` is never empty).
    pub(crate) fn rename(&mut self, old: &str, new: &str) {
        if old.is_empty() {
            return;
        }
        for text in [&mut self.name, &mut self.why]
            .into_iter()
            .chain(self.note.as_mut())
        {
            if text.contains(old) {
                *text = text.replace(old, new);
            }
        }
    }
}

impl fmt::Display for Unmapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.thing == Thing::Model {
            return f.write_str(&self.why);
        }
        let label = self.thing.label();
        if !label.is_empty() {
            write!(f, "{label} ")?;
        }
        if self.quoted {
            write!(f, "{:?}", self.name)?;
        } else {
            f.write_str(&self.name)?;
        }
        if let Some(note) = &self.note {
            write!(f, " ({note})")?;
        }
        write!(f, ": {}", self.why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_as_before() {
        let u = Unmapped::new(Thing::Flow, "f1", "an end is a point; skipped");
        assert_eq!(u.to_string(), "flow f1: an end is a point; skipped");
        let u = Unmapped::quoted(Thing::Element, "Web", "x").with_note("y");
        assert_eq!(u.to_string(), "element \"Web\" (y): x");
        assert_eq!(
            Unmapped::new(Thing::Part, "threats", "no").to_string(),
            "threats: no"
        );
        assert_eq!(
            Unmapped::model("3 diagrams are not mapped").to_string(),
            "3 diagrams are not mapped"
        );
        let mut u = Unmapped::new(Thing::Flow, "abc-1", "to abc");
        u.rename("abc", "web");
        assert_eq!(u.to_string(), "flow web-1: to web");
    }
}
