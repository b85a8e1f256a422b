//! The facts rules see: what the model says about an element, or about a
//! flow with its endpoints, in the shape the condition language reads.

use crate::condition::{Fact, Facts};
use crate::index::Index;
use crate::model::{BoundaryKind, Element, ElementKind, Flow, Model, PLAINTEXT_PROTOCOLS};

pub(crate) fn level(model: &Index<'_>, ids: &[String]) -> (i8, bool) {
    let mut lvl = -1i8;
    let mut pii = false;
    for id in ids {
        if let Some(d) = model.data_asset(id) {
            lvl = lvl.max(d.classification as i8);
            pii |= d.pii;
        }
    }
    (lvl, pii)
}

pub(crate) fn boundaries_of(model: &Index<'_>, e: &Element) -> Vec<String> {
    model
        .boundary_chain(e)
        .iter()
        .map(|b| b.kind.as_str().to_string())
        .collect()
}

pub(crate) fn in_internet(model: &Index<'_>, e: &Element) -> bool {
    model
        .boundary_chain(e)
        .iter()
        .any(|b| b.kind == BoundaryKind::Internet)
}

pub(crate) fn crosses(model: &Index<'_>, f: &Flow) -> Option<(String, String)> {
    let (s, t) = (model.element(&f.from)?, model.element(&f.to)?);
    (s.boundary != t.boundary).then(|| {
        (
            s.boundary.clone().unwrap_or_else(|| "(none)".into()),
            t.boundary.clone().unwrap_or_else(|| "(none)".into()),
        )
    })
}

/// The facts about an element, as rules see them.
pub fn element_facts(model: &Model, e: &Element) -> Facts {
    element_facts_in(&Index::new(model), e)
}

/// [`element_facts`] with the model's lookup tables built once.
pub(crate) fn element_facts_in(model: &Index<'_>, e: &Element) -> Facts {
    let mut f = Facts::new();
    f.insert("kind".into(), Fact::Text(e.kind.as_str().into()));
    f.insert("type".into(), Fact::Text(e.component_type.as_str().into()));
    for (name, _) in crate::attributes::ATTRIBUTES {
        f.insert(format!("attr.{name}"), Fact::Bool(e.attr(name)));
    }
    let (lvl, pii) = level(model, &e.stores);
    let inbound = model.inbound(&e.id);
    // What passes through a process counts as its data too.
    let through: Vec<String> = inbound.iter().flat_map(|x| x.carries.clone()).collect();
    let (lvl2, pii2) = level(model, &through);
    f.insert("data".into(), Fact::Level(lvl.max(lvl2)));
    f.insert("pii".into(), Fact::Bool(pii || pii2));
    f.insert("boundary".into(), Fact::Set(boundaries_of(model, e)));
    let from_internet = inbound.iter().any(|x| {
        model
            .element(&x.from)
            .is_some_and(|s| in_internet(model, s))
    });
    f.insert(
        "internet_exposed".into(),
        Fact::Bool(e.attr("internet_facing") || in_internet(model, e) || from_internet),
    );
    f.insert(
        "inbound_from_external".into(),
        Fact::Bool(inbound.iter().any(|x| {
            model
                .element(&x.from)
                .is_some_and(|s| s.kind == ElementKind::ExternalEntity)
        })),
    );
    f.insert(
        "inbound_crossing".into(),
        Fact::Bool(inbound.iter().any(|x| crosses(model, x).is_some())),
    );
    f.insert("has_inbound".into(), Fact::Bool(!inbound.is_empty()));
    f.insert("has_outbound".into(), Fact::Bool(model.has_outbound(&e.id)));
    f
}

/// The facts about a flow, with its endpoints' facts under `source.` and
/// `target.`.
pub fn flow_facts(model: &Model, flow: &Flow) -> Facts {
    flow_facts_in(&Index::new(model), flow)
}

/// [`flow_facts`] with the model's lookup tables built once.
pub(crate) fn flow_facts_in(model: &Index<'_>, flow: &Flow) -> Facts {
    let mut f = Facts::new();
    if let Some(s) = model.element(&flow.from) {
        for (k, v) in model.element_facts(s).iter() {
            f.insert(format!("source.{k}"), v.clone());
        }
    }
    if let Some(t) = model.element(&flow.to) {
        for (k, v) in model.element_facts(t).iter() {
            f.insert(format!("target.{k}"), v.clone());
        }
    }
    let crossing = crosses(model, flow);
    f.insert("crosses_boundary".into(), Fact::Bool(crossing.is_some()));
    f.insert("encrypted".into(), Fact::Bool(flow.encrypted));
    f.insert("authenticated".into(), Fact::Bool(flow.authenticated));
    let proto = flow.protocol.clone().unwrap_or_default();
    f.insert(
        "plaintext".into(),
        Fact::Bool(!flow.encrypted || PLAINTEXT_PROTOCOLS.contains(&proto.as_str())),
    );
    f.insert("protocol".into(), Fact::Text(proto));
    let (lvl, pii) = level(model, &flow.carries);
    f.insert("data".into(), Fact::Level(lvl));
    f.insert("pii".into(), Fact::Bool(pii));
    f.insert(
        "from_internet".into(),
        Fact::Bool(model.element(&flow.from).is_some_and(|s| {
            in_internet(model, s)
                || s.kind == ElementKind::ExternalEntity && s.attr("internet_facing")
        })),
    );
    f
}
