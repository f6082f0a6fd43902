//! SHA-256 digests as lower-case hex: article texts, gold files, plugin
//! libraries and cache keys all use this one formatter.

use sha2::Digest as _;

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha2::Sha256::digest(bytes))
}

/// Lower-case hex of a digest (for hashes computed incrementally).
pub fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(digest.len() * 2);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}
