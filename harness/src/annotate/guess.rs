//! A first guess at the normalized value of a span an annotator has just
//! marked, following the value rules of gold/GUIDELINES.md: TIMEX values for
//! dates, amount and unit for figures, the number of a percentage, and the
//! name (plus appositive titles) of an official. It only prefills the value
//! editor: the person checks it, and whatever is saved is validated like
//! any gold file. Vocabulary lives in `vocab/`.

use extractor_api::timex::Timex;
use extractor_api::{Field, Figure, Official, Percentage, Value};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// The entries of a vocabulary file: one a line, `#` comments.
pub(super) fn entries(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

struct Vocab {
    units: Vec<String>,
    /// Each counted noun as its words.
    counted: Vec<Vec<String>>,
    multipliers: Vec<(String, u32)>,
}

fn vocab() -> &'static Vocab {
    static V: OnceLock<Vocab> = OnceLock::new();
    V.get_or_init(|| Vocab {
        units: entries(include_str!("vocab/units.txt")).map(fold).collect(),
        counted: entries(include_str!("vocab/counted-nouns.txt"))
            .map(|e| e.split_whitespace().map(fold).collect())
            .collect(),
        multipliers: entries(include_str!("vocab/multipliers.txt"))
            .filter_map(|l| {
                let (w, p) = l.split_once(' ')?;
                Some((fold(w), p.trim().parse().ok()?))
            })
            .collect(),
    })
}

/// NFC, lower case: how words are compared and units written.
pub(super) fn fold(s: &str) -> String {
    s.nfc().collect::<String>().to_lowercase()
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Guesses the value of `text` (the span) as a `field`; `after` is the text
/// that follows the span (for a unit shared with a later number, and an
/// official's titles). `None` when nothing sensible can be read.
pub fn guess(field: Field, text: &str, after: &str) -> Option<Value> {
    let value = match field {
        Field::Date => Value::Date(date(text)?),
        Field::Figure => Value::Figure(figure(text, after)?),
        Field::Percentage => Value::Percentage(Percentage {
            value: number_word(words(text).first()?)?.0.to_f64(),
        }),
        Field::Official => Value::Official(official(text, after)?),
    };
    Some(value)
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}'
}

fn words(s: &str) -> Vec<&str> {
    s.split(is_space).filter(|w| !w.is_empty()).collect()
}

fn trim_punct(w: &str) -> &str {
    w.trim_end_matches([',', '.', ';', ':', ')', '!', '?', '"', '”'])
}

/// An exact decimal `mant / 10^scale`, so "1.326,8 tỷ" is exactly
/// 1 326 800 000 000.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Dec {
    mant: i128,
    scale: u32,
}

impl Dec {
    fn times_pow10(self, k: u32) -> Option<Dec> {
        let lower = k.min(self.scale);
        let mant = self.mant.checked_mul(10i128.checked_pow(k - lower)?)?;
        Some(Dec {
            mant,
            scale: self.scale - lower,
        })
    }

    fn plus(self, o: Dec) -> Option<Dec> {
        let scale = self.scale.max(o.scale);
        let a = self.mant.checked_mul(10i128.checked_pow(scale - self.scale)?)?;
        let b = o.mant.checked_mul(10i128.checked_pow(scale - o.scale)?)?;
        Some(Dec {
            mant: a.checked_add(b)?,
            scale,
        })
    }

    fn to_f64(self) -> f64 {
        self.mant as f64 / 10f64.powi(self.scale as i32)
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `"1.234.567"` with every group after the first of three digits.
fn grouped(s: &str, sep: char) -> Option<i128> {
    let groups: Vec<&str> = s.split(sep).collect();
    let ok = groups.iter().all(|g| digits(g)) && groups[1..].iter().all(|g| g.len() == 3);
    if ok {
        groups.concat().parse().ok()
    } else {
        None
    }
}

/// A number written the Vietnamese way: "." groups thousands, "," is the
/// decimal comma, and a dot before one or two final digits is a decimal
/// point (C20).
fn number(s: &str) -> Option<Dec> {
    if s.bytes().filter(u8::is_ascii_digit).count() > 24 {
        return None;
    }
    match (s.matches(',').count(), s.matches('.').count()) {
        (0, 1) if s.rsplit('.').next().is_some_and(|f| (1..=2).contains(&f.len())) => {
            let (int, frac) = s.split_once('.')?;
            decimal(int, frac, None)
        }
        (0, _) => Some(Dec {
            mant: grouped(s, '.')?,
            scale: 0,
        }),
        (1, _) => {
            let (int, frac) = s.split_once(',')?;
            decimal(int, frac, Some('.'))
        }
        (_, 0) => Some(Dec {
            mant: grouped(s, ',')?,
            scale: 0,
        }),
        _ => None,
    }
}

fn decimal(int: &str, frac: &str, group: Option<char>) -> Option<Dec> {
    let int = match group {
        Some(sep) => grouped(int, sep)?,
        None if digits(int) => int.parse().ok()?,
        None => return None,
    };
    if !digits(frac) {
        return None;
    }
    let scale = frac.len() as u32;
    Some(Dec {
        mant: int
            .checked_mul(10i128.checked_pow(scale)?)?
            .checked_add(frac.parse().ok()?)?,
        scale,
    })
}

/// A word that starts with a number: the number and what is attached to it
/// ("20ha" → 20, "ha"; "7,1%" → 7.1, "%").
fn number_word(w: &str) -> Option<(Dec, &str)> {
    let end = w
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(w.len());
    let num = w[..end].trim_end_matches(['.', ',']);
    Some((number(num)?, &w[num.len()..]))
}

fn multiplier(w: &str) -> Option<u32> {
    let w = fold(trim_punct(w));
    vocab().multipliers.iter().find(|(m, _)| *m == w).map(|(_, p)| *p)
}

/// The unit of the words after a figure's number (C15, C16): a unit of
/// measure alone, else the longest counted noun, else the first syllable;
/// a rate stops before "/".
fn unit(ws: &[&str]) -> String {
    let Some(first) = ws.first() else {
        return String::new();
    };
    let mut w0 = fold(trim_punct(first));
    if w0 != "đ/c" {
        if let Some((before, _)) = w0.split_once('/') {
            w0 = before.to_string();
        }
    }
    let v = vocab();
    if v.units.contains(&w0) {
        return match ws.get(1).map(|w| trim_punct(w)) {
            Some(p @ ("2" | "3")) if w0 == "m" => format!("m{p}"),
            _ => w0,
        };
    }
    let folded: Vec<String> = ws.iter().map(|w| fold(trim_punct(w))).collect();
    let counted = v
        .counted
        .iter()
        .filter(|e| e.len() <= folded.len() && e.iter().zip(&folded).all(|(a, b)| a == b))
        .max_by_key(|e| e.len());
    counted.map_or(w0, |e| e.join(" "))
}

fn figure(text: &str, after: &str) -> Option<Figure> {
    let ws = words(text);
    let (mut amount, attached) = number_word(ws.first()?)?;
    let mut i = 1;
    if attached.is_empty() {
        loop {
            if let Some(k) = ws.get(i).and_then(|w| multiplier(w)) {
                amount = amount.times_pow10(k)?;
                i += 1;
            } else if let (Some((n, "")), Some(k)) = (
                ws.get(i).and_then(|w| number_word(w)),
                ws.get(i + 1).and_then(|w| multiplier(w)),
            ) {
                // "2 tỷ 285 triệu đồng" is one amount (C19).
                amount = amount.plus(n.times_pow10(k)?)?;
                i += 2;
            } else {
                break;
            }
        }
    }
    let mut unit = if attached.is_empty() {
        unit(&ws[i..])
    } else {
        self::unit(&[attached])
    };
    if unit.is_empty() && i == ws.len() {
        // A shared unit (C17): "28.000 - 34.000 tỷ đồng", "26 trên 42 chỉ tiêu".
        let rest = after.trim_start_matches(is_space);
        let rest = rest
            .strip_prefix(['-', '–', '/', '~'])
            .or_else(|| ["trên ", "đến "].iter().find_map(|p| rest.strip_prefix(p)))
            .unwrap_or("");
        let ws = words(rest);
        if let Some((_, "")) = ws.first().and_then(|w| number_word(w)) {
            let mut j = 1;
            while let Some(k) = ws.get(j).and_then(|w| multiplier(w)) {
                amount = amount.times_pow10(k)?;
                j += 1;
            }
            unit = self::unit(&ws[j..]);
        }
    }
    Some(Figure {
        amount: amount.to_f64(),
        unit,
    })
}

fn official(text: &str, after: &str) -> Option<Official> {
    let name = nfc(text.trim_matches(is_space));
    if name.is_empty() {
        return None;
    }
    // Appositive titles after a dash or comma, each starting with a capital
    // ("- Phó Bí thư Huyện ủy, Chủ tịch UBND huyện"). "và" is not split on:
    // it also joins the words of an organisation's name (C12).
    let rest = after.trim_start_matches(is_space);
    let titles = match rest.strip_prefix(['-', '–', '—', ',']) {
        None => Vec::new(),
        Some(rest) => {
            let end = rest
                .find(['.', '\n', '\r', '(', ':', '!', '?', '"', '“'])
                .unwrap_or(rest.len());
            rest[..end]
                .split([',', ';'])
                .map(|t| trim_punct(t.trim_matches(is_space)))
                .take_while(|t| t.chars().next().is_some_and(char::is_uppercase))
                .take(6)
                .map(nfc)
                .collect()
        }
    };
    Some(Official { name, titles })
}

/// One end of a date: what the text states of it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Point {
    year: Option<u16>,
    quarter: Option<u8>,
    month: Option<u8>,
    day: Option<u8>,
}

#[derive(Clone, Copy, PartialEq)]
enum Role {
    Day,
    Month,
    Quarter,
    Year,
}

fn roman(w: &str) -> Option<u8> {
    match w {
        "I" => Some(1),
        "II" => Some(2),
        "III" => Some(3),
        "IV" => Some(4),
        _ => None,
    }
}

/// Reads one end of a date: numbers take the role their unit word gives
/// ("ngày", "mùng", "tháng", "quý", "năm"), or the next role after the
/// previous number (day, month, year; quarter, year).
fn point(s: &str) -> Option<Point> {
    let mut p = Point::default();
    let mut role: Option<Role> = None;
    let mut prev: Option<Role> = None;
    let mut any = false;
    for tok in s
        .split(|c: char| is_space(c) || matches!(c, '/' | '-' | '.' | ','))
        .filter(|t| !t.is_empty())
    {
        match fold(tok).as_str() {
            "ngày" | "mùng" => role = Some(Role::Day),
            "tháng" => role = Some(Role::Month),
            "quý" | "qúy" => role = Some(Role::Quarter),
            "năm" => role = Some(Role::Year),
            _ => {
                let quarter_numeral = roman(tok).filter(|_| role == Some(Role::Quarter));
                if !digits(tok) && quarter_numeral.is_none() {
                    continue;
                }
                let r = role.take().unwrap_or(match prev {
                    None if tok.len() == 4 => Role::Year,
                    None | Some(Role::Year) => Role::Day,
                    Some(Role::Day) => Role::Month,
                    Some(Role::Month | Role::Quarter) => Role::Year,
                });
                let n: u16 = match quarter_numeral {
                    Some(q) => q.into(),
                    None => tok.parse().ok()?,
                };
                match r {
                    Role::Day => p.day = Some(n.try_into().ok()?),
                    Role::Month => p.month = Some(n.try_into().ok()?),
                    Role::Quarter => p.quarter = Some(n.try_into().ok()?),
                    // Two-digit stamp years are the year they abbreviate (C3).
                    Role::Year => p.year = Some(if tok.len() == 2 { 2000 + n } else { n }),
                }
                prev = Some(r);
                any = true;
            }
        }
    }
    any.then_some(p)
}

fn timex(p: &Point) -> String {
    let year = p.year.map_or("XXXX".to_string(), |y| format!("{y:04}"));
    match (p.quarter, p.month, p.day) {
        (Some(q), _, _) => format!("{year}-Q{q}"),
        (None, Some(m), Some(d)) => format!("{year}-{m:02}-{d:02}"),
        (None, Some(m), None) => format!("{year}-{m:02}"),
        _ => year,
    }
}

/// Where a date range splits: an en dash, a hyphen with a space beside it,
/// or a hyphen between two four-digit years ("2020-2025").
fn range_split(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    for (i, c) in s.char_indices() {
        let next = i + c.len_utf8();
        let is_range = match c {
            '–' | '—' => true,
            '-' => {
                let spaced = s[..i].ends_with(is_space) || s[next..].starts_with(is_space);
                let year = |r: &[u8]| r.len() >= 4 && r.iter().all(u8::is_ascii_digit);
                let before = &b[..i];
                let after = &b[next..];
                spaced
                    || (before.len() >= 4
                        && year(&before[before.len() - 4..])
                        && !before[..before.len() - 4].last().is_some_and(u8::is_ascii_digit)
                        && after.len() >= 4
                        && year(&after[..4])
                        && !after.get(4).is_some_and(u8::is_ascii_digit))
            }
            _ => false,
        };
        if is_range {
            return Some((&s[..i], &s[next..]));
        }
    }
    None
}

fn date(text: &str) -> Option<String> {
    let value = match range_split(text) {
        Some((left, right)) => {
            let (mut l, r) = (point(left)?, point(right)?);
            // "ngày 15 - 18/4/2017": the first end takes what the second
            // states after it (C5).
            if l.day.is_some() && l.month.is_none() {
                l.month = r.month;
            }
            if l.year.is_none() && (l.day.is_some() || l.month.is_some() || l.quarter.is_some()) {
                l.year = r.year;
            }
            format!("{}/{}", timex(&l), timex(&r))
        }
        None => timex(&point(text)?),
    };
    Timex::parse(&value).ok().map(|_| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        guess(Field::Date, s, "").map(|v| match v {
            Value::Date(d) => d,
            _ => unreachable!(),
        })
    }

    #[test]
    fn dates_from_the_guidelines() {
        for (text, want) in [
            ("ngày 4/6/2024", "2024-06-04"),
            ("19/01/2024", "2024-01-19"),
            ("ngày 31/8", "XXXX-08-31"),
            ("tháng 6/2024", "2024-06"),
            ("tháng 5 năm 2024", "2024-05"),
            ("tháng 10", "XXXX-10"),
            ("quý I/2024", "2024-Q1"),
            ("Quý 1/2024", "2024-Q1"),
            ("qúy II/2024", "2024-Q2"),
            ("qúy I", "XXXX-Q1"),
            ("năm 2023", "2023"),
            ("Năm 2024", "2024"),
            ("2023 – 2024", "2023/2024"),
            ("2020-2025", "2020/2025"),
            ("năm 2014-2019", "2014/2019"),
            ("Ngày 7-2", "XXXX-02-07"),
            ("tháng 10-2012", "2012-10"),
            ("ngày 14-6-2014", "2014-06-14"),
            ("05.08.2019", "2019-08-05"),
            ("tháng 12.2025", "2025-12"),
            ("08 08 2019", "2019-08-08"),
            ("28/05/13", "2013-05-28"),
            ("12/7", "XXXX-07-12"),
            ("ngày 15 - 18/4/2017", "2017-04-15/2017-04-18"),
            ("ngày 7/2 - 12/2/2017", "2017-02-07/2017-02-12"),
            ("mùng 10 tháng 3", "XXXX-03-10"),
            ("quý IV 2017", "2017-Q4"),
            ("quý I năm 2019", "2019-Q1"),
            ("2011", "2011"),
            ("ngày 10 tháng 3 năm 2024", "2024-03-10"),
        ] {
            assert_eq!(d(text).as_deref(), Some(want), "{text}");
        }
        // Impossible dates are not guessed.
        assert_eq!(d("ngày 31/2/2023"), None);
        assert_eq!(d("tháng Giêng"), None);
    }

    fn f(s: &str, after: &str) -> (f64, String) {
        match guess(Field::Figure, s, after) {
            Some(Value::Figure(f)) => (f.amount, f.unit),
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn figures_from_the_guidelines() {
        for (text, after, amount, unit) in [
            ("1.326,8 tỷ đồng", "", 1326800000000.0, "đồng"),
            ("72.939 tấn", "", 72939.0, "tấn"),
            ("54 doanh nghiệp", "", 54.0, "doanh nghiệp"),
            ("02 thôn", "", 2.0, "thôn"),
            ("03 Chương trình", "", 3.0, "chương trình"),
            ("9.500 m", " kênh", 9500.0, "m"),
            ("20ha", "", 20.0, "ha"),
            ("500kV", "", 500.0, "kv"),
            ("0,07USD", "/kWh", 0.07, "usd"),
            ("8,6 triệu đồng", "/năm", 8600000.0, "đồng"),
            ("21,6 nghìn tỷ đồng", "", 21600000000000.0, "đồng"),
            ("2 tỷ 285 triệu đồng", "", 2285000000.0, "đồng"),
            ("40.56ha", "", 40.56, "ha"),
            ("771 tàu", " cá", 771.0, "tàu"),
            ("36 Đảng bộ", ", chi bộ", 36.0, "đảng bộ"),
            ("429 DN", "", 429.0, "dn"),
            ("41 lượt", " chất vấn", 41.0, "lượt"),
            ("12 lượt người", "", 12.0, "lượt người"),
            ("5 vị Đại biểu", "", 5.0, "vị đại biểu"),
            ("10 lần", "", 10.0, "lần"),
            ("26", " trên 42 chỉ tiêu", 26.0, "chỉ tiêu"),
            ("28.000", " - 34.000 tỷ đồng", 28000000000000.0, "đồng"),
            ("3 m 2", "", 3.0, "m2"),
        ] {
            assert_eq!(f(text, after), (amount, unit.to_string()), "{text}");
        }
        assert_eq!(guess(Field::Figure, "một sản phẩm", ""), None);
    }

    #[test]
    fn percentages_and_officials() {
        for (text, want) in [
            ("7,1%", 7.1),
            ("17,9 %", 17.9),
            ("96.4%", 96.4),
            ("10,2", 10.2),
            ("100%", 100.0),
        ] {
            assert_eq!(
                guess(Field::Percentage, text, ""),
                Some(Value::Percentage(Percentage { value: want })),
                "{text}"
            );
        }
        let o = |text: &str, after: &str| match guess(Field::Official, text, after) {
            Some(Value::Official(o)) => o,
            other => panic!("{other:?}"),
        };
        let got = o(
            "Nguyễn Đức Nhương",
            " - Phó Bí thư Huyện ủy, Chủ tịch UBND huyện. Hội nghị",
        );
        assert_eq!(got.name, "Nguyễn Đức Nhương");
        assert_eq!(got.titles, ["Phó Bí thư Huyện ủy", "Chủ tịch UBND huyện"]);
        assert!(o("Nguyễn Văn A", " cho biết, Huyện").titles.is_empty());
        // NFD text gives NFC values.
        assert_eq!(o("Le\u{302}\u{300} Va\u{306}n", "").name, "Lề Văn");
    }
}
