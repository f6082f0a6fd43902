//! Renderers: each turns the report model into one or more files. They only
//! read the model; nothing here computes a score.

mod csv;
mod errors;
mod html;
mod json;
mod junit;
mod markdown;
pub mod terminal;

use super::model::{Report, Timing};

/// One rendered output file.
pub struct Output {
    pub file_name: &'static str,
    pub contents: String,
}

pub trait Renderer {
    fn render(&self, report: &Report) -> Vec<Output>;
}

/// Every file renderer, in the order their files are written.
pub fn all() -> Vec<Box<dyn Renderer>> {
    vec![
        Box::new(json::Json),
        Box::new(csv::Csv),
        Box::new(markdown::Markdown),
        Box::new(html::Html),
        Box::new(junit::Junit),
        Box::new(errors::ErrorList),
    ]
}

/// `0.1234` → "0.123", `None` → "—".
pub fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |v| format!("{v:.3}"))
}

/// "[0.812, 0.954]" or "".
pub fn interval(ci: Option<crate::score::Interval>) -> String {
    ci.map_or_else(String::new, |i| format!("[{:.3}, {:.3}]", i.low, i.high))
}

pub use json::to_json;

/// Escapes text for XML/HTML element content and quoted attributes; drops
/// control characters XML 1.0 does not allow.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => o.push(c),
        }
    }
    o
}

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
