//! Inline allow markers: a comment on a finding's line (or the line before,
//! for detect-secrets' `nextline` form) that says "not a secret".

use memchr::memmem;

/// Markers that allow a finding on their line: ours first, then those of
/// other tools, so their users' annotations keep working.
pub const INLINE_ALLOW_MARKERS: &[&str] = &[
    "secret-scanner:allow",
    "gitleaks:allow",
    "pragma: allowlist secret",
    "kingfisher:ignore",
    "trufflehog:ignore",
];

/// A marker that allows a finding on the line after it (detect-secrets).
pub const NEXT_LINE_ALLOW_MARKER: &str = "pragma: allowlist nextline secret";

/// How far from a finding, on its line, an inline marker is looked for. It
/// bounds the cost on multi-megabyte single lines (minified code).
const MARKER_REACH: usize = 64 * 1024;

/// The inline allow marker covering the line that holds `offset`, if any.
pub(crate) fn inline_allow(haystack: &[u8], offset: usize) -> Option<&'static str> {
    let lo = offset.saturating_sub(MARKER_REACH);
    let line_start = memchr::memrchr(b'\n', &haystack[lo..offset]).map_or(lo, |i| lo + i + 1);
    let hi = (offset + MARKER_REACH).min(haystack.len());
    let line_end = memchr::memchr(b'\n', &haystack[offset..hi]).map_or(hi, |i| offset + i);
    let line = &haystack[line_start..line_end];
    if let Some(m) = INLINE_ALLOW_MARKERS
        .iter()
        .find(|m| memmem::find(line, m.as_bytes()).is_some())
    {
        return Some(m);
    }
    if line_start > 0 {
        let prev_end = line_start - 1;
        let lo = prev_end.saturating_sub(MARKER_REACH);
        let prev_start = memchr::memrchr(b'\n', &haystack[lo..prev_end]).map_or(lo, |i| lo + i + 1);
        if memmem::find(
            &haystack[prev_start..prev_end],
            NEXT_LINE_ALLOW_MARKER.as_bytes(),
        )
        .is_some()
        {
            return Some(NEXT_LINE_ALLOW_MARKER);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_cover_their_line_and_nextline_the_following_one() {
        let text = b"a = 1 # gitleaks:allow\nb = 2\n# pragma: allowlist nextline secret\nc = 3\n";
        assert_eq!(inline_allow(text, 2), Some("gitleaks:allow"));
        assert_eq!(inline_allow(text, 24), None);
        let c = text.len() - "c = 3\n".len();
        assert_eq!(inline_allow(text, c), Some(NEXT_LINE_ALLOW_MARKER));
    }
}
