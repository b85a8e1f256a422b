//! `threat-modeler diff OLD NEW`: threats added, removed and changed, and
//! the attack paths that opened or closed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use stride_core::{Finding, Status};

use crate::analyze::FailOn;
use crate::input::Input;
use crate::output::write_out;
use crate::report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Lines for people.
    Text,
    /// `{"added", "removed", "changed"}`.
    Json,
    /// Markdown tables.
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier model.
    old: PathBuf,
    /// The later model.
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Exit 1 when a new or worsened open threat is at or above this severity.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
    /// Accepted risks applied to both versions.
    #[arg(long, value_name = "FILE")]
    accepted: Option<PathBuf>,
}

fn brief(f: &Finding) -> serde_json::Value {
    json!({ "id": f.id, "title": f.title, "stride": f.stride, "severity": f.risk.severity, "status": report::status_name(f.status) })
}

/// A severity and status, with the score: `high 7.4 open`.
fn state(f: &Finding) -> String {
    format!(
        "{} {:.1} {}",
        f.risk.severity,
        f.risk.score,
        report::status_name(f.status)
    )
}

/// The text and Markdown forms of a diff: titles, and for changed threats
/// the severity and status before and after.
fn diff_text(
    added: &[&Finding],
    removed: &[&Finding],
    changed: &[(&Finding, &Finding)],
    md: bool,
) -> String {
    let mut out = String::new();
    for (title, list, mark) in [("added", added, '+'), ("removed", removed, '-')] {
        if md {
            out.push_str(&format!("## {} {title}\n\n", list.len()));
        } else {
            out.push_str(&format!("{} {title}\n", list.len()));
        }
        for f in report::by_risk_refs(list) {
            if md {
                out.push_str(&format!(
                    "- `{}` {} ({})\n",
                    f.id,
                    report::md_escape(&f.title),
                    state(f)
                ));
            } else {
                out.push_str(&format!(
                    "  {mark} {}  [{}]\n      {}\n",
                    f.title,
                    state(f),
                    f.id
                ));
            }
        }
        out.push('\n');
    }
    if md {
        out.push_str(&format!("## {} changed\n\n", changed.len()));
    } else {
        out.push_str(&format!("{} changed\n", changed.len()));
    }
    for (o, n) in changed {
        let arrow = if n.risk.severity > o.risk.severity {
            "worse"
        } else if n.risk.severity < o.risk.severity {
            "better"
        } else {
            "status"
        };
        if md {
            out.push_str(&format!(
                "- `{}` {}: {} → {} ({arrow})\n",
                n.id,
                report::md_escape(&n.title),
                state(o),
                state(n)
            ));
        } else {
            out.push_str(&format!(
                "  ~ {}  [{} -> {}] ({arrow})\n      {}\n",
                n.title,
                state(o),
                state(n),
                n.id
            ));
        }
    }
    out
}

pub fn run(args: &DiffArgs, input: &Input) -> Result<u8, String> {
    let (old_model, old) = input.analysed(&args.old, args.accepted.as_deref())?;
    let (new_model, new) = input.analysed(&args.new, args.accepted.as_deref())?;
    let paths = crate::path_diff::diff((&old_model.model, &old), (&new_model.model, &new));
    let old_by: BTreeMap<&str, &Finding> = old.threats.iter().map(|t| (t.id.as_str(), t)).collect();
    let new_by: BTreeMap<&str, &Finding> = new.threats.iter().map(|t| (t.id.as_str(), t)).collect();
    let added: Vec<&Finding> = new_by
        .iter()
        .filter(|(k, _)| !old_by.contains_key(*k))
        .map(|(_, v)| *v)
        .collect();
    let removed: Vec<&Finding> = old_by
        .iter()
        .filter(|(k, _)| !new_by.contains_key(*k))
        .map(|(_, v)| *v)
        .collect();
    let changed: Vec<(&Finding, &Finding)> = new_by
        .iter()
        .filter_map(|(k, n)| {
            old_by
                .get(k)
                .filter(|o| o.status != n.status || o.risk.severity != n.risk.severity)
                .map(|o| (*o, *n))
        })
        .collect();
    let text = match args.format {
        DiffFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({
                "added": added.iter().map(|f| brief(f)).collect::<Vec<_>>(),
                "removed": removed.iter().map(|f| brief(f)).collect::<Vec<_>>(),
                "changed": changed.iter().map(|(o, n)| json!({ "id": n.id, "title": n.title, "before": brief(o), "after": brief(n) })).collect::<Vec<_>>(),
                "paths": paths.json(),
            }))
            .map_err(|e| e.to_string())?
        ),
        DiffFormat::Text => diff_text(&added, &removed, &changed, false) + "\n" + &paths.text(false),
        DiffFormat::Markdown => {
            diff_text(&added, &removed, &changed, true) + "\n" + &paths.text(true)
        }
    };
    write_out(None, &text)?;
    // The gate: only new threats, or ones that got worse, count.
    let worse = |f: &Finding| {
        args.fail_on
            .is_some_and(|t| f.status == Status::Open && f.risk.severity >= t.severity())
    };
    let tripped = added.iter().any(|f| worse(f))
        || changed.iter().any(|(o, n)| {
            worse(n) && (o.status != Status::Open || o.risk.severity < n.risk.severity)
        });
    Ok(u8::from(tripped))
}
