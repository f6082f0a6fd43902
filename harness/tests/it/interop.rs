//! Gold interop: round trips through brat, Label Studio and CoNLL over random
//! gold (proptest) and over the committed gold set, the commands' errors,
//! and scoring predictions written in those formats.

use super::support::*;
use extractor_api::{Field, Figure, Official, Percentage, Value};
use harness::gold::{self, GoldArticle, GoldSet};
use harness::interop::{brat, conll, label_studio, to_gold, Purpose};
use harness::mention::{GoldMention, Origin, Span};
use proptest::prelude::*;
use std::path::Path;

// ---------------------------------------------------------------- random gold

/// Pieces of text that have bitten converters: NFD accents, CRLF, emoji
/// outside the BMP, no-break spaces, Unicode line separators, punctuation
/// glued to words.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,6}",
        Just("quý".to_string()),
        Just("Nguyễn Văn".to_string()),
        Just("Nga\u{300}y".to_string()),
        Just("le\u{323}\u{302}".to_string()),
        Just(" ".to_string()),
        Just("\u{a0}".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just("\u{2028}".to_string()),
        Just("😀".to_string()),
        Just("🇻🇳".to_string()),
        Just("7,1%".to_string()),
        Just("(".to_string()),
        Just(",".to_string()),
        Just("\t".to_string()),
    ]
}

/// Strings with the characters JSON and line-based formats must escape.
fn awkward() -> impl Strategy<Value = String> {
    "[a-zà-ỹ \"\\\\\t\n\u{2028}\u{85}😀]{0,8}"
}

fn value(field: Field) -> BoxedStrategy<Value> {
    let number = prop_oneof![
        (-1_000_000_000_000_i64..1_000_000_000_000).prop_map(|n| n as f64),
        proptest::num::f64::NORMAL,
        Just(0.0),
    ];
    match field {
        Field::Date => prop::sample::select(vec![
            "2024",
            "2024-Q1",
            "XXXX-07-12",
            "2016-10-01",
            "2023/2024",
            "XXXX-05",
        ])
        .prop_map(|d| Value::Date(d.into()))
        .boxed(),
        Field::Official => (awkward(), prop::collection::vec(awkward(), 0..3))
            .prop_map(|(name, titles)| {
                Value::Official(Official {
                    name: format!("X{name}"),
                    titles: titles.into_iter().map(|t| format!("T{t}")).collect(),
                })
            })
            .boxed(),
        Field::Figure => (number, "[a-zđ]{1,5}( [a-zơ]{1,4})?")
            .prop_map(|(amount, unit)| Value::Figure(Figure { amount, unit }))
            .boxed(),
        Field::Percentage => number.prop_map(|value| Value::Percentage(Percentage { value })).boxed(),
    }
}

/// What one region of a random article is.
#[derive(Clone, Debug)]
enum Kind {
    Mention {
        value: Value,
        own_id: bool,
        origin: Option<Origin>,
    },
    Ignore(Option<String>),
}

fn kind() -> impl Strategy<Value = Kind> {
    let origin = proptest::option::of(("[a-z]{1,5}", "[0-9.]{1,4}", any::<bool>()).prop_map(
        |(plugin, version, reviewed)| Origin {
            plugin,
            version,
            reviewed,
        },
    ));
    prop_oneof![
        3 => (prop::sample::select(Field::ALL.to_vec()).prop_flat_map(value), any::<bool>(), origin)
            .prop_map(|(value, own_id, origin)| Kind::Mention { value, own_id, origin }),
        1 => proptest::option::of(awkward()).prop_map(Kind::Ignore),
    ]
}

/// A random article in canonical order: disjoint regions over a random text,
/// mention ids conventional or not, some with origins.
fn article() -> impl Strategy<Value = GoldArticle> {
    ("[a-z0-9_]{1,8}", prop::collection::vec(piece(), 1..30))
        .prop_flat_map(|(id, pieces)| {
            let text: String = pieces.concat();
            let n = text.chars().count();
            let regions = prop::collection::vec((0..n, 1..8usize, kind()), 0..8);
            (Just(id), Just(text), regions)
        })
        .prop_map(|(id, text, regions)| build(&id, &text, regions))
}

fn build(id: &str, text: &str, mut regions: Vec<(usize, usize, Kind)>) -> GoldArticle {
    let chars: Vec<char> = text.chars().collect();
    regions.sort_by_key(|r| r.0);
    let mut taken_to = 0;
    let mut a = GoldArticle {
        id: id.into(),
        file: format!("{id}.json").into(),
        source: Some(format!("articles/{id}.txt")),
        sha256: harness::digest::sha256_hex(text.as_bytes()),
        text: text.into(),
        ignore: Vec::new(),
        ignore_reasons: Vec::new(),
        mentions: Vec::new(),
    };
    let mut counts = std::collections::HashMap::new();
    for (k, (start, len, kind)) in regions.into_iter().enumerate() {
        let end = (start + len).min(chars.len());
        if start < taken_to || start >= end {
            continue;
        }
        taken_to = end;
        let span = Span { start, end };
        match kind {
            Kind::Ignore(reason) => {
                a.ignore.push(span);
                a.ignore_reasons.push(reason);
            }
            Kind::Mention { value, own_id, origin } => {
                let n = counts.entry(value.field()).or_insert(0);
                *n += 1;
                let conventional = format!("{}{n}", &value.field().as_str()[..1]);
                a.mentions.push(GoldMention {
                    id: if own_id { format!("m-{k}") } else { conventional },
                    span,
                    text: chars[start..end].iter().collect(),
                    value,
                    origin,
                });
            }
        }
    }
    a
}

/// The article a CoNLL round trip gives back, as its module docs promise:
/// spans without edge whitespace (whitespace-only ones left out),
/// conventional ids, no origins; values and reasons kept.
fn through_conll(a: &GoldArticle) -> GoldArticle {
    let chars: Vec<char> = a.text.chars().collect();
    let trim = |s: Span| {
        let (mut b, mut e) = (s.start, s.end);
        while b < e && chars[b].is_whitespace() {
            b += 1;
        }
        while e > b && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        (b < e).then_some(Span { start: b, end: e })
    };
    let regions = a
        .mentions
        .iter()
        .filter_map(|m| {
            trim(m.span).map(|s| {
                let kind = Kind::Mention {
                    value: m.value.clone(),
                    own_id: false,
                    origin: None,
                };
                (s.start, s.len(), kind)
            })
        })
        .chain(
            a.ignore
                .iter()
                .zip(&a.ignore_reasons)
                .filter_map(|(sp, why)| trim(*sp).map(|s| (s.start, s.len(), Kind::Ignore(why.clone())))),
        )
        .collect();
    build(&a.id, &a.text, regions)
}

fn gold_of(doc: harness::interop::Doc) -> GoldArticle {
    let draft = doc.unwrap_or_else(|d| panic!("{d:#?}"));
    to_gold(draft).unwrap_or_else(|d| panic!("{d:#?}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn brat_round_trips_are_identities(a in article()) {
        let ann = brat::ann(&a);
        let back = gold_of(brat::parse_ann(Path::new("x.ann"), &ann, &a.id, a.text.clone()));
        prop_assert_eq!(gold::canonical(&back), gold::canonical(&a), "{}", ann);
    }

    #[test]
    fn label_studio_round_trips_are_identities(a in article()) {
        let src = serde_json::to_string(&[label_studio::task(&a)]).unwrap();
        let mut read = label_studio::parse(Path::new("tasks.json"), &src, Purpose::Gold).unwrap();
        let back = gold_of(read.docs.remove(0).1);
        prop_assert_eq!(gold::canonical(&back), gold::canonical(&a), "{}", src);
    }

    #[test]
    fn conll_round_trips_keep_every_field_span_and_value(a in article()) {
        let (lines, _lost) = conll::article(&a, true).unwrap();
        let texts = |_: &str| -> Result<String, String> { Ok(a.text.clone()) };
        let mut read = conll::parse(Path::new("x.conll"), &lines, &texts).unwrap();
        let back = gold_of(read.docs.remove(0).1);
        prop_assert_eq!(gold::canonical(&back), gold::canonical(&through_conll(&a)), "{}", lines);
    }
}

// ------------------------------------------------------------ the real gold

fn run_ok(args: &[&str]) -> String {
    let out = harness(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    stderr
}

fn load(dir: &Path) -> GoldSet {
    gold::load_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

#[test]
fn the_committed_gold_goes_through_every_format_and_comes_back() {
    let dir = temp_dir("interop-real");
    let gold_dir = full_gold_dir();
    let g = gold_dir.to_str().unwrap();
    let original = load(&gold_dir);
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();

    // brat and Label Studio: byte-identical gold files and texts.
    run_ok(&["gold", "export", "--to", "brat", g, &path("brat")]);
    run_ok(&["gold", "import", "--from", "brat", &path("brat"), &path("from-brat")]);
    run_ok(&["gold", "export", "--to", "label-studio", g, &path("ls")]);
    let tasks = path("ls/tasks.json");
    run_ok(&["gold", "import", "--from", "label-studio", &tasks, &path("from-ls")]);
    for back in ["from-brat", "from-ls"] {
        for a in &original.articles {
            let want = std::fs::read(&a.file).unwrap();
            let got = std::fs::read(dir.join(back).join(format!("{}.json", a.id))).unwrap();
            assert!(want == got, "{back}: {} differs", a.id);
            let text = std::fs::read(dir.join(back).join(format!("articles/{}.txt", a.id))).unwrap();
            assert_eq!(text, a.text.as_bytes(), "{back}: {} text", a.id);
        }
    }

    // The examples in docs/interop.md are what the exporters write.
    let docs = std::fs::read_to_string(workspace().join("docs/interop.md")).unwrap();
    let example = |after: &str| -> Vec<String> {
        let from = docs.find(after).unwrap() + after.len();
        let block = &docs[from..];
        let start = block.find("```text\n").unwrap() + 8;
        let end = block[start..].find("```").unwrap();
        block[start..start + end]
            .lines()
            .filter(|l| !l.is_empty() && *l != "…")
            .map(String::from)
            .collect()
    };
    let ann = std::fs::read_to_string(dir.join("brat/000_ffe74637e9cbe8aa.ann")).unwrap();
    for line in example("## brat") {
        assert!(
            ann.lines().any(|l| l == line),
            "docs/interop.md: {line:?} is not in the brat export"
        );
    }

    // CoNLL: every mention comes back whole (span, field, value, id); ignore
    // regions lose only edge whitespace, and the exporter says so.
    let notes = run_ok(&["gold", "export", "--to", "conll", "--conll-values", g, &path("conll")]);
    let conll = path("conll/gold.conll");
    let texts = path("conll/texts");
    run_ok(&[
        "gold",
        "import",
        "--from",
        "conll",
        &conll,
        &path("from-conll"),
        "--text-dir",
        &texts,
    ]);
    let written = std::fs::read_to_string(&conll).unwrap();
    for line in example("## CoNLL") {
        assert!(
            written.lines().any(|l| l == line),
            "docs/interop.md: {line:?} is not in the CoNLL export"
        );
    }
    let back = load(&dir.join("from-conll"));
    assert_eq!(back.articles.len(), original.articles.len());
    for (a, b) in original.articles.iter().zip(&back.articles) {
        assert_eq!(a.mentions, b.mentions, "{}", a.id);
        assert_eq!(a.text, b.text);
        assert_eq!(a.ignore_reasons, b.ignore_reasons, "{}", a.id);
        for (x, y) in a.ignore.iter().zip(&b.ignore) {
            if x != y {
                let note = format!(
                    "{}: ignore region {}..{} loses its edge whitespace",
                    a.id, x.start, x.end
                );
                assert!(notes.contains(&note), "{note} not in {notes}");
                let inner: String = a.text.chars().skip(x.start).take(x.len()).collect();
                let kept: String = a.text.chars().skip(y.start).take(y.len()).collect();
                assert_eq!(inner.trim(), kept, "{}", a.id);
            }
        }
    }

    // Each export also scores as predictions against the gold: all correct.
    for (format, input) in [("brat", path("brat")), ("label-studio", tasks), ("conll", conll)] {
        let out = path(&format!("report-{format}"));
        run_ok(&[
            "score",
            "--gold",
            g,
            "--predictions-format",
            format,
            "--predictions",
            &input,
            "--out",
            &out,
            "--resamples",
            "10",
            "--trials",
            "10",
        ]);
        let report = read_json(&dir.join(format!("report-{format}/report.json")));
        let p = &report["plugins"][0];
        assert_eq!(p["info"]["abi"], format!("predictions/{format}"));
        assert_eq!(p["overall"]["tp"], 1452, "{format}");
        assert_eq!(p["overall"]["fp"], 0, "{format}");
        assert_eq!(p["overall"]["fn"], 0, "{format}");
    }
}

// --------------------------------------------------------------- the commands

fn run_err(args: &[&str]) -> (Option<i32>, String) {
    let out = harness(args);
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn label_studio_offsets_are_utf16_end_to_end() {
    let dir = temp_dir("interop-emoji");
    let text = "😀😀 quý I/2024 tăng 7,1%";
    tiny_gold(
        &dir.join("g"),
        "emoji",
        text,
        &[
            ("d1", "date", 3, 13, serde_json::json!("2024-Q1")),
            ("p1", "percentage", 19, 23, serde_json::json!({"value": 7.1})),
        ],
    );
    // canonical layout, so the round trip can be compared byte for byte
    run_ok(&["gold", "fmt", dir.join("g").to_str().unwrap()]);
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    run_ok(&["gold", "export", "--to", "label-studio", &path("g"), &path("ls")]);
    let tasks = read_json(&dir.join("ls/tasks.json"));
    let first = &tasks[0]["annotations"][0]["result"][0]["value"];
    assert_eq!(
        (first["start"].as_u64(), first["end"].as_u64()),
        (Some(5), Some(15)),
        "{first}"
    );
    run_ok(&[
        "gold",
        "import",
        "--from",
        "label-studio",
        &path("ls/tasks.json"),
        &path("back"),
    ]);
    assert_eq!(
        std::fs::read_to_string(dir.join("back/emoji.json")).unwrap(),
        std::fs::read_to_string(dir.join("g/emoji.json")).unwrap()
    );
}

#[test]
fn imports_refuse_bad_input_with_positions_and_write_nothing() {
    let dir = temp_dir("interop-bad");
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    std::fs::create_dir_all(dir.join("brat")).unwrap();
    std::fs::write(dir.join("brat/a.txt"), "quý I/2024 và 7%").unwrap();
    std::fs::write(
        dir.join("brat/a.ann"),
        "T1\tdate 0 3;4 10\tquý I/2024\nT2\tpercentage 14 16\t7%\n#1\tAnnotatorNotes T2\t{\"value\": 7}\n",
    )
    .unwrap();
    let (code, err) = run_err(&["gold", "import", "--from", "brat", &path("brat"), &path("out")]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("a.ann:1:1: T1: discontinuous span"), "{err}");
    assert!(!dir.join("out").exists(), "nothing is written");

    // A Label Studio task with two annotations and no ground truth.
    let task = serde_json::json!([{"data": {"article": "a", "text": "7%"},
        "annotations": [{"result": []}, {"result": []}]}]);
    std::fs::write(dir.join("tasks.json"), task.to_string()).unwrap();
    let (code, err) = run_err(&[
        "gold",
        "import",
        "--from",
        "label-studio",
        &path("tasks.json"),
        &path("out"),
    ]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("tasks.json:1:2: task [0] (article \"a\"): 2 annotations"),
        "{err}"
    );

    // CoNLL needs the texts, and values for gold.
    std::fs::write(
        dir.join("x.conll"),
        "-DOCSTART- a\n\nquý\tB-date\nI/2024\tI-date\nvà\tO\n7%\tO\n",
    )
    .unwrap();
    let (code, err) = run_err(&["gold", "import", "--from", "conll", &path("x.conll"), &path("out")]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("needs --text-dir"), "{err}");
    let (code, err) = run_err(&[
        "gold",
        "import",
        "--from",
        "conll",
        &path("x.conll"),
        &path("out"),
        "--text-dir",
        &path("brat"),
    ]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("x.conll:3:1: the date has no value"), "{err}");

    // Output directories are never mixed with what is there.
    std::fs::write(dir.join("brat/a.ann"), "").unwrap();
    let (code, err) = run_err(&["gold", "import", "--from", "brat", &path("brat"), &path("brat")]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not empty"), "{err}");
    run_ok(&["gold", "import", "--from", "brat", &path("brat"), &path("out")]);
    run_ok(&["gold", "check", &path("out")]);
}

#[test]
fn bad_predictions_stop_the_run_or_fail_their_article() {
    let dir = temp_dir("interop-preds");
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    tiny_gold(
        &dir.join("g"),
        "a",
        "tăng 7%",
        &[("p1", "percentage", 5, 7, serde_json::json!({"value": 7}))],
    );
    tiny_gold(
        &dir.join("g"),
        "b",
        "giảm 9%",
        &[("p1", "percentage", 5, 7, serde_json::json!({"value": 9}))],
    );
    std::fs::create_dir_all(dir.join("p")).unwrap();
    std::fs::write(
        dir.join("p/a.ann"),
        "T1\tpercentage 5 7\t7%\n#1\tAnnotatorNotes T1\t{\"value\": 7}\n",
    )
    .unwrap();
    std::fs::write(dir.join("p/b.ann"), "T1\tpercentage 5 7\t9%\n").unwrap();
    let score = |on_bad: &str, out: &str| {
        run_err(&[
            "score",
            "--gold",
            &path("g"),
            "--predictions-format",
            "brat",
            "--predictions",
            &path("p"),
            "--out",
            &path(out),
            "--on-bad-line",
            on_bad,
            "--resamples",
            "10",
            "--trials",
            "10",
        ])
    };
    let (code, err) = score("stop", "r1");
    assert_eq!(code, Some(7), "{err}");
    assert!(err.contains("b.ann:1:1: T1: the percentage has no value"), "{err}");
    let (code, err) = score("skip", "r2");
    assert_eq!(code, Some(0), "{err}");
    let report = read_json(&dir.join("r2/report.json"));
    let articles = &report["plugins"][0]["articles"];
    assert_eq!(articles[0]["error"], serde_json::Value::Null);
    assert_eq!(articles[1]["error"]["kind"], "bad_line", "{}", articles[1]);

    // CoNLL predictions without values are refused, saying why.
    std::fs::write(dir.join("p.conll"), "-DOCSTART- a\ntăng\tO\n7%\tB-percentage\n").unwrap();
    let (code, err) = run_err(&[
        "score",
        "--gold",
        &path("g"),
        "--predictions-format",
        "conll",
        "--predictions",
        &path("p.conll"),
        "--out",
        &path("r3"),
    ]);
    assert_eq!(code, Some(7), "{err}");
    assert!(
        err.contains("p.conll:3:1: the percentage has no value") && err.contains("no span-only mode"),
        "{err}"
    );
}
