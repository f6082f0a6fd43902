//! The example LLM plugin (`extractors/llm`, Python) against a local fake
//! OpenAI-compatible server (`extractors/llm/tests/fake_server.py`, on
//! 127.0.0.1; nothing leaves the machine): its Python unit tests, its ports
//! of `extractor_api::align` and of the value checks compared with the Rust
//! originals, the plugin's replies over the protocol, and `harness eval`
//! scoring its aligned mentions on spans.
//!
//! python3 is required: CI installs it, and a missing interpreter fails these
//! tests with a message saying so rather than skipping them.

use super::support::*;
use extractor_api::protocol::WireMention;
use extractor_api::{Field, Value};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{json, Value as Json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use unicode_normalization::UnicodeNormalization;

fn llm_dir() -> PathBuf {
    workspace().join("extractors/llm")
}

/// A `python3` command with a clean environment for local HTTP; panics with
/// instructions when there is no python3.
fn python() -> Command {
    match Command::new("python3").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        other => panic!(
            "python3 is required by the LLM plugin tests (extractors/llm) and could not be run ({other:?}); \
             install Python 3 (CI does)"
        ),
    }
    let mut cmd = Command::new("python3");
    cmd.env("PYTHONDONTWRITEBYTECODE", "1")
        .env("NO_PROXY", "127.0.0.1")
        .env("no_proxy", "127.0.0.1");
    cmd
}

/// Runs `cmd` with `input` on its stdin; stdout and stderr captured.
fn run_with_input(mut cmd: Command, input: String) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("waits");
    writer.join().unwrap().expect("stdin accepted the input");
    out
}

fn json_lines(bytes: &[u8]) -> Vec<Json> {
    String::from_utf8(bytes.to_vec())
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// The fake server in a child process; stopped when dropped.
struct FakeServer {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl FakeServer {
    fn start(dir: &Path, script: &Json) -> FakeServer {
        let script_path = dir.join("script.json");
        std::fs::write(&script_path, script.to_string()).unwrap();
        let log = dir.join("requests.jsonl");
        let mut child = python()
            .arg(llm_dir().join("tests/fake_server.py"))
            .arg(&script_path)
            .arg(&log)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the fake server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the fake server printed {line:?}, not its port"));
        FakeServer { child, port, log }
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// Every request the server received.
    fn requests(&self) -> Vec<Json> {
        json_lines(&std::fs::read(&self.log).unwrap_or_default())
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take()); // the server ends when its stdin closes
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a model writes for stored text: NFC, single plain spaces.
fn as_a_model_writes(stored: &str) -> String {
    stored
        .nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A chat-completions reply (fake server shorthand) whose content lists the
/// gold mentions as a perfect model would: text and value, no offsets.
fn oracle_reply(gold: &Json, prompt_tokens: u64) -> Json {
    let mut ms: Vec<&Json> = gold["mentions"].as_array().unwrap().iter().collect();
    ms.sort_by_key(|m| (m["start"].as_u64(), m["end"].as_u64()));
    let mentions: Vec<Json> = ms
        .iter()
        .map(|m| json!({"field": m["field"], "text": as_a_model_writes(m["text"].as_str().unwrap()), "value": m["value"]}))
        .collect();
    json!({"content": json!({"mentions": mentions}).to_string(),
           "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": 100}})
}

#[test]
fn python_unit_tests_pass() {
    let out = python()
        .current_dir(llm_dir())
        .args(["-m", "unittest", "discover", "-s", "tests", "-t", "."])
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "Python unit tests of extractors/llm failed:\n{stderr}"
    );
    // Discovery found the tests (an empty run also says OK).
    let ran: usize = stderr
        .split("Ran ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(ran >= 20, "only {ran} Python tests ran:\n{stderr}");
}

/// Texts for the comparison: words in both normal forms, emoji, a word
/// that starts with a combining mark, and separators covering every
/// White_Space character plus two that are not (U+001F, which Python's
/// `isspace` counts, and U+200B).
const WORDS: &[&str] = &[
    "Nguyễn",
    "Nguye\u{302}\u{303}n",
    "Đức",
    "ty\u{309}",
    "tỷ",
    "7,1%",
    "2024",
    "năm",
    "🎉",
    "👍🏽",
    "\u{301}x",
    "a",
    "Hồ",
    "Ho",
    "한",
    "\u{1112}\u{1161}\u{11ab}",
];
const SEPARATORS: &[&str] = &[
    " ", "\t", "\n", "\u{b}", "\u{c}", "\r", "\r\n", "\u{85}", "\u{a0}", "\u{1680}", "\u{2000}", "\u{2005}",
    "\u{200a}", "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}", "\u{1f}", "\u{200b}", "", "  \u{a0}",
];

/// One alignment case: a text and mentions in no particular order, some
/// written as a model would, some raw slices (possibly cutting a letter),
/// some absent from the text, some without text, some already placed.
fn alignment_case() -> impl Strategy<Value = (String, Vec<WireMention>)> {
    let tokens = prop::collection::vec((0..WORDS.len(), 0..SEPARATORS.len()), 1..25);
    tokens
        .prop_flat_map(|tokens| {
            let text: String = tokens
                .iter()
                .map(|&(w, s)| format!("{}{}", WORDS[w], SEPARATORS[s]))
                .collect();
            let n = text.chars().count().max(1);
            let mention = (0..5u8, 0..n, 0..12usize, 0..2usize, 0..tokens.len(), 0..3usize);
            (Just(text), Just(tokens), prop::collection::vec(mention, 0..10))
        })
        .prop_map(|(text, tokens, picks)| {
            let chars: Vec<char> = text.chars().collect();
            let mut starts = Vec::new(); // code point offset of each word
            let mut n = 0;
            for &(w, s) in &tokens {
                starts.push(n);
                n += WORDS[w].chars().count() + SEPARATORS[s].chars().count();
            }
            let mentions = picks
                .into_iter()
                .map(|(kind, at, len, field, word, words)| {
                    let field = ["date", "figure"][field].to_string();
                    let (mut start, mut end, mut m_text) = (None, None, None);
                    match kind {
                        0 => {
                            let last = (word + words).min(tokens.len() - 1);
                            let to = starts[last] + WORDS[tokens[last].0].chars().count();
                            m_text = Some(as_a_model_writes(&chars[starts[word]..to].iter().collect::<String>()));
                        }
                        1 => {
                            let to = (at + len).min(chars.len());
                            m_text = Some(chars[at.min(to)..to].iter().collect());
                        }
                        2 => m_text = Some("Ω năm".into()),
                        3 => {}
                        _ => {
                            let to = (at + len).min(chars.len());
                            (start, end, m_text) = (Some(at.min(to)), Some(to), Some("preset".into()));
                        }
                    }
                    WireMention {
                        field,
                        start,
                        end,
                        text: m_text,
                        value: Json::Null,
                    }
                })
                .collect();
            (text, mentions)
        })
}

#[test]
fn python_align_port_gives_the_same_spans_as_extractor_api() {
    let mut runner = TestRunner::deterministic();
    let strategy = alignment_case();
    let cases: Vec<(String, Vec<WireMention>)> = (0..400)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect();
    let input: String = cases
        .iter()
        .map(|(text, ms)| json!({"text": text, "mentions": ms}).to_string() + "\n")
        .collect();
    let mut cmd = python();
    cmd.arg(llm_dir().join("align.py"));
    let out = run_with_input(cmd, input);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let python_results = json_lines(&out.stdout);
    assert_eq!(python_results.len(), cases.len());
    let (mut aligned, mut unaligned) = (0, 0);
    for ((text, given), py) in cases.iter().zip(&python_results) {
        let mut ms = given.clone();
        let stats = extractor_api::align(text, &mut ms);
        (aligned, unaligned) = (aligned + stats.aligned, unaligned + stats.unaligned);
        assert_eq!(
            serde_json::to_value(stats).unwrap(),
            py["stats"],
            "stats differ for {text:?} {given:?}"
        );
        for (rust, p) in ms.iter().zip(py["mentions"].as_array().unwrap()) {
            let rust = (rust.start, rust.end, rust.text.as_deref());
            let python = (
                p["start"].as_u64().map(|v| v as usize),
                p["end"].as_u64().map(|v| v as usize),
                p["text"].as_str(),
            );
            assert_eq!(rust, python, "mentions differ for {text:?} {given:?}");
        }
    }
    // The cases exercise both outcomes, not just one.
    assert!(
        aligned > 300 && unaligned > 300,
        "aligned {aligned}, unaligned {unaligned}"
    );
}

/// Checks each value with the plugin's `values.normalize`: `[ok, value]`.
const NORMALIZE: &str = r#"
import json, sys
sys.path.insert(0, sys.argv[1])
from values import normalize
for line in sys.stdin:
    field, value = json.loads(line)
    try:
        out = [True, normalize(field, value)]
    except ValueError:
        out = [False, None]
    print(json.dumps(out, ensure_ascii=False))
"#;

fn harness_accepts(field: &str, value: &Json) -> bool {
    let Ok(field) = field.parse::<Field>() else {
        return false;
    };
    Value::from_json(field, value.clone()).is_ok_and(|v| v.check().is_ok())
}

#[test]
fn python_value_checks_agree_with_extractor_api() {
    let mut cases: Vec<(&str, Json)> = Vec::new();
    // Every combination of date parts, good and bad, alone and as intervals.
    let years = ["2024", "2023", "1900", "2000", "XXXX", "24", "20245", "xxxx", ""];
    let rests = [
        "",
        "-01",
        "-02",
        "-06",
        "-12",
        "-13",
        "-00",
        "-6",
        "-Q1",
        "-Q4",
        "-Q0",
        "-Q5",
        "-Q",
        "-Q12",
        "-02-28",
        "-02-29",
        "-02-30",
        "-06-30",
        "-06-31",
        "-01-00",
        "-01-1",
        "-Q1-01",
        "-01-01-01",
    ];
    let points: Vec<String> = years
        .iter()
        .flat_map(|y| rests.iter().map(move |r| format!("{y}{r}")))
        .collect();
    for p in &points {
        cases.push(("date", json!(p)));
    }
    for (a, b) in points.iter().zip(points.iter().rev()).step_by(7) {
        cases.push(("date", json!(format!("{a}/{b}"))));
    }
    cases.extend([
        ("date", json!("2021/2025/2030")),
        ("date", json!(2024)),
        ("date", json!(null)),
        (
            "official",
            json!({"name": "Nguyễn Văn A", "titles": ["Chủ tịch UBND huyện"]}),
        ),
        ("official", json!({"name": "Nguyễn Văn A", "titles": []})),
        ("official", json!({"name": "  ", "titles": []})),
        ("official", json!({"name": "A", "titles": [" "]})),
        ("official", json!({"name": "A", "titles": "Chủ tịch"})),
        ("official", json!({"name": "A"})),
        ("official", json!({"name": "A", "titles": [], "role": "x"})),
        ("figure", json!({"amount": 1326800000000u64, "unit": "đồng"})),
        ("figure", json!({"amount": 2.5, "unit": "tấn"})),
        ("figure", json!({"amount": 3, "unit": "Tấn"})),
        ("figure", json!({"amount": 3, "unit": "ĐỒNG"})),
        ("figure", json!({"amount": "3", "unit": "tấn"})),
        ("figure", json!({"amount": true, "unit": "tấn"})),
        ("figure", json!({"amount": 3, "unit": ""})),
        ("figure", json!({"amount": 3})),
        ("percentage", json!({"value": 7.1})),
        ("percentage", json!({"value": 100})),
        ("percentage", json!({"value": "7,1"})),
        ("percentage", json!({"value": 7.1, "sign": "%"})),
        ("percentage", json!(7.1)),
        ("salary", json!({"value": 1})),
    ]);
    let input: String = cases.iter().map(|(f, v)| json!([f, v]).to_string() + "\n").collect();
    let mut cmd = python();
    cmd.args(["-c", NORMALIZE]).arg(llm_dir());
    let out = run_with_input(cmd, input);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let verdicts = json_lines(&out.stdout);
    assert_eq!(verdicts.len(), cases.len());
    let mut accepted = 0;
    for ((field, value), v) in cases.iter().zip(&verdicts) {
        let python_ok = v[0].as_bool().unwrap();
        if python_ok {
            accepted += 1;
            // Sound: what the plugin sends, the harness accepts.
            assert!(
                harness_accepts(field, &v[1]),
                "{field} {value} became {} which the harness rejects",
                v[1]
            );
        }
        // Complete: what the harness accepts, the plugin keeps.
        if harness_accepts(field, value) {
            assert!(python_ok, "the plugin drops {field} {value}, which the harness accepts");
        }
    }
    assert!(
        accepted > 40 && accepted < cases.len() - 100,
        "accepted {accepted} of {}",
        cases.len()
    );
}

/// The plugin's command line against `server`, from any directory.
fn plugin_command(server: &FakeServer) -> String {
    format!(
        "python3 {} --model fake-1 --base-url {} --price-input-per-mtok 0.5 --price-output-per-mtok 2",
        llm_dir().join("plugin.py").display(),
        server.base_url()
    )
}

#[test]
fn plugin_replies_carry_ids_usage_retry_after_and_errors() {
    let dir = temp_dir("llm-plugin");
    let text = "Ngày 4/6/2024, tỷ lệ đạt 7,1\u{a0}% so với năm 2023.";
    let script = json!({"routes": [
        {"match": "tỷ lệ đạt", "replies": [{"content": json!({"mentions": [
            {"field": "date", "text": "Ngày 4/6/2024", "value": "2024-06-04"},
            {"field": "percentage", "text": "7,1 %", "value": {"value": 7.1}},
            {"field": "date", "text": "năm 2023", "value": "2023"}]}).to_string(),
            "usage": {"prompt_tokens": 3000, "completion_tokens": 250}}]},
        {"match": "RATE LIMITED", "replies": [{"status": 429, "headers": {"Retry-After": "12"}, "body": {"error": "slow down"}}]},
        {"match": "MALFORMED", "replies": [{"content": "{\"mentions\": [{\"field\": \"date\", "}]}
    ]});
    let server = FakeServer::start(&dir, &script);
    let requests = [
        json!({"id": "a1", "text": text}),
        json!({"id": "a2", "text": "RATE LIMITED"}),
        json!({"id": "a3", "text": "MALFORMED"}),
        json!({"id": "a4", "text": text}),
    ];
    let input: String = requests.iter().map(|r| r.to_string() + "\n").collect();
    let mut cmd = Command::new("sh");
    cmd.args(["-c", &plugin_command(&server)])
        .env("NO_PROXY", "127.0.0.1")
        .env("OPENAI_API_KEY", "sk-test");
    let out = run_with_input(cmd, input);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let lines = json_lines(&out.stdout);
    assert_eq!(lines[0]["protocol"], "ie-harness-jsonl");
    assert_eq!(lines[0]["name"], "llm-fake-1");
    let replies = &lines[1..];
    let ids: Vec<&str> = replies.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["a1", "a2", "a3", "a4"],
        "one reply per request, in order, with its id"
    );

    // Aligned: offsets into the text as sent, text = the stored slice.
    let spans: Vec<(u64, u64, &str)> = replies[0]["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["start"].as_u64().unwrap(),
                m["end"].as_u64().unwrap(),
                m["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [(0, 13, "Ngày 4/6/2024"), (25, 30, "7,1\u{a0}%"), (38, 46, "năm 2023")]
    );
    for r in [&replies[0], &replies[3]] {
        let reply: extractor_api::protocol::Reply = serde_json::from_value(r.clone()).expect("a valid reply");
        let usage = reply.usage.expect("usage reported");
        assert_eq!((usage.input_tokens, usage.output_tokens), (Some(3000), Some(250)));
        assert!((usage.cost_usd.unwrap() - (3000.0 * 0.5 + 250.0 * 2.0) / 1e6).abs() < 1e-12);
    }
    assert_eq!(replies[1]["retry_after_s"], 12.0);
    assert!(replies[1]["error"].as_str().unwrap().contains("429"));
    assert!(
        replies[2]["error"].as_str().unwrap().contains("not JSON"),
        "{}",
        replies[2]
    );
    assert!(replies[2].get("retry_after_s").is_none());
    assert!(
        stderr.contains("usage {\"input_tokens\": 3000"),
        "usage is logged: {stderr}"
    );

    let sent = server.requests();
    assert_eq!(sent.len(), 4);
    assert_eq!(sent[0]["authorization"], "Bearer sk-test");
    let system = sent[0]["body"]["messages"][0]["content"].as_str().unwrap();
    let guidelines = std::fs::read_to_string(full_gold_dir().join("GUIDELINES.md")).unwrap();
    let figure_section = guidelines.split("\n## ").find(|s| s.starts_with("figure\n")).unwrap();
    assert!(
        system.contains(figure_section.trim_end()),
        "the prompt quotes the guidelines' figure section as it stands"
    );
}

/// Copies gold article `id` (gold file and text) into `dir`; returns the
/// gold JSON and the text.
fn copy_article(dir: &Path, id: &str) -> (Json, String) {
    let gold_path = full_gold_dir().join(format!("{id}.json"));
    let gold = read_json(&gold_path);
    let source = gold["source"].as_str().unwrap();
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    std::fs::copy(&gold_path, dir.join(format!("{id}.json"))).unwrap();
    std::fs::copy(full_gold_dir().join(source), dir.join(source)).unwrap();
    let text = std::fs::read_to_string(dir.join(source)).unwrap();
    (gold, text)
}

#[test]
fn harness_scores_aligned_llm_mentions_on_spans() {
    let dir = temp_dir("llm-eval");
    let gold = dir.join("gold");
    // No-break spaces, NFD accents, CRLF line ends: one seed and two tuning
    // articles (never the held-out dev-test ones).
    let articles = ["000_ffe74637e9cbe8aa", "dev007", "dev008"].map(|id| (id, copy_article(&gold, id)));
    tiny_gold(
        &gold,
        "zz_broken",
        "MALFORMED ANSWER: năm 2024.",
        &[("m1", "date", 18, 26, json!("2024"))],
    );
    let mut routes: Vec<Json> = articles
        .iter()
        .enumerate()
        .map(|(i, (_, (g, text)))| {
            let reply = oracle_reply(g, 1000 + i as u64);
            let replies = if i == 0 {
                vec![
                    json!({"status": 429, "headers": {"Retry-After": "1"}, "body": "{}"}),
                    reply,
                ]
            } else {
                vec![reply]
            };
            json!({"match": text.nfc().collect::<String>(), "replies": replies})
        })
        .collect();
    routes.push(json!({"match": "MALFORMED ANSWER", "replies": [{"content": "I found: năm 2024 (a date)"}]}));
    let server = FakeServer::start(&dir, &json!({ "routes": routes }));

    let out_dir = dir.join("out");
    let plugin = format!("cmd:{}", plugin_command(&server));
    let out = eval_quick(&gold, &plugin, &out_dir, &["--jobs", "1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report = read_json(&out_dir.join("report.json"));
    let p = &report["plugins"][0];
    assert_eq!(p["name"], "llm-fake-1", "{stderr}");
    assert!(
        stderr.contains("asks to retry 000_ffe74637e9cbe8aa after 1.0 s"),
        "the 429 was retried: {stderr}"
    );

    let gold_count = |g: &Json| g["mentions"].as_array().unwrap().len() as u64;
    let expected: u64 = articles.iter().map(|(_, (g, _))| gold_count(g)).sum();
    let by_id = |id: &str| {
        p["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("no article {id}"))
    };
    for (id, _) in &articles {
        assert!(by_id(id)["error"].is_null(), "{id}: {}", by_id(id)["error"]);
    }
    let broken = &by_id("zz_broken")["error"];
    assert_eq!(broken["kind"], "plugin_error");
    assert!(broken["message"].as_str().unwrap().contains("not JSON"), "{broken}");

    // Every gold mention of the three articles found on its exact span, none
    // invented; the broken article's one mention is missed.
    let overall = &p["overall"];
    assert_eq!(overall["tp"], expected, "{}", overall);
    assert_eq!(overall["fp"], 0);
    assert_eq!(overall["fn"], 1);
    assert_eq!(overall["schemes"]["strict"]["precision"], 1.0);

    // The replies the harness accepted carried their usage (kept verbatim
    // in the output cache).
    let cached: Vec<Json> = std::fs::read_dir(out_dir.join(".cache"))
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|f| f.unwrap().path())
        .filter(|f| f.file_name().unwrap() != "plugin.json")
        .map(|f| serde_json::from_str(read_json(&f)["response"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(cached.len(), articles.len());
    let mut input_tokens: Vec<u64> = cached
        .iter()
        .map(|r| r["usage"]["input_tokens"].as_u64().unwrap())
        .collect();
    input_tokens.sort();
    assert_eq!(input_tokens, [1000, 1001, 1002]);
}
