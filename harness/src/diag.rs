//! `file:line:col: message` diagnostics for JSON inputs.

use std::fmt;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.col,
                self.message
            )
        }
    }
}

/// 1-based line and character column of byte offset `byte` in `src`.
pub fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let before = &src[..byte.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Line and column lookups for many positions in one large source (a
/// Label Studio export of thousands of regions): `line_col` in O(log n)
/// plus the length of the line, instead of a scan from the start.
pub struct LineIndex<'a> {
    src: &'a str,
    /// Byte offset of each line's start.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(src: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { src, starts }
    }

    /// 1-based line and character column of byte offset `byte`, as
    /// [`line_col`] gives them.
    pub fn line_col(&self, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= byte);
        let start = self.starts[line - 1];
        (line, self.src[start..byte].chars().count() + 1)
    }
}

/// Byte offset of `inner` (a sub-slice of `src`) within `src`.
pub fn offset_in(src: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize).saturating_sub(src.as_ptr() as usize)
}

/// Position in `src` of a serde_json error reported while parsing the
/// sub-slice of `src` that starts at byte `base`. serde_json counts columns
/// in bytes (0 before the first byte of a line); ours count characters from 1.
pub fn json_position(src: &str, base: usize, json_line: usize, json_col: usize) -> (usize, usize) {
    let base = base.min(src.len());
    let inner = &src[base..];
    let line_start = inner
        .match_indices('\n')
        .nth(json_line.saturating_sub(2))
        .filter(|_| json_line >= 2)
        .map_or(0, |(i, _)| i + 1);
    let mut byte = (base + line_start + json_col.saturating_sub(1)).min(src.len());
    while !src.is_char_boundary(byte) {
        byte -= 1;
    }
    line_col(src, byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_index_agrees_with_line_col() {
        let src = "ab\nçd\r\n\n😀x\ny";
        let index = LineIndex::new(src);
        for (byte, _) in src.char_indices().chain([(src.len(), ' ')]) {
            assert_eq!(index.line_col(byte), line_col(src, byte), "byte {byte}");
        }
    }
}

/// Test support: small random edits of a JSON document (a character dropped,
/// or one of a few significant ones inserted), for checking that the fast
/// parsers accept nothing the explaining ones refuse.
#[cfg(test)]
pub(crate) mod edits {
    use proptest::prelude::*;

    pub type Edit = (prop::sample::Index, Option<char>);

    pub fn edits() -> impl Strategy<Value = Vec<Edit>> {
        let insert = prop::option::of(prop::sample::select(vec![
            '"', '1', '0', ',', '}', ']', 'x', ' ', '-', '\\',
        ]));
        prop::collection::vec((any::<prop::sample::Index>(), insert), 0..3)
    }

    pub fn apply(src: &str, edits: Vec<Edit>) -> String {
        let mut chars: Vec<char> = src.chars().collect();
        for (at, insert) in edits {
            let k = at.index(chars.len());
            match insert {
                Some(c) => chars.insert(k, c),
                None => {
                    chars.remove(k);
                }
            }
        }
        chars.into_iter().collect()
    }
}
