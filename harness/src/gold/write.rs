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
}
