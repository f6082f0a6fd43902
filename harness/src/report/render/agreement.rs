//! `harness gold agree` for people: per-field agreement, kappa, ignore
//! regions, and the first disagreements with their context.

use super::num;
use super::table::{Align, Table};
use crate::agree::Agreement;
use std::fmt::Write;

pub fn render(a: &Agreement, show: usize) -> String {
    let right = Align::Right;
    let mut t = Table::new(
        &[
            "field",
            "A",
            "B",
            "exact span F1",
            "overlap F1",
            "span+value F1",
            "value acc.",
            "titles acc.",
        ],
        &[Align::Left, right, right, right, right, right, right, right],
    );
    for (f, x) in a
        .fields
        .iter()
        .map(|(f, x)| (f.to_string(), x))
        .chain([("all".to_string(), &a.overall)])
    {
        t.row(vec![
            f,
            x.a.to_string(),
            x.b.to_string(),
            num(x.exact_span.f1),
            num(x.overlap_span.f1),
            num(x.span_value.f1),
            num(x.value_accuracy),
            num(x.titles_accuracy),
        ]);
    }
    let mut s = format!("{} (A) vs {} (B), {} articles\n\n", a.a, a.b, a.articles);
    s.push_str(&t.render());
    let _ = writeln!(s, "\nCohen's kappa on {} tokens: {}", a.tokens, num(a.kappa));
    let i = &a.ignore;
    let _ = writeln!(
        s,
        "ignore regions: A {} / B {}; characters ignored by both {}, by A only {}, by B only {}",
        i.regions_a, i.regions_b, i.chars_both, i.chars_a_only, i.chars_b_only
    );
    if !a.disagreements.is_empty() {
        let _ = writeln!(s, "\n{} disagreement(s):", a.disagreements.len());
        for d in a.disagreements.iter().take(show) {
            let side = |m: &Option<crate::mention::MentionView>| {
                m.as_ref().map_or("—".to_string(), |m| {
                    format!("{:?} = {}", m.text.as_deref().unwrap_or(""), m.value)
                })
            };
            let _ = writeln!(
                s,
                "  {} {} {}: A {} | B {}\n      …{}…",
                d.article,
                d.field,
                d.kind,
                side(&d.a),
                side(&d.b),
                d.context
            );
        }
        if a.disagreements.len() > show {
            let _ = writeln!(s, "  … and {} more (--json lists all)", a.disagreements.len() - show);
        }
    }
    if !a.ignore_disagreements.is_empty() {
        let _ = writeln!(
            s,
            "\n{} ignore region(s) not matched by the other side:",
            a.ignore_disagreements.len()
        );
        for d in a.ignore_disagreements.iter().take(show) {
            let _ = writeln!(
                s,
                "  {} {} {}..{} ({} chars not ignored by the other): {:?}",
                d.article, d.side, d.start, d.end, d.uncovered, d.text
            );
        }
    }
    s
}
