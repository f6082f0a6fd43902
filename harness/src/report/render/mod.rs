//! Renderers: each turns a model into text. They only read the model (and
//! call its methods); nothing here computes a score, decides a rule or
//! touches a file. Which files are written, and where, is `output`'s job.

pub mod agreement;
pub mod comparison;
mod csv;
mod errors;
pub mod html;
mod json;
mod junit;
mod markdown;
pub mod show;
mod table;
pub mod terminal;
pub mod text;

use super::model::{PluginReport, Report, Timing};

/// A presentation of a report.
pub trait Renderer: Send + Sync {
    fn render(&self, report: &Report) -> String;
    /// Writes the presentation. Renderers of outputs that grow with the
    /// corpus stream here instead of building the whole text first.
    fn render_to(&self, report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        w.write_all(self.render(report).as_bytes())
    }
}

/// Every file of the report set, with its renderer, in the order written.
pub fn files() -> Vec<(&'static str, Box<dyn Renderer>)> {
    vec![
        ("report.json", Box::new(json::Json)),
        ("scores.csv", Box::new(csv::Scores)),
        ("articles.csv", Box::new(csv::Articles)),
        ("summary.md", Box::new(markdown::Markdown)),
        ("report.html", Box::new(html::Html)),
        ("junit.xml", Box::new(junit::Junit)),
        ("errors.jsonl", Box::new(errors::ErrorList)),
    ]
}

pub use json::to_json;
pub use text::{escape, interval, num};

/// A plugin's speed in one line (throughput, latency, memory, cache hits),
/// or `None` when it has no measured timing.
pub fn speed(t: Option<&Timing>) -> Option<String> {
    let t = t.filter(|t| t.total_ms > 0.0)?;
    let mut line = format!(
        "{:.1} art/s · {:.2} MB/s · p50 {:.1} ms · p95 {:.1} ms",
        t.articles_per_second, t.mb_per_second, t.p50_ms, t.p95_ms
    );
    if let Some(m) = t.peak_rss_mb {
        line.push_str(&format!(" · peak {m:.0} MB"));
    }
    if t.cached > 0 {
        line.push_str(&format!(" · {} cached", t.cached));
    }
    Some(line)
}

/// A plugin's cost and repeat spread in one line, when it reported usage or
/// ran with `--repeat`.
pub fn cost(p: &PluginReport) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(u) = &p.usage {
        let tokens = |x: Option<u64>| x.map_or("—".to_string(), |n| n.to_string());
        parts.push(format!(
            "tokens in {} / out {}",
            tokens(u.spent.input_tokens),
            tokens(u.spent.output_tokens)
        ));
        if let Some(c) = u.spent.cost_usd {
            parts.push(format!("${c:.4} spent"));
        }
        if let Some(c) = u.saved.cost_usd.filter(|c| *c > 0.0) {
            parts.push(format!("${c:.4} saved by the cache"));
        }
        if let Some(c) = u.cost_per_correct_usd {
            parts.push(format!("${c:.5} per correct mention"));
        }
    }
    if let Some(r) = &p.repeats {
        let o = &r.overall;
        parts.push(format!(
            "{} repeats: F1 mean {} [{}, {}] ± {}, agreement {}",
            r.repeats,
            num(o.mean),
            num(o.min),
            num(o.max),
            num(o.sd),
            num(o.agreement)
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}
