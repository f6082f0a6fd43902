//! Byte offsets (what `regex` and `str` give you) to code point offsets (what
//! the wire format uses).

use crate::{Mention, Value};
use std::ops::Range;

/// Maps byte offsets of one text to code point offsets in O(1).
pub struct CharIndex<'a> {
    text: &'a str,
    /// `chars_before[b]` = number of code points in `text[..b]`, for every
    /// char boundary `b` (other entries are unspecified).
    chars_before: Vec<u32>,
}

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut chars_before = vec![0u32; text.len() + 1];
        let mut n = 0u32;
        for (b, _) in text.char_indices() {
            chars_before[b] = n;
            n += 1;
        }
        chars_before[text.len()] = n;
        CharIndex { text, chars_before }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Code point offset of byte offset `byte`, which must be a char boundary.
    pub fn char_offset(&self, byte: usize) -> usize {
        debug_assert!(self.text.is_char_boundary(byte), "byte {byte} is not a char boundary");
        self.chars_before[byte] as usize
    }

    /// A mention covering `bytes` of the text, with code point offsets and the
    /// exact covered text filled in.
    pub fn mention(&self, bytes: Range<usize>, value: Value) -> Mention {
        Mention {
            start: self.char_offset(bytes.start),
            end: self.char_offset(bytes.end),
            text: self.text[bytes].to_string(),
            value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_code_points_not_bytes() {
        let text = "quý I/2024 và 7,1\u{a0}%";
        let idx = CharIndex::new(text);
        let b = text.find("7,1").unwrap();
        assert_eq!(idx.char_offset(b), text[..b].chars().count());
        let m = idx.mention(b..text.len(), Value::Date("x".into()));
        assert_eq!(m.text, "7,1\u{a0}%");
        assert_eq!(m.end - m.start, 5);
        assert_eq!(m.end, text.chars().count());
    }
}
