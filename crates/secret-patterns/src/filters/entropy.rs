//! Randomness tests: Shannon entropy and character-class counts.

/// Shannon entropy of `bytes`, in bits per byte (0 for empty input).
///
/// A random base64 string of 40 characters scores about 5; English words score
/// 2.5 to 3.5; `aaaaaaaa` scores 0.
///
/// ```
/// use secret_patterns::filters::entropy::shannon;
/// assert_eq!(shannon(b"aaaa"), 0.0);
/// assert!((shannon(b"abcd") - 2.0).abs() < 1e-9);
/// ```
pub fn shannon(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0usize; 256];
    for &b in bytes {
        counts[usize::from(b)] += 1;
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// How many of the four classes (lowercase, uppercase, digit, other printable)
/// occur in `bytes`.
///
/// ```
/// use secret_patterns::filters::entropy::char_classes;
/// assert_eq!(char_classes(b"abc"), 1);
/// assert_eq!(char_classes(b"aB3$"), 4);
/// ```
pub fn char_classes(bytes: &[u8]) -> u8 {
    let (mut lower, mut upper, mut digit, mut other) = (false, false, false, false);
    for &b in bytes {
        match b {
            b'a'..=b'z' => lower = true,
            b'A'..=b'Z' => upper = true,
            b'0'..=b'9' => digit = true,
            _ if b.is_ascii_graphic() => other = true,
            _ => {}
        }
    }
    u8::from(lower) + u8::from(upper) + u8::from(digit) + u8::from(other)
}
