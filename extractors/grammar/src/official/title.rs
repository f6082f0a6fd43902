//! Title chains: `title := [MODIFIER] HEAD ORG*`, `chain := title (("," |
//! ";" | "và") title)*`.
//!
//! ORG covers organisation words (any case: "UBND", "Huyện ủy"), department
//! names written with a capital ("Sở Nội vụ"), acronyms and acronym pairs
//! ("NN-PTNT"), administrative units with their place name or number ("tỉnh
//! Hà Nam", "quận 2"). A capitalised run that holds a person name ends the
//! title; right after an administrative word or an acronym, a run must have
//! three syllables or more to be a name ("UBND tỉnh Hà Nam", "CATP Hà Nội").
//! A title in a business or professional organisation is no public office.

use super::name::name_in_run;
use crate::kw;
use crate::text::Doc;
use crate::vocab::lists;

#[derive(Clone, Debug)]
pub struct Chain {
    pub first: usize,
    pub last: usize,
    /// Token ranges of the titles.
    pub titles: Vec<(usize, usize)>,
}

pub fn usable(doc: &Doc, i: usize) -> bool {
    doc.tok(i).is_some_and(|t| !t.chrome)
}

/// A title modifier or head starts at `i`.
pub fn title_word_at(doc: &Doc, i: usize) -> bool {
    doc.longest(&lists().title_modifiers, i).is_some() || doc.longest(&lists().title_heads, i).is_some()
}

/// End of the run of Title-case words starting at `i` (same line, separated
/// by spaces only, not running into a title word).
pub fn title_case_run_end(doc: &Doc, i: usize) -> usize {
    let mut j = i;
    while doc.title_case(j) && (j == i || (doc.same_line(j) && !doc.glued(j) && !title_word_at(doc, j))) {
        j += 1;
    }
    j
}

/// An organisation word written as such (capitalised or an acronym) at `i`.
fn org_word_at(doc: &Doc, i: usize) -> Option<usize> {
    if !doc.same_line(i) {
        return None;
    }
    if doc.acronym(i) {
        return Some(i + 1);
    }
    doc.longest(&lists().org_any_case, i)
        .or_else(|| doc.longest(&lists().org_capital, i).filter(|_| doc.title_case(i)))
}

/// The head of a title at `i` (after a modifier when `modified`): its end.
fn head_at(doc: &Doc, i: usize, modified: bool) -> Option<usize> {
    doc.longest(&lists().title_heads, i)
        .or_else(|| doc.longest(&lists().modifier_heads, i).filter(|_| modified))
}

/// Parses one title starting at `i`; returns its end (exclusive).
pub fn parse_title(doc: &Doc, i: usize) -> Option<usize> {
    if !usable(doc, i) || !doc.is_word(i) {
        return None;
    }
    let l = lists();
    let mut j = i;
    let mut modified = false;
    if let Some(e) = doc.longest(&l.title_modifiers, j) {
        j = e;
        modified = true;
        if !doc.same_line(j) {
            return None;
        }
    }
    let head_end = head_at(doc, j, modified)?;
    let bare = doc.longest(&l.bare_heads, j) == Some(head_end) || doc.longest(&l.modifier_heads, j) == Some(head_end);
    // "CT." for "Chủ tịch".
    j = head_end;
    if doc.punct_in(j, ".") && doc.glued(j) && doc.acronym(j - 1) {
        j += 1;
    }
    let mut after_admin = false;
    let mut orgs = 0;
    while usable(doc, j) && (doc.is_word(j) || doc.is_num(j)) && doc.same_line(j) && !doc.glued(j) {
        // "UBND quận 2": the number of an administrative unit; "Ban Chỉ đạo
        // 389 tỉnh": the number of a named body, followed by more of its name.
        if doc.is_num(j) {
            let digits = doc.plain_int(j).map_or(0, |(_, len)| len);
            let named_body = (1..=4).contains(&digits)
                && doc.same_line(j + 1)
                && (doc.longest(&l.admin_units, j + 1).is_some() || doc.acronym(j + 1) || doc.title_case(j + 1));
            if orgs > 0 && ((after_admin && (1..=2).contains(&digits)) || named_body) {
                j += 1;
                after_admin = false;
                continue;
            }
            break;
        }
        if doc.longest(&l.business_orgs, j).is_some() {
            return None;
        }
        // "Nông nghiệp và PTNT": "và" inside an organisation name, not
        // between two titles.
        if orgs > 0 && doc.is(j, kw!("và")) && !title_word_at(doc, j + 1) {
            if let Some(e) = org_word_at(doc, j + 1) {
                j = e;
                after_admin = false;
                continue;
            }
        }
        // Fixed multi-word names ("Hồ Chí Minh", "Việt Nam"), unless such a
        // name stands right after the head: "Chủ tịch Hồ Chí Minh" is a person.
        if let Some(e) = doc
            .longest(&l.org_capital, j)
            .filter(|&e| e > j + 1 && doc.title_case(j))
        {
            if orgs == 0 && doc.longest(&l.surnames, j).is_some() && (j..e).all(|k| doc.title_case(k)) {
                break;
            }
            after_admin = false;
            j = e;
            orgs += 1;
            continue;
        }
        // A known place ("tỉnh Quảng Ninh") before a name.
        if let Some(e) = doc.longest(&l.places, j).filter(|_| doc.title_case(j)) {
            after_admin = false;
            j = e;
            orgs += 1;
            continue;
        }
        let run_end = if doc.title_case(j) {
            title_case_run_end(doc, j)
        } else {
            j
        };
        let name_at = name_in_run(doc, j, run_end, after_admin);
        if name_at == Some(j) {
            break;
        }
        if let Some(e) = doc.longest(&l.org_any_case, j) {
            after_admin = doc.longest(&l.admin_units, j) == Some(e);
            j = e;
        } else if let Some(e) = doc.longest(&l.admin_units, j) {
            after_admin = true;
            j = e;
        } else if let Some(e) = doc.longest(&l.org_capital, j).filter(|_| doc.title_case(j)) {
            after_admin = false;
            j = e;
        } else if doc.acronym(j) {
            // "CATP Hà Nội": a place after an organisation's acronym.
            after_admin = true;
            j += 1;
            // "Bộ NN-PTNT", "Sở KH-ĐT": acronyms joined by a dash.
            while doc.punct_in(j, "-&") && doc.glued(j) && doc.glued(j + 1) && doc.acronym(j + 1) {
                j += 2;
            }
        } else if run_end > j {
            if let Some(p) = name_at {
                j = p;
                orgs += 1;
                break;
            }
            after_admin = false;
            j = run_end;
        } else {
            break;
        }
        orgs += 1;
    }
    if bare && orgs == 0 {
        return None;
    }
    Some(j)
}

/// A chain of titles separated by commas, semicolons or "và".
pub fn parse_chain(doc: &Doc, i: usize) -> Option<Chain> {
    let mut end = parse_title(doc, i)?;
    let mut titles = vec![(i, end)];
    loop {
        let sep = doc.punct_in(end, ",;") || doc.is(end, kw!("và")) || doc.is(end, kw!("kiêm"));
        if !sep || !doc.same_line(end) || !doc.same_line(end + 1) {
            break;
        }
        // "kiêm" (concurrently) is dropped like a verb (C11).
        let mut next = end + 1;
        if doc.is(next, kw!("kiêm")) && doc.same_line(next + 1) {
            next += 1;
        }
        match parse_title(doc, next) {
            Some(e) => {
                titles.push((next, e));
                end = e;
            }
            None => break,
        }
    }
    Some(Chain {
        first: i,
        last: end,
        titles,
    })
}

/// Every title chain, in reading order.
pub fn find_chains(doc: &Doc) -> Vec<Chain> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.len() {
        match parse_chain(doc, i) {
            Some(c) => {
                i = c.last.max(i + 1);
                out.push(c);
            }
            None => i += 1,
        }
    }
    out
}
