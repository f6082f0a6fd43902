//! Dates: explicit calendar references written with digits or Roman numerals.
//!
//! ```text
//! date    := DAY_UNIT D SEP M [SEP Y]              -- ngày 4/6/2024, ngày 31/8, Ngày 7-2, Ngày 25.6
//!          | DAY_UNIT D [DASH D] SEP M SEP Y        -- ngày 15 - 18/4/2017 (one interval)
//!          | DAY_UNIT D "tháng" M ["năm" Y]         -- ngày 4 tháng 6 năm 2024, mùng 10 tháng 3
//!          | "tháng" M [SEP Y | "năm" Y]             -- tháng 6/2024, tháng 10-2012, tháng 12.2025, tháng 10
//!          | "tháng" M DASH M SEP Y                  -- tháng 5-6/2024
//!          | "quý" Q [SEP Y | "năm" Y | Y]           -- quý I/2024, quý I năm 2019, quý IV 2017
//!          | "năm" Y [DASH Y]                        -- năm 2023, năm 2014-2019
//!          | D SEP M SEP Y                           -- 19/01/2024, 1-6-2013, 05.08.2019 (no unit word)
//!          | D "/" M "/" YY CLOCK                    -- 28/05/13 03:21 (a page's stamp)
//!          | D " " M " " Y (CLOCK | after a weekday) -- 08 08 2019 08:51
//!          | TIME_OF_DAY D SEP M                     -- Sáng 12/7, Tối 19.5 (span: the numbers)
//!          | M "/" Y                                 -- 6/2024
//!          | Y DASH Y                                -- 2023 – 2024, (năm học) 2024-2025
//!          | D SEP M after a day date and "và" "," "đến" DASH
//!          | Y after a year date and "và" "," "hoặc"; Y after "từ" DATE "đến" [cuối|hết…]
//!          | "từ" Y when "đến" [cuối|hết…] Y follows
//!          | ["từ"] D "/" M ("đến" | DASH) D SEP M  -- từ 12/5 đến 15/5 (bare days opening a range)
//! SEP     := "/" | "-" | "."      DAY_UNIT := "ngày" | "mùng" | "mồng"
//! ```
//! Two dates of one shape joined by a dash are one interval, the first end
//! taking the year the second states ("ngày 7/2 - 12/2/2017"). Durations
//! ("5 tháng", "8 tháng đầu năm") never match: the unit word must come
//! before the number. Clock times, document numbers ("số 12/2024/QĐ-…") and
//! numbers glued to letters are rejected.

use crate::kw;
use crate::text::Doc;
use crate::vocab::lists;

#[derive(Clone, Debug, PartialEq)]
pub struct DateMatch {
    /// Token range, end exclusive.
    pub first: usize,
    pub last: usize,
    pub value: String,
    /// Day granularity (for "ngày 3/5 và 4/5").
    pub has_day: bool,
}

const DASHES: &str = "-–—";

fn m(first: usize, last: usize, value: String, has_day: bool) -> Option<DateMatch> {
    Some(DateMatch {
        first,
        last,
        value,
        has_day,
    })
}

fn glued_letters_after(doc: &Doc, i: usize) -> bool {
    doc.is_word(i + 1) && doc.glued(i + 1)
}

/// A plain integer (at most `max_len` digits) within `lo..=hi`.
fn int_in(doc: &Doc, i: usize, max_len: usize, lo: u32, hi: u32) -> Option<u32> {
    let (v, len) = doc.plain_int(i)?;
    (len <= max_len && (lo..=hi).contains(&v) && !glued_letters_after(doc, i)).then_some(v)
}

/// A four-digit year. After a unit word any year from 1000 counts (the text
/// may be wrong, "tháng 1/1010"); a bare number must look like a modern year.
fn year_from(doc: &Doc, i: usize, lo: u32) -> Option<u32> {
    let (v, len) = doc.plain_int(i)?;
    (len == 4 && (lo..=2199).contains(&v) && !glued_letters_after(doc, i)).then_some(v)
}

fn year(doc: &Doc, i: usize) -> Option<u32> {
    year_from(doc, i, 1800)
}

fn day(doc: &Doc, i: usize) -> Option<u32> {
    int_in(doc, i, 2, 1, 31)
}

fn month(doc: &Doc, i: usize) -> Option<u32> {
    int_in(doc, i, 2, 1, 12)
}

/// One of the separators in `set`, glued on both sides, at token `i`.
fn sep(doc: &Doc, i: usize, set: &str) -> bool {
    doc.punct_in(i, set) && doc.glued(i) && doc.glued(i + 1)
}

/// "/Y" (or "-Y") glued after token `i - 1`.
fn slash_year(doc: &Doc, i: usize, lo: u32) -> Option<u32> {
    if sep(doc, i, "/-") {
        year_from(doc, i + 1, lo)
    } else {
        None
    }
}

/// A dash on the line, joining two parts of a range.
fn range_dash(doc: &Doc, i: usize) -> bool {
    doc.punct_in(i, DASHES) && doc.same_line(i) && doc.same_line(i + 1)
}

/// A day and month "D/M" (or "D-M") at `i`: (day, month, end).
fn day_month(doc: &Doc, i: usize) -> Option<(u32, u32, usize)> {
    let d = day(doc, i)?;
    if !sep(doc, i + 1, "/-") {
        return None;
    }
    let mo = month(doc, i + 2)?;
    days_ok(d, mo).then_some((d, mo, i + 3))
}

/// "D/M/Y" or "D/M" at `i`: (year, month, day, end).
fn day_month_year(doc: &Doc, i: usize) -> Option<(Option<u32>, u32, u32, usize)> {
    let (d, mo, end) = day_month(doc, i)?;
    if !doc.punct_in(i + 1, "/") {
        return None;
    }
    match slash_year(doc, end, 1800) {
        Some(y) if doc.punct_in(end, "/") => (!code_follows(doc, end + 2)).then_some((Some(y), mo, d, end + 2)),
        Some(_) => None,
        None => (!code_follows(doc, end)).then_some((None, mo, d, end)),
    }
}

/// D/M/Y or D-M-Y at `i` with one separator kind; returns (value, end).
fn full_date(doc: &Doc, i: usize) -> Option<(String, usize)> {
    let (d, mo, end) = day_month(doc, i)?;
    if doc.text_of(i + 1) != doc.text_of(end) {
        return None;
    }
    let y = slash_year(doc, end, 1800)?;
    Some((ymd(Some(y), mo, Some(d)), end + 2))
}

/// The numbers of a number token read by the tokenizer as one ("5.10.2024",
/// "25.6", "12.2025"), split at its dots.
fn dotted_parts(doc: &Doc, i: usize) -> Option<Vec<u32>> {
    let t = doc.text_of(i);
    if !doc.is_num(i) || !t.contains('.') || t.contains(',') {
        return None;
    }
    t.split('.').map(|p| p.parse().ok()).collect()
}

/// "25.6": a dotted day and month (one number token) at `i`: value and end.
fn dotted_day_month(doc: &Doc, i: usize) -> Option<(String, usize)> {
    let p = dotted_parts(doc, i).filter(|p| p.len() == 2)?;
    let (d, mo) = (p[0], p[1]);
    let short = doc.text_of(i).split('.').all(|s| s.len() <= 2);
    (short && (1..=12).contains(&mo) && (1..=31).contains(&d) && days_ok(d, mo) && !code_follows(doc, i + 1))
        .then(|| (ymd(None, mo, Some(d)), i + 1))
}

/// "5.10.2024": a dotted day, month and year.
fn dotted_date(doc: &Doc, i: usize) -> Option<String> {
    let t = doc.text_of(i);
    let lens: Vec<usize> = t.split('.').map(str::len).collect();
    let p = dotted_parts(doc, i)?;
    if p.len() != 3 || lens[2] != 4 || lens[..2].iter().any(|&l| l > 2) {
        return None;
    }
    let (d, mo, y) = (p[0], p[1], p[2]);
    ((1..=12).contains(&mo) && (1..=31).contains(&d) && days_ok(d, mo) && (1800..=2199).contains(&y))
        .then(|| ymd(Some(y), mo, Some(d)))
}

/// A code continues after token `end - 1`: "/QĐ-UBND", "/2024/NĐ-CP", "-01".
/// A full stop glued to a capitalised word is a missing space after a
/// sentence ("năm 2013.Ngoài ra"), not a code.
fn code_follows(doc: &Doc, end: usize) -> bool {
    if doc.punct_in(end, ".") && doc.glued(end) && doc.glued(end + 1) && doc.title_case(end + 1) {
        return false;
    }
    (doc.punct_in(end, "/-.") && doc.glued(end) && doc.glued(end + 1) && (doc.is_num(end + 1) || doc.is_word(end + 1)))
        || (doc.glued(end) && (doc.is_word(end) || doc.is_num(end)))
}

/// A clock time "HH:MM" at `i`.
fn clock_at(doc: &Doc, i: usize) -> bool {
    int_in(doc, i, 2, 0, 23).is_some()
        && sep(doc, i + 1, ":h")
        && doc.plain_int(i + 2).is_some_and(|(v, len)| len == 2 && v < 60)
}

/// A weekday before a stamp: "thứ năm,", "Thứ 2,", "Chủ nhật,".
fn weekday_before(doc: &Doc, i: usize) -> bool {
    let Some(comma) = i.checked_sub(1).filter(|&c| doc.punct_in(c, ",")) else {
        return false;
    };
    comma >= 2 && (doc.is(comma - 2, kw!("thứ")) || doc.is(comma - 2, kw!("chủ")))
}

/// A roman or arabic quarter number.
fn quarter(doc: &Doc, i: usize) -> Option<u32> {
    if doc.is_word(i) {
        return match doc.text_of(i) {
            "I" => Some(1),
            "II" => Some(2),
            "III" => Some(3),
            "IV" => Some(4),
            _ => None,
        };
    }
    int_in(doc, i, 1, 1, 4)
}

/// The year completing a month or quarter: "/2024", "-2024" or "năm 2024".
fn trailing_year(doc: &Doc, i: usize) -> Option<(u32, usize)> {
    if let Some(y) = slash_year(doc, i, 1000) {
        return Some((y, i + 2));
    }
    if doc.is(i, kw!("năm")) && doc.same_line(i) {
        if let Some(y) = year(doc, i + 1) {
            return Some((y, i + 2));
        }
    }
    None
}

/// A year range "Y – Y" starting at `i`; returns the end and the value.
fn year_range(doc: &Doc, i: usize) -> Option<(usize, String)> {
    let y1 = year(doc, i)?;
    if !range_dash(doc, i + 1) {
        return None;
    }
    let y2 = year(doc, i + 2)?;
    (y1 < y2 && y2 - y1 <= 30 && !code_follows(doc, i + 3)).then(|| (i + 3, format!("{y1}/{y2}")))
}

fn ymd(y: Option<u32>, m: u32, d: Option<u32>) -> String {
    let y = y.map_or("XXXX".to_string(), |y| format!("{y:04}"));
    match d {
        Some(d) => format!("{y}-{m:02}-{d:02}"),
        None => format!("{y}-{m:02}"),
    }
}

fn days_ok(d: u32, m: u32) -> bool {
    let max = match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    d <= max
}

/// The number at `i` is part of an identifier: "số 12/2024", "QĐ-12".
fn identifier_before(doc: &Doc, i: usize) -> bool {
    let prev = i.wrapping_sub(1);
    (doc.glued(i) && (doc.is_word(prev) || doc.punct_in(prev, "/-._") || doc.is_num(prev)))
        || doc.is(prev, kw!("số"))
        || (doc.punct_in(prev, ":") && doc.is(prev.wrapping_sub(1), kw!("số")))
}

/// `ngày|mùng|mồng D …` at `i`.
fn day_unit_date(doc: &Doc, i: usize) -> Option<DateMatch> {
    if !(doc.is(i, kw!("ngày")) || doc.is(i, kw!("mùng")) || doc.is(i, kw!("mồng"))) || !doc.same_line(i + 1) {
        return None;
    }
    if let Some((value, end)) = full_date(doc, i + 1) {
        return (!code_follows(doc, end)).then_some(DateMatch {
            first: i,
            last: end,
            value,
            has_day: true,
        });
    }
    if let Some(value) = dotted_date(doc, i + 1) {
        return m(i, i + 2, value, true);
    }
    // "Ngày 25.6": a day and month read as one number.
    if dotted_parts(doc, i + 1).is_some_and(|p| p.len() == 2) {
        return dotted_day_month(doc, i + 1).map(|(value, end)| DateMatch {
            first: i,
            last: end,
            value,
            has_day: true,
        });
    }
    let d = day(doc, i + 1)?;
    // "ngày 4-5/6/2024", "ngày 15 - 18/4/2017": two days sharing their month and year.
    if range_dash(doc, i + 2) {
        if let Some((y, mo, d2, end)) = day_month_year(doc, i + 3) {
            if d < d2 && days_ok(d, mo) {
                return m(
                    i,
                    end,
                    format!("{}/{}", ymd(y, mo, Some(d)), ymd(y, mo, Some(d2))),
                    true,
                );
            }
        }
    }
    if let Some((d, mo, end)) = day_month(doc, i + 1) {
        return (!code_follows(doc, end)).then(|| DateMatch {
            first: i,
            last: end,
            value: ymd(None, mo, Some(d)),
            has_day: true,
        });
    }
    if doc.is(i + 2, kw!("tháng")) {
        let mo = month(doc, i + 3)?;
        let (y, end) = match trailing_year(doc, i + 4) {
            Some((y, end)) => (Some(y), end),
            None => (None, i + 4),
        };
        return m(i, end, ymd(y, mo, Some(d)), true);
    }
    None
}

/// `tháng M …` at `i`.
fn month_unit_date(doc: &Doc, i: usize) -> Option<DateMatch> {
    if !doc.is(i, kw!("tháng")) || !doc.same_line(i + 1) {
        return None;
    }
    // "tháng 12.2025": a month and year read as one number.
    if let Some(p) = dotted_parts(doc, i + 1).filter(|p| p.len() == 2) {
        let lens: Vec<usize> = doc.text_of(i + 1).split('.').map(str::len).collect();
        let ok = lens == [1, 4] || lens == [2, 4];
        return (ok && (1..=12).contains(&p[0]) && (1000..=2199).contains(&p[1]) && !code_follows(doc, i + 2)).then(
            || DateMatch {
                first: i,
                last: i + 2,
                value: ymd(Some(p[1]), p[0], None),
                has_day: false,
            },
        );
    }
    let mo = month(doc, i + 1)?;
    if let Some((y, end)) = trailing_year(doc, i + 2) {
        return (!code_follows(doc, end)).then(|| DateMatch {
            first: i,
            last: end,
            value: ymd(Some(y), mo, None),
            has_day: false,
        });
    }
    // "tháng 5-6/2024": two months sharing their year.
    if range_dash(doc, i + 2) {
        let m2 = month(doc, i + 3).filter(|&m2| m2 > mo)?;
        let (y, end) = match trailing_year(doc, i + 4) {
            Some((y, end)) => (Some(y), end),
            None => (None, i + 4),
        };
        return (!code_follows(doc, end)).then(|| DateMatch {
            first: i,
            last: end,
            value: format!("{}/{}", ymd(y, mo, None), ymd(y, m2, None)),
            has_day: false,
        });
    }
    // "tháng 5/6": not a form of the guidelines.
    if doc.punct_in(i + 2, "/") && doc.is_num(i + 3) {
        return None;
    }
    m(i, i + 2, ymd(None, mo, None), false)
}

/// `quý Q …` at `i` ("qúy" folds like "quý").
fn quarter_unit_date(doc: &Doc, i: usize) -> Option<DateMatch> {
    if !doc.is(i, kw!("quý")) || !doc.same_line(i + 1) {
        return None;
    }
    let q = quarter(doc, i + 1)?;
    let (y, end) = match trailing_year(doc, i + 2) {
        Some((y, end)) => (Some(y), end),
        // "quý IV 2017": the year after a space.
        None => match year(doc, i + 2).filter(|_| doc.same_line(i + 2) && !doc.glued(i + 2)) {
            Some(y) => (Some(y), i + 3),
            None => (None, i + 2),
        },
    };
    let y = y.map_or("XXXX".to_string(), |y| format!("{y:04}"));
    m(i, end, format!("{y}-Q{q}"), false)
}

/// `năm Y [– Y]` at `i`.
fn year_unit_date(doc: &Doc, i: usize) -> Option<DateMatch> {
    if !doc.is(i, kw!("năm")) || !doc.same_line(i + 1) {
        return None;
    }
    year(doc, i + 1)?;
    if let Some((end, value)) = year_range(doc, i + 1) {
        return m(i, end, value, false);
    }
    if code_follows(doc, i + 2) {
        return None;
    }
    m(i, i + 2, doc.text_of(i + 1).to_string(), false)
}

/// A full date without a unit word: D/M/Y, D-M-Y, D.M.Y, a stamp's D/M/YY
/// or "D M Y".
fn bare_full_date(doc: &Doc, i: usize) -> Option<DateMatch> {
    if let Some((value, end)) = full_date(doc, i) {
        return (!code_follows(doc, end)).then_some(DateMatch {
            first: i,
            last: end,
            value,
            has_day: true,
        });
    }
    if let Some(value) = dotted_date(doc, i) {
        return (!code_follows(doc, i + 1)).then(|| DateMatch {
            first: i,
            last: i + 1,
            value,
            has_day: true,
        });
    }
    stamp_date(doc, i)
}

/// A page's time stamp: "28/05/13 03:21" (a two-digit year) or "08 08 2019"
/// (spaces), followed by a clock time or after a weekday.
fn stamp_date(doc: &Doc, i: usize) -> Option<DateMatch> {
    // D/M/YY before a clock time.
    if let Some((d, mo, end)) = day_month(doc, i) {
        let yy = doc.plain_int(end + 1).filter(|&(_, len)| len == 2).map(|(v, _)| v);
        if let (true, Some(yy)) = (sep(doc, end, "/") && doc.text_of(i + 1) == "/", yy) {
            let stamp = doc.same_line(end + 2) && !doc.glued(end + 2) && clock_at(doc, end + 2);
            let y = if yy < 50 { 2000 + yy } else { 1900 + yy };
            return stamp.then(|| DateMatch {
                first: i,
                last: end + 2,
                value: ymd(Some(y), mo, Some(d)),
                has_day: true,
            });
        }
        return None;
    }
    // D M Y with single spaces.
    let d = day(doc, i)?;
    let mo = month(doc, i + 1)?;
    let y = year(doc, i + 2)?;
    let spaced = (i + 1..=i + 2).all(|k| doc.same_line(k) && !doc.glued(k));
    let marked = weekday_before(doc, i) || (doc.same_line(i + 3) && clock_at(doc, i + 3));
    (spaced && marked && days_ok(d, mo)).then(|| DateMatch {
        first: i,
        last: i + 3,
        value: ymd(Some(y), mo, Some(d)),
        has_day: true,
    })
}

/// "Sáng 4/6": a day and month after a time-of-day word; the span is the numbers.
fn time_of_day_date(doc: &Doc, i: usize) -> Option<DateMatch> {
    if i == 0 || doc.longest(&lists().day_context, i - 1) != Some(i) {
        return None;
    }
    if let Some((value, end)) = dotted_day_month(doc, i) {
        return Some(DateMatch {
            first: i,
            last: end,
            value,
            has_day: true,
        });
    }
    let (d, mo, end) = day_month(doc, i)?;
    (!code_follows(doc, end) && !doc.punct_in(end, "/-")).then(|| DateMatch {
        first: i,
        last: end,
        value: ymd(None, mo, Some(d)),
        has_day: true,
    })
}

/// "từ 12/5 đến 15/5", "12/5 - 15/5/2024": a bare day and month that opens a
/// range closed by another day and month is a date (the second follows as a
/// coordinated day, or joins it into one interval after a dash).
fn range_start_day(doc: &Doc, i: usize) -> Option<DateMatch> {
    let (d, mo, end) = day_month(doc, i)?;
    let from = i > 0 && doc.is(i - 1, kw!("từ"));
    let link = (from && doc.is(end, kw!("đến"))) || range_dash(doc, end);
    let closed = link && doc.same_line(end) && day_month(doc, end + 1).is_some();
    (closed && !code_follows(doc, end) && doc.punct_in(i + 1, "/")).then(|| DateMatch {
        first: i,
        last: end,
        value: ymd(None, mo, Some(d)),
        has_day: true,
    })
}

/// M/Y without a unit word.
fn month_year_date(doc: &Doc, i: usize) -> Option<DateMatch> {
    let mo = month(doc, i)?;
    if !sep(doc, i + 1, "/") {
        return None;
    }
    let y = slash_year(doc, i + 1, 1800)?;
    (!code_follows(doc, i + 3)).then(|| DateMatch {
        first: i,
        last: i + 3,
        value: ymd(Some(y), mo, None),
        has_day: false,
    })
}

/// "D/M" coordinated with a preceding day date: "ngày 3/5 và 4/5".
fn coordinated_day(doc: &Doc, i: usize, prev: Option<&DateMatch>) -> Option<DateMatch> {
    let p = prev.filter(|p| p.has_day && p.last + 1 == i)?;
    let link = p.last;
    let linked = doc.punct_in(link, ",-–") || doc.is(link, kw!("và")) || doc.is(link, kw!("đến"));
    let (d, mo, end) = day_month(doc, i).filter(|_| linked)?;
    (!code_follows(doc, end)).then(|| DateMatch {
        first: i,
        last: end,
        value: ymd(None, mo, Some(d)),
        has_day: true,
    })
}

/// Words between "đến" and a year that ends a range: "đến cuối 2016".
fn range_end_word(doc: &Doc, i: usize) -> bool {
    [kw!("cuối"), kw!("hết"), kw!("đầu"), kw!("giữa"), kw!("năm")].contains(&doc.sym(i))
}

/// A bare year sharing the unit word of a year date before it ("năm 2010 và
/// 2011"), or ending a "từ … đến …" range ("từ năm 2017 đến 2021").
fn coordinated_year(doc: &Doc, i: usize, prev: Option<&DateMatch>) -> Option<DateMatch> {
    let y = year(doc, i)?;
    let p = prev.filter(|p| p.value.len() == 4 && p.last < i && i - p.last <= 2)?;
    let link = p.last;
    let shared = doc.punct_in(link, ",") || doc.is(link, kw!("và")) || doc.is(link, kw!("hoặc"));
    let ok = (i == link + 1 && (shared || from_to(doc, p.first, link)))
        || (i == link + 2 && from_to(doc, p.first, link) && range_end_word(doc, link + 1));
    (ok && (link..i).all(|k| doc.same_line(k + 1)) && !code_follows(doc, i + 1)).then(|| DateMatch {
        first: i,
        last: i + 1,
        value: y.to_string(),
        has_day: false,
    })
}

/// "từ" stands before token `first` and "đến" at `link`.
fn from_to(doc: &Doc, first: usize, link: usize) -> bool {
    first > 0 && doc.is(first - 1, kw!("từ")) && doc.is(link, kw!("đến"))
}

/// "từ 2013 đến cuối 2016": a bare year opening a range that a year closes.
fn range_start_year(doc: &Doc, i: usize) -> Option<DateMatch> {
    let y = year(doc, i)?;
    if i == 0 || !doc.is(i - 1, kw!("từ")) || !doc.is(i + 1, kw!("đến")) {
        return None;
    }
    let closes = year(doc, i + 2).is_some() || (range_end_word(doc, i + 2) && year(doc, i + 3).is_some());
    closes.then(|| DateMatch {
        first: i,
        last: i + 1,
        value: y.to_string(),
        has_day: false,
    })
}

/// The date starting at token `i`, if any.
fn date_at(doc: &Doc, i: usize, prev: Option<&DateMatch>) -> Option<DateMatch> {
    if doc.is_word(i) {
        return day_unit_date(doc, i)
            .or_else(|| month_unit_date(doc, i))
            .or_else(|| quarter_unit_date(doc, i))
            .or_else(|| year_unit_date(doc, i));
    }
    if !doc.is_num(i) || identifier_before(doc, i) {
        return None;
    }
    bare_full_date(doc, i)
        .or_else(|| time_of_day_date(doc, i))
        .or_else(|| range_start_day(doc, i))
        .or_else(|| month_year_date(doc, i))
        .or_else(|| year_range(doc, i).and_then(|(end, value)| m(i, end, value, false)))
        .or_else(|| coordinated_day(doc, i, prev))
        .or_else(|| coordinated_year(doc, i, prev))
        .or_else(|| range_start_year(doc, i))
}

/// "26/3/1931 - 26/3/2023", "ngày 7/2 - 12/2/2017": two dates of one shape
/// joined by a dash are one interval; a first end without a year takes the
/// second's.
fn join_interval(doc: &Doc, d: DateMatch) -> DateMatch {
    if !range_dash(doc, d.last) || d.value.contains('/') {
        return d;
    }
    let Some(d2) = date_at(doc, d.last + 1, Some(&d)) else {
        return d;
    };
    if d2.value.contains('/') || d.value.len() != d2.value.len() {
        return d;
    }
    let mut first = d.value.clone();
    if first.starts_with("XXXX") && !d2.value.starts_with("XXXX") {
        first.replace_range(..4, &d2.value[..4]);
    }
    DateMatch {
        first: d.first,
        last: d2.last,
        value: format!("{first}/{}", d2.value),
        has_day: d2.has_day,
    }
}

/// Every date in the document, in reading order, skipping chrome.
pub fn find_dates(doc: &Doc) -> Vec<DateMatch> {
    let mut out: Vec<DateMatch> = Vec::new();
    let mut i = 0;
    while i < doc.len() {
        if doc.toks[i].chrome {
            i += 1;
            continue;
        }
        match date_at(doc, i, out.last()) {
            Some(d) => {
                let d = join_interval(doc, d);
                i = d.last;
                out.push(d);
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expected`: (span text, value) of every date in `input`.
    fn check(input: &str, expected: &[(&str, &str)]) {
        let doc = Doc::new(input, &[]);
        let got: Vec<(&str, String)> = find_dates(&doc)
            .into_iter()
            .map(|d| (doc.slice(d.first, d.last), d.value))
            .collect();
        let want: Vec<(&str, String)> = expected.iter().map(|&(s, v)| (s, v.to_string())).collect();
        assert_eq!(got, want, "dates in {input:?}");
    }

    #[test]
    fn date_forms() {
        let table: &[(&str, &[(&str, &str)])] = &[
            ("Chiều ngày 7/3/2021, đoàn công tác", &[("ngày 7/3/2021", "2021-03-07")]),
            ("Ngày 02/09/2019 tại hội trường", &[("Ngày 02/09/2019", "2019-09-02")]),
            ("cập nhật 05/11/2022 09:15 bởi", &[("05/11/2022", "2022-11-05")]),
            ("sáng ngày 15/7, xã tổ chức", &[("ngày 15/7", "XXXX-07-15")]),
            (
                "ngày 15 tháng 7 năm 2021 tại",
                &[("ngày 15 tháng 7 năm 2021", "2021-07-15")],
            ),
            ("kế hoạch tháng 3/2022.", &[("tháng 3/2022", "2022-03")]),
            (
                "trong tháng 9 năm 2020 trên địa bàn",
                &[("tháng 9 năm 2020", "2020-09")],
            ),
            ("nhiệm vụ tháng 11; tổng kết", &[("tháng 11", "XXXX-11")]),
            ("Tháng 12 vừa qua", &[("Tháng 12", "XXXX-12")]),
            ("tiến độ quý III/2021", &[("quý III/2021", "2021-Q3")]),
            ("Quý 4/2020, sản lượng", &[("Quý 4/2020", "2020-Q4")]),
            ("sơ kết qúy IV và", &[("qúy IV", "XXXX-Q4")]),
            ("trong quý 2 năm 2023 có", &[("quý 2 năm 2023", "2023-Q2")]),
            ("năm 2019 đến nay", &[("năm 2019", "2019")]),
            ("Năm 2020, huyện", &[("Năm 2020", "2020")]),
            ("vụ Hè Thu 2019 – 2020 đạt", &[("2019 – 2020", "2019/2020")]),
            ("nhiệm kỳ 2015-2020", &[("2015-2020", "2015/2020")]),
            ("năm học 2021 - 2022 với", &[("2021 - 2022", "2021/2022")]),
            ("năm học 2021-2022", &[("2021-2022", "2021/2022")]),
            ("giai đoạn 2016–2020", &[("2016–2020", "2016/2020")]),
            ("năm 2021-2022 là", &[("năm 2021-2022", "2021/2022")]),
            ("trong 10/2022 đã", &[("10/2022", "2022-10")]),
            (
                "từ ngày 3/5 đến 7/5/2022",
                &[("ngày 3/5", "XXXX-05-03"), ("7/5/2022", "2022-05-07")],
            ),
            (
                "vụ 2 tháng cuối năm 2021 và cả năm 2022",
                &[("năm 2021", "2021"), ("năm 2022", "2022")],
            ),
            (
                "trong tháng 4 và cả năm 2021",
                &[("tháng 4", "XXXX-04"), ("năm 2021", "2021")],
            ),
            ("Sáng 4/6, đoàn", &[("4/6", "XXXX-06-04")]),
            ("Chiều 12-9, tại", &[("12-9", "XXXX-09-12")]),
            ("ngày 5-10-2023 tại", &[("ngày 5-10-2023", "2023-10-05")]),
            ("ban hành 20.11.2022 về", &[("20.11.2022", "2022-11-20")]),
            ("trong tháng 10-2023 có", &[("tháng 10-2023", "2023-10")]),
            ("mùng 2/9 hằng năm", &[("mùng 2/9", "XXXX-09-02")]),
            ("ngày 3/5 và 4/5", &[("ngày 3/5", "XXXX-05-03"), ("4/5", "XXXX-05-04")]),
            (
                "(12/4/1975 - 12/4/2025)",
                &[("12/4/1975 - 12/4/2025", "1975-04-12/2025-04-12")],
            ),
            ("ngày 4-5/6/2024 tại", &[("ngày 4-5/6/2024", "2024-06-04/2024-06-05")]),
            ("ngày 20 - 22/9 diễn ra", &[("ngày 20 - 22/9", "XXXX-09-20/XXXX-09-22")]),
            ("ngày 3/5 - 4/5", &[("ngày 3/5 - 4/5", "XXXX-05-03/XXXX-05-04")]),
            ("trong tháng 5-6/2023", &[("tháng 5-6/2023", "2023-05/2023-06")]),
            ("cập nhật 12/03/14 07:45 GMT+7", &[("12/03/14", "2014-03-12")]),
            ("Thứ hai, 17 08 2017 10:20", &[("17 08 2017", "2017-08-17")]),
            ("Ngày 14.5, xã tổ chức", &[("Ngày 14.5", "XXXX-05-14")]),
            ("Tối 19.5, tại nhà văn hóa", &[("19.5", "XXXX-05-19")]),
            (
                "diễn ra từ 12/5 đến 15/5 tại",
                &[("12/5", "XXXX-05-12"), ("15/5", "XXXX-05-15")],
            ),
            ("(12/5 - 15/5/2024)", &[("12/5 - 15/5/2024", "2024-05-12/2024-05-15")]),
            ("vào tháng 11.2023. Huyện", &[("tháng 11.2023", "2023-11")]),
            ("ngày 5.11.2021 tại", &[("ngày 5.11.2021", "2021-11-05")]),
            ("Tháng 2-2019, xã", &[("Tháng 2-2019", "2019-02")]),
            ("xong trong năm 2022.Bên cạnh đó", &[("năm 2022", "2022")]),
            ("được mùaNăm 2019 xã", &[("Năm 2019", "2019")]),
            ("các năm 2015 và 2016 đều", &[("năm 2015", "2015"), ("2016", "2016")]),
            ("từ năm 2012 đến 2015, xã", &[("năm 2012", "2012"), ("2015", "2015")]),
            ("(từ 2011 đến cuối 2014)", &[("2011", "2011"), ("2014", "2014")]),
            (
                "từ ngày 3/4 - 8/4/2018 tại",
                &[("ngày 3/4 - 8/4/2018", "2018-04-03/2018-04-08")],
            ),
            (
                "ngày 11 - 14/9/2020 tại",
                &[("ngày 11 - 14/9/2020", "2020-09-11/2020-09-14")],
            ),
            ("năm 2010 có 2015 người", &[("năm 2010", "2010")]),
            ("khởi công quý II 2021 và", &[("quý II 2021", "2021-Q2")]),
            ("theo lịch tháng 3/1020 cũ", &[("tháng 3/1020", "1020-03")]),
            (
                "từ tháng 3/2022 – tháng 5/2022",
                &[("tháng 3/2022 – tháng 5/2022", "2022-03/2022-05")],
            ),
        ];
        for &(input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn not_dates() {
        let table: &[&str] = &[
            "lũy kế 7 tháng đạt",
            "luỹ kế 3 tháng",
            "6 tháng đầu năm",
            "kế hoạch 5 năm",
            "cùng kỳ năm trước",
            "từ đầu năm",
            "lúc 14:30 cùng ngày",
            "Đại hội lần thứ XV",
            "xã Quý Sơn",
            "quý khách",
            "theo Quyết định số 12/2021/QĐ-UBND",
            "Công văn 5/2021/TT-BTC",
            "Số 12/2022 ngày",
            "mã 2021-01-15_0930 ảnh",
            "đạt 2.021 tấn",
            "lớp 10 trường",
            "tháng 13 ngày",
            "ngày 31/2 năm",
            "đạt 3/4 chỉ tiêu",
            "từ 5-10 người",
            "đạt 2/3 số hộ",
            "đạt 2/3/2024/NQ",
            "có 12 05 2019 hộ",
            "lúc 08:51 sáng",
            "cách đây 12/05/13 hộ",
            "2 tháng cuối năm",
        ];
        for &input in table {
            check(input, &[]);
        }
    }
}
