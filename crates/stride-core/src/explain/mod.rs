//! Why a finding fired, as data: the subject it is about, the model facts
//! that made its rule fire, and the declared controls that mitigate it.
//!
//! The engine fills an [`Explanation`]; it writes no sentences. The words
//! are the printers': [`prose`] turns an explanation into the one sentence
//! every report shows (and [`Explanation`]'s `Display` is that sentence),
//! much as a search library hands typed matches to its printers.
//!
//! # JSON
//!
//! A finding's `explanation` serializes as that sentence, a plain string,
//! as it always has. Read back, the string cannot be taken apart again: it
//! becomes an explanation whose subject is [`Subject::Recorded`] (the whole
//! sentence) with no facts and no controls, which prints the very same
//! sentence. Such an explanation is therefore not `==` to the typed one it
//! was written from; its sentence is.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::condition::Fact;
use crate::facts::level;
use crate::index::Index;
use crate::model::{BoundaryKind, Classification, ComponentType, Element, ElementKind, Flow};

pub mod prose;

/// Why a finding fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// What the finding is about.
    pub subject: Subject,
    /// The facts that made the rule fire, each once, and none that the
    /// subject already states (see [`Subject::states`]).
    pub facts: Vec<FactState>,
    /// The declared controls that mitigate the finding (the finding's
    /// `mitigated_by`).
    pub controls: Vec<String>,
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Subject {
    /// An element.
    Element(ElementSubject),
    /// A flow.
    Flow(FlowSubject),
    /// A subject known only by its words: what reading a finding's
    /// `explanation` back from JSON gives (the whole sentence, facts and
    /// controls included).
    Recorded(String),
}

/// An element as its findings' explanations describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementSubject {
    /// Its name, as the model spells it.
    pub name: String,
    /// Its component type.
    pub component_type: ComponentType,
    /// Its kind.
    pub kind: ElementKind,
    /// The kind of its innermost boundary; `None` when it is in none.
    pub boundary: Option<BoundaryKind>,
}

/// A flow as its findings' explanations describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowSubject {
    /// Its name, as the model spells it (`None` when it has none).
    pub name: Option<String>,
    /// Its source element's name.
    pub source: String,
    /// Its target element's name.
    pub target: String,
    /// The boundaries it crosses, when source and target sit in different
    /// ones.
    pub crossing: Option<Crossing>,
    /// The highest classification of the data it carries, if it carries any.
    pub data: Option<Classification>,
    /// Whether it is encrypted.
    pub encrypted: bool,
    /// Whether it is authenticated.
    pub authenticated: bool,
}

/// A boundary crossing: the boundary ids of a flow's source and target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crossing {
    /// The source's boundary id (`None`: in no boundary).
    pub from: Option<String>,
    /// The target's boundary id (`None`: in no boundary).
    pub to: Option<String>,
}

/// A fact as it was when a rule's condition tested it. Explanations state
/// each fact's value (`name=value`), whatever the condition compared it
/// with: the value is what made the condition hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactState {
    /// The fact as rules name it (`type`, `attr.mfa`, `source.attr.waf`).
    pub fact: String,
    /// Its value; `None` when the model does not set it.
    pub value: Option<Fact>,
}

impl FactState {
    /// The fact's name without the `attr.` marker: attributes and facts
    /// share one namespace in explanations (`attr.mfa` is `mfa`).
    pub fn name(&self) -> String {
        self.fact.replace("attr.", "")
    }

    /// Whether two states say the same thing (same name, same value).
    pub fn same_as(&self, other: &FactState) -> bool {
        self.value == other.value && self.name() == other.name()
    }

    fn is(&self, name: &str, value: Fact) -> bool {
        // The value first: it differs far more often, and comparing it
        // allocates nothing.
        self.value.as_ref() == Some(&value) && self.name() == name
    }
}

impl Subject {
    /// Whether the subject, as explanations describe it, already states a
    /// fact: an element its kind and type; a flow that it crosses a
    /// boundary, the data it carries, and whether it is encrypted and
    /// authenticated.
    pub fn states(&self, f: &FactState) -> bool {
        match self {
            Subject::Element(e) => {
                f.is("kind", Fact::Text(e.kind.as_str().into()))
                    || f.is("type", Fact::Text(e.component_type.as_str().into()))
            }
            Subject::Flow(x) => {
                (x.crossing.is_some() && f.is("crosses_boundary", Fact::Bool(true)))
                    || x.data.is_some_and(|d| f.is("data", Fact::Level(d as i8)))
                    || f.is("encrypted", Fact::Bool(x.encrypted))
                    || f.is("authenticated", Fact::Bool(x.authenticated))
            }
            Subject::Recorded(_) => false,
        }
    }
}

impl Explanation {
    /// An explanation of `subject` from the facts that fired, in order:
    /// each fact once, and none the subject already states.
    pub fn new(
        subject: Subject,
        fired: impl IntoIterator<Item = FactState>,
        controls: Vec<String>,
    ) -> Explanation {
        let mut facts: Vec<FactState> = Vec::new();
        for f in fired {
            if !facts.iter().any(|g| g.same_as(&f)) && !subject.states(&f) {
                facts.push(f);
            }
        }
        Explanation {
            subject,
            facts,
            controls,
        }
    }
}

/// An element as its findings describe it.
pub(crate) fn element_subject(ix: &Index<'_>, e: &Element) -> Subject {
    Subject::Element(ElementSubject {
        name: e.name.clone(),
        component_type: e.component_type,
        kind: e.kind,
        boundary: ix.boundary_chain(e).first().map(|b| b.kind),
    })
}

/// A flow between `s` and `t` as its findings describe it.
pub(crate) fn flow_subject(ix: &Index<'_>, flow: &Flow, s: &Element, t: &Element) -> Subject {
    let (lvl, _) = level(ix, &flow.carries);
    Subject::Flow(FlowSubject {
        name: flow.name.clone(),
        source: s.name.clone(),
        target: t.name.clone(),
        crossing: (s.boundary != t.boundary).then(|| Crossing {
            from: s.boundary.clone(),
            to: t.boundary.clone(),
        }),
        data: classification(lvl),
        encrypted: flow.encrypted,
        authenticated: flow.authenticated,
    })
}

/// The classification at a fact level (0 public ... 3 restricted); `None`
/// for no data.
fn classification(level: i8) -> Option<Classification> {
    match level {
        0 => Some(Classification::Public),
        1 => Some(Classification::Internal),
        2 => Some(Classification::Confidential),
        3.. => Some(Classification::Restricted),
        _ => None,
    }
}

/// The sentence, as a string (the JSON shape findings always had).
impl Serialize for Explanation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The sentence read back: a [`Subject::Recorded`] with no facts and no
/// controls, which prints the same sentence.
impl<'de> Deserialize<'de> for Explanation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Explanation {
            subject: Subject::Recorded(String::deserialize(deserializer)?),
            facts: Vec::new(),
            controls: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests;
