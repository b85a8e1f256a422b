//! Turning file bytes into scannable text: binary detection and UTF-16.

use std::borrow::Cow;

use crate::utf16;

/// How many leading bytes are checked for a NUL byte.
pub const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// Whether `bytes` look binary: a NUL byte in the first 8 KiB. UTF-16 text
/// (with a byte-order mark, or recognised by its byte pattern) is not binary
/// (it is decoded instead).
pub fn is_binary(bytes: &[u8]) -> bool {
    if utf16::detect(bytes).is_some() {
        return false;
    }
    let head = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    memchr::memchr(0, head).is_some()
}

/// The text to scan: UTF-16 (see [`utf16::detect`]) is decoded to UTF-8,
/// unpaired surrogates becoming U+FFFD; anything else is scanned as it is.
pub fn decode(bytes: &[u8]) -> Cow<'_, [u8]> {
    let Some((kind, skip)) = utf16::detect(bytes) else {
        return Cow::Borrowed(bytes);
    };
    let units = utf16::units_of(&bytes[skip..], kind);
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
