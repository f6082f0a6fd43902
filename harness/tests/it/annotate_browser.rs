//! The workbench end to end in headless Chromium: a person's keystrokes,
//! the gold file on disk after them. Fails (never skips) without the
//! browser; `web::Browser` says how to install it.

use super::annotate::{fixed_plugin, gold_check, gold_with_article, span, two_passes, TEXT};
use super::support::temp_dir;
use super::web::*;
use std::time::{Duration, Instant};

/// Selects the first occurrence of `needle` in the article text the way a
/// mouse drag does: a DOM range over the rendered text nodes.
fn select_in_text(b: &Browser, needle: &str) {
    let found = b.js(&format!(
        r#"const walk = document.createTreeWalker(document.getElementById('text'), NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {{
          const i = n.data.indexOf({needle:?});
          if (i >= 0) {{
            const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + {len});
            const s = getSelection(); s.removeAllRanges(); s.addRange(r); return true;
          }}
        }}
        return false;"#,
        len = needle.encode_utf16().count()
    ));
    assert_eq!(found, true, "{needle:?} is not rendered");
}

#[test]
fn label_fix_save_reload_and_adjudicate_in_a_real_browser() {
    let started = Instant::now();
    let gold = gold_with_article("browser-annotate");
    let w = Workbench::start(&["--gold", gold.to_str().unwrap(), "--article", "a1"]);
    let b = Browser::start(&temp_dir("browser-profile"));
    b.goto(&w.url);
    b.wait(
        15,
        "__annotate.S.art && __annotate.S.art.id === 'a1' && document.querySelector('#text .chunk')",
    );
    // The text is shown exactly as stored (CRLF, NFD, no-break space).
    assert_eq!(b.js("return document.getElementById('text').textContent"), TEXT);

    // Select a span and label it a percentage: the value is prefilled.
    select_in_text(&b, "7,1%");
    b.keys(&[], &["p"]);
    let m = b.wait(
        10,
        "__annotate.S.doc.mentions.find(m => m.field === 'percentage' && m.value.value === 7.1)",
    );
    let (s, e) = span(TEXT, "7,1%");
    assert_eq!(
        (m["start"].as_u64(), m["end"].as_u64()),
        (Some(s as u64), Some(e as u64))
    );
    assert_eq!(m["text"], "7,1%");

    // Fix its value; the server validates it as it is typed.
    b.keys(&[], &[ENTER]);
    b.wait(5, "document.activeElement.id === 'v-value'");
    b.type_text("7.25x");
    let err = b.wait(10, "document.querySelector('#cur-problems li.error')?.textContent");
    assert!(err.as_str().unwrap().contains("wrong shape"), "{err}");
    b.keys(&[], &[BACKSPACE]);
    b.wait(10, "document.querySelector('#cur-problems li.ok')");
    b.keys(&[], &[ENTER]);
    b.wait(5, "document.activeElement.id === 'text'");

    // Save, then read the gold file the way every other tool does.
    b.keys(&[CONTROL], &["s"]);
    b.wait(
        10,
        "!__annotate.S.dirty && document.getElementById('save-state').textContent === 'saved'",
    );
    gold_check(&gold);
    let (article, _) = harness::gold::load_file(&gold.join("a1.json"));
    let article = article.unwrap();
    assert_eq!(article.mentions.len(), 1);
    let saved = &article.mentions[0];
    assert_eq!((saved.span.start, saved.span.end, saved.text.as_str()), (s, e, "7,1%"));
    assert_eq!(
        saved.value,
        extractor_api::Value::Percentage(extractor_api::Percentage { value: 7.25 })
    );

    // A reload shows what is on disk.
    b.goto(&w.url);
    b.wait(
        15,
        "__annotate.S.art && __annotate.S.doc.mentions.some(m => m.value.value === 7.25)",
    );
    assert_eq!(b.js("return __annotate.S.dirty"), false);
    drop(w);

    // Adjudication: one disagreement, decided for the right-hand pass.
    let (a, bp, out) = two_passes("browser-adjudicate");
    let w = Workbench::start(&[
        "--adjudicate",
        a.to_str().unwrap(),
        bp.to_str().unwrap(),
        "--gold",
        out.to_str().unwrap(),
        "--article",
        "a1",
    ]);
    b.goto(&w.url);
    let head = b.wait(
        15,
        "__annotate.S.adj && document.querySelector('#choice .choice-head')?.textContent",
    );
    assert!(head.as_str().unwrap().contains("Disagreement 1 of 1"), "{head}");
    b.keys(&[], &[RIGHT]);
    b.wait(
        5,
        "__annotate.S.adj.resolved[0] && __annotate.S.adj.resolved[0].side === 'b'",
    );
    b.keys(&[CONTROL], &["s"]);
    b.wait(10, "!__annotate.S.dirty && __annotate.S.art.hash");
    gold_check(&out);
    let (merged, _) = harness::gold::load_file(&out.join("a1.json"));
    let texts: Vec<String> = merged.unwrap().mentions.into_iter().map(|m| m.text).collect();
    assert_eq!(texts, ["7,1%", "54"]);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the browser test took {:?}",
        started.elapsed()
    );
}

/// Keyboard only, on the hard offsets (after a CRLF, in NFD text): review
/// a plugin's proposals, undo and redo, label a figure from "next
/// unlabelled number" and an official found by typing its NFC name.
#[test]
fn keyboard_only_review_and_labelling() {
    let gold = gold_with_article("browser-keyboard");
    let plugin = fixed_plugin(gold.parent().unwrap());
    let w = Workbench::start(&["--gold", gold.to_str().unwrap(), "--article", "a1", "--plugin", &plugin]);
    let b = Browser::start(&temp_dir("browser-keyboard-profile"));
    b.goto(&w.url);
    // Opening an article without mentions pre-annotates it; the first
    // proposal is current.
    b.wait(
        15,
        "__annotate.S.doc && __annotate.S.doc.mentions.length === 2 && __annotate.S.cur === 'm:d1'",
    );
    b.keys(&[], &["a"]); // accept d1, move to p1
    b.wait(
        5,
        "__annotate.S.cur === 'm:p1' && __annotate.S.doc.mentions[0].pre.reviewed",
    );
    b.keys(&[], &["r"]); // reject p1
    b.wait(5, "__annotate.S.doc.mentions.length === 1");
    b.keys(&[CONTROL], &["z"]);
    b.wait(5, "__annotate.S.doc.mentions.length === 2");
    b.keys(&[CONTROL, SHIFT], &["z"]);
    b.wait(5, "__annotate.S.doc.mentions.length === 1");

    // "54 doanh nghiệp": u selects the next unlabelled number ("4/6/2024"
    // and "2024" are inside d1 or its neighbours: skip to 54), the end
    // moves a word at a time, f labels it.
    for _ in 0..6 {
        b.keys(&[], &["u"]);
        if b.js("return __annotate.S.art.cps.slice(__annotate.S.pending.start, __annotate.S.pending.end)") == "54" {
            break;
        }
    }
    b.keys(&[CONTROL, SHIFT], &[RIGHT, RIGHT]);
    b.wait(5, "__annotate.S.pending && __annotate.S.art.cps.slice(__annotate.S.pending.start, __annotate.S.pending.end) === '54 doanh nghiệp'");
    b.keys(&[], &["f"]);
    b.wait(5, "__annotate.S.doc.mentions.some(m => m.field === 'figure' && m.value.unit === 'doanh nghiệp' && m.value.amount === 54)");

    // The official after the CRLF, written NFD in the text, found by its NFC name.
    b.keys(&[], &["/"]);
    b.wait(5, "document.activeElement.id === 'find-input'");
    b.type_text("Lê Văn A");
    b.keys(&[], &[ENTER]);
    b.keys(&[], &["\u{E00C}"]); // Escape: back to the text, the match selected
    b.wait(5, "document.activeElement.id === 'text' && __annotate.S.pending");
    b.keys(&[], &["o"]);
    b.wait(
        5,
        "__annotate.S.doc.mentions.some(m => m.field === 'official' && m.value.titles.length === 1)",
    );
    b.keys(&[], &["s"]);
    b.wait(
        10,
        "!__annotate.S.dirty && document.getElementById('save-state').textContent === 'saved'",
    );

    gold_check(&gold);
    let (article, _) = harness::gold::load_file(&gold.join("a1.json"));
    let got: Vec<(String, usize, usize, String)> = article
        .unwrap()
        .mentions
        .into_iter()
        .map(|m| {
            let pre = m.origin.map(|o| format!("{} {} {}", o.plugin, o.version, o.reviewed));
            (m.text, m.span.start, m.span.end, pre.unwrap_or_default())
        })
        .collect();
    let at = |needle: &str, pre: &str| {
        let (s, e) = span(TEXT, needle);
        (needle.to_string(), s, e, pre.to_string())
    };
    assert_eq!(
        got,
        [
            at("quý I/2024", "fixed 9.9 true"),
            at("54 doanh nghiệp", ""),
            at("Le\u{302} Va\u{306}n A", ""),
        ]
    );
    let saved = std::fs::read_to_string(gold.join("a1.json")).unwrap();
    assert!(
        saved.contains(r#""value": {"name": "Lê Văn A", "titles": ["Chủ tịch UBND huyện"]}"#),
        "{saved}"
    );
}

/// The median and the largest of some timings, in milliseconds.
fn median_max(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[v.len() - 1])
}

/// A gold directory holding a copy of the real gold, plus `big`: the
/// largest article repeated (with its labels) to at least 200 KB.
fn gold_copy_with_big_article(name: &str) -> std::path::PathBuf {
    use harness::gold::{self, GoldArticle};
    let dir = temp_dir(name);
    let set = gold::load_dir(&super::support::gold_dir()).unwrap();
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    for a in &set.articles {
        let mut copy = gold::add::empty(&dir, &a.id, a.text.clone());
        copy.ignore = a.ignore.clone();
        copy.ignore_reasons = a.ignore_reasons.clone();
        copy.mentions = a.mentions.clone();
        std::fs::write(dir.join(format!("articles/{}.txt", a.id)), &a.text).unwrap();
        std::fs::write(&copy.file, gold::canonical(&copy)).unwrap();
    }
    let src = set.articles.iter().max_by_key(|a| a.mentions.len()).unwrap();
    let n = src.text.chars().count();
    let copies = 200_000 / src.text.len() + 1;
    let mut big = gold::add::empty(&dir, "big", src.text.repeat(copies));
    for i in 0..copies {
        let shift = |s: harness::mention::Span| harness::mention::Span {
            start: s.start + i * n,
            end: s.end + i * n,
        };
        big.ignore.extend(src.ignore.iter().map(|s| shift(*s)));
        big.ignore_reasons.extend(src.ignore_reasons.iter().cloned());
        big.mentions
            .extend(src.mentions.iter().map(|m| harness::mention::GoldMention {
                id: format!("{}x{i}", m.id),
                span: shift(m.span),
                ..m.clone()
            }));
    }
    std::fs::write(dir.join("articles/big.txt"), &big.text).unwrap();
    std::fs::write(&big.file, gold::canonical(&GoldArticle { ..big.clone() })).unwrap();
    dir
}

/// Not a check of behaviour: takes the README screenshots (into
/// IE_HARNESS_DOCS, default `docs/`) and prints the speed figures of
/// docs/annotate-benchmarks.md. Run it with
/// `cargo test -p harness --test it -- --ignored annotate_browser::screenshots_and_speed --nocapture`.
#[test]
#[ignore]
fn screenshots_and_speed() {
    let docs = std::env::var("IE_HARNESS_DOCS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| super::support::workspace().join("docs"));
    let gold = gold_copy_with_big_article("browser-speed");
    let b = Browser::start(&temp_dir("browser-speed-profile"));

    // Article view: a real article, an official with titles current.
    let w = Workbench::start(&["--gold", gold.to_str().unwrap(), "--article", "dev001"]);
    b.goto(&w.url);
    b.wait(15, "__annotate.S.art && __annotate.S.art.id === 'dev001'");
    for _ in 0..40 {
        b.keys(&[], &["j"]);
        let official = b.js("const c = __annotate.S.cur && __annotate.S.doc.mentions.find(m => 'm:' + m.id === __annotate.S.cur); return !!(c && c.field === 'official' && c.value.titles.length > 1)");
        if official == true {
            break;
        }
    }
    b.keys(&[], &["w"]);
    b.wait(5, "document.querySelector('#cur-problems li')");
    b.screenshot(&docs.join("annotate-article.png"));

    drop(w);

    // Speed: the longest real article, the one with most mentions, and a
    // 200 KB one; each opened fresh.
    for id in std::env::var("IE_HARNESS_SPEED_IDS")
        .map_or(vec!["dev014".to_string(), "dev012".into(), "big".into()], |v| {
            v.split(',').map(String::from).collect()
        })
    {
        let id = id.as_str();
        let w = Workbench::start(&["--gold", gold.to_str().unwrap(), "--article", id]);
        b.goto(&w.url);
        b.wait(
            30,
            &format!("__annotate.metrics.open.length && __annotate.S.art.id === '{id}'"),
        );
        let open = b.js("return __annotate.metrics.open[0]");
        let fcp = b.js("return performance.getEntriesByName('first-contentful-paint')[0]?.startTime");
        // Per edit: move the end of a mention back and forth, then label
        // and delete new spans.
        b.keys(&[], &["j", "j"]);
        for _ in 0..10 {
            b.keys(&[SHIFT], &[RIGHT]);
            b.keys(&[SHIFT], &[LEFT]);
        }
        for _ in 0..5 {
            b.keys(&[], &["u"]);
            b.keys(&[], &["f"]);
            b.keys(&[], &["x"]);
        }
        b.wait(10, "__annotate.metrics.edits.length >= 30");
        let work: Vec<f64> = serde_json::from_value(b.js("return __annotate.metrics.work")).unwrap();
        let frames: Vec<f64> = serde_json::from_value(b.js("return __annotate.metrics.edits")).unwrap();
        // The server's check of the whole article (run after every edit),
        // timed from here.
        let (_, a) = w.api("GET", &format!("articles/{id}"), None);
        let checks: Vec<f64> = (0..10)
            .map(|_| {
                let t = Instant::now();
                let (status, _) = w.api(
                    "POST",
                    &format!("articles/{id}/check"),
                    Some(&serde_json::json!({"doc": a["doc"]})),
                );
                assert_eq!(status, 200);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        let (wm, wx) = median_max(work.clone());
        let (fm, fx) = median_max(frames);
        let (cm, cx) = median_max(checks);
        println!(
            "{id}: {} code points, {} mentions; first contentful paint {:.0} ms; article open (fetch + first render) {:.0} ms; \
             per edit: work median {wm:.1} ms, max {wx:.1} ms, to the next frame median {fm:.1} ms, max {fx:.1} ms ({} edits); \
             server check of the whole article median {cm:.1} ms, max {cx:.1} ms",
            open["chars"],
            open["mentions"],
            fcp.as_f64().unwrap_or(f64::NAN),
            open["ms"].as_f64().unwrap(),
            work.len()
        );
    }

    // Adjudication view: the real passes, on the article with most disagreements.
    let passes = super::support::gold_dir().join("passes");
    let out = temp_dir("browser-speed-adjudicated");
    let w = Workbench::start(&[
        "--adjudicate",
        passes.join("a").to_str().unwrap(),
        passes.join("b").to_str().unwrap(),
        "--gold",
        out.to_str().unwrap(),
    ]);
    let (_, list) = w.api("GET", "articles", None);
    let busiest = list["articles"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|a| a["disagreements"].as_u64())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    b.goto(&w.url);
    b.wait(15, "document.querySelector('#articles tbody tr')");
    b.screenshot(&docs.join("annotate-list.png"));
    let w2 = Workbench::start(&[
        "--adjudicate",
        passes.join("a").to_str().unwrap(),
        passes.join("b").to_str().unwrap(),
        "--gold",
        out.to_str().unwrap(),
        "--article",
        &busiest,
    ]);
    b.goto(&w2.url);
    b.wait(15, "document.querySelector('#choice .choice-head')");
    b.keys(&[], &["j"]);
    b.screenshot(&docs.join("annotate-adjudicate.png"));
    println!("screenshots in {} (adjudication: {busiest})", docs.display());
}
