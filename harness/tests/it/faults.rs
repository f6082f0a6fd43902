//! Crash containment end to end: every fault fixture beside the real
//! baseline in one worker-isolated run. The run completes, the baseline's
//! scores equal a clean run's, and each fault is reported with its kind.

use super::support::*;

fn eval(dir: &std::path::Path, plugins: &[String], extra: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    // The five seed articles: the assertions count them.
    let mut args: Vec<String> = ["eval", "--subset", "seeds", "--gold"].map(String::from).to_vec();
    args.push(gold_dir().display().to_string());
    for p in plugins {
        args.push("--plugin".into());
        args.push(p.clone());
    }
    args.extend(["--out", dir.to_str().unwrap(), "--resamples", "20", "--trials", "20"].map(String::from));
    args.extend(extra.iter().map(|s| s.to_string()));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = harness(&argv);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = read_json(&dir.join("report.json"));
    (out.status.code(), report, stderr)
}

fn kinds(plugin: &serde_json::Value) -> Vec<String> {
    plugin["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["error"]["kind"].as_str().unwrap_or("ok").to_string())
        .collect()
}

#[test]
fn every_fault_is_contained_and_reported_with_its_kind() {
    let clean_dir = temp_dir("clean");
    let base = plugin("baseline").display().to_string();
    let (_, clean, _) = eval(&clean_dir, std::slice::from_ref(&base), &[]);

    let dir = temp_dir("faults");
    let modes = [
        ("panic", "panic"),
        ("abort", "crash"),
        ("segfault", "crash"),
        ("stack_overflow", "crash"),
        ("loop", "timeout"),
        ("sleep", "timeout"),
        ("alloc", "crash"),
        ("invalid_json", "bad_output"),
        ("invalid_utf8", "invalid_utf8"),
        ("offsets_past_end", "offset_out_of_range"),
        ("mismatched_text", "offset_mismatch"),
        ("huge", "output_too_large"),
    ];
    let mut plugins = vec![base.clone()];
    plugins.extend(modes.iter().map(|(m, _)| fault_manifest(&dir, m)));
    plugins.push(plugin("fixture-wrong-abi").display().to_string());
    plugins.push(plugin("fixture-no-entry").display().to_string());
    plugins.push("cmd:true".into()); // exits at once
    plugins.push("cmd:sleep 30".into()); // never answers the handshake
    plugins.push("cmd:echo garbage; sleep 30".into()); // writes garbage
    plugins.push(r#"cmd:echo '{"protocol":"ie-harness-jsonl","protocol_version":1,"name":"liar","version":"1","fields":["date"]}'; while read l; do echo '{"id":"other","mentions":[]}'; done"#.into());
    let (code, report, stderr) = eval(
        &dir,
        &plugins,
        &[
            "--timeout",
            "3",
            "--max-failures",
            "2",
            "--memory-mb",
            "256",
            "--max-output-mb",
            "1",
            // One instance per plugin, so "skipped after two failures in a
            // row" is exact: with more, articles already in flight also time out.
            "--jobs",
            "1",
        ],
    );
    assert_eq!(
        code,
        Some(5),
        "load failures exit with PLUGIN_LOAD after writing reports\n{stderr}"
    );
    let ps = report["plugins"].as_array().unwrap();
    assert_eq!(ps.len(), plugins.len(), "every plugin is a row");

    // The real extractor is unaffected by its neighbours.
    assert_eq!(ps[0]["fields"], clean["plugins"][0]["fields"]);

    for (i, (mode, kind)) in modes.iter().enumerate() {
        let k = kinds(&ps[i + 1]);
        assert_eq!(k[0], *kind, "{mode}: {k:?}");
        if matches!(*mode, "loop" | "sleep") {
            // Two timeouts in a row, then the plugin is skipped.
            assert_eq!(k, vec![*kind, *kind, "skipped", "skipped", "skipped"], "{mode}");
        }
    }
    let n = modes.len() + 1;
    assert!(ps[n]["load_error"].as_str().unwrap().contains("ABI mismatch"));
    assert!(ps[n + 1]["load_error"]
        .as_str()
        .unwrap()
        .contains("missing entry symbol"));
    for p in &ps[n + 2..n + 5] {
        assert!(
            p["load_error"].as_str().unwrap().contains("handshake failed"),
            "{}",
            p["load_error"]
        );
    }
    assert!(kinds(&ps[n + 5]).iter().all(|k| k == "protocol" || k == "skipped"));
    // The segfault is named in the message with the worker's signal.
    assert!(ps[3]["articles"][0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("SIGSEGV"));
    // The stack overflow is told apart from other crashes by the runtime's
    // message, which the worker's stderr tail carries.
    let overflow = ps[4]["articles"][0]["error"]["message"].as_str().unwrap();
    assert!(overflow.contains("overflowed its stack"), "{overflow}");
}

#[test]
fn the_python_example_plugin_speaks_the_protocol() {
    if std::process::Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: python3 is not installed");
        return;
    }
    let dir = temp_dir("pyexample");
    let script = workspace().join("extractors/process-example/plugin.py");
    let (code, report, stderr) = eval(&dir, &[format!("cmd:python3 {}", script.display())], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let p = &report["plugins"][0];
    assert_eq!(p["info"]["kind"], "command");
    assert_eq!(p["info"]["fields"], serde_json::json!(["percentage"]));
    assert!(
        p["fields"]["percentage"]["headline"]["f1"].as_f64().unwrap() > 0.9,
        "{}",
        p["fields"]
    );
    assert!(p["fields"].get("date").is_none(), "unclaimed fields are not scored");
}

#[test]
fn reports_are_replaced_atomically_and_previous_ones_survive_a_failed_run() {
    let dir = temp_dir("atomic");
    let base = plugin("baseline").display().to_string();
    let (code, _, _) = eval(&dir, std::slice::from_ref(&base), &[]);
    assert_eq!(code, Some(0));
    let before = std::fs::read_to_string(dir.join("report.json")).unwrap();
    // A run that fails before scoring (bad gold) must not touch the reports.
    let out = harness(&[
        "eval",
        "--gold",
        "/nonexistent",
        "--plugin",
        &base,
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(std::fs::read_to_string(dir.join("report.json")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}
