//! The literal filter: a generic rule's value must be a *literal*, not code.
//!
//! (Over 500 lines because of its tests: about 170 lines of negative and
//! positive examples, one per code shape seen in real repositories.)
//!
//! Generic rules (`password = …`, `token: …`) match an assignment shape, and
//! in source code most assignments to a variable named `token` are code:
//! `token = scanner.next_token()`, `let _token = cargo::util::setup();`,
//! `password: INGRESS_PASSWORD`, `KEY=$KEY`. A rule with `literal = true`
//! accepts a candidate only when
//!
//! - the match stays on one line;
//! - the secret-bearing word is a whole component of the assigned name
//!   (`db_password`, `dbPassword`, `DB_PASS`; not `passenger`, `bypass`,
//!   `ERRORTOKEN`), and the name does not end in a word that says the value
//!   is something else (`token_url`, `password_file`, `secret_name`);
//! - the name is not itself inside an expansion (`${PASSWORD:+x}`, `$TOKEN`);
//! - the value is a quoted string that ends where the match ends, or, in a
//!   configuration format (dotenv, properties, INI, YAML, TOML, netrc,
//!   Dockerfile, shell, docs) and in comments, an unquoted word that is not
//!   a sigil (`$X`, `%X%`, `@x`, `*x`, `&x`), an ALL_CAPS constant, a member
//!   access (`a.b`), a path (`a::b`) or a call or index (`f(`, `x[`).
//!
//! In a programming-language file an unquoted value outside a comment is
//! always code.
//!
//! Cost: a scan of the candidate's line (bounded at 4 KiB either side).

use std::ops::Range;

/// How far the filter looks back and ahead on a line.
const REACH: usize = 4096;

/// Last name components that say the value is not the secret itself.
const NOT_A_SECRET_SUFFIXES: &[&str] = &[
    "url",
    "uri",
    "urls",
    "endpoint",
    "host",
    "hostname",
    "port",
    "length",
    "len",
    "size",
    "count",
    "type",
    "types",
    "kind",
    "name",
    "names",
    "file",
    "filename",
    "path",
    "dir",
    "field",
    "fields",
    "label",
    "prefix",
    "suffix",
    "regex",
    "pattern",
    "header",
    "env",
    "var",
    "id",
    "ids",
    "expiry",
    "expires",
    "expiration",
    "ttl",
    "timeout",
    "policy",
    "hint",
    "prompt",
    "placeholder",
    "format",
    "class",
    "mode",
    "provider",
    "store",
    "manager",
    "service",
    "helper",
    "validator",
    "parser",
    "generator",
    "hash",
    "digest",
    "required",
    "enabled",
    "changed",
    "reset",
    "confirmation",
    "confirm",
    "min",
    "max",
    "index",
    "idx",
    "column",
    "identifier",
    "param",
    "params",
    "attr",
    "attribute",
];

/// Extensions of programming languages, where a literal is always quoted.
const CODE_EXTENSIONS: &[&str] = &[
    "py", "pyi", "rb", "rake", "js", "mjs", "cjs", "jsx", "ts", "tsx", "go", "java", "kt", "kts",
    "scala", "rs", "c", "h", "cc", "cpp", "cxx", "hpp", "cs", "php", "swift", "m", "mm", "dart",
    "lua", "pl", "pm", "r", "ex", "exs", "erl", "hs", "clj", "groovy", "vue", "svelte", "json",
    "tf", "hcl", "erb", "ipynb", "fs", "vb", "jl", "zig", "nim", "cr",
];

/// Whether `path` names a programming-language source file.
pub fn is_code_path(path: Option<&str>) -> bool {
    let Some(path) = path else { return false };
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            let ext = ext.to_ascii_lowercase();
            CODE_EXTENSIONS.contains(&ext.as_str())
        }
        _ => false,
    }
}

/// Splits an identifier into lowercase components: `dbPassword` →
/// `db, password`; `DB_PASS` → `db, pass`; `x-api-key` → `x, api, key`.
pub fn name_components(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = match prev {
            Some(p) if c.is_ascii_uppercase() => {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            }
            _ => false,
        };
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a keyword (`api_key`, `password`) occurs as whole components of
/// the name's components.
fn has_keyword(components: &[String], keyword: &str) -> bool {
    let kw = name_components(keyword);
    if kw.is_empty() {
        return false;
    }
    components.windows(kw.len()).any(|w| w == kw.as_slice())
        // `api_key` also reads `apikey`, `APIKEY`.
        || components.iter().any(|c| *c == kw.concat())
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'$' | b'@')
}

/// Checks a generic candidate; `Err` says why it is code, not a literal.
pub fn check(
    haystack: &[u8],
    span: Range<usize>,
    secret: Range<usize>,
    path: Option<&str>,
    keywords: &[String],
) -> Result<(), String> {
    // The match may begin with the line break before the name.
    let inner = span.start.saturating_add(1).min(span.end)..span.end;
    if haystack[inner].contains(&b'\n') {
        return Err("the match crosses a line break".into());
    }
    let lo = secret.start.saturating_sub(REACH);
    let line_start = memchr::memrchr(b'\n', &haystack[lo..secret.start]).map_or(lo, |i| lo + i + 1);
    let hi = (secret.end + REACH).min(haystack.len());
    let line_end = memchr::memchr(b'\n', &haystack[secret.end..hi]).map_or(hi, |i| secret.end + i);
    let before = &haystack[line_start..secret.start];
    let value = &haystack[secret.clone()];
    let after = &haystack[secret.end..line_end];

    // The opening quote, JSON-escaped or not.
    let mut b = before.len();
    let mut quote: Option<u8> = None;
    if b > 0 && matches!(before[b - 1], b'"' | b'\'' | b'`') {
        quote = Some(before[b - 1]);
        b -= 1;
        if b > 0 && before[b - 1] == b'\\' {
            b -= 1;
        }
    }
    // Spaces, the operator, spaces, a closing quote of the name.
    while b > 0 && matches!(before[b - 1], b' ' | b'\t') {
        b -= 1;
    }
    let op_end = b;
    while b > 0 && matches!(before[b - 1], b'=' | b':' | b'>' | b'?' | b'|' | b'+') {
        b -= 1;
    }
    let operator = &before[b..op_end];
    while b > 0 && matches!(before[b - 1], b' ' | b'\t' | b'"' | b'\'' | b'\\') {
        b -= 1;
    }
    let name_end = b;
    while b > 0 && is_ident_byte(before[b - 1]) {
        b -= 1;
    }
    let name = String::from_utf8_lossy(&before[b..name_end]);
    let components = name_components(&name);
    if !keywords.iter().any(|k| has_keyword(&components, k)) {
        return Err(format!(
            "the name {name:?} does not have the keyword as a whole word"
        ));
    }
    if let Some(last) = components.last()
        && NOT_A_SECRET_SUFFIXES.contains(&last.as_str())
        && components.len() > 1
    {
        return Err(format!(
            "the name {name:?} ends in {last:?}: not the secret itself"
        ));
    }
    if name.starts_with('$') || (b > 0 && matches!(before[b - 1], b'$' | b'{' | b'%')) {
        return Err(format!("{name:?} is inside a variable expansion"));
    }
    // `a == "x"` compares, `a != "x"` too: not an assignment.
    if operator == b"==" || operator.ends_with(b"==") {
        return Err("a comparison, not an assignment".into());
    }

    let trimmed_line = String::from_utf8_lossy(&haystack[line_start..line_end]);
    let trimmed_line = trimmed_line.trim_start();
    let in_comment = ["#", "//", "/*", "*", "--", ";", "<!--", "rem ", "REM "]
        .iter()
        .any(|c| trimmed_line.starts_with(c));

    if let Some(q) = quote {
        // The literal must end where the match ends.
        let closes = after.first() == Some(&q) || after.starts_with(&[b'\\', q]);
        if !closes {
            return Err("the quoted value goes on past the match (prose or an expression)".into());
        }
        // `"$VAULT_TOKEN"`, `"${TOKEN}"`, `` `$(cat f)` ``: interpolation in
        // double quotes and backticks; a bare `$NAME` in any quotes.
        let v = String::from_utf8_lossy(value);
        if is_variable_reference(&v)
            || (q != b'\'' && v.starts_with('$') && v[1..].starts_with(is_interpolation_start))
        {
            return Err(format!("{v:?} is a variable reference, not a value"));
        }
        return Ok(());
    }
    // Unquoted.
    if is_code_path(path) && !in_comment {
        return Err("an unquoted value in source code is an expression".into());
    }
    let v = String::from_utf8_lossy(value);
    if let Some(first) = v.chars().next()
        && matches!(
            first,
            '$' | '%' | '@' | '*' | '&' | '{' | '[' | '(' | '<' | '!' | '+' | '#'
        )
    {
        return Err(format!("{v:?} is a reference, not a value"));
    }
    if is_constant_name(&v) {
        return Err(format!("{v:?} is a constant's name"));
    }
    if v.contains("::") {
        return Err(format!("{v:?} is a path"));
    }
    if is_member_access(&v) {
        return Err(format!("{v:?} is a member access"));
    }
    if matches!(after.first(), Some(b'(' | b'[' | b'.')) {
        return Err(format!("{v:?} is called or indexed"));
    }
    Ok(())
}

/// `$NAME` or `${NAME}`: a whole value that only names a variable.
fn is_variable_reference(v: &str) -> bool {
    let Some(rest) = v.strip_prefix('$') else {
        return false;
    };
    let name = rest
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .unwrap_or(rest);
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// What may follow `$` to start an interpolation: a name, `{` or `(`.
fn is_interpolation_start(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '_' | '{' | '(')
}

/// `INGRESS_PASSWORD`, `DB_PASS`, `SECRET`: upper-case letters and
/// underscores (digits after the first letter), at least one underscore or
/// no digit at all.
fn is_constant_name(v: &str) -> bool {
    let bytes = v.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_uppercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
        && (v.contains('_') || !bytes.iter().any(u8::is_ascii_digit))
}

/// `os.environ`, `token.ERRORTOKEN`, `this.props.token`: identifiers joined
/// by dots.
fn is_member_access(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            let b = p.as_bytes();
            // Letters and underscores, then at most two digits: `props`,
            // `v2`, `ERRORTOKEN`; not `cy4r40yreY1IfK`.
            let letters = b
                .iter()
                .take_while(|c| c.is_ascii_alphabetic() || **c == b'_')
                .count();
            letters > 0 && b.len() - letters <= 2 && b[letters..].iter().all(u8::is_ascii_digit)
        })
        && parts
            .iter()
            .any(|p| p.bytes().any(|c| c.is_ascii_lowercase()))
        && !parts
            .last()
            .is_some_and(|p| p.bytes().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str, value: &str, path: &str, keywords: &[&str]) -> Result<(), String> {
        let start = line.find(value).unwrap();
        let kw: Vec<String> = keywords.iter().map(|s| s.to_string()).collect();
        check(
            line.as_bytes(),
            0..start + value.len(),
            start..start + value.len(),
            Some(path),
            &kw,
        )
    }

    #[test]
    fn names_split_into_components() {
        assert_eq!(name_components("dbPassword"), ["db", "password"]);
        assert_eq!(name_components("DB_PASS"), ["db", "pass"]);
        assert_eq!(name_components("HTTPToken"), ["http", "token"]);
        assert_eq!(name_components("x-api-key"), ["x", "api", "key"]);
        assert_eq!(name_components("ERRORTOKEN"), ["errortoken"]);
    }

    #[test]
    fn code_shapes_are_not_literals() {
        let pw = &["password", "passwd", "pass"];
        let tok = &["token"];
        assert!(
            run(
                "let _token = cargo::util::job::setup();",
                "cargo::util::job::setup",
                "a.rs",
                tok
            )
            .is_err()
        );
        assert!(
            run(
                "token = @scanner.next_token",
                "@scanner.next_token",
                "a.rb",
                tok
            )
            .is_err()
        );
        assert!(
            run(
                "password: INGRESS_PASSWORD",
                "INGRESS_PASSWORD",
                "values.yaml",
                pw
            )
            .is_err()
        );
        assert!(
            run(
                "ERRORTOKEN = token.ERRORTOKEN",
                "token.ERRORTOKEN",
                "t.txt",
                tok
            )
            .is_err()
        );
        assert!(run("KEY_PASSWORD=$KEY_PASSWORD", "$KEY_PASSWORD", ".env", pw).is_err());
        // Interpolation in quotes is a reference too (regression: a shell
        // script's `export TOKEN="$VAULT_TOKEN"` was a generic-token).
        assert!(
            run(
                "export DB_PASSWORD=\"$VAULT_PASSWORD\"",
                "$VAULT_PASSWORD",
                "deploy.sh",
                pw
            )
            .is_err()
        );
        assert!(
            run(
                "DB_PASSWORD = '${DB_PASSWORD_FROM_ENV}'",
                "${DB_PASSWORD_FROM_ENV}",
                "a.yml",
                pw
            )
            .is_err()
        );
        assert!(
            run(
                "db_password=\"$(cat /run/secrets/db)\"",
                "$(cat /run/secrets/db)",
                "a.sh",
                pw
            )
            .is_err()
        );
        // A single-quoted value that merely starts with `$` stays a literal.
        assert!(run("DB_PASSWORD='$7hK2pQ9xLmW4'", "$7hK2pQ9xLmW4", "a.sh", pw).is_ok());
        assert!(
            run(
                "  case \"${MVNW_PASSWORD:+has-password}\" in",
                "+has-password}",
                "mvnw",
                pw
            )
            .is_err()
        );
        assert!(run("f.token=f.token[0]", "f.token", "app.min.js", tok).is_err());
        assert!(run("passenger = 'Xk29vLq0Pz81Wm'", "Xk29vLq0Pz81Wm", "a.py", pw).is_err());
        assert!(
            run(
                "token_url = 'https://a.example/x'",
                "https://a.example/x",
                "a.py",
                tok
            )
            .is_err()
        );
    }

    #[test]
    fn literals_in_code_and_config_pass() {
        let pw = &["password", "passwd", "pass"];
        assert!(
            run(
                "dbPassword = \"Xk29vLq0Pz81Wm\";",
                "Xk29vLq0Pz81Wm",
                "Db.java",
                pw
            )
            .is_ok()
        );
        assert!(run("DB_PASS=Xk29vLq0Pz81Wm", "Xk29vLq0Pz81Wm", ".env", pw).is_ok());
        assert!(
            run(
                "password: Xk29vLq0Pz81Wm",
                "Xk29vLq0Pz81Wm",
                "config.yml",
                pw
            )
            .is_ok()
        );
        assert!(
            run(
                "# password=Xk29vLq0Pz81Wm",
                "Xk29vLq0Pz81Wm",
                "deploy.py",
                pw
            )
            .is_ok()
        );
        assert!(
            run(
                "\"password\": \"Xk29vLq0Pz81Wm\"",
                "Xk29vLq0Pz81Wm",
                "a.json",
                pw
            )
            .is_ok()
        );
        assert!(
            run(
                "{\\\"password\\\": \\\"Xk29vLq0Pz81Wm\\\"}",
                "Xk29vLq0Pz81Wm",
                "n.ipynb",
                pw
            )
            .is_ok()
        );
    }
}
