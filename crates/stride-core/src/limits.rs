//! Limits on what the loaders accept, checked before any parser runs.
//!
//! A YAML parser takes time quadratic in the nesting depth of a document
//! (100,000 nested `[` took 19 s to reject), so the depth is measured first
//! by a cheap scan that never builds a tree: flow collections (`[`, `{`)
//! and block indentation (`key:` then a deeper line, `- - -`) each add a
//! level; quoted scalars, comments and block scalars (`|`, `>`) add none.
//! The scan over-counts at worst a little (a `[` opening a plain scalar),
//! never by enough to refuse a real model, and stops at the first line
//! past the limit.

/// The deepest nesting a model file may have. Our models need about six
/// levels, Threat Dragon and OTM files about ten.
pub const MAX_NESTING: usize = 128;

/// The largest model, include or acceptance file the tools read (64 MiB).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// A document nested deeper than the limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("nesting deeper than {limit} levels: refused before parsing (a model needs far fewer)")]
pub struct TooDeep {
    /// The 1-based line where the limit was passed.
    pub line: usize,
    /// The limit.
    pub limit: usize,
}

/// Whether a quote or bracket at byte `at` of `line` starts a scalar or a
/// collection (rather than sitting inside a plain scalar, as in `it's` or
/// `see [1]`): it opens the line's content or follows an indicator, which
/// in block context (`key: [`, `- [`, `? [`) needs a space after it.
fn starts_node(line: &str, at: usize, in_flow: bool) -> bool {
    let mut before = &line[..at];
    let mut trimmed = before.trim_end();
    // An anchor or a tag (`&a [`, `!!seq [`) sits between the indicator and
    // the node. Such a word is short: the look-back is bounded, so a long
    // line without spaces (compact JSON) stays linear to scan.
    while let Some(word) = last_word(trimmed).filter(|w| w.starts_with(['&', '!'])) {
        before = &trimmed[..trimmed.len() - word.len()];
        trimmed = before.trim_end();
    }
    match trimmed.chars().next_back() {
        None => true,
        Some('[' | '{' | ',') => in_flow,
        Some(':') if in_flow => true,
        Some(':' | '-' | '?') => trimmed.len() < before.len(),
        _ => false,
    }
}

/// The last word of `text` when it could be an anchor or a tag: at most
/// 256 bytes back, up to a space or a flow indicator or quote.
fn last_word(text: &str) -> Option<&str> {
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        if c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}' | '"' | '\'') {
            break;
        }
        if text.len() - i > 256 {
            return None;
        }
        start = i;
    }
    Some(&text[start..]).filter(|w| !w.is_empty())
}

/// A block scalar header (`|`, `>-`, `|2+`) ends the line: the lines after
/// it that are more indented are text.
fn opens_block_scalar(content: &str) -> bool {
    content.split_whitespace().next_back().is_some_and(|t| {
        t.starts_with(['|', '>'])
            && t[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '+' || c == '-')
    })
}

/// Checks that a YAML or JSON text nests no deeper than `limit`, in one
/// pass and without parsing it.
pub fn check_nesting(text: &str, limit: usize) -> Result<(), TooDeep> {
    let mut blocks: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    let mut scalar_indent: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let too_deep = || TooDeep { line: n + 1, limit };
        let content = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - content.len();
        if let Some(at) = scalar_indent {
            if content.is_empty() || indent > at {
                continue;
            }
            scalar_indent = None;
        }
        if flow == 0 && quote.is_none() && !content.is_empty() && !content.starts_with('#') {
            while blocks.last().is_some_and(|&top| top >= indent) {
                blocks.pop();
            }
            blocks.push(indent);
            // `- - x`: each dash opens one more level.
            let mut rest = content;
            let mut col = indent;
            while let Some(after) = rest
                .strip_prefix('-')
                .filter(|a| a.is_empty() || a.starts_with(' '))
            {
                let item = after.trim_start_matches(' ');
                col += rest.len() - item.len();
                blocks.push(col);
                rest = item;
                if blocks.len() > limit {
                    return Err(too_deep());
                }
            }
            if blocks.len() > limit {
                return Err(too_deep());
            }
        }
        let mut escaped = false;
        let mut end = line.len();
        for (i, c) in line.char_indices() {
            if let Some(q) = quote {
                if q == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == q && !escaped {
                    quote = None;
                }
                escaped = false;
                continue;
            }
            match c {
                '#' if line[..i].ends_with([' ', '\t']) || i == 0 => {
                    end = i;
                    break;
                }
                '"' | '\'' if starts_node(line, i, flow > 0) => quote = Some(c),
                '[' | '{' if flow > 0 || starts_node(line, i, false) => {
                    flow += 1;
                    if blocks.len() + flow > limit {
                        return Err(too_deep());
                    }
                }
                ']' | '}' => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        if flow == 0 && quote.is_none() && opens_block_scalar(&line[..end]) {
            scalar_indent = Some(indent);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_and_block_nesting_is_refused_before_parsing() {
        let flow = "[".repeat(100_000);
        assert_eq!(
            check_nesting(&flow, 128),
            Err(TooDeep {
                line: 1,
                limit: 128
            })
        );
        let mut block = String::new();
        for i in 0..200 {
            block.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
        }
        assert_eq!(check_nesting(&block, 128).map_err(|e| e.line), Err(129));
        let dashes = format!("x:\n{}1\n", "- ".repeat(500));
        assert!(check_nesting(&dashes, 128).is_err());
        let json = format!("{{\"a\": {}1{}}}", "{\"b\": ".repeat(200), "}".repeat(200));
        assert!(check_nesting(&json, 128).is_err());
    }

    #[test]
    fn ordinary_models_quotes_comments_and_text_pass_the_nesting_check() {
        let model = "name: t # a [ comment {\nelements:\n  - id: web\n    name: \"it's [not\" \n    description: it's [a plain [[[ text\n    attributes: { internet_facing: true }\n  - { id: db, name: '[db', kind: data_store }\nflows:\n  - id: f\n    description: |\n      [[[[\n        {{{{\n    from: web\n";
        assert_eq!(check_nesting(model, 4), Ok(()));
        assert!(check_nesting(model, 3).is_err());
        // A long line without spaces (compact JSON) is scanned in linear
        // time: 200,000 quoted strings on one line.
        let compact = format!("{{\"a\": [{}\"x\"]}}", "\"x\",".repeat(200_000));
        assert_eq!(check_nesting(&compact, 128), Ok(()));
        // Anchors and tags do not hide a collection.
        assert!(check_nesting(&format!("a: &x !!seq {}", "[".repeat(200)), 128).is_err());
        let nested = "a: [[[1]]]\nb: [[[2]]]\n";
        assert_eq!(check_nesting(nested, 4), Ok(()));
        assert!(check_nesting(nested, 3).is_err());
        // A deeply indented block scalar is text, not nesting.
        let text: String = (0..300)
            .map(|i| format!("{}x\n", " ".repeat(i + 2)))
            .collect();
        assert_eq!(check_nesting(&format!("d: >-\n{text}"), 128), Ok(()));
    }
}
