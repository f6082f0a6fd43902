//! Percentages and figures.
//!
//! ```text
//! percentage := NUM ("%" | "phần trăm")              -- 7,1%  17,9 %  12 phần trăm
//!             | NUM DASH NUM "%"                      -- 10,2-10,5%: two mentions, the first the number alone
//! amount     := NUM [MULT+ (NUM MULT)*]               -- 1.326,8 tỷ; 21,6 nghìn tỷ; 2 tỷ 285 triệu
//! figure     := amount UNIT                           -- 1.326,8 tỷ đồng, 20ha, 02 thôn, 771 tàu
//!             | NUM LINK amount UNIT                  -- 17/44 con tàu, 26 trên 42 chỉ tiêu, 28.000 - 34.000 tỷ đồng
//!             | figure "(" (LABEL ":" NUM ",")* ")"   -- 82 phòng (MN: 44, TH: 9): breakdown numbers
//! UNIT       := MEASURE ["2" | "3"]                   -- a unit of measure or currency (m 2 → m2)
//!             | COUNTED                               -- the longest counted-noun entry
//!             | WORD                                  -- otherwise the first syllable
//! LINK       := "/" | "trên" ["tổng số"] | "trong" | DASH | "đến" (after "từ")
//! ```
//! A figure stops before "/" (a rate: "8,6 triệu đồng/năm"). The number
//! before a LINK shares the unit and multiplier of the one after it.
//! Not quantities: numbers of dates, identifiers and ordinals (after an
//! identifier noun, an acronym or a proper name: "lớp 10", "TDP 4", "Vân
//! Đồn 1"; glued to letters or codes), clock times, phone numbers, quoted
//! expressions ("“4 nhà”"), numbers before a unit of time (durations, ages,
//! moments; crop seasons "6 vụ" in a text about seasons) or before a
//! function word.

use crate::kw;
use crate::number::Dec;
use crate::text::Doc;
use crate::vocab::lists;
use unicode_normalization::UnicodeNormalization;

#[derive(Clone, Debug, PartialEq)]
pub enum QValue {
    Percentage(f64),
    Figure { amount: Dec, unit: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct QMatch {
    pub first: usize,
    pub last: usize,
    pub value: QValue,
}

const DASHES: &str = "-–—";

fn number(doc: &Doc, i: usize) -> Option<Dec> {
    if doc.is_num(i) {
        Dec::parse(doc.text_of(i))
    } else {
        None
    }
}

/// `%` or "phần trăm" after the number at `i` (a space or no-break space may
/// separate them); the end of the sign.
fn percent_sign(doc: &Doc, i: usize) -> Option<usize> {
    if doc.punct_in(i + 1, "%") && doc.same_line(i + 1) {
        return Some(i + 2);
    }
    if doc.is(i + 1, kw!("phần")) && doc.is(i + 2, kw!("trăm")) && doc.same_line(i + 1) && doc.same_line(i + 2) {
        return Some(i + 3);
    }
    None
}

/// The percentages starting at `i`: "7,1%", or "10,2-10,5%" (two mentions).
fn percentages(doc: &Doc, i: usize) -> Option<Vec<QMatch>> {
    if doc.glued(i) && doc.is_word(i.wrapping_sub(1)) {
        return None;
    }
    let pct = |first: usize, last: usize| QMatch {
        first,
        last,
        value: QValue::Percentage(number(doc, first).map_or(f64::NAN, Dec::to_f64)),
    };
    if let Some(end) = percent_sign(doc, i) {
        return Some(vec![pct(i, end)]);
    }
    // A range whose last number alone carries the sign.
    let from = i > 0 && doc.is(i - 1, kw!("từ"));
    let link = (doc.punct_in(i + 1, DASHES) || (from && doc.is(i + 1, kw!("đến")))) && doc.same_line(i + 1);
    if link && doc.same_line(i + 2) && number(doc, i + 2).is_some() {
        if let Some(end) = percent_sign(doc, i + 2) {
            return Some(vec![pct(i, i + 1), pct(i + 2, end)]);
        }
    }
    None
}

/// A number read with its multipliers: the amount, its end, and the power of
/// ten of its first multiplier (0 when none).
fn amount(doc: &Doc, i: usize) -> Option<(Dec, usize, u32)> {
    let n = number(doc, i)?;
    let mut j = i + 1;
    let Some(mut exp) = multiplier_at(doc, j) else {
        return Some((n, j, 0));
    };
    j += 1;
    // "nghìn tỷ": stacked multipliers multiply.
    while let Some(e2) = multiplier_at(doc, j).filter(|&e2| e2 > exp) {
        exp += e2;
        j += 1;
    }
    let first_exp = exp;
    let mut total = n.shift(exp);
    // Compound amounts: "12 tỷ 40 triệu".
    while let (Some(n2), Some(e2)) = (number(doc, j), multiplier_at(doc, j + 1)) {
        if e2 >= exp || !n2.is_integer() || !doc.same_line(j) {
            break;
        }
        total = total.plus(n2.shift(e2));
        exp = e2;
        j += 2;
    }
    Some((total, j, first_exp))
}

fn multiplier_at(doc: &Doc, i: usize) -> Option<u32> {
    if !doc.same_line(i) || !doc.is_word(i) {
        return None;
    }
    doc.longest_tagged(&lists().multipliers, i).map(|(_, exp)| exp)
}

/// Which rule of C15 found a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UnitRule {
    Measure,
    Counted,
    Syllable,
}

/// The lower-case NFC text of tokens `a..b`, glued parts without a space.
fn unit_text(doc: &Doc, a: usize, b: usize) -> String {
    let mut out = String::new();
    for k in a..b {
        if k > a && !doc.glued(k) {
            out.push(' ');
        }
        out.extend(doc.text_of(k).nfc().flat_map(char::to_lowercase));
    }
    out
}

/// The unit of measure at `i`, with a square or cubic exponent after it
/// ("m2", "m 2", "km²"): its end and its text.
fn measure_unit(doc: &Doc, i: usize) -> Option<(usize, String)> {
    let mut end = doc.longest(&lists().measure_units, i)?;
    let mut text = unit_text(doc, i, end);
    if [kw!("m"), kw!("km"), kw!("cm")].contains(&doc.sym(end - 1))
        && doc.same_line(end)
        && matches!(doc.text_of(end), "2" | "3" | "²" | "³")
        && !(doc.glued(end + 1) && (doc.is_word(end + 1) || doc.is_num(end + 1)))
    {
        text.push(match doc.text_of(end) {
            "²" | "2" => '2',
            _ => '3',
        });
        end += 1;
    }
    Some((end, text))
}

/// A proper name starts at `i`: a place, or a surname followed by another
/// capitalised syllable.
fn proper_name(doc: &Doc, i: usize) -> bool {
    let l = lists();
    doc.longest(&l.places, i).is_some()
        || (doc.longest(&l.surnames, i).is_some() && doc.title_case(i + 1) && doc.same_line(i + 1))
}

/// A word that may be a counted noun by the third rule of C15: not a
/// function word, not a unit of time, not a proper name ("5 Bằng khen" is
/// counted, "2 Nguyễn Văn …" is not).
fn countable_word(doc: &Doc, i: usize, crop_seasons: bool) -> bool {
    let l = lists();
    doc.is_word(i)
        && (doc.acronym(i) || !doc.toks[i].upper_first || !proper_name(doc, i))
        && doc.longest(&l.not_counted, i).is_none()
        && doc.longest(&l.time_units, i).is_none()
        && !(crop_seasons && doc.is(i, kw!("vụ")))
        // "0,5 điểm phần trăm" is a difference of percentages.
        && !(doc.is(i + 1, kw!("phần")) && doc.is(i + 2, kw!("trăm")))
}

/// The unit or counted noun at `i` (C15): its end, text and rule.
fn unit_at(doc: &Doc, i: usize, crop_seasons: bool) -> Option<(usize, String, UnitRule)> {
    if !doc.same_line(i) || !doc.is_word(i) {
        return None;
    }
    let counted = doc.longest(&lists().counted_nouns, i);
    let measure = measure_unit(doc, i).filter(|&(end, _)| counted.is_none_or(|c| c <= end));
    // A counted noun longer than the unit it starts with is one word: "đồng chí".
    let (end, text, rule) = if let Some((end, text)) = measure {
        (end, text, UnitRule::Measure)
    } else if let Some(end) = counted {
        (end, unit_text(doc, i, end), UnitRule::Counted)
    } else if countable_word(doc, i, crop_seasons) {
        (i + 1, unit_text(doc, i, i + 1), UnitRule::Syllable)
    } else {
        return None;
    };
    // A unit glued to a following word is part of a longer word or code.
    if doc.glued(end) && doc.is_word(end) {
        return None;
    }
    Some((end, text, rule))
}

/// The token before `i` opens a sentence or a line.
fn sentence_start(doc: &Doc, i: usize) -> bool {
    i == 0 || !doc.same_line(i) || doc.punct_in(i - 1, ".!?:;“\"(")
}

/// How the number at `i` is named by what stands before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Named {
    No,
    /// After an acronym or a proper name ("TDP 4", "Vân Đồn 1"): a unit of
    /// measure after it still makes a figure ("Hồng Quang 332 ha").
    ByName,
    /// After an identifier noun ("lớp 10", "Nghị định 16"), or continuing a
    /// list of identifiers ("quận 1, 3, 5").
    ByNoun,
}

fn named_number(doc: &Doc, i: usize, identifiers: &[bool]) -> Named {
    if i == 0 || !doc.same_line(i) {
        return Named::No;
    }
    let prev = i - 1;
    if let Some(p) = doc.ending_at(&lists().identifier_prefixes, i) {
        // "tổng số 54 doanh nghiệp", "trong số 20 người", "dân số 3.000 người" count.
        let counting =
            doc.is(p, kw!("số")) && p > 0 && [kw!("tổng"), kw!("trong"), kw!("dân")].contains(&doc.sym(p - 1));
        if !counting {
            return Named::ByNoun;
        }
    }
    if (doc.punct_in(prev, ",") || doc.is(prev, kw!("và"))) && prev > 0 && identifiers[prev - 1] {
        return Named::ByNoun;
    }
    if doc.acronym(prev) || (doc.title_case(prev) && !sentence_start(doc, prev)) {
        return Named::ByName;
    }
    Named::No
}

/// The number at `i` cannot be a quantity whatever follows: glued to a word
/// or a code, a clock time, a quoted expression ("“4 nhà”").
fn not_a_quantity(doc: &Doc, i: usize) -> bool {
    let prev = i.wrapping_sub(1);
    if doc.glued(i) && (doc.is_word(prev) || doc.is_num(prev) || doc.punct_in(prev, "/-._:#№+")) {
        // A rate's denominator that is itself a figure: "1.040 vụ/562 đối tượng".
        let after_rate = doc.punct_in(prev, "/") && doc.is_word(prev.wrapping_sub(1));
        // A space gone missing after a word: "là10,3 km".
        let missing_space = doc.is_word(prev)
            && !doc.toks[prev].upper_first
            && doc.text_of(prev).chars().count() >= 2
            && measure_unit(doc, i + 1).is_some();
        if !(after_rate || missing_space) {
            return true;
        }
    }
    let next = i + 1;
    // A clock time or a code on the right: "14:30", "14h30", "12_5".
    if doc.glued(next) && doc.punct_in(next, ":_") && doc.glued(next + 1) {
        return true;
    }
    // A quoted expression: "“4 nhà”", "\"3 cùng\"".
    if doc.punct_in(prev, "“\"") && (i + 1..i + 4).any(|k| doc.punct_in(k, "”\"")) {
        return true;
    }
    false
}

/// The text speaks of crop seasons ("vụ xuân", "vụ mùa", "vụ đông", "vụ hè
/// thu", "vụ lúa"): "6 vụ" counts seasons, a span of time.
fn mentions_crop_seasons(doc: &Doc) -> bool {
    let seasons = [
        kw!("xuân"),
        kw!("mùa"),
        kw!("đông"),
        kw!("hè"),
        kw!("chiêm"),
        kw!("lúa"),
    ];
    (1..doc.len()).any(|k| doc.is(k - 1, kw!("vụ")) && seasons.contains(&doc.sym(k)))
}

/// What may link two numbers sharing a unit at `j` (after the number at
/// `i`): the index of the second number.
fn shared_link(doc: &Doc, i: usize, j: usize) -> Option<usize> {
    if !doc.same_line(j) {
        return None;
    }
    let b = if doc.punct_in(j, "/") && doc.glued(j) && doc.glued(j + 1) {
        j + 1
    } else if doc.is(j, kw!("trên")) {
        if doc.is(j + 1, kw!("tổng")) && doc.is(j + 2, kw!("số")) {
            j + 3
        } else {
            j + 1
        }
    } else if doc.is(j, kw!("trong"))
        || doc.punct_in(j, DASHES)
        || (i > 0 && doc.is(i - 1, kw!("từ")) && doc.is(j, kw!("đến")))
    {
        j + 1
    } else {
        return None;
    };
    (doc.same_line(b) && doc.is_num(b)).then_some(b)
}

/// Numbers of a breakdown right after a figure: "82 phòng (MN: 44, TH: 9)".
fn breakdown(doc: &Doc, open: usize, unit: &str, used: &[bool], out: &mut Vec<QMatch>) -> usize {
    if !doc.punct_in(open, "(") || !doc.same_line(open) {
        return open;
    }
    let Some(close) = (open + 1..(open + 40).min(doc.len())).find(|&k| doc.punct_in(k, ")") || !doc.same_line(k))
    else {
        return open;
    };
    if !doc.punct_in(close, ")") {
        return open;
    }
    let mut found = Vec::new();
    for (k, &taken) in used.iter().enumerate().take(close).skip(open + 1) {
        if doc.is_num(k) && doc.punct_in(k - 1, ":") && !taken && (doc.punct_in(k + 1, ",;)") || k + 1 == close) {
            if let Some(amount) = number(doc, k) {
                found.push(QMatch {
                    first: k,
                    last: k + 1,
                    value: QValue::Figure {
                        amount,
                        unit: unit.to_string(),
                    },
                });
            }
        }
    }
    if found.is_empty() {
        return open;
    }
    out.extend(found);
    close + 1
}

/// Every percentage and figure, skipping tokens in `used` (dates) and chrome.
pub fn find_quantities(doc: &Doc, used: &[bool]) -> Vec<QMatch> {
    let crop_seasons = mentions_crop_seasons(doc);
    let mut identifiers = vec![false; doc.len()];
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.len() {
        if !doc.is_num(i) || used[i] || doc.toks[i].chrome {
            i += 1;
            continue;
        }
        if let Some(ps) = percentages(doc, i) {
            i = ps.last().map_or(i + 1, |p| p.last);
            out.extend(ps);
            continue;
        }
        if not_a_quantity(doc, i) {
            i += 1;
            continue;
        }
        let named = named_number(doc, i, &identifiers);
        identifiers[i] = named == Named::ByNoun;
        let Some((amt, j, _)) = amount(doc, i) else {
            i += 1;
            continue;
        };
        if let Some((end, unit, rule)) = unit_at(doc, j, crop_seasons) {
            // A glued word that is no unit makes a code ("5A", "8h").
            let glued_unit = doc.glued(j);
            let measured = rule == UnitRule::Measure && (glued_unit || named == Named::ByName);
            if (glued_unit && rule != UnitRule::Measure) || (named != Named::No && !measured) {
                i = end;
                continue;
            }
            out.push(QMatch {
                first: i,
                last: end,
                value: QValue::Figure {
                    amount: amt,
                    unit: unit.clone(),
                },
            });
            i = breakdown(doc, end, &unit, used, &mut out);
            continue;
        }
        if named != Named::No || doc.glued(j) && doc.is_word(j) {
            i += 1;
            continue;
        }
        // "17/44 con tàu", "26 trên 42 chỉ tiêu", "28.000 - 34.000 tỷ đồng":
        // the first number shares the second's multiplier and unit.
        if j == i + 1 {
            if let Some(b) = shared_link(doc, i, j).filter(|&b| !used[b]) {
                if let Some((amt2, j2, exp2)) = amount(doc, b) {
                    if let Some((end2, unit, _)) =
                        unit_at(doc, j2, crop_seasons).filter(|_| !doc.glued(j2) || measure_unit(doc, j2).is_some())
                    {
                        out.push(QMatch {
                            first: i,
                            last: i + 1,
                            value: QValue::Figure {
                                amount: amt.shift(exp2),
                                unit: unit.clone(),
                            },
                        });
                        out.push(QMatch {
                            first: b,
                            last: end2,
                            value: QValue::Figure { amount: amt2, unit },
                        });
                        i = end2;
                        continue;
                    }
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    enum Want {
        P(&'static str, f64),
        F(&'static str, f64, &'static str),
    }
    use Want::{F, P};

    fn check(input: &str, expected: &[Want]) {
        let doc = Doc::new(input, &[]);
        let used = vec![false; doc.len()];
        let got: Vec<String> = find_quantities(&doc, &used)
            .into_iter()
            .map(|q| match q.value {
                QValue::Percentage(v) => format!("P {:?} {v}", doc.slice(q.first, q.last)),
                QValue::Figure { amount, unit } => {
                    format!("F {:?} {} {unit}", doc.slice(q.first, q.last), amount.to_f64())
                }
            })
            .collect();
        let want: Vec<String> = expected
            .iter()
            .map(|w| match w {
                P(s, v) => format!("P {s:?} {v}"),
                F(s, a, u) => format!("F {s:?} {a} {u}"),
            })
            .collect();
        assert_eq!(got, want, "quantities in {input:?}");
    }

    #[test]
    fn percentages() {
        let table: &[(&str, &[Want])] = &[
            ("tăng 12,5% so với", &[P("12,5%", 12.5)]),
            ("giảm 3,25 % so với", &[P("3,25 %", 3.25)]),
            ("đạt 40\u{a0}% kế hoạch", &[P("40\u{a0}%", 40.0)]),
            ("tỷ lệ >75% số hộ", &[P("75%", 75.0)]),
            ("đạt trên 95% và dưới 60%", &[P("95%", 95.0), P("60%", 60.0)]),
            ("hoàn thành 100% chỉ tiêu", &[P("100%", 100.0)]),
            ("tăng 8 phần trăm", &[P("8 phần trăm", 8.0)]),
            ("khoảng 0,5% dân số", &[P("0,5%", 0.5)]),
            ("tăng trưởng 8,5-9% năm", &[P("8,5", 8.5), P("9%", 9.0)]),
            ("giảm từ 5 đến 7 % so", &[P("5", 5.0), P("7 %", 7.0)]),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn figures() {
        let table: &[(&str, &[Want])] = &[
            (
                "ước đạt 2.417,3 tỷ đồng, tăng",
                &[F("2.417,3 tỷ đồng", 2_417_300_000_000.0, "đồng")],
            ),
            (
                "thu 12 tỷ 40 triệu đồng",
                &[F("12 tỷ 40 triệu đồng", 12_040_000_000.0, "đồng")],
            ),
            ("hỗ trợ 500.000 đồng mỗi", &[F("500.000 đồng", 500_000.0, "đồng")]),
            ("khoảng 1,5 nghìn người", &[F("1,5 nghìn người", 1500.0, "người")]),
            ("sản lượng 18.250 tấn lúa", &[F("18.250 tấn", 18250.0, "tấn")]),
            ("trồng 35,5 ha rừng", &[F("35,5 ha", 35.5, "ha")]),
            ("xây 12km đường", &[F("12km", 12.0, "km")]),
            ("thêm 03 xã đạt chuẩn", &[F("03 xã", 3.0, "xã")]),
            ("có 15 Doanh nghiệp mới", &[F("15 Doanh nghiệp", 15.0, "doanh nghiệp")]),
            ("04 nhiệm vụ cấp bách", &[F("04 nhiệm vụ", 4.0, "nhiệm vụ")]),
            (
                "05 Chương trình hành động",
                &[F("05 Chương trình", 5.0, "chương trình")],
            ),
            ("cấp 350 giấy chứng nhận", &[F("350 giấy", 350.0, "giấy")]),
            ("xử lý 14 trường hợp vi phạm", &[F("14 trường hợp", 14.0, "trường hợp")]),
            (
                "có 18 trên 25 tiêu chí đạt",
                &[F("18", 18.0, "tiêu chí"), F("25 tiêu chí", 25.0, "tiêu chí")],
            ),
            ("giảm 2 vụ so với", &[F("2 vụ", 2.0, "vụ")]),
            ("đào tạo 1.200 lao động", &[F("1.200 lao động", 1200.0, "lao động")]),
            (
                "vốn 1,2 nghìn tỷ đồng",
                &[F("1,2 nghìn tỷ đồng", 1_200_000_000_000.0, "đồng")],
            ),
            ("xã có 3.450 nhân khẩu", &[F("3.450 nhân khẩu", 3450.0, "nhân khẩu")]),
            ("xây 250 m2 nhà", &[F("250 m2", 250.0, "m2")]),
            ("nâng tổng số lên 9/12 xã", &[F("9", 9.0, "xã"), F("12 xã", 12.0, "xã")]),
            ("Tổng số 14 chỉ tiêu", &[F("14 chỉ tiêu", 14.0, "chỉ tiêu")]),
            ("thông qua 07 nghị quyết", &[F("07 nghị quyết", 7.0, "nghị quyết")]),
            (
                "nạo vét 12 kênh mương nội đồng",
                &[F("12 kênh mương", 12.0, "kênh mương")],
            ),
            ("có 5 chiếc tàu cá", &[F("5 chiếc tàu", 5.0, "chiếc tàu")]),
            ("bàn giao 7 căn nhà", &[F("7 căn", 7.0, "căn")]),
            ("hỗ trợ 3 DN mới", &[F("3 DN", 3.0, "dn")]),
            ("trao 5 Bằng khen cho", &[F("5 Bằng", 5.0, "bằng")]),
            ("tăng gấp 1,5 lần so", &[F("1,5 lần", 1.5, "lần")]),
            ("chở 3.200 bao gạo", &[F("3.200 bao", 3200.0, "bao")]),
            ("đường dây 220kV mới", &[F("220kV", 220.0, "kv")]),
            ("xây 1.200 m 2 nhà", &[F("1.200 m 2", 1200.0, "m2")]),
            ("giá 7,5 triệu đồng/tấn", &[F("7,5 triệu đồng", 7_500_000.0, "đồng")]),
            ("thu 0,05USD/kWh", &[F("0,05USD", 0.05, "usd")]),
            (
                "bắt 12 vụ/20 đối tượng",
                &[F("12 vụ", 12.0, "vụ"), F("20 đối tượng", 20.0, "đối tượng")],
            ),
            (
                "vốn từ 2 đến 3 tỷ đồng",
                &[F("2", 2e9, "đồng"), F("3 tỷ đồng", 3e9, "đồng")],
            ),
            (
                "lãi 12.000 - 15.000 tỷ đồng",
                &[F("12.000", 1.2e13, "đồng"), F("15.000 tỷ đồng", 1.5e13, "đồng")],
            ),
            ("kết nạp 8 đồng chí", &[F("8 đồng chí", 8.0, "đồng chí")]),
            ("xã Tân Hòa 120 ha lúa", &[F("120 ha", 120.0, "ha")]),
            ("hơn 2,3 vạn người", &[F("2,3 vạn người", 23000.0, "người")]),
            (
                "thu 2 tỷ 150 triệu đồng",
                &[F("2 tỷ 150 triệu đồng", 2_150_000_000.0, "đồng")],
            ),
            (
                "có 30 phòng (MN: 12, TH: 18) mới",
                &[
                    F("30 phòng", 30.0, "phòng"),
                    F("12", 12.0, "phòng"),
                    F("18", 18.0, "phòng"),
                ],
            ),
            ("là 1 trong 5 DN lớn", &[F("1", 1.0, "dn"), F("5 DN", 5.0, "dn")]),
            ("kết nạp 9 đ/c mới", &[F("9 đ/c", 9.0, "đ/c")]),
            ("xã có dân số 12.500 người", &[F("12.500 người", 12500.0, "người")]),
            ("đường trục là12,5 km", &[F("12,5 km", 12.5, "km")]),
        ];
        for (input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn crop_seasons_are_time() {
        check(
            "trồng lúa vụ mùa; sau 6 vụ khảo nghiệm, xã có 12 hộ",
            &[F("12 hộ", 12.0, "hộ")],
        );
        check(
            "bắt 6 vụ buôn lậu, 12 hộ",
            &[F("6 vụ", 6.0, "vụ"), F("12 hộ", 12.0, "hộ")],
        );
    }

    #[test]
    fn not_figures() {
        let table: &[&str] = &[
            "tuyển sinh lớp 10 năm",
            "vào lớp 6 trường",
            "thực hiện đề án 06 của",
            "đô thị loại III",
            "Số 12 đường Trần Phú",
            "TDP 5 thị trấn",
            "theo phương châm 3 cùng với",
            "Điện thoại 0236.3812345 xã",
            "lúc 8:30 người dân",
            "lúc 8h30 người dân",
            "trong 5 tháng đầu năm",
            "kế hoạch 5 năm",
            "trẻ em dưới 5 tuổi",
            "mỗi xã một sản phẩm",
            "tổng số 8783978",
            "Quốc lộ 1A xã",
            "đạt 925 tỷ, tăng",
            "lần thứ 3 người",
            "tăng 0,5 điểm phần trăm",
            "phòng COVID-19 xã",
            "theo văn bản 12/5 hộ",
            "tỷ lệ 3/4 số",
            "theo Nghị định 15 của Chính phủ",
            "nhân dân ấp Tân Phú 3 đã",
            "Ban Chỉ đạo 127 tỉnh họp",
            "liên kết giữa “3 nhà” để",
            "các quận 3, 5 thực hiện",
            "từ 3 đến 5 năm",
            "chiếm 1/10 chiều dài",
            "sau 8h sáng",
            "mã số 12A chợ",
            "cùng 1 thời điểm",
            "có 2 Nguyễn Văn Tâm",
            "từ 3 Hà Nội đến",
        ];
        for &input in table {
            check(input, &[]);
        }
    }
}
