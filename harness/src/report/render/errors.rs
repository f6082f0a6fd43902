//! The error listing: one JSON line per FP, FN, wrong value and boundary
//! error of a claimed field, with a short context window around it.

use super::Renderer;
use crate::mention::MentionView;
use crate::report::Report;
use crate::score::FindingKind;
use extractor_api::Field;
use serde::Serialize;

pub struct ErrorList;

/// Characters of context on each side.
const CONTEXT: usize = 40;

#[derive(Serialize)]
struct Line<'a> {
    plugin: &'a str,
    article: &'a str,
    field: Field,
    kind: FindingKind,
    start: Option<usize>,
    end: Option<usize>,
    gold: Option<&'a MentionView>,
    pred: Option<&'a MentionView>,
    context: Option<String>,
}

impl Renderer for ErrorList {
    fn render(&self, report: &Report) -> String {
        let mut out = Vec::new();
        self.render_to(report, &mut out).expect("writing to memory");
        String::from_utf8(out).expect("JSON is UTF-8")
    }

    /// Streams: the listing grows with the corpus.
    fn render_to(&self, report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        use std::io::Write;
        // Concrete buffer type: the serializer's small writes are inlined.
        let out = &mut std::io::BufWriter::with_capacity(1 << 16, out);
        let texts = report.texts();
        for p in &report.plugins {
            let fields = p.claimed_fields();
            for a in &p.articles {
                let chars: Option<Vec<char>> = texts.get(a.id.as_str()).map(|t| t.chars().collect());
                for f in a
                    .findings
                    .iter()
                    .filter(|f| f.kind != FindingKind::Correct && fields.contains(&f.field))
                {
                    let m = f.gold.as_ref().or(f.pred.as_ref());
                    let (start, end) = (m.and_then(|m| m.start), m.and_then(|m| m.end));
                    let context = match (&chars, start, end) {
                        (Some(c), Some(s), Some(e)) if e <= c.len() => {
                            let lo = s.saturating_sub(CONTEXT);
                            let hi = (e + CONTEXT).min(c.len());
                            Some(c[lo..hi].iter().collect::<String>().replace(['\r', '\n'], " "))
                        }
                        _ => None,
                    };
                    let line = Line {
                        plugin: &p.name,
                        article: &a.id,
                        field: f.field,
                        kind: f.kind,
                        start,
                        end,
                        gold: f.gold.as_ref(),
                        pred: f.pred.as_ref(),
                        context,
                    };
                    serde_json::to_writer(&mut *out, &line)?;
                    out.write_all(b"\n")?;
                }
            }
        }
        out.flush()
    }
}
