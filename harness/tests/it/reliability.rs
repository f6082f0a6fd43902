//! Reliability, round two: each case is a hostile plugin or input that
//! once hung the run, left processes behind, was scored silently as if it
//! were right, or gave an unclear error. Every harness call here also
//! asserts that no plugin process outlives the run (support::harness).

use super::support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HANDSHAKE: &str =
    r#"{"protocol":"ie-harness-jsonl","protocol_version":1,"name":"NAME","version":"1","fields":FIELDS}"#;

/// A command plugin: a shell script that sends a handshake (name, fields)
/// and then runs `body` (which reads requests from stdin as it likes).
fn script_plugin(dir: &Path, name: &str, fields: &str, body: &str) -> String {
    let path = dir.join(format!("{name}.sh"));
    let hs = HANDSHAKE.replace("NAME", name).replace("FIELDS", fields);
    std::fs::write(&path, format!("echo '{hs}'\n{body}\n")).unwrap();
    format!("cmd:sh {}", path.display())
}

/// The `id` of a request line, in sh.
const ID: &str = r#"id=$(printf '%s' "$line" | sed 's/^{"id":"\([^"]*\)".*/\1/')"#;

fn eval(dir: &Path, gold: &Path, plugins: &[String], extra: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let out = dir.join("out");
    let mut args: Vec<String> = ["eval", "--gold", gold.to_str().unwrap(), "--out", out.to_str().unwrap()]
        .map(String::from)
        .to_vec();
    for p in plugins {
        args.extend(["--plugin".to_string(), p.clone()]);
    }
    args.extend(["--resamples", "10", "--trials", "10", "--no-cache", "-q"].map(String::from));
    args.extend(extra.iter().map(|s| s.to_string()));
    let o = harness(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let report = std::fs::read_to_string(out.join("report.json"))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(serde_json::Value::Null);
    (o.status.code(), report, String::from_utf8_lossy(&o.stderr).into_owned())
}

fn kinds(report: &serde_json::Value, plugin: usize) -> Vec<String> {
    report["plugins"][plugin]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["error"]["kind"].as_str().unwrap_or("ok").to_string())
        .collect()
}

/// A one-article gold set whose article is `chars` long (a few dates).
fn big_gold(dir: &Path, chars: usize) -> PathBuf {
    let gold = dir.join("gold");
    let mut text = String::from("Ngày 4/6/2024 ");
    while text.len() < chars {
        text.push_str("tình hình kinh tế xã hội ổn định. ");
    }
    let start = 0;
    tiny_gold(
        &gold,
        "big",
        &text,
        &[("d1", "date", start, 13, serde_json::json!("2024-06-04"))],
    );
    gold
}

#[test]
fn a_plugin_that_stops_reading_stdin_times_out_instead_of_hanging() {
    let dir = temp_dir("stdin-stuck");
    let gold = big_gold(&dir, 300_000); // far above the 64 KiB pipe buffer
    let stuck = script_plugin(&dir, "stuck", r#"["date"]"#, "sleep 30");
    let t = Instant::now();
    let (code, report, stderr) = eval(&dir, &gold, &[stuck], &["--timeout", "1", "--jobs", "1"]);
    assert!(
        t.elapsed() < Duration::from_secs(15),
        "the run was bounded by the timeout"
    );
    assert_eq!(code, Some(5), "{stderr}");
    let a = &report["plugins"][0]["articles"][0]["error"];
    assert_eq!(a["kind"], "timeout", "{a}");
    assert!(
        a["message"].as_str().unwrap().contains("stopped reading its input"),
        "{a}"
    );
}

#[test]
fn a_plugins_children_do_not_outlive_its_run() {
    let dir = temp_dir("children");
    // The plugin forks a long sleeper into its process group, then answers
    // normally and exits on end of input.
    let body =
        format!("sleep 300 &\nwhile read line; do {ID}; echo \"{{\\\"id\\\":\\\"$id\\\",\\\"mentions\\\":[]}}\"; done");
    let forker = script_plugin(&dir, "forker", r#"["date"]"#, &body);
    let (code, report, stderr) = eval(&dir, &gold_dir(), &[forker], &["--jobs", "1"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(kinds(&report, 0).iter().all(|k| k == "ok"));
    // support::harness has asserted that the sleeper is gone.
}

#[test]
fn interrupting_the_harness_ends_every_plugin_keeps_the_reports_and_can_resume() {
    let dir = temp_dir("sigint");
    let out = dir.join("out");
    let base = plugin("baseline").display().to_string();
    let gold = gold_dir();
    let args = |plugins: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "eval",
            "--gold",
            gold.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ]
        .map(String::from)
        .to_vec();
        for p in plugins {
            a.extend(["--plugin".to_string(), p.to_string()]);
        }
        a.extend(["--resamples", "10", "--trials", "10", "--jobs", "1", "--timeout", "60"].map(String::from));
        a
    };
    let first = harness(&args(&[&base]).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(first.status.code(), Some(0));
    let before = std::fs::read(out.join("report.json")).unwrap();

    // A plugin that spins at 100% CPU on its first article.
    let spinner = script_plugin(&dir, "spinner", r#"["date"]"#, "read line\nwhile :; do :; done");
    for (signal, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let child = Command::new(env!("CARGO_BIN_EXE_harness"))
            .args(args(&[&base, &spinner]))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        let deadline = Instant::now() + Duration::from_secs(20);
        while plugin_processes(pid).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(300)); // the spinner is spinning
        assert!(!plugin_processes(pid).is_empty(), "the plugin started");
        // SAFETY: signalling our own child.
        unsafe { libc::kill(pid as i32, signal) };
        let o = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(code), "{stderr}");
        assert!(stderr.contains("--resume"), "says how to resume: {stderr}");
        assert_no_plugin_processes(pid, &stderr);
        assert_eq!(
            std::fs::read(out.join("report.json")).unwrap(),
            before,
            "previous reports kept"
        );
        assert!(out.join(".eval-in-progress.json").exists(), "the resume marker stays");
    }
}

#[test]
fn a_stray_stdout_line_is_a_protocol_error_not_a_shifted_answer() {
    let dir = temp_dir("stray");
    // Answers the first request of the run twice (once: a flag file): the
    // stale second line would be read as the next article's answer.
    let flag = dir.join("answered-twice");
    let body = format!(
        "while read line; do {ID}; echo \"{{\\\"id\\\":\\\"$id\\\",\\\"mentions\\\":[]}}\"; \
         if [ ! -e {f} ]; then touch {f}; echo \"{{\\\"id\\\":\\\"$id\\\",\\\"mentions\\\":[]}}\"; fi; done",
        f = flag.display()
    );
    let twice = script_plugin(&dir, "twice", r#"["date"]"#, &body);
    let no_id = script_plugin(
        &dir,
        "noid",
        r#"["date"]"#,
        r#"while read line; do echo '{"mentions":[]}'; done"#,
    );
    let (_, report, stderr) = eval(
        &dir,
        &gold_dir(),
        &[twice, no_id],
        &["--jobs", "1", "--max-failures", "10"],
    );
    let k = kinds(&report, 0);
    assert_eq!(k[0], "ok");
    assert_eq!(k[1], "protocol", "{stderr}");
    let msg = report["plugins"][0]["articles"][1]["error"]["message"]
        .as_str()
        .unwrap();
    assert!(
        msg.contains("while") && msg.contains("was asked") && msg.contains("restarted"),
        "{msg}"
    );
    // The process was restarted: later answers are the right ones again.
    assert!(k[2..].iter().all(|x| x == "ok"), "{k:?}");
    // A reply without an id is never taken for the current article.
    assert!(
        kinds(&report, 1).iter().all(|x| x == "protocol"),
        "{:?}",
        kinds(&report, 1)
    );
}

#[test]
fn a_library_that_prints_to_stdout_does_not_corrupt_the_exchange() {
    let dir = temp_dir("print");
    let printer = fault_manifest(&dir, "print");
    let (code, report, stderr) = eval(&dir, &gold_dir(), &[printer], &["--jobs", "1"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(kinds(&report, 0).iter().all(|k| k == "ok"), "{:?}", kinds(&report, 0));
}

#[test]
fn a_handshake_claiming_no_fields_is_refused() {
    let dir = temp_dir("nofields");
    let empty = script_plugin(&dir, "empty", "[]", "cat >/dev/null");
    let (code, report, _) = eval(&dir, &gold_dir(), &[empty], &[]);
    assert_eq!(code, Some(5));
    let e = report["plugins"][0]["load_error"].as_str().unwrap();
    assert!(e.contains("claims no fields"), "{e}");
}

#[test]
fn mentions_of_unclaimed_fields_are_dropped_counted_and_do_not_move_the_claimed_numbers() {
    let dir = temp_dir("unclaimed");
    let text = "Ngày 4/6/2024 tăng 7,1%.";
    let gold = dir.join("gold");
    tiny_gold(
        &gold,
        "a1",
        text,
        &[("d1", "date", 0, 13, serde_json::json!("2024-06-04"))],
    );
    let date = r#"{"field":"date","start":0,"end":13,"text":"Ngày 4/6/2024","value":"2024-06-04"}"#;
    let pct = r#"{"field":"percentage","start":19,"end":23,"text":"7,1%","value":{"value":7.1}}"#;
    let answer = |mentions: &str| {
        format!(
            "while read line; do {ID}; echo \"{{\\\"id\\\":\\\"$id\\\",\\\"mentions\\\":[{}]}}\"; done",
            mentions.replace('"', "\\\"")
        )
    };
    let clean = script_plugin(&dir, "clean", r#"["date"]"#, &answer(date));
    let extra = script_plugin(&dir, "extra", r#"["date"]"#, &answer(&format!("{date},{pct}")));
    let (code, report, stderr) = eval(&dir, &gold, &[clean, extra], &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let (c, e) = (&report["plugins"][0], &report["plugins"][1]);
    assert_eq!(e["unclaimed_mentions"], 1);
    assert!(e["warnings"][0].as_str().unwrap().contains("does not claim"), "{e}");
    assert_eq!(
        c["fields"], e["fields"],
        "every scheme of the claimed field is unchanged"
    );
}

#[test]
fn predictions_that_match_no_article_and_bad_input_get_clear_errors() {
    let dir = temp_dir("bad-inputs");
    let gold = gold_dir();
    let out = dir.join("out");
    let score = |preds: &Path, extra: &[&str]| {
        let mut a = vec![
            "score",
            "--gold",
            gold.to_str().unwrap(),
            "--predictions",
            preds.to_str().unwrap(),
        ];
        a.extend(["--out", out.to_str().unwrap()]);
        a.extend(extra);
        harness(&a)
    };
    // An empty predictions file would score everything zero without a word.
    let empty = dir.join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let o = score(&empty, &[]);
    assert_eq!(o.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&o.stderr).contains("names an article of the gold set"));
    // A byte order mark in front of a line.
    let bom = dir.join("bom.jsonl");
    std::fs::write(&bom, "\u{feff}{\"id\": \"000_ffe74637e9cbe8aa\", \"mentions\": []}\n").unwrap();
    let o = score(&bom, &[]);
    assert_eq!(o.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bom.jsonl:1:1: the line starts with a UTF-8 byte order mark"));
    // A predictions directory with a broken file is the predictions' problem.
    let bad_dir = dir.join("preds");
    std::fs::create_dir_all(bad_dir.join("articles")).unwrap();
    std::fs::write(bad_dir.join("x.json"), "{").unwrap();
    let o = score(&bad_dir, &[]);
    assert_eq!(o.status.code(), Some(7), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("in the predictions directory"));
    // --out naming a file.
    let file = dir.join("a-file");
    std::fs::write(&file, "").unwrap();
    let passes = gold.join("passes/a");
    let o = harness(&[
        "score",
        "--gold",
        gold.to_str().unwrap(),
        "--predictions",
        passes.to_str().unwrap(),
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a file"));
    // Float flags out of range are usage errors, not panics.
    for v in ["inf", "nan", "-1", "1e300"] {
        assert_eq!(
            harness(&["eval", "--timeout", v]).status.code(),
            Some(2),
            "--timeout {v}"
        );
    }
    // A report from a newer harness is refused, not read silently.
    let o = score(&passes, &["--resamples", "10", "--trials", "10"]);
    assert_eq!(o.status.code(), Some(0));
    let mut r: serde_json::Value = read_json(&out.join("report.json"));
    r["schema_version"] = 99.into();
    let newer = dir.join("newer.json");
    std::fs::write(&newer, r.to_string()).unwrap();
    let o = harness(&[
        "compare",
        out.join("report.json").to_str().unwrap(),
        newer.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&o.stderr).contains("newer than this harness reads"));
    // So is a report with something after it, not read as its first part.
    let doubled = dir.join("doubled.json");
    let one = std::fs::read_to_string(out.join("report.json")).unwrap();
    std::fs::write(&doubled, format!("{one}{one}")).unwrap();
    let o = harness(&[
        "compare",
        out.join("report.json").to_str().unwrap(),
        doubled.to_str().unwrap(),
    ]);
    assert_exit(&o, 7, "trailing characters");
}

#[test]
fn the_gate_is_checked_before_any_plugin_runs() {
    let dir = temp_dir("gate-first");
    let touch = dir.join("ran");
    let body = format!(
        "while read line; do touch {}; {ID}; echo \"{{\\\"id\\\":\\\"$id\\\",\\\"mentions\\\":[]}}\"; done",
        touch.display()
    );
    let toucher = script_plugin(&dir, "toucher", r#"["date"]"#, &body);
    for (gate, why) in [
        ("[default]\nmin_f1 = \n", "gate.toml:2:"),
        (
            "[default]\nmin_f1 = 2\n",
            "gate.toml:2:1: [default] min_f1 = 2 is out of range",
        ),
        (
            "[plugin.tocher]\nmin_f1 = 0.5\n",
            "gate.toml:1:1: [plugin.tocher] names no plugin of this run",
        ),
    ] {
        let g = dir.join("gate.toml");
        std::fs::write(&g, gate).unwrap();
        let (code, _, stderr) = eval(
            &dir,
            &gold_dir(),
            std::slice::from_ref(&toucher),
            &["--gate", g.to_str().unwrap()],
        );
        assert_eq!(code, Some(7), "{gate}: {stderr}");
        assert!(stderr.contains(why), "{gate}: {stderr}");
        assert!(!touch.exists(), "{gate}: no article was run");
    }
}

#[test]
fn a_second_run_on_the_same_out_dir_is_refused_and_the_set_has_a_manifest() {
    let dir = temp_dir("busy");
    let out = dir.join("out");
    let slow = script_plugin(
        &dir,
        "slow",
        r#"["date"]"#,
        &format!("while read line; do sleep 0.5; {ID}; echo \"{{\\\"id\\\":\\\"$id\\\",\\\"mentions\\\":[]}}\"; done"),
    );
    let gold = gold_dir();
    let args = |p: &str| {
        vec![
            "eval".to_string(),
            "--gold".into(),
            gold.display().to_string(),
            "--plugin".into(),
            p.to_string(),
            "--out".into(),
            out.display().to_string(),
            "--resamples".into(),
            "10".into(),
            "--trials".into(),
            "10".into(),
            "--jobs".into(),
            "1".into(),
            "-q".into(),
        ]
    };
    let first = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args(&slow))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while plugin_processes(first.id()).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let base = plugin("baseline").display().to_string();
    let second = harness(&args(&base).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        second.status.code(),
        Some(8),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert!(String::from_utf8_lossy(&second.stderr).contains("in use by another run"));
    let o = first.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    // The finished set names every file with its hash.
    let manifest = read_json(&out.join("manifest.json"));
    let files = manifest["files"].as_object().unwrap();
    assert_eq!(files.len(), 7);
    for (name, sha) in files {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert_eq!(sha.as_str().unwrap(), harness::digest::sha256_hex(&bytes), "{name}");
    }
    let report = read_json(&out.join("report.json"));
    assert_eq!(manifest["run"], report["meta"]["started_at"]);
}

#[test]
fn limits_reach_the_worker() {
    let dir = temp_dir("limits");
    let big = fault_manifest(&dir, "big_valid");
    let gold = dir.join("gold");
    tiny_gold(&gold, "a1", "Ngày 4/6/2024.", &[]);
    let (_, report, stderr) = eval(&dir, &gold, std::slice::from_ref(&big), &[]);
    assert_eq!(kinds(&report, 0), ["output_too_large"], "{stderr}");
    let (code, report, stderr) = eval(&dir, &gold, &[big], &["--max-output-mb", "100"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        kinds(&report, 0),
        ["ok"],
        "a 70 MiB answer fits a 100 MiB cap in the worker too"
    );
}

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    let gold = gold_dir();
    let passes = gold.join("passes/a");
    let dir = temp_dir("pipe");
    let cmd = format!(
        "set -o pipefail; {} score --gold {} --predictions {} --out {} --resamples 10 --trials 10 -q --json | head -c 10 >/dev/null",
        env!("CARGO_BIN_EXE_harness"),
        gold.display(),
        passes.display(),
        dir.join("out").display()
    );
    let o = Command::new("bash").args(["-c", &cmd]).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "exit {:?}: {stderr}", o.status.code());
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn resume_works_from_another_working_directory() {
    let dir = temp_dir("resume-cwd");
    let work = dir.join("work");
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    // Relative paths, recorded as absolute in the marker.
    let gold = work.join("gold");
    std::fs::create_dir_all(gold.join("articles")).unwrap();
    for e in std::fs::read_dir(gold_dir()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            std::fs::copy(&p, gold.join(p.file_name().unwrap())).unwrap();
            let t = format!("articles/{}.txt", p.file_stem().unwrap().to_string_lossy());
            std::fs::copy(gold_dir().join(&t), gold.join(&t)).unwrap();
        }
    }
    std::fs::write(
        work.join("plugin.sh"),
        format!(
            "echo '{}'\nwhile read line; do {ID}; echo \"{{\\\"id\\\":\\\"$id\\\",\\\"mentions\\\":[]}}\"; done\n",
            HANDSHAKE.replace("NAME", "rel").replace("FIELDS", r#"["date"]"#)
        ),
    )
    .unwrap();
    // An interrupted run: its marker holds the plan.
    let plan = serde_json::json!({"marker_version": 2, "plan": {
        "gold": {"path": gold, "subset": null, "limit": null, "shard": null},
        "plugins": [{"kind": "command", "command": "sh plugin.sh", "dir": work}],
        "run": {"isolation": "worker", "limits": {"timeout": {"secs": 30, "nanos": 0}, "max_output_bytes": 1048576, "memory_bytes": 0},
                "max_consecutive_failures": 5, "budget": null, "jobs": 1, "cache": {"dir": work.join("out/.cache")}, "repeats": 1, "retries": 2},
        "scoring": {"options": {"matching": {"min_overlap": 0.0}, "resampling": {"seed": 1, "resamples": 10, "trials": 10}}, "threads": null},
        "output": {"out": work.join("out"), "gate": null, "baseline": null, "json": false}
    }});
    std::fs::create_dir_all(work.join("out")).unwrap();
    std::fs::write(work.join("out/.eval-in-progress.json"), plan.to_string()).unwrap();
    let out = work.join("out");
    let o = harness_in(
        &["eval", "--resume", "--out", out.to_str().unwrap(), "-q"],
        Some(&elsewhere),
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("report.json").exists(), "reports where the plan said");
    assert!(
        !elsewhere.join("reports").exists(),
        "nothing written relative to the new cwd"
    );
    assert!(!out.join(".eval-in-progress.json").exists());
    let r = read_json(&out.join("report.json"));
    assert_eq!(r["plugins"][0]["name"], "rel");
    assert_eq!(r["plugins"][0]["articles"].as_array().unwrap().len(), 5);
}
