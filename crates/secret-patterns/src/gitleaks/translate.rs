//! Go regular expressions (RE2 syntax, as gitleaks compiles them) turned
//! into the `regex` crate's syntax where the two differ but mean the same.
//!
//! What differs, and what is done:
//! - A `{` that does not open a valid repetition (`{2}`, `{2,}`, `{2,5}`)
//!   is a literal in Go and an error here: it is escaped. So is a `{`
//!   after nothing repeatable, such as `(?:\d+|{\d+})`.
//! - Inside a character class, Go reads `[` (other than `[:name:]`) and the
//!   pairs `&&`, `--`, `~~` literally; here they nest classes or are set
//!   operations: they are escaped.
//! - `\Q...\E` quotes a literal in Go: its characters are escaped one by one.
//! - Octal escapes `\1` to `\377` are characters in Go: written as `\x{..}`.
//!
//! Anything else is passed on unchanged; a pattern that still does not
//! compile is reported by the caller and its rule left out.

/// `pattern` in this crate's regex syntax.
pub(crate) fn go_to_rust(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    // Whether the last thing written can take a repetition operator.
    let mut repeatable = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let (text, used) = escape(&chars[i..]);
                out.push_str(&text);
                i += used;
                repeatable = true;
                continue;
            }
            '[' => {
                let used = class(&chars[i..], &mut out);
                i += used;
                repeatable = true;
                continue;
            }
            '{' => match repetition_len(&chars[i..]) {
                Some(len) if repeatable => {
                    out.extend(&chars[i..i + len]);
                    i += len;
                    // A lazy `?` may follow; another repetition may not.
                    repeatable = false;
                    continue;
                }
                _ => {
                    out.push_str("\\{");
                    repeatable = true;
                }
            },
            '}' => {
                out.push_str("\\}");
                repeatable = true;
            }
            '(' => {
                out.push(c);
                // A group's flags `(?i)` or opener `(?:`, `(?P<n>` is copied
                // whole: nothing before a group's first item is repeatable.
                if chars.get(i + 1) == Some(&'?') {
                    let mut j = i + 1;
                    while j < chars.len() && !matches!(chars[j], ')' | ':' | '>') {
                        out.push(chars[j]);
                        j += 1;
                    }
                    if j < chars.len() {
                        out.push(chars[j]);
                        // `(?i)` closes a flag group: still nothing to repeat.
                        j += 1;
                    }
                    i = j;
                    repeatable = false;
                    continue;
                }
                repeatable = false;
            }
            '|' | '^' => {
                out.push(c);
                repeatable = false;
            }
            '*' | '+' | '?' => {
                out.push(c);
                repeatable = false;
            }
            _ => {
                out.push(c);
                repeatable = true;
            }
        }
        i += 1;
    }
    out
}

/// The length of a valid repetition `{n}`, `{n,}` or `{n,m}` at the start
/// of `chars`.
fn repetition_len(chars: &[char]) -> Option<usize> {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    (chars.get(i) == Some(&'}')).then_some(i + 1)
}

/// An escape at the start of `chars`: its translation and how many
/// characters it used.
fn escape(chars: &[char]) -> (String, usize) {
    let Some(&next) = chars.get(1) else {
        return ("\\".into(), 1);
    };
    match next {
        'Q' => {
            let mut out = String::new();
            let mut i = 2;
            while i < chars.len() {
                if chars[i] == '\\' && chars.get(i + 1) == Some(&'E') {
                    return (out, i + 2);
                }
                out.push_str(&regex_syntax::escape(&chars[i].to_string()));
                i += 1;
            }
            (out, i)
        }
        '1'..='7' | '0' => {
            let mut value = 0u32;
            let mut i = 1;
            while i < 4 && chars.get(i).is_some_and(|c| ('0'..='7').contains(c)) {
                value = value * 8 + chars[i].to_digit(8).unwrap_or(0);
                i += 1;
            }
            (format!("\\x{{{value:x}}}"), i)
        }
        _ => (format!("\\{next}"), 2),
    }
}

/// A character class at the start of `chars`, written to `out`: how many
/// characters it used.
fn class(chars: &[char], out: &mut String) -> usize {
    out.push('[');
    let mut i = 1;
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    // A `]` first in the class is a literal.
    if chars.get(i) == Some(&']') {
        out.push_str("\\]");
        i += 1;
    }
    while i < chars.len() {
        let c = chars[i];
        match c {
            ']' => {
                out.push(']');
                return i + 1;
            }
            '\\' => {
                let (text, used) = escape(&chars[i..]);
                out.push_str(&text);
                i += used;
                continue;
            }
            '[' if chars.get(i + 1) == Some(&':') => {
                // `[:alpha:]` is copied whole.
                let end = (i + 2..chars.len().saturating_sub(1))
                    .find(|&j| chars[j] == ':' && chars[j + 1] == ']');
                match end {
                    Some(j) => {
                        out.extend(&chars[i..j + 2]);
                        i = j + 2;
                        continue;
                    }
                    None => out.push_str("\\["),
                }
            }
            '[' => out.push_str("\\["),
            '&' | '-' | '~' if chars.get(i + 1) == Some(&c) => {
                out.push(c);
                out.push('\\');
                out.push(c);
                i += 2;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::go_to_rust;

    fn compiles(p: &str) -> bool {
        regex::bytes::Regex::new(p).is_ok()
    }

    #[test]
    fn go_only_regex_syntax_is_translated() {
        for (go, rust) in [
            (r"^\$(?:\d+|{\d+})$", r"^\$(?:\d+|\{\d+\})$"),
            (r"^\${(?:[A-Z_]+|[a-z_]+)}$", r"^\$\{(?:[A-Z_]+|[a-z_]+)\}$"),
            (
                r"^\{\{[ \t]*[\w ().|]+[ \t]*}}$",
                r"^\{\{[ \t]*[\w ().|]+[ \t]*\}\}$",
            ),
            (r"^\{\d{0,2}}$", r"^\{\d{0,2}\}$"),
            (r"a{2}b{1,}c{3,4}?", r"a{2}b{1,}c{3,4}?"),
            (r"x{y", r"x\{y"),
            (r"[[a]", r"[\[a]"),
            (r"[a&&b]", r"[a&\&b]"),
            (r"[[:alpha:]_]", r"[[:alpha:]_]"),
            (r"[]a]", r"[\]a]"),
            (r"\Qa.b\E+", r"a\.b+"),
            (r"\101", r"\x{41}"),
            (r"(?i)key{", r"(?i)key\{"),
        ] {
            let got = go_to_rust(go);
            assert_eq!(got, rust, "{go}");
            assert!(compiles(&got), "{got}");
        }
    }

    #[test]
    fn patterns_valid_in_both_are_unchanged() {
        for p in [
            r"(?i)\b(AKIA[A-Z0-9]{16})\b",
            r#"(?:api|key)[\w.-]{0,20}[\s'"]{0,3}(?:=|:)\s*([a-z0-9]{32})"#,
            r"^/Users/(?i)[a-z0-9]+/[\w .-/]+$",
            r"(?P<key>[A-Za-z0-9+/]{40})",
        ] {
            assert_eq!(go_to_rust(p), p);
        }
    }
}
