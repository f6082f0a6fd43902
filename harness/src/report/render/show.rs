//! `harness show ARTICLE`: one article's gold and predictions side by side,
//! as a diff: `=` right, `-` missed (gold only), `+` spurious (prediction
//! only), `~` wrong value, `≈` right value on a different span.

use super::num;
use super::table::{Align, Table};
use crate::mention::MentionView;
use crate::report::{PluginReport, Report};
use crate::score::FindingKind;
use std::fmt::Write;

fn mark(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Correct => "=",
        FindingKind::Missed => "-",
        FindingKind::Spurious => "+",
        FindingKind::WrongValue => "~",
        FindingKind::Boundary => "≈",
    }
}

fn colour(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Correct => "32",
        FindingKind::Missed => "31",
        FindingKind::Spurious => "35",
        FindingKind::WrongValue => "33",
        FindingKind::Boundary => "36",
    }
}

fn side(m: Option<&MentionView>) -> (String, String, String) {
    match m {
        None => (String::new(), String::new(), String::new()),
        Some(m) => (
            match (m.start, m.end) {
                (Some(s), Some(e)) => format!("{s}..{e}"),
                _ => "—".into(),
            },
            format!("{:?}", m.text.as_deref().unwrap_or("")),
            m.value.to_string(),
        ),
    }
}

/// The article's findings for each plugin (or only `only`). `None` when the
/// report has no such article.
pub fn render(report: &Report, article: &str, only: Option<&str>, colour_on: bool) -> Option<String> {
    let info = report.meta.gold.articles.iter().find(|a| a.id == article)?;
    let mut out = format!("{article}: {} characters\n", info.chars);
    let plugins: Vec<&PluginReport> = report
        .plugins
        .iter()
        .filter(|p| only.is_none_or(|n| n == p.name))
        .collect();
    for p in plugins {
        let Some(a) = p.articles.iter().find(|a| a.id == article) else {
            continue;
        };
        let f1 = p.article_counts(a, None).value.headline().f1;
        let _ = writeln!(out, "\n{} · span + value F1 {}", p.name, num(f1));
        if let Some(e) = &a.error {
            let _ = writeln!(out, "  failed: {e}");
        }
        if a.findings.is_empty() && a.error.is_none() {
            let _ = writeln!(out, "  (no findings kept for this article)");
            continue;
        }
        let mut findings: Vec<_> = a.findings.iter().filter(|f| p.claims(f.field)).collect();
        findings.sort_by_key(|f| {
            let m = f.gold.as_ref().or(f.pred.as_ref());
            (m.and_then(|m| m.start).unwrap_or(usize::MAX), f.field)
        });
        let mut t = Table::new(
            &[
                "",
                "field",
                "gold span",
                "gold text",
                "gold value",
                "predicted span",
                "predicted text",
                "predicted value",
            ],
            &[Align::Left; 8],
        );
        for f in findings {
            let (gs, gt, gv) = side(f.gold.as_ref());
            let (ps, pt, pv) = side(f.pred.as_ref());
            let m = mark(f.kind);
            let m = if colour_on {
                format!("\x1b[{}m{m}\x1b[0m", colour(f.kind))
            } else {
                m.to_string()
            };
            t.row(vec![format!("  {m}"), f.field.to_string(), gs, gt, gv, ps, pt, pv]);
        }
        out.push_str(&t.render());
    }
    Some(out)
}
