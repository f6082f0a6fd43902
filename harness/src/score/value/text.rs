//! Text folding for comparing names, titles and units.
//!
//! NFC vs NFD, case, runs of white space (including no-break spaces) and the
//! old/new Vietnamese tone placement ("uỷ"/"ủy", "hoá"/"hóa") must not decide
//! whether two strings are the same.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::rc::Rc;
use unicode_normalization::UnicodeNormalization;

/// The five Vietnamese tone marks as combining characters.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Folds `s` to a comparison key: decomposed, lower-cased, white space
/// collapsed, and in each word the tone mark moved to the end of the word, so
/// that its placement on one vowel or another no longer matters.
pub fn fold(s: &str) -> Rc<str> {
    // Units, titles and names repeat across a corpus; decomposition is the
    // costly part of scoring them, so remember recent folds (per thread,
    // bounded: cleared when full), shared rather than copied out.
    thread_local! {
        static MEMO: RefCell<FxHashMap<Box<str>, Rc<str>>> = RefCell::new(FxHashMap::default());
    }
    const MEMO_CAP: usize = 4096;
    MEMO.with(|memo| {
        if let Some(f) = memo.borrow().get(s) {
            return f.clone();
        }
        let f: Rc<str> = fold_uncached(s).into();
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_CAP {
            memo.clear();
        }
        memo.insert(s.into(), f.clone());
        f
    })
}

fn fold_uncached(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        let mut tone = None;
        for c in word.nfd().flat_map(char::to_lowercase) {
            if TONES.contains(&c) {
                tone = Some(c);
            } else {
                out.push(c);
            }
        }
        if let Some(t) = tone {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn equal_after_folding() {
        let pairs = [
            ("Huyện uỷ", "huyện ủy"),
            ("hoá", "hóa"),
            ("Phó  Bí\u{a0}thư", "phó bí thư"),
            ("Nguyễn Đức Nhương", "NGUYỄN ĐỨC NHƯƠNG"),
        ];
        for (a, b) in pairs {
            assert_eq!(fold(a), fold(b), "{a} vs {b}");
        }
        let s = "Trịnh Xuân Thúy";
        assert_eq!(fold(s), fold(&s.nfd().collect::<String>()));
    }

    #[test]
    fn different_after_folding() {
        for (a, b) in [("hóa", "hòa"), ("Thúy", "Thủy"), ("Bình", "Binh"), ("ủy", "uy")] {
            assert_ne!(fold(a), fold(b), "{a} vs {b}");
        }
    }
}
