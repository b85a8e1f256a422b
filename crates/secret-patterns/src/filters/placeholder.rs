//! The catalogue-wide placeholder list: values that are obviously not real
//! credentials (`changeme`, `${API_KEY}`, `<token>`, `process.env.X`...).
//!
//! Every rule runs this check on its `secret` group unless it sets
//! `placeholders = false` (a rule whose format can legitimately contain one of
//! these words). The words are compared ASCII case-insensitively.

/// Substrings that mark a value as a placeholder, a template variable or a
/// read from the environment rather than a literal secret.
pub const PLACEHOLDER_MARKERS: &[&str] = &[
    // Documentation and sample values.
    "example",
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "dummy",
    "redacted",
    "sample",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yourpassword",
    "_here",
    "-here",
    "xxxx",
    "****",
    "....",
    "notreal",
    "not_real",
    "not-a-real",
    "fakefake",
    "insert_",
    "insert-",
    "replace_me",
    "replace-me",
    "replaceme",
    // Template syntax: ${VAR}, {{ var }}, <token>, %(name)s, $(cmd).
    "${",
    "{{",
    "}}",
    "<",
    ">",
    "%(",
    "$(",
    // Reads from the environment or a secret store.
    "os.environ",
    "os.getenv",
    "getenv(",
    "process.env",
    "env(",
    "env[",
    "env.",
    "environ[",
    "secrets.",
    "vault:",
    "secretsmanager",
    "parameterstore",
];

/// Whole values that are placeholders (compared ASCII case-insensitively,
/// ignoring surrounding quotes and brackets). These are too short to look for
/// inside a value: a long random token may contain `tbd` by chance.
pub const PLACEHOLDER_VALUES: &[&str] = &[
    "todo",
    "tbd",
    "fixme",
    "none",
    "null",
    "nil",
    "undefined",
    "empty",
    "secret",
    "password",
    "passwd",
    "token",
    "apikey",
    "api_key",
    "changeit",
    "default",
    "test",
    "testing",
    "string",
    "value",
    "required",
    "optional",
    "unknown",
    "notset",
    "not_set",
    "hidden",
    "masked",
];

/// Returns the marker that makes `value` a placeholder, if any.
///
/// Besides [`PLACEHOLDER_MARKERS`], a value made of one repeated character
/// (`aaaaaaaa`, `00000000`) or of a plain ascending run (`12345678`,
/// `abcdefgh`) is a placeholder.
///
/// ```
/// use secret_patterns::filters::placeholder::placeholder_marker;
/// assert_eq!(placeholder_marker("${API_TOKEN}"), Some("${".to_string()));
/// assert_eq!(placeholder_marker("Your-Key-Here"), Some("your-".to_string()));
/// assert_eq!(placeholder_marker("00000000"), Some("repeated character".to_string()));
/// assert_eq!(placeholder_marker("q8Zt2vLk9PwX"), None);
/// // Short words count only as the whole value.
/// assert_eq!(placeholder_marker("<TBD>"), Some("tbd".to_string()));
/// assert_eq!(placeholder_marker("TODO"), Some("todo".to_string()));
/// assert_eq!(placeholder_marker("k9TbDq2LzW8x"), None);
/// ```
pub fn placeholder_marker(value: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    let bare = lower.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
    if let Some(word) = PLACEHOLDER_VALUES.iter().find(|w| **w == bare) {
        return Some((*word).to_string());
    }
    if let Some(marker) = PLACEHOLDER_MARKERS.iter().find(|m| lower.contains(*m)) {
        return Some((*marker).to_string());
    }
    let bytes = lower.as_bytes();
    if bytes.len() >= 4 {
        if bytes.iter().all(|&b| b == bytes[0]) {
            return Some("repeated character".to_string());
        }
        if bytes.windows(2).all(|w| w[1] == w[0].wrapping_add(1)) {
            return Some("ascending sequence".to_string());
        }
    }
    None
}
