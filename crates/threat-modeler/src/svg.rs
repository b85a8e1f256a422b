//! The data-flow diagram as inline SVG, drawn from our own layout
//! ([`crate::layout`]): boundaries as labelled boxes (one style per kind),
//! external entities as rectangles, processes as rounded boxes, data stores
//! as open-ended boxes, flows as labelled arrows, elements and flows coloured
//! by their worst open risk, and a legend.
//!
//! Every element is one `<g class="node ...">` holding exactly one shape with
//! `class="shape"`; tests count them.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use dread::Severity;
use stride_core::{BoundaryKind, ElementKind, Model};

use crate::layout::{self, H, Rect, W};
use crate::report::html_escape as esc;

/// Fill and stroke for a worst open risk (`None`: nothing open).
pub fn risk_colours(worst: Option<Severity>) -> (&'static str, &'static str) {
    match worst {
        Some(Severity::Critical) => ("#fecaca", "#991b1b"),
        Some(Severity::High) => ("#fed7aa", "#c2410c"),
        Some(Severity::Medium) => ("#fef08a", "#a16207"),
        Some(Severity::Low) => ("#dbeafe", "#1d4ed8"),
        _ => ("#dcfce7", "#15803d"),
    }
}

/// Stroke colour and dash pattern of a boundary kind.
pub fn boundary_style(kind: BoundaryKind) -> (&'static str, &'static str) {
    match kind {
        BoundaryKind::Internet => ("#dc2626", "8 4"),
        BoundaryKind::Dmz => ("#ea580c", "8 4"),
        BoundaryKind::Corporate => ("#2563eb", "2 3"),
        BoundaryKind::OnPrem => ("#7c3aed", "2 3"),
        BoundaryKind::Cloud => ("#0d9488", "12 4 2 4"),
        BoundaryKind::ThirdParty => ("#92400e", "4 4"),
        BoundaryKind::Device => ("#4b5563", "1 3"),
        BoundaryKind::Generic => ("#6b7280", "6 3"),
    }
}

/// Shortens a label to `max` characters, with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn shape(kind: ElementKind, r: &Rect, fill: &str, stroke: &str, dash: &str) -> String {
    let common =
        format!("class=\"shape\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"{dash}");
    match kind {
        ElementKind::ExternalEntity => format!(
            "<rect {common} x=\"{:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"{:.0}\"/>",
            r.x, r.y, r.w, r.h
        ),
        ElementKind::Process => format!(
            "<rect {common} x=\"{:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"{:.0}\" rx=\"{:.0}\"/>",
            r.x,
            r.y,
            r.w,
            r.h,
            r.h / 2.0
        ),
        // The DFD store: two parallel lines, closed on the left only.
        ElementKind::DataStore => format!(
            "<path {common} d=\"M{:.0},{:.0} H{:.0} V{:.0} H{:.0}\"/>",
            r.x + r.w,
            r.y,
            r.x,
            r.y + r.h,
            r.x + r.w
        ),
    }
}

/// The point where the segment from the centre of `r` towards `(tx, ty)`
/// leaves the rectangle.
fn exit_point(r: &Rect, tx: f64, ty: f64) -> (f64, f64) {
    let (cx, cy) = r.centre();
    let (dx, dy) = (tx - cx, ty - cy);
    if dx == 0.0 && dy == 0.0 {
        return (cx, cy);
    }
    let sx = if dx == 0.0 {
        f64::MAX
    } else {
        (r.w / 2.0) / dx.abs()
    };
    let sy = if dy == 0.0 {
        f64::MAX
    } else {
        (r.h / 2.0) / dy.abs()
    };
    let s = sx.min(sy);
    (cx + dx * s, cy + dy * s)
}

/// Renders the diagram. `worst` maps an element or flow id to its worst open
/// severity (absent: nothing open).
pub fn render(model: &Model, worst: &HashMap<String, Severity>) -> String {
    let l = layout::layout(model);
    let legend_h = 96.0;
    let width = l.width.max(760.0);
    let height = l.height + legend_h;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dfd\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-label=\"Data-flow diagram of {}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n",
        esc(&model.name)
    );
    s.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n");
    for b in &l.boxes {
        let (stroke, dash) = boundary_style(b.kind);
        let r = &b.rect;
        let _ = writeln!(
            s,
            "<g class=\"boundary kind-{k}\" data-id=\"{id}\"><rect x=\"{:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"{:.0}\" rx=\"6\" fill=\"{stroke}\" fill-opacity=\"0.04\" stroke=\"{stroke}\" stroke-width=\"1.5\" stroke-dasharray=\"{dash}\"/><text x=\"{:.0}\" y=\"{:.0}\" fill=\"{stroke}\" font-weight=\"bold\">{}</text><text x=\"{:.0}\" y=\"{:.0}\" fill=\"{stroke}\" font-style=\"italic\" font-size=\"10\" text-anchor=\"end\">{k}</text></g>",
            r.x,
            r.y,
            r.w,
            r.h,
            r.x + 8.0,
            r.y + 16.0,
            esc(&clip(&b.name, ((r.w - 16.0) / 7.2).max(8.0) as usize)),
            r.x + r.w - 6.0,
            r.y + r.h - 6.0,
            k = b.kind.as_str(),
            id = esc(&b.id),
        );
    }
    // Flows: parallel flows between the same pair of elements bend apart.
    let pair = |from: &str, to: &str| {
        if from <= to {
            (from.to_string(), to.to_string())
        } else {
            (to.to_string(), from.to_string())
        }
    };
    let mut pair_total: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in &model.flows {
        *pair_total.entry(pair(&f.from, &f.to)).or_insert(0) += 1;
    }
    let mut pair_seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in &model.flows {
        let (Some(a), Some(b)) = (l.nodes.get(&f.from), l.nodes.get(&f.to)) else {
            continue;
        };
        let key = pair(&f.from, &f.to);
        let total = pair_total.get(&key).copied().unwrap_or(1) as f64;
        let nth = pair_seen.entry(key).or_insert(0);
        // Offsets are measured against the pair's canonical direction.
        let sign = if f.from <= f.to { 1.0 } else { -1.0 };
        let bend = sign * 16.0 * (*nth as f64 - (total - 1.0) / 2.0);
        *nth += 1;
        let (bx, by) = b.centre();
        let (ax, ay) = a.centre();
        let (x1, y1) = exit_point(a, bx, by);
        let (x2, y2) = exit_point(b, ax, ay);
        let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        let len = ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt().max(1.0);
        let (nx, ny) = (-(y2 - y1) / len, (x2 - x1) / len);
        let (qx, qy) = (mx + nx * bend * 2.0, my + ny * bend * 2.0);
        let (lx, ly) = (mx + nx * bend, my + ny * bend);
        let sev = worst.get(&f.id).copied();
        let colour = if sev.is_some() {
            risk_colours(sev).1
        } else {
            "#374151"
        };
        let dash = if f.encrypted {
            ""
        } else {
            " stroke-dasharray=\"6 4\""
        };
        let mut label = f.name.clone().unwrap_or_else(|| f.id.clone());
        if let Some(p) = &f.protocol {
            label.push_str(&format!(" ({p})"));
        }
        let _ = writeln!(
            s,
            "<g class=\"flow\" data-id=\"{id}\" data-risk=\"{risk}\"><title>{id}: {from} → {to}</title><path d=\"M{x1:.0},{y1:.0} Q{qx:.0},{qy:.0} {x2:.0},{y2:.0}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.6\"{dash} marker-end=\"url(#arrow)\"/><text x=\"{lx:.0}\" y=\"{:.0}\" text-anchor=\"middle\" font-size=\"10.5\" fill=\"#111827\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text></g>",
            ly - 3.0,
            esc(&clip(&label, 28)),
            id = esc(&f.id),
            from = esc(&f.from),
            to = esc(&f.to),
            risk = sev.map_or("none", Severity::as_str),
        );
    }
    for e in &model.elements {
        let Some(r) = l.nodes.get(&e.id) else {
            continue;
        };
        let sev = worst.get(&e.id).copied();
        let (fill, stroke, dash) = if e.out_of_scope {
            ("#f3f4f6", "#9ca3af", " stroke-dasharray=\"4 3\"")
        } else {
            let (f, st) = risk_colours(sev);
            (f, st, "")
        };
        let kind = match e.kind {
            ElementKind::ExternalEntity => "external_entity",
            ElementKind::Process => "process",
            ElementKind::DataStore => "data_store",
        };
        let (cx, cy) = r.centre();
        let _ = writeln!(
            s,
            "<g class=\"node kind-{kind}\" data-id=\"{id}\" data-risk=\"{risk}\"><title>{name} ({kind}, {ty}){oos}</title>{shape}<text x=\"{cx:.0}\" y=\"{:.0}\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#111827\">{label}</text><text x=\"{cx:.0}\" y=\"{:.0}\" text-anchor=\"middle\" font-size=\"10.5\" fill=\"#374151\">{ty}</text></g>",
            cy - 2.0,
            cy + 13.0,
            id = esc(&e.id),
            risk = if e.out_of_scope {
                "out_of_scope"
            } else {
                sev.map_or("none", Severity::as_str)
            },
            name = esc(&e.name),
            ty = e.component_type,
            oos = if e.out_of_scope { ", out of scope" } else { "" },
            shape = shape(e.kind, r, fill, stroke, dash),
            label = esc(&clip(&e.name, 21)),
        );
    }
    legend(&mut s, model, l.height, width);
    s.push_str("</svg>\n");
    s
}

fn legend(s: &mut String, model: &Model, top: f64, width: f64) {
    let y = top + 8.0;
    let _ = writeln!(
        s,
        "<g class=\"legend\" font-size=\"11\"><line x1=\"16\" y1=\"{y:.0}\" x2=\"{:.0}\" y2=\"{y:.0}\" stroke=\"#d1d5db\"/>",
        width - 16.0
    );
    let small = |x: f64, y: f64| Rect {
        x,
        y,
        w: W / 4.0,
        h: H / 3.0,
    };
    let mut x = 16.0;
    let row1 = y + 14.0;
    for (kind, name) in [
        (ElementKind::ExternalEntity, "external entity"),
        (ElementKind::Process, "process"),
        (ElementKind::DataStore, "data store"),
    ] {
        let r = small(x, row1);
        s.push_str(
            &shape(kind, &r, "#ffffff", "#374151", "")
                .replacen("class=\"shape\" ", "", 1)
                .replace("stroke-width=\"2\"", "stroke-width=\"1.2\""),
        );
        let _ = write!(
            s,
            "<text x=\"{:.0}\" y=\"{:.0}\">{name}</text>",
            x + r.w + 6.0,
            row1 + 13.0
        );
        x += r.w + 100.0;
    }
    for (dash, name) in [
        ("", "encrypted flow"),
        (" stroke-dasharray=\"6 4\"", "unencrypted flow"),
    ] {
        let _ = write!(
            s,
            "<line x1=\"{x:.0}\" y1=\"{:.0}\" x2=\"{:.0}\" y2=\"{:.0}\" stroke=\"#374151\" stroke-width=\"1.6\"{dash} marker-end=\"url(#arrow)\"/><text x=\"{:.0}\" y=\"{:.0}\">{name}</text>",
            row1 + 9.0,
            x + 36.0,
            row1 + 9.0,
            x + 42.0,
            row1 + 13.0
        );
        x += 150.0;
    }
    let row2 = y + 44.0;
    let _ = write!(
        s,
        "<text x=\"16\" y=\"{:.0}\" font-weight=\"bold\">worst open risk:</text>",
        row2 + 12.0
    );
    let mut x = 120.0;
    for (sev, name) in [
        (Some(Severity::Critical), "critical"),
        (Some(Severity::High), "high"),
        (Some(Severity::Medium), "medium"),
        (Some(Severity::Low), "low"),
        (None, "none open"),
    ] {
        let (fill, stroke) = risk_colours(sev);
        let _ = write!(
            s,
            "<rect x=\"{x:.0}\" y=\"{row2:.0}\" width=\"16\" height=\"16\" fill=\"{fill}\" stroke=\"{stroke}\"/><text x=\"{:.0}\" y=\"{:.0}\">{name}</text>",
            x + 22.0,
            row2 + 12.0
        );
        x += 92.0;
    }
    // Boundary kinds used in this model.
    let mut kinds: Vec<BoundaryKind> = model.boundaries.iter().map(|b| b.kind).collect();
    kinds.sort();
    kinds.dedup();
    if !kinds.is_empty() {
        let row3 = y + 70.0;
        let _ = write!(
            s,
            "<text x=\"16\" y=\"{:.0}\" font-weight=\"bold\">trust boundaries:</text>",
            row3 + 12.0
        );
        let mut x = 120.0;
        for k in kinds {
            let (stroke, dash) = boundary_style(k);
            let _ = write!(
                s,
                "<rect x=\"{x:.0}\" y=\"{row3:.0}\" width=\"28\" height=\"16\" rx=\"3\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.5\" stroke-dasharray=\"{dash}\"/><text x=\"{:.0}\" y=\"{:.0}\">{}</text>",
                x + 34.0,
                row3 + 12.0,
                k.as_str()
            );
            x += 110.0;
        }
    }
    s.push_str("</g>\n");
}
