//! Binding names to title chains, and later mentions.
//!
//! ```text
//! binding := [HONORIFIC] name [SEP] chain                 -- Ông A - Chủ tịch UBND huyện
//!          | chain [SEP] [HONORIFIC] name                 -- Chủ tịch UBND huyện A; Chủ tịch UBND huyện, ông A
//!          | name ("," | "và") [HONORIFIC] name SEP chain -- a shared title
//!          | chain ":" name ("," name)* ["và" name]       -- a title introducing a list
//!          | "đồng chí" name                              -- an office holder with no title here
//! later   := name | HONORIFIC SHORT                       -- titles [] (C10)
//! ```
//! Only appositive titles bind (C13): right before the name, or set off
//! after it by a dash, a comma or a colon.

use super::name::{find_names, honorific_before, Name};
use super::title::find_chains;
use super::OfficialMatch;
use crate::kw;
use crate::text::Doc;
use crate::vocab::{fold, lists};
use std::collections::HashSet;

/// Some of the titles of a chain, bound to a name.
#[derive(Clone, Debug)]
struct Binding {
    chain: usize,
    titles: std::ops::Range<usize>,
}

/// Skips back over an honorific and one separator before token `i`.
fn before_name(doc: &Doc, i: usize) -> usize {
    let mut j = i;
    if let Some(h) = doc.ending_at(&lists().honorifics, j) {
        if doc.same_line(j) {
            j = h;
        }
    }
    if j > 0 && doc.punct_in(j - 1, ",-–—:") && doc.same_line(j) {
        j -= 1;
    }
    j
}

/// Names `a` and `b` are coordinated: "A, [đồng chí] B", "A và [ông] B".
fn linked(doc: &Doc, a: Name, b: Name) -> bool {
    let mut j = b.first;
    if let Some(h) = doc.ending_at(&lists().honorifics, j) {
        j = h;
    }
    j == a.last + 1
        && (doc.punct_in(a.last, ",") || doc.is(a.last, kw!("và")))
        && (a.last..=b.first).all(|t| doc.same_line(t))
}

/// Every official mention, in reading order.
pub fn find_officials(doc: &Doc) -> Vec<OfficialMatch> {
    let chains = find_chains(doc);
    let mut in_chain = vec![false; doc.len()];
    for c in &chains {
        in_chain[c.first..c.last].iter_mut().for_each(|x| *x = true);
    }
    let names = find_names(doc, &in_chain);
    // Chains by first and by last token (chains never share either).
    let mut starting = vec![None; doc.len() + 1];
    let mut ending = vec![None; doc.len() + 1];
    for (k, c) in chains.iter().enumerate() {
        starting[c.first] = Some(k);
        ending[c.last] = Some(k);
    }
    let chain_starting = |i: usize| starting.get(i).copied().flatten();
    let chain_ending = |i: usize| ending.get(i).copied().flatten();
    let whole = |c: usize| Binding {
        chain: c,
        titles: 0..chains[c].titles.len(),
    };

    // Titles after the name.
    let mut post: Vec<Option<Binding>> = names
        .iter()
        .map(|n| {
            let mut j = n.last;
            if !doc.same_line(j) {
                return None;
            }
            // A short note in parentheses: "Ông A (giữa) - Chủ tịch ...".
            if doc.punct_in(j, "(") && chain_starting(j + 1).is_none() {
                let close = (j + 1..j + 8).find(|&k| doc.punct_in(k, ")"))?;
                if !(j + 1..=close).all(|k| doc.same_line(k)) {
                    return None;
                }
                j = close + 1;
            }
            if doc.punct_in(j, "-–—,:(") {
                j += 1;
                if !doc.same_line(j) {
                    return None;
                }
            }
            chain_starting(j).map(whole)
        })
        .collect();
    let used: HashSet<usize> = post.iter().flatten().map(|b| b.chain).collect();

    // "A, Chỉ huy trưởng ... và Chủ tịch UBND tỉnh B": the last title of a
    // chain that runs straight into a name belongs to that name.
    let mut pre: Vec<Option<Binding>> = vec![None; names.len()];
    for (k, n) in names.iter().enumerate() {
        let Some(c) = chain_ending(n.first) else { continue };
        if !used.contains(&c) {
            continue;
        }
        let len = chains[c].titles.len();
        pre[k] = Some(Binding {
            chain: c,
            titles: len - 1..len,
        });
        for b in post.iter_mut().filter(|b| b.as_ref().is_some_and(|b| b.chain == c)) {
            *b = (len > 1).then(|| Binding {
                chain: c,
                titles: 0..len - 1,
            });
        }
    }

    // A title shared by coordinated names: "đồng chí A, đồng chí B - Phó Chủ tịch".
    for k in (0..names.len().saturating_sub(1)).rev() {
        if post[k].is_some() || post[k + 1].is_none() {
            continue;
        }
        if linked(doc, names[k], names[k + 1]) {
            post[k] = post[k + 1].clone();
        }
    }

    // Titles before the name, unless they already belong to an earlier name.
    for (k, n) in names.iter().enumerate() {
        if pre[k].is_some() {
            continue;
        }
        let j = before_name(doc, n.first);
        if (j + 1..=n.first).all(|t| doc.same_line(t)) {
            pre[k] = chain_ending(j).filter(|c| !used.contains(c)).map(whole);
        }
        // "các đồng chí Phó Chủ tịch UBND huyện: A, B": a title introducing a
        // list goes to every name of the list.
        if pre[k].is_none() && post[k].is_none() && k > 0 && linked(doc, names[k - 1], *n) {
            if let Some(b) = pre[k - 1].clone().filter(|b| doc.punct_in(chains[b.chain].last, ":")) {
                pre[k] = Some(b);
            }
        }
    }

    let title_texts = |b: &Binding| -> Vec<String> {
        chains[b.chain].titles[b.titles.clone()]
            .iter()
            .map(|&(a, b)| doc.slice(a, b).to_string())
            .collect()
    };
    let mut out = Vec::new();
    let mut known = HashSet::new();
    for (k, n) in names.iter().enumerate() {
        let mut titles = Vec::new();
        titles.extend(pre[k].iter().flat_map(title_texts));
        titles.extend(post[k].iter().flat_map(title_texts));
        if !titles.is_empty() || n.comrade {
            known.insert(name_key(doc, n.first, n.last));
        }
        out.push(OfficialMatch {
            first: n.first,
            last: n.last,
            titles,
        });
    }
    out.retain(|m| !m.titles.is_empty() || known.contains(&name_key(doc, m.first, m.last)));
    short_names(doc, &names, &known, &mut out);
    out.sort_by_key(|m| m.first);
    out
}

/// A name compared whatever its letter case and accent placement.
fn name_key(doc: &Doc, a: usize, b: usize) -> Vec<String> {
    (a..b)
        .filter(|&k| doc.is_word(k))
        .map(|k| fold(doc.text_of(k)))
        .collect()
}

/// Later mentions by a short name (C10): "ông Long", "bà Chung", a given
/// name (or surname) of an official named in the article, after "ông",
/// "bà", "đồng chí" or "Đ/c", spanned as written.
fn short_names(doc: &Doc, names: &[Name], known: &HashSet<Vec<String>>, out: &mut Vec<OfficialMatch>) {
    let short: HashSet<&str> = known
        .iter()
        .flat_map(|k| [k.first(), k.last()])
        .flatten()
        .map(String::as_str)
        .collect();
    if short.is_empty() {
        return;
    }
    let mut in_name = vec![false; doc.len()];
    for n in names {
        in_name[n.first..n.last].iter_mut().for_each(|x| *x = true);
    }
    let persons = [kw!("ông"), kw!("bà"), kw!("đồng"), kw!("đ")];
    for (i, &named) in in_name.iter().enumerate().skip(1) {
        if named || !doc.is_word(i) || doc.toks[i].chrome {
            continue;
        }
        if !honorific_before(doc, i).is_some_and(|h| persons.contains(&doc.sym(h)))
            || (doc.same_line(i + 1) && doc.title_case(i + 1) && !doc.glued(i + 1))
        {
            continue;
        }
        if short.contains(fold(doc.text_of(i)).as_str()) {
            out.push(OfficialMatch {
                first: i,
                last: i + 1,
                titles: Vec::new(),
            });
        }
    }
}
