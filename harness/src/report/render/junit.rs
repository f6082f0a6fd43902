//! JUnit XML, valid against the strict Ant/Jenkins schema (windyroad's
//! JUnit.xsd: every suite has `package`, `id`, `timestamp`, `hostname`,
//! `time`, `properties`, `system-out` and `system-err`; every case `time`;
//! every failure and error `message` and `type`).
//!
//! One suite per plugin. Test cases: one per claimed field (a gate rule
//! violation is a `<failure>`; without a gate every field passes), one
//! `<error>` per failed article (a crash is one error per article, not one
//! per field), and one `<error>` for a plugin that did not load or is
//! missing from the run.

use super::{escape, num, Renderer};
use crate::report::{CheckStatus, GateCheck, PluginReport, Report};
use std::fmt::Write;

pub struct Junit;

struct Case {
    name: String,
    classname: String,
    time_s: f64,
    /// (element, type, message)
    problem: Option<(&'static str, String, String)>,
}

fn plugin_cases(p: &PluginReport, checks: &[&GateCheck]) -> Vec<Case> {
    let mut cases = Vec::new();
    if let Some(e) = &p.load_error {
        cases.push(Case {
            name: "load".into(),
            classname: p.name.clone(),
            time_s: 0.0,
            problem: Some(("error", "load_failed".into(), e.clone())),
        });
        return cases;
    }
    for field in p.claimed_fields() {
        let check = checks.iter().find(|c| c.field == Some(field));
        let f1 = p.fields.get(&field).and_then(|s| s.headline.f1);
        cases.push(Case {
            name: format!("{field} (F1 {})", num(f1)),
            classname: format!("{}.fields", p.name),
            time_s: 0.0,
            problem: check
                .filter(|c| c.status == CheckStatus::Fail)
                .map(|c| ("failure", "gate".to_string(), c.messages.join("; "))),
        });
    }
    for a in p.failed_articles() {
        let e = a.error.as_ref().expect("failed");
        cases.push(Case {
            name: format!("article {}", a.id),
            classname: format!("{}.articles", p.name),
            time_s: a.elapsed_ms / 1e3,
            problem: Some(("error", e.kind.to_string(), e.message.clone())),
        });
    }
    cases
}

fn missing_cases(name: &str, check: &GateCheck) -> Vec<Case> {
    vec![Case {
        name: "present in the run".into(),
        classname: name.to_string(),
        time_s: 0.0,
        problem: (check.status != CheckStatus::Pass).then(|| ("error", "missing".into(), check.messages.join("; "))),
    }]
}

impl Renderer for Junit {
    fn render(&self, report: &Report) -> String {
        let checks: Vec<&GateCheck> = report.gate.iter().flat_map(|g| g.checks.iter()).collect();
        let mut suites: Vec<(String, f64, Vec<Case>)> = report
            .plugins
            .iter()
            .map(|p| {
                let mine: Vec<&GateCheck> = checks.iter().copied().filter(|c| c.plugin == p.name).collect();
                let time = p.timing.as_ref().map_or(0.0, |t| t.total_ms / 1e3);
                (p.name.clone(), time, plugin_cases(p, &mine))
            })
            .collect();
        for c in checks.iter().filter(|c| report.plugin(&c.plugin).is_none()) {
            suites.push((c.plugin.clone(), 0.0, missing_cases(&c.plugin, c)));
        }
        let count = |cases: &[Case], what: &str| {
            cases
                .iter()
                .filter(|c| c.problem.as_ref().is_some_and(|p| p.0 == what))
                .count()
        };
        let all: Vec<&Case> = suites.iter().flat_map(|s| s.2.iter()).collect();
        let (failures, errors) = (
            all.iter()
                .filter(|c| c.problem.as_ref().is_some_and(|p| p.0 == "failure"))
                .count(),
            all.iter()
                .filter(|c| c.problem.as_ref().is_some_and(|p| p.0 == "error"))
                .count(),
        );
        let total_time: f64 = suites.iter().map(|s| s.1).sum();
        // xs:dateTime without a zone, as the schema's pattern wants. The
        // host is the schema's "localhost": reports (and the committed
        // baseline) stay free of machine names.
        let timestamp = report
            .meta
            .started_at
            .trim_end_matches('Z')
            .chars()
            .take(19)
            .collect::<String>();
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            x,
            "<testsuites name=\"extraction\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{total_time:.3}\">",
            all.len()
        );
        for (id, (name, time, cases)) in suites.iter().enumerate() {
            let _ = writeln!(
                x,
                "  <testsuite package=\"ie-harness\" id=\"{id}\" name=\"{}\" timestamp=\"{timestamp}\" hostname=\"localhost\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{time:.3}\">",
                escape(name),
                cases.len(),
                count(cases, "failure"),
                count(cases, "error")
            );
            let _ = writeln!(
                x,
                "    <properties>\n      <property name=\"gold_sha256\" value=\"{}\"/>\n      <property name=\"seed\" value=\"{}\"/>\n    </properties>",
                escape(&report.meta.gold.sha256),
                report.meta.scoring.resampling.seed
            );
            for c in cases {
                let _ = write!(
                    x,
                    "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
                    escape(&c.name),
                    escape(&c.classname),
                    c.time_s
                );
                match &c.problem {
                    None => x.push_str("/>\n"),
                    Some((element, kind, message)) => {
                        let m = escape(message);
                        let _ = writeln!(
                            x,
                            ">\n      <{element} message=\"{m}\" type=\"{}\">{m}</{element}>\n    </testcase>",
                            escape(kind)
                        );
                    }
                }
            }
            x.push_str("    <system-out/>\n    <system-err/>\n  </testsuite>\n");
        }
        x.push_str("</testsuites>\n");
        x
    }
}
