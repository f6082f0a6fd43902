//! The compact table for people at a terminal (written to stderr).
//! Colour only when stderr is a terminal and NO_COLOR is unset.

use crate::report::Report;
use std::fmt::Write;

pub fn use_colour() -> bool {
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

/// Errors listed per plugin; the rest are counted (all are in the reports).
const MAX_ERRORS: usize = 10;

pub fn render(report: &Report, colour: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<16} {:<11} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6}  {:<16}",
        "plugin", "field", "TP", "FP", "FN", "P", "R", "F1", "95% CI (F1)"
    );
    for p in &report.plugins {
        if let Some(e) = &p.load_error {
            let _ = writeln!(
                out,
                "{:<16} {}",
                p.name,
                paint(format!("LOAD FAILED: {e}"), Some(0.0), colour)
            );
            continue;
        }
        let rows = p
            .fields
            .iter()
            .map(|(f, s)| (f.as_str(), s))
            .chain([("micro", &p.overall)]);
        for (field, s) in rows {
            let f1 = format!("{:>6}", super::num(s.headline.f1));
            let _ = writeln!(
                out,
                "{:<16} {:<11} {:>4} {:>4} {:>4} {:>6} {:>6} {}  {:<16}",
                p.name,
                field,
                s.tp,
                s.fp,
                s.fn_,
                super::num(s.headline.precision),
                super::num(s.headline.recall),
                paint(f1, s.headline.f1, colour),
                super::interval(s.headline_ci)
            );
        }
        if let Some(speed) = super::speed(p.timing.as_ref()) {
            let _ = writeln!(out, "{:<16} speed: {speed}", "");
        }
        let failed: Vec<_> = p.failed_articles().collect();
        for a in failed.iter().take(MAX_ERRORS) {
            let e = a.error.as_ref().expect("failed");
            let _ = writeln!(
                out,
                "{:<16} {}",
                "",
                paint(format!("error on {}: {e}", a.id), Some(0.0), colour)
            );
        }
        if failed.len() > MAX_ERRORS {
            let _ = writeln!(
                out,
                "{:<16} … and {} more errors (see errors.jsonl)",
                "",
                failed.len() - MAX_ERRORS
            );
        }
    }
    if let Some(g) = &report.gate {
        let failed: Vec<_> = g
            .checks
            .iter()
            .filter(|c| c.status != crate::gate::CheckStatus::Pass)
            .collect();
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
            let _ = writeln!(out, "  {} / {}: {}", c.plugin, c.field, c.messages.join("; "));
        }
    }
    out
}
