//! The canonical layout of a gold file: fixed key order, one ignore region
//! and one mention per line, `", "` and `": "` separators, integral amounts
//! written as integers. Everything that writes gold (the annotation
//! workbench, `gold add`, importers) writes this, so a saved file diffs
//! cleanly in git and a round trip through another format gives the same
//! bytes.

use super::GoldArticle;
use crate::mention::GoldMention;
use extractor_api::Value;
use std::fmt::Write;

/// A JSON string literal (serde_json's escaping, which is the canonical one).
fn string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

/// A number as canonical JSON: integral values without a fraction.
fn number(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        serde_json::to_string(&x).expect("finite numbers serialize")
    }
}

/// A value in the canonical layout.
pub fn value(v: &Value) -> String {
    match v {
        Value::Date(d) => string(d),
        Value::Official(o) => {
            let titles: Vec<String> = o.titles.iter().map(|t| string(t)).collect();
            format!("{{\"name\": {}, \"titles\": [{}]}}", string(&o.name), titles.join(", "))
        }
        Value::Figure(f) => format!("{{\"amount\": {}, \"unit\": {}}}", number(f.amount), string(&f.unit)),
        Value::Percentage(p) => format!("{{\"value\": {}}}", number(p.value)),
    }
}

fn mention(m: &GoldMention) -> String {
    let mut s = format!(
        "{{\"id\": {}, \"field\": {}, \"start\": {}, \"end\": {}, \"text\": {}, \"value\": {}",
        string(&m.id),
        string(m.field().as_str()),
        m.span.start,
        m.span.end,
        string(&m.text),
        value(&m.value)
    );
    if let Some(o) = &m.origin {
        let _ = write!(
            s,
            ", \"pre\": {{\"plugin\": {}, \"version\": {}, \"reviewed\": {}}}",
            string(&o.plugin),
            string(&o.version),
            o.reviewed
        );
    }
    s.push('}');
    s
}

fn list(items: Vec<String>) -> String {
    if items.is_empty() {
        "[]".into()
    } else {
        format!("[\n    {}\n  ]", items.join(",\n    "))
    }
}

/// The gold file of `a`, in the canonical layout. Mentions are written in
/// the order given (callers sort them by start).
pub fn canonical(a: &GoldArticle) -> String {
    let ignore: Vec<String> = a
        .ignore
        .iter()
        .zip(a.ignore_reasons.iter().chain(std::iter::repeat(&None)))
        .map(|(sp, why)| match why {
            Some(r) => format!(
                "{{\"start\": {}, \"end\": {}, \"reason\": {}}}",
                sp.start,
                sp.end,
                string(r)
            ),
            None => format!("{{\"start\": {}, \"end\": {}}}", sp.start, sp.end),
        })
        .collect();
    let mentions: Vec<String> = a.mentions.iter().map(mention).collect();
    let mut s = String::from("{\n");
    let _ = writeln!(s, "  \"schema_version\": {},", super::GOLD_SCHEMA_VERSION);
    let _ = writeln!(s, "  \"id\": {},", string(&a.id));
    match &a.source {
        Some(src) => {
            let _ = writeln!(s, "  \"source\": {},", string(src));
            let _ = writeln!(s, "  \"sha256\": {},", string(&a.sha256));
        }
        None => {
            let _ = writeln!(s, "  \"text\": {},", string(&a.text));
        }
    }
    let _ = writeln!(s, "  \"ignore\": {},", list(ignore));
    let _ = writeln!(s, "  \"mentions\": {}", list(mentions));
    s.push_str("}\n");
    s
}

/// A gold file item that a line of the canonical layout holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// The i-th ignore region.
    Ignore(usize),
    /// The i-th mention.
    Mention(usize),
}

/// Which ignore region or mention line `line` (1-based) of `canonical(a)`
/// holds, so a diagnostic about the canonical text can be pinned on the
/// item it concerns. `None` for the lines around them.
pub fn line_item(a: &GoldArticle, line: usize) -> Option<Item> {
    // "{", schema_version, id, then source + sha256 or the inline text.
    let ignore_header = if a.source.is_some() { 6 } else { 5 };
    let ignore_lines = if a.ignore.is_empty() { 0 } else { a.ignore.len() + 1 };
    let mentions_header = ignore_header + ignore_lines + 1;
    if line > ignore_header && line <= ignore_header + a.ignore.len() {
        Some(Item::Ignore(line - ignore_header - 1))
    } else if line > mentions_header && line <= mentions_header + a.mentions.len() {
        Some(Item::Mention(line - mentions_header - 1))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_canonical() {
        assert_eq!(number(1326800000000.0), "1326800000000");
        assert_eq!(number(7.1), "7.1");
        assert_eq!(number(0.07), "0.07");
        assert_eq!(number(-3.0), "-3");
    }

    #[test]
    fn line_item_names_the_item_on_each_line() {
        use crate::mention::Span;
        use extractor_api::Percentage;
        let m = |id: &str, start| GoldMention {
            id: id.into(),
            span: Span { start, end: start + 1 },
            text: "7".into(),
            value: Value::Percentage(Percentage { value: 7.0 }),
            origin: None,
        };
        for (source, ignore, mentions) in [
            (Some("articles/x.txt".to_string()), vec![], vec![m("p1", 0), m("p2", 1)]),
            (
                Some("articles/x.txt".to_string()),
                vec![Span { start: 5, end: 9 }; 3],
                vec![m("p1", 0)],
            ),
            (None, vec![Span { start: 5, end: 9 }], vec![]),
            (None, vec![], vec![m("p1", 0)]),
        ] {
            let a = GoldArticle {
                id: "x".into(),
                file: "x.json".into(),
                source,
                text: "7 7 7 text".into(),
                sha256: "00".into(),
                ignore_reasons: vec![Some("why".into()); ignore.len()],
                ignore,
                mentions,
            };
            let text = canonical(&a);
            let mut seen = (0, 0);
            for (i, l) in text.lines().enumerate() {
                match line_item(&a, i + 1) {
                    Some(Item::Ignore(k)) => {
                        assert!(l.contains(&format!("\"start\": {}", a.ignore[k].start)), "{l}");
                        seen.0 += 1;
                    }
                    Some(Item::Mention(k)) => {
                        assert!(l.contains(&format!("\"id\": \"{}\"", a.mentions[k].id)), "{l}");
                        seen.1 += 1;
                    }
                    None => assert!(!l.contains("\"start\""), "{l}"),
                }
            }
            assert_eq!(seen, (a.ignore.len(), a.mentions.len()), "{text}");
        }
    }
}
