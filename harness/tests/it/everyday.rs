//! CI and everyday use: the config file, deterministic order, portable
//! reports, `show`, the confusion matrix, unclaimed fields in every file,
//! Markdown escaping and the JUnit schema.

use super::support::*;
use serde_json::json;
use std::path::Path;

const TEXT: &str = "Ngày 4/6/2024 ông Nguyễn Văn An cho biết tăng 7,1% so với năm 2023.";

/// A one-article gold set and a predictions file called `name`.
fn setup(dir: &Path, name: &str, mentions: serde_json::Value) -> (std::path::PathBuf, std::path::PathBuf) {
    let gold = dir.join("gold");
    tiny_gold(
        &gold,
        "a1",
        TEXT,
        &[
            ("d1", "date", 0, 13, json!("2024-06-04")),
            ("o1", "official", 18, 31, json!({"name": "Nguyễn Văn An", "titles": []})),
            ("p1", "percentage", 46, 50, json!({"value": 7.1})),
            ("d2", "date", 58, 66, json!("2023")),
        ],
    );
    let preds = dir.join(format!("{name}.jsonl"));
    std::fs::write(&preds, json!({"id": "a1", "mentions": mentions}).to_string() + "\n").unwrap();
    (gold, preds)
}

/// `harness eval` of the command plugin `sh SCRIPT` (see [`eval_quick`]).
fn eval_script(gold: &Path, script: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    eval_quick(gold, &format!("cmd:sh {}", script.display()), out, extra)
}

fn m(field: &str, s: usize, e: usize, value: serde_json::Value) -> serde_json::Value {
    let text: String = TEXT.chars().skip(s).take(e - s).collect();
    json!({"field": field, "start": s, "end": e, "text": text, "value": value})
}

fn score(gold: &Path, preds: &[&Path], out: &Path, extra: &[&str]) -> std::process::Output {
    let mut a = vec!["score", "--gold", gold.to_str().unwrap()];
    for p in preds {
        a.extend(["--predictions", p.to_str().unwrap()]);
    }
    a.extend(["--out", out.to_str().unwrap(), "--resamples", "10", "--trials", "10"]);
    a.extend(extra);
    harness(&a)
}

#[test]
fn the_config_file_runs_the_job_and_flags_override_it() {
    let dir = temp_dir("config");
    let base = plugin("baseline");
    std::fs::write(
        dir.join("eval.toml"),
        format!(
            "gold = \"{}\"\nout = \"from-config\"\nplugins = [\"{}\"]\n[limits]\njobs = 1\n[scoring]\nresamples = 10\ntrials = 10\nseed = 7\n",
            gold_dir().display(),
            base.display()
        ),
    )
    .unwrap();
    let o = harness_in(&["eval", "-q"], Some(&dir));
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let r = read_json(&dir.join("from-config/report.json"));
    assert_eq!(
        r["meta"]["scoring"]["resampling"]["seed"], 7,
        "the config's scoring settings"
    );
    assert_eq!(r["plugins"][0]["name"], "baseline");
    // Flags win over the file.
    let o = harness_in(&["eval", "-q", "--out", "from-flag", "--seed", "9"], Some(&dir));
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        read_json(&dir.join("from-flag/report.json"))["meta"]["scoring"]["resampling"]["seed"],
        9
    );
    // A typo in the file is an error with its position.
    std::fs::write(dir.join("bad.toml"), "gold = \"g\"\n[limits]\ntimout = 3\n").unwrap();
    let o = harness_in(&["eval", "--config", "bad.toml"], Some(&dir));
    assert_exit(&o, 7, "bad.toml:3:1");
}

#[test]
fn plugins_keep_the_order_given_and_reports_carry_no_absolute_paths() {
    let dir = temp_dir("order");
    let (gold, _) = setup(&dir, "x", json!([]));
    let names = ["zeta", "alpha", "mid"];
    let files: Vec<_> = names
        .iter()
        .map(|n| {
            let p = dir.join(format!("{n}.jsonl"));
            std::fs::write(
                &p,
                json!({"id": "a1", "mentions": [m("date", 0, 13, json!("2024-06-04"))]}).to_string() + "\n",
            )
            .unwrap();
            p
        })
        .collect();
    for threads in ["1", "3"] {
        let out = dir.join(format!("out-{threads}"));
        let o = harness_in(
            &[
                "score",
                "--gold",
                "gold",
                "--predictions",
                "zeta.jsonl",
                "--predictions",
                "alpha.jsonl",
                "--predictions",
                "mid.jsonl",
                "--out",
                out.to_str().unwrap(),
                "--threads",
                threads,
                "--resamples",
                "10",
                "--trials",
                "10",
                "-q",
            ],
            Some(&dir),
        );
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let r = read_json(&out.join("report.json"));
        let got: Vec<&str> = r["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(got, names, "the order given, whatever the threads");
        let text = std::fs::read_to_string(out.join("report.json")).unwrap();
        assert!(
            !text.contains(&dir.display().to_string()),
            "no absolute path of the working directory"
        );
        assert_eq!(r["meta"]["gold"]["dir"], "gold");
    }
    assert!(files.iter().all(|f| f.exists()) && gold.exists());
}

#[test]
fn show_prints_one_article_as_a_diff() {
    let dir = temp_dir("show");
    let (gold, preds) = setup(
        &dir,
        "sys",
        json!([
            m("date", 0, 13, json!("2024-06-04")),
            m("percentage", 46, 50, json!({"value": 9.9})),
            m("date", 32, 36, json!("2024")),
        ]),
    );
    let out = dir.join("out");
    assert_eq!(score(&gold, &[&preds], &out, &["-q"]).status.code(), Some(0));
    let report = out.join("report.json");
    let o = harness(&["show", "a1", "--report", report.to_str().unwrap(), "--color", "never"]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    let line = |mark: &str, needle: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(mark) && l.contains(needle))
            .unwrap_or_else(|| panic!("no {mark} line with {needle:?} in\n{text}"))
            .to_string()
    };
    line("=", "\"Ngày 4/6/2024\"");
    line("~", "\"7,1%\"");
    line("-", "\"Nguyễn Văn An\"");
    line("+", "\"cho \"");
    assert!(
        text.find("Ngày 4/6/2024").unwrap() < text.find("Nguyễn Văn An").unwrap(),
        "in text order"
    );
    let o = harness(&["show", "nope", "--report", report.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no article \"nope\""));
}

#[test]
fn the_confusion_matrix_counts_mentions_found_with_the_wrong_field() {
    let dir = temp_dir("confusion");
    // The gold date "năm 2023" predicted as a figure; the official missed.
    let (gold, preds) = setup(
        &dir,
        "sys",
        json!([
            m("date", 0, 13, json!("2024-06-04")),
            m("figure", 58, 66, json!({"amount": 2023, "unit": "năm"})),
            m("percentage", 46, 50, json!({"value": 7.1})),
        ]),
    );
    let out = dir.join("out");
    let o = score(&gold, &[&preds], &out, &["-v", "--color", "never"]);
    assert_eq!(o.status.code(), Some(0));
    let r = read_json(&out.join("report.json"));
    let c = &r["plugins"][0]["confusion"];
    assert_eq!(c["pairs"]["date"]["date"], 1);
    assert_eq!(c["pairs"]["date"]["figure"], 1, "{c}");
    assert_eq!(c["pairs"]["percentage"]["percentage"], 1);
    assert_eq!(c["missed"]["official"], 1);
    assert!(c["spurious"].as_object().unwrap().is_empty());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("confusion between fields"), "-v prints it: {stderr}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("<td class=\"n off\">1</td>"),
        "the off-diagonal cell stands out"
    );
}

#[test]
fn unclaimed_fields_appear_in_no_file_and_names_are_escaped() {
    let dir = temp_dir("unclaimed-files");
    let text = "Ngày 4/6/2024 ông Nguyễn Văn An.";
    let gold = dir.join("gold");
    tiny_gold(
        &gold,
        "a1",
        text,
        &[
            ("d1", "date", 0, 13, json!("2024-06-04")),
            ("o1", "official", 18, 31, json!({"name": "Nguyễn Văn An", "titles": []})),
        ],
    );
    // A date-only command plugin whose name carries Markdown and HTML.
    let script = dir.join("p.sh");
    std::fs::write(
        &script,
        "echo '{\"protocol\":\"ie-harness-jsonl\",\"protocol_version\":1,\"name\":\"d|a`t<e>\",\"version\":\"1\",\"fields\":[\"date\"]}'\n\
         while read line; do id=$(printf '%s' \"$line\" | sed 's/^{\"id\":\"\\([^\"]*\\)\".*/\\1/'); echo \"{\\\"id\\\":\\\"$id\\\",\\\"mentions\\\":[]}\"; done\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = eval_script(&gold, &script, &out, &["-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let errors = std::fs::read_to_string(out.join("errors.jsonl")).unwrap();
    assert!(
        errors.contains("\"field\":\"date\"") && !errors.contains("official"),
        "{errors}"
    );
    let articles = std::fs::read_to_string(out.join("articles.csv")).unwrap();
    assert_eq!(articles.lines().count(), 2, "header and the date row only: {articles}");
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(
        junit.contains("name=\"date (F1") && !junit.contains("official"),
        "{junit}"
    );
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.contains("d\\|a\\`t&lt;e&gt;"), "escaped in Markdown: {md}");
    assert!(!md.contains("<e>"));
}

#[test]
fn junit_validates_against_the_strict_schema() {
    let dir = temp_dir("junit");
    let (gold, preds) = setup(&dir, "sys", json!([m("date", 0, 13, json!("2023-06-04"))]));
    let out = dir.join("out");
    let gate = dir.join("gate.toml");
    std::fs::write(&gate, "[default]\nmin_f1 = 0.5\n").unwrap();
    let o = score(&gold, &[&preds], &out, &["--gate", gate.to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(1));
    let xml = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert!(!suites.is_empty());
    for s in suites {
        assert_eq!(s.tag_name().name(), "testsuite");
        for attr in [
            "name",
            "package",
            "id",
            "timestamp",
            "hostname",
            "tests",
            "failures",
            "errors",
            "time",
        ] {
            assert!(s.attribute(attr).is_some(), "testsuite needs {attr}");
        }
        let ts = s.attribute("timestamp").unwrap();
        assert!(
            ts.len() == 19 && ts.as_bytes()[10] == b'T' && !ts.ends_with('Z'),
            "xs:dateTime without zone: {ts}"
        );
        let children: Vec<&str> = s
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(children.first(), Some(&"properties"), "properties first");
        assert_eq!(
            &children[children.len() - 2..],
            ["system-out", "system-err"],
            "system-out and system-err last"
        );
        let cases: Vec<_> = s.children().filter(|n| n.has_tag_name("testcase")).collect();
        assert_eq!(s.attribute("tests").unwrap().parse::<usize>().unwrap(), cases.len());
        for c in cases {
            for attr in ["name", "classname", "time"] {
                assert!(c.attribute(attr).is_some(), "testcase needs {attr}");
            }
            for problem in c.children().filter(|n| n.is_element()) {
                assert!(problem.attribute("message").is_some() && problem.attribute("type").is_some());
            }
        }
    }
    assert!(xml.contains("<failure"), "the gate's failure is a failure");
}

#[test]
fn usage_repeats_and_retries_are_reported_everywhere() {
    let dir = temp_dir("usage");
    let (gold, _) = setup(&dir, "unused", json!([]));
    // Every reply costs 100 + 10 tokens and $0.001; the percentage is found
    // on every other call only (a nondeterministic plugin); the very first
    // call is rate-limited once.
    let (n, limited) = (dir.join("n"), dir.join("limited"));
    let date = m("date", 0, 13, json!("2024-06-04"));
    let pct = m("percentage", 46, 50, json!({"value": 7.1}));
    let script = dir.join("llm.sh");
    std::fs::write(
        &script,
        format!(
            r#"echo '{{"protocol":"ie-harness-jsonl","protocol_version":1,"name":"llm","version":"1","fields":["date","percentage"]}}'
while read line; do
  id=$(printf '%s' "$line" | sed 's/^{{"id":"\([^"]*\)".*/\1/')
  if [ ! -e {limited} ]; then touch {limited}; echo "{{\"id\":\"$id\",\"error\":\"rate limited\",\"retry_after_s\":0.1}}"; continue; fi
  k=$(cat {n} 2>/dev/null || echo 0); k=$((k+1)); echo $k > {n}
  usage='"usage":{{"input_tokens":100,"output_tokens":10,"cost_usd":0.001}}'
  if [ $((k % 2)) -eq 0 ]; then ms='{date},{pct}'; else ms='{date}'; fi
  echo "{{\"id\":\"$id\",\"mentions\":[$ms],$usage}}"
done
"#,
            limited = limited.display(),
            n = n.display(),
            date = date,
            pct = pct,
        ),
    )
    .unwrap();
    let out = dir.join("out");
    let args = ["--repeat", "3", "--jobs", "1", "--color", "never"];
    let o = eval_script(&gold, &script, &out, &args);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let r = read_json(&out.join("report.json"));
    let p = &r["plugins"][0];
    // Three calls after one retry: 300 + 30 tokens, $0.003.
    assert_eq!(p["usage"]["spent"]["input_tokens"], 300, "{}", p["usage"]);
    assert_eq!(p["usage"]["spent"]["output_tokens"], 30);
    assert!((p["usage"]["spent"]["cost_usd"].as_f64().unwrap() - 0.003).abs() < 1e-12);
    // The first repeat found the date only (1 correct mention): $0.001 each.
    assert!(
        (p["usage"]["cost_per_correct_usd"].as_f64().unwrap() - 0.001).abs() < 1e-12,
        "{}",
        p["usage"]
    );
    let rep = &p["repeats"];
    assert_eq!(rep["repeats"], 3);
    let f1: Vec<f64> = rep["fields"]["percentage"]["f1"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(f1, [0.0, 1.0, 0.0], "the primary numbers are the first repeat's");
    assert_eq!(p["fields"]["percentage"]["headline"]["f1"], 0.0);
    assert!((rep["fields"]["date"]["agreement"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    assert!((rep["fields"]["percentage"]["agreement"].as_f64().unwrap() - 0.0).abs() < 1e-12);
    assert!(stderr.contains("retry"), "the retry is said: {stderr}");
    assert!(
        stderr.contains("3 repeats: F1 mean") && stderr.contains("per correct mention"),
        "{stderr}"
    );
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.contains("### Cost and repeats") && md.contains("3 repeats"), "{md}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("id=\"usage\"") && html.contains("$0.0030"),
        "the HTML shows cost"
    );
    // Run again: every call comes from the cache, so nothing is spent and
    // what the answers had cost is reported as saved.
    let o = eval_script(&gold, &script, &out, &args);
    assert_eq!(o.status.code(), Some(0));
    let p = &read_json(&out.join("report.json"))["plugins"][0];
    assert_eq!(p["usage"]["saved"]["input_tokens"], 300, "{}", p["usage"]);
    assert!(p["usage"]["spent"]["input_tokens"].is_null(), "{}", p["usage"]);
    assert_eq!(
        p["repeats"]["fields"]["percentage"]["f1"],
        json!([0.0, 1.0, 0.0]),
        "the cache keeps each repeat"
    );
}

/// `cargo xtask eval` on a machine without the Python peers: a gate section
/// with `allow_missing = true` for a plugin absent from the run must not
/// read as a misspelt plugin name. The committed gate is such a gate.
#[test]
fn a_gate_runs_without_the_plugins_it_allows_to_be_missing() {
    let dir = temp_dir("gate-no-peers");
    let gate = dir.join("gate.toml");
    std::fs::write(
        &gate,
        "[plugin.baseline]\nmin_f1 = 0\n\n[plugin.dateparser]\nallow_missing = true\n",
    )
    .unwrap();
    let (out, baseline) = (dir.join("out"), plugin("baseline"));
    let o = eval_quick(
        &gold_dir(),
        baseline.to_str().unwrap(),
        &out,
        &["--gate", gate.to_str().unwrap(), "-q"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let committed = workspace().join("reports/gate.toml");
    let src = std::fs::read_to_string(&committed).unwrap();
    let cfg = harness::gate::GateConfig::parse(&src, "reports/gate.toml").unwrap();
    cfg.check_plugins(["baseline", "grammar"])
        .expect("the in-tree extractors alone satisfy the committed gate");
}
