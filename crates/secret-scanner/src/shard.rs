//! Shards: which repositories of a list worker I of N scans.
//!
//! A repository belongs to shard `fnv1a64(identity) mod N`, where the
//! identity is the list entry normalised ([`identity`]). The hash is fixed
//! (FNV-1a, 64 bits), not Rust's per-process randomised one, so N workers
//! that read the same list agree without talking to each other, and every
//! repository falls in exactly one shard.

use std::fmt;
use std::str::FromStr;

/// Shard `index` of `count` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This worker's share, `0..count`.
    pub index: u64,
    /// How many workers there are.
    pub count: u64,
}

impl Shard {
    /// The whole list as one shard.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Whether the repository with this identity belongs to this shard.
    pub fn holds(&self, identity: &str) -> bool {
        fnv1a64(identity.as_bytes()) % self.count == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        parse_shard(text)
    }
}

/// Parses `I/N` with `N >= 1` and `I < N`.
pub fn parse_shard(text: &str) -> Result<Shard, String> {
    let bad = || format!("invalid shard {text:?} (expected I/N with 0 <= I < N, e.g. 0/4)");
    let (i, n) = text.trim().split_once('/').ok_or_else(bad)?;
    let index: u64 = i.trim().parse().map_err(|_| bad())?;
    let count: u64 = n.trim().parse().map_err(|_| bad())?;
    if count == 0 || index >= count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// FNV-1a, 64 bits: small, fixed, and the same on every machine.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// A list entry as the repository's identity: surrounding blanks and
/// trailing slashes dropped; for clone URLs also a trailing `.git` (so
/// `https://host/org/a.git` and `https://host/org/a/` are one repository).
pub fn identity(entry: &str) -> String {
    let mut id = entry.trim();
    while id.len() > 1 && id.ends_with('/') {
        id = &id[..id.len() - 1];
    }
    if is_url(id) {
        id = id.strip_suffix(".git").unwrap_or(id);
    }
    id.to_string()
}

/// Whether an entry is a clone URL (`scheme://…` or scp-like `user@host:path`)
/// rather than a local path.
pub fn is_url(entry: &str) -> bool {
    if entry.contains("://") {
        return true;
    }
    match entry.split_once(':') {
        Some((before, _)) => before.contains('@') && !before.contains('/'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_reject_out_of_range() {
        assert_eq!(parse_shard("2/5"), Ok(Shard { index: 2, count: 5 }));
        assert!(parse_shard("5/5").is_err());
        assert!(parse_shard("0/0").is_err());
        assert!(parse_shard("1").is_err());
        assert!(parse_shard("-1/3").is_err());
    }

    #[test]
    fn the_hash_is_fixed() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn every_repository_is_in_exactly_one_shard() {
        for n in 1..8 {
            for k in 0..50 {
                let id = format!("/srv/repos/r{k}");
                let owners = (0..n)
                    .filter(|&i| Shard { index: i, count: n }.holds(&id))
                    .count();
                assert_eq!(owners, 1);
            }
        }
    }

    #[test]
    fn identities_are_normalised() {
        assert_eq!(identity(" /srv/a/ \n"), "/srv/a");
        assert_eq!(identity("https://host/org/a.git"), "https://host/org/a");
        assert_eq!(identity("/srv/a.git"), "/srv/a.git");
        assert!(is_url("git@github.com:org/a.git"));
        assert!(!is_url("/srv/a"));
        assert!(!is_url("C:/srv/a"));
    }
}
