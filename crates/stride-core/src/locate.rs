//! Finding the line of a key in the model's source text, for error messages
//! and SARIF locations.
//!
//! serde gives lines for syntax errors only; semantic errors (an unknown
//! reference, a duplicate id) are found on the parsed model. Rather than
//! keep a span for every node, the source text is scanned: the top-level
//! section (`flows:`), then the item by its `id` (the n-th item with that
//! id, so a duplicate points at the second one), then the offending key
//! inside that item. Block and flow style YAML and JSON are all handled; a
//! key that cannot be found falls back to the item's `id` line, and an item
//! that cannot be found to 0 ("line unknown").

use std::collections::HashMap;

/// Where a problem is: which section, which item (by id, and which of the
/// items carrying that id), and the key path inside the item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spot<'a> {
    /// `boundaries`, `elements`, `data` or `flows`.
    pub section: &'a str,
    /// The item's id.
    pub id: &'a str,
    /// 0 for the first item with that id, 1 for the second...
    pub occurrence: usize,
    /// The key inside the item (`to`, `attributes.rate_limting`); empty for
    /// the item itself.
    pub key: &'a str,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Whether `line` contains `needle` with no word character just before it.
fn has_token(line: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = line.get(from..).and_then(|rest| rest.find(needle)) {
        let at = from + pos;
        let before = line[..at].chars().next_back();
        if !before.is_some_and(is_word) {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

/// Whether `line` declares `key` (`key:` in YAML, `"key":` in JSON).
pub(crate) fn declares_key(line: &str, key: &str) -> bool {
    [
        format!("{key}:"),
        format!("\"{key}\":"),
        format!("\"{key}\" :"),
        format!("'{key}':"),
    ]
    .iter()
    .any(|p| has_token(line, p).is_some())
}

/// The values of the `id` keys `line` declares (`id: web`, `"id": "web"`,
/// `{ id: 'web', ... }`): the whole value, so that `web` never matches
/// `webhook` or `web/x`.
fn ids_on(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for key in ["id:", "\"id\":", "\"id\" :", "'id':"] {
        let mut from = 0;
        while let Some(at) = line.get(from..).and_then(|r| has_token(r, key)) {
            let rest = &line[from + at + key.len()..];
            let after = rest.trim_start();
            let value = match after.chars().next() {
                Some(q @ ('"' | '\'')) => after[1..].find(q).map(|end| &after[1..1 + end]),
                // A plain scalar ends at a flow indicator or a comment.
                _ => {
                    let end = after
                        .char_indices()
                        .find(|&(i, c)| {
                            matches!(c, ',' | '}' | ']')
                                || c == '#' && after[..i].ends_with(char::is_whitespace)
                        })
                        .map_or(after.len(), |(i, _)| i);
                    Some(after[..end].trim_end()).filter(|v| !v.is_empty())
                }
            };
            out.extend(value);
            from += at + key.len();
        }
    }
    out
}

/// Whether `line` declares `id` with value `value`.
pub(crate) fn declares_id(line: &str, value: &str) -> bool {
    ids_on(line).contains(&value)
}

pub(crate) fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The 0-based line range `[start, end)` of a top-level section.
fn section_range(lines: &[&str], section: &str) -> (usize, usize) {
    let top = |l: &str| indent(l) == 0 && !l.starts_with('#') && !l.trim().is_empty();
    let start = lines
        .iter()
        .position(|l| declares_key(l, section) && (top(l) || l.trim_start().starts_with('"')));
    let Some(start) = start else {
        return (0, lines.len());
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| top(l) && !l.starts_with('-') && !l.starts_with(['}', ']']))
        .map_or(lines.len(), |p| start + 1 + p);
    (start, end)
}

/// The 1-based line of the first `id` of every item of a section, in one
/// pass over the source (looking each id up with [`line_of`] would rescan
/// the source once per id).
pub(crate) fn id_lines<'s>(source: &'s str, section: &str) -> HashMap<&'s str, usize> {
    let lines: Vec<&str> = source.lines().collect();
    let (start, end) = section_range(&lines, section);
    let mut out = HashMap::new();
    for (i, line) in lines.iter().enumerate().take(end).skip(start) {
        for id in ids_on(line) {
            out.entry(id).or_insert(i + 1);
        }
    }
    out
}

/// The 1-based line of a spot, or 0 when it cannot be found.
pub(crate) fn line_of(source: &str, spot: &Spot<'_>) -> usize {
    let lines: Vec<&str> = source.lines().collect();
    let (start, end) = section_range(&lines, spot.section);
    let Some(id_line) = (start..end)
        .filter(|&i| declares_id(lines[i], spot.id))
        .nth(spot.occurrence)
    else {
        return 0;
    };
    let Some(last) = spot.key.rsplit('.').next().filter(|k| !k.is_empty()) else {
        return id_line + 1;
    };
    // The item: back to the line that opens it (`- ...`), on to the next
    // item or the end of the section.
    let opens = |l: &str| l.trim_start().starts_with("- ") || l.trim_start().starts_with('{');
    let item_start = (start..=id_line)
        .rev()
        .find(|&i| opens(lines[i]) && indent(lines[i]) <= indent(lines[id_line]))
        .unwrap_or(id_line);
    let item_indent = indent(lines[item_start]);
    let item_end = (id_line + 1..end)
        .find(|&i| opens(lines[i]) && indent(lines[i]) <= item_indent)
        .unwrap_or(end);
    (item_start..item_end)
        .find(|&i| declares_key(lines[i], last))
        .unwrap_or(id_line)
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "name: t\nelements:\n  - id: web\n    name: Web\n    kind: process\n    attributes:\n      rate_limting: true\n  - { id: db, name: DB, kind: data_store }\nflows:\n  - id: f1\n    from: web\n    to: dbb\n  - { id: web, from: web, to: db }\n";

    #[test]
    fn finds_keys_in_block_and_flow_style_items() {
        let spot = |section, id, occurrence, key| Spot {
            section,
            id,
            occurrence,
            key,
        };
        assert_eq!(line_of(BLOCK, &spot("elements", "web", 0, "")), 3);
        assert_eq!(
            line_of(
                BLOCK,
                &spot("elements", "web", 0, "attributes.rate_limting")
            ),
            7
        );
        assert_eq!(line_of(BLOCK, &spot("elements", "db", 0, "kind")), 8);
        assert_eq!(line_of(BLOCK, &spot("flows", "f1", 0, "to")), 12);
        // The flow "web" is found in the flows section, not the element.
        assert_eq!(line_of(BLOCK, &spot("flows", "web", 0, "to")), 13);
        assert_eq!(line_of(BLOCK, &spot("flows", "missing", 0, "to")), 0);
        assert_eq!(line_of(BLOCK, &spot("elements", "web", 1, "id")), 0);
    }

    #[test]
    fn finds_the_second_of_two_duplicates_and_json_keys() {
        let dup = "elements:\n  - { id: a, name: A, kind: process }\n  - { id: ab, name: AB, kind: process }\n  - { id: a, name: A2, kind: process }\n";
        let spot = Spot {
            section: "elements",
            id: "a",
            occurrence: 1,
            key: "id",
        };
        assert_eq!(line_of(dup, &spot), 4);
        let json = "{\n  \"name\": \"t\",\n  \"flows\": [\n    {\"id\": \"f\",\n     \"from\": \"a\",\n     \"to\": \"b\"}\n  ]\n}\n";
        let spot = Spot {
            section: "flows",
            id: "f",
            occurrence: 0,
            key: "to",
        };
        assert_eq!(line_of(json, &spot), 6);
    }

    #[test]
    fn an_id_is_found_whole_never_as_the_prefix_of_a_longer_id() {
        let spot = |section, id| Spot {
            section,
            id,
            occurrence: 0,
            key: "",
        };
        // Items whose ids start with `web` come first; `web` itself is last.
        let yaml = "elements:\n  - { id: webhook, name: H, kind: process }\n  - { id: web/x, name: X, kind: process }\n  - { id: 'web x', name: S, kind: process }\n  - id: web.b # a comment\n    name: D\n  - id: web\n    name: W\n";
        assert_eq!(line_of(yaml, &spot("elements", "web")), 7);
        assert_eq!(line_of(yaml, &spot("elements", "web/x")), 3);
        assert_eq!(line_of(yaml, &spot("elements", "web x")), 4);
        assert_eq!(line_of(yaml, &spot("elements", "web.b")), 5);
        let json = "{\"elements\": [\n {\"id\": \"webhook\", \"name\": \"H\"},\n {\"id\": \"web/x\"},\n {\"id\" : \"web\"}\n]}\n";
        assert_eq!(line_of(json, &spot("elements", "web")), 4);
        let index = id_lines(yaml, "elements");
        assert_eq!(index.get("web"), Some(&7));
        assert_eq!(index.get("webhook"), Some(&2));
        assert_eq!(index.get("web x"), Some(&4));
        assert_eq!(id_lines(json, "elements").get("web"), Some(&4));
    }
}
