//! A rule-based extractor for Vietnamese local-government news: a tokenizer
//! and a small grammar of constructions over the token stream (see the
//! module docs of [`date`], [`quantity`] and [`official`]), with page-chrome
//! detection in [`chrome`].

pub mod chrome;
pub mod date;
pub mod number;
pub mod official;
pub mod quantity;
pub mod text;
pub mod vocab;

use extractor_api::{export_plugin, CharIndex, Document, Figure, Mention, Official, Percentage, Value};
use quantity::QValue;
use text::Doc;

/// Extracts every date, official, figure and percentage from one article.
pub fn extract(doc: &Document) -> Vec<Mention> {
    let mut tokens = Doc::new(doc.text, &[]);
    let chrome = chrome::chrome_ranges(&tokens);
    tokens.mark_chrome(&chrome);
    let idx = CharIndex::new(doc.text);
    let mut out = Vec::new();

    let dates = date::find_dates(&tokens);
    let mut used = vec![false; tokens.len()];
    for d in &dates {
        used[d.first..d.last].iter_mut().for_each(|u| *u = true);
        out.push(idx.mention(tokens.span(d.first, d.last), Value::Date(d.value.clone())));
    }
    for q in quantity::find_quantities(&tokens, &used) {
        let value = match q.value {
            QValue::Percentage(value) => Value::Percentage(Percentage { value }),
            QValue::Figure { amount, unit } => Value::Figure(Figure {
                amount: amount.to_f64(),
                unit,
            }),
        };
        out.push(idx.mention(tokens.span(q.first, q.last), value));
    }
    for o in official::find_officials(&tokens) {
        let name = tokens.slice(o.first, o.last).to_string();
        out.push(idx.mention(
            tokens.span(o.first, o.last),
            Value::Official(Official { name, titles: o.titles }),
        ));
    }

    // Nothing inside page chrome.
    out.retain(|m| {
        let (s, e) = (m.start, m.end);
        !chrome
            .iter()
            .any(|r| idx.char_offset(r.start) < e && s < idx.char_offset(r.end))
    });
    out.sort_by_key(|m| (m.start, m.end));
    out
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
