//! Page chrome: the parts of a scraped page that are not the article (skip
//! links, menus, counters, footers and contact blocks, attachment and image
//! file names, bylines and photo credits). Mentions found there are dropped.

use crate::vocab::{entries, FILES};
use std::ops::Range;
use std::sync::OnceLock;

/// The entries of the chrome label list `name` (a file in `vocab/`).
fn label_list(name: &str) -> &'static [&'static str] {
    static LISTS: OnceLock<Vec<(&'static str, Vec<&'static str>)>> = OnceLock::new();
    let lists = LISTS.get_or_init(|| {
        FILES
            .iter()
            .filter(|(n, _)| n.starts_with("chrome_") || *n == "file_extensions")
            .map(|&(n, file)| (n, entries(file).collect()))
            .collect()
    });
    lists
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&[], |(_, l)| l.as_slice())
}

/// Lower case, trimmed, runs of whitespace (including no-break spaces) made
/// one space, and no space before a colon.
fn normalize(line: &str) -> String {
    let lower = line.to_lowercase();
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.replace(" :", ":")
}

/// The line starts with one of the labels, as whole words.
fn starts_with_any(line: &str, labels: &[&str]) -> bool {
    labels.iter().any(|l| {
        line.strip_prefix(l)
            .is_some_and(|rest| !(l.ends_with(char::is_alphabetic) && rest.starts_with(char::is_alphabetic)))
    })
}

fn has_file_name(line: &str) -> bool {
    line.split_whitespace().any(|w| {
        let w = w.trim_end_matches([',', ';', ')', '"']);
        w.rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.is_empty() && label_list("file_extensions").contains(&ext))
    })
}

/// A short line without sentence punctuation or digits: a byline, a credit,
/// a badge or a menu entry when it trails the article.
fn byline_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    line.chars().count() <= 60
        && words <= 8
        && !line.chars().any(|c| c.is_ascii_digit())
        && !line.ends_with(['.', '!', '?', ':', ';', ','])
        && !label_list("chrome_title_words").iter().any(|t| line.contains(t))
}

/// A line of running text: long, or a sentence ending with a full stop.
fn sentence_like(line: &str) -> bool {
    let n = line.chars().count();
    n > 200 || (n > 60 && line.ends_with(['.', '!', '?']))
}

/// Byte offset where an inline photo credit starts in `line` ("… - Ảnh: X",
/// "(Ảnh: X)"), including the dash or parenthesis before it.
fn inline_credit(line: &str) -> Option<usize> {
    let lower: Vec<(usize, char)> = line
        .char_indices()
        .map(|(b, c)| (b, c.to_lowercase().next().unwrap_or(c)))
        .collect();
    let pattern: Vec<char> = "ảnh".chars().collect();
    for k in 0..lower.len() {
        if k + pattern.len() > lower.len() || (0..pattern.len()).any(|m| lower[k + m].1 != pattern[m]) {
            continue;
        }
        // "ảnh" must be a whole word followed by an optional space and ':'.
        if k > 0 && lower[k - 1].1.is_alphabetic() {
            continue;
        }
        let mut m = k + pattern.len();
        while m < lower.len() && lower[m].1.is_whitespace() {
            m += 1;
        }
        if m >= lower.len() || lower[m].1 != ':' {
            continue;
        }
        // Walk back over "tin," / spaces to a dash or an opening parenthesis.
        let mut s = k;
        while s > 0 && (lower[s - 1].1.is_whitespace()) {
            s -= 1;
        }
        if s > 0 && matches!(lower[s - 1].1, '-' | '–' | '—' | '(' | '|') {
            return Some(lower[s - 1].0);
        }
        // "... chính sách. Ảnh: X": the credit follows the caption's full stop.
        if s > 0 && s < k && matches!(lower[s - 1].1, '.' | '!') {
            return Some(lower[s].0);
        }
    }
    None
}

/// Byte ranges of the chrome in `text`.
pub fn chrome_ranges(text: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (b, c) in text.char_indices() {
        if c == '\n' {
            lines.push(start..b);
            start = b + 1;
        }
    }
    lines.push(start..text.len());
    let norm: Vec<String> = lines.iter().map(|r| normalize(&text[r.clone()])).collect();
    let mut chrome = vec![false; lines.len()];
    let mut out = Vec::new();

    for (k, n) in norm.iter().enumerate() {
        if n.is_empty() {
            continue;
        }
        let short = n.chars().count() <= 40;
        if starts_with_any(n, label_list("chrome_line_labels"))
            || (short && starts_with_any(n, label_list("chrome_short_labels")))
            || has_file_name(n)
        {
            chrome[k] = true;
        } else if let Some(p) = inline_credit(&text[lines[k].clone()]) {
            out.push(lines[k].start + p..lines[k].end);
        }
    }

    // Related-article lists: the label line and the short lines under it.
    let mut k = 0;
    while k < lines.len() {
        let n = &norm[k];
        if n.chars().count() <= 40 && starts_with_any(n, label_list("chrome_related_labels")) {
            chrome[k] = true;
            k += 1;
            // Headlines are short and carry no final full stop.
            while k < lines.len() && norm[k].chars().count() <= 160 && !norm[k].ends_with(['.', '!', '?', ';']) {
                chrome[k] = !norm[k].is_empty() || chrome[k];
                k += 1;
            }
        } else {
            k += 1;
        }
    }

    // The footer: a footer label on a short line, with only short lines after it.
    for k in 0..lines.len() {
        let n = &norm[k];
        if n.chars().count() <= 150
            && starts_with_any(n, label_list("chrome_footer_labels"))
            && norm[k + 1..].iter().all(|m| !sentence_like(m))
        {
            chrome[k..].iter_mut().for_each(|c| *c = true);
            break;
        }
    }

    // Short trailing lines after the last paragraph: bylines, badges, menus.
    for k in (0..lines.len()).rev() {
        if norm[k].is_empty() || chrome[k] {
            continue;
        }
        if byline_like(&norm[k]) {
            chrome[k] = true;
        } else {
            break;
        }
    }

    out.extend(lines.iter().zip(&chrome).filter(|(_, &c)| c).map(|(r, _)| r.clone()));
    out.sort_by_key(|r| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expected`: the texts that must be chrome; every other non-empty line
    /// must be content.
    fn check(input: &str, expected: &[&str]) {
        let ranges = chrome_ranges(input);
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
}
