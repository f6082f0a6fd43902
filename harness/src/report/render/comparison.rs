//! A comparison between two reports, for the terminal (`harness compare`,
//! and after a run with `--baseline`).

use super::table::{Align, Table};
use super::{interval, num};
use crate::report::Comparison;
use std::fmt::Write;

pub fn render(c: &Comparison) -> String {
    let right = Align::Right;
    let mut t = Table::new(
        &["plugin", "field", "base", "new", "ΔF1", "95% CI (Δ)", "p"],
        &[Align::Left, Align::Left, right, right, right, Align::Left, right],
    );
    for r in &c.rows {
        t.row(vec![
            r.plugin.clone(),
            r.field.to_string(),
            num(r.base_f1),
            num(r.new_f1),
            format!("{:+.3}", r.test.delta),
            interval(r.test.delta_ci),
            format!("{:.4}", r.test.p_value),
        ]);
    }
    let mut s = t.render();
    for name in &c.only_in_base {
        let _ = writeln!(s, "{name}: only in the base report");
    }
    for name in &c.only_in_new {
        let _ = writeln!(s, "{name}: new plugin (not in the base report)");
    }
    if !c.flips.is_empty() {
        let _ = writeln!(s, "\nflipped mentions:");
        let mut t = Table::new(
            &["", "plugin", "article", "field", "span", "text", "value"],
            &[Align::Left; 7],
        );
        for f in &c.flips {
            let kind = f.kind.label();
            t.row(vec![
                format!("  {kind}"),
                f.plugin.clone(),
                f.article.clone(),
                f.field.to_string(),
                format!(
                    "{}..{}",
                    f.mention.start.map_or("?".into(), |x| x.to_string()),
                    f.mention.end.map_or("?".into(), |x| x.to_string())
                ),
                format!("{:?}", f.mention.text.as_deref().unwrap_or("")),
                f.mention.value.to_string(),
            ]);
        }
        s.push_str(&t.render());
    }
    s
}
