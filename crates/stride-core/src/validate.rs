//! Loading and validating a model: parse YAML or JSON, then check ids,
//! references, attributes and boundary nesting. Every error names the file,
//! the line and the path of the offending key, with a "did you mean" when a
//! known name is close; oddities that are allowed become warnings.

use std::collections::{HashMap, HashSet};

use crate::attributes::{self, ATTRIBUTES};
use crate::hint::{ParseProblem, closest};
use crate::locate::{Spot, id_lines, line_of};
use crate::model::{ElementKind, KNOWN_PROTOCOLS, LoadedModel, Model, ModelError, ModelProblem};

/// A semantic problem, before it is located in the source.
struct Problem {
    section: &'static str,
    id: String,
    /// Which of the items carrying `id` (duplicates point at the second).
    occurrence: usize,
    /// Index of the item in its section, for the path.
    index: usize,
    key: String,
    problem: ModelProblem,
}

impl Problem {
    fn new(
        section: &'static str,
        index: usize,
        id: &str,
        key: &str,
        problem: ModelProblem,
    ) -> Self {
        Problem {
            section,
            id: id.to_string(),
            occurrence: 0,
            index,
            key: key.to_string(),
            problem,
        }
    }

    fn path(&self) -> String {
        if self.key.is_empty() {
            format!("{}[{}]", self.section, self.index)
        } else {
            format!("{}[{}].{}", self.section, self.index, self.key)
        }
    }
}

/// A parser's message as a model error: the key path it names (or
/// `(document)`), and for an unknown kind or type the close spelling
/// (`unknown type "web_ap" (did you mean "web_app"?)`) instead of the
/// parser's list of every variant.
fn parse_message(msg: &str) -> (String, ModelProblem) {
    let (path, rest) = match msg.split_once(": ") {
        Some((p, r)) if !p.is_empty() && !p.contains(' ') => (p.to_string(), r),
        _ => ("(document)".to_string(), msg),
    };
    if let Some(after) = rest.strip_prefix("unknown variant `")
        && let Some((name, tail)) = after.split_once('`')
    {
        let known: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
        let what = match path.rsplit('.').next() {
            Some("type") => "type",
            Some("kind") => "kind",
            Some("classification") => "classification",
            _ => "value",
        };
        let problem = ModelProblem::UnknownVariant {
            what: what.to_string(),
            name: name.to_string(),
            suggestion: closest(name, known.iter().copied()),
            expected: known.iter().map(|k| k.to_string()).collect(),
        };
        return (path, problem);
    }
    let problem = ModelProblem::Parse(ParseProblem::from_message(rest.to_string()));
    (path, problem)
}

/// One problem of `file`, located, with no others yet.
fn error(file: &str, line: usize, path: String, problem: ModelProblem) -> ModelError {
    ModelError {
        file: file.to_string(),
        line,
        path,
        problem,
        more: Vec::new(),
    }
}

fn unknown_boundary(name: &str, known: &[&str]) -> ModelProblem {
    ModelProblem::UnknownBoundary {
        name: name.to_string(),
        suggestion: closest(name, known.iter().copied()),
    }
}

fn unknown_data(name: &str, known: &[&str]) -> ModelProblem {
    ModelProblem::UnknownDataAsset {
        name: name.to_string(),
        suggestion: closest(name, known.iter().copied()),
    }
}

impl Model {
    /// Parses a model and validates it. JSON is read with `serde_json` when
    /// the text starts with `{`, anything else as YAML with `serde_norway`;
    /// both go through the same serde schema. `file` names the source in
    /// errors. Never panics, whatever the input.
    ///
    /// Cost: linear in the size of the source (parsing, then one pass per
    /// section to find the line of each id); nesting deeper than
    /// [`limits::MAX_NESTING`](crate::limits::MAX_NESTING) is refused before
    /// parsing.
    ///
    /// ```
    /// use stride_core::{Model, ModelProblem};
    ///
    /// let yaml = "name: Shop\nelements:\n  - { id: web, name: Web, kind: process }\n\
    ///             flows:\n  - { id: f, from: web, to: wbe }\n";
    /// let err = Model::load("shop.yaml", yaml).unwrap_err();
    /// // The error names the file, the line and the key, and suggests the id.
    /// assert_eq!((err.line, err.path.as_str()), (5, "flows[0].to"));
    /// assert!(matches!(&err.problem,
    ///     ModelProblem::UnknownElement { suggestion: Some(s), .. } if s == "web"));
    ///
    /// let fixed = yaml.replace("wbe", "web");
    /// let loaded = Model::load("shop.yaml", &fixed)?;
    /// assert_eq!(loaded.model.flows[0].to, "web");
    /// // A flow from an element to itself loads, with a warning.
    /// assert_eq!(loaded.warnings.len(), 1);
    /// # Ok::<(), stride_core::ModelError>(())
    /// ```
    #[allow(
        clippy::result_large_err,
        reason = "a typed error with its location: built once, on the cold path of a load"
    )]
    pub fn load(file: &str, source: &str) -> Result<LoadedModel, ModelError> {
        let err =
            |line: usize, path: String, problem: ModelProblem| error(file, line, path, problem);
        crate::limits::check_nesting(source, crate::limits::MAX_NESTING)
            .map_err(|e| err(e.line, "(document)".into(), ModelProblem::TooDeep(e)))?;
        let model: Model = if source.trim_start().starts_with('{') {
            serde_json::from_str(source).map_err(|e| {
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg);
                let (path, problem) = parse_message(msg);
                err(e.line(), path, problem)
            })?
        } else {
            serde_norway::from_str(source).map_err(|e| {
                let line = e.location().map_or(0, |l| l.line());
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg);
                let (path, problem) = parse_message(msg);
                err(line, path, problem)
            })?
        };
        Self::checked(file, source, model)
    }

    /// Validates a model built in memory (an imported one) with the checks
    /// [`Model::load`] runs on a parsed one. Having no source, errors say
    /// line 0 and name the offending key by its path
    /// (`elements[2].boundary`); `lines` is empty.
    #[allow(
        clippy::result_large_err,
        reason = "a typed error with its location: built once, on the cold path of a load"
    )]
    pub fn check(file: &str, model: Model) -> Result<LoadedModel, ModelError> {
        Self::checked(file, "", model)
    }

    /// Validates a model read from `source` (empty when there is none).
    #[allow(
        clippy::result_large_err,
        reason = "a typed error with its location: built once, on the cold path of a load"
    )]
    fn checked(file: &str, source: &str, model: Model) -> Result<LoadedModel, ModelError> {
        let err =
            |line: usize, path: String, problem: ModelProblem| error(file, line, path, problem);
        let warnings = model.validate().map_err(|problems| {
            let mut all = problems.into_iter().map(|p| {
                let spot = Spot {
                    section: p.section,
                    id: &p.id,
                    occurrence: p.occurrence,
                    key: &p.key,
                };
                err(line_of(source, &spot), p.path(), p.problem)
            });
            match all.next() {
                Some(mut first) => {
                    first.more = all.collect();
                    first
                }
                None => err(0, "(document)".into(), ModelProblem::Invalid),
            }
        })?;
        // Lines of every id, for callers that point at elements (SARIF).
        // Elements and flows win over boundaries and data with the same id.
        // One pass over the source per section, not one per id.
        let mut lines: HashMap<String, usize> = HashMap::new();
        let sections = [
            ("data", model.data.iter().map(|d| &d.id).collect::<Vec<_>>()),
            (
                "boundaries",
                model.boundaries.iter().map(|b| &b.id).collect(),
            ),
            ("flows", model.flows.iter().map(|f| &f.id).collect()),
            ("elements", model.elements.iter().map(|e| &e.id).collect()),
        ];
        for (section, ids) in sections.into_iter().filter(|_| !source.is_empty()) {
            let found = id_lines(source, section);
            for id in ids {
                let line = found.get(id.as_str()).copied().unwrap_or(0);
                lines.insert(id.clone(), line);
            }
        }
        Ok(LoadedModel {
            model,
            warnings,
            lines,
        })
    }

    /// Checks references, ids, attributes and boundary nesting; `Ok` holds
    /// the warnings.
    fn validate(&self) -> Result<Vec<String>, Vec<Problem>> {
        // Every problem is collected, so one run reports them all.
        let mut problems: Vec<Problem> = Vec::new();
        let mut warnings = Vec::new();
        let boundary_ids: Vec<&str> = self.boundaries.iter().map(|b| b.id.as_str()).collect();
        let element_ids: Vec<&str> = self.elements.iter().map(|e| e.id.as_str()).collect();
        let data_ids: Vec<&str> = self.data.iter().map(|d| d.id.as_str()).collect();
        // Hash sets for the membership tests (the lists stay for "did you
        // mean"); the first element with an id gives its kind.
        let boundary_set: HashSet<&str> = boundary_ids.iter().copied().collect();
        let element_set: HashSet<&str> = element_ids.iter().copied().collect();
        let data_set: HashSet<&str> = data_ids.iter().copied().collect();
        let mut kinds: HashMap<&str, ElementKind> = HashMap::new();
        for e in &self.elements {
            kinds.entry(&e.id).or_insert(e.kind);
        }

        let mut seen: HashSet<&str> = HashSet::new();
        for (i, b) in self.boundaries.iter().enumerate() {
            let at = |key: &str, m: ModelProblem| Problem::new("boundaries", i, &b.id, key, m);
            if b.id.trim().is_empty() {
                problems.push(at("id", ModelProblem::EmptyId));
                continue;
            }
            if !seen.insert(&b.id) {
                let id = b.id.clone();
                let mut p = at("id", ModelProblem::DuplicateBoundaryId { id });
                p.occurrence = 1;
                problems.push(p);
                continue;
            }
            if let Some(parent) = &b.parent
                && !boundary_set.contains(parent.as_str())
            {
                problems.push(at("parent", unknown_boundary(parent, &boundary_ids)));
            }
        }
        // Nesting cycles: follow each boundary's parents until the top, a
        // boundary already on the path (a cycle), or one an earlier walk
        // already cleared; each boundary is walked once, so a deep chain
        // costs its length, not its square.
        let parents: HashMap<&str, Option<&str>> = self
            .boundaries
            .iter()
            .map(|b| (b.id.as_str(), b.parent.as_deref()))
            .collect();
        let mut cleared: HashSet<&str> = HashSet::new();
        for (i, b) in self.boundaries.iter().enumerate() {
            let mut path = vec![b.id.as_str()];
            let mut on_path: HashSet<&str> = HashSet::from([b.id.as_str()]);
            let mut cur = b.parent.as_deref();
            while let Some(p) = cur {
                if cleared.contains(p) {
                    break;
                }
                if !on_path.insert(p) {
                    path.push(p);
                    problems.push(Problem::new(
                        "boundaries",
                        i,
                        &b.id,
                        "parent",
                        ModelProblem::NestingCycle {
                            cycle: path.iter().map(|p| p.to_string()).collect(),
                        },
                    ));
                    break;
                }
                path.push(p);
                cur = parents.get(p).copied().flatten();
            }
            cleared.extend(path);
        }

        let mut seen: HashSet<&str> = HashSet::new();
        for (i, d) in self.data.iter().enumerate() {
            let at = |key: &str, m: ModelProblem| Problem::new("data", i, &d.id, key, m);
            if d.id.trim().is_empty() {
                problems.push(at("id", ModelProblem::EmptyId));
                continue;
            }
            if !seen.insert(&d.id) {
                let id = d.id.clone();
                let mut p = at("id", ModelProblem::DuplicateDataId { id });
                p.occurrence = 1;
                problems.push(p);
                continue;
            }
        }

        // Elements and flows share one id space: findings name either.
        let mut ids: HashSet<&str> = HashSet::new();
        let attribute_names: Vec<&str> = ATTRIBUTES.iter().map(|(n, _)| *n).collect();
        for (i, e) in self.elements.iter().enumerate() {
            let at = |key: &str, m: ModelProblem| Problem::new("elements", i, &e.id, key, m);
            if e.id.trim().is_empty() {
                problems.push(at("id", ModelProblem::EmptyId));
                continue;
            }
            if !ids.insert(&e.id) {
                let id = e.id.clone();
                let mut p = at("id", ModelProblem::DuplicateId { id });
                p.occurrence = 1;
                problems.push(p);
                continue;
            }
            if let Some(b) = &e.boundary
                && !boundary_set.contains(b.as_str())
            {
                problems.push(at("boundary", unknown_boundary(b, &boundary_ids)));
            }
            for name in e.attributes.keys() {
                if !attributes::is_known(name) {
                    problems.push(at(
                        &format!("attributes.{name}"),
                        ModelProblem::UnknownAttribute {
                            element: e.id.clone(),
                            name: name.clone(),
                            suggestion: closest(name, attribute_names.iter().copied()),
                        },
                    ));
                }
            }
            for d in &e.stores {
                if !data_set.contains(d.as_str()) {
                    problems.push(at("stores", unknown_data(d, &data_ids)));
                }
            }
            if !e.stores.is_empty() && e.kind != ElementKind::DataStore {
                warnings.push(format!(
                    "element {:?} is of kind {} but lists `stores` (only a data_store holds data)",
                    e.id,
                    e.kind.as_str()
                ));
            }
        }
        for (i, f) in self.flows.iter().enumerate() {
            let at = |key: &str, m: ModelProblem| Problem::new("flows", i, &f.id, key, m);
            if f.id.trim().is_empty() {
                problems.push(at("id", ModelProblem::EmptyId));
                continue;
            }
            if !ids.insert(&f.id) {
                // The first holder of the id may be an element: then the
                // flow is the first item with that id in its own section.
                let occurrence = usize::from(self.flows[..i].iter().any(|x| x.id == f.id));
                let id = f.id.clone();
                let mut p = at("id", ModelProblem::DuplicateId { id });
                p.occurrence = occurrence;
                problems.push(p);
                continue;
            }
            for (key, end) in [("from", &f.from), ("to", &f.to)] {
                if !element_set.contains(end.as_str()) {
                    let problem = ModelProblem::UnknownElement {
                        name: end.clone(),
                        suggestion: closest(end, element_ids.iter().copied()),
                    };
                    problems.push(at(key, problem));
                }
            }
            for d in &f.carries {
                if !data_set.contains(d.as_str()) {
                    problems.push(at("carries", unknown_data(d, &data_ids)));
                }
            }
            if let Some(proto) = &f.protocol
                && !KNOWN_PROTOCOLS.contains(&proto.as_str())
            {
                warnings.push(format!(
                    "flow {:?}: unknown protocol {proto:?}; protocol rules will not apply",
                    f.id
                ));
            }
            let kind = |id: &str| kinds.get(id).copied();
            if matches!(
                (kind(&f.from), kind(&f.to)),
                (
                    Some(ElementKind::ExternalEntity),
                    Some(ElementKind::DataStore)
                ) | (
                    Some(ElementKind::DataStore),
                    Some(ElementKind::ExternalEntity)
                )
            ) {
                warnings.push(format!(
                    "flow {:?} links an external entity and a data store directly: is a process missing?",
                    f.id
                ));
            }
            if f.from == f.to {
                warnings.push(format!("flow {:?} goes from {:?} to itself", f.id, f.from));
            }
        }
        for (i, r) in self.recorded_threats.iter().enumerate() {
            if !ids.contains(r.element.as_str()) {
                warnings.push(format!(
                    "recorded_threats[{i}]: {:?} is not an element or flow of the model",
                    r.element
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(warnings)
    }
}

#[cfg(test)]
mod parse_message_tests {
    use crate::hint::ParseProblem;
    use crate::model::ModelProblem;

    #[test]
    fn unknown_types_and_kinds_get_a_did_you_mean() {
        let (path, msg) = super::parse_message(
            "elements[0].type: unknown variant `web_ap`, expected one of `web_app`, `api`",
        );
        assert_eq!(path, "elements[0].type");
        assert_eq!(
            msg.to_string(),
            "unknown type \"web_ap\" (did you mean \"web_app\"?)"
        );
        let (_, msg) = super::parse_message(
            "elements[0].kind: unknown variant `zzzzzzzz`, expected one of `process`",
        );
        assert_eq!(
            msg.to_string(),
            "unknown kind \"zzzzzzzz\"; expected one of process"
        );
        let (path, problem) = super::parse_message("missing field `name`");
        assert_eq!(path, "(document)");
        assert!(
            matches!(problem, ModelProblem::Parse(ParseProblem::MissingField { field, .. }) if field == "name")
        );
    }
}
