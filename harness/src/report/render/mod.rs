//! Renderers: each turns the report model into one or more files. They only
//! read the model; nothing here computes a score.

mod csv;
mod errors;
mod html;
mod json;
mod junit;
mod markdown;
pub mod terminal;

use super::model::Report;

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
