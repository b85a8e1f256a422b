//! Trust boundaries drawn as curves (Threat Dragon's `tm.Boundary`, v1 and
//! v2 `trust-boundary-curve`): from geometry to the zones our rules read.
//!
//! A curve is the polyline through its source, vertices and target. Both
//! end segments are extended, straight, to a box around the whole diagram,
//! and the curve is closed along that box: the curve then splits the diagram
//! into two sides, and an element's side is found by ray casting (even-odd)
//! from its centre. An element whose box the curve itself passes through is
//! on neither side: it is reported, not guessed.
//!
//! Each curve becomes one boundary: the side holding fewer elements (the
//! enclosed side; on a tie, the side the ray casting calls inside). An
//! element's zone is then the smallest of the boxes and enclosed sides that
//! hold it (by element count). A flow whose ends lie on opposite sides of a
//! curve crosses it; where zones cannot show such a crossing (both ends end
//! up in the same smaller zone), that is reported too.

use std::collections::BTreeMap;

use super::{Thing, Unmapped};

/// A point.
pub type Pt = (f64, f64);

/// An axis-aligned box: x, y, width, height.
pub type Rect = (f64, f64, f64, f64);

/// A boundary curve.
#[derive(Debug, Clone)]
pub struct Curve {
    /// Its id in the source file.
    pub id: String,
    /// Its label (may be empty).
    pub name: String,
    /// Source, vertices, target.
    pub points: Vec<Pt>,
}

/// Which side of a curve an element sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The enclosed side (the curve's zone).
    Enclosed,
    /// The other side.
    Outside,
    /// The curve passes through the element's box.
    Neither,
}

fn centre(r: Rect) -> Pt {
    (r.0 + r.2 / 2.0, r.1 + r.3 / 2.0)
}

fn cross(o: Pt, a: Pt, b: Pt) -> f64 {
    (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
}

/// Whether segments `p1-p2` and `q1-q2` intersect (touching counts).
pub fn segments_meet(p1: Pt, p2: Pt, q1: Pt, q2: Pt) -> bool {
    let d1 = cross(q1, q2, p1);
    let d2 = cross(q1, q2, p2);
    let d3 = cross(p1, p2, q1);
    let d4 = cross(p1, p2, q2);
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    let on = |a: Pt, b: Pt, p: Pt, d: f64| {
        d == 0.0
            && p.0 >= a.0.min(b.0)
            && p.0 <= a.0.max(b.0)
            && p.1 >= a.1.min(b.1)
            && p.1 <= a.1.max(b.1)
    };
    on(q1, q2, p1, d1) || on(q1, q2, p2, d2) || on(p1, p2, q1, d3) || on(p1, p2, q2, d4)
}

fn segment_hits_rect(a: Pt, b: Pt, r: Rect) -> bool {
    let (x, y, w, h) = r;
    let inside = |p: Pt| p.0 >= x && p.0 <= x + w && p.1 >= y && p.1 <= y + h;
    if inside(a) || inside(b) {
        return true;
    }
    let c = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
    (0..4).any(|i| segments_meet(a, b, c[i], c[(i + 1) % 4]))
}

/// Where a ray from `p` along `d` leaves the box `lo..hi` (p is inside).
fn exit(p: Pt, d: Pt, lo: Pt, hi: Pt) -> Pt {
    let mut t = f64::INFINITY;
    for (pc, dc, l, h) in [(p.0, d.0, lo.0, hi.0), (p.1, d.1, lo.1, hi.1)] {
        if dc > 0.0 {
            t = t.min((h - pc) / dc);
        } else if dc < 0.0 {
            t = t.min((l - pc) / dc);
        }
    }
    if !t.is_finite() {
        t = 0.0;
    }
    (p.0 + d.0 * t, p.1 + d.1 * t)
}

/// Position along the box's perimeter, 0..4, corners at integers:
/// (lo.x,lo.y)=0, (hi.x,lo.y)=1, (hi.x,hi.y)=2, (lo.x,hi.y)=3.
fn perimeter_pos(p: Pt, lo: Pt, hi: Pt) -> f64 {
    let (w, h) = (hi.0 - lo.0, hi.1 - lo.1);
    let eps = 1e-6 * (w + h).max(1.0);
    if (p.1 - lo.1).abs() <= eps {
        (p.0 - lo.0) / w
    } else if (p.0 - hi.0).abs() <= eps {
        1.0 + (p.1 - lo.1) / h
    } else if (p.1 - hi.1).abs() <= eps {
        2.0 + (hi.0 - p.0) / w
    } else {
        3.0 + (hi.1 - p.1) / h
    }
}

/// The curve closed along the diagram's box; `None` when it has no length.
fn closed(points: &[Pt], lo: Pt, hi: Pt) -> Option<Vec<Pt>> {
    let pts: Vec<Pt> = points
        .iter()
        .copied()
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    let first = *pts.first()?;
    let last = *pts.last()?;
    let away_from = |p: Pt, q: Option<&Pt>| q.map(|q| (p.0 - q.0, p.1 - q.1));
    let far = |p: Pt, q: &&Pt| (q.0 - p.0).abs() + (q.1 - p.1).abs() > 1e-9;
    let d0 = away_from(first, pts.iter().find(|q| far(first, q)))?;
    let d1 = away_from(last, pts.iter().rev().find(|q| far(last, q)))?;
    let start = exit(first, d0, lo, hi);
    let end = exit(last, d1, lo, hi);
    let mut poly = vec![start];
    poly.extend(pts.iter().copied());
    poly.push(end);
    // Walk the box from the end's exit round to the start's exit.
    let (se, ss) = (perimeter_pos(end, lo, hi), perimeter_pos(start, lo, hi));
    let corners = [lo, (hi.0, lo.1), hi, (lo.0, hi.1)];
    let target = if ss > se { ss } else { ss + 4.0 };
    let mut k = se.floor() + 1.0;
    let mut guard = 0;
    while k < target && guard < 5 {
        poly.push(corners[(k.max(0.0) as usize) % 4]);
        k += 1.0;
        guard += 1;
    }
    Some(poly)
}

fn inside(poly: &[Pt], p: Pt) -> bool {
    let mut c = false;
    let n = poly.len();
    for i in 0..n {
        let (a, b) = (poly[i], poly[(i + n - 1) % n]);
        if (a.1 > p.1) != (b.1 > p.1) && p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 {
            c = !c;
        }
    }
    c
}

/// What the curves say about the elements.
#[derive(Debug, Default)]
pub struct Placement {
    /// Per curve index, per element id: its side.
    pub sides: Vec<BTreeMap<String, Side>>,
    /// Per curve index: how many elements are on its enclosed side.
    pub enclosed: Vec<usize>,
    /// One line per curve that could not be used or per element on neither
    /// side.
    pub unmapped: Vec<Unmapped>,
}

/// Places every element (id, box) against every curve.
pub fn place(curves: &[Curve], elements: &[(String, Rect)]) -> Placement {
    let mut out = Placement::default();
    // The diagram's box, with room to spare.
    let mut lo = (f64::INFINITY, f64::INFINITY);
    let mut hi = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    let mut grow = |p: Pt| {
        if p.0.is_finite() && p.1.is_finite() {
            lo = (lo.0.min(p.0), lo.1.min(p.1));
            hi = (hi.0.max(p.0), hi.1.max(p.1));
        }
    };
    for (_, r) in elements {
        grow((r.0, r.1));
        grow((r.0 + r.2, r.1 + r.3));
    }
    for c in curves {
        c.points.iter().for_each(|p| grow(*p));
    }
    let margin = 100.0;
    let (lo, hi) = (
        (lo.0 - margin, lo.1 - margin),
        (hi.0 + margin, hi.1 + margin),
    );
    for c in curves {
        let label = if c.name.is_empty() { &c.id } else { &c.name };
        let mut sides = BTreeMap::new();
        let Some(poly) = (lo.0.is_finite() && hi.0.is_finite())
            .then(|| closed(&c.points, lo, hi))
            .flatten()
        else {
            out.unmapped.push(Unmapped::new(
                Thing::BoundaryCurve,
                label,
                "it has no length; it separates nothing",
            ));
            out.sides.push(sides);
            out.enclosed.push(0);
            continue;
        };
        let (mut a, mut b) = (0, 0);
        for (id, r) in elements {
            let straddles = c
                .points
                .windows(2)
                .any(|w| segment_hits_rect(w[0], w[1], *r));
            let side = if straddles {
                out.unmapped.push(Unmapped::new(
                    Thing::Element,
                    id,
                    format!("boundary curve {label} passes through it; its side is not guessed"),
                ));
                Side::Neither
            } else if inside(&poly, centre(*r)) {
                a += 1;
                Side::Enclosed
            } else {
                b += 1;
                Side::Outside
            };
            sides.insert(id.clone(), side);
        }
        // The enclosed side is the smaller one.
        if b < a {
            for s in sides.values_mut() {
                *s = match *s {
                    Side::Enclosed => Side::Outside,
                    Side::Outside => Side::Enclosed,
                    Side::Neither => Side::Neither,
                };
            }
        }
        if a.min(b) == 0 {
            out.unmapped.push(Unmapped::new(
                Thing::BoundaryCurve,
                label,
                "every placed element is on one side; it separates nothing",
            ));
        }
        out.sides.push(sides);
        out.enclosed.push(a.min(b));
    }
    out
}

/// Element zones from boxes and curves together.
#[derive(Debug, Default)]
pub struct Assignment {
    /// Element id to the id of the boundary (box or curve) it sits in.
    pub zone: BTreeMap<String, String>,
    /// The curves that became boundaries: (id, name).
    pub curve_zones: Vec<(String, String)>,
    /// One line per thing that could not be placed or seen.
    pub unmapped: Vec<Unmapped>,
}

/// Places elements in boxes (by centre) and on curves' sides, and picks for
/// each the smallest zone (by element count) that holds it; `flows` (id,
/// from, to) crossing a curve unseen by the zones are reported.
pub fn assign(
    boxes: &[(String, Rect)],
    curves: &[Curve],
    elements: &[(String, Rect)],
    flows: &[(String, String, String)],
) -> Assignment {
    let mut out = Assignment::default();
    let placed = place(curves, elements);
    out.unmapped.extend(placed.unmapped.iter().cloned());
    let in_box = |r: &Rect, b: &Rect| {
        let (cx, cy) = centre(*r);
        cx >= b.0 && cx <= b.0 + b.2 && cy >= b.1 && cy <= b.1 + b.3
    };
    let box_count: Vec<usize> = boxes
        .iter()
        .map(|(_, b)| elements.iter().filter(|(_, r)| in_box(r, b)).count())
        .collect();
    for (i, c) in curves.iter().enumerate() {
        if placed.enclosed.get(i).copied().unwrap_or(0) > 0 {
            let name = if c.name.trim().is_empty() {
                format!("boundary curve {}", i + 1)
            } else {
                c.name.clone()
            };
            out.curve_zones.push((c.id.clone(), name));
        }
    }
    for (id, r) in elements {
        // (members, is-curve, area): fewest members, boxes before curves,
        // then the smaller box.
        let mut best: Option<((usize, bool, f64), String)> = None;
        let mut offer = |key: (usize, bool, f64), zone: &str| {
            let better = match &best {
                None => true,
                Some((k, _)) => key.0 < k.0 || (key.0 == k.0 && (key.1, key.2) < (k.1, k.2)),
            };
            if better {
                best = Some((key, zone.to_string()));
            }
        };
        for (bi, (bid, b)) in boxes.iter().enumerate() {
            if in_box(r, b) {
                offer((box_count[bi], false, b.2 * b.3), bid);
            }
        }
        for (ci, c) in curves.iter().enumerate() {
            let n = placed.enclosed.get(ci).copied().unwrap_or(0);
            if n > 0 && placed.sides[ci].get(id) == Some(&Side::Enclosed) {
                offer((n, true, 0.0), &c.id);
            }
        }
        if let Some((_, z)) = best {
            out.zone.insert(id.clone(), z);
        }
    }
    for (fid, from, to) in flows {
        for (ci, c) in curves.iter().enumerate() {
            let s = &placed.sides[ci];
            let (Some(a), Some(b)) = (s.get(from), s.get(to)) else {
                continue;
            };
            let opposite = matches!(
                (a, b),
                (Side::Enclosed, Side::Outside) | (Side::Outside, Side::Enclosed)
            );
            if opposite && out.zone.get(from) == out.zone.get(to) {
                let label = if c.name.is_empty() { &c.id } else { &c.name };
                out.unmapped.push(Unmapped::new(
                    Thing::Flow,
                    fid,
                    format!("crosses boundary curve {label}, but both ends fall in the same smaller zone; the rules do not see this crossing"),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(id: &str, x: f64, y: f64) -> (String, Rect) {
        (id.to_string(), (x, y, 20.0, 20.0))
    }

    #[test]
    fn a_vertical_curve_splits_left_from_right() {
        let c = Curve {
            id: "c".into(),
            name: "Internet".into(),
            points: vec![(100.0, 0.0), (110.0, 150.0), (100.0, 300.0)],
        };
        let els = vec![
            el("user", 0.0, 100.0),
            el("web", 200.0, 50.0),
            el("db", 200.0, 200.0),
        ];
        let p = place(&[c], &els);
        assert_eq!(p.sides[0]["user"], Side::Enclosed);
        assert_eq!(p.sides[0]["web"], Side::Outside);
        assert_eq!(p.sides[0]["db"], Side::Outside);
        assert!(p.unmapped.is_empty(), "{:?}", p.unmapped);
    }

    #[test]
    fn an_element_the_curve_passes_through_is_on_neither_side() {
        let c = Curve {
            id: "c".into(),
            name: String::new(),
            points: vec![(100.0, 0.0), (100.0, 300.0)],
        };
        let els = vec![
            el("a", 0.0, 0.0),
            el("b", 95.0, 100.0),
            el("c2", 200.0, 0.0),
        ];
        let p = place(&[c], &els);
        assert_eq!(p.sides[0]["b"], Side::Neither);
        assert_eq!(p.unmapped.len(), 1);
    }

    #[test]
    fn a_curve_of_one_point_is_reported_not_used() {
        let c = Curve {
            id: "c".into(),
            name: String::new(),
            points: vec![(1.0, 1.0), (1.0, 1.0)],
        };
        let p = place(&[c], &[el("a", 0.0, 0.0)]);
        assert!(p.unmapped[0].to_string().contains("no length"));
    }
}
