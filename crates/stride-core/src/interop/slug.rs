//! Readable ids and one-line names for imported models.
//!
//! Diagram tools name cells by UUID and let labels run over several lines.
//! After import, every name is put on one line, and every id that is not
//! readable (a UUID, a bare number, empty) is replaced by a slug of its name,
//! kept unique across the model; the original id is kept in `source_id` so
//! that exports can write it back.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Model;

/// `Hello World (v2)` → `hello-world-v2`; empty when nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(48);
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A name on one line: HTML line breaks (`<br/>`, as pytm labels use) and
/// runs of whitespace (newlines included) become one space.
pub fn one_line(name: &str) -> String {
    let mut text = name.to_string();
    for br in ["<br/>", "<br />", "<br>", "<BR/>", "<BR>"] {
        text = text.replace(br, " ");
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_hex_run(s: &str, n: usize) -> bool {
    s.len() == n && s.chars().all(|c| c.is_ascii_hexdigit())
}

/// Whether `id` carries no meaning for a reader: empty, a number, or a UUID
/// (alone or with a suffix such as `-reverse`).
pub fn unreadable(id: &str) -> bool {
    let id = id.trim();
    if id.is_empty() || id.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let parts: Vec<&str> = id.split('-').collect();
    parts.len() >= 5
        && is_hex_run(parts[0], 8)
        && is_hex_run(parts[1], 4)
        && is_hex_run(parts[2], 4)
        && is_hex_run(parts[3], 4)
        && is_hex_run(parts[4], 12)
}

/// Hands out unique slugs.
#[derive(Debug, Default)]
pub struct Slugs {
    taken: BTreeSet<String>,
}

impl Slugs {
    /// Marks an id as taken.
    pub fn reserve(&mut self, id: &str) {
        self.taken.insert(id.to_string());
    }

    /// `id` itself when free, else `id-2`, `id-3`...
    pub fn claim(&mut self, id: &str) -> String {
        let mut new = id.to_string();
        let mut n = 2;
        while self.taken.contains(&new) {
            new = format!("{id}-{n}");
            n += 1;
        }
        self.taken.insert(new.clone());
        new
    }

    /// A unique slug of `name`, `fallback` when the name gives none.
    pub fn unique(&mut self, name: &str, fallback: &str) -> String {
        let mut base = slug(name);
        if base.is_empty() {
            base = fallback.to_string();
        }
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

/// Puts names on one line and replaces unreadable ids, rewriting every
/// reference (boundaries, flow ends, recorded threats).
pub fn make_readable(model: &mut Model) {
    model.name = one_line(&model.name);
    let mut slugs = Slugs::default();
    for id in model
        .boundaries
        .iter()
        .map(|b| &b.id)
        .chain(model.elements.iter().map(|e| &e.id))
        .chain(model.flows.iter().map(|f| &f.id))
        .chain(model.data.iter().map(|d| &d.id))
    {
        if !unreadable(id) {
            slugs.reserve(id);
        }
    }
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for b in &mut model.boundaries {
        b.name = one_line(&b.name);
        if unreadable(&b.id) {
            let new = slugs.unique(&b.name, "boundary");
            renamed.insert(b.id.clone(), new.clone());
            b.source_id = Some(std::mem::replace(&mut b.id, new));
        }
    }
    for e in &mut model.elements {
        e.name = one_line(&e.name);
        if unreadable(&e.id) {
            let fallback = e.kind.as_str().replace('_', "-");
            let new = slugs.unique(&e.name, &fallback);
            renamed.insert(e.id.clone(), new.clone());
            e.source_id = Some(std::mem::replace(&mut e.id, new));
        }
    }
    for d in &mut model.data {
        d.name = one_line(&d.name);
    }
    let get = |m: &BTreeMap<String, String>, id: &str| m.get(id).cloned();
    for f in &mut model.flows {
        if let Some(n) = f.name.as_mut() {
            *n = one_line(n);
        }
        if let Some(n) = get(&renamed, &f.from) {
            f.from = n;
        }
        if let Some(n) = get(&renamed, &f.to) {
            f.to = n;
        }
        if unreadable(&f.id) {
            let reverse = f.id.ends_with("-reverse");
            let base = match &f.name {
                Some(n) if !unreadable(n) => n.clone(),
                _ => format!("{} to {}", f.from, f.to),
            };
            let base = if reverse {
                format!("{base} reverse")
            } else {
                base
            };
            let new = slugs.unique(&base, "flow");
            renamed.insert(f.id.clone(), new.clone());
            f.source_id = Some(std::mem::replace(&mut f.id, new));
        }
    }
    for b in &mut model.boundaries {
        if let Some(p) = b.parent.as_ref().and_then(|p| get(&renamed, p)) {
            b.parent = Some(p);
        }
    }
    for e in &mut model.elements {
        if let Some(p) = e.boundary.as_ref().and_then(|p| get(&renamed, p)) {
            e.boundary = Some(p);
        }
    }
    for r in &mut model.recorded_threats {
        if let Some(n) = get(&renamed, &r.element) {
            r.element = n;
        }
        r.title = one_line(&r.title);
    }
}

/// [`make_readable`] on an imported model.
/// Lines about what did not map name things by their new ids.
pub(crate) fn readable(mut imported: super::Imported) -> super::Imported {
    make_readable(&mut imported.model);
    let m = &imported.model;
    let renamed: Vec<(&str, &str)> = m
        .elements
        .iter()
        .map(|e| (&e.source_id, &e.id))
        .chain(m.flows.iter().map(|f| (&f.source_id, &f.id)))
        .chain(m.boundaries.iter().map(|b| (&b.source_id, &b.id)))
        .filter_map(|(s, id)| Some((s.as_deref()?, id.as_str())))
        .collect();
    for u in &mut imported.unmapped {
        for (old, new) in &renamed {
            u.rename(old, new);
        }
    }
    imported
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_dashed_and_unique() {
        assert_eq!(slug("Web Server\n(main)"), "web-server-main");
        assert_eq!(slug("  ---  "), "");
        let mut s = Slugs::default();
        assert_eq!(s.unique("DB", "x"), "db");
        assert_eq!(s.unique("db", "x"), "db-2");
        assert_eq!(s.unique("", "process"), "process");
    }

    #[test]
    fn uuids_and_numbers_are_unreadable_names_are_not() {
        assert!(unreadable("a25bbb4e-093f-4238-a620-31efdee452dc"));
        assert!(unreadable("a25bbb4e-093f-4238-a620-31efdee452dc-reverse"));
        assert!(unreadable("42"));
        assert!(!unreadable("web-server"));
    }

    #[test]
    fn names_go_on_one_line() {
        assert_eq!(
            one_line("Background\nWorker  Process"),
            "Background Worker Process"
        );
    }
}
