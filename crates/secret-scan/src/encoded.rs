//! Encoded values: runs of base64 (standard and URL-safe), hex and
//! percent-encoding that decode to text.
//!
//! One pass over the buffer finds maximal runs of the base64 alphabets
//! (`A-Za-z0-9+/` or `A-Za-z0-9-_`, `=` padding): a run of at least
//! [`MIN_HEX_RUN`] hex digits is read as hex, any other of at least
//! [`MIN_BASE64_RUN`] characters as base64. A second pass (only where a `%`
//! escape occurs) finds runs of URL characters holding `%XX` escapes. A run
//! is kept only when what it decodes to is text: valid UTF-8 with no
//! control characters but tab and line ends. Decoding stops at the first
//! 48 bytes when those are not text, so the identifiers, hashes and binary
//! blobs (images, certificates) that fill real code cost a few dozen bytes'
//! work each.

use std::ops::Range;

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Shortest base64 run decoded (characters, padding excluded): 12 bytes.
pub(crate) const MIN_BASE64_RUN: usize = 16;
/// Shortest hex run decoded (digits): 16 bytes.
pub(crate) const MIN_HEX_RUN: usize = 32;
/// Shortest percent-encoded run decoded (characters, with at least one
/// `%XX` escape).
pub(crate) const MIN_PERCENT_RUN: usize = 16;
/// How many leading characters are decoded first to see whether a run
/// holds text at all.
const SNIFF: usize = 64;

/// An encoding undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Base64,
    Hex,
    Percent,
}

impl Encoding {
    /// The name findings carry in their `decoded` chain.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Base64 => "base64",
            Encoding::Hex => "hex",
            Encoding::Percent => "percent",
        }
    }
}

/// A run of encoded bytes and the text it decodes to.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub range: Range<usize>,
    pub encoding: Encoding,
    pub text: Vec<u8>,
}

const STD: u8 = 1;
const URL: u8 = 2;
const HEX: u8 = 4;
const ALNUM: u8 = 8;

const fn classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = ALNUM;
        }
        if c.is_ascii_hexdigit() {
            t[b] |= HEX;
        }
        if c == b'+' || c == b'/' {
            t[b] = STD;
        }
        if c == b'-' || c == b'_' {
            t[b] = URL;
        }
        b += 1;
    }
    t
}

static CLASS: [u8; 256] = classes();

const FORGIVING: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
static STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, FORGIVING);
static URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, FORGIVING);

/// Whether decoded bytes are text worth scanning. `complete` is false for
/// a prefix, which may end inside a UTF-8 sequence.
fn is_text(bytes: &[u8], complete: bool) -> bool {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => !complete && e.error_len().is_none(),
    };
    valid
        && bytes
            .iter()
            .all(|&b| b >= 0x20 && b != 0x7f || matches!(b, b'\t' | b'\n' | b'\r'))
}

/// Every run in `haystack` that decodes to text, in order of position.
pub(crate) fn decoded_runs(haystack: &[u8], out: &mut Vec<Decoded>) {
    alphabet_runs(haystack, out);
    if memchr::memchr(b'%', haystack).is_some() {
        percent_runs(haystack, out);
        out.sort_by_key(|d| d.range.start);
    }
}

/// Runs of the base64 alphabets at least [`MIN_BASE64_RUN`] long. Such a
/// run holds one of every `MIN_BASE64_RUN`-th positions, so only those are
/// looked at first, and runs are grown from them: in ordinary text most of
/// the bytes are never read.
fn alphabet_runs(haystack: &[u8], out: &mut Vec<Decoded>) {
    let n = haystack.len();
    let in_alphabet = |i: usize| CLASS[haystack[i] as usize] != 0;
    // No run starts before `floor`; `probe` is the next position looked at.
    let mut floor = 0;
    let mut probe = MIN_BASE64_RUN - 1;
    while probe < n {
        if !in_alphabet(probe) {
            floor = probe + 1;
            probe += MIN_BASE64_RUN;
            continue;
        }
        let mut start = probe;
        while start > floor && in_alphabet(start - 1) {
            start -= 1;
        }
        let mut end = probe + 1;
        while end < n && in_alphabet(end) {
            end += 1;
        }
        let mut padded = end;
        while padded < n && padded - end < 2 && haystack[padded] == b'=' {
            padded += 1;
        }
        floor = if padded > end { padded } else { end + 1 };
        probe = floor + MIN_BASE64_RUN - 1;
        let run = &haystack[start..end];
        if run.len() < MIN_BASE64_RUN {
            continue;
        }
        let seen = run.iter().fold(0u8, |acc, &b| acc | CLASS[b as usize]);
        if seen & (STD | URL) == STD | URL {
            continue;
        }
        let only_hex = run.iter().all(|&b| CLASS[b as usize] & HEX != 0);
        let decoded = if only_hex && run.len() >= MIN_HEX_RUN {
            decode_hex(run).map(|t| (Encoding::Hex, t))
        } else {
            let engine = if seen & URL != 0 {
                &URL_SAFE
            } else {
                &STANDARD
            };
            decode_base64(engine, run).map(|t| (Encoding::Base64, t))
        };
        if let Some((encoding, text)) = decoded {
            out.push(Decoded {
                range: start..padded,
                encoding,
                text,
            });
        }
    }
}

/// The 6-bit value of a base64 character of either alphabet.
fn sextet(b: u8) -> u32 {
    u32::from(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' | b'-' => 62,
        _ => 63,
    })
}

/// Whether the first 8 characters of a run decode to text: most runs in
/// code (identifiers, hashes, binary blobs) fail here, before any
/// allocation.
fn base64_head_is_text(run: &[u8]) -> bool {
    let mut head = [0u8; 6];
    for (group, out) in run[..8].chunks_exact(4).zip(head.chunks_exact_mut(3)) {
        let n = group.iter().fold(0u32, |acc, &b| acc << 6 | sextet(b));
        out.copy_from_slice(&n.to_be_bytes()[1..]);
    }
    is_text(&head, false)
}

fn decode_base64(engine: &GeneralPurpose, run: &[u8]) -> Option<Vec<u8>> {
    if !base64_head_is_text(run) {
        return None;
    }
    // A final lone character carries no whole byte.
    let usable = if run.len() % 4 == 1 {
        &run[..run.len() - 1]
    } else {
        run
    };
    if usable.len() > SNIFF {
        let head = engine.decode(&usable[..SNIFF]).ok()?;
        if !is_text(&head, false) {
            return None;
        }
    }
    let text = engine.decode(usable).ok()?;
    is_text(&text, true).then_some(text)
}

fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b.wrapping_sub(b'A').wrapping_add(10),
    }
}

fn decode_hex(run: &[u8]) -> Option<Vec<u8>> {
    let mut first = [0u8; 4];
    for (pair, out) in run[..8].chunks_exact(2).zip(first.iter_mut()) {
        *out = hex_value(pair[0]) << 4 | hex_value(pair[1]);
    }
    if !is_text(&first, false) {
        return None;
    }
    let run = &run[..run.len() & !1];
    let mut out = Vec::with_capacity(run.len() / 2);
    for (k, pair) in run.chunks_exact(2).enumerate() {
        out.push(hex_value(pair[0]) << 4 | hex_value(pair[1]));
        if k + 1 == SNIFF / 2 && !is_text(&out, false) {
            return None;
        }
    }
    is_text(&out, true).then_some(out)
}

/// Characters a percent-encoded run may hold: printable ASCII but spaces,
/// quotes and brackets.
fn url_char(b: u8) -> bool {
    b.is_ascii_graphic()
        && !matches!(b, b'"' | b'\'' | b'`' | b'<' | b'>' | b'(' | b')')
        && !matches!(b, b'[' | b']' | b'{' | b'}' | b'\\')
}

fn percent_runs(haystack: &[u8], out: &mut Vec<Decoded>) {
    let mut next_free = 0;
    for pct in memchr::memchr_iter(b'%', haystack) {
        if pct < next_free || !escape_at(haystack, pct) {
            continue;
        }
        let mut start = pct;
        while start > next_free && url_char(haystack[start - 1]) {
            start -= 1;
        }
        let mut end = pct;
        while end < haystack.len() && url_char(haystack[end]) {
            end += 1;
        }
        next_free = end;
        if end - start < MIN_PERCENT_RUN {
            continue;
        }
        let run = &haystack[start..end];
        let mut text = Vec::with_capacity(run.len());
        let mut k = 0;
        while k < run.len() {
            if escape_at(run, k) {
                text.push(hex_value(run[k + 1]) << 4 | hex_value(run[k + 2]));
                k += 3;
            } else {
                text.push(run[k]);
                k += 1;
            }
        }
        if is_text(&text, true) {
            out.push(Decoded {
                range: start..end,
                encoding: Encoding::Percent,
                text,
            });
        }
    }
}

fn escape_at(bytes: &[u8], at: usize) -> bool {
    bytes.get(at) == Some(&b'%')
        && bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
        && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<(String, &'static str, String)> {
        let mut out = Vec::new();
        decoded_runs(text.as_bytes(), &mut out);
        out.into_iter()
            .map(|d| {
                (
                    text[d.range].to_string(),
                    d.encoding.name(),
                    String::from_utf8(d.text).unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn base64_both_alphabets_hex_and_percent_runs_decode_to_text() {
        // "hello world, how are you?" in each encoding.
        let b64 = "aGVsbG8gd29ybGQsIGhvdyBhcmUgeW91Pw==";
        let url = "PDw_Pz4-aGVsbG8gd29ybGQ_Pz8-Pg"; // "<<??>>hello world???>>"
        let hex = "68656c6c6f20776f726c642c20686f772061726520796f753f";
        let pct = "hello%20world%2C%20how%20are%20you%3F";
        let text = format!("a: {b64}\nb: {url}\nc: {hex}\nd: {pct}\n");
        let found = runs(&text);
        assert_eq!(
            found,
            [
                (b64.into(), "base64", "hello world, how are you?".into()),
                (url.into(), "base64", "<<??>>hello world???>>".into()),
                (hex.into(), "hex", "hello world, how are you?".into()),
                (pct.into(), "percent", "hello world, how are you?".into()),
            ]
        );
    }

    #[test]
    fn identifiers_hashes_and_binary_do_not_decode() {
        let text = "AbstractSingletonProxyFactoryBean secret_scanner_options_default \
                    0123456789abcdef0123456789abcdef0123 \
                    src/main/java/com/example/service/Impl 100%-width";
        assert_eq!(runs(text), []);
    }

    #[test]
    fn runs_of_the_shortest_length_are_found_wherever_they_sit() {
        // 16 characters: "hello world!".
        let r = "aGVsbG8gd29ybGQh";
        for text in [
            r.to_string(),
            format!("x {r}"),
            format!("{r}.{r}"),
            format!("0123456789abcde.{r}"),
            format!("{}={r}", "x".repeat(31)),
        ] {
            let found = runs(&text);
            let want = text.matches(r).count();
            assert_eq!(found.len(), want, "{text}: {found:?}");
            assert!(
                found
                    .iter()
                    .all(|(run, _, t)| run == r && t == "hello world!")
            );
        }
    }

    #[test]
    fn short_runs_are_left_alone() {
        assert_eq!(runs("aGVsbG8="), []);
    }
}
