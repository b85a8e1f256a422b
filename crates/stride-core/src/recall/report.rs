//! The recall figures as Markdown tables, ready to paste into
//! `docs/accuracy.md`.

use super::{Outcome, RecallReport};

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "–".into()
    } else {
        format!("{:.0} %", 100.0 * n as f64 / d as f64)
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Three tables: per model (recorded, mapped, raised by any rule, raised by
/// a specific rule, findings, open findings, open per element, the most
/// open findings on one subject), then every human threat with what our
/// analysis says on its subject (the rules, or why it was missed), then the
/// excluded ones.
pub fn markdown(reports: &[RecallReport]) -> String {
    let mut out = String::new();
    out.push_str(
        "| Model | Elements / flows | Recorded | With a STRIDE category | Raised (any rule) | Raised by a specific rule | Findings | Open | Open per element | Most open on one subject |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    let mut total = [0usize; 4];
    for r in reports {
        let (top_id, top) = r
            .open_by_subject
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(id, n)| (id.as_str(), *n))
            .unwrap_or(("", 0));
        let top_name = r.names.get(top_id).map_or(top_id, String::as_str);
        out.push_str(&format!(
            "| {} | {} / {} | {} | {} | {} ({}) | {} ({}) | {} | {} | {:.1} | {} ({}) |\n",
            cell(&r.name),
            r.elements,
            r.flows,
            r.recorded(),
            r.mapped(),
            r.matched(),
            pct(r.matched(), r.mapped()),
            r.matched_specific(),
            pct(r.matched_specific(), r.mapped()),
            r.findings,
            r.open,
            r.open_per_element(),
            top,
            cell(top_name),
        ));
        total[0] += r.recorded();
        total[1] += r.mapped();
        total[2] += r.matched();
        total[3] += r.matched_specific();
    }
    out.push_str(&format!(
        "| **All** | | {} | {} | {} ({}) | {} ({}) | | | | |\n",
        total[0],
        total[1],
        total[2],
        pct(total[2], total[1]),
        total[3],
        pct(total[3], total[1]),
    ));
    out.push_str("\nEvery recorded threat with a STRIDE category, and what our analysis says on its subject:\n\n");
    out.push_str("| Model | Recorded on | Category | Recorded title (status) | Ours |\n");
    out.push_str("|---|---|---|---|---|\n");
    for r in reports {
        for j in &r.judged {
            let next_door = |nearby: &[String]| {
                if nearby.is_empty() {
                    String::new()
                } else {
                    format!("; a specific rule next door: {}", nearby.join(", "))
                }
            };
            let ours = match &j.outcome {
                Outcome::Excluded(_) => continue,
                Outcome::Specific(rules) => format!("raised: {}", rules.join(", ")),
                Outcome::Baseline { rules, nearby } => {
                    format!("baseline only ({}){}", rules.join(", "), next_door(nearby))
                }
                Outcome::Missed { why, nearby } => {
                    format!("**missed**: {why}{}", next_door(nearby))
                }
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} ({}) | {} |\n",
                cell(&r.name),
                cell(&j.subject_name),
                cell(&j.threat.category),
                cell(&j.threat.title),
                cell(&j.threat.status),
                cell(&ours),
            ));
        }
    }
    let excluded: Vec<String> = reports
        .iter()
        .flat_map(|r| {
            r.judged.iter().filter_map(|j| match &j.outcome {
                Outcome::Excluded(why) => Some(format!(
                    "| {} | {} | {} | {} |\n",
                    cell(&r.name),
                    cell(&j.subject_name),
                    cell(&j.threat.title),
                    cell(&why.to_string())
                )),
                _ => None,
            })
        })
        .collect();
    if !excluded.is_empty() {
        out.push_str("\nExcluded (no STRIDE counterpart):\n\n");
        out.push_str("| Model | Recorded on | Recorded title | Why |\n|---|---|---|---|\n");
        out.extend(excluded);
    }
    out
}
