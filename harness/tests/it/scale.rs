//! Parallelism, sharding and the output cache, end to end: the numbers never
//! depend on how the work was split, scheduled or remembered.

use super::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn eval(out: &Path, extra: &[&str]) -> (Option<i32>, Value, String) {
    let (base, ok) = (plugin("baseline").display().to_string(), fault_manifest(out, "ok"));
    let gold = gold_dir().display().to_string();
    let mut args = vec!["eval", "--gold", &gold, "--plugin", &base, "--plugin", &ok];
    args.extend(["--out", out.to_str().unwrap(), "--resamples", "50", "--trials", "50"]);
    args.extend(extra);
    let o = harness(&args);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let report = read_json(&out.join("report.json"));
    (o.status.code(), report, stderr)
}

/// The report without what legitimately differs between equal runs: when
/// and how long, where the outputs came from, and paths.
fn numbers(report: &Value) -> Value {
    let mut r = report.clone();
    r.as_object_mut().unwrap().remove("meta");
    for p in r["plugins"].as_array_mut().unwrap() {
        let p = p.as_object_mut().unwrap();
        for k in ["timing", "spec"] {
            p.remove(k);
        }
        p["info"].as_object_mut().unwrap().remove("target");
        for a in p["articles"].as_array_mut().unwrap() {
            let a = a.as_object_mut().unwrap();
            a.remove("elapsed_ms");
            a.remove("cached");
        }
    }
    r
}

#[test]
fn scores_do_not_depend_on_jobs_or_threads() {
    let (one, many) = (temp_dir("jobs-1"), temp_dir("jobs-3"));
    let (c1, r1, e1) = eval(&one, &["--jobs", "1", "--threads", "1", "--no-cache"]);
    let (c3, r3, e3) = eval(&many, &["--jobs", "3", "--threads", "4", "--no-cache"]);
    assert_eq!((c1, c3), (Some(0), Some(0)), "{e1}\n{e3}");
    assert!(r1["plugins"][0]["overall"]["headline"]["f1"].as_f64().unwrap() > 0.9);
    assert_eq!(numbers(&r1), numbers(&r3));
}

#[test]
fn merged_shards_equal_a_single_run() {
    let whole_dir = temp_dir("shard-whole");
    let (code, whole, stderr) = eval(&whole_dir, &["--in-process"]);
    assert_eq!(code, Some(0), "{stderr}");
    for n in [2, 3] {
        let mut partials = Vec::new();
        // Shards given out of order: merge sorts them.
        for k in (1..=n).rev() {
            let dir = temp_dir(&format!("shard-{k}-of-{n}"));
            let (code, part, stderr) = eval(&dir, &["--in-process", "--shard", &format!("{k}/{n}")]);
            assert_eq!(code, Some(0), "{stderr}");
            assert_eq!(part["meta"]["shard"], serde_json::json!({"index": k, "count": n}));
            partials.push(dir.join("report.json").display().to_string());
        }
        let out = temp_dir(&format!("merged-{n}"));
        let mut args = vec!["merge", "--out", out.to_str().unwrap()];
        args.extend(partials.iter().map(String::as_str));
        let o = harness(&args);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let merged = read_json(&out.join("report.json"));
        assert_eq!(numbers(&merged), numbers(&whole), "{n} shards");
        assert_eq!(merged["meta"]["gold"]["articles"], whole["meta"]["gold"]["articles"]);
    }
}

#[test]
fn merge_refuses_missing_shards_and_whole_reports() {
    let (a, b) = (temp_dir("refuse-1"), temp_dir("refuse-3"));
    eval(&a, &["--in-process", "--shard", "1/3"]);
    eval(&b, &["--in-process"]);
    let out = temp_dir("refuse-out");
    let merge = |parts: &[&Path]| {
        let mut args = vec!["merge".to_string(), "--out".into(), out.display().to_string()];
        args.extend(parts.iter().map(|p| p.join("report.json").display().to_string()));
        let o = harness(&args.iter().map(String::as_str).collect::<Vec<_>>());
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (code, err) = merge(&[&a]);
    assert_eq!(code, Some(7));
    assert!(err.contains("do not cover 1..=3"), "{err}");
    let (code, err) = merge(&[&a, &b]);
    assert_eq!(code, Some(7));
    assert!(err.contains("not a partial report"), "{err}");
}

#[test]
fn a_rerun_takes_unchanged_articles_from_the_cache() {
    let dir = temp_dir("cache-rerun");
    let (_, first, _) = eval(&dir, &[]);
    let (code, second, stderr) = eval(&dir, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    for p in second["plugins"].as_array().unwrap() {
        assert_eq!(p["timing"]["cached"], 5, "{}", p["name"]);
    }
    assert_eq!(first["plugins"][0]["timing"]["cached"], 0);
    assert_eq!(numbers(&first), numbers(&second));
    let (_, third, _) = eval(&dir, &["--no-cache"]);
    assert_eq!(third["plugins"][0]["timing"]["cached"], 0);
}

/// A command plugin that answers two articles, then SIGKILLs the harness
/// while it waits for the third (only once: a flag file disarms it).
fn killer_plugin(dir: &Path) -> String {
    let script = dir.join("killer.sh");
    let (flag, pidfile) = (dir.join("disarmed"), dir.join("harness.pid"));
    std::fs::write(
        &script,
        format!(
            r#"echo '{{"protocol":"ie-harness-jsonl","protocol_version":1,"name":"killer","version":"1","fields":["date"]}}'
n=0
while read line; do
  n=$((n+1))
  if [ $n -eq 3 ] && [ ! -e {flag} ]; then
    touch {flag}
    while [ ! -s {pid} ]; do sleep 0.05; done
    kill -9 $(cat {pid})
    sleep 5
  fi
  id=$(printf '%s' "$line" | sed 's/^{{"id":"\([^"]*\)".*/\1/')
  echo "{{\"id\":\"$id\",\"mentions\":[]}}"
done
"#,
            flag = flag.display(),
            pid = pidfile.display()
        ),
    )
    .unwrap();
    format!("cmd:sh {}", script.display())
}

#[test]
fn a_killed_run_keeps_the_previous_reports_and_resume_finishes_it() {
    let dir = temp_dir("resume");
    let out = dir.join("reports");
    let killer = killer_plugin(&dir);
    let base = plugin("baseline").display().to_string();
    let gold = gold_dir().display().to_string();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "eval", "--gold", &gold, "--plugin", &base, "--plugin", &killer, "--jobs", "1",
        ]
        .map(String::from)
        .to_vec();
        a.extend(["--out", out.to_str().unwrap(), "--resamples", "20", "--trials", "20"].map(String::from));
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };

    // A finished run (the plugin disarmed, nothing cached) leaves reports.
    std::fs::write(dir.join("disarmed"), "").unwrap();
    let o = harness(&args(&["--no-cache"]).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let before: Vec<(String, Vec<u8>)> = ["report.json", "summary.md", "report.html", "junit.xml", "scores.csv"]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(out.join(f)).unwrap()))
        .collect();

    // The next run is killed on its third article.
    std::fs::remove_file(dir.join("disarmed")).unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args(&[]))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::fs::write(dir.join("harness.pid"), child.id().to_string()).unwrap();
    let status = child.wait_with_output().unwrap().status;
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9), "the harness was killed midway");
    for (f, bytes) in &before {
        assert_eq!(&std::fs::read(out.join(f)).unwrap(), bytes, "{f} survived intact");
    }
    assert!(out.join(".eval-in-progress.json").exists());

    // --resume repeats the command line and calls only what is missing.
    let o = harness(&["eval", "--resume", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let report = read_json(&out.join("report.json"));
    let killer_row = &report["plugins"][1];
    assert_eq!(killer_row["name"], "killer");
    assert_eq!(
        killer_row["timing"]["cached"], 2,
        "the two answered articles came from the cache"
    );
    assert!(killer_row["articles"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["error"].is_null()));
    assert!(!out.join(".eval-in-progress.json").exists());

    let o = harness(&["eval", "--resume", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no interrupted run"));
}

/// The gold directory as JSON lines (text inline), in gold order, and
/// annotator pass `a` as a JSON-lines predictions file.
fn jsonl_corpus(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (mut gold, mut preds) = (String::new(), String::new());
    let mut files: Vec<_> = std::fs::read_dir(gold_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for f in files {
        let mut g = read_json(&f);
        let text = std::fs::read_to_string(gold_dir().join(g["source"].as_str().unwrap())).unwrap();
        let o = g.as_object_mut().unwrap();
        o.remove("source");
        o.insert("text".into(), Value::String(text));
        gold.push_str(&format!("{g}\n"));
        let id = g["id"].as_str().unwrap();
        let mut a = read_json(&gold_dir().join(format!("passes/a/{id}.json")));
        for m in a["mentions"].as_array_mut().unwrap() {
            m.as_object_mut().unwrap().remove("id");
        }
        preds.push_str(&format!(
            "{}\n",
            serde_json::json!({"id": id, "mentions": a["mentions"]})
        ));
    }
    let (g, p) = (dir.join("gold.jsonl"), dir.join("a.jsonl"));
    std::fs::write(&g, gold).unwrap();
    // Predictions may come in any order.
    let mut lines: Vec<&str> = preds.lines().collect();
    lines.reverse();
    std::fs::write(&p, lines.join("\n")).unwrap();
    (g, p)
}

fn score(out: &Path, gold: &Path, preds: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "score",
        "--gold",
        gold.to_str().unwrap(),
        "--predictions",
        preds.to_str().unwrap(),
    ];
    args.extend(["--out", out.to_str().unwrap(), "--resamples", "50", "--trials", "50"]);
    args.extend(extra);
    let o = harness(&args);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    read_json(&out.join("report.json"))
}

#[test]
fn streamed_json_lines_gold_scores_like_the_directory() {
    let dir = temp_dir("jsonl");
    let (gold, preds) = jsonl_corpus(&dir);
    let passes = gold_dir().join("passes/a");
    let whole = score(&dir.join("dir"), &gold_dir(), &passes, &[]);
    let streamed = score(&dir.join("stream"), &gold, &preds, &["--keep-details", "2"]);
    let counts = |r: &Value| -> Vec<Value> {
        let p = &r["plugins"][0];
        let mut v: Vec<Value> = p["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["counts"].clone())
            .collect();
        v.push(p["fields"].clone());
        v.push(p["overall"].clone());
        v
    };
    assert_eq!(counts(&streamed), counts(&whole));
    // Details only for the first two articles; texts likewise.
    let arts = streamed["plugins"][0]["articles"].as_array().unwrap();
    assert!(!arts[1]["findings"].as_array().unwrap().is_empty());
    assert!(arts[2]["findings"].as_array().unwrap().is_empty());
    let infos = streamed["meta"]["gold"]["articles"].as_array().unwrap();
    assert!(infos[1]["text"].is_string() && infos[2].get("text").is_none());

    // Streamed shards merge into the streamed whole.
    let parts: Vec<String> = (1..=2)
        .map(|k| {
            let out = dir.join(format!("part{k}"));
            score(
                &out,
                &gold,
                &preds,
                &["--keep-details", "2", "--shard", &format!("{k}/2")],
            );
            out.join("report.json").display().to_string()
        })
        .collect();
    let out = dir.join("merged");
    let o = harness(&["merge", "--out", out.to_str().unwrap(), &parts[0], &parts[1]]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(counts(&read_json(&out.join("report.json"))), counts(&streamed));
}

#[test]
fn a_bad_json_lines_gold_line_is_reported_with_its_line() {
    let dir = temp_dir("jsonl-bad");
    let (gold, _) = jsonl_corpus(&dir);
    let src = std::fs::read_to_string(&gold).unwrap();
    let mut lines: Vec<String> = src.lines().map(String::from).collect();
    lines[2] = lines[2].replacen("\"mentions\"", "\"mentionz\"", 1);
    std::fs::write(&gold, lines.join("\n")).unwrap();
    let o = harness(&["gold", "check", gold.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("{}:3:", gold.display())), "{err}");
}

/// docs/scale-out.md's recipes, with each engine's environment simulated:
/// four `--shard auto` runs and a merge give the single run's numbers.
#[test]
fn the_scale_out_recipes_give_the_single_runs_numbers() {
    let dir = temp_dir("scale-out");
    let base = plugin("baseline").display().to_string();
    let gold = gold_dir().display().to_string();
    let cache = dir.join("cache").display().to_string();
    let run = |out: &Path, extra: &[&str], env: &[(&str, String)]| {
        let mut a = vec![
            "eval",
            "--gold",
            &gold,
            "--plugin",
            &base,
            "--resamples",
            "50",
            "--trials",
            "50",
            "-q",
        ];
        a.extend(["--cache-dir", &cache, "--out", out.to_str().unwrap()]);
        a.extend(extra);
        let o = harness_env(&a, None, env);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{env:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let single = dir.join("single");
    run(&single, &[], &[]);
    let want = numbers(&read_json(&single.join("report.json")));
    type Env = fn(usize) -> Vec<(&'static str, String)>;
    let engines: [(&str, Env); 4] = [
        ("actions", |k| vec![("IE_HARNESS_SHARD", format!("{k}/4"))]),
        ("slurm", |k| {
            vec![
                ("SLURM_ARRAY_TASK_ID", (k - 1).to_string()),
                ("SLURM_ARRAY_TASK_MAX", "3".into()),
            ]
        }),
        ("gitlab", |k| {
            vec![("CI_NODE_INDEX", k.to_string()), ("CI_NODE_TOTAL", "4".into())]
        }),
        ("kubernetes", |k| {
            vec![
                ("JOB_COMPLETION_INDEX", (k - 1).to_string()),
                ("IE_HARNESS_SHARDS", "4".into()),
            ]
        }),
    ];
    for (engine, env) in engines {
        let parts: Vec<PathBuf> = (1..=4).map(|k| dir.join(format!("{engine}-part-{k}"))).collect();
        for (k, part) in parts.iter().enumerate() {
            run(part, &["--shard", "auto"], &env(k + 1));
            let r = read_json(&part.join("report.json"));
            assert_eq!(r["meta"]["shard"]["index"], k + 1, "{engine}");
        }
        let merged = dir.join(format!("{engine}-merged"));
        let mut a = vec!["merge".to_string()];
        a.extend(parts.iter().map(|p| p.join("report.json").display().to_string()));
        a.extend(["--out".into(), merged.display().to_string(), "-q".into()]);
        let o = harness(&a.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            o.status.code(),
            Some(0),
            "{engine}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(numbers(&read_json(&merged.join("report.json"))), want, "{engine}");
    }
    // No engine in the environment: a usage error that says what it looked for.
    let o = harness_env(
        &["eval", "--gold", &gold, "--plugin", &base, "--shard", "auto"],
        None,
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("SLURM_ARRAY_TASK_ID"));
}
