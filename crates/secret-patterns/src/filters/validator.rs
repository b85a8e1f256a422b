//! Structural and checksum validators, run offline on a candidate secret.
//!
//! A validator turns "this looks like a token" into "this is a well-formed
//! token": the checksum a provider embeds in its tokens, the JSON inside a
//! JWT, the `user:password` inside a base64 `auth` field. None of them makes a
//! network call.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

/// A validator a rule may name in its `validator` field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
#[non_exhaustive]
pub enum Validator {
    /// `PREFIX_` + payload + 6-character checksum: the CRC-32 (IEEE) of the
    /// payload written in base62 (`0-9A-Za-z`), left-padded with `0`. Used by
    /// GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm (`npm_`) tokens.
    /// The prefix is everything up to the last `_`.
    Crc32Base62,
    /// A JSON Web Token: three base64url parts, the first two decoding to
    /// JSON objects, the header naming an `alg`.
    Jwt,
    /// Base64 that decodes to `user:password` with both parts non-empty
    /// (Docker `auth`, HTTP Basic).
    Base64Credentials,
    /// Base64 (standard or URL-safe, padded or not) decoding to exactly
    /// `bytes` bytes.
    Base64Length {
        /// The decoded length the format requires.
        bytes: usize,
    },
    /// A PyPI API token: `pypi-` followed by a base64url macaroon that names
    /// `pypi.org` (or `test.pypi.org`) as its location.
    PypiMacaroon,
    /// A Bech32 string (BIP-173) with a valid checksum, such as an `age`
    /// secret key.
    Bech32,
}

impl Validator {
    /// The kebab-case name used in rule files.
    pub fn name(&self) -> &'static str {
        match self {
            Validator::Crc32Base62 => "crc32-base62",
            Validator::Jwt => "jwt",
            Validator::Base64Credentials => "base64-credentials",
            Validator::Base64Length { .. } => "base64-length",
            Validator::PypiMacaroon => "pypi-macaroon",
            Validator::Bech32 => "bech32",
        }
    }

    /// Checks `secret`; `Err` says what is wrong (for explain mode).
    pub fn check(&self, secret: &[u8]) -> Result<(), String> {
        match self {
            Validator::Crc32Base62 => check_crc32_base62(secret),
            Validator::Jwt => check_jwt(secret),
            Validator::Base64Credentials => {
                let decoded = decode_base64(secret).ok_or("not valid base64")?;
                match decoded.iter().position(|&b| b == b':') {
                    Some(i) if i > 0 && i + 1 < decoded.len() => Ok(()),
                    _ => Err("base64 does not decode to user:password".into()),
                }
            }
            Validator::Base64Length { bytes } => {
                let decoded = decode_base64(secret).ok_or("not valid base64")?;
                if decoded.len() == *bytes {
                    Ok(())
                } else {
                    Err(format!(
                        "decodes to {} bytes, expected {bytes}",
                        decoded.len()
                    ))
                }
            }
            Validator::PypiMacaroon => check_pypi(secret),
            Validator::Bech32 => check_bech32(secret),
        }
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Writes `value` in base62 (`0-9A-Za-z`), left-padded with `0` to `width`.
///
/// ```
/// use secret_patterns::filters::validator::base62;
/// assert_eq!(base62(0, 6), "000000");
/// assert_eq!(base62(61, 2), "0z");
/// assert_eq!(base62(62, 1), "10");
/// ```
pub fn base62(mut value: u64, width: usize) -> String {
    let mut digits = Vec::new();
    while value > 0 {
        digits.push(BASE62[(value % 62) as usize]);
        value /= 62;
    }
    while digits.len() < width {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8_lossy(&digits).into_owned()
}

fn check_crc32_base62(secret: &[u8]) -> Result<(), String> {
    let start = secret.iter().rposition(|&b| b == b'_').map_or(0, |i| i + 1);
    let body = &secret[start..];
    if body.len() < 7 {
        return Err("too short to carry a checksum".into());
    }
    let (payload, checksum) = body.split_at(body.len() - 6);
    let expected = base62(u64::from(crc32fast::hash(payload)), 6);
    if expected.as_bytes() == checksum {
        Ok(())
    } else {
        Err(format!(
            "checksum mismatch: {} != crc32 {expected}",
            String::from_utf8_lossy(checksum)
        ))
    }
}

fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

fn check_jwt(secret: &[u8]) -> Result<(), String> {
    let parts: Vec<&[u8]> = secret.split(|&b| b == b'.').collect();
    if parts.len() != 3 {
        return Err(format!("{} dot-separated parts, expected 3", parts.len()));
    }
    let header = URL_SAFE_NO_PAD
        .decode(parts[0])
        .map_err(|_| "header is not base64url")?;
    let header = std::str::from_utf8(&header).map_err(|_| "header is not UTF-8")?;
    if !(header.trim_start().starts_with('{') && header.contains("\"alg\"")) {
        return Err("header is not a JSON object naming \"alg\"".into());
    }
    let payload = URL_SAFE_NO_PAD
        .decode(parts[1])
        .map_err(|_| "payload is not base64url")?;
    if payload.first() != Some(&b'{') {
        return Err("payload is not a JSON object".into());
    }
    Ok(())
}

fn check_pypi(secret: &[u8]) -> Result<(), String> {
    let body = secret
        .strip_prefix(b"pypi-")
        .ok_or("missing the pypi- prefix")?;
    let decoded = decode_base64(body).ok_or("macaroon is not base64url")?;
    let text = String::from_utf8_lossy(&decoded);
    if text.contains("pypi.org") {
        Ok(())
    } else {
        Err("macaroon does not name pypi.org".into())
    }
}

const BECH32_CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn bech32_polymod(values: &[u8]) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk: u32 = 1;
    for &v in values {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

fn check_bech32(secret: &[u8]) -> Result<(), String> {
    let text = secret.to_ascii_lowercase();
    let sep = text
        .iter()
        .rposition(|&b| b == b'1')
        .ok_or("no separator '1'")?;
    let (hrp, data) = (&text[..sep], &text[sep + 1..]);
    if hrp.is_empty() || data.len() < 6 {
        return Err("too short for bech32".into());
    }
    let mut values: Vec<u8> = hrp.iter().map(|b| b >> 5).collect();
    values.push(0);
    values.extend(hrp.iter().map(|b| b & 31));
    for &c in data {
        let v = BECH32_CHARSET
            .iter()
            .position(|&x| x == c)
            .ok_or_else(|| format!("character {:?} is not bech32", char::from(c)))?;
        values.push(v as u8);
    }
    if bech32_polymod(&values) == 1 {
        Ok(())
    } else {
        Err("bech32 checksum mismatch".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github_like(prefix: &str, payload: &str) -> String {
        format!(
            "{prefix}{payload}{}",
            base62(u64::from(crc32fast::hash(payload.as_bytes())), 6)
        )
    }

    #[test]
    fn crc32_base62_accepts_a_correct_checksum_and_rejects_a_wrong_one() {
        let token = github_like("ghp_", "R4nd0mPayl0adOfThirtyCharsXyZ1");
        assert_eq!(Validator::Crc32Base62.check(token.as_bytes()), Ok(()));
        let mut broken = token.into_bytes();
        let last = broken.len() - 1;
        broken[last] = if broken[last] == b'A' { b'B' } else { b'A' };
        let err = Validator::Crc32Base62.check(&broken).unwrap_err();
        assert!(err.contains("checksum mismatch"), "{err}");
    }

    #[test]
    fn bech32_checks_the_bip173_test_vector() {
        assert_eq!(Validator::Bech32.check(b"A12UEL5L"), Ok(()));
        assert!(Validator::Bech32.check(b"A12UEL5M").is_err());
    }

    #[test]
    fn base64_credentials_needs_user_and_password() {
        // "user:pass"
        assert_eq!(Validator::Base64Credentials.check(b"dXNlcjpwYXNz"), Ok(()));
        // "userpass"
        assert!(Validator::Base64Credentials.check(b"dXNlcnBhc3M=").is_err());
    }
}
