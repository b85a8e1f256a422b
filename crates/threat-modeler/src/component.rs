//! `threat-modeler component TYPE`: what threatens a component of a type,
//! with attributes, without a model.

use std::collections::BTreeMap;

use clap::Args;
use serde_json::json;
use stride_core::{ComponentType, threats_for};

use crate::TextOrJson;
use crate::output::write_out;
use crate::report;

#[derive(Debug, Args)]
pub struct ComponentArgs {
    /// The component type (`component --list` shows them).
    #[arg(required_unless_present = "list")]
    component_type: Option<String>,
    /// An attribute, `key=true|false` (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    attrs: Vec<String>,
    /// List the known component types.
    #[arg(long)]
    list: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

pub fn run(args: &ComponentArgs) -> Result<u8, String> {
    let mut out = String::new();
    let code = component_into(args, &mut out)?;
    write_out(None, &out)?;
    Ok(code)
}

fn component_into(args: &ComponentArgs, out: &mut String) -> Result<u8, String> {
    if args.list {
        match args.format {
            TextOrJson::Json => outln!(
                out,
                "{}",
                json!({ "types": ComponentType::ALL.iter().map(|t| json!({"type": t.as_str(), "kind": t.default_kind().as_str()})).collect::<Vec<_>>() })
            ),
            TextOrJson::Text => {
                for t in ComponentType::ALL {
                    outln!(out, "{t}");
                }
            }
        }
        return Ok(0);
    }
    let name = args.component_type.as_deref().unwrap_or("generic");
    let ctype: ComponentType = name
        .parse()
        .map_err(|e: stride_core::ParseComponentTypeError| e.to_string())?;
    let mut attrs = BTreeMap::new();
    for a in &args.attrs {
        let (k, v) = a.split_once('=').unwrap_or((a.as_str(), "true"));
        if !stride_core::attributes::is_known(k) {
            let known = stride_core::attributes::ATTRIBUTES.iter().map(|(n, _)| *n);
            return Err(match stride_core::attributes::suggest(k, known) {
                Some(s) => format!("--attr {a}: unknown attribute {k:?} (did you mean {s:?}?)"),
                None => format!("--attr {a}: unknown attribute {k:?}"),
            });
        }
        let v = match v {
            "true" | "yes" | "1" => true,
            "false" | "no" | "0" => false,
            other => return Err(format!("--attr {a}: {other:?} is not true or false")),
        };
        attrs.insert(k.to_string(), v);
    }
    let threats = threats_for(ctype.default_kind(), ctype, &attrs);
    match args.format {
        TextOrJson::Json => outln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json!({ "type": ctype.as_str(), "threats": threats }))
                .map_err(|e| e.to_string())?
        ),
        TextOrJson::Text => {
            outln!(out, "{} threats to a {ctype}:\n", threats.len());
            for t in &threats {
                out.push_str(&report::finding_line(t));
            }
        }
    }
    Ok(0)
}
