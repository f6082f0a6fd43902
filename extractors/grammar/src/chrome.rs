//! Page chrome: the parts of a scraped page that are not the article. It is
//! found on the token stream, below the line level where it sits inside a
//! line, so that a credit inside a crawled one-line body hides the credit
//! and nothing else.
//!
//! ```text
//! credit    := (START | "(" | DASH) CREDIT_LABEL NAMES ["." | ")"]   -- "- Ảnh: Duy Thái", ". Ảnh: TTXVN."
//! NAMES     := capitalised words, initials ("T.Tân"), "-", "/", "và", "(…)" groups,
//!              up to a lower-case word, a number or a title word; the
//!              capitalised word before a lower-case one opens the next sentence
//! byline    := SENTENCE_END NAMES LINE_END      -- at the end of the body: "… nói.MINH TRÂN"
//! source    := LINE_START ("(" … ")" | ACRONYM+) DASH     -- "(HNM) - Ngày 31-5", "ANTĐ - …"
//! tag list  := a line of four or more comma-separated items with no space after most commas
//! line      := a short line opening with a LINE_LABEL, a SHORT_LABEL, or holding a file name
//! related   := RELATED_LABEL line, then the short headline lines under it
//! footer    := FOOTER_LABEL line with only short lines after it
//! trailer   := short lines after the last paragraph (bylines, badges, menus)
//! ```
//! No rule marks a whole line of running text: a long line or a sentence
//! keeps its content whatever chrome it holds.

use crate::kw;
use crate::text::{Doc, Kind};
use crate::vocab::lists;
use std::ops::Range;

/// A line of tokens `first..last` with its text.
struct Line<'a> {
    first: usize,
    last: usize,
    text: &'a str,
    chars: usize,
}

fn lines<'a>(doc: &Doc<'a>) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let mut first = 0;
    for i in 1..=doc.len() {
        if i == doc.len() || doc.toks[i].nl_before {
            let text = doc.slice(first, i);
            out.push(Line {
                first,
                last: i,
                text,
                chars: text.chars().count(),
            });
            first = i;
        }
    }
    out
}

/// A line of running text: long, or a sentence ending with a full stop.
fn sentence_like(l: &Line) -> bool {
    l.chars > 200 || (l.chars > 60 && l.text.ends_with(['.', '!', '?']))
}

/// For each line, whether no line of running text follows it (computed once,
/// so that page-long inputs stay linear).
fn nothing_runs_after(ls: &[Line]) -> Vec<bool> {
    let mut out = vec![true; ls.len()];
    for k in (0..ls.len().saturating_sub(1)).rev() {
        out[k] = out[k + 1] && !sentence_like(&ls[k + 1]);
    }
    out
}

/// The token ends a sentence: ".", "!", "?", "…" (and "./.").
fn sentence_end(doc: &Doc, i: usize) -> bool {
    doc.punct_in(i, ".!?…")
}

/// A word written with a capital, or an initial ("T." in "T.Tân").
fn capitalised(doc: &Doc, i: usize) -> bool {
    doc.tok(i).is_some_and(|t| t.kind == Kind::Word && t.upper_first)
}

/// Byte offset inside a word like "TRÂNViệc" (an upper-case credit glued to
/// the next sentence) where the next sentence starts.
fn case_break(doc: &Doc, i: usize) -> Option<usize> {
    let t = doc.tok(i)?;
    if !(t.upper_first && t.upper_rest && t.lower_any) {
        return None;
    }
    let s = &doc.text[t.start..t.end];
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    (1..chars.len().saturating_sub(1))
        .rev()
        .find(|&k| chars[k].1.is_uppercase() && chars[k - 1].1.is_uppercase() && chars[k + 1].1.is_lowercase())
        .map(|k| t.start + chars[k].0)
}

/// The end of the names after a credit label or before a line end, from
/// token `i`: (token end, byte end). `None` when no name follows.
fn names_end(doc: &Doc, i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    let mut words = 0;
    let mut last_word = i;
    loop {
        if j >= doc.len() || (j > i && !doc.same_line(j)) {
            break;
        }
        if let Some(b) = case_break(doc, j) {
            return Some((j + 1, b));
        }
        if capitalised(doc, j) && doc.toks[j].space_before && words > 0 && starts_sentence(doc, j) {
            break;
        }
        if capitalised(doc, j) || doc.is(j, kw!("và")) {
            words += usize::from(capitalised(doc, j));
            last_word = j;
            j += 1;
        } else if doc.punct_in(j, "-–/&'’") || (doc.punct_in(j, ".") && doc.glued(j + 1) && capitalised(doc, j + 1))
        {
            j += 1;
        } else if doc.punct_in(j, "(") {
            // "(TTXVN)", "(Thái Bình)".
            let close = (j + 1..(j + 6).min(doc.len())).find(|&k| doc.punct_in(k, ")"))?;
            if !(j + 1..close).all(|k| capitalised(doc, k) || doc.punct_in(k, "-.")) {
                break;
            }
            j = close + 1;
            last_word = close;
        } else {
            break;
        }
    }
    if words == 0 {
        return None;
    }
    // A lower-case word or a number goes on a sentence: its first word is
    // the capitalised one before it ("Ảnh: Thanh Lê Báo cáo …").
    let goes_on = j < doc.len() && doc.same_line(j) && (doc.is_num(j) || (doc.is_word(j) && !capitalised(doc, j)));
    let mut end = last_word + 1;
    if goes_on && words > 1 && capitalised(doc, last_word) && doc.toks[last_word].space_before {
        end = last_word;
        while end > i && !capitalised(doc, end - 1) && !doc.punct_in(end - 1, ")") {
            end -= 1;
        }
    }
    // A full stop right after the names ends the credit: "Ảnh: TTXVN.".
    if doc.punct_in(end, ".") && doc.glued(end) && !doc.glued(end + 1) {
        end += 1;
    }
    Some((end, doc.toks[end - 1].end))
}

/// A capitalised word that opens a new sentence rather than continuing a
/// name: an honorific or a title ("Ông", "Chủ tịch", "Phó").
fn starts_sentence(doc: &Doc, i: usize) -> bool {
    let l = lists();
    [&l.honorifics, &l.title_heads, &l.title_modifiers]
        .iter()
        .filter_map(|lex| doc.longest(lex, i))
        .any(|e| doc.same_line(e) && doc.is_word(e))
}

/// Credits: a credit label after a line start, a sentence end, "(" or a dash,
/// and the names after it.
fn credits(doc: &Doc, out: &mut Vec<Range<usize>>) {
    let labels = &lists().chrome_credit_labels;
    for i in 0..doc.len() {
        if !doc.is_word(i) {
            continue;
        }
        let Some(after) = doc.longest(labels, i) else { continue };
        let line_start = i == 0 || doc.toks[i].nl_before;
        let opener = !line_start && doc.punct_in(i - 1, "(-–—|");
        if !(line_start || opener || sentence_end(doc, i - 1)) {
            continue;
        }
        let Some((end_tok, end_byte)) = names_end(doc, after) else {
            continue;
        };
        let mut start = doc.toks[if opener { i - 1 } else { i }].start;
        let mut end = end_byte;
        if opener && doc.punct_in(i - 1, "(") && doc.punct_in(end_tok, ")") {
            end = doc.toks[end_tok].end;
        }
        // Keep the space before a dash: "quý I/2024 - Ảnh: X" marks "- Ảnh: X".
        start = start.min(end);
        out.push(start..end);
    }
}

/// Bylines at the end of the body: after the last sentence end of a line
/// that closes the article (the last line, or the line before a time stamp),
/// a short run of names and nothing else.
fn bylines(doc: &Doc, ls: &[Line], out: &mut Vec<Range<usize>>) {
    let closing = nothing_runs_after(ls);
    for (k, l) in ls.iter().enumerate() {
        let last_content = closing[k];
        if !last_content || l.last - l.first < 2 {
            continue;
        }
        let Some(stop) = (l.first..l.last)
            .rev()
            .find(|&j| sentence_end(doc, j) || doc.punct_in(j, "”\""))
        else {
            continue;
        };
        let from = stop + 1;
        if from >= l.last || l.last - from > 9 {
            continue;
        }
        if let Some((end_tok, end_byte)) = names_end(doc, from) {
            if end_tok == l.last {
                out.push(doc.toks[from].start..end_byte);
            }
        }
    }
}

/// Source tags opening a line: "(HNM) -", "(baodientu.vn) –", "ANTĐ -".
fn source_tags(doc: &Doc, ls: &[Line], out: &mut Vec<Range<usize>>) {
    for l in ls {
        let i = l.first;
        let after = if doc.punct_in(i, "(") {
            (i + 1..(i + 9).min(l.last))
                .find(|&k| doc.punct_in(k, ")"))
                .map(|c| c + 1)
        } else {
            let mut j = i;
            while j < l.last && doc.acronym(j) && j - i < 3 {
                j += 1;
            }
            (j > i).then_some(j)
        };
        if let Some(a) = after.filter(|&a| a < l.last && doc.punct_in(a, "-–—")) {
            out.push(doc.toks[i].start..doc.toks[a].end);
        }
    }
}

/// A tag list: four or more comma-separated items, most commas with no
/// space after them ("Kinh tế,Nông nghiệp,Thị trường,…").
fn tag_list(doc: &Doc, l: &Line) -> bool {
    let commas: Vec<usize> = (l.first..l.last).filter(|&j| doc.punct_in(j, ",")).collect();
    let tight = commas.iter().filter(|&&j| doc.glued(j + 1)).count();
    commas.len() >= 4 && tight * 3 >= commas.len() * 2
}

fn has_file_name(doc: &Doc, l: &Line) -> bool {
    let exts = &lists().file_extensions;
    (l.first + 1..l.last).any(|j| {
        doc.punct_in(j - 1, ".")
            && doc.glued(j - 1)
            && doc.longest(exts, j) == Some(j + 1)
            && (j + 1 == l.last || !doc.glued(j + 1) || !doc.is_word(j + 1))
    })
}

/// A short line without sentence punctuation or digits: a byline, a credit,
/// a badge or a menu entry when it trails the article.
fn byline_like(doc: &Doc, l: &Line) -> bool {
    let words = l.last - l.first;
    l.chars <= 60
        && words <= 10
        && !l.text.chars().any(|c| c.is_ascii_digit())
        && !l.text.ends_with(['.', '!', '?', ':', ';', ','])
        && !(l.first..l.last).any(|j| doc.longest(&lists().chrome_title_words, j).is_some())
}

/// Whole-line chrome: labelled lines, related lists, the footer, trailers.
fn chrome_lines(doc: &Doc, ls: &[Line]) -> Vec<bool> {
    let l = lists();
    let mut chrome = vec![false; ls.len()];
    for (k, line) in ls.iter().enumerate() {
        if sentence_like(line) {
            continue;
        }
        let i = line.first;
        let short = line.chars <= 40;
        chrome[k] = doc.longest(&l.chrome_line_labels, i).is_some() && line.chars <= 120
            || (short && doc.longest(&l.chrome_short_labels, i).is_some())
            || has_file_name(doc, line)
            || tag_list(doc, line);
    }
    // Related-article lists: the label line and the short lines under it.
    let mut k = 0;
    while k < ls.len() {
        if ls[k].chars <= 40 && doc.longest(&l.chrome_related_labels, ls[k].first).is_some() {
            chrome[k] = true;
            k += 1;
            // Headlines are short and carry no final full stop.
            while k < ls.len() && ls[k].chars <= 160 && !ls[k].text.ends_with(['.', '!', '?', ';']) {
                chrome[k] = true;
                k += 1;
            }
        } else {
            k += 1;
        }
    }
    // The footer: a footer label on a short line, with only short lines after it.
    let closing = nothing_runs_after(ls);
    for k in 0..ls.len() {
        if ls[k].chars <= 150 && doc.longest(&l.chrome_footer_labels, ls[k].first).is_some() && closing[k] {
            chrome[k..].iter_mut().for_each(|c| *c = true);
            break;
        }
    }
    // Short trailing lines after the last paragraph: bylines, badges, menus.
    for k in (0..ls.len()).rev() {
        if chrome[k] {
            continue;
        }
        if byline_like(doc, &ls[k]) {
            chrome[k] = true;
        } else {
            break;
        }
    }
    chrome
}

/// Byte ranges of the chrome of `doc`, sorted by start.
pub fn chrome_ranges(doc: &Doc) -> Vec<Range<usize>> {
    let ls = lines(doc);
    let mut out = Vec::new();
    for (l, c) in ls.iter().zip(chrome_lines(doc, &ls)) {
        if c {
            out.push(doc.toks[l.first].start..doc.toks[l.last - 1].end);
        }
    }
    credits(doc, &mut out);
    bylines(doc, &ls, &mut out);
    source_tags(doc, &ls, &mut out);
    out.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(m) if r.start <= m.end => m.end = m.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expected`: the texts that must be chrome; everything else is content.
    fn check(input: &str, expected: &[&str]) {
        let doc = Doc::new(input, &[]);
        let ranges = chrome_ranges(&doc);
        let got: Vec<&str> = ranges.iter().map(|r| input[r.clone()].trim()).collect();
        assert_eq!(got, expected, "chrome of {input:?}");
    }

    #[test]
    fn chrome_lines_and_blocks() {
        let body = "Sáng ngày 2/3/2022, UBND xã tổ chức hội nghị tổng kết với 40 đại biểu tham dự.";
        let table: &[(String, Vec<&str>)] = &[
            (format!("Skip Navigation Links\n{body}"), vec!["Skip Navigation Links"]),
            (format!("{body}\n\nTin liên quan"), vec!["Tin liên quan"]),
            (format!("{body}\n12 (3).jpg\n{body}"), vec!["12 (3).jpg"]),
            (
                format!("{body}\nTài liệu đính kèm: bao-cao 2022.PDF\n{body}"),
                vec!["Tài liệu đính kèm: bao-cao 2022.PDF"],
            ),
            (
                format!("Hội nghị tổng kết năm 2022 - Ảnh: Minh Khoa\n{body}"),
                vec!["- Ảnh: Minh Khoa"],
            ),
            (
                format!("{body}\nTin, ảnh: Thu Hà - Văn Tú"),
                vec!["Tin, ảnh: Thu Hà - Văn Tú"],
            ),
            (format!("{body}\nMinh Khoa - TTVH"), vec!["Minh Khoa - TTVH"]),
            (
                format!("{body}\nSố lượt truy cập: 501\nĐiện thoại: 0236.3812345\nĐịa chỉ: Số 12 đường Lê Lợi"),
                vec![
                    "Số lượt truy cập: 501",
                    "Điện thoại: 0236.3812345",
                    "Địa chỉ: Số 12 đường Lê Lợi",
                ],
            ),
            (
                format!(
                    "{body}\nBài viết liên quan\nHội nghị tổng kết (20/12/2023)\nLễ ra quân (02/01/2024)\n\n{body}"
                ),
                vec![
                    "Bài viết liên quan",
                    "Hội nghị tổng kết (20/12/2023)",
                    "Lễ ra quân (02/01/2024)",
                ],
            ),
            (
                format!("Ông Lê Văn Hai trao quà. Ảnh: Minh Khoa\n{body}"),
                vec!["Ảnh: Minh Khoa"],
            ),
            (format!("{body}\nQuang cảnh hội nghị\n{body}"), vec![]),
            (format!("Cổng thông tin điện tử xã\n{body}\n{body}"), vec![]),
            (format!("{body}\nÔng Trần Văn Hải - Chủ tịch UBND xã phát biểu"), vec![]),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn chrome_inside_long_lines() {
        let table: &[(&str, &[&str])] = &[
            // A credit between two sentences of a one-line body.
            (
                "Xã trao 20 suất quà. Ảnh: Minh Khoa Buổi lễ diễn ra ngày 3/2/2021 tại xã.",
                &["Ảnh: Minh Khoa"],
            ),
            (
                "Quang cảnh hội nghị. Ảnh: Bảo Ngọc Ông Trần Văn Hải - Chủ tịch UBND xã phát biểu.",
                &["Ảnh: Bảo Ngọc"],
            ),
            (
                "Cầu mới được xây dựng. Ảnh: TTXVN. Theo kế hoạch, cầu dài 120 m.",
                &["Ảnh: TTXVN."],
            ),
            (
                "Nông dân thu hoạch lúa (Ảnh: Quốc Việt/TTXO) Năm 2021, xã có 300 ha lúa.",
                &["(Ảnh: Quốc Việt/TTXO)"],
            ),
            (
                "Hàng hóa bị thu giữ. Ảnh: H.PHONGNăm 2021 có 12 vụ vi phạm.",
                &["Ảnh: H.PHONG"],
            ),
            // A byline glued to the last sentence, before the page's stamp.
            (
                "Xã có 300 hộ nghèo được hỗ trợ trong năm qua.TRẦN MINH (Cao Bằng)\n12/06/14 08:10 GMT+7",
                &["TRẦN MINH (Cao Bằng)"],
            ),
            ("Dự án hoàn thành vào năm 2022./. Quỳnh Anh ", &["Quỳnh Anh"]),
            // A source tag before the lead, and a tag list after the stamp.
            (
                "(ABC) - Ngày 3-5, huyện tổ chức hội nghị.\nNông nghiệp,Lúa gạo,Xuất khẩu,Thị trường,Giá cả",
                &["(ABC) -", "Nông nghiệp,Lúa gạo,Xuất khẩu,Thị trường,Giá cả"],
            ),
        ];
        for &(input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn chrome_never_silences_a_long_line() {
        let long = "Ảnh: Minh Khoa ".to_string() + &"Xã có 12 thôn, 3.000 hộ dân và 40 ha lúa. ".repeat(8);
        let doc = Doc::new(&long, &[]);
        let covered: usize = chrome_ranges(&doc).iter().map(|r| r.len()).sum();
        assert!(covered < 20, "{covered} bytes of chrome in {long:?}");
    }
}
