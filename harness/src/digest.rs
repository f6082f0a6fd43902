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

/// A writer that hashes what passes through it, so a file can be written
/// and digested in one streaming pass.
pub struct HashingWriter<W> {
    inner: W,
    hasher: sha2::Sha256,
}

impl<W: std::io::Write> HashingWriter<W> {
    pub fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: sha2::Sha256::new(),
        }
    }
    /// Flushes and returns the inner writer with the hex digest.
    pub fn finish(mut self) -> std::io::Result<(W, String)> {
        self.inner.flush()?;
        Ok((self.inner, hex(&self.hasher.finalize())))
    }
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn streaming_digest_equals_the_one_shot_digest() {
        let mut w = HashingWriter::new(Vec::new());
        for chunk in [&b"na"[..], b"m ", b"", b"\xe1\xbb\x87"] {
            w.write_all(chunk).unwrap();
        }
        let (bytes, digest) = w.finish().unwrap();
        assert_eq!(digest, sha256_hex(&bytes));
        assert_eq!(digest, sha256_hex("nam ệ".as_bytes()));
    }
}
