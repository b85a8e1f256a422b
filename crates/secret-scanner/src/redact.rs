//! Redaction: secrets are never printed in full unless asked.

/// `ghp_****`: the first characters of a secret, then `****`. Four
/// characters are kept for secrets of 16 characters or more (usually a
/// provider prefix), two for 8 to 15, none below.
pub fn redact(secret: &str) -> String {
    let n = secret.chars().count();
    let keep = if n >= 16 {
        4
    } else if n >= 8 {
        2
    } else {
        0
    };
    let mut out: String = secret.chars().take(keep).collect();
    out.push_str("****");
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn keeps_little() {
        assert_eq!(redact("ghp_abcdefghijklmnopqrstuvwxyz"), "ghp_****");
        assert_eq!(redact("hunter2hunter"), "hu****");
        assert_eq!(redact("abc"), "****");
    }
}
