//! `threat-modeler rules [show ID]`: the threat rules of the catalogue.

use clap::Args;
use serde_json::{Value, json};
use stride_core::Catalog;

use crate::TextOrJson;
use crate::output::write_out;

#[derive(Debug, clap::Subcommand)]
pub enum RulesCommand {
    /// Print one rule in full: conditions, controls, mitigations, examples.
    Show {
        /// The rule id.
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    command: Option<RulesCommand>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

pub fn run(args: &RulesArgs) -> Result<u8, String> {
    let mut out = String::new();
    let code = rules_into(args, &mut out)?;
    write_out(None, &out)?;
    Ok(code)
}

fn rules_into(args: &RulesArgs, text: &mut String) -> Result<u8, String> {
    let rules = Catalog::builtin().rules();
    if let Some(RulesCommand::Show { id }) = &args.command {
        let r = Catalog::builtin().get(id).ok_or_else(|| {
            format!("no rule has the id {id:?} (`threat-modeler rules` lists them)")
        })?;
        let conds = |c: &[stride_core::condition::Condition]| {
            c.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        };
        let mut out = format!(
            "{}  {}  ({} rule{})\n{}\n\n{}\n\nwhen:          {}\n",
            r.id,
            r.stride,
            r.scope.as_str(),
            if r.baseline { ", baseline" } else { "" },
            r.title,
            r.description,
            conds(&r.when)
        );
        if !r.any.is_empty() {
            out.push_str(&format!("any of:        {}\n", conds(&r.any)));
        }
        let ids = |prefix: &str, list: &[u32]| {
            list.iter()
                .map(|n| format!("{prefix}-{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let [d, r5, e, a, d2] = r.dread;
        out.push_str(&format!(
            "mitigated by:  {}\nCWE:           {}\nCAPEC:         {}\nDREAD default: D:{d}/R:{r5}/E:{e}/A:{a}/D:{d2}\nmitigations:\n",
            r.mitigated_by.join(", "),
            ids("CWE", &r.cwe),
            ids("CAPEC", &r.capec),
        ));
        for m in &r.mitigations {
            out.push_str(&format!("  {}: {} — {}\n", m.id, m.title, m.text));
        }
        out.push_str(&format!(
            "\nfires on:\n{}\nquiet on:\n{}",
            r.examples.fires, r.examples.quiet
        ));
        text.push_str(&out);
        return Ok(0);
    }
    match args.format {
        TextOrJson::Json => {
            let list: Vec<Value> = rules
                .iter()
                .map(|r| {
                    json!({
                        "id": r.id,
                        "stride": r.stride,
                        "scope": r.scope,
                        "title": r.title,
                        "description": r.description,
                        "cwe": r.cwe,
                        "capec": r.capec,
                        "mitigations": r.mitigations,
                        "mitigated_by": r.mitigated_by,
                        "baseline": r.baseline,
                        "references": r.references,
                    })
                })
                .collect();
            outln!(
                text,
                "{}",
                serde_json::to_string_pretty(&json!({ "rules": list }))
                    .map_err(|e| e.to_string())?
            );
        }
        TextOrJson::Text => {
            for r in rules {
                outln!(text, "{:<12} {:<23} {}", r.id, r.stride.as_str(), r.title);
            }
            outln!(text, "{} rules", rules.len());
        }
    }
    Ok(0)
}
