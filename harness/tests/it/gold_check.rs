//! `harness gold check`: every problem, each as file:line:col: message.
//! Each case breaks a copy of a real gold file in one way.

use super::support::*;

const ID: &str = "000_ffe74637e9cbe8aa";

/// Copies the real gold file and article into a temp dir after `edit`, runs
/// `harness gold check`, returns (exit code, stderr).
fn check(name: &str, edit: impl FnOnce(String) -> String, nfd_text: bool) -> (Option<i32>, String) {
    let dir = temp_dir(&format!("gold-{name}"));
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    let text = std::fs::read_to_string(gold_dir().join(format!("articles/{ID}.txt"))).unwrap();
    let text = if nfd_text {
        use unicode_normalization::UnicodeNormalization;
        text.nfd().collect()
    } else {
        text
    };
    std::fs::write(dir.join(format!("articles/{ID}.txt")), text).unwrap();
    let src = std::fs::read_to_string(gold_dir().join(format!("{ID}.json"))).unwrap();
    std::fs::write(dir.join(format!("{ID}.json")), edit(src)).unwrap();
    let out = harness(&["gold", "check", dir.to_str().unwrap()]);
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn assert_problem(name: &str, edit: impl FnOnce(String) -> String, line_col: &str, needle: &str) {
    let (code, stderr) = check(name, edit, false);
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
    let out = harness(&["gold", "check", gold_dir().to_str().unwrap()]);
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
    let (code, stderr) = check(
        "many",
        |s| {
            s.replacen("\"id\": \"d2\"", "\"id\": \"d1\"", 1).replacen(
                "\"value\": \"2024-Q2\"",
                "\"value\": \"2024-Q7\"",
                1,
            )
        },
        false,
    );
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains("duplicate id") && stderr.contains("quarter 7"),
        "{stderr}"
    );
}

#[test]
fn text_that_is_not_nfc_is_refused() {
    let (code, stderr) = check("nfd", |s| s, true);
    assert_eq!(code, Some(3));
    assert!(stderr.contains("not in Unicode NFC"), "{stderr}");
}

#[test]
fn unsafe_article_ids_are_refused() {
    let (code, stderr) = check(
        "id",
        |s| s.replacen(&format!("\"id\": \"{ID}\""), "\"id\": \"../../x\"", 1),
        false,
    );
    assert_eq!(code, Some(3));
    assert!(stderr.contains("not safe as a file name"), "{stderr}");
}
