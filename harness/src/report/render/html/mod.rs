//! The self-contained HTML report: one file, CSS and a small script inlined
//! from `assets/`, and an embedded JSON data block (`data`); nothing is
//! fetched from anywhere. Sections (in `sections`): run metadata and the
//! gate, the plugin × field matrix, the F1 chart (`chart`), other metrics,
//! cost and repeats, the confusion matrix, the per-article heat map,
//! pairwise significance, changes against the baseline, and the error
//! browser, which highlights findings in the article text as stored.

pub mod chart;
pub mod data;
mod sections;

use super::Renderer;
use crate::report::model::Report;
use extractor_api::Field;
use std::fmt::Write;

const CSS: &str = include_str!("assets/report.css");
const JS: &str = include_str!("assets/report.js");

pub struct Html;

impl Renderer for Html {
    fn render(&self, report: &Report) -> String {
        render(report)
    }
}

fn chart_section(s: &mut String, r: &Report) {
    s.push_str("<section id=\"chart\"><h2>F1 with 95% confidence intervals</h2>");
    let plugins: Vec<_> = r.loaded().collect();
    if plugins.is_empty() {
        s.push_str("<p class=\"muted\">No plugin loaded.</p></section>\n");
        return;
    }
    let groups: Vec<Option<Field>> = Field::ALL.map(Some).into_iter().chain([None]).collect();
    let c = chart::Chart {
        groups: groups
            .iter()
            .map(|f| f.map_or("overall".into(), |f| f.to_string()))
            .collect(),
        plugins: plugins.iter().map(|p| p.name.as_str()).collect(),
        values: groups
            .iter()
            .map(|f| {
                plugins
                    .iter()
                    .map(|p| {
                        let fs = match f {
                            Some(f) => p.fields.get(f),
                            None => Some(&p.overall),
                        }?;
                        Some(chart::Value {
                            f1: fs.headline.f1?,
                            ci: fs.headline_ci,
                        })
                    })
                    .collect()
            })
            .collect(),
    };
    s.push_str(&chart::svg(&c));
    s.push_str("\n</section>\n");
}

pub fn render(r: &Report) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Extraction report · {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        super::escape(r.meta.gold.sha256.get(..12).unwrap_or(&r.meta.gold.sha256))
    );
    s.push_str("<nav><b>Extraction report</b>");
    let mut nav = vec![("matrix", "Matrix")];
    if r.gate.is_some() {
        nav.insert(0, ("gate", "Gate"));
    }
    nav.extend([("chart", "Chart"), ("metrics", "Metrics")]);
    if r.loaded().any(|p| p.usage.is_some() || p.repeats.is_some()) {
        nav.push(("usage", "Cost"));
    }
    nav.extend([
        ("confusion", "Confusion"),
        ("heatmap", "Per article"),
        ("pairwise", "Pairwise"),
    ]);
    if r.comparison.is_some() {
        nav.push(("changes", "Changes"));
    }
    nav.push(("browser", "Error browser"));
    for (id, label) in nav {
        let _ = write!(s, "<a href=\"#{id}\">{label}</a>");
    }
    s.push_str("</nav>\n<main>\n");
    sections::header(&mut s, r);
    sections::gate(&mut s, r);
    sections::matrix(&mut s, r);
    chart_section(&mut s, r);
    sections::metrics(&mut s, r);
    sections::llm(&mut s, r);
    sections::confusion(&mut s, r);
    sections::heatmap(&mut s, r);
    sections::pairwise(&mut s, r);
    sections::comparison(&mut s, r);
    sections::browser(&mut s);
    let _ = write!(
        s,
        "</main>\n<script type=\"application/json\" id=\"data\">{}</script>\n<script>{JS}</script>\n</body>\n</html>\n",
        data::json(r)
    );
    s
}
