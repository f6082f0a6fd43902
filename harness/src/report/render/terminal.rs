//! The compact table for people at a terminal (written to stderr). Columns
//! fit the names; colour only when asked (`--color`) or when stderr is a
//! terminal and NO_COLOR is unset. Failed articles are summarised by kind:
//! each was printed once, as it happened, by the progress observer, and all
//! are in errors.jsonl and report.json.

use super::table::{Align, Table};
use super::{interval, num, speed, Renderer};
use crate::report::{CheckStatus, Report};
use std::collections::BTreeMap;
use std::fmt::Write;

pub struct Terminal {
    pub colour: bool,
    /// Also the field confusion matrix of every plugin (`-v`).
    pub verbose: bool,
}

/// `--color auto`: colour when stderr is a terminal and NO_COLOR is unset.
/// A plugin's confusion matrix as a table.
fn confusion(m: &crate::report::ConfusionMatrix) -> String {
    use extractor_api::Field;
    let mut header = vec!["gold \\ predicted"];
    header.extend(Field::ALL.map(Field::as_str));
    header.push("missed");
    let mut t = Table::new(
        &header,
        &[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
    );
    let n = |x: Option<&u64>| x.copied().unwrap_or(0).to_string();
    for g in Field::ALL {
        let mut row = vec![g.to_string()];
        row.extend(Field::ALL.map(|f| n(m.pairs.get(&g).and_then(|r| r.get(&f)))));
        row.push(n(m.missed.get(&g)));
        t.row(row);
    }
    let mut row = vec!["spurious".to_string()];
    row.extend(Field::ALL.map(|f| n(m.spurious.get(&f))));
    t.row(row);
    t.render()
}

pub fn colour_by_default() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

fn paint(s: String, f1: Option<f64>, colour: bool) -> String {
    if !colour {
        return s;
    }
    let code = match f1 {
        Some(v) if v >= 0.9 => "32",
        Some(v) if v >= 0.6 => "33",
        Some(_) => "31",
        None => "2",
    };
    format!("\x1b[{code}m{s}\x1b[0m")
}

impl Renderer for Terminal {
    fn render(&self, report: &Report) -> String {
        let colour = self.colour;
        let right = Align::Right;
        let mut t = Table::new(
            &["plugin", "field", "TP", "FP", "FN", "P", "R", "F1", "95% CI (F1)"],
            &[
                Align::Left,
                Align::Left,
                right,
                right,
                right,
                right,
                right,
                right,
                Align::Left,
            ],
        );
        let mut notes = Vec::new();
        for p in &report.plugins {
            if let Some(e) = &p.load_error {
                t.row(vec![p.name.clone(), paint("LOAD FAILED".into(), Some(0.0), colour)]);
                notes.push(format!("{}: could not be loaded: {e}", p.name));
                continue;
            }
            let rows = p
                .fields
                .iter()
                .map(|(f, s)| (f.to_string(), s))
                .chain([("micro".to_string(), &p.overall)]);
            for (field, s) in rows {
                t.row(vec![
                    p.name.clone(),
                    field,
                    s.tp.to_string(),
                    s.fp.to_string(),
                    s.fn_.to_string(),
                    num(s.headline.precision),
                    num(s.headline.recall),
                    paint(num(s.headline.f1), s.headline.f1, colour),
                    interval(s.headline_ci),
                ]);
            }
            if let Some(speed) = speed(p.timing.as_ref()) {
                notes.push(format!("{}: {speed}", p.name));
            }
            if let Some(line) = super::cost(p) {
                notes.push(format!("{}: {line}", p.name));
            }
            let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
            for a in p.failed_articles() {
                *kinds
                    .entry(a.error.as_ref().expect("failed").kind.to_string())
                    .or_default() += 1;
            }
            if !kinds.is_empty() {
                let n: usize = kinds.values().sum();
                let by: Vec<String> = kinds.iter().map(|(k, c)| format!("{k} {c}")).collect();
                notes.push(paint(
                    format!(
                        "{}: failed on {n} of {} articles ({}); see errors.jsonl",
                        p.name,
                        p.articles.len(),
                        by.join(", ")
                    ),
                    Some(0.0),
                    colour,
                ));
            }
            for w in &p.warnings {
                notes.push(format!("{}: warning: {w}", p.name));
            }
        }
        let mut out = t.render();
        if self.verbose {
            for p in report.loaded() {
                let _ = write!(
                    out,
                    "\n{}: confusion between fields (rows gold, columns predicted)\n",
                    p.name
                );
                out.push_str(&confusion(&p.confusion));
            }
        }
        if !notes.is_empty() {
            out.push('\n');
            for n in notes {
                let _ = writeln!(out, "{n}");
            }
        }
        if let Some(g) = &report.gate {
            let failed: Vec<_> = g.checks.iter().filter(|c| c.status != CheckStatus::Pass).collect();
            let verdict = if g.passed {
                "gate: PASSED".to_string()
            } else {
                format!("gate: FAILED ({} check(s))", failed.len())
            };
            let _ = writeln!(
                out,
                "\n{}",
                paint(verdict, Some(if g.passed { 1.0 } else { 0.0 }), colour)
            );
            for c in failed {
                let field = c.field.map_or(String::new(), |f| format!(" / {f}"));
                let _ = writeln!(out, "  {}{field}: {}", c.plugin, c.messages.join("; "));
            }
        }
        out
    }
}
