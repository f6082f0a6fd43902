//! Mentions as the harness holds them, below every stage: spans, gold
//! mentions, predictions, the view reports show, and the one check that a
//! span's offsets and text agree with the article (used by the gold loader
//! and by response validation alike).

use extractor_api::{Field, Value};
use serde::{Deserialize, Serialize};

/// A code point range, end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Number of shared code points.
    pub fn overlap(&self, other: &Span) -> usize {
        self.end.min(other.end).saturating_sub(self.start.max(other.start))
    }
    pub fn union_len(&self, other: &Span) -> usize {
        self.len() + other.len() - self.overlap(other)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct GoldMention {
    pub id: String,
    pub span: Span,
    pub text: String,
    pub value: Value,
    /// Set when a plugin proposed this mention (pre-annotation) rather than
    /// a person labelling it.
    pub origin: Option<Origin>,
}

/// A pre-annotated gold mention's provenance, kept in the gold file as
/// `"pre": {"plugin": …, "version": …, "reviewed": …}` until a person has
/// reviewed it (and after, for the record).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    pub plugin: String,
    pub version: String,
    /// A person accepted (or corrected) it.
    pub reviewed: bool,
}

impl GoldMention {
    pub fn field(&self) -> Field {
        self.value.field()
    }
}

/// A prediction. Without a span it is scored only span-free.
#[derive(Clone, Debug, PartialEq)]
pub struct PredMention {
    pub span: Option<Span>,
    pub text: Option<String>,
    pub value: Value,
}

impl From<&GoldMention> for PredMention {
    /// A gold mention read as a prediction (one annotation scored against
    /// another).
    fn from(g: &GoldMention) -> Self {
        PredMention {
            span: Some(g.span),
            text: Some(g.text.clone()),
            value: g.value.clone(),
        }
    }
}

impl PredMention {
    pub fn field(&self) -> Field {
        self.value.field()
    }
}

/// A mention as reports show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentionView {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub text: Option<String>,
    /// Typed, not a JSON tree: a report keeps the findings of up to
    /// `--keep-details` articles, and a tree costs an allocation per key.
    pub value: Value,
}

impl From<&GoldMention> for MentionView {
    fn from(g: &GoldMention) -> Self {
        MentionView {
            id: Some(g.id.clone()),
            start: Some(g.span.start),
            end: Some(g.span.end),
            text: Some(g.text.clone()),
            value: g.value.clone(),
        }
    }
}

impl From<&PredMention> for MentionView {
    fn from(p: &PredMention) -> Self {
        MentionView {
            id: None,
            start: p.span.map(|s| s.start),
            end: p.span.map(|s| s.end),
            text: p.text.clone(),
            value: p.value.clone(),
        }
    }
}

/// Code point offsets → byte offsets of one text, for checking many spans.
/// Nothing is built up front: a cursor remembers the last position looked
/// up, so spans checked in text order (gold files, most replies) cost one
/// walk over the text up to the last span; a lookup behind the cursor walks
/// again from the start. An ASCII text needs no walk at all, and the text's
/// length in code points is only counted if asked for.
pub struct TextIndex<'a> {
    text: &'a str,
    ascii: bool,
    chars: std::cell::OnceCell<usize>,
    /// (code point, byte) of the last lookup.
    cursor: std::cell::Cell<(usize, usize)>,
}

impl<'a> TextIndex<'a> {
    pub fn new(text: &'a str) -> TextIndex<'a> {
        TextIndex {
            text,
            ascii: text.is_ascii(),
            chars: std::cell::OnceCell::new(),
            cursor: std::cell::Cell::new((0, 0)),
        }
    }

    /// Number of code points.
    pub fn chars(&self) -> usize {
        *self.chars.get_or_init(|| match self.ascii {
            true => self.text.len(),
            false => self.text.chars().count(),
        })
    }

    /// Byte offset of code point `k`, if the text has that many.
    fn byte(&self, k: usize) -> Option<usize> {
        if self.ascii {
            return (k <= self.text.len()).then_some(k);
        }
        let (mut c, mut b) = self.cursor.get();
        if k < c {
            (c, b) = (0, 0);
        }
        let b = skip_chars(self.text.as_bytes(), b, k - c)?;
        self.cursor.set((k, b));
        Some(b)
    }

    /// The text between two code point offsets, if they are in range.
    pub fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        if start > end {
            return None;
        }
        let from = self.byte(start)?;
        Some(&self.text[from..self.byte(end)?])
    }
}

/// How a span disagrees with the text it points into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpanError {
    /// `start >= end`, or `end` past the last code point.
    OutOfRange { start: usize, end: usize, chars: usize },
    /// The mention's text is not the text at its offsets.
    Mismatch {
        start: usize,
        end: usize,
        claimed: String,
        actual: String,
    },
}

impl std::fmt::Display for SpanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpanError::OutOfRange { start, end, chars } => write!(
                f,
                "offsets {start}..{end} are empty or out of range (text has {chars} code points)"
            ),
            SpanError::Mismatch {
                start,
                end,
                claimed,
                actual,
            } => write!(f, "text {claimed:?} does not match text[{start}..{end}] = {actual:?}"),
        }
    }
}

/// The byte offset `n` code points after the char boundary `from`: the end
/// of the text if exactly `n` remain, `None` if fewer do. Whole 16-byte
/// blocks are skipped by counting the code points that start in them (bytes
/// that are not `10xxxxxx`), which vectorizes; the last block is walked
/// byte by byte.
fn skip_chars(text: &[u8], mut from: usize, mut n: usize) -> Option<usize> {
    const BLOCK: usize = 16;
    let starts_char = |b: &u8| (*b as i8) >= -0x40;
    while let Some(block) = text.get(from..from + BLOCK) {
        let starts = block.iter().filter(|b| starts_char(b)).count();
        if starts > n {
            break;
        }
        n -= starts;
        from += BLOCK;
    }
    // `from` may sit inside a code point after a block skip: count starts.
    for (i, b) in text[from..].iter().enumerate() {
        if starts_char(b) {
            if n == 0 {
                return Some(from + i);
            }
            n -= 1;
        }
    }
    (n == 0).then_some(text.len())
}

/// Checks that `start..end` is a non-empty span of the text and that the text
/// there is exactly `claimed`, code point for code point (no normalization:
/// offsets point into the text as stored).
pub fn check_span(index: &TextIndex<'_>, start: usize, end: usize, claimed: &str) -> Result<Span, SpanError> {
    let actual = match index.slice(start, end) {
        Some(a) if start < end => a,
        _ => {
            return Err(SpanError::OutOfRange {
                start,
                end,
                chars: index.chars(),
            })
        }
    };
    if actual != claimed {
        return Err(SpanError::Mismatch {
            start,
            end,
            claimed: claimed.to_string(),
            actual: actual.to_string(),
        });
    }
    Ok(Span { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_code_points_into_the_stored_text() {
        // NFD "ệ" is three code points; CRLF is two.
        let text = "Ngay 1\r\nle\u{323}\u{302} 7%";
        let idx = TextIndex::new(text);
        assert_eq!(idx.chars(), text.chars().count());
        let start = text.chars().position(|c| c == '7').unwrap();
        assert_eq!(
            check_span(&idx, start, start + 2, "7%"),
            Ok(Span { start, end: start + 2 })
        );
        assert!(matches!(check_span(&idx, 8, 12, "lệ"), Err(SpanError::Mismatch { .. })));
        assert!(check_span(&idx, 8, 12, "le\u{323}\u{302}").is_ok());
        assert!(matches!(check_span(&idx, 3, 3, ""), Err(SpanError::OutOfRange { .. })));
        assert!(matches!(
            check_span(&idx, 0, 99, "x"),
            Err(SpanError::OutOfRange { .. })
        ));
        // Lookups in any order agree with a full walk.
        let long: String = "ệa".repeat(100);
        let idx = TextIndex::new(&long);
        for start in [0, 31, 32, 33, 150, 63, 64, 199, 2] {
            let want: String = long.chars().skip(start).take(1).collect();
            assert_eq!(idx.slice(start, start + 1), Some(want.as_str()), "{start}");
        }
        assert_eq!(idx.slice(0, 200), Some(long.as_str()));
        assert_eq!(idx.slice(0, 201), None);
        let ascii = TextIndex::new("abc");
        assert_eq!(ascii.slice(1, 3), Some("bc"));
        assert_eq!(ascii.slice(2, 4), None);
    }

    proptest::proptest! {
        /// The block skip lands where a walk over the code points does,
        /// from any boundary and for any count, in any mix of widths.
        #[test]
        fn skipping_code_points_equals_walking_them(
            text in "[a\u{e0}\u{1ec7}\u{323}\u{1f600}\r\n]{0,80}",
            from_char in 0usize..90,
            n in 0usize..90,
        ) {
            let from = text.char_indices().nth(from_char).map_or(text.len(), |(i, _)| i);
            let rest = text[from..].chars().count();
            let want = match text[from..].char_indices().nth(n) {
                Some((i, _)) => Some(from + i),
                None => (n == rest).then_some(text.len()),
            };
            proptest::prop_assert_eq!(skip_chars(text.as_bytes(), from, n), want);
        }
    }
}
