//! Person names.
//!
//! ```text
//! name     := SURNAME SYLLABLE{1,3}                  -- Title-case syllables: Nguyễn Đức Nhương
//!           | HONORIFIC CAPITALISED{2,4}              -- any ethnic group: ông K’Choi, Đ/c Y Quang Buôn Krông
//! short    := HONORIFIC SYLLABLE                      -- a later mention: bà Chung, ông Long
//! ```
//! A run that is a place name ("Hà Nội"), or stands in a street, school or
//! place name ("đường Lê Lợi"), is no person name.

use super::title::{title_word_at, usable};
use crate::kw;
use crate::text::Doc;
use crate::vocab::lists;

#[derive(Clone, Copy, Debug)]
pub struct Name {
    pub first: usize,
    pub last: usize,
    /// Introduced by "đồng chí" / "Đ/c": a Party or state office holder.
    pub comrade: bool,
}

/// Tokens `a..b` are exactly a place name.
pub fn is_place(doc: &Doc, a: usize, b: usize) -> bool {
    doc.longest(&lists().places, a) == Some(b)
}

/// Where a person name starts inside the capitalised run `i..end`, if any.
/// Right after an administrative word, a run starting with a surname must
/// have three syllables or more to be a name ("tỉnh Hà Nam" is a place).
pub fn name_in_run(doc: &Doc, i: usize, end: usize, after_admin: bool) -> Option<usize> {
    (i..end).find(|&p| {
        let rem = end - p;
        let min = if p == i && after_admin { 3 } else { 2 };
        doc.longest(&lists().surnames, p).is_some() && (min..=4).contains(&rem) && !is_place(doc, p, end)
    })
}

/// A syllable no Vietnamese name has ("Yoonhee", "Smith"): letters f, j, w,
/// z, a doubled vowel or a final "th" mark a foreign person, who holds no
/// office here (C14).
fn foreign(doc: &Doc, a: usize, b: usize) -> bool {
    (a..b).any(|k| {
        let t = doc.text_of(k).to_lowercase();
        t.contains(['f', 'j', 'w', 'z']) || ["ee", "oo", "aa"].iter().any(|d| t.contains(d)) || t.ends_with("th")
    })
}

/// A person name starting at `i`: a surname and one to three more syllables.
pub fn name_at(doc: &Doc, i: usize) -> Option<usize> {
    if !usable(doc, i) || !doc.title_case(i) || doc.longest(&lists().surnames, i).is_none() {
        return None;
    }
    if doc.glued(i) && !doc.punct_in(i - 1, "(\"“.") {
        return None;
    }
    let mut j = i + 1;
    while j < i + 4 && doc.title_case(j) && doc.same_line(j) && !doc.glued(j) && !title_word_at(doc, j) {
        j += 1;
    }
    (j - i >= 2 && !is_place(doc, i, j) && !foreign(doc, i, j)).then_some(j)
}

/// The honorific that ends just before token `i` on its line: its start.
pub fn honorific_before(doc: &Doc, i: usize) -> Option<usize> {
    doc.ending_at(&lists().honorifics, i).filter(|_| doc.same_line(i))
}

/// The honorific before `i` is "đồng chí" or "Đ/c".
fn comrade_before(doc: &Doc, i: usize) -> bool {
    honorific_before(doc, i).is_some_and(|h| [kw!("đồng"), kw!("đ"), kw!("các")].contains(&doc.sym(h)))
}

/// A syllable of a name written with a capital: "Quang", "K" (in "K
/// Thanh"), "Y" (in "Y Quang").
fn capital_syllable(doc: &Doc, i: usize) -> bool {
    doc.tok(i)
        .is_some_and(|t| t.upper_first && (doc.title_case(i) || doc.text_of(i).chars().count() == 1))
}

/// A name of any ethnic group after an honorific: two to four capitalised
/// syllables, an apostrophe joining a prefix ("K’Choi", "H'Hen").
fn marked_name_at(doc: &Doc, i: usize) -> Option<usize> {
    if !usable(doc, i) || !capital_syllable(doc, i) || honorific_before(doc, i).is_none() {
        return None;
    }
    let mut j = i + 1;
    let mut syllables = 1;
    while syllables < 4 && doc.same_line(j) {
        if doc.punct_in(j, "’'") && doc.glued(j) && doc.glued(j + 1) && capital_syllable(doc, j + 1) {
            j += 2;
        } else if capital_syllable(doc, j) && !doc.glued(j) && !title_word_at(doc, j) {
            j += 1;
            syllables += 1;
        } else {
            break;
        }
    }
    let apostrophe = (i..j).any(|k| doc.punct_in(k, "’'"));
    ((syllables >= 2 || apostrophe) && !is_place(doc, i, j) && !foreign(doc, i, j)).then_some(j)
}

/// Every person name outside the title chains (`in_chain`), in reading order.
pub fn find_names(doc: &Doc, in_chain: &[bool]) -> Vec<Name> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.len() {
        if in_chain[i] {
            i += 1;
            continue;
        }
        let Some(end) = name_at(doc, i).or_else(|| marked_name_at(doc, i)) else {
            i += 1;
            continue;
        };
        // Street, school and place names: "đường Lê Lợi", "trường THCS Lê Lợi".
        let in_place = doc
            .ending_at(&lists().place_prefixes, i)
            .is_some_and(|p| doc.same_line(i) && !in_chain[p]);
        // A name glued to a following word is part of a code or a longer word.
        if !in_place && (!doc.glued(end) || !doc.is_word(end)) {
            out.push(Name {
                first: i,
                last: end,
                comrade: comrade_before(doc, i),
            });
        }
        i = end;
    }
    out
}
