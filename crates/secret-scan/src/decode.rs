//! Turning file bytes into scannable text: binary detection and UTF-16.

use std::borrow::Cow;

/// How many leading bytes are checked for a NUL byte.
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// Whether `bytes` look binary: a NUL byte in the first 8 KiB. UTF-16 text
/// with a byte-order mark is not binary (it is decoded instead).
pub fn is_binary(bytes: &[u8]) -> bool {
    if utf16_bom(bytes).is_some() {
        return false;
    }
    let head = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    memchr::memchr(0, head).is_some()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf16 {
    Le,
    Be,
}

fn utf16_bom(bytes: &[u8]) -> Option<Utf16> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(Utf16::Le),
        [0xFE, 0xFF, ..] => Some(Utf16::Be),
        _ => None,
    }
}

/// The text to scan: UTF-16 (with a byte-order mark) is decoded to UTF-8,
/// unpaired surrogates becoming U+FFFD; anything else is scanned as it is.
pub fn decode(bytes: &[u8]) -> Cow<'_, [u8]> {
    let Some(kind) = utf16_bom(bytes) else {
        return Cow::Borrowed(bytes);
    };
    let units = bytes[2..].chunks_exact(2).map(|pair| match kind {
        Utf16::Le => u16::from_le_bytes([pair[0], pair[1]]),
        Utf16::Be => u16::from_be_bytes([pair[0], pair[1]]),
    });
    let text: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    Cow::Owned(text.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_both_byte_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("ab".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("ab".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(&*decode(&le), b"ab");
        assert_eq!(&*decode(&be), b"ab");
        assert!(!is_binary(&le));
        assert!(is_binary(b"a\0b"));
        assert!(!is_binary(b"plain text"));
    }
}
