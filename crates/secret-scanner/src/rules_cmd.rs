//! `secret-scanner rules`: list, show and check rules.

use std::io::{self, Write};
use std::path::Path;

use secret_patterns::{Catalog, Rule};
use serde::Serialize;

use crate::cli::{RulesArgs, RulesCommand, RulesFormat};

#[derive(Debug, Serialize)]
struct RuleView<'a> {
    id: &'a str,
    name: &'a str,
    severity: secret_patterns::Severity,
    confidence: secret_patterns::Confidence,
    keywords: &'a [String],
    references: &'a [String],
}

impl<'a> RuleView<'a> {
    fn new(r: &'a Rule) -> Self {
        RuleView {
            id: r.id(),
            name: r.name(),
            severity: r.severity(),
            confidence: r.confidence(),
            keywords: r.keywords(),
            references: r.references(),
        }
    }
}

#[derive(Debug, Serialize)]
struct RulesDoc<'a> {
    rules: Vec<RuleView<'a>>,
}

/// Runs `rules`; the exit code is 0, or an error message for exit 2.
pub fn run(args: &RulesArgs) -> Result<(), String> {
    let mut out = io::stdout().lock();
    let res = match &args.command {
        None => list(&mut out, args.format),
        Some(RulesCommand::Show { id }) => show(&mut out, id),
        Some(RulesCommand::Check { file }) => return check(&mut out, file),
    };
    match res {
        Ok(done) => done,
        // A reader that stopped early (`| head`): end quietly, exit 0.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write to stdout: {e}")),
    }
}

fn list(out: &mut dyn Write, format: RulesFormat) -> io::Result<Result<(), String>> {
    let catalog = Catalog::builtin();
    match format {
        RulesFormat::Json => {
            let doc = RulesDoc {
                rules: catalog.iter().map(RuleView::new).collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        RulesFormat::Text => {
            let width = catalog.iter().map(|r| r.id().len()).max().unwrap_or(2);
            writeln!(
                out,
                "{:width$}  {:8}  {:6}  NAME",
                "ID", "SEVERITY", "CONF."
            )?;
            for r in &catalog {
                writeln!(
                    out,
                    "{:width$}  {:8}  {:6}  {}",
                    r.id(),
                    r.severity().as_str(),
                    r.confidence().as_str().to_string(),
                    r.name()
                )?;
            }
            writeln!(out, "{} rules", catalog.len())?;
        }
    }
    Ok(Ok(()))
}

fn show(out: &mut dyn Write, id: &str) -> io::Result<Result<(), String>> {
    let catalog = Catalog::builtin();
    let Some(r) = catalog.get(id) else {
        return Ok(Err(format!(
            "no rule has the id {id:?} (`secret-scanner rules` lists them)"
        )));
    };
    writeln!(out, "id:          {}", r.id())?;
    writeln!(out, "name:        {}", r.name())?;
    writeln!(out, "severity:    {}", r.severity())?;
    writeln!(out, "confidence:  {}", r.confidence().as_str())?;
    writeln!(out, "source:      {}", r.source())?;
    writeln!(out, "keywords:    {}", r.keywords().join(", "))?;
    writeln!(out, "regex:       {}", r.pattern())?;
    if let Some(v) = r.validator() {
        writeln!(out, "validator:   {}", v.name())?;
    }
    writeln!(out, "description: {}", r.description())?;
    for link in r.references() {
        writeln!(out, "reference:   {link}")?;
    }
    writeln!(out, "examples (reported):")?;
    for e in r.examples() {
        writeln!(out, "  {}   => {}", e.text.replace('\n', "\\n"), e.secret)?;
    }
    writeln!(out, "negative examples (not reported):")?;
    for e in r.negative_examples() {
        writeln!(out, "  {}   ({})", e.text.replace('\n', "\\n"), e.why)?;
    }
    Ok(Ok(()))
}

fn check(out: &mut dyn Write, file: &Path) -> Result<(), String> {
    let name = file.display().to_string();
    let text = crate::read::read_config(file, "rules")?;
    let catalog = Catalog::from_toml_named(&name, &text).map_err(|e| e.to_string())?;
    let mut builtin = Catalog::builtin();
    builtin
        .extend(catalog.clone())
        .map_err(|e| format!("{e} (a built-in rule already has this id; choose another)"))?;
    let failures: Vec<String> = catalog
        .iter()
        .flat_map(|r| {
            let name = &name;
            r.check_examples()
                .into_iter()
                .map(move |f| format!("{name}: rule {:?}: {f}", r.id()))
        })
        .collect();
    if let Some(first) = failures.first() {
        let more = failures.len() - 1;
        return Err(if more > 0 {
            format!("{first} (and {more} more)")
        } else {
            first.clone()
        });
    }
    writeln!(out, "{name}: {} rules OK", catalog.len()).map_err(|e| e.to_string())
}
