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

/// Whether `line` declares `id` with value `value`.
pub(crate) fn declares_id(line: &str, value: &str) -> bool {
    for key in ["id:", "\"id\":", "\"id\" :", "'id':"] {
        let mut from = 0;
        while let Some(at) = line.get(from..).and_then(|r| has_token(r, key)) {
            let after = line[from + at + key.len()..].trim_start();
            let unquoted = after
                .strip_prefix('"')
                .and_then(|a| a.strip_prefix(value))
                .and_then(|a| a.strip_prefix('"'))
                .or_else(|| {
                    after
                        .strip_prefix('\'')
                        .and_then(|a| a.strip_prefix(value))
                        .and_then(|a| a.strip_prefix('\''))
                })
                .or_else(|| {
                    after
                        .strip_prefix(value)
                        .filter(|a| !a.starts_with(|c: char| is_word(c) || c == '.'))
                });
            if unquoted.is_some() {
                return true;
            }
            from += at + key.len();
        }
    }
    false
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
}
