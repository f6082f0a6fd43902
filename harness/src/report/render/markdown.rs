//! The pull-request / job-summary view: short, well under GitHub's 1 MiB
//! step-summary cap. Full detail lives in the other files. Every name and
//! message goes through `text::markdown`, so a plugin called `a|b` or an
//! error with `<script>` cannot break the table or the page.

use super::text::markdown as md;
use super::{interval, num, Renderer};
use crate::report::{CheckStatus, Report};
use std::fmt::Write;

pub struct Markdown;

/// Keeps the summary far below GitHub's 1 MiB limit.
const MAX_LISTED: usize = 30;

impl Renderer for Markdown {
    fn render(&self, report: &Report) -> String {
        render(report)
    }
}

pub fn render(report: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## Extraction quality\n");
    if let Some(g) = &report.gate {
        let _ = writeln!(
            s,
            "**Gate: {}**{}\n",
            if g.passed { "passed ✅" } else { "FAILED ❌" },
            g.baseline
                .as_ref()
                .map_or(String::new(), |b| format!(" (baseline {})", md(b)))
        );
    }
    let _ = writeln!(
        s,
        "Span + value F1 with 95% bootstrap CI over articles ({} articles{}, {} resamples, seed {}).\n",
        report.meta.gold.articles.len(),
        report
            .meta
            .subset
            .as_ref()
            .map_or(String::new(), |sub| format!(", subset {}", md(sub))),
        report.meta.scoring.resampling.resamples,
        report.meta.scoring.resampling.seed
    );
    let fields = extractor_api::Field::ALL;
    let _ = write!(s, "| plugin |");
    for f in fields {
        let _ = write!(s, " {f} |");
    }
    let _ = writeln!(s, " micro | articles/s |");
    let _ = writeln!(s, "|---|{}---|---|", "---|".repeat(fields.len()));
    for p in &report.plugins {
        if let Some(e) = &p.load_error {
            let _ = writeln!(s, "| {} | load failed: {} |", md(&p.name), md(e));
            continue;
        }
        let _ = write!(s, "| {} |", md(&p.name));
        for f in fields {
            match p.fields.get(&f) {
                Some(fs) => {
                    let _ = write!(s, " {} {} |", num(fs.headline.f1), interval(fs.headline_ci));
                }
                None => {
                    let _ = write!(s, " n/a |");
                }
            }
        }
        let speed = p
            .timing
            .as_ref()
            .map_or("—".to_string(), |t| format!("{:.1}", t.articles_per_second));
        let _ = writeln!(s, " {} | {speed} |", num(p.overall.headline.f1));
    }
    let costs: Vec<String> = report
        .plugins
        .iter()
        .filter_map(|p| super::cost(p).map(|c| format!("- {}: {}", md(&p.name), md(&c))))
        .collect();
    if !costs.is_empty() {
        let _ = writeln!(s, "\n### Cost and repeats\n");
        for c in &costs {
            let _ = writeln!(s, "{c}");
        }
    }
    let notes: Vec<String> = report
        .plugins
        .iter()
        .flat_map(|p| p.warnings.iter().map(move |w| format!("- {}: {}", md(&p.name), md(w))))
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(s, "\n### Warnings\n");
        for n in &notes {
            let _ = writeln!(s, "{n}");
        }
    }
    let errors: Vec<String> = report
        .plugins
        .iter()
        .flat_map(|p| p.failed_articles().map(move |a| (p, a)))
        .map(|(p, a)| {
            format!(
                "- {} on {}: {}",
                md(&p.name),
                md(&a.id),
                md(&a.error.as_ref().expect("failed").to_string())
            )
        })
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(s, "\n### Plugin errors\n");
        for e in errors.iter().take(MAX_LISTED) {
            let _ = writeln!(s, "{e}");
        }
        if errors.len() > MAX_LISTED {
            let _ = writeln!(s, "- … and {} more (see report.json)", errors.len() - MAX_LISTED);
        }
    }
    if let Some(g) = &report.gate {
        let bad: Vec<_> = g.checks.iter().filter(|c| c.status != CheckStatus::Pass).collect();
        if !bad.is_empty() {
            let _ = writeln!(
                s,
                "\n### Gate violations\n\n| plugin | field | status | F1 | baseline | why |\n|---|---|---|---|---|---|"
            );
            for c in bad.iter().take(MAX_LISTED) {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} | {} |",
                    md(&c.plugin),
                    c.field.map_or("(plugin)".to_string(), |f| f.to_string()),
                    if c.status == CheckStatus::Fail { "fail" } else { "error" },
                    num(c.f1),
                    num(c.baseline_f1),
                    md(&c.messages.join("; "))
                );
            }
        }
    }
    let sig: Vec<_> = report.pairwise.iter().filter(|r| r.field.is_none()).collect();
    if !sig.is_empty() {
        let _ = writeln!(
            s,
            "\n### Pairwise (all fields)\n\n| A | B | ΔF1 | 95% CI | p |\n|---|---|---|---|---|"
        );
        for r in sig.iter().take(MAX_LISTED) {
            let _ = writeln!(
                s,
                "| {} | {} | {:+.3} | {} | {:.4} |",
                md(&r.a),
                md(&r.b),
                r.test.delta,
                interval(r.test.delta_ci),
                r.test.p_value
            );
        }
    }
    let _ = writeln!(
        s,
        "\n<sub>harness {} · gold {} · commit {}</sub>",
        md(&report.meta.harness_version),
        &report.meta.gold.sha256[..12.min(report.meta.gold.sha256.len())],
        report
            .meta
            .git_commit
            .as_deref()
            .map_or("unknown", |c| &c[..12.min(c.len())])
    );
    s
}
