//! A rule-based extractor for Vietnamese local-government news: a tokenizer
//! ([`text`]) over an interned vocabulary ([`vocab`], the word lists in
//! `vocab/*.txt`), page-chrome detection ([`chrome`]), and a small grammar of
//! constructions over the token stream (see the module docs of [`date`],
//! [`quantity`] and [`official`]). README.md states the grammar per field.

pub mod chrome;
pub mod date;
pub mod number;
pub mod official;
pub mod quantity;
pub mod text;
pub mod vocab;

use extractor_api::{export_plugin, Document, Figure, Mention, Official, Percentage, Value};
use quantity::QValue;
use std::ops::Range;
use text::Doc;

/// Extracts every date, official, figure and percentage from one article.
pub fn extract(doc: &Document) -> Vec<Mention> {
    let mut tokens = Doc::new(doc.text, &[]);
    let chrome = chrome::chrome_ranges(&tokens);
    tokens.mark_chrome(&chrome);
    let mut found: Vec<(Range<usize>, Value)> = Vec::new();

    let dates = date::find_dates(&tokens);
    let mut used = vec![false; tokens.len()];
    for d in dates {
        used[d.first..d.last].iter_mut().for_each(|u| *u = true);
        found.push((tokens.span(d.first, d.last), Value::Date(d.value)));
    }
    for q in quantity::find_quantities(&tokens, &used) {
        let value = match q.value {
            QValue::Percentage(value) => Value::Percentage(Percentage { value }),
            QValue::Figure { amount, unit } => Value::Figure(Figure {
                amount: amount.to_f64(),
                unit,
            }),
        };
        found.push((tokens.span(q.first, q.last), value));
    }
    for o in official::find_officials(&tokens) {
        let name = tokens.slice(o.first, o.last).to_string();
        found.push((
            tokens.span(o.first, o.last),
            Value::Official(Official { name, titles: o.titles }),
        ));
    }

    // Nothing inside page chrome (both in bytes, chrome sorted by start).
    found.retain(|(span, _)| {
        let k = chrome.partition_point(|r| r.end <= span.start);
        !chrome[k..]
            .iter()
            .take_while(|r| r.start < span.end)
            .any(|r| span.start < r.end)
    });
    found.sort_by_key(|(span, _)| (span.start, span.end));
    to_mentions(doc.text, found)
}

/// Mentions with code point offsets, counted in one pass over the text for
/// all the byte offsets at once.
fn to_mentions(text: &str, found: Vec<(Range<usize>, Value)>) -> Vec<Mention> {
    let mut bytes: Vec<usize> = found.iter().flat_map(|(r, _)| [r.start, r.end]).collect();
    bytes.sort_unstable();
    bytes.dedup();
    let mut chars = Vec::with_capacity(bytes.len());
    let (mut at, mut count) = (0, 0);
    for &b in &bytes {
        // Code points start at every byte that is not a UTF-8 continuation byte.
        count += text.as_bytes()[at..b].iter().filter(|&&x| (x as i8) >= -0x40).count();
        at = b;
        chars.push(count);
    }
    let char_of = |b: usize| chars[bytes.binary_search(&b).expect("offset collected")];
    found
        .into_iter()
        .map(|(r, value)| Mention {
            start: char_of(r.start),
            end: char_of(r.end),
            text: text[r].to_string(),
            value,
        })
        .collect()
}

export_plugin! {
    name: "grammar",
    version: env!("CARGO_PKG_VERSION"),
    fields: [date, official, figure, percentage],
    extract: extract,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_code_points_and_text_matches() {
        let text = "Ông Trần Văn Hải - Chủ tịch UBND xã cho biết, quý II/2022 xã thu 1.250,5 triệu đồng, đạt 41,5\u{a0}%.\n\nTin, ảnh: Minh Khoa";
        let found = extract(&Document { id: "t", text });
        let chars: Vec<char> = text.chars().collect();
        for m in &found {
            let covered: String = chars[m.start..m.end].iter().collect();
            assert_eq!(covered, m.text);
        }
        let summary: Vec<(&str, &str)> = found.iter().map(|m| (m.field().as_str(), m.text.as_str())).collect();
        assert_eq!(
            summary,
            [
                ("official", "Trần Văn Hải"),
                ("date", "quý II/2022"),
                ("figure", "1.250,5 triệu đồng"),
                ("percentage", "41,5\u{a0}%"),
            ]
        );
        match &found[2].value {
            Value::Figure(f) => assert_eq!((f.amount, f.unit.as_str()), (1_250_500_000.0, "đồng")),
            v => panic!("unexpected {v:?}"),
        }
    }

    #[test]
    fn decomposed_accents_and_crlf_keep_the_text_as_given() {
        let nfc =
            "Ảnh: Minh Khoa\r\nNgày 5/3/2021, bà Lê Thị Hoa - Phó Chủ tịch UBND xã cho biết xã có 12 hộ, đạt 40 %. Đồng chí Trần Văn Tư dự.";
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd(nfc).collect();
        for text in [nfc, nfd.as_str()] {
            let found = extract(&Document { id: "t", text });
            let chars: Vec<char> = text.chars().collect();
            for m in &found {
                let covered: String = chars[m.start..m.end].iter().collect();
                assert_eq!(covered, m.text);
            }
            let fields: Vec<&str> = found.iter().map(|m| m.field().as_str()).collect();
            assert_eq!(
                fields,
                ["date", "official", "figure", "percentage", "official"],
                "in {text:?}"
            );
            match &found[1].value {
                Value::Official(o) => assert_eq!(o.titles.len(), 1),
                v => panic!("unexpected {v:?}"),
            }
        }
    }

    #[test]
    fn a_one_line_body_is_not_silenced_by_its_chrome() {
        let body = "Tin liên quan Ảnh: Minh Khoa Ngày 5/3/2021, xã trao 20 suất quà. ".repeat(30);
        let found = extract(&Document { id: "t", text: &body });
        assert_eq!(found.iter().filter(|m| m.field().as_str() == "date").count(), 30);
    }

    #[test]
    fn odd_inputs_never_panic_and_spans_match() {
        let inputs = [
            "",
            "ngày",
            "tháng 5/",
            "quý",
            "năm 2024-",
            "12 tỷ",
            "99999999999999999999 nghìn triệu tỷ đồng",
            "1.000.000.000.000.000.000 tỷ tỷ đồng",
            "%%% 5 %",
            "Nguyễn",
            "Chủ tịch",
            "Ông Nguyễn Văn A -",
            "\u{a0}\u{a0}7\u{a0}%\r\n",
            "Ảnh:",
            "- Ảnh:",
            "🙂 12 người 🙂 ngày 1/2/2023",
            "e\u{301} 5 ha",
        ];
        for text in inputs {
            let chars: Vec<char> = text.chars().collect();
            for m in extract(&Document { id: "x", text }) {
                let covered: String = chars[m.start..m.end].iter().collect();
                assert_eq!(covered, m.text, "in {text:?}");
            }
        }
    }
}
