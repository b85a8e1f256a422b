//! The words: an [`Explanation`] as the one sentence every report shows.
//!
//! ```text
//! "Storefront" is a web app process in a cloud boundary; mfa=false; mitigated by waf
//! flow "checkout" from "Customer" to "Storefront" crosses internet→vpc; carries restricted data; encrypted=true; authenticated=false
//! ```
//!
//! The subject first, then each fact that fired as `name=value`, then the
//! controls that mitigate the finding, joined with `; `. Printers call
//! [`sentence`] (or format the explanation with `{}`); nothing else builds
//! these words.

use std::fmt;

use super::{ElementSubject, Explanation, FactState, FlowSubject, Subject};
use crate::condition::{Fact, LEVELS};

/// An explanation as one sentence.
pub fn sentence(e: &Explanation) -> String {
    e.to_string()
}

/// A name as a sentence shows it: on one line, spaces collapsed.
pub fn one_line(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `a` or `an` before a word, by its sound for the usual cases (`an API`,
/// `an auth service`, `a user`, `a unique`...).
pub fn article(word: &str) -> &'static str {
    let lower = word.to_ascii_lowercase();
    let vowel_sound = match lower.chars().next() {
        Some('a' | 'e' | 'i' | 'o') => true,
        // `u` reads as "you" in user, unique, uri; as a vowel in unknown.
        Some('u') => !["us", "uni", "uri", "url", "uti"]
            .iter()
            .any(|p| lower.starts_with(p)),
        // Initialisms read letter by letter: an LLM, an SQL store, an HSM.
        Some(c) if word.len() <= 4 && word.chars().all(|c| c.is_ascii_uppercase()) => {
            "fhlmnrsx".contains(c.to_ascii_lowercase())
        }
        _ => false,
    };
    if vowel_sound { "an" } else { "a" }
}

/// A component type in words: `auth_service` → `auth service`, `api` →
/// `API`.
pub fn type_words(t: &str) -> String {
    t.split('_')
        .map(|w| match w {
            "api" | "llm" | "cdn" | "iot" => w.to_ascii_uppercase(),
            _ => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.subject)?;
        for fact in &self.facts {
            write!(f, "; {fact}")?;
        }
        if !self.controls.is_empty() {
            write!(f, "; mitigated by {}", self.controls.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Element(e) => fmt::Display::fmt(e, f),
            Subject::Flow(x) => fmt::Display::fmt(x, f),
            Subject::Recorded(text) => f.write_str(text),
        }
    }
}

/// `"Name" is an API process in a corporate boundary`.
impl fmt::Display for ElementSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let type_txt = type_words(self.component_type.as_str());
        let where_txt = match self.boundary {
            Some(k) => {
                let b = k.as_str().replace('_', " ");
                format!("in {} {b} boundary", article(&b))
            }
            None => "in no boundary".into(),
        };
        write!(
            f,
            "{:?} is {} {type_txt} {} {where_txt}",
            one_line(&self.name),
            article(&type_txt),
            self.kind.as_str().replace('_', " "),
        )
    }
}

/// `flow "X" from "A" to "B" crosses a→b; carries secret data;
/// encrypted=false; authenticated=true` (a flow without a name is called
/// `A → B`).
impl fmt::Display for FlowSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, t) = (one_line(&self.source), one_line(&self.target));
        let name = match &self.name {
            Some(n) if !n.trim().is_empty() => one_line(n),
            _ => format!("{s} → {t}"),
        };
        write!(f, "flow {name:?} from {s:?} to {t:?}")?;
        if let Some(c) = &self.crossing {
            let side = |b: &Option<String>| b.clone().unwrap_or_else(|| "(none)".into());
            write!(f, " crosses {}→{}", side(&c.from), side(&c.to))?;
        }
        if let Some(d) = self.data {
            write!(f, "; carries {} data", LEVELS[d as usize])?;
        }
        write!(
            f,
            "; encrypted={}; authenticated={}",
            self.encrypted, self.authenticated
        )
    }
}

/// `name=value`: `mfa=false`, `boundary=internet/cloud`, `data=restricted`,
/// `data=none`, `writers=3`, `protocol=unset`.
impl fmt::Display for FactState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        match &self.value {
            Some(Fact::Bool(b)) => write!(f, "{name}={b}"),
            Some(Fact::Text(s)) => write!(f, "{name}={s}"),
            Some(Fact::Set(s)) => write!(f, "{name}={}", s.join("/")),
            Some(Fact::Level(l)) if *l >= 0 => write!(f, "{name}={}", LEVELS[*l as usize]),
            Some(Fact::Level(_)) => write!(f, "{name}=none"),
            Some(Fact::Count(n)) => write!(f, "{name}={n}"),
            None => write!(f, "{name}=unset"),
        }
    }
}
