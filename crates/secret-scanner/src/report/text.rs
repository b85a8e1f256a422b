//! The text printer: one line per finding, for people.

use std::borrow::Cow;
use std::io::{self, Write};

use secret_patterns::Severity;

use secret_scan::{Dropped, Finding, Introduced};

use super::Report;

/// ANSI colours, used only when writing to a terminal and `NO_COLOR` is unset.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
        };
        self.paint(code, s.as_str())
    }
}

/// `text` with control characters (newlines, escape sequences, C1 codes)
/// and bidirectional overrides written as escapes (`\n`, `\u{1b}`): a
/// file name or a commit author cannot forge a report line or drive the
/// terminal.
pub fn clean(text: &str) -> Cow<'_, str> {
    let bad =
        |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if bad(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `path:line:column  rule-id  severity  secret  fingerprint`, then for git
/// findings the commit. A decoded secret's rule reads `base64 → rule-id`.
/// Every field from the input is [`clean`]ed.
pub fn write_finding(out: &mut dyn Write, f: &Finding, style: Style) -> io::Result<()> {
    let location = style.paint("35", &format!("{}:{}:{}", clean(&f.path), f.line, f.column));
    // A decoded secret names its decodings before the rule:
    // `base64 → github-pat-classic`.
    let mut rule = String::new();
    for step in &f.decoded {
        rule.push_str(step);
        rule.push_str(" → ");
    }
    rule.push_str(&f.rule_id);
    write!(
        out,
        "{location}  {}  {}  {}  {}",
        style.paint("1", &clean(&rule)),
        style.severity(f.severity),
        clean(&f.secret),
        // What a `.secretsignore` entry names to suppress this finding.
        style.paint("2", &clean(&f.fingerprint))
    )?;
    if let Some(git) = &f.git {
        if git.commit.is_empty() {
            write!(
                out,
                "  blob {} {}",
                short(&git.blob),
                clean(&git.reached_from)
            )?;
        } else {
            write!(
                out,
                "  commit {} {} <{}> {}",
                short(&git.commit),
                clean(&git.author),
                clean(&git.email),
                clean(&git.date)
            )?;
            if git.reached_from == "(unreachable)" {
                write!(out, " (unreachable)")?;
            }
        }
        match &git.introduced {
            Introduced::ReAdded { previous } => {
                write!(out, "  re-added (was at {})", clean(&short_place(previous)))?
            }
            Introduced::Copied { from } => {
                write!(out, "  copied (first at {})", clean(&short_place(from)))?
            }
            _ => {}
        }
        let also = &git.also_in;
        if also.commits > 0 {
            write!(
                out,
                "  kept in {} later commit{}",
                also.commits,
                if also.commits == 1 { "" } else { "s" }
            )?;
            if also.files > 0 {
                write!(
                    out,
                    " and {} other file{}",
                    also.files,
                    if also.files == 1 { "" } else { "s" }
                )?;
            }
            if let Some(last) = &also.last_commit {
                write!(out, ", last {}", short(last))?;
            }
        }
    }
    writeln!(out)
}

/// The first 12 digits of an object id.
fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// `commit:path` with the commit shortened.
fn short_place(place: &str) -> String {
    match place.split_once(':') {
        Some((commit, path)) => format!("{}:{path}", short(commit)),
        None => place.to_string(),
    }
}

/// Explain mode's list of dropped candidates, after the findings.
pub fn write_dropped(out: &mut dyn Write, dropped: &[Dropped], style: Style) -> io::Result<()> {
    for d in dropped {
        writeln!(
            out,
            "{}  {}  dropped ({})  {}",
            style.paint("2", &format!("{}:{}:{}", clean(&d.path), d.line, d.column)),
            clean(&d.rule_id),
            clean(&d.reason.to_string()),
            clean(&d.secret)
        )?;
    }
    Ok(())
}

/// The one-line summary printed on stderr after a text scan.
pub fn summary(report: &Report<'_>) -> String {
    let s = report.stats;
    let mut line = format!(
        "{} finding{} in {} file{} ({}) in {:.2}s",
        report.reported,
        if report.reported == 1 { "" } else { "s" },
        s.files_scanned,
        if s.files_scanned == 1 { "" } else { "s" },
        human_bytes(s.bytes_scanned),
        s.elapsed.as_secs_f64()
    );
    if let Some(g) = report.git {
        line.push_str(&format!(
            "; {} commits, {} unique blobs ({} read, {} from cache)",
            g.commits, g.blobs, g.blobs_scanned, g.blobs_cached
        ));
        if g.findings_folded > 0 {
            line.push_str(&format!(
                ", {} later occurrences folded into their first",
                g.findings_folded
            ));
        }
        if g.unreachable_blobs > 0 {
            line.push_str(&format!(", {} unreachable blobs", g.unreachable_blobs));
        }
        if g.shallow {
            line.push_str(", shallow clone");
        }
    }
    if report.suppressed > 0 {
        line.push_str(&format!(", {} suppressed", report.suppressed));
    }
    if s.skipped_total() > 0 {
        let parts: Vec<String> = s.skipped.iter().map(|(k, v)| format!("{v} {k}")).collect();
        line.push_str(&format!(", skipped {}", parts.join(", ")));
    }
    line
}

pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("a.txt"), "a.txt");
        assert_eq!(clean("a\nb.txt:1:1  fake"), "a\\nb.txt:1:1  fake");
        assert_eq!(clean("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(clean("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(clean("héllo wörld"), "héllo wörld");
    }
}
