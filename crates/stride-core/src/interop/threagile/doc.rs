//! A Threagile document: reading the YAML, following `includes`, and the
//! fields we map.
//!
//! Threagile models inherit with YAML merge keys (`<<: *base`) and split
//! themselves over files with `includes:`, merged key by key: both work on
//! the document tree, so the text is read into a [`serde_norway::Value`],
//! merged, and only then read into [`Doc`].

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_norway::Value;

use crate::interop::lenient::{Entries, Field, Node, Obj, Scalar};
use crate::interop::{Format, ImportError, IncludeReader};

/// The parts of a Threagile model we map.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Doc {
    pub title: Field<Scalar>,
    pub data_assets: Field<Entries<Node<DataAsset>>>,
    pub technical_assets: Field<Entries<Node<TechnicalAsset>>>,
    pub trust_boundaries: Field<Entries<Node<TrustBoundary>>>,
    pub shared_runtimes: Field<Entries<Node<SharedRuntime>>>,
    pub risk_tracking: Field<Entries<Node<RiskTracking>>>,
}

/// A list of strings; items of other types are skipped.
pub(super) type Strings = Field<Vec<Field<String>>>;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DataAsset {
    pub id: Field<Scalar>,
    pub description: Field<Scalar>,
    pub confidentiality: Field<Scalar>,
    pub tags: Strings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TechnicalAsset {
    pub id: Field<Scalar>,
    pub description: Field<Scalar>,
    #[serde(rename = "type")]
    pub kind: Field<Scalar>,
    pub technology: Field<Scalar>,
    pub encryption: Field<Scalar>,
    pub internet: Field<bool>,
    pub multi_tenant: Field<bool>,
    pub redundant: Field<bool>,
    pub out_of_scope: Field<bool>,
    pub justification_out_of_scope: Field<Scalar>,
    pub data_assets_stored: Strings,
    pub communication_links: Field<Entries<Node<Link>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Link {
    pub target: Field<Scalar>,
    pub description: Field<Scalar>,
    pub protocol: Field<Scalar>,
    pub authentication: Field<Scalar>,
    pub vpn: Field<bool>,
    pub ip_filtered: Field<bool>,
    pub readonly: Field<bool>,
    pub data_assets_sent: Strings,
    pub data_assets_received: Strings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TrustBoundary {
    pub id: Field<Scalar>,
    pub description: Field<Scalar>,
    #[serde(rename = "type")]
    pub kind: Field<Scalar>,
    pub technical_assets_inside: Strings,
    pub trust_boundaries_nested: Strings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SharedRuntime {
    pub technical_assets_running: Strings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RiskTracking {
    pub status: Field<Scalar>,
}

/// What tells a Threagile file: its assets, or the files it includes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Head {
    technical_assets: Field<IgnoredAny>,
    includes: Strings,
}

/// Reads one file into a tree with its merge keys applied; `wrap` places
/// an error in the file it came from.
fn tree(
    file: &str,
    text: &str,
    wrap: &dyn Fn(ImportError) -> ImportError,
) -> Result<(Value, Head), ImportError> {
    crate::limits::check_nesting(text, crate::limits::MAX_NESTING).map_err(|error| {
        wrap(ImportError::TooDeep {
            file: file.to_string(),
            format: Format::Threagile,
            error,
        })
    })?;
    let syntax = |message: String| {
        wrap(ImportError::Syntax {
            file: file.to_string(),
            format: Format::Threagile,
            message,
        })
    };
    let mut doc: Value =
        serde_norway::from_str(text).map_err(|e| syntax(e.to_string().replace('\n', " ")))?;
    doc.apply_merge().map_err(|e| {
        wrap(ImportError::Malformed {
            file: file.to_string(),
            format: Format::Threagile,
            problem: format!("merge keys: {e}"),
        })
    })?;
    untag(&mut doc);
    let head = Field::<Obj<Head>>::deserialize(&doc)
        .map_err(|e| syntax(e.to_string()))?
        .into_option()
        .map(|h| h.0);
    let is_map = head.is_some();
    let head = head.unwrap_or_default();
    if !is_map {
        return Ok((Value::Null, head));
    }
    Ok((doc, head))
}

/// Reads a model and the files it includes, merged, into [`Doc`].
pub(super) fn read(file: &str, text: &str, reader: &dyn IncludeReader) -> Result<Doc, ImportError> {
    let (mut doc, head) = tree(file, text, &|e| e)?;
    if !doc.is_mapping() || !head.technical_assets.present() && !head.includes.present() {
        return Err(ImportError::NotTheFormat {
            file: file.to_string(),
            format: Format::Threagile,
            why: "no technical_assets: not a Threagile model",
        });
    }
    let mut seen = vec![file.to_string()];
    let mut pending: Vec<String> = head.includes.strings().map(str::to_string).collect();
    while let Some(inc) = pending.pop() {
        if seen.contains(&inc) {
            continue;
        }
        seen.push(inc.clone());
        let text = reader
            .read(&inc)
            .map_err(|reason| ImportError::Unreadable {
                file: file.to_string(),
                include: inc.clone(),
                reason,
            })?;
        let wrap = |error: ImportError| ImportError::Include {
            file: file.to_string(),
            error: Box::new(error),
        };
        let (sub, head) = tree(&inc, &text, &wrap)?;
        pending.extend(head.includes.strings().map(str::to_string));
        merge(&mut doc, sub);
    }
    Node::<Doc>::deserialize(doc)
        .map(|d| d.0)
        .map_err(|e| ImportError::Syntax {
            file: file.to_string(),
            format: Format::Threagile,
            message: e.to_string(),
        })
}

/// Drops YAML tags (`!tag value` reads as `value`), as `serde_norway`'s
/// accessors do.
fn untag(v: &mut Value) {
    match v {
        Value::Tagged(t) => {
            *v = std::mem::take(&mut t.value);
            untag(v);
        }
        Value::Sequence(s) => s.iter_mut().for_each(untag),
        Value::Mapping(m) => m.values_mut().for_each(untag),
        _ => {}
    }
}

/// Merges an include into the document: maps are merged key by key, the
/// including file winning.
fn merge(into: &mut Value, from: Value) {
    if let (Value::Mapping(a), Value::Mapping(b)) = (into, from) {
        for (k, v) in b {
            match a.get_mut(&k) {
                Some(existing @ Value::Mapping(_)) => merge(existing, v),
                Some(_) => {}
                None => {
                    a.insert(k, v);
                }
            }
        }
    }
}
