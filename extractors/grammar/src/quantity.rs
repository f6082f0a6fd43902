//! Percentages and figures.
//!
//! ```text
//! percentage := NUM ["%" | "phần trăm"]          -- 7,1%  17,9 %  12 phần trăm
//! amount     := NUM [MULT (NUM MULT)*]           -- 1.326,8 tỷ; 12 tỷ 40 triệu
//! figure     := amount UNIT                      -- 1.326,8 tỷ đồng, 02 thôn
//!             | NUM ("trên" | "/") amount UNIT   -- 18 trên 25 tiêu chí: "18" shares the unit
//! ```
//! A number is not a quantity when it is an identifier or an ordinal (after
//! "lớp", "đề án", "loại", "Số", an acronym such as "TDP"; glued to letters or
//! to a code), a clock time, a phone number, or part of a date.

use crate::kw;
use crate::number::Dec;
use crate::text::Doc;
use crate::vocab::lists;

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

fn number(doc: &Doc, i: usize) -> Option<Dec> {
    if doc.is_num(i) {
        Dec::parse(doc.text_of(i))
    } else {
        None
    }
}

/// `%` after the number at `i` (a space or no-break space may separate them).
fn percent_sign(doc: &Doc, i: usize) -> Option<usize> {
    if doc.punct_in(i + 1, "%") && doc.same_line(i + 1) {
        return Some(i + 2);
    }
    if doc.is(i + 1, kw!("phần")) && doc.is(i + 2, kw!("trăm")) && doc.same_line(i + 1) && doc.same_line(i + 2) {
        return Some(i + 3);
    }
    None
}

/// The number at `i` belongs to an identifier, an ordinal, a clock time or a
/// code rather than a quantity.
fn not_a_quantity(doc: &Doc, i: usize, ratio: bool) -> bool {
    let prev = i.wrapping_sub(1);
    // Glued to a word or a code on the left: "QL1A", "A5", "12/5", "CV-05".
    if doc.glued(i) && (doc.is_word(prev) || doc.is_num(prev) || doc.punct_in(prev, "/-._:#№")) {
        return true;
    }
    // A clock time or a code on the right: "14:30", "14h30", "12/5".
    let next = i + 1;
    if !ratio && doc.glued(next) && doc.punct_in(next, ":/_") && doc.glued(next + 1) {
        return true;
    }
    if doc.glued(next) && doc.is(next, kw!("h")) && doc.glued(next + 1) && doc.is_num(next + 1) {
        return true;
    }
    // After an identifier noun or an acronym: "lớp 10", "đề án 06", "TDP 4"
    // (but "tổng số 54 doanh nghiệp", "trong số 20 người" count).
    if let Some(p) = doc
        .ending_at(&lists().identifier_prefixes, i)
        .filter(|_| doc.same_line(i))
    {
        let counting =
            doc.is(p, kw!("số")) && (doc.is(p.wrapping_sub(1), kw!("tổng")) || doc.is(p.wrapping_sub(1), kw!("trong")));
        if !counting {
            return true;
        }
    }
    if doc.same_line(i) && doc.acronym(prev) {
        return true;
    }
    false
}

/// Reads `NUM [MULT (NUM MULT)*]` at `i`; returns the amount and the end.
fn amount(doc: &Doc, i: usize) -> Option<(Dec, usize)> {
    let n = number(doc, i)?;
    let mut j = i + 1;
    let Some(mut exp) = multiplier_at(doc, j) else {
        return Some((n, j));
    };
    j += 1;
    // "nghìn tỷ": stacked multipliers.
    while let Some(e2) = multiplier_at(doc, j).filter(|&e2| e2 > exp) {
        exp += e2;
        j += 1;
    }
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
    Some((total, j))
}

fn multiplier_at(doc: &Doc, i: usize) -> Option<u32> {
    if !doc.same_line(i) || !doc.is_word(i) {
        return None;
    }
    doc.longest_tagged(&lists().multipliers, i).map(|(_, exp)| exp)
}

/// The unit or counted noun at `i`: its end and its lower-case text.
fn unit(doc: &Doc, i: usize) -> Option<(usize, String)> {
    if !doc.same_line(i) {
        return None;
    }
    let mut end = doc.longest(&lists().units, i)?;
    // m2, km², m³: a glued exponent.
    if doc.glued(end)
        && matches!(doc.text_of(end), "2" | "3" | "²" | "³")
        && [kw!("m"), kw!("km"), kw!("cm")].contains(&doc.sym(end - 1))
    {
        end += 1;
    }
    // A unit glued to a following word is part of a longer word or code.
    if doc.glued(end) && doc.is_word(end) {
        return None;
    }
    // "0,5 điểm phần trăm" is a difference of percentages, not a count.
    if doc.is(end, kw!("phần")) && doc.is(end + 1, kw!("trăm")) {
        return None;
    }
    let words: Vec<String> = (i..end).map(|k| doc.text_of(k).to_lowercase()).collect();
    let mut unit = String::new();
    for (k, w) in words.iter().enumerate() {
        if k > 0 && !doc.glued(i + k) {
            unit.push(' ');
        }
        unit.push_str(w);
    }
    Some((end, unit))
}

/// Every percentage and figure, skipping tokens in `used` (dates) and chrome.
pub fn find_quantities(doc: &Doc, used: &[bool]) -> Vec<QMatch> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.len() {
        if !doc.is_num(i) || used[i] || doc.toks[i].chrome {
            i += 1;
            continue;
        }
        let Some(n) = number(doc, i) else {
            i += 1;
            continue;
        };
        if let Some(end) = percent_sign(doc, i) {
            if !(doc.glued(i) && doc.is_word(i.wrapping_sub(1))) {
                out.push(QMatch {
                    first: i,
                    last: end,
                    value: QValue::Percentage(n.to_f64()),
                });
            }
            i = end;
            continue;
        }
        // "11/13 xã": a ratio whose two numbers share the unit.
        let ratio = doc.punct_in(i + 1, "/") && doc.glued(i + 1) && doc.glued(i + 2) && doc.is_num(i + 2);
        if not_a_quantity(doc, i, ratio) {
            i += 1;
            continue;
        }
        let Some((amt, j)) = amount(doc, i) else {
            i += 1;
            continue;
        };
        if let Some((end, u)) = unit(doc, j) {
            out.push(QMatch {
                first: i,
                last: end,
                value: QValue::Figure { amount: amt, unit: u },
            });
            i = end;
            continue;
        }
        // "18 trên 25 tiêu chí", "5/12 xã": the first number shares the unit.
        if j == i + 1 {
            let link = j;
            let linked = (doc.is(link, kw!("trên")) && doc.same_line(link))
                || (doc.punct_in(link, "/") && doc.glued(link) && doc.glued(link + 1));
            if linked && !used.get(link + 1).copied().unwrap_or(true) {
                if let Some((amt2, j2)) = amount(doc, link + 1) {
                    if let Some((end2, u)) = unit(doc, j2) {
                        out.push(QMatch {
                            first: i,
                            last: i + 1,
                            value: QValue::Figure {
                                amount: amt,
                                unit: u.clone(),
                            },
                        });
                        out.push(QMatch {
                            first: link + 1,
                            last: end2,
                            value: QValue::Figure { amount: amt2, unit: u },
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
        ];
        for (input, expected) in table {
            check(input, expected);
        }
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
        ];
        for &input in table {
            check(input, &[]);
        }
    }
}
