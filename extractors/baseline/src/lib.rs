//! A deliberately simple regex baseline: one pattern per field, compiled once,
//! plus a value normalizer per field. No grammar, no context beyond a small
//! character window for officials.

use extractor_api::{export_plugin, CharIndex, Document, Figure, Mention, Official, Percentage, Value};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// A Vietnamese number: "1.326,8", "72.939", "02", "7,1".
const NUM: &str = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?";
const YEAR: &str = r"(?:19|20)\d{2}";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let p = r"(?ix)\b(?:
        (?:ngày\s+)?(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})
      | ngày\s+(?P<dd>\d{1,2})/(?P<dm>\d{1,2})
      | tháng\s+(?P<mm>\d{1,2})(?:/(?P<my>\d{4})|\s+năm\s+(?P<mny>\d{4}))?
      | (?:quý|qúy)\s+(?P<q>(?-i:IV|I{1,3})|[1-4])(?:/(?P<qy>\d{4}))?
      | năm\s+(?P<ny>YEAR)(?:\s*[-–]\s*(?P<nye>YEAR))?
      | (?P<r1>YEAR)\s*[-–]\s*(?P<r2>YEAR)
    )\b";
    Regex::new(&p.replace("YEAR", YEAR)).unwrap()
});

static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b(?P<n>{NUM})(?:[ \u{{a0}}]?%|[ \u{{a0}}]phần trăm\b)")).unwrap());

const UNITS: &str = "đồng|tấn|kg|ha|km|người|hộ|doanh nghiệp|chỉ tiêu|tiêu chí|thôn|xã|trường|sản phẩm|nhiệm vụ\
    |chương trình|công trình|dự án|giấy|hồ sơ|lượt|cơ sở|học sinh|con";

static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    let p = format!(r"(?i)\b(?P<n>{NUM})(?:[ \u{{a0}}]+(?P<x>nghìn|ngàn|triệu|tỷ|tỉ))?[ \u{{a0}}]+(?P<u>{UNITS})\b");
    Regex::new(&p).unwrap()
});

const SURNAMES: &str = "Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Đào|Trương\
    |Lương|Mai|Cao|Đoàn|Tạ|Lâm|Hà|Tô|Châu|Lưu|Thái|Tăng";
const TITLE_WORDS: &str =
    "(?:Phó[ \u{a0}]+)?(?:Chủ tịch|Bí thư|Trưởng|Giám đốc|Chủ nhiệm|Chánh)|Ủy viên|Uỷ viên|Đại biểu";

static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b(?:{SURNAMES})(?:[ \u{{a0}}]\p{{Lu}}\p{{Ll}}+){{1,3}}\b")).unwrap());
static TITLE_NEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"(?i)\b(?:Phó|{TITLE_WORDS})\b")).unwrap());
/// A title phrase right after "name - " or "name, ": a title word, then
/// capitalised words or a few lower-case organisation words.
static TITLE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    let org = r"\p{Lu}\p{L}*|huyện|tỉnh|xã|ủy|uỷ|thị trấn|thị xã|thành phố|phường|nhân dân|mặt trận";
    let p =
        format!(r"^(?:[ \u{{a0}}]*[-–][ \u{{a0}}]*|,[ \u{{a0}}]*)(?P<t>(?:{TITLE_WORDS})(?:[ \u{{a0}}]+(?:{org})\b)*)");
    Regex::new(&p).unwrap()
});
static PLACE_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:đường|phố|xã|phường|thôn|trường|cầu)[ \u{a0}]$").unwrap());

/// Characters looked at on each side of a name for a title word, cut at the
/// sentence or line end.
const WINDOW: usize = 40;

/// Reads a Vietnamese number times 10^`exp` without binary rounding noise
/// ("1.326,8" with exp 9 is exactly 1326800000000).
fn number(s: &str, exp: i32) -> Option<f64> {
    let (int, frac) = s.split_once(',').unwrap_or((s, ""));
    let digits: String = int.chars().filter(char::is_ascii_digit).chain(frac.chars()).collect();
    let mantissa: f64 = digits.parse().ok()?;
    let scale = exp - frac.len() as i32;
    Some(if scale >= 0 {
        mantissa * 10f64.powi(scale)
    } else {
        mantissa / 10f64.powi(-scale)
    })
}

fn roman_or_arabic(q: &str) -> Option<u32> {
    match q {
        "I" | "1" => Some(1),
        "II" | "2" => Some(2),
        "III" | "3" => Some(3),
        "IV" | "4" => Some(4),
        _ => None,
    }
}

fn date_value(c: &Captures) -> Option<String> {
    let g = |n: &str| c.name(n).map(|m| m.as_str());
    let num = |n: &str| g(n).and_then(|s| s.parse::<u32>().ok());
    let month_ok = |m: u32| (1..=12).contains(&m);
    let day_month = |d: u32, m: u32| (1..=31).contains(&d) && month_ok(m);
    if let (Some(d), Some(m), Some(y)) = (num("d"), num("m"), g("y")) {
        return day_month(d, m).then(|| format!("{y}-{m:02}-{d:02}"));
    }
    if let (Some(d), Some(m)) = (num("dd"), num("dm")) {
        return day_month(d, m).then(|| format!("XXXX-{m:02}-{d:02}"));
    }
    if let Some(m) = num("mm") {
        let y = g("my").or(g("mny")).unwrap_or("XXXX");
        return month_ok(m).then(|| format!("{y}-{m:02}"));
    }
    if let Some(q) = g("q").and_then(roman_or_arabic) {
        return Some(format!("{}-Q{q}", g("qy").unwrap_or("XXXX")));
    }
    match (g("ny").or(g("r1")), g("nye").or(g("r2"))) {
        (Some(a), Some(b)) => Some(format!("{a}/{b}")),
        (Some(a), None) => Some(a.to_string()),
        _ => None,
    }
}

/// True when the match continues a number or a date ("7.5%", "4/6/2024").
fn glued_to_number(text: &str, start: usize) -> bool {
    text[..start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit() || ".,/".contains(c))
}

fn officials(text: &str, idx: &CharIndex, out: &mut Vec<Mention>) {
    for m in NAME.find_iter(text) {
        if PLACE_BEFORE.is_match(&text[..m.start()]) {
            continue;
        }
        let clause = |c: &char| !".;\n".contains(*c);
        let before: String = text[..m.start()]
            .chars()
            .rev()
            .take(WINDOW)
            .take_while(clause)
            .collect();
        let after: String = text[m.end()..].chars().take(WINDOW).take_while(clause).collect();
        // `before` was collected backwards from the name; put it back in order.
        let before: String = before.chars().rev().collect();
        if !TITLE_NEAR.is_match(&before) && !TITLE_NEAR.is_match(&after) {
            continue;
        }
        let mut titles = Vec::new();
        let mut rest = &text[m.end()..];
        while let Some(c) = TITLE_AFTER.captures(rest) {
            titles.push(c["t"].to_string());
            rest = &rest[c.get(0).unwrap().end()..];
        }
        let value = Official {
            name: m.as_str().to_string(),
            titles,
        };
        out.push(idx.mention(m.range(), Value::Official(value)));
    }
}

pub fn extract(doc: &Document) -> Vec<Mention> {
    let text = doc.text;
    let idx = CharIndex::new(text);
    let mut out = Vec::new();
    for c in DATE.captures_iter(text) {
        if let Some(v) = date_value(&c) {
            out.push(idx.mention(c.get(0).unwrap().range(), Value::Date(v)));
        }
    }
    for c in PERCENT.captures_iter(text) {
        let m = c.get(0).unwrap();
        if let (false, Some(value)) = (glued_to_number(text, m.start()), number(&c["n"], 0)) {
            out.push(idx.mention(m.range(), Value::Percentage(Percentage { value })));
        }
    }
    for c in FIGURE.captures_iter(text) {
        let m = c.get(0).unwrap();
        let exp = match c.name("x").map(|x| x.as_str().to_lowercase()).as_deref() {
            Some("nghìn" | "ngàn") => 3,
            Some("triệu") => 6,
            Some(_) => 9,
            None => 0,
        };
        if let (false, Some(amount)) = (glued_to_number(text, m.start()), number(&c["n"], exp)) {
            let unit = c["u"].to_lowercase();
            out.push(idx.mention(m.range(), Value::Figure(Figure { amount, unit })));
        }
    }
    officials(text, &idx, &mut out);
    out.sort_by_key(|m| (m.start, m.end));
    out
}

export_plugin! {
    name: "baseline",
    version: env!("CARGO_PKG_VERSION"),
    fields: [date, official, figure, percentage],
    extract: extract,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Value)> {
        extract(&Document { id: "t", text })
            .into_iter()
            .map(|m| (m.text, m.value))
            .collect()
    }

    fn date(s: &str) -> Value {
        Value::Date(s.to_string())
    }

    #[test]
    fn dates() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("Chiều ngày 7/3/2025 họp", &[("ngày 7/3/2025", "2025-03-07")]),
            ("cập nhật 02/11/2023 09:15", &[("02/11/2023", "2023-11-02")]),
            (
                "từ ngày 15/9 đến tháng 11/2022",
                &[("ngày 15/9", "XXXX-09-15"), ("tháng 11/2022", "2022-11")],
            ),
            (
                "Tháng 3 năm 2021 và tháng 12",
                &[("Tháng 3 năm 2021", "2021-03"), ("tháng 12", "XXXX-12")],
            ),
            (
                "quý III/2023, Quý 4, qúy II",
                &[("quý III/2023", "2023-Q3"), ("Quý 4", "XXXX-Q4"), ("qúy II", "XXXX-Q2")],
            ),
            (
                "Năm 2022 và giai đoạn 2026 – 2030",
                &[("Năm 2022", "2022"), ("2026 – 2030", "2026/2030")],
            ),
            ("trong 6 tháng đầu năm, 3 năm qua", &[]),
        ];
        for (text, want) in cases {
            let want: Vec<_> = want.iter().map(|(t, v)| (t.to_string(), date(v))).collect();
            assert_eq!(found(text), want, "{text}");
        }
    }

    #[test]
    fn percentages_and_figures() {
        let got = found("tăng 12,5% và 40\u{a0}%, chi 2.450,5 triệu đồng cho 08 Trường, 1.200 hộ");
        let pct = |v| Value::Percentage(Percentage { value: v });
        let fig = |amount, unit: &str| {
            Value::Figure(Figure {
                amount,
                unit: unit.into(),
            })
        };
        let want = vec![
            ("12,5%".to_string(), pct(12.5)),
            ("40\u{a0}%".to_string(), pct(40.0)),
            ("2.450,5 triệu đồng".to_string(), fig(2_450_500_000.0, "đồng")),
            ("08 Trường".to_string(), fig(8.0, "trường")),
            ("1.200 hộ".to_string(), fig(1200.0, "hộ")),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn officials_need_a_title_nearby() {
        let text = "Ông Trần Minh Khoa - Phó Bí thư Thị ủy, Chủ tịch UBND thị xã phát biểu. \
                    Bà Lê Thu Hằng đi chợ. Phó Giám đốc Sở Võ An cùng dự";
        let got = found(text);
        let off = |name: &str, titles: &[&str]| {
            let titles = titles.iter().map(|t| t.to_string()).collect();
            (
                name.to_string(),
                Value::Official(Official {
                    name: name.to_string(),
                    titles,
                }),
            )
        };
        let want = vec![
            off("Trần Minh Khoa", &["Phó Bí thư Thị ủy", "Chủ tịch UBND thị xã"]),
            // Titles before the name are only used as evidence, not reported.
            off("Võ An", &[]),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn offsets_are_code_points() {
        let text = "Đạt 9,3\u{a0}% trong quý I/2024";
        let ms = extract(&Document { id: "t", text });
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(
            ms.iter().map(|m| (m.start, m.end)).collect::<Vec<_>>(),
            vec![(4, 9), (16, 26)]
        );
        for m in &ms {
            assert_eq!(chars[m.start..m.end].iter().collect::<String>(), m.text);
        }
    }
}
