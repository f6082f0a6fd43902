//! What is wrong with an article's labels, for the page: the gold loader's
//! own diagnostics (errors: a file with any cannot be saved), each pinned on
//! the mention or ignore region it concerns and tagged with the guideline
//! rule it breaks; and a few guideline checks the loader cannot make
//! (warnings: a span that starts with "khoảng" or ends with a comma).

use super::doc::DocMention;
use super::guess::{entries, fold};
use crate::gold::{self, GoldArticle, Item};
use crate::mention::{check_span, Span, TextIndex};
use extractor_api::{Field, Value};
use serde::Serialize;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The gold loader refuses it: the article cannot be saved.
    Error,
    /// A guideline the labels seem to break; saving is allowed.
    Warning,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// The mention concerned, by id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mention: Option<String>,
    /// The ignore region concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignore: Option<Span>,
    pub message: String,
    /// The guideline rule broken, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

impl Problem {
    pub fn error(mention: Option<String>, message: String) -> Problem {
        Problem {
            severity: Severity::Error,
            mention,
            ignore: None,
            rule: rule_for(&message),
            message,
        }
    }

    fn warning(mention: &str, message: String, rule: &str) -> Problem {
        Problem {
            severity: Severity::Warning,
            mention: Some(mention.to_string()),
            ignore: None,
            message,
            rule: Some(rule.to_string()),
        }
    }
}

/// The guideline rule a loader message breaks (`rules.tsv`).
pub fn rule_for(message: &str) -> Option<String> {
    static RULES: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    RULES
        .get_or_init(|| {
            entries(include_str!("vocab/rules.tsv"))
                .filter_map(|l| l.split_once('\t'))
                .collect()
        })
        .iter()
        .find(|(pattern, _)| message.contains(pattern))
        .map(|(_, rule)| rule.to_string())
}

/// Every problem of an article: the loader's, then the guideline warnings.
pub fn check(a: &GoldArticle) -> Vec<Problem> {
    let mut out: Vec<Problem> = gold::check_article(a)
        .into_iter()
        .map(|d| {
            let mut p = Problem::error(None, d.message);
            match gold::line_item(a, d.line) {
                Some(Item::Mention(i)) => p.mention = Some(a.mentions[i].id.clone()),
                Some(Item::Ignore(i)) => p.ignore = Some(a.ignore[i]),
                None => {}
            }
            p
        })
        .collect();
    for m in &a.mentions {
        out.extend(warnings(&m.id, &m.text, &m.value));
    }
    let mut seen = std::collections::HashMap::new();
    for m in &a.mentions {
        if let Some(first) = seen.insert((m.span, m.field()), &m.id) {
            out.push(Problem::warning(
                &m.id,
                format!("mention {:?} has the same span and field as {first:?}", m.id),
                "General: every occurrence is one mention; the same text labelled twice is a duplicate",
            ));
        }
    }
    out
}

/// The problems of one mention on its own (as the value editor changes it),
/// with the loader's checks and messages: value shape, value, span.
pub fn check_mention(text: &str, m: &DocMention) -> Vec<Problem> {
    let who = format!("mention {:?}", m.id);
    let err = |msg: String| vec![Problem::error(Some(m.id.clone()), msg)];
    let value = match Value::from_json(m.field, m.value.clone()) {
        Ok(v) => v,
        Err(e) => return err(format!("{who}: value has the wrong shape for a {}: {e}", m.field)),
    };
    let mut out = Vec::new();
    if let Err(e) = value.check() {
        out.extend(err(format!("{who}: {e}")));
    }
    if let Err(e) = check_span(&TextIndex::new(text), m.start, m.end, &m.text) {
        out.extend(err(format!("{who}: {e}")));
    }
    out.extend(warnings(&m.id, &m.text, &value));
    out
}

const EDGES: &str =
    "General: spans never include honorifics (\"Ông\", \"đồng chí\"), qualifiers and comparators (\"khoảng\", \"trên\", \"ước đạt\", \"đạt\", \">\", \"<\"), or trailing punctuation";

/// Guideline checks on one mention that the loader does not make.
fn warnings(id: &str, text: &str, value: &Value) -> Vec<Problem> {
    static QUALIFIERS: OnceLock<Vec<String>> = OnceLock::new();
    let qualifiers = QUALIFIERS.get_or_init(|| entries(include_str!("vocab/qualifiers.txt")).map(fold).collect());
    let mut out = Vec::new();
    let space = |c: char| c.is_whitespace() || c == '\u{a0}';
    if text.starts_with(space) || text.ends_with(space) {
        out.push(Problem::warning(
            id,
            format!("span {text:?} starts or ends with a space"),
            EDGES,
        ));
    }
    if let Some(c) = text
        .chars()
        .last()
        .filter(|c| matches!(c, ',' | '.' | ';' | ':' | '(' | ')' | '!' | '?'))
    {
        out.push(Problem::warning(id, format!("span {text:?} ends with {c:?}"), EDGES));
    }
    let folded = fold(text);
    if let Some(q) = qualifiers.iter().find(|q| {
        folded
            .strip_prefix(q.as_str())
            .is_some_and(|rest| !q.chars().all(char::is_alphabetic) || rest.starts_with(space))
    }) {
        out.push(Problem::warning(id, format!("span {text:?} starts with {q:?}"), EDGES));
    }
    if let Value::Official(o) = value {
        let span: String = text.nfc().collect();
        if o.name != span && value.field() == Field::Official {
            out.push(Problem::warning(
                id,
                format!("name {:?} is not the span text {span:?}", o.name),
                "official: the value's name is the span text (in NFC), a short name as written (C10)",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_fragment_matches_a_real_loader_message() {
        // Each fragment of rules.tsv must occur in a message the loader (or
        // the shape check) actually writes, or the table has rotted.
        let dir = crate::files::scratch_dir("rules");
        let text = "quý I/2024 đạt 7,1% và 54 doanh nghiệp. Ông Lê Văn A.";
        let a = crate::gold::add::add(&dir, "r", text.into()).unwrap();
        let src = crate::gold::canonical(&a).replace(
            "\"ignore\": []",
            r#""ignore": [{"start": 0, "end": 4}, {"start": 9, "end": 999}]"#,
        );
        let bad = [
            r#"{"id": "d1", "field": "date", "start": 0, "end": 10, "text": "quý I/2024", "value": "2024-Q5"}"#,
            r#"{"id": "d1", "field": "date", "start": 0, "end": 3, "text": "quy", "value": "2024"}"#,
            r#"{"id": "p1", "field": "percentage", "start": 15, "end": 99, "text": "7,1%", "value": {"value": 7.1}}"#,
            r#"{"id": "f1", "field": "figure", "start": 23, "end": 38, "text": "54 doanh nghiệp", "value": {"amount": 54, "unit": "Doanh nghiệp"}}"#,
            r#"{"id": "f2", "field": "figure", "start": 23, "end": 38, "text": "54 doanh nghiệp", "value": {"amount": 54, "unit": " "}}"#,
            r#"{"id": "o1", "field": "official", "start": 44, "end": 52, "text": "Lê Văn A", "value": {"name": "", "titles": [""]}}"#,
            r#"{"id": "o2", "field": "official", "start": 44, "end": 52, "text": "Lê Văn A", "value": {"name": "Lê Văn A", "titles": [" "]}}"#,
            r#"{"id": "p2", "field": "percentage", "start": 15, "end": 19, "text": "7,1%", "value": 7.1}"#,
            r#"{"id": "p3", "field": "date", "start": 15, "end": 19, "text": "7,1%", "value": 7.1}"#,
            r#"{"id": "p4", "field": "figure", "start": 15, "end": 19, "text": "7,1%", "value": 7.1}"#,
            r#"{"id": "p5", "field": "official", "start": 15, "end": 19, "text": "7,1%", "value": 7.1}"#,
        ];
        let src = src.replace("\"mentions\": []", &format!("\"mentions\": [{}]", bad.join(",")));
        std::fs::write(&a.file, &src).unwrap();
        let (_, diags) = crate::gold::load_file(&a.file);
        let mut messages: Vec<String> = diags.into_iter().map(|d| d.message).collect();
        let (_, diags) = crate::gold::parse_gold(&a.file, &src.replace(&a.sha256, &"0".repeat(64)));
        messages.extend(diags.into_iter().map(|d| d.message));
        // JSON cannot write an infinite amount; the check that refuses one is the same.
        let inf = Value::Figure(extractor_api::Figure {
            amount: f64::INFINITY,
            unit: "x".into(),
        });
        messages.push(inf.check().unwrap_err());
        for (pattern, _) in entries(include_str!("vocab/rules.tsv")).filter_map(|l| l.split_once('\t')) {
            assert!(
                messages.iter().any(|m| m.contains(pattern)),
                "{pattern:?} is in no loader message: {messages:#?}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn guideline_warnings() {
        let w = |text: &str, value: Value| -> Vec<String> {
            warnings("x", text, &value).into_iter().map(|p| p.message).collect()
        };
        let pct = || Value::Percentage(extractor_api::Percentage { value: 7.0 });
        assert!(w("7%", pct()).is_empty());
        assert_eq!(w("khoảng 7%", pct()).len(), 1);
        assert_eq!(w(">7%", pct()).len(), 1);
        assert_eq!(w("7%,", pct()).len(), 1);
        assert_eq!(w(" 7%", pct()).len(), 1);
        // "trên" only as a word of its own.
        assert!(w("trênx", pct()).is_empty());
        let official = |name: &str| {
            Value::Official(extractor_api::Official {
                name: name.into(),
                titles: vec![],
            })
        };
        assert!(w("Le\u{302} Va\u{306}n", official("Lê Văn")).is_empty());
        assert_eq!(w("Lê Văn", official("Lê Văn B")).len(), 1);
    }

    #[test]
    fn the_real_gold_has_no_guideline_warnings() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../gold");
        let set = crate::gold::load_dir(&dir).unwrap();
        let found: Vec<String> = set
            .articles
            .iter()
            .flat_map(|a| check(a).into_iter().map(move |p| format!("{}: {}", a.id, p.message)))
            .collect();
        assert!(found.is_empty(), "{found:#?}");
    }
}
