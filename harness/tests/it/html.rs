//! End to end: `harness score` on a tiny gold set writes a self-contained
//! report.html whose structure, escaping and embedded data are checked here
//! with plain string methods (no HTML parser dependency).

use super::support::*;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

/// Code point span of the first `needle` in `text`.
fn span(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn mention(text: &str, id: Option<&str>, field: &str, needle: &str, value: Value) -> Value {
    let (start, end) = span(text, needle);
    let mut m = json!({"field": field, "start": start, "end": end, "text": needle, "value": value});
    if let Some(id) = id {
        m["id"] = json!(id);
    }
    m
}

fn write_gold(dir: &Path, id: &str, text: &str, mentions: Vec<Value>) {
    std::fs::create_dir_all(dir.join("articles")).expect("articles dir");
    std::fs::write(dir.join("articles").join(format!("{id}.txt")), text).expect("write text");
    let gold = json!({
        "schema_version": 1,
        "id": id,
        "source": format!("articles/{id}.txt"),
        "sha256": harness::digest::sha256_hex(text.as_bytes()),
        "mentions": mentions,
    });
    std::fs::write(
        dir.join(format!("{id}.json")),
        serde_json::to_string_pretty(&gold).expect("json"),
    )
    .expect("write gold");
}

/// The text between `open` (exclusive) and the next `close`.
fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    let start = s.find(open).unwrap_or_else(|| panic!("{open:?} not found")) + open.len();
    let len = s[start..]
        .find(close)
        .unwrap_or_else(|| panic!("{close:?} not found after {open:?}"));
    &s[start..start + len]
}

#[test]
fn report_html_is_self_contained_and_complete() {
    let root = temp_dir("html");
    let gold = root.join("gold");
    // A non-BMP character first (code points ≠ UTF-16 units ≠ bytes), and
    // markup in the text that must never reach the page unescaped.
    let t1 = "📈 Báo cáo </script><q>x</q> ngày 4/6/2024: tăng 7,1% và 25%; năm 2023.";
    let t2 = "Năm 2024 đạt 50%.";
    write_gold(
        &gold,
        "a1",
        t1,
        vec![
            mention(t1, Some("d1"), "date", "ngày 4/6/2024", json!("2024-06-04")),
            mention(t1, Some("p1"), "percentage", "7,1%", json!({"value": 7.1})),
            mention(t1, Some("p2"), "percentage", "25%", json!({"value": 25.0})),
            mention(t1, Some("d2"), "date", "năm 2023", json!("2023")),
        ],
    );
    write_gold(
        &gold,
        "a2",
        t2,
        vec![
            mention(t2, Some("d1"), "date", "Năm 2024", json!("2024")),
            mention(t2, Some("p1"), "percentage", "50%", json!({"value": 50.0})),
        ],
    );
    // One correct, one wrong value, one spurious (the rest is missed); the
    // plugin name (the file stem) carries markup too.
    let preds = json!({"id": "a1", "mentions": [
        mention(t1, None, "date", "ngày 4/6/2024", json!("2024-06-04")),
        mention(t1, None, "percentage", "7,1%", json!({"value": 9.9})),
        mention(t1, None, "percentage", "Báo cáo", json!({"value": 1.0})),
    ]});
    let sys = root.join("sys<q>.jsonl");
    std::fs::write(&sys, format!("{preds}\n")).expect("write predictions");
    let empty = root.join("empty.jsonl");
    std::fs::write(&empty, "{\"id\": \"a1\", \"mentions\": []}\n").expect("write predictions");

    let out = root.join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(["score", "--resamples", "50", "--trials", "50", "--gold"])
        .arg(&gold)
        .arg("--predictions")
        .arg(&sys)
        .arg("--predictions")
        .arg(&empty)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run harness");
    assert!(
        run.status.success(),
        "harness score failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html written");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("report.json"))
        .expect("report.json parses");

    // Self-contained: nothing is loaded from anywhere.
    let lower = html.to_ascii_lowercase();
    assert!(lower.starts_with("<!doctype html>"));
    assert!(!lower.contains("<link"), "no external stylesheets");
    assert!(!lower.contains("@import") && !lower.contains("url("), "no CSS fetches");
    for attr in ["src=", "href="] {
        for (i, _) in lower.match_indices(attr) {
            let value = lower[i + attr.len()..].trim_start_matches(['"', '\'']);
            assert!(
                !value.starts_with("http:") && !value.starts_with("https:") && !value.starts_with("//"),
                "external reference at {}",
                &html[i..(i + 60).min(html.len())]
            );
        }
    }
    assert!(!lower.contains("<script src"), "no external scripts");
    // Exactly the two inline scripts: the text's `</script>` did not leak.
    assert_eq!(lower.matches("<script").count(), 2);
    assert_eq!(lower.matches("</script>").count(), 2);
    assert!(!html.contains("<q>"), "text and names are escaped");
    assert!(html.contains("sys&lt;q&gt;"), "the plugin name is shown escaped");

    // Header.
    let sha = report["meta"]["gold"]["sha256"].as_str().expect("gold hash");
    assert!(html.contains(&sha[..16]), "gold hash in the header");
    assert!(html.contains(report["meta"]["harness_version"].as_str().expect("version")));

    // The matrix: one row per plugin, five score columns each.
    let matrix = between(&html, "<table class=\"matrix\">", "</table>");
    let body = between(matrix, "<tbody>", "</tbody>");
    assert_eq!(body.matches("<tr>").count(), 2, "one row per plugin");
    assert_eq!(body.matches("<td class=\"cell").count(), 2 * 5);
    assert!(body.contains("sys&lt;q&gt;") && body.contains("empty"));

    // The bar chart: one bar per plugin × group with a defined F1.
    let svg = between(&html, "<svg", "</svg>");
    let plugins = report["plugins"].as_array().expect("plugins");
    let defined: usize = plugins
        .iter()
        .map(|p| {
            let fields = ["date", "official", "figure", "percentage"]
                .iter()
                .map(|f| &p["fields"][f]);
            fields
                .chain([&p["overall"]])
                .filter(|fs| fs["headline"]["f1"].is_number())
                .count()
        })
        .sum();
    assert!(defined > 0);
    assert_eq!(svg.matches("<g class=\"bar\">").count(), defined);
    assert_eq!(
        svg.matches("<rect").count(),
        defined + plugins.len(),
        "bars plus legend swatches"
    );
    for tick in ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"] {
        assert!(svg.contains(&format!(">{tick}</text>")), "tick {tick}");
    }

    // The heat map: articles × plugins × (4 fields + all).
    let heat = between(&html, "<table class=\"heat\">", "</table>");
    assert_eq!(heat.matches("<td class=\"hc").count(), 2 * 2 * 5);
    assert!(
        heat.contains("TP 1 · FP 0 · FN 1"),
        "a1 date for sys<q>: one right, one missed"
    );

    // Pairwise table present (two loaded plugins).
    assert!(html.contains("<table class=\"pairs\">"));

    // The embedded data parses and matches the texts and findings.
    let block = between(&html, "<script type=\"application/json\" id=\"data\">", "</script>");
    assert!(!block.contains("</"), "no closing tag inside the data block");
    let data: Value = serde_json::from_str(block).expect("embedded data is JSON");
    assert_eq!(data["texts"]["a1"], t1);
    assert_eq!(data["texts"]["a2"], t2);
    let sys_data = &data["plugins"][0];
    assert_eq!(sys_data["name"], "sys<q>");
    let findings = sys_data["articles"][0]["findings"].as_array().expect("findings");
    let kinds: Vec<&str> = findings.iter().map(|f| f["kind"].as_str().expect("kind")).collect();
    for kind in ["correct", "wrong_value", "spurious", "missed"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
        assert!(html.contains(&format!("value=\"{kind}\"")), "{kind} outcome control");
    }
    // Offsets are code points: they slice the text back to each mention.
    for f in findings {
        for side in ["gold", "pred"] {
            let m = &f[side];
            if m.is_null() {
                continue;
            }
            let (s, e) = (
                m["start"].as_u64().expect("start") as usize,
                m["end"].as_u64().expect("end") as usize,
            );
            let sliced: String = t1.chars().skip(s).take(e - s).collect();
            assert_eq!(sliced, m["text"].as_str().expect("text"));
        }
    }
    // The error browser's controls.
    for id in ["b-plugin", "b-field", "b-diff", "b-out"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }

    // Every key the page's script reads exists in the embedded data.
    check_script_keys(&data);
    let _ = std::fs::remove_dir_all(&root);
}

/// The script reads the data block through fixed variable names (see the
/// header of assets/report.js): D the block, p a plugin, a an article, f a
/// finding, m a mention, v a value. Each `name.key` it reads must be a key
/// of the matching object in `data`.
fn check_script_keys(data: &Value) {
    let js = std::fs::read_to_string(workspace().join("harness/src/report/render/html/assets/report.js")).unwrap();
    let keys = |v: &Value| -> Vec<String> { v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default() };
    let plugin = &data["plugins"][0];
    let article = &plugin["articles"][0];
    let findings = article["findings"].as_array().unwrap();
    let mut finding_keys = Vec::new();
    let mut mention_keys = Vec::new();
    let mut value_keys = Vec::new();
    for f in findings {
        finding_keys.extend(keys(f));
        for side in ["gold", "pred"] {
            mention_keys.extend(keys(&f[side]));
            value_keys.extend(keys(&f[side]["value"]));
        }
    }
    // Every value shape the scorer writes, not only the ones in this report.
    value_keys.extend(["name", "titles", "amount", "unit", "value"].map(String::from));
    let known: [(&str, Vec<String>); 6] = [
        ("D", keys(data)),
        ("p", keys(plugin)),
        ("a", keys(article)),
        ("f", finding_keys),
        ("m", mention_keys),
        ("v", value_keys),
    ];
    let mut checked = 0;
    let bytes = js.as_bytes();
    for (i, _) in js.match_indices('.') {
        let before = &js[..i];
        let var_start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |k| k + 1);
        let var = &before[var_start..];
        let Some((_, allowed)) = known.iter().find(|(name, _)| *name == var) else {
            continue;
        };
        if var_start > 0 && bytes[var_start - 1] == b'.' {
            continue; // a property chain such as x.p.y
        }
        let key: String = js[i + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if key.is_empty() || key == "length" {
            continue;
        }
        assert!(
            allowed.contains(&key),
            "report.js reads {var}.{key}, which the data block does not have ({allowed:?})"
        );
        checked += 1;
    }
    assert!(checked >= 15, "the script's reads were found ({checked})");
}
