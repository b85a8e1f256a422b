//! What suppressed what: the counts behind "1,005 suppressed" in the
//! summary, and the stage that counts inline `secret-scanner:allow` markers.

use secret_scan::{DropReason, Dropped, Sink, forward_sink};

/// Findings not reported, by what stopped them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Suppressed {
    /// Fingerprints listed in `--baseline`.
    pub baseline: u64,
    /// `.secretsignore` entries with a fingerprint.
    pub ignore_fingerprint: u64,
    /// `.secretsignore` entries with a path and no fingerprint.
    pub ignore_path: u64,
    /// Inline allow markers (`secret-scanner:allow` and the like).
    pub inline: u64,
    /// Below `--min-severity` or `--min-confidence`.
    pub below_floor: u64,
    /// In files this tool wrote (reports, baselines, ignore files).
    pub own_files: u64,
}

impl Suppressed {
    /// All of them.
    pub fn total(&self) -> u64 {
        self.baseline
            + self.ignore_fingerprint
            + self.ignore_path
            + self.inline
            + self.below_floor
            + self.own_files
    }

    /// `1,005 suppressed: 998 by .secretsignore path entries, 7 inline`;
    /// `None` when nothing was.
    pub fn describe(&self, ignore_name: &str) -> Option<String> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let mut parts = Vec::new();
        let mut part = |n: u64, what: String| {
            if n > 0 {
                parts.push(format!("{} {what}", thousands(n)));
            }
        };
        part(self.baseline, "by the baseline".into());
        part(
            self.ignore_fingerprint,
            format!(
                "by {ignore_name} fingerprint entr{}",
                plural_y(self.ignore_fingerprint)
            ),
        );
        part(
            self.ignore_path,
            format!("by {ignore_name} path entr{}", plural_y(self.ignore_path)),
        );
        part(self.inline, "inline".into());
        part(
            self.below_floor,
            "below --min-severity/--min-confidence".into(),
        );
        part(self.own_files, "in files secret-scanner wrote".into());
        Some(format!(
            "{} suppressed: {}",
            thousands(total),
            parts.join(", ")
        ))
    }
}

fn plural_y(n: u64) -> &'static str {
    if n == 1 { "y" } else { "ies" }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Counts candidates an inline marker allowed; passes dropped candidates
/// on only in explain mode (the engine reports inline allows always).
#[derive(Debug)]
pub struct InlineCount<S> {
    inner: S,
    explain: bool,
    /// Candidates an inline marker allowed.
    pub inline: u64,
}

impl<S: Sink> InlineCount<S> {
    /// Forwards dropped candidates when `explain`.
    pub fn new(inner: S, explain: bool) -> Self {
        InlineCount {
            inner,
            explain,
            inline: 0,
        }
    }

    /// The wrapped sink and the count.
    pub fn into_inner(self) -> (S, u64) {
        (self.inner, self.inline)
    }
}

impl<S: Sink> Sink for InlineCount<S> {
    type Error = S::Error;
    fn dropped(&mut self, d: Dropped) -> Result<bool, S::Error> {
        if matches!(d.reason, DropReason::InlineAllow { .. }) {
            self.inline += 1;
        }
        if self.explain {
            return self.inner.dropped(d);
        }
        Ok(true)
    }
    forward_sink!(inner: begin, finding, finish, skipped, warning);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_what_suppressed_what() {
        let s = Suppressed {
            ignore_path: 998,
            inline: 7,
            ..Suppressed::default()
        };
        assert_eq!(
            s.describe(".secretsignore").as_deref(),
            Some("1,005 suppressed: 998 by .secretsignore path entries, 7 inline")
        );
        let one = Suppressed {
            ignore_fingerprint: 1,
            baseline: 2,
            ..Suppressed::default()
        };
        assert_eq!(
            one.describe(".secretsignore").as_deref(),
            Some("3 suppressed: 2 by the baseline, 1 by .secretsignore fingerprint entry")
        );
        assert_eq!(Suppressed::default().describe("x"), None);
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
