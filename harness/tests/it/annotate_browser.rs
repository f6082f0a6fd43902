//! The workbench end to end in headless Chromium: a person's keystrokes,
//! the gold file on disk after them. Fails (never skips) without the
//! browser; `web::Browser` says how to install it.

use super::annotate::{gold_check, gold_with_article, span, two_passes, TEXT};
use super::support::temp_dir;
use super::web::*;
use std::time::{Duration, Instant};

const BACKSPACE: &str = "\u{E003}";

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
    b.wait(15, "__annotate.S.art && __annotate.S.art.id === 'a1' && document.querySelector('#text .chunk')");
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
    assert_eq!((m["start"].as_u64(), m["end"].as_u64()), (Some(s as u64), Some(e as u64)));
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
    b.wait(10, "!__annotate.S.dirty && document.getElementById('save-state').textContent === 'saved'");
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
    b.wait(15, "__annotate.S.art && __annotate.S.doc.mentions.some(m => m.value.value === 7.25)");
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
    let head = b.wait(15, "__annotate.S.adj && document.querySelector('#choice .choice-head')?.textContent");
    assert!(head.as_str().unwrap().contains("Disagreement 1 of 1"), "{head}");
    b.keys(&[], &[RIGHT]);
    b.wait(5, "__annotate.S.adj.resolved[0] && __annotate.S.adj.resolved[0].side === 'b'");
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
