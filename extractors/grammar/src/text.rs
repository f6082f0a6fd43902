//! Tokens: words (one Vietnamese syllable each), numbers with their
//! Vietnamese separators, and single punctuation marks. Whitespace is not a
//! token; each token records whether a space or a line break precedes it.
//! Words carry their vocabulary symbol ([`Sym`]), found on their folded key.

use crate::vocab::{self, char_class, fold_into, Lex, Sym, ALPHA, LOWER, NONE, UPPER};
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Word,
    Num,
    Punct,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub kind: Kind,
    /// Byte offsets into the document text.
    pub start: usize,
    pub end: usize,
    /// Vocabulary symbol of the folded word or punctuation mark, or [`NONE`].
    pub sym: Sym,
    /// The first letter is upper case.
    pub upper_first: bool,
    /// A letter after the first is upper case.
    pub upper_rest: bool,
    /// A letter is lower case.
    pub lower_any: bool,
    /// Whitespace (of any kind) separates this token from the previous one.
    pub space_before: bool,
    /// A line break separates this token from the previous one.
    pub nl_before: bool,
    /// Inside page chrome.
    pub chrome: bool,
}

fn is_letter(c: char) -> bool {
    char_class(c) & ALPHA != 0 || ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}')
}

/// Byte length of the number starting at `b`: digits, with "." or ","
/// between digits.
fn number_len(bytes: &[u8], b: usize) -> usize {
    let mut k = b;
    loop {
        while k < bytes.len() && bytes[k].is_ascii_digit() {
            k += 1;
        }
        if k + 1 < bytes.len() && matches!(bytes[k], b'.' | b',') && bytes[k + 1].is_ascii_digit() {
            k += 1;
        } else {
            return k - b;
        }
    }
}

pub fn tokenize(text: &str) -> Vec<Token> {
    let voc = vocab::vocab();
    let bytes = text.as_bytes();
    let mut toks = Vec::with_capacity(text.len() / 4);
    let mut key = String::new();
    let (mut space, mut nl) = (false, false);
    let mut b = 0;
    while b < text.len() {
        let c = text[b..].chars().next().expect("char boundary");
        let clen = c.len_utf8();
        if is_line_break(c) {
            (nl, space) = (true, true);
            b += clen;
            continue;
        }
        if is_space(c) {
            space = true;
            b += clen;
            continue;
        }
        let start = b;
        let mut tok = Token {
            kind: Kind::Punct,
            start,
            end: b + clen,
            sym: NONE,
            upper_first: false,
            upper_rest: false,
            lower_any: false,
            space_before: space,
            nl_before: nl,
            chrome: false,
        };
        if c.is_ascii_digit() {
            tok.kind = Kind::Num;
            tok.end = b + number_len(bytes, b);
        } else if is_letter(c) {
            tok.kind = Kind::Word;
            let mut e = b;
            let mut prev_lower = false;
            let mut chars = text[b..].char_indices().peekable();
            while let Some((k, ch)) = chars.next() {
                // No syllable has a capital after small letters: "mùaNăm"
                // is two words whose space went missing ("kWh" is a unit).
                let class = char_class(ch);
                let next_lower = chars.peek().is_some_and(|&(_, n)| char_class(n) & LOWER != 0);
                if !is_letter(ch) || (prev_lower && k >= 2 && class & UPPER != 0 && next_lower) {
                    break;
                }
                prev_lower = class & LOWER != 0;
                if class & UPPER != 0 {
                    if k == 0 {
                        tok.upper_first = true;
                    } else {
                        tok.upper_rest = true;
                    }
                } else if class & LOWER != 0 {
                    tok.lower_any = true;
                }
                e = b + k + ch.len_utf8();
            }
            tok.end = e;
            fold_into(&text[start..e], &mut key);
            tok.sym = voc.lookup(&key);
        } else {
            tok.sym = voc.lookup(&text[start..tok.end]);
        }
        b = tok.end;
        let split = tok.kind == Kind::Word && text[b..].starts_with(char::is_uppercase);
        toks.push(tok);
        (space, nl) = (split, false);
    }
    toks
}

/// A tokenized document.
pub struct Doc<'a> {
    pub text: &'a str,
    pub toks: Vec<Token>,
}

impl<'a> Doc<'a> {
    /// Tokenizes `text`; tokens overlapping a `chrome` byte range (sorted by
    /// start) are marked.
    pub fn new(text: &'a str, chrome: &[Range<usize>]) -> Self {
        let mut doc = Doc {
            text,
            toks: tokenize(text),
        };
        doc.mark_chrome(chrome);
        doc
    }

    /// Marks the tokens that overlap a `chrome` byte range (sorted by start).
    pub fn mark_chrome(&mut self, chrome: &[Range<usize>]) {
        let mut r = 0;
        for t in &mut self.toks {
            while r < chrome.len() && chrome[r].end <= t.start {
                r += 1;
            }
            t.chrome = chrome[r..]
                .iter()
                .take_while(|c| c.start < t.end)
                .any(|c| t.start < c.end);
        }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    pub fn tok(&self, i: usize) -> Option<&Token> {
        self.toks.get(i)
    }

    /// The vocabulary symbol of token `i` ([`NONE`] past the end).
    pub fn sym(&self, i: usize) -> Sym {
        self.toks.get(i).map_or(NONE, |t| t.sym)
    }

    pub fn text_of(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.text[t.start..t.end])
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

    /// Token `i` is the word or mark `s` (a [`kw!`](crate::kw) symbol).
    pub fn is(&self, i: usize, s: Sym) -> bool {
        self.sym(i) == s
    }

    /// Token `i` is one of the punctuation characters in `set`.
    pub fn punct_in(&self, i: usize, set: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == Kind::Punct && self.text[t.start..t.end].chars().all(|c| set.contains(c)))
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
        let t = self.text_of(i);
        if !self.is_num(i) || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 9 {
            return None;
        }
        Some((t.parse().ok()?, t.len()))
    }

    /// The word is written Title-case ("Nguyễn"): an upper-case letter then
    /// lower-case letters only.
    pub fn title_case(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == Kind::Word && t.upper_first && !t.upper_rest)
    }

    /// An acronym: two or more letters, none lower case ("UBND", "HĐND").
    pub fn acronym(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == Kind::Word && !t.lower_any && self.text[t.start..t.end].chars().nth(1).is_some())
    }

    /// End (exclusive) of the longest phrase of `lex` starting at token `i`,
    /// its parts being consecutive tokens on one line.
    pub fn longest(&self, lex: &Lex, i: usize) -> Option<usize> {
        self.longest_tagged(lex, i).map(|(e, _)| e)
    }

    /// Like [`Doc::longest`], with the phrase's tag.
    pub fn longest_tagged(&self, lex: &Lex, i: usize) -> Option<(usize, u32)> {
        if i >= self.len() {
            return None;
        }
        lex.longest_with(|k| (k == 0 || self.same_line(i + k)).then(|| self.sym(i + k)))
            .map(|(n, tag)| (i + n, tag))
    }

    /// Start of the longest phrase of `lex` that ends just before token `end`.
    pub fn ending_at(&self, lex: &Lex, end: usize) -> Option<usize> {
        if end == 0 || end > self.len() {
            return None;
        }
        lex.longest_ending_with(|k| {
            let j = end.checked_sub(k + 1)?;
            (k == 0 || self.same_line(j + 1)).then(|| self.sym(j))
        })
        .map(|n| end - n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kw;

    #[test]
    fn tokens_keep_numbers_whole() {
        let doc = Doc::new("đạt 2.417,3\u{a0}tỷ, ngày 9/10.\nHết", &[]);
        let texts: Vec<&str> = (0..doc.len()).map(|i| doc.text_of(i)).collect();
        assert_eq!(texts, ["đạt", "2.417,3", "tỷ", ",", "ngày", "9", "/", "10", ".", "Hết"]);
        assert!(doc.toks[2].space_before);
        assert!(doc.glued(6) && doc.glued(7));
        assert!(doc.toks[9].nl_before);
        assert_eq!(doc.kind(1), Some(Kind::Num));
        assert!(doc.is(4, kw!("ngày")) && doc.is(2, kw!("tỷ")));
    }

    #[test]
    fn a_capital_after_a_small_letter_starts_a_word() {
        let doc = Doc::new("được mùaNăm 2019, ĐắkNông 110kV 5kWh", &[]);
        let texts: Vec<&str> = (0..doc.len()).map(|i| doc.text_of(i)).collect();
        assert_eq!(
            texts,
            ["được", "mùa", "Năm", "2019", ",", "Đắk", "Nông", "110", "kV", "5", "kWh"]
        );
        assert!(doc.toks[2].space_before && !doc.glued(2));
    }

    #[test]
    fn decomposed_text_gets_the_same_symbols() {
        let doc = Doc::new("nga\u{300}y 5 tha\u{301}ng", &[]);
        assert!(doc.is(0, kw!("ngày")) && doc.is(2, kw!("tháng")));
        assert_eq!(doc.text_of(0), "nga\u{300}y");
    }

    #[test]
    fn lists_match_longest_phrase_on_one_line() {
        let units = &vocab::lists().counted_nouns;
        let doc = Doc::new("12 Doanh Nghiệp và 3 doanh\nnghiệp; Hợp tác xã", &[]);
        assert_eq!(doc.longest(units, 1), Some(3));
        assert_eq!(doc.longest(units, 5), None);
        assert_eq!(doc.ending_at(units, 3), Some(1));
        assert_eq!(doc.longest(units, 8), Some(11));
    }

    #[test]
    fn letter_case_shapes() {
        let doc = Doc::new("Nguyễn UBND nhân TTXVN x", &[]);
        assert!(doc.title_case(0) && !doc.acronym(0));
        assert!(doc.acronym(1) && !doc.title_case(1));
        assert!(!doc.title_case(2) && !doc.acronym(2));
        assert!(doc.acronym(3) && !doc.acronym(4));
    }
}
