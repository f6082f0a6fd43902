//! Loading plugins through the real C ABI, and every way loading can fail.

use super::support::*;
use harness::plugin::dylib::{DylibPlugin, Library};
use harness::plugin::{Backend, ErrorKind, Limits, LoadError};

/// One call through the ABI, validated as the runner validates it.
fn call_article(
    p: &mut DylibPlugin,
    id: &str,
    text: &str,
) -> Result<Vec<harness::mention::PredMention>, harness::outcome::CallError> {
    let bytes = p.call(id, text)?;
    harness::plugin::parse_response(&bytes, text, false).map(|r| r.mentions)
}

fn first_article() -> (String, String) {
    let gold = harness::gold::load_dir(&gold_dir()).unwrap();
    let a = &gold.articles[0];
    (a.id.clone(), a.text.clone())
}

#[test]
fn baseline_loads_and_extracts_through_the_abi() {
    let mut p = DylibPlugin::open(&plugin("baseline"), &serde_json::json!({}), Limits::default()).unwrap();
    assert_eq!(p.info().name, "baseline");
    assert_eq!(p.info().abi, "1.0");
    assert_eq!(p.info().fields.len(), 4);
    assert_eq!(p.info().sha256.len(), 64);
    let (id, text) = first_article();
    let mentions = call_article(&mut p, &id, &text).unwrap();
    assert!(!mentions.is_empty(), "the baseline finds something in a real article");
}

#[test]
fn wrong_abi_version_names_file_and_both_versions() {
    let path = plugin("fixture-wrong-abi");
    let err = Library::load(&path).err().expect("must be refused");
    assert!(
        matches!(
            err,
            LoadError::AbiMismatch {
                plugin_major: 2,
                harness_major: 1,
                ..
            }
        ),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains(&path.canonicalize().unwrap().display().to_string()),
        "{msg}"
    );
    assert!(msg.contains("ABI 2.0") && msg.contains("1.0"), "{msg}");
}

#[test]
fn a_file_that_is_not_a_library() {
    let dir = temp_dir("notlib");
    let path = dir.join("libfake.so");
    std::fs::write(&path, "this is text, not ELF").unwrap();
    let err = Library::load(&path).err().expect("must be refused");
    assert!(matches!(err, LoadError::NotALibrary { .. }), "{err}");
    assert!(err.to_string().contains("libfake.so"));
}

#[test]
fn a_library_without_the_entry_symbol() {
    let err = Library::load(&plugin("fixture-no-entry"))
        .err()
        .expect("must be refused");
    assert!(matches!(err, LoadError::MissingSymbol { .. }), "{err}");
    assert!(err.to_string().contains("ie_harness_plugin_v1"));
}

#[test]
fn a_panicking_plugin_is_an_error_on_that_article_in_process() {
    let cfg = serde_json::json!({"mode": "panic"});
    let mut p = DylibPlugin::open(&plugin("fixture-fault"), &cfg, Limits::default()).unwrap();
    let (id, text) = first_article();
    let err = call_article(&mut p, &id, &text).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Panic);
    assert!(err.message.contains("fixture panic"), "{}", err.message);
    // The instance is still usable: the next article is called normally.
    assert_eq!(call_article(&mut p, &id, &text).unwrap_err().kind, ErrorKind::Panic);
}

#[test]
fn mismatched_text_and_bad_offsets_are_plugin_errors_not_misses() {
    let (id, text) = first_article();
    for (mode, kind) in [
        ("mismatched_text", ErrorKind::OffsetMismatch),
        ("offsets_past_end", ErrorKind::OffsetOutOfRange),
        ("invalid_json", ErrorKind::BadOutput),
        ("invalid_utf8", ErrorKind::InvalidUtf8),
    ] {
        let mut p = DylibPlugin::open(
            &plugin("fixture-fault"),
            &serde_json::json!({"mode": mode}),
            Limits::default(),
        )
        .unwrap();
        assert_eq!(call_article(&mut p, &id, &text).unwrap_err().kind, kind, "{mode}");
    }
}

#[test]
fn create_failure_reports_the_plugin_message() {
    let err = DylibPlugin::open(
        &plugin("fixture-fault"),
        &serde_json::json!({"mode": "nope"}),
        Limits::default(),
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("known \"mode\""), "{err}");
}

#[test]
fn in_process_run_finishes_past_a_panicking_plugin() {
    let dir = temp_dir("inproc");
    let panic = fault_manifest(&dir, "panic");
    let base = plugin("baseline");
    let out = harness(&[
        "eval",
        "--gold",
        gold_dir().to_str().unwrap(),
        // The seed articles, all failed: more would be skipped after five.
        "--subset",
        "seeds",
        "--in-process",
        "--plugin",
        base.to_str().unwrap(),
        "--plugin",
        &panic,
        "--out",
        dir.to_str().unwrap(),
        "--resamples",
        "10",
        "--trials",
        "10",
    ]);
    // A plugin that failed on every article makes the run fail (exit 5)
    // even without a gate, after the reports are written.
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
    let r = read_json(&dir.join("report.json"));
    let fault = &r["plugins"][1];
    assert!(fault["articles"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["error"]["kind"] == "panic"));
    assert!(r["plugins"][0]["overall"]["headline"]["f1"].as_f64().unwrap() > 0.5);
}
