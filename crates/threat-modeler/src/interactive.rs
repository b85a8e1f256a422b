//! `interactive`: builds a model by asking for its parts, checking each
//! answer as it is typed, then writes it through the model's serialiser.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::Args;

use crate::input::Input;
use crate::output::write_out;
use crate::report;

#[derive(Debug, Args)]
pub struct InteractiveArgs {
    /// Where to write the model.
    #[arg(long, short = 'o', default_value = "threat-model.yaml")]
    output: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
}

/// Reads one answer; `None` at end of input (Ctrl-D).
fn ask(input: &mut dyn BufRead, prompt: &str) -> Result<Option<String>, String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) => Ok(None),
        Ok(_) => Ok(Some(line.trim().to_string())),
        Err(e) => Err(format!("cannot read the answer: {e}")),
    }
}

pub fn run(args: &InteractiveArgs) -> Result<u8, String> {
    if args.output.exists() && !args.force {
        return Err(format!(
            "{} exists (use --force to overwrite, or -o another file)",
            args.output.display()
        ));
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    match build_interactively(&mut input)? {
        None => {
            eprintln!("\nno model written (input ended)");
            Ok(0)
        }
        Some(model) => {
            // Written through the model's serialiser, and validated first.
            let yaml = serde_norway::to_string(&model).map_err(|e| e.to_string())?;
            let name = args.output.display().to_string();
            stride_core::Model::load(&name, &yaml).map_err(|e| e.to_string())?;
            std::fs::write(&args.output, &yaml).map_err(|e| format!("{name}: {e}"))?;
            eprintln!("wrote {name}");
            let (loaded, analysis) = // Our own format, whatever `--input-format` says.
            Input::default().analysed(&args.output, None)?;
            write_out(
                None,
                &report::text(&loaded, &analysis, report::TextOptions::default()),
            )?;
            Ok(0)
        }
    }
}

/// A snake_case enum value from an answer, with the valid choices (and a
/// did-you-mean) when it is not one.
fn choice<T: serde::de::DeserializeOwned>(
    what: &str,
    answer: &str,
    valid: &[&str],
) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(answer.to_string())).map_err(|_| {
        let hint = stride_core::attributes::suggest(answer, valid.iter().copied())
            .map_or(String::new(), |s| format!(" (did you mean {s:?}?)"));
        format!(
            "unknown {what} {answer:?}{hint}; one of: {}",
            valid.join(" ")
        )
    })
}

const BOUNDARY_KINDS: &[&str] = &[
    "internet",
    "dmz",
    "corporate",
    "on_prem",
    "cloud",
    "third_party",
    "device",
    "generic",
];
const ELEMENT_KINDS: &[&str] = &["external_entity", "process", "data_store"];

/// Asks for the model's parts, checking each answer as it is typed (kinds,
/// types and attributes with did-you-mean, duplicate ids, known boundaries
/// and elements) and asking again after a wrong one; `Ok(None)` when input
/// ends (Ctrl-D) at any prompt.
pub fn build_interactively(input: &mut dyn BufRead) -> Result<Option<stride_core::Model>, String> {
    use stride_core::{Boundary, Element, Flow, Model};
    macro_rules! ask {
        ($p:expr) => {
            match ask(input, $p)? {
                Some(a) => a,
                None => return Ok(None),
            }
        };
    }
    let mut model = Model {
        name: String::new(),
        description: None,
        boundaries: vec![],
        elements: vec![],
        data: vec![],
        flows: vec![],
        recorded_threats: vec![],
    };
    while model.name.is_empty() {
        model.name = ask!("System name: ");
    }
    let mut ids: Vec<String> = Vec::new();
    let fresh = |ids: &[String], id: &str| -> Result<(), String> {
        if ids.iter().any(|i| i == id) {
            Err(format!("the id {id:?} is taken; choose another"))
        } else {
            Ok(())
        }
    };
    eprintln!(
        "Trust boundaries: `id kind` (kinds: {}); empty line to finish.",
        BOUNDARY_KINDS.join(" ")
    );
    loop {
        let a = ask!("  boundary> ");
        if a.is_empty() {
            break;
        }
        let p: Vec<&str> = a.split_whitespace().collect();
        let id = p[0].to_string();
        let checked = fresh(&ids, &id).and_then(|()| {
            choice(
                "boundary kind",
                p.get(1).copied().unwrap_or("generic"),
                BOUNDARY_KINDS,
            )
        });
        match checked {
            Ok(kind) => {
                ids.push(id.clone());
                model.boundaries.push(Boundary {
                    name: id.clone(),
                    id,
                    kind,
                    parent: None,
                    description: None,
                    source_id: None,
                });
            }
            Err(e) => eprintln!("  {e}"),
        }
    }
    eprintln!(
        "Elements: `id kind type [boundary] [attr,attr]` (kinds: {}; `threat-modeler component --list` lists types); empty line to finish.",
        ELEMENT_KINDS.join(" ")
    );
    loop {
        let a = ask!("  element> ");
        if a.is_empty() {
            break;
        }
        let p: Vec<&str> = a.split_whitespace().collect();
        let id = p[0].to_string();
        let element = (|| -> Result<Element, String> {
            fresh(&ids, &id)?;
            let kind = choice(
                "element kind",
                p.get(1).copied().unwrap_or("process"),
                ELEMENT_KINDS,
            )?;
            let component_type: stride_core::ComponentType = p
                .get(2)
                .copied()
                .unwrap_or("generic")
                .parse()
                .map_err(|e: stride_core::ParseComponentTypeError| e.to_string())?;
            let boundary = match p.get(3) {
                Some(b) if model.boundary(b).is_none() => {
                    let known: Vec<&str> = model.boundaries.iter().map(|x| x.id.as_str()).collect();
                    return Err(format!("no boundary {b:?}; known: {}", known.join(" ")));
                }
                b => b.map(|b| (*b).to_string()),
            };
            let mut attributes = std::collections::BTreeMap::new();
            for attr in p
                .get(4)
                .map_or(vec![], |l| l.split(',').filter(|x| !x.is_empty()).collect())
            {
                if !stride_core::attributes::is_known(attr) {
                    let known = stride_core::attributes::ATTRIBUTES.iter().map(|(n, _)| *n);
                    let hint = stride_core::attributes::suggest(attr, known)
                        .map_or(String::new(), |s| format!(" (did you mean {s:?}?)"));
                    return Err(format!("unknown attribute {attr:?}{hint}"));
                }
                attributes.insert(attr.to_string(), true);
            }
            Ok(Element {
                source_id: None,
                id: id.clone(),
                name: id.clone(),
                kind,
                component_type,
                boundary,
                attributes,
                stores: vec![],
                description: None,
                out_of_scope: false,
                out_of_scope_reason: None,
            })
        })();
        match element {
            Ok(e) => {
                ids.push(id);
                model.elements.push(e);
            }
            Err(e) => eprintln!("  {e}"),
        }
    }
    eprintln!("Flows: `id from to protocol [encrypted] [authenticated]`; empty line to finish.");
    loop {
        let a = ask!("  flow> ");
        if a.is_empty() {
            break;
        }
        let p: Vec<&str> = a.split_whitespace().collect();
        let id = p[0].to_string();
        let flow = (|| -> Result<Flow, String> {
            fresh(&ids, &id)?;
            let (Some(from), Some(to)) = (p.get(1), p.get(2)) else {
                return Err("give the flow's source and target element ids".into());
            };
            for end in [from, to] {
                if model.element(end).is_none() {
                    let known: Vec<&str> = model.elements.iter().map(|e| e.id.as_str()).collect();
                    return Err(format!("no element {end:?}; known: {}", known.join(" ")));
                }
            }
            Ok(Flow {
                source_id: None,
                id: id.clone(),
                from: (*from).to_string(),
                to: (*to).to_string(),
                name: None,
                protocol: Some(p.get(3).copied().unwrap_or("https").to_lowercase()),
                encrypted: p.contains(&"encrypted"),
                authenticated: p.contains(&"authenticated"),
                carries: vec![],
                description: None,
                out_of_scope: false,
                out_of_scope_reason: None,
            })
        })();
        match flow {
            Ok(f) => {
                ids.push(id);
                model.flows.push(f);
            }
            Err(e) => eprintln!("  {e}"),
        }
    }
    Ok(Some(model))
}
