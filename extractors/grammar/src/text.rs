//! Tokens: words (one Vietnamese syllable each), numbers with their
//! Vietnamese separators, and single punctuation marks. Whitespace is not a
//! token; each token records whether a space or a line break precedes it.

use std::collections::HashSet;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    Num,
    Punct,
}

#[derive(Clone, Debug)]
pub struct Token<'a> {
    pub kind: Kind,
    /// Byte offsets into the document text.
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// Comparison key: lower case, tone mark moved to the end (see [`fold`]).
    pub key: String,
    /// Whitespace (of any kind) separates this token from the previous one.
    pub space_before: bool,
    /// A line break separates this token from the previous one.
    pub nl_before: bool,
    /// Inside page chrome.
    pub chrome: bool,
}

const TONES: [(char, char); 5] = [
    ('\u{300}', '2'), // huyền
    ('\u{301}', '1'), // sắc
    ('\u{303}', '4'), // ngã
    ('\u{309}', '3'), // hỏi
    ('\u{323}', '5'), // nặng
];

/// Lower-cases a syllable and moves its tone mark to the end, so that the old
/// and new tone placements ("uỷ"/"ủy", "hoá"/"hóa") and the common misspelling
/// "qúy" share one key with "quý".
pub fn fold(s: &str) -> String {
    let mut base = String::with_capacity(s.len());
    let mut tone = None;
    for c in s.nfd() {
        if let Some(&(_, code)) = TONES.iter().find(|(t, _)| *t == c) {
            tone = Some(code);
        } else {
            base.extend(c.to_lowercase());
        }
    }
    let mut out: String = base.nfc().collect();
    if let Some(code) = tone {
        out.push(code);
    }
    out
}

/// Folds every syllable of a phrase; "-" and "," become parts of their own.
pub fn fold_phrase(s: &str) -> Vec<String> {
    s.replace(',', " , ").split_whitespace().map(fold).collect()
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic() || ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}')
}

pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut toks = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let (mut space, mut nl) = (false, false);
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        if is_line_break(c) {
            nl = true;
            space = true;
            k += 1;
            continue;
        }
        if is_space(c) {
            space = true;
            k += 1;
            continue;
        }
        let start = k;
        let kind = if c.is_ascii_digit() {
            k += 1;
            loop {
                while k < chars.len() && chars[k].1.is_ascii_digit() {
                    k += 1;
                }
                let sep = chars.get(k).map(|p| p.1);
                let next = chars.get(k + 1).map(|p| p.1);
                if matches!(sep, Some('.' | ',')) && next.is_some_and(|d| d.is_ascii_digit()) {
                    k += 1;
                } else {
                    break;
                }
            }
            Kind::Num
        } else if is_letter(c) {
            while k < chars.len() && is_letter(chars[k].1) {
                k += 1;
            }
            Kind::Word
        } else {
            k += 1;
            Kind::Punct
        };
        let (s, e) = (byte_at(start), byte_at(k));
        let t = &text[s..e];
        toks.push(Token {
            kind,
            start: s,
            end: e,
            text: t,
            key: if kind == Kind::Word { fold(t) } else { t.to_string() },
            space_before: space,
            nl_before: nl,
            chrome: false,
        });
        space = false;
        nl = false;
    }
    toks
}

/// A tokenized document.
pub struct Doc<'a> {
    pub text: &'a str,
    pub toks: Vec<Token<'a>>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str, chrome: &[Range<usize>]) -> Self {
        let mut toks = tokenize(text);
        for t in &mut toks {
            t.chrome = chrome.iter().any(|r| r.start < t.end && t.start < r.end);
        }
        Doc { text, toks }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    pub fn tok(&self, i: usize) -> Option<&Token<'a>> {
        self.toks.get(i)
    }

    pub fn key(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.key.as_str())
    }

    pub fn text_of(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| t.text)
    }

    pub fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub fn is_num(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Num)
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Word)
    }

    /// Token `i` is the word `w` (compared by folded key).
    pub fn word_is(&self, i: usize, w: &str) -> bool {
        self.is_word(i) && self.key(i) == fold(w)
    }

    /// Token `i` is one of the punctuation characters in `set`.
    pub fn punct_in(&self, i: usize, set: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == Kind::Punct && t.text.chars().all(|c| set.contains(c)))
    }

    /// Token `i` touches token `i - 1` (no whitespace between).
    pub fn glued(&self, i: usize) -> bool {
        i > 0 && self.toks.get(i).is_some_and(|t| !t.space_before)
    }

    /// Token `i` exists and is on the same line as token `i - 1`.
    pub fn same_line(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.nl_before)
    }

    /// Byte range from the start of token `a` to the end of token `b - 1`.
    pub fn span(&self, a: usize, b: usize) -> Range<usize> {
        self.toks[a].start..self.toks[b - 1].end
    }

    pub fn slice(&self, a: usize, b: usize) -> &'a str {
        &self.text[self.span(a, b)]
    }

    /// A number token that is a plain run of digits (no separators).
    pub fn plain_int(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.toks.get(i)?;
        if t.kind != Kind::Num || !t.text.bytes().all(|b| b.is_ascii_digit()) || t.text.len() > 9 {
            return None;
        }
        Some((t.text.parse().ok()?, t.text.len()))
    }

    /// The word is written Title-case ("Nguyễn"): an upper-case letter then
    /// lower-case letters only.
    pub fn title_case(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| {
            let mut cs = t.text.chars();
            t.kind == Kind::Word && cs.next().is_some_and(|c| c.is_uppercase()) && cs.all(|c| !c.is_uppercase())
        })
    }

    /// An acronym: two or more letters, all upper case ("UBND", "HĐND").
    pub fn acronym(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| {
            t.kind == Kind::Word && t.text.chars().count() >= 2 && t.text.chars().all(|c| !c.is_lowercase())
        })
    }
}

/// A list of words and fixed phrases, matched on folded keys.
pub struct Lex {
    /// Phrases, longest first.
    phrases: Vec<Vec<String>>,
}

impl Lex {
    pub fn new(list: &[&str]) -> Lex {
        let mut phrases: Vec<Vec<String>> = list.iter().map(|s| fold_phrase(s)).collect();
        phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Lex { phrases }
    }

    /// End (exclusive) of the longest phrase starting at token `i`.
    pub fn longest(&self, doc: &Doc, i: usize) -> Option<usize> {
        self.phrases
            .iter()
            .find_map(|p| Self::matches_at(doc, i, p).then_some(i + p.len()))
    }

    /// Start of the longest phrase that ends just before token `end`.
    pub fn ending_at(&self, doc: &Doc, end: usize) -> Option<usize> {
        self.phrases.iter().find_map(|p| {
            let start = end.checked_sub(p.len())?;
            Self::matches_at(doc, start, p).then_some(start)
        })
    }

    /// The phrase's parts are consecutive tokens on one line: words compared
    /// by folded key, punctuation ("-", ",") by text.
    fn matches_at(doc: &Doc, i: usize, p: &[String]) -> bool {
        p.iter().enumerate().all(|(k, w)| {
            let j = i + k;
            let same = match doc.kind(j) {
                Some(Kind::Word) => doc.key(j) == w,
                Some(Kind::Punct) => doc.text_of(j) == w,
                _ => false,
            };
            same && (k == 0 || doc.same_line(j))
        })
    }
}

/// A set of single folded words.
pub struct WordSet(HashSet<String>);

impl WordSet {
    pub fn new(list: &[&str]) -> WordSet {
        WordSet(list.iter().map(|s| fold(s)).collect())
    }

    pub fn has(&self, doc: &Doc, i: usize) -> bool {
        doc.is_word(i) && self.0.contains(doc.key(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_tone_placement_and_case() {
        let table = [
            ("uỷ", "ủy"),
            ("Hoá", "hóa"),
            ("qúy", "quý"),
            ("QUÝ", "quý"),
            ("Luỹ", "lũy"),
            ("thuở", "thủơ"),
        ];
        for (a, b) in table {
            assert_eq!(fold(a), fold(b), "{a} vs {b}");
        }
        assert_ne!(fold("quy"), fold("quý"));
        assert_ne!(fold("tỷ"), fold("tỉ"));
    }

    #[test]
    fn tokens_keep_numbers_whole() {
        let doc = Doc::new("đạt 2.417,3\u{a0}tỷ, ngày 9/10.\nHết", &[]);
        let texts: Vec<&str> = doc.toks.iter().map(|t| t.text).collect();
        assert_eq!(texts, ["đạt", "2.417,3", "tỷ", ",", "ngày", "9", "/", "10", ".", "Hết"]);
        assert!(doc.toks[2].space_before);
        assert!(doc.glued(6) && doc.glued(7));
        assert!(doc.toks[9].nl_before);
        assert_eq!(doc.kind(1), Some(Kind::Num));
    }

    #[test]
    fn lexicon_matches_longest_phrase_on_one_line() {
        let lex = Lex::new(&[
            "doanh",
            "doanh nghiệp",
            "chỉ tiêu",
            "văn hóa, thể thao",
            "kinh tế - xã hội",
        ]);
        let doc = Doc::new(
            "12 Doanh Nghiệp và 3 doanh\nnghiệp; Văn hoá, Thể thao; kinh tế - xã hội",
            &[],
        );
        assert_eq!(lex.longest(&doc, 1), Some(3));
        assert_eq!(lex.longest(&doc, 5), Some(6));
        assert_eq!(lex.ending_at(&doc, 3), Some(1));
        assert_eq!(lex.longest(&doc, 8), Some(13));
        assert_eq!(lex.longest(&doc, 14), Some(19));
    }
}
