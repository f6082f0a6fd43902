//! Officials: person names bound to office titles.
//!
//! ```text
//! name    := SURNAME SYLLABLE{1,3}                 -- Title-case syllables
//! title   := [MODIFIER] HEAD ORG*                  -- Phó Bí thư Huyện ủy, Chủ tịch UBND huyện
//! chain   := title (("," | ";" | "và") title)*
//! binding := [HONORIFIC] name [SEP] chain          -- Ông A - Chủ tịch UBND huyện
//!          | chain [SEP] [HONORIFIC] name          -- Chủ tịch UBND huyện A
//!          | name ("," | "và") [HONORIFIC] name SEP chain   -- a shared title
//! ```
//! A capitalised run after an administrative word ("huyện", "tỉnh", "Huyện
//! ủy") is a place name unless it holds a surname followed by at least two
//! more syllables. Names in street and school names, bylines and credits are
//! rejected. Once an official is known, later mentions of the same name are
//! officials with no titles.

use crate::kw;
use crate::text::Doc;
use crate::vocab::lists;
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq)]
pub struct OfficialMatch {
    pub first: usize,
    pub last: usize,
    pub titles: Vec<String>,
}

#[derive(Clone, Debug)]
struct Chain {
    first: usize,
    last: usize,
    titles: Vec<(usize, usize)>,
}

/// Some of the titles of a chain, bound to a name.
#[derive(Clone, Debug)]
struct Binding {
    chain: usize,
    titles: std::ops::Range<usize>,
}

#[derive(Clone, Copy, Debug)]
struct Name {
    first: usize,
    last: usize,
}

fn usable(doc: &Doc, i: usize) -> bool {
    doc.tok(i).is_some_and(|t| !t.chrome)
}

/// A title modifier or head starts at `i`.
fn title_word_at(doc: &Doc, i: usize) -> bool {
    doc.longest(&lists().title_modifiers, i).is_some() || doc.longest(&lists().title_heads, i).is_some()
}

/// End of the run of Title-case words starting at `i` (same line, separated
/// by spaces only, not running into a title word).
fn title_case_run_end(doc: &Doc, i: usize) -> usize {
    let mut j = i;
    while doc.title_case(j) && (j == i || (doc.same_line(j) && !doc.glued(j) && !title_word_at(doc, j))) {
        j += 1;
    }
    j
}

/// Where a person name starts inside the capitalised run `i..end`, if any.
/// Right after an administrative word, a run starting with a surname must
/// have three syllables or more to be a name ("tỉnh Hà Nam" is a place).
fn name_in_run(doc: &Doc, i: usize, end: usize, after_admin: bool) -> Option<usize> {
    (i..end).find(|&p| {
        let rem = end - p;
        let min = if p == i && after_admin { 3 } else { 2 };
        doc.longest(&lists().surnames, p).is_some() && (min..=4).contains(&rem)
    })
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

/// Parses one title starting at `i`; returns its end (exclusive).
fn parse_title(doc: &Doc, i: usize) -> Option<usize> {
    if !usable(doc, i) || !doc.is_word(i) {
        return None;
    }
    let mut j = i;
    if let Some(e) = doc.longest(&lists().title_modifiers, j) {
        j = e;
        if !doc.same_line(j) {
            return None;
        }
    }
    let head_end = doc.longest(&lists().title_heads, j)?;
    let bare = doc.longest(&lists().bare_heads, j) == Some(head_end);
    j = head_end;
    let mut after_admin = false;
    let mut orgs = 0;
    while usable(doc, j) && doc.is_word(j) && doc.same_line(j) && !doc.glued(j) {
        // "Nông nghiệp và PTNT": "và" inside an organisation name, not
        // between two titles.
        if orgs > 0 && doc.is(j, kw!("và")) && !title_word_at(doc, j + 1) {
            if let Some(e) = org_word_at(doc, j + 1) {
                j = e;
                after_admin = false;
                continue;
            }
        }
        // Fixed multi-word names ("Hồ Chí Minh", "Việt Nam") before person names.
        if let Some(e) = doc
            .longest(&lists().org_capital, j)
            .filter(|&e| e > j + 1 && doc.title_case(j))
        {
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
        if let Some(e) = doc.longest(&lists().org_any_case, j) {
            after_admin = doc.longest(&lists().admin_units, j) == Some(e);
            j = e;
        } else if let Some(e) = doc.longest(&lists().admin_units, j) {
            after_admin = true;
            j = e;
        } else if let Some(e) = doc.longest(&lists().org_capital, j).filter(|_| doc.title_case(j)) {
            after_admin = false;
            j = e;
        } else if doc.acronym(j) {
            after_admin = false;
            j += 1;
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
fn parse_chain(doc: &Doc, i: usize) -> Option<Chain> {
    let mut end = parse_title(doc, i)?;
    let mut titles = vec![(i, end)];
    loop {
        let sep = doc.punct_in(end, ",;") || doc.is(end, kw!("và"));
        if !sep || !doc.same_line(end) || !doc.same_line(end + 1) {
            break;
        }
        match parse_title(doc, end + 1) {
            Some(e) => {
                titles.push((end + 1, e));
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

fn find_chains(doc: &Doc) -> Vec<Chain> {
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

/// A person name starting at `i`: a surname and one to three more syllables.
fn name_at(doc: &Doc, i: usize) -> Option<usize> {
    if !usable(doc, i) || !doc.title_case(i) || !doc.longest(&lists().surnames, i).is_some() {
        return None;
    }
    if doc.glued(i) && !doc.punct_in(i - 1, "(\"“") {
        return None;
    }
    let mut j = i + 1;
    while j < i + 4 && doc.title_case(j) && doc.same_line(j) && !doc.glued(j) && !title_word_at(doc, j) {
        j += 1;
    }
    (j - i >= 2).then_some(j)
}

fn find_names(doc: &Doc, chains: &[Chain]) -> Vec<Name> {
    let mut in_chain = vec![false; doc.len()];
    for c in chains {
        in_chain[c.first..c.last].iter_mut().for_each(|x| *x = true);
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.len() {
        if in_chain[i] {
            i += 1;
            continue;
        }
        let Some(end) = name_at(doc, i) else {
            i += 1;
            continue;
        };
        // Street, school and place names: "đường Lê Lợi", "trường THCS Lê Lợi".
        let in_place = doc
            .ending_at(&lists().place_prefixes, i)
            .is_some_and(|p| doc.same_line(i) && !in_chain[p]);
        // A name glued to a following word is part of a code or a longer word.
        if !in_place && (!doc.glued(end) || !doc.is_word(end)) {
            out.push(Name { first: i, last: end });
        }
        i = end;
    }
    out
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
    let names = find_names(doc, &chains);
    let chain_starting = |i: usize| chains.iter().position(|c| c.first == i);
    let chain_ending = |i: usize| chains.iter().position(|c| c.last == i);
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
        if !titles.is_empty() {
            known.insert(doc.slice(n.first, n.last));
        }
        out.push(OfficialMatch {
            first: n.first,
            last: n.last,
            titles,
        });
    }
    out.retain(|m| !m.titles.is_empty() || known.contains(doc.slice(m.first, m.last)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expected`: (name, titles) of every official in `input`.
    fn check(input: &str, expected: &[(&str, &[&str])]) {
        let doc = Doc::new(input, &[]);
        let got: Vec<(String, Vec<String>)> = find_officials(&doc)
            .into_iter()
            .map(|m| (doc.slice(m.first, m.last).to_string(), m.titles))
            .collect();
        let want: Vec<(String, Vec<String>)> = expected
            .iter()
            .map(|&(n, ts)| (n.to_string(), ts.iter().map(|t| t.to_string()).collect()))
            .collect();
        assert_eq!(got, want, "officials in {input:?}");
    }

    type Expected<'a> = &'a [(&'a str, &'a [&'a str])];

    #[test]
    fn bindings() {
        let table: &[(&str, Expected)] = &[
            (
                "Ông Trần Văn Hải - Chủ tịch UBND xã chủ trì buổi làm việc.",
                &[("Trần Văn Hải", &["Chủ tịch UBND xã"])],
            ),
            (
                "Đồng chí Lê Thị Hoa – Phó Bí thư Thường trực Thị ủy, Chủ tịch HĐND thị xã phát biểu.",
                &[("Lê Thị Hoa", &["Phó Bí thư Thường trực Thị ủy", "Chủ tịch HĐND thị xã"])],
            ),
            (
                "đồng chí Phan Minh Tâm, Ủy viên Ban Thường vụ Tỉnh ủy, Bí thư Huyện uỷ dự họp.",
                &[("Phan Minh Tâm", &["Ủy viên Ban Thường vụ Tỉnh ủy", "Bí thư Huyện uỷ"])],
            ),
            (
                "Phát biểu tại buổi lễ, Giám đốc Sở Y tế Đặng Quốc Bảo cho biết",
                &[("Đặng Quốc Bảo", &["Giám đốc Sở Y tế"])],
            ),
            (
                "Chủ tịch UBND tỉnh Hà Nam Trương Quốc Huy nhấn mạnh",
                &[("Trương Quốc Huy", &["Chủ tịch UBND tỉnh Hà Nam"])],
            ),
            (
                "đồng chí Bùi Văn Lộc, đồng chí Hồ Thị Mai- Phó Chủ tịch UBND huyện dự.",
                &[
                    ("Bùi Văn Lộc", &["Phó Chủ tịch UBND huyện"]),
                    ("Hồ Thị Mai", &["Phó Chủ tịch UBND huyện"]),
                ],
            ),
            (
                "Ông Đỗ Văn Nam - Bí thư Đảng ủy xã; ông Vũ Văn Bình, Chủ tịch UBND xã và ông Tô Văn An cùng dự.",
                &[
                    ("Đỗ Văn Nam", &["Bí thư Đảng ủy xã"]),
                    ("Vũ Văn Bình", &["Chủ tịch UBND xã"]),
                ],
            ),
            (
                "Bí thư Huyện ủy Lâm Văn Sáu, Chủ tịch HĐND huyện làm trưởng đoàn.",
                &[("Lâm Văn Sáu", &["Bí thư Huyện ủy", "Chủ tịch HĐND huyện"])],
            ),
            (
                "Ông Ngô Văn Tư - Chủ tịch UBND huyện phát biểu. Sau đó, ông Ngô Văn Tư trao quà.",
                &[("Ngô Văn Tư", &["Chủ tịch UBND huyện"]), ("Ngô Văn Tư", &[])],
            ),
            (
                "Phó Chủ tịch UBND phường Nguyễn Thị Lan (phụ trách văn xã)",
                &[("Nguyễn Thị Lan", &["Phó Chủ tịch UBND phường"])],
            ),
            (
                "ông Hoàng Văn Khải, Trưởng phòng Nông nghiệp và PTNT huyện trình bày",
                &[("Hoàng Văn Khải", &["Trưởng phòng Nông nghiệp và PTNT huyện"])],
            ),
            (
                "anh Lý Văn Dũng, Bí thư Đoàn TNCS Hồ Chí Minh xã",
                &[("Lý Văn Dũng", &["Bí thư Đoàn TNCS Hồ Chí Minh xã"])],
            ),
            (
                "Bà Mai Thị Hằng (thứ hai từ trái) - Phó Giám đốc Sở Tư pháp trao giấy khen",
                &[("Mai Thị Hằng", &["Phó Giám đốc Sở Tư pháp"])],
            ),
            (
                "Đại tá Lưu Văn Thắng, Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh và Chủ tịch UBND tỉnh Cao Minh Đức",
                &[
                    ("Lưu Văn Thắng", &["Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh"]),
                    ("Cao Minh Đức", &["Chủ tịch UBND tỉnh"]),
                ],
            ),
            (
                "Chủ tịch UBND xã Hà Văn Tư, Phó Chủ tịch UBND xã Đỗ Thị Liên cùng dự",
                &[
                    ("Hà Văn Tư", &["Chủ tịch UBND xã"]),
                    ("Đỗ Thị Liên", &["Phó Chủ tịch UBND xã"]),
                ],
            ),
            (
                "đồng chí Kiều Văn Phúc - UVBTV Huyện ủy, PCT UBND huyện",
                &[("Kiều Văn Phúc", &["UVBTV Huyện ủy", "PCT UBND huyện"])],
            ),
            (
                "có các đồng chí Phó Chủ tịch UBND huyện: Lương Văn Sỹ, Tăng Thị Mỹ và Triệu Văn Bé.",
                &[
                    ("Lương Văn Sỹ", &["Phó Chủ tịch UBND huyện"]),
                    ("Tăng Thị Mỹ", &["Phó Chủ tịch UBND huyện"]),
                    ("Triệu Văn Bé", &["Phó Chủ tịch UBND huyện"]),
                ],
            ),
            (
                "Chủ tịch UBND huyện Đào Văn Tín, ông Phí Văn Kỳ cùng dự",
                &[("Đào Văn Tín", &["Chủ tịch UBND huyện"])],
            ),
            (
                "Giám đốc Ban Quản lý dự án đầu tư xây dựng huyện, đ/c Hầu Văn Sang báo cáo",
                &[("Hầu Văn Sang", &["Giám đốc Ban Quản lý dự án đầu tư xây dựng huyện"])],
            ),
            (
                "Chủ tịch UBND huyện, ông Dương Văn Lợi, cho biết",
                &[("Dương Văn Lợi", &["Chủ tịch UBND huyện"])],
            ),
        ];
        for &(input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn not_officials() {
        let table: &[&str] = &[
            "đồng chí Chủ tịch UBND xã đề nghị các thôn",
            "Trụ sở ở số 10 đường Nguyễn Văn Cừ, Chủ tịch UBND xã",
            "trường THCS Trần Quốc Toản và trường Tiểu học Lê Lợi",
            "ông Nguyễn Văn Bảy, người dân thôn Đông cho biết",
            "Chủ tịch UBND tỉnh Hà Tĩnh yêu cầu",
            "Trưởng các ban ngành xã Võ Văn Ba",
        ];
        for &input in table {
            check(input, &[]);
        }
    }
}
