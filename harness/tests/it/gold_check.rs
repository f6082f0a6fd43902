//! `harness gold check`: every problem, each as file:line:col: message.
//! Each case breaks a copy of a real gold file in one way.

use super::support::*;

const ID: &str = "000_ffe74637e9cbe8aa";

/// Copies the real gold file and article into a temp dir after `edit`, runs
/// `harness gold check`, returns (exit code, stderr).
fn check(name: &str, edit: impl FnOnce(String) -> String) -> (Option<i32>, String) {
    let dir = temp_dir(&format!("gold-{name}"));
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    let text = std::fs::read_to_string(gold_dir().join(format!("articles/{ID}.txt"))).unwrap();
    std::fs::write(dir.join(format!("articles/{ID}.txt")), text).unwrap();
    let src = std::fs::read_to_string(gold_dir().join(format!("{ID}.json"))).unwrap();
    std::fs::write(dir.join(format!("{ID}.json")), edit(src)).unwrap();
    let out = harness(&["gold", "check", dir.to_str().unwrap()]);
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn assert_problem(name: &str, edit: impl FnOnce(String) -> String, line_col: &str, needle: &str) {
    let (code, stderr) = check(name, edit);
    assert_eq!(code, Some(3), "{name}: {stderr}");
    let want = format!("{ID}.json:{line_col}");
    let line = stderr
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{name}: no {needle:?} in\n{stderr}"));
    assert!(line.contains(&want), "{name}: expected position {want} in {line}");
}

#[test]
fn the_real_gold_set_passes() {
    let out = harness(&["gold", "check", full_gold_dir().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn each_kind_of_problem_is_reported_with_its_position() {
    let r = |from: &'static str, to: &'static str| move |s: String| s.replacen(from, to, 1);
    assert_problem(
        "syntax",
        r("\"mentions\": [", "\"mentions\": [[,"),
        "10:17",
        "expected value",
    );
    assert_problem(
        "unknown-key",
        r("\"schema_version\": 1,", "\"schema_version\": 1, \"extra\": 2,"),
        "2:",
        "unknown field `extra`",
    );
    assert_problem(
        "missing-key",
        r("  \"sha256\"", "  \"sha\""),
        "5:",
        "unknown field `sha`",
    );
    assert_problem(
        "version",
        r("\"schema_version\": 1", "\"schema_version\": 9"),
        "2:3",
        "schema_version 9",
    );
    assert_problem(
        "range",
        r("\"start\": 35, \"end\": 45", "\"start\": 35, \"end\": 99999"),
        "11:5",
        "out of range",
    );
    assert_problem(
        "mismatch",
        r("\"text\": \"quý I/2024\"", "\"text\": \"quy I/2024\""),
        "11:5",
        "does not match",
    );
    assert_problem(
        "hash",
        r("\"sha256\": \"9", "\"sha256\": \"0"),
        "5:3",
        "text hash mismatch",
    );
    assert_problem(
        "ignore",
        r("{\"start\": 251, \"end\": 266", "{\"start\": 30, \"end\": 266"),
        "11:5",
        "inside ignore region",
    );
    assert_problem("dup", r("\"id\": \"d2\"", "\"id\": \"d1\""), "12:5", "duplicate id");
    assert_problem(
        "shape",
        r("\"value\": \"XXXX-Q1\"", "\"value\": {\"amount\": 1}"),
        "12:5",
        "wrong shape for a date",
    );
    assert_problem(
        "month13",
        r("\"value\": \"XXXX-Q1\"", "\"value\": \"2024-13\""),
        "12:5",
        "month 13",
    );
    assert_problem(
        "field",
        r("\"field\": \"date\"", "\"field\": \"salary\""),
        "11:5",
        "unknown field \"salary\"",
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let (code, stderr) = check("many", |s| {
        s.replacen("\"id\": \"d2\"", "\"id\": \"d1\"", 1).replacen(
            "\"value\": \"2024-Q2\"",
            "\"value\": \"2024-Q7\"",
            1,
        )
    });
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains("duplicate id") && stderr.contains("quarter 7"),
        "{stderr}"
    );
}

/// A copy of the seed article with its text rewritten char by char by
/// `f` (e.g. to NFD, or LF to CRLF) and every offset, mention text and the
/// hash carried along, as an annotator of the rewritten text would have
/// written them. Returns the gold directory.
fn rewritten(name: &str, f: impl Fn(char) -> String) -> std::path::PathBuf {
    let dir = temp_dir(&format!("gold-{name}"));
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    let text = std::fs::read_to_string(gold_dir().join(format!("articles/{ID}.txt"))).unwrap();
    // new offset of every old code point offset
    let mut map = vec![0usize];
    let mut new = String::new();
    for c in text.chars() {
        new.push_str(&f(c));
        map.push(new.chars().count());
    }
    std::fs::write(dir.join(format!("articles/{ID}.txt")), &new).unwrap();
    let mut gold: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(gold_dir().join(format!("{ID}.json"))).unwrap()).unwrap();
    gold["sha256"] = harness::digest::sha256_hex(new.as_bytes()).into();
    let chars: Vec<char> = new.chars().collect();
    for key in ["mentions", "ignore"] {
        for m in gold[key].as_array_mut().unwrap() {
            let (s, e) = (
                map[m["start"].as_u64().unwrap() as usize],
                map[m["end"].as_u64().unwrap() as usize],
            );
            m["start"] = s.into();
            m["end"] = e.into();
            if key == "mentions" {
                m["text"] = chars[s..e].iter().collect::<String>().into();
            }
        }
    }
    std::fs::write(
        dir.join(format!("{ID}.json")),
        serde_json::to_string_pretty(&gold).unwrap(),
    )
    .unwrap();
    dir
}

fn nfd(c: char) -> String {
    use unicode_normalization::UnicodeNormalization;
    c.nfd().collect()
}

fn crlf(c: char) -> String {
    if c == '\n' {
        "\r\n".into()
    } else {
        c.to_string()
    }
}

#[test]
fn nfd_and_crlf_text_loads_with_a_warning_and_scores_perfectly_against_itself() {
    for (name, f) in [("nfd", &nfd as &dyn Fn(char) -> String), ("crlf", &crlf)] {
        let dir = rewritten(name, f);
        let out = harness(&["gold", "check", dir.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
        let warning = if name == "nfd" {
            "not in Unicode NFC"
        } else {
            "CRLF line endings"
        };
        assert!(stderr.contains(warning), "{name}: {stderr}");
        // The gold scored against itself (a gold-format predictions
        // directory) is perfect on every field, and every report renders.
        let reports = dir.join("reports");
        let out = harness(&[
            "score",
            "--gold",
            dir.to_str().unwrap(),
            "--predictions",
            dir.to_str().unwrap(),
            "--out",
            reports.to_str().unwrap(),
            "--resamples",
            "10",
            "--trials",
            "10",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r = read_json(&reports.join("report.json"));
        assert_eq!(r["plugins"][0]["overall"]["headline"]["f1"], 1.0, "{name}");
        let html = std::fs::read_to_string(reports.join("report.html")).unwrap();
        let stored = std::fs::read_to_string(dir.join(format!("articles/{ID}.txt"))).unwrap();
        let data = &html[html.find("id=\"data\">").unwrap()..];
        let first_line = stored.lines().next().unwrap().trim_end_matches('\r');
        let embedded = serde_json::to_string(first_line).unwrap().replace('<', "\\u003c");
        assert!(
            data.contains(embedded.trim_matches('"')),
            "{name}: the error browser carries the text as stored"
        );
    }
}

#[test]
fn changed_line_endings_and_byte_order_marks_are_named_as_such() {
    // The gold was made on LF text; the article now has CRLF endings.
    let dir = rewritten("eol", |c| c.to_string());
    let path = dir.join(format!("articles/{ID}.txt"));
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    let out = harness(&["gold", "check", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr.contains("now has CRLF line endings; it was labelled with LF endings"),
        "{stderr}"
    );
    assert_eq!(
        stderr.lines().filter(|l| l.contains(".json:")).count(),
        1,
        "one problem, not a cascade: {stderr}"
    );

    // A BOM added to the article, and one in front of the gold JSON.
    std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
    let stderr = String::from_utf8_lossy(&harness(&["gold", "check", dir.to_str().unwrap()]).stderr).into_owned();
    assert!(stderr.contains("gained a UTF-8 byte order mark"), "{stderr}");
    std::fs::write(&path, &text).unwrap();
    let json = dir.join(format!("{ID}.json"));
    let src = std::fs::read_to_string(&json).unwrap();
    std::fs::write(&json, format!("\u{feff}{src}")).unwrap();
    let out = harness(&["gold", "check", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr.contains(&format!("{ID}.json:1:1: the file starts with a UTF-8 byte order mark")),
        "{stderr}"
    );
}

#[test]
fn unsafe_article_ids_are_refused() {
    let (code, stderr) = check("id", |s| {
        s.replacen(&format!("\"id\": \"{ID}\""), "\"id\": \"../../x\"", 1)
    });
    assert_eq!(code, Some(3));
    assert!(stderr.contains("not safe as a file name"), "{stderr}");
}

#[test]
fn the_committed_gold_and_passes_are_canonical_and_round_trip() {
    for dir in [
        full_gold_dir(),
        full_gold_dir().join("passes/a"),
        full_gold_dir().join("passes/b"),
    ] {
        let out = harness(&["gold", "fmt", "--check", dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        // Writing what was loaded and loading it again gives the same article.
        let set = harness::gold::load_dir(&dir).unwrap();
        for a in &set.articles {
            let (back, diags) = harness::gold::parse_gold(&a.file, &harness::gold::canonical(a));
            assert!(diags.is_empty(), "{diags:?}");
            assert_eq!(back.as_ref(), Some(a));
        }
    }
    // A file out of layout is reported, not rewritten, under --check.
    let dir = temp_dir("fmt");
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    std::fs::copy(
        gold_dir().join(format!("articles/{ID}.txt")),
        dir.join(format!("articles/{ID}.txt")),
    )
    .unwrap();
    let src = std::fs::read_to_string(gold_dir().join(format!("{ID}.json"))).unwrap();
    let squashed: serde_json::Value = serde_json::from_str(&src).unwrap();
    std::fs::write(dir.join(format!("{ID}.json")), squashed.to_string()).unwrap();
    let out = harness(&["gold", "fmt", "--check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(harness(&["gold", "fmt", dir.to_str().unwrap()]).status.success());
    assert_eq!(std::fs::read_to_string(dir.join(format!("{ID}.json"))).unwrap(), src);
}

#[test]
fn gold_agree_on_a_hand_made_case_and_on_the_seeds_passes() {
    let dir = temp_dir("agree");
    let text = "Ngày 4/6/2024 ông Nguyễn Văn An, Chủ tịch UBND, nói năm 2023 có 12 xã.";
    let official = |titles: &[&str]| serde_json::json!({"name": "Nguyễn Văn An", "titles": titles});
    tiny_gold(
        &dir.join("a"),
        "x",
        text,
        &[
            ("d1", "date", 0, 13, serde_json::json!("2024-06-04")),
            ("o1", "official", 18, 31, official(&["Chủ tịch UBND"])),
            ("d2", "date", 52, 60, serde_json::json!("2023")),
        ],
    );
    // B: the first date on another span (same value), the official without
    // titles, the second date identical, and a figure A does not have.
    tiny_gold(
        &dir.join("b"),
        "x",
        text,
        &[
            ("d1", "date", 5, 13, serde_json::json!("2024-06-04")),
            ("o1", "official", 18, 31, official(&[])),
            ("d2", "date", 52, 60, serde_json::json!("2023")),
            ("f1", "figure", 64, 69, serde_json::json!({"amount": 12, "unit": "xã"})),
        ],
    );
    let o = harness(&[
        "gold",
        "agree",
        dir.join("a").to_str().unwrap(),
        dir.join("b").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let a: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let date = &a["fields"]["date"];
    assert_eq!(date["exact_span"]["f1"], 0.5, "one of two dates on the same span");
    assert_eq!(date["overlap_span"]["f1"], 1.0);
    assert_eq!(date["span_value"]["f1"], 1.0, "overlapping with the right value");
    assert_eq!(a["fields"]["official"]["span_value"]["f1"], 1.0);
    assert_eq!(a["fields"]["official"]["titles_accuracy"], 0.0);
    assert_eq!(a["fields"]["figure"]["span_value"]["f1"], 0.0);
    assert_eq!(
        (a["fields"]["figure"]["a"].clone(), a["fields"]["figure"]["b"].clone()),
        (0.into(), 1.into())
    );
    // The token labels differ only on "Ngày" and on "12 xã": high, not full.
    let kinds: Vec<&str> = a["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["boundary", "correct", "spurious"],
        "boundary date, titles, the figure"
    );
    let k = a["kappa"].as_f64().unwrap();
    assert!(k > 0.6 && k < 1.0, "{k}");
    // The seeds' two passes agree fully.
    let seeds = gold_dir();
    let o = harness(&[
        "gold",
        "agree",
        seeds.join("passes/a").to_str().unwrap(),
        seeds.join("passes/b").to_str().unwrap(),
        "--json",
    ]);
    let a: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(a["overall"]["span_value"]["f1"], 1.0);
    assert_eq!(a["kappa"], 1.0);
    assert_eq!(a["articles"], 5);
    // Different articles: exit 3.
    let o = harness(&[
        "gold",
        "agree",
        dir.join("a").to_str().unwrap(),
        seeds.to_str().unwrap(),
    ]);
    assert_exit(&o, 3, "is in");
}

#[test]
fn gold_stats_counts_fields_articles_and_groups() {
    let o = harness(&["gold", "stats", full_gold_dir().to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["all"]["articles"], 45);
    let sum: u64 = s["per_article"]
        .as_object()
        .unwrap()
        .values()
        .map(|r| r["mentions"]["date"].as_u64().unwrap())
        .sum();
    assert_eq!(s["all"]["mentions"]["date"].as_u64().unwrap(), sum);
    assert_eq!(s["per_group"]["genre: core"]["articles"], 22, "from SOURCES.md");
    assert_eq!(s["per_group"]["layout: html-text"]["articles"], 9);
}
