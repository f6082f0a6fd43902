use super::Renderer;
use crate::report::Report;

pub struct Json;

/// Above this many articles the report is written compact: indentation would
/// double a large corpus's report, and nobody reads those by eye.
const PRETTY_UP_TO: usize = 1000;

pub fn to_json(report: &Report) -> String {
    let mut s = if report.meta.gold.articles.len() <= PRETTY_UP_TO {
        serde_json::to_string_pretty(report)
    } else {
        serde_json::to_string(report)
    }
    .expect("reports serialize");
    s.push('\n');
    s
}

impl Renderer for Json {
    fn render(&self, report: &Report) -> String {
        to_json(report)
    }
    /// Streams: at 100k articles the report is ~170 MB of JSON.
    fn render_to(&self, report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        use std::io::Write;
        // A buffer of a concrete type: the serializer's many small writes
        // are then inlined copies, and only full buffers take the dynamic
        // call (it was 10% of a large run as one call per token).
        let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
        if report.meta.gold.articles.len() <= PRETTY_UP_TO {
            serde_json::to_writer_pretty(&mut w, report)
        } else {
            serde_json::to_writer(&mut w, report)
        }
        .map_err(std::io::Error::other)?;
        w.write_all(b"\n")?;
        w.flush()
    }
}
