//! Recognising UTF-16 text, with or without a byte-order mark.
//!
//! Without a mark, the byte pattern decides, as other scanners do for
//! Windows-made files (`.reg` exports, PowerShell output, some `.ini`
//! files): text that is mostly ASCII has, in UTF-16LE, a zero byte at every
//! odd offset and almost none at even offsets (the reverse in UTF-16BE).
//! Binary data has zero bytes at both.

/// The byte order of UTF-16 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Utf16 {
    /// Little-endian.
    Le,
    /// Big-endian.
    Be,
}

/// How many leading bytes the byte-pattern check reads.
const SNIFF_LEN: usize = 8 * 1024;

/// The byte order of `bytes` if they are UTF-16 text, and how many bytes of
/// byte-order mark to skip (2 or 0).
pub(crate) fn detect(bytes: &[u8]) -> Option<(Utf16, usize)> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some((Utf16::Le, 2)),
        [0xFE, 0xFF, ..] => return Some((Utf16::Be, 2)),
        _ => {}
    }
    sniff(bytes).map(|kind| (kind, 0))
}

/// The byte-pattern check for text without a mark: at least 8 units; in
/// the first 8 KiB, at least 70% of units have a zero high byte, at most
/// 5% a zero low byte, no unit is NUL, and the units decode without an
/// unpaired surrogate.
fn sniff(bytes: &[u8]) -> Option<Utf16> {
    let head = &bytes[..bytes.len().min(SNIFF_LEN) & !1];
    let units = head.len() / 2;
    if units < 8 {
        return None;
    }
    let (mut zero_even, mut zero_odd) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        if pair[0] == 0 && pair[1] == 0 {
            return None;
        }
        zero_even += usize::from(pair[0] == 0);
        zero_odd += usize::from(pair[1] == 0);
    }
    let kind = if zero_odd * 10 >= units * 7 && zero_even * 20 <= units {
        Utf16::Le
    } else if zero_even * 10 >= units * 7 && zero_odd * 20 <= units {
        Utf16::Be
    } else {
        return None;
    };
    // A unit cut at the end of the window may be half a surrogate pair.
    let decoded = char::decode_utf16(units_of(head, kind));
    let bad = decoded.filter(Result::is_err).count();
    (bad <= 1).then_some(kind)
}

/// The 16-bit units of `bytes` (an odd last byte is left out).
pub(crate) fn units_of(bytes: &[u8], kind: Utf16) -> impl Iterator<Item = u16> + '_ {
    bytes.chunks_exact(2).map(move |pair| match kind {
        Utf16::Le => u16::from_le_bytes([pair[0], pair[1]]),
        Utf16::Be => u16::from_be_bytes([pair[0], pair[1]]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn be(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    #[test]
    fn utf16_without_a_bom_is_recognised_by_its_byte_pattern() {
        let text = "[HKEY_CURRENT_USER\\Software]\r\n\"Password\"=\"x\"\r\n";
        assert_eq!(detect(&le(text)), Some((Utf16::Le, 0)));
        assert_eq!(detect(&be(text)), Some((Utf16::Be, 0)));
        // Too short to tell, binary, or plain ASCII: not UTF-16.
        assert_eq!(detect(&le("ab")), None);
        assert_eq!(
            detect(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0"),
            None
        );
        assert_eq!(detect(b"plain ASCII text, long enough"), None);
        // NUL units are binary, not text.
        assert_eq!(detect(&[0u8; 64]), None);
    }
}
