//! The words filter: randomness that sees words.
//!
//! Shannon entropy measures how evenly characters are spread, so
//! `very-secret-and-secure` (3.4 bits) passes where `aaaaaaaa` fails. People
//! write placeholder credentials out of words and runs (`my-secret-token`,
//! `crates-io-token`, `abcdefghijklmnopqrstuvwxyz123456`, `password123`); a
//! generated credential is not made of them. This filter measures the share
//! of a value's letters and digits that common words (3 or more letters,
//! from an embedded list of about 4,500 derived from documentation and
//! standard-library sources: see `data/make_words.py`) and runs (`abcd`,
//! `1234`, `qwerty`, a number of at most four digits at either end) explain,
//! with leetspeak read where a symbol stands for a letter (`p@ssw0rd`),
//! segmenting each run of letters
//! for the best cover. A value explained at or above the threshold is
//! rejected, and explain mode prints the words it found.
//!
//! Cost: `O(n × w)` for a value of `n` characters, `w` the longest word (12),
//! on values of at most a few hundred bytes.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The share of characters that words and runs must explain to reject.
pub const WORD_COVER_THRESHOLD: f64 = 0.75;

const WORDS: &str = include_str!("../../data/words.txt");

/// Two-letter words that placeholder values are made of (`my-smtp-password`,
/// `crates-io-token`).
const SHORT_WORDS: &[&[u8]] = &[
    b"my", b"io", b"db", b"id", b"to", b"of", b"in", b"on", b"is", b"it", b"no", b"ok", b"me",
    b"we", b"us", b"an", b"or", b"at", b"by", b"be", b"do", b"go", b"so", b"up", b"pw", b"qa",
];

/// The longest word in the list we look for.
const MAX_WORD: usize = 12;

fn words() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        WORDS
            .lines()
            .map(str::trim)
            .filter(|w| w.len() >= 3)
            .collect()
    })
}

/// How a value breaks into words and runs.
#[derive(Debug, Clone, PartialEq)]
pub struct WordCover {
    /// Share of letters and digits explained, 0 to 1.
    pub share: f64,
    /// The words and runs found, in order.
    pub parts: Vec<String>,
}

/// Whether `s` is a run: consecutive ascending or descending characters
/// (`abcd`, `4321`) or a keyboard row (`qwerty`, `asdf`).
fn is_run(s: &[u8]) -> bool {
    if s.len() < 3 {
        return false;
    }
    let up = s.windows(2).all(|w| w[1] == w[0].wrapping_add(1));
    let down = s.windows(2).all(|w| w[0] == w[1].wrapping_add(1));
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    up || down || ROWS.iter().any(|row| row.windows(s.len()).any(|w| w == s))
}

/// Segments `run` (lowercase letters) for the largest cover by words and
/// runs: (covered letters, parts).
fn segment(run: &[u8]) -> (usize, Vec<String>) {
    let n = run.len();
    // best[i]: (covered, parts) for run[..i].
    let mut best: Vec<(usize, Vec<(usize, usize)>)> = vec![(0, Vec::new()); n + 1];
    let set = words();
    for i in 0..n {
        // Skip one character, covering nothing.
        if best[i].0 > best[i + 1].0 || (i == 0 && best[1].1.is_empty()) {
            best[i + 1] = best[i].clone();
        }
        for len in 2..=MAX_WORD.min(n - i) {
            let piece = &run[i..i + len];
            let hit = if len == 2 {
                SHORT_WORDS.contains(&piece)
            } else {
                std::str::from_utf8(piece).is_ok_and(|p| set.contains(p)) || is_run(piece)
            };
            if hit {
                let covered = best[i].0 + len;
                if covered > best[i + len].0 {
                    let mut parts = best[i].1.clone();
                    parts.push((i, i + len));
                    best[i + len] = (covered, parts);
                }
            }
        }
    }
    let (covered, parts) = best[n].clone();
    let parts = parts
        .into_iter()
        .map(|(a, b)| String::from_utf8_lossy(&run[a..b]).into_owned())
        .collect();
    (covered, parts)
}

/// What a value spells for the word check: percent-escapes decoded and
/// Latin letters with diacritics read as their base letter (`p%C3%A4ssword`
/// spells `password`). A value with no `%XX` is returned as it is.
pub fn spelled(value: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let hex = |b: u8| (b as char).to_digit(16);
    let has_escape = value
        .windows(3)
        .any(|w| w[0] == b'%' && hex(w[1]).is_some() && hex(w[2]).is_some());
    if !has_escape {
        return std::borrow::Cow::Borrowed(value);
    }
    let mut decoded = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i] == b'%'
            && let (Some(h), Some(l)) = (
                value.get(i + 1).copied().and_then(hex),
                value.get(i + 2).copied().and_then(hex),
            )
        {
            decoded.push((h * 16 + l) as u8);
            i += 3;
        } else {
            decoded.push(value[i]);
            i += 1;
        }
    }
    let text = String::from_utf8_lossy(&decoded);
    let folded: String = text
        .chars()
        .map(|c| match c {
            'à'..='å' | 'À'..='Å' => 'a',
            'ç' | 'Ç' => 'c',
            'è'..='ë' | 'È'..='Ë' => 'e',
            'ì'..='ï' | 'Ì'..='Ï' => 'i',
            'ñ' | 'Ñ' => 'n',
            'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' => 'o',
            'ù'..='ü' | 'Ù'..='Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            'ß' => 's',
            c => c,
        })
        .collect();
    std::borrow::Cow::Owned(folded.into_bytes())
}

/// Measures how much of `value` words and runs explain: the better of the
/// value as written and the value with leetspeak undone (`p@ssw0rd`). A value
/// whose letters and digits are each a run (`a1B2c3D4e5F6`) is all run.
pub fn word_cover(value: &[u8]) -> WordCover {
    let letters: Vec<u8> = value
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_lowercase)
        .collect();
    let digits: Vec<u8> = value.iter().copied().filter(u8::is_ascii_digit).collect();
    if letters.len() + digits.len() >= 6
        && (letters.is_empty() || is_run(&letters))
        && (digits.is_empty() || is_run(&digits))
    {
        return WordCover {
            share: 1.0,
            parts: vec![String::from_utf8_lossy(value).into_owned()],
        };
    }
    let plain = cover_of(value);
    // Leading and trailing numbers stay numbers (`p@ssw0rd123`).
    let lead = value.iter().take_while(|b| b.is_ascii_digit()).count();
    let trail = value.len()
        - value
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
    // Leetspeak is read only where a symbol stands for a letter (`p@ss`,
    // `$ecret`, `l0gin!`): mapping digits alone makes words out of random
    // hex by chance.
    if !value.iter().any(|b| matches!(b, b'@' | b'$' | b'!')) {
        return plain;
    }
    let unleet: Vec<u8> = value
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if i < lead || i >= trail {
                return b;
            }
            match b {
                b'@' | b'4' => b'a',
                b'0' => b'o',
                b'1' | b'!' => b'i',
                b'3' => b'e',
                b'$' | b'5' => b's',
                b'7' => b't',
                other => other,
            }
        })
        .collect();
    let undone = cover_of(&unleet);
    if undone.share > plain.share {
        undone
    } else {
        plain
    }
}

fn cover_of(value: &[u8]) -> WordCover {
    let mut total = 0usize;
    let mut covered = 0usize;
    let mut parts = Vec::new();
    let mut i = 0;
    while i < value.len() {
        let c = value[i];
        if c.is_ascii_alphabetic() {
            let start = i;
            while i < value.len() && value[i].is_ascii_alphabetic() {
                i += 1;
            }
            let run: Vec<u8> = value[start..i].iter().map(u8::to_ascii_lowercase).collect();
            total += run.len();
            let (c, p) = segment(&run);
            covered += c;
            parts.extend(p);
        } else if c.is_ascii_digit() {
            let start = i;
            while i < value.len() && value[i].is_ascii_digit() {
                i += 1;
            }
            let digits = &value[start..i];
            total += digits.len();
            // A run explains itself, and so does a short number (a year, a
            // version, `123`) at either end of the value (`password2024`,
            // `42password`). Short numbers between letters do not: random
            // hex and base62 are full of them.
            let at_edge = start == 0 || i == value.len();
            if (digits.len() <= 4 && at_edge) || is_run(digits) {
                covered += digits.len();
                parts.push(String::from_utf8_lossy(digits).into_owned());
            }
        } else {
            i += 1;
        }
    }
    let share = if total == 0 {
        1.0
    } else {
        covered as f64 / total as f64
    };
    WordCover { share, parts }
}

#[cfg(test)]
mod tests {
    #[test]
    fn percent_encoded_words_are_read_as_what_they_spell() {
        assert_eq!(&*super::spelled(b"p%C3%A4ssword"), b"password");
        assert_eq!(
            &*super::spelled(b"aeZrErFCLy%eLZvL1U"),
            b"aeZrErFCLy%eLZvL1U"
        );
        assert!(
            super::word_cover(&super::spelled(b"p%C3%A4ssword")).share
                >= super::WORD_COVER_THRESHOLD
        );
    }

    use super::*;

    #[test]
    fn placeholders_made_of_words_are_explained() {
        for v in [
            "very-secret-and-secure",
            "crates-io-token",
            "my-secret-token",
            "abcdefghijklmnopqrstuvwxyz123456",
            "custom-secure-token",
            "random-string",
            "42password",
            "my-smtp-password",
            "p@ssw0rd123",
            "a1B2c3D4e5F6",
            "postgres",
            "cachepass",
        ] {
            let c = word_cover(v.as_bytes());
            assert!(c.share >= WORD_COVER_THRESHOLD, "{v}: {c:?}");
        }
    }

    /// A deterministic xorshift generator, so the test is repeatable.
    fn random_values(alphabet: &[u8], len: usize, count: usize) -> Vec<Vec<u8>> {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..count)
            .map(|_| {
                (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % alphabet.len() as u64) as usize]
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn random_hex_and_base62_are_almost_never_taken_for_words() {
        let hex = b"0123456789abcdef";
        let base62 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (alphabet, len) in [
            (&hex[..], 32),
            (&hex[..], 16),
            (&base62[..], 20),
            (&base62[..], 32),
        ] {
            let values = random_values(alphabet, len, 5000);
            let dropped = values
                .iter()
                .filter(|v| word_cover(v).share >= WORD_COVER_THRESHOLD)
                .count();
            // At most one in a thousand real credentials lost to this filter.
            if dropped > 5 {
                let shown: Vec<String> = values
                    .iter()
                    .filter(|v| word_cover(v).share >= WORD_COVER_THRESHOLD)
                    .take(6)
                    .map(|v| String::from_utf8_lossy(v).into_owned())
                    .collect();
                panic!("{dropped} of 5000 random values of length {len} dropped: {shown:?}");
            }
        }
    }

    #[test]
    fn generated_credentials_are_not() {
        for v in [
            "Xk29vLq0Pz81Wm",
            "uhtk2DYS80OweAPnMLtrV2FhYIXaceAy",
            "g7Q66StqUQDQk9SJ81sWbYZXgiRogBwS",
            "a3226b97b3b2f8372d1fc6d497a0c0d3",
            "8f14e45fceea167a5a36dedd4bea2543",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzKEY",
        ] {
            let c = word_cover(v.as_bytes());
            assert!(c.share < WORD_COVER_THRESHOLD, "{v}: {c:?}");
        }
    }
}
