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
