//! Renderer snapshots on a fixed fixture, the gate table, and exit codes.

use super::support::*;
use harness::gate::{self, GateConfig};
use harness::predictions::{self, OnBadLine};
use harness::report::CheckStatus;
use harness::report::{self, render, Report, ScoreOptions};
use serde_json::json;
use std::path::Path;

const TEXT: &str = "Ngày 4/6/2024, ông Nguyễn Văn An - Chủ tịch UBND huyện cho biết thu ngân sách đạt 1.326,8 tỷ đồng, tăng 7,1% so với năm 2023.";

fn fixture(dir: &Path) -> harness::gold::GoldSet {
    let gold = dir.join("gold");
    tiny_gold(
        &gold,
        "a1",
        TEXT,
        &[
            ("d1", "date", 0, 13, json!("2024-06-04")),
            (
                "o1",
                "official",
                19,
                32,
                json!({"name": "Nguyễn Văn An", "titles": ["Chủ tịch UBND huyện"]}),
            ),
            (
                "f1",
                "figure",
                83,
                98,
                json!({"amount": 1326800000000.0, "unit": "đồng"}),
            ),
            ("p1", "percentage", 105, 109, json!({"value": 7.1})),
            ("d2", "date", 117, 125, json!("2023")),
        ],
    );
    harness::gold::load_dir(&gold).unwrap()
}

fn predictions_file(dir: &Path, name: &str, lines: &[serde_json::Value]) -> std::path::PathBuf {
    let p = dir.join(format!("{name}.jsonl"));
    std::fs::write(&p, lines.iter().map(|l| l.to_string() + "\n").collect::<String>()).unwrap();
    p
}

fn m(field: &str, s: usize, e: usize, value: serde_json::Value) -> serde_json::Value {
    let text: String = TEXT.chars().skip(s).take(e - s).collect();
    json!({"field": field, "start": s, "end": e, "text": text, "value": value})
}

fn report(dir: &Path) -> Report {
    let gold = fixture(dir);
    let good = predictions_file(
        dir,
        "good",
        &[json!({"id": "a1", "mentions": [
            m("date", 0, 13, json!("2024-06-04")),
            m("official", 19, 32, json!({"name": "Nguyễn Văn An", "titles": ["Chủ tịch UBND huyện"]})),
            m("figure", 83, 98, json!({"amount": 1326800000000.0, "unit": "đồng"})),
            m("percentage", 105, 109, json!({"value": 7.1})),
            m("date", 117, 125, json!("2023")),
        ]})],
    );
    let weak = predictions_file(
        dir,
        "weak",
        &[json!({"id": "a1", "mentions": [
            m("date", 5, 13, json!("2024-06")),
            m("official", 19, 32, json!({"name": "Nguyễn Văn An", "titles": []})),
            m("figure", 83, 90, json!({"amount": 1326.8, "unit": "tỷ"})),
            m("percentage", 47, 50, json!({"value": 1.0})),
        ]})],
    );
    let runs: Vec<_> = [good, weak]
        .iter()
        .map(|p| predictions::read(p, &gold, OnBadLine::Stop).unwrap())
        .collect();
    let opts = ScoreOptions::default();
    let meta = report::Meta {
        harness_version: "test".into(),
        command: "score".into(),
        git_commit: None,
        git_dirty: None,
        started_at: "2026-01-01T00:00:00Z".into(),
        duration_ms: 0,
        peak_rss_mb: None,
        shard: None,
        subset: None,
        gold: report::GoldMeta {
            dir: "gold".into(),
            sha256: "0".repeat(64),
            articles: gold.info(),
        },
        scoring: report::ScoringMeta {
            matching: opts.matching,
            resampling: opts.resampling,
            figure_rel_tolerance: 1e-9,
            percentage_abs_tolerance: 1e-9,
        },
    };
    let mut r = report::build(&gold, &runs, &opts, meta);
    for p in &mut r.plugins {
        if let Some(i) = &mut p.info {
            i.target = "<path>".into();
            i.sha256 = "<sha>".into();
        }
        p.spec = "<path>".into();
    }
    let cfg = GateConfig::parse("[default]\nmin_f1 = 0.5\n", "gate.toml").unwrap();
    r.gate = Some(gate::evaluate(&r, &cfg, None));
    r
}

#[test]
fn renderer_snapshots() {
    let dir = temp_dir("snap");
    let r = report(&dir);
    for (name, renderer) in render::files() {
        if name.ends_with(".html") || name.ends_with(".json") {
            continue; // HTML has its own structural test; JSON is the model itself.
        }
        insta::assert_snapshot!(name, renderer.render(&r));
    }
    insta::assert_snapshot!(
        "terminal",
        render::Renderer::render(
            &render::terminal::Terminal {
                colour: false,
                verbose: false
            },
            &r
        )
    );
}

#[test]
fn report_json_round_trips() {
    let dir = temp_dir("roundtrip");
    let r = report(&dir);
    let back: Report = serde_json::from_str(&render::to_json(&r)).unwrap();
    assert_eq!(back, r);
}

fn rules(src: &str) -> GateConfig {
    GateConfig::parse(src, "gate.toml").unwrap()
}

fn status(r: &Report, cfg: &GateConfig, base: Option<&Report>, plugin: &str, field: &str) -> CheckStatus {
    let out = gate::evaluate(r, cfg, base.map(|b| ("base.json", b)));
    out.checks
        .iter()
        .find(|c| c.plugin == plugin && c.field.is_some_and(|f| f.as_str() == field))
        .unwrap()
        .status
}

#[test]
fn gate_rules_table() {
    let dir = temp_dir("gate");
    let r = report(&dir);
    // The weak system as "baseline" of itself with the good one renamed.
    let mut better = r.clone();
    better.plugins[1] = better.plugins[0].clone();
    better.plugins[1].name = "weak".into();

    let cases: [(&str, Option<&Report>, &str, &str, CheckStatus); 8] = [
        ("", None, "weak", "date", CheckStatus::Pass),
        ("[default]\nmin_f1 = 0.5", None, "weak", "date", CheckStatus::Fail),
        (
            "[default]\nmin_f1 = 0.5\n[field.date]\nmin_f1 = 0.0",
            None,
            "weak",
            "date",
            CheckStatus::Pass,
        ),
        (
            "[default]\nmin_f1 = 0.0\n[plugin.weak.field.date]\nmin_f1 = 0.9",
            None,
            "weak",
            "date",
            CheckStatus::Fail,
        ),
        (
            "[default]\nmax_drop = 0.0",
            Some(&better),
            "weak",
            "date",
            CheckStatus::Fail,
        ),
        (
            "[default]\nmax_drop = 1.0",
            Some(&better),
            "weak",
            "date",
            CheckStatus::Pass,
        ),
        // One article cannot make a drop significant.
        (
            "[default]\nmax_drop = 0.0\nonly_if_significant = true",
            Some(&better),
            "weak",
            "date",
            CheckStatus::Pass,
        ),
        // A plugin missing from the baseline gets no drop check.
        (
            "[default]\nmax_drop = 0.0",
            Some(&Report {
                plugins: vec![],
                ..r.clone()
            }),
            "weak",
            "date",
            CheckStatus::Pass,
        ),
    ];
    for (src, base, plugin, field, want) in cases {
        assert_eq!(status(&r, &rules(src), base, plugin, field), want, "rules: {src:?}");
    }
}

#[test]
fn a_baseline_plugin_missing_from_the_run_fails_the_gate_unless_allowed() {
    let dir = temp_dir("gate-missing");
    let r = report(&dir);
    // The run lost "weak"; the baseline still has it.
    let run = Report {
        plugins: vec![r.plugins[0].clone()],
        ..r.clone()
    };
    let missing = |src: &str| {
        let out = gate::evaluate(&run, &rules(src), Some(("base.json", &r)));
        let check = out
            .checks
            .iter()
            .find(|c| c.plugin == "weak")
            .cloned()
            .expect("a check for weak");
        (out.passed, check)
    };
    let (passed, check) = missing("[default]\nmax_drop = 0.0");
    assert!(!passed);
    assert_eq!((check.status, check.field), (CheckStatus::Error, None));
    assert!(
        check.messages[0].contains("missing from this run"),
        "{:?}",
        check.messages
    );
    let (passed, check) = missing("[default]\nmax_drop = 0.0\n[plugin.weak]\nallow_missing = true");
    assert!(passed, "{:?}", check.messages);
    assert_eq!(check.status, CheckStatus::Pass);
    // JUnit carries it as an error of its own suite.
    let mut gated = run.clone();
    gated.gate = Some(gate::evaluate(
        &run,
        &rules("[default]\nmax_drop = 0.0"),
        Some(("base.json", &r)),
    ));
    let (_, junit) = render::files().into_iter().find(|(n, _)| *n == "junit.xml").unwrap();
    let junit = junit.render(&gated);
    assert!(
        junit.contains("name=\"weak\"") && junit.contains("type=\"missing\""),
        "{junit}"
    );
}

#[test]
fn gate_config_rejects_unknown_keys_with_a_position() {
    let err = GateConfig::parse("[default]\nmin_f = 0.5\n", "gate.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("gate.toml:2:1") && err.contains("min_f"), "{err}");
}

#[test]
fn exit_codes_end_to_end() {
    let dir = temp_dir("exit");
    let _ = report(&dir);
    let gold = dir.join("gold").display().to_string();
    let weak = dir.join("weak.jsonl").display().to_string();
    let out = dir.join("out").display().to_string();
    let gate_file = dir.join("gate.toml");
    std::fs::write(&gate_file, "[default]\nmin_f1 = 0.99\n").unwrap();
    let code = |args: &[&str]| harness(args).status.code();
    assert_eq!(
        code(&["score", "--gold", &gold, "--predictions", &weak, "--out", &out]),
        Some(0)
    );
    assert_eq!(
        code(&[
            "score",
            "--gold",
            &gold,
            "--predictions",
            &weak,
            "--out",
            &out,
            "--gate",
            gate_file.to_str().unwrap()
        ]),
        Some(1)
    );
    assert!(
        Path::new(&out).join("junit.xml").exists(),
        "reports are written before a failing exit"
    );
    assert!(std::fs::read_to_string(Path::new(&out).join("junit.xml"))
        .unwrap()
        .contains("<failure"));
    assert_eq!(
        code(&["score", "--gold", "/nonexistent", "--predictions", &weak]),
        Some(4)
    );
    assert_eq!(
        code(&["score", "--gold", &gold, "--predictions", "/nonexistent.jsonl"]),
        Some(4)
    );
    assert_eq!(code(&["eval", "--bogus-flag"]), Some(2));
    // A mistyped plugin path is a missing input, found before anything
    // runs: the previous reports stay as they were.
    let before = std::fs::read(Path::new(&out).join("report.json")).unwrap();
    assert_eq!(
        code(&["eval", "--gold", &gold, "--plugin", "/nonexistent.so", "--out", &out]),
        Some(4)
    );
    assert_eq!(std::fs::read(Path::new(&out).join("report.json")).unwrap(), before);
    std::fs::write(
        dir.join("bad.jsonl"),
        "{\"id\": \"a1\", \"mentions\": [{\"field\": \"date\"}]}\n",
    )
    .unwrap();
    let bad = harness(&[
        "score",
        "--gold",
        &gold,
        "--predictions",
        dir.join("bad.jsonl").to_str().unwrap(),
        "--out",
        &out,
    ]);
    assert_exit(&bad, 7, "bad.jsonl:1:1");
    let skip = harness(&[
        "score",
        "--gold",
        &gold,
        "--predictions",
        dir.join("bad.jsonl").to_str().unwrap(),
        "--out",
        &out,
        "--on-bad-line",
        "skip",
    ]);
    // Skipped, not silently scored as "predicted nothing": the article is a
    // failed row (bad_line, with file:line), and as it is the only article
    // the predictions produced nothing usable (exit 5).
    assert_eq!(skip.status.code(), Some(5), "{}", String::from_utf8_lossy(&skip.stderr));
    let r = read_json(&Path::new(&out).join("report.json"));
    let error = &r["plugins"][0]["articles"][0]["error"];
    assert_eq!(error["kind"], "bad_line", "{error}");
    assert!(error["message"].as_str().unwrap().contains("bad.jsonl:1:1"), "{error}");
}

#[test]
fn compare_shows_deltas_and_flipped_mentions() {
    let dir = temp_dir("compare");
    let r = report(&dir);
    let mut new = r.clone();
    new.plugins[0] = r.plugins[1].clone();
    new.plugins[0].name = r.plugins[0].name.clone();
    let c = harness::compare::compare("base", &r, &new);
    let row = c
        .rows
        .iter()
        .find(|x| x.plugin == "good" && x.field == extractor_api::Field::Date)
        .unwrap();
    assert!(row.test.delta < 0.0);
    assert!(c.flips.iter().any(|f| f.kind == harness::report::FlipKind::NewlyMissed));
    assert!(c
        .flips
        .iter()
        .any(|f| f.kind == harness::report::FlipKind::NewlySpurious));
}
