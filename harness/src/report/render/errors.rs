//! The error listing: one JSON line per FP, FN, wrong value and boundary
//! error, with a short context window around it.

use super::{Output, Renderer};
use crate::report::Report;
use crate::score::FindingKind;
use serde::Serialize;

pub struct ErrorList;

/// Characters of context on each side.
const CONTEXT: usize = 40;

#[derive(Serialize)]
struct Line<'a> {
    plugin: &'a str,
    article: &'a str,
    field: &'a str,
    kind: &'a str,
    start: Option<usize>,
    end: Option<usize>,
    gold: Option<&'a crate::score::MentionView>,
    pred: Option<&'a crate::score::MentionView>,
    context: Option<String>,
}

impl Renderer for ErrorList {
    fn render(&self, report: &Report) -> Vec<Output> {
        let texts = report.texts();
        let mut out = String::new();
        for p in &report.plugins {
            for a in &p.articles {
                let chars: Option<Vec<char>> = texts.get(a.id.as_str()).map(|t| t.chars().collect());
                for f in a.findings.iter().filter(|f| f.kind != FindingKind::Correct) {
                    let m = f.gold.as_ref().or(f.pred.as_ref());
                    let (start, end) = (m.and_then(|m| m.start), m.and_then(|m| m.end));
                    let context = match (&chars, start, end) {
                        (Some(c), Some(s), Some(e)) if e <= c.len() => {
                            let lo = s.saturating_sub(CONTEXT);
                            let hi = (e + CONTEXT).min(c.len());
                            Some(c[lo..hi].iter().collect::<String>().replace('\n', " "))
                        }
                        _ => None,
                    };
                    let line = Line {
                        plugin: &p.name,
                        article: &a.id,
                        field: f.field.as_str(),
                        kind: f.kind.as_str(),
                        start,
                        end,
                        gold: f.gold.as_ref(),
                        pred: f.pred.as_ref(),
                        context,
                    };
                    out.push_str(&serde_json::to_string(&line).expect("lines serialize"));
                    out.push('\n');
                }
            }
        }
        vec![Output {
            file_name: "errors.jsonl",
            contents: out,
        }]
    }
}
