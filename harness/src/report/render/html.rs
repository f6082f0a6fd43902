//! The self-contained HTML report (placeholder until the full renderer lands).

use super::{Output, Renderer};
use crate::report::Report;

pub struct Html;

impl Renderer for Html {
    fn render(&self, report: &Report) -> Vec<Output> {
        let _ = report;
        vec![Output {
            file_name: "report.html",
            contents: String::from("<!doctype html><title>report</title>"),
        }]
    }
}
