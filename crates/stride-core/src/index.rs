//! Lookup tables over a model, built once per analysis so that the engine's
//! cost grows with the model's size, not with its square: elements,
//! boundaries and data assets by id, and each element's inbound flows.
//!
//! [`Index`] answers the same questions as [`Model`]'s own look-ups
//! (`element`, `boundary`, `data_asset`, `boundary_chain`), with the same
//! answers (the first item with an id wins), and derefs to the model for
//! everything else.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Deref;
use std::rc::Rc;

use crate::condition::Facts;
use crate::facts::element_facts_in;
use crate::model::{Boundary, DataAsset, Element, Flow, Model};

/// A model with its lookup tables.
#[derive(Debug)]
pub(crate) struct Index<'m> {
    model: &'m Model,
    elements: HashMap<&'m str, &'m Element>,
    boundaries: HashMap<&'m str, &'m Boundary>,
    data: HashMap<&'m str, &'m DataAsset>,
    inbound: HashMap<&'m str, Vec<&'m Flow>>,
    outbound: HashSet<&'m str>,
    /// Element facts already computed, by element id: a flow's facts
    /// include both ends', and a hub is the end of many flows.
    facts: RefCell<HashMap<&'m str, Rc<Facts>>>,
}

/// The first item with each id, as `iter().find()` would give it.
fn by_id<'m, T>(items: &'m [T], id: impl Fn(&'m T) -> &'m str) -> HashMap<&'m str, &'m T> {
    let mut map = HashMap::with_capacity(items.len());
    for item in items {
        map.entry(id(item)).or_insert(item);
    }
    map
}

impl<'m> Index<'m> {
    /// Builds the tables: one pass over each section.
    pub(crate) fn new(model: &'m Model) -> Self {
        let mut inbound: HashMap<&str, Vec<&Flow>> = HashMap::new();
        for f in &model.flows {
            inbound.entry(f.to.as_str()).or_default().push(f);
        }
        Index {
            model,
            elements: by_id(&model.elements, |e| &e.id),
            boundaries: by_id(&model.boundaries, |b| &b.id),
            data: by_id(&model.data, |d| &d.id),
            inbound,
            outbound: model.flows.iter().map(|f| f.from.as_str()).collect(),
            facts: RefCell::default(),
        }
    }

    /// An element by id.
    pub(crate) fn element(&self, id: &str) -> Option<&'m Element> {
        self.elements.get(id).copied()
    }

    /// A boundary by id.
    pub(crate) fn boundary(&self, id: &str) -> Option<&'m Boundary> {
        self.boundaries.get(id).copied()
    }

    /// A data asset by id.
    pub(crate) fn data_asset(&self, id: &str) -> Option<&'m DataAsset> {
        self.data.get(id).copied()
    }

    /// The flows into an element, in model order.
    pub(crate) fn inbound(&self, id: &str) -> &[&'m Flow] {
        self.inbound.get(id).map_or(&[], Vec::as_slice)
    }

    /// Whether a flow leaves the element.
    pub(crate) fn has_outbound(&self, id: &str) -> bool {
        self.outbound.contains(id)
    }

    /// The facts of an element, computed once per id.
    pub(crate) fn element_facts(&self, e: &'m Element) -> Rc<Facts> {
        if let Some(f) = self.facts.borrow().get(e.id.as_str()) {
            return Rc::clone(f);
        }
        let f = Rc::new(element_facts_in(self, e));
        self.facts.borrow_mut().insert(&e.id, Rc::clone(&f));
        f
    }

    /// The chain of boundaries an element sits in, innermost first (as
    /// [`Model::boundary_chain`]), in time linear in its length.
    pub(crate) fn boundary_chain(&self, element: &Element) -> Vec<&'m Boundary> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut cur = element.boundary.as_deref();
        while let Some(id) = cur {
            let Some(b) = self.boundary(id) else { break };
            if !seen.insert(b.id.as_str()) {
                break;
            }
            out.push(b);
            cur = b.parent.as_deref();
        }
        out
    }
}

impl Deref for Index<'_> {
    type Target = Model;
    fn deref(&self) -> &Model {
        self.model
    }
}
