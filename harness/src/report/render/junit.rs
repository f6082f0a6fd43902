//! JUnit XML: one test case per plugin × field gate check. A quality rule
//! violation is a `<failure>`, a plugin error an `<error>`.

use super::{escape, Output, Renderer};
use crate::gate::CheckStatus;
use crate::report::Report;
use std::fmt::Write;

pub struct Junit;

impl Renderer for Junit {
    fn render(&self, report: &Report) -> Vec<Output> {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let checks = report.gate.as_ref().map(|g| g.checks.as_slice()).unwrap_or(&[]);
        let failures = checks.iter().filter(|c| c.status == CheckStatus::Fail).count();
        let errors = checks.iter().filter(|c| c.status == CheckStatus::Error).count();
        let _ = writeln!(
            x,
            "<testsuites name=\"extraction-gate\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">",
            checks.len()
        );
        let mut plugins: Vec<&str> = checks.iter().map(|c| c.plugin.as_str()).collect();
        plugins.dedup();
        for p in plugins {
            let mine: Vec<_> = checks.iter().filter(|c| c.plugin == p).collect();
            let _ = writeln!(
                x,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
                escape(p),
                mine.len(),
                mine.iter().filter(|c| c.status == CheckStatus::Fail).count(),
                mine.iter().filter(|c| c.status == CheckStatus::Error).count()
            );
            for c in mine {
                let _ = write!(x, "    <testcase classname=\"{}\" name=\"{}\"", escape(p), c.field);
                let msg = escape(&c.messages.join("; "));
                match c.status {
                    CheckStatus::Pass => {
                        let _ = writeln!(x, "/>");
                    }
                    CheckStatus::Fail => {
                        let _ = writeln!(
                            x,
                            ">\n      <failure message=\"{msg}\">{msg}</failure>\n    </testcase>"
                        );
                    }
                    CheckStatus::Error => {
                        let _ = writeln!(x, ">\n      <error message=\"{msg}\">{msg}</error>\n    </testcase>");
                    }
                }
            }
            let _ = writeln!(x, "  </testsuite>");
        }
        x.push_str("</testsuites>\n");
        vec![Output {
            file_name: "junit.xml",
            contents: x,
        }]
    }
}
