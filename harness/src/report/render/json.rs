use super::{Output, Renderer};
use crate::report::Report;

pub struct Json;

pub fn to_json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("reports serialize");
    s.push('\n');
    s
}

impl Renderer for Json {
    fn render(&self, report: &Report) -> Vec<Output> {
        vec![Output {
            file_name: "report.json",
            contents: to_json(report),
        }]
    }
}
