//! A small layered layout for data-flow diagrams, computed by us so that the
//! HTML report needs neither Graphviz nor a network.
//!
//! Ranks come from the flows (longest path from the sources, cycles broken
//! at back edges). Each top-level trust boundary is a column; columns are
//! ordered by the mean rank of their elements, so data mostly flows left to
//! right. Inside a boundary, its own elements form a band (one sub-column per
//! rank) and nested boundaries stack below it as boxes inside the parent's
//! box, so boxes never overlap.

use std::collections::{BTreeMap, HashMap};

use stride_core::{BoundaryKind, Model};

/// Node width.
pub const W: f64 = 156.0;
/// Node height.
pub const H: f64 = 54.0;
const HGAP: f64 = 110.0;
const VGAP: f64 = 34.0;
const PAD: f64 = 18.0;
const LABEL: f64 = 24.0;
const COLGAP: f64 = 100.0;
const MARGIN: f64 = 16.0;

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// The centre point.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
}

/// A trust boundary's box.
#[derive(Debug, Clone)]
pub struct BoundaryBox {
    /// The boundary id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Its kind.
    pub kind: BoundaryKind,
    /// Where it is drawn.
    pub rect: Rect,
}

/// Where everything goes.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Element id to its rectangle.
    pub nodes: BTreeMap<String, Rect>,
    /// Boundary boxes, outermost first (draw in this order).
    pub boxes: Vec<BoundaryBox>,
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
}

/// Longest-path ranks of the elements over the flows; back edges found by a
/// depth-first search in model order are ignored, so cycles terminate.
pub fn ranks(model: &Model) -> HashMap<String, usize> {
    let index: HashMap<&str, usize> = model
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let n = model.elements.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for f in &model.flows {
        if let (Some(&a), Some(&b)) = (index.get(f.from.as_str()), index.get(f.to.as_str()))
            && a != b
            && !out[a].contains(&b)
        {
            out[a].push(b);
        }
    }
    // Iterative DFS: 0 unseen, 1 on the stack, 2 done.
    let mut state = vec![0u8; n];
    let mut forward: Vec<Vec<usize>> = vec![Vec::new(); n];
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some((v, next)) = stack.pop() {
            if let Some(&w) = out[v].get(next) {
                stack.push((v, next + 1));
                match state[w] {
                    0 => {
                        forward[v].push(w);
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    2 => forward[v].push(w),
                    _ => {} // back edge: ignored
                }
            } else {
                state[v] = 2;
            }
        }
    }
    // Kahn's algorithm over the acyclic forward edges.
    let mut indeg = vec![0usize; n];
    for list in &forward {
        for &w in list {
            indeg[w] += 1;
        }
    }
    let mut rank = vec![0usize; n];
    let mut queue: Vec<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut head = 0;
    while let Some(&v) = queue.get(head) {
        head += 1;
        for &w in &forward[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push(w);
            }
        }
    }
    model
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), rank[i]))
        .collect()
}

/// The outermost known boundary of an element (None: no or unknown boundary).
fn top_boundary<'a>(model: &'a Model, boundary: Option<&str>) -> Option<&'a str> {
    let mut cur = model.boundary(boundary?)?;
    let mut seen = 0;
    while let Some(p) = cur.parent.as_deref().and_then(|p| model.boundary(p)) {
        cur = p;
        seen += 1;
        if seen > model.boundaries.len() {
            break; // a cycle of parents (validation refuses it; be safe anyway)
        }
    }
    Some(cur.id.as_str())
}

struct Ctx<'a> {
    model: &'a Model,
    ranks: &'a HashMap<String, usize>,
    nodes: BTreeMap<String, Rect>,
    boxes: Vec<BoundaryBox>,
}

impl Ctx<'_> {
    /// Places the elements sitting directly in `boundary` as a band at
    /// (x, y); returns its size.
    fn band(&mut self, boundary: Option<&str>, x: f64, y: f64, loose: bool) -> (f64, f64) {
        let model = self.model;
        let members: Vec<&stride_core::Element> = model
            .elements
            .iter()
            .filter(|e| {
                if loose {
                    e.boundary
                        .as_deref()
                        .is_none_or(|b| model.boundary(b).is_none())
                } else {
                    e.boundary.as_deref() == boundary
                }
            })
            .collect();
        if members.is_empty() {
            return (0.0, 0.0);
        }
        let mut by_rank: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for e in &members {
            let r = self.ranks.get(&e.id).copied().unwrap_or(0);
            by_rank.entry(r).or_default().push(&e.id);
        }
        let tallest = by_rank.values().map(Vec::len).max().unwrap_or(1);
        for (col, ids) in by_rank.values().enumerate() {
            for (row, id) in ids.iter().enumerate() {
                self.nodes.insert(
                    (*id).to_string(),
                    Rect {
                        x: x + col as f64 * (W + HGAP),
                        y: y + row as f64 * (H + VGAP),
                        w: W,
                        h: H,
                    },
                );
            }
        }
        let cols = by_rank.len() as f64;
        (
            cols * W + (cols - 1.0) * HGAP,
            tallest as f64 * H + (tallest as f64 - 1.0) * VGAP,
        )
    }

    /// Places a boundary box with its band and nested boxes; returns its size.
    fn boundary(&mut self, id: &str, x: f64, y: f64, depth: usize) -> (f64, f64) {
        let model = self.model;
        let Some(b) = model.boundary(id) else {
            return (0.0, 0.0);
        };
        let slot = self.boxes.len();
        self.boxes.push(BoundaryBox {
            id: b.id.clone(),
            name: b.name.clone(),
            kind: b.kind,
            rect: Rect {
                x,
                y,
                w: 0.0,
                h: 0.0,
            },
        });
        let inner_x = x + PAD;
        let mut cur_y = y + LABEL + PAD / 2.0;
        let (bw, bh) = self.band(Some(id), inner_x, cur_y, false);
        let mut width = bw;
        if bh > 0.0 {
            cur_y += bh + VGAP;
        }
        if depth < 32 {
            let children: Vec<&str> = model
                .boundaries
                .iter()
                .filter(|c| c.parent.as_deref() == Some(id) && c.id != id)
                .map(|c| c.id.as_str())
                .collect();
            for c in children {
                let (cw, ch) = self.boundary(c, inner_x, cur_y, depth + 1);
                width = width.max(cw);
                cur_y += ch + VGAP;
            }
        }
        let w = (width + 2.0 * PAD).max(W + 2.0 * PAD);
        let h = (cur_y - VGAP + PAD - y).max(LABEL + PAD + H / 2.0);
        self.boxes[slot].rect.w = w;
        self.boxes[slot].rect.h = h;
        (w, h)
    }
}

/// Lays out a model (left to right).
pub fn layout(model: &Model) -> Layout {
    let ranks = ranks(model);
    // Columns: each top-level boundary, and one for loose elements.
    let mut columns: Vec<(Option<&str>, f64)> = Vec::new();
    let mut keys: Vec<Option<&str>> = model
        .boundaries
        .iter()
        .filter(|b| {
            b.parent
                .as_deref()
                .is_none_or(|p| model.boundary(p).is_none())
        })
        .map(|b| Some(b.id.as_str()))
        .collect();
    keys.push(None);
    for key in keys {
        let rs: Vec<usize> = model
            .elements
            .iter()
            .filter(|e| top_boundary(model, e.boundary.as_deref()) == key)
            .map(|e| ranks.get(&e.id).copied().unwrap_or(0))
            .collect();
        if key.is_none() && rs.is_empty() {
            continue;
        }
        let mean = if rs.is_empty() {
            f64::MAX
        } else {
            rs.iter().sum::<usize>() as f64 / rs.len() as f64
        };
        columns.push((key, mean));
    }
    // Stable sort keeps model order among equal means.
    columns.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut ctx = Ctx {
        model,
        ranks: &ranks,
        nodes: BTreeMap::new(),
        boxes: Vec::new(),
    };
    // Boundaries whose elements sit at about the same rank share a column,
    // stacked, so the diagram grows down as well as across.
    let mut slots: Vec<Vec<Option<&str>>> = Vec::new();
    let mut last: Option<f64> = None;
    for (key, mean) in columns {
        let slot = if mean == f64::MAX {
            f64::MAX
        } else {
            mean.round()
        };
        if last == Some(slot) {
            if let Some(s) = slots.last_mut() {
                s.push(key);
            }
        } else {
            slots.push(vec![key]);
            last = Some(slot);
        }
    }
    let mut x = MARGIN;
    let mut height: f64 = 0.0;
    for keys in slots {
        let mut y = MARGIN;
        let mut width: f64 = 0.0;
        for key in keys {
            let (w, h) = match key {
                Some(id) => ctx.boundary(id, x, y, 0),
                None => {
                    let (w, h) = ctx.band(None, x, y + LABEL + PAD / 2.0, true);
                    (w, h + LABEL + PAD)
                }
            };
            width = width.max(w);
            y += h + VGAP;
        }
        x += width + COLGAP;
        height = height.max(y - VGAP - MARGIN);
    }
    Layout {
        nodes: ctx.nodes,
        boxes: ctx.boxes,
        width: (x - COLGAP + MARGIN).max(2.0 * MARGIN + W),
        height: height + 2.0 * MARGIN,
    }
}

/// The rank direction that keeps a diagram closest to a landscape page:
/// `LR` unless the flow chain is much longer than the diagram is wide.
pub fn rank_direction(model: &Model) -> &'static str {
    let ranks = ranks(model);
    let depth = ranks.values().max().map_or(1, |m| m + 1) as f64;
    let mut per_rank: HashMap<usize, usize> = HashMap::new();
    for r in ranks.values() {
        *per_rank.entry(*r).or_default() += 1;
    }
    let breadth = per_rank.values().max().copied().unwrap_or(1) as f64;
    // Aspect ratio (width / height) of each direction, in node units.
    let lr = (depth * (W + HGAP)) / (breadth * (H + VGAP));
    let tb = (breadth * (W + HGAP / 2.0)) / (depth * (H + VGAP));
    let target: f64 = 1.6;
    if (lr / target).ln().abs() <= (tb / target).ln().abs() {
        "LR"
    } else {
        "TB"
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn model(yaml: &str) -> Model {
        Model::load("t.yaml", yaml).unwrap().model
    }

    #[test]
    fn ranks_follow_flows_and_cycles_terminate() {
        let m = model(
            "name: t\nelements:\n  - { id: a, name: A, kind: external_entity }\n  - { id: b, name: B, kind: process }\n  - { id: c, name: C, kind: data_store }\nflows:\n  - { id: f1, from: a, to: b }\n  - { id: f2, from: b, to: c }\n  - { id: f3, from: c, to: b }\n",
        );
        let r = ranks(&m);
        assert_eq!((r["a"], r["b"], r["c"]), (0, 1, 2));
    }

    #[test]
    fn nested_boxes_lie_inside_their_parent_and_nodes_do_not_overlap() {
        let m = model(
            "name: t\nboundaries:\n  - { id: o, name: O }\n  - { id: i, name: I, parent: o }\nelements:\n  - { id: a, name: A, kind: process, boundary: o }\n  - { id: b, name: B, kind: process, boundary: i }\n  - { id: c, name: C, kind: process, boundary: i }\n  - { id: d, name: D, kind: process }\nflows:\n  - { id: f1, from: d, to: a }\n  - { id: f2, from: a, to: b }\n",
        );
        let l = layout(&m);
        assert_eq!(l.nodes.len(), 4);
        let o = &l.boxes[0].rect;
        let i = &l.boxes[1].rect;
        assert!(i.x > o.x && i.y > o.y && i.x + i.w < o.x + o.w && i.y + i.h < o.y + o.h);
        let rects: Vec<&Rect> = l.nodes.values().collect();
        for (n, a) in rects.iter().enumerate() {
            for b in &rects[n + 1..] {
                let apart =
                    a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
        // The loose element feeds the boundary: its column comes first.
        assert!(l.nodes["d"].x < l.nodes["a"].x);
    }

    #[test]
    fn long_chains_are_drawn_top_to_bottom() {
        let mut yaml = String::from("name: t\nelements:\n");
        for i in 0..10 {
            yaml.push_str(&format!("  - {{ id: e{i}, name: E, kind: process }}\n"));
        }
        yaml.push_str("flows:\n");
        for i in 0..9 {
            yaml.push_str(&format!("  - {{ id: f{i}, from: e{i}, to: e{} }}\n", i + 1));
        }
        assert_eq!(rank_direction(&model(&yaml)), "TB");
    }
}
