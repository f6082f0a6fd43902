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
