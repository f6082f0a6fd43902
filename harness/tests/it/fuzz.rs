//! Fuzzing the three parsers of untrusted input (proptest): gold files,
//! plugin responses and predictions files. No input may panic the harness;
//! each rejected input yields a clear error: a non-empty message and, where
//! the parser promises one, a position inside the input.
//!
//! Inputs are arbitrary bytes and text, arbitrary JSON built from the
//! formats' own keys, and structure-aware mutants of real valid documents
//! (values retyped, numbers made huge or negative, keys duplicated, removed or
//! renamed, array elements duplicated or removed, then bytes and characters
//! truncated, deleted, inserted or replaced). A mutant with no edits must be
//! accepted, so every property can also fail the other way.

use super::support::*;
use harness::gold::{load_dir, parse_gold, Diagnostic, GoldSet};
use harness::plugin::parse_response;
use harness::predictions::{self, OnBadLine};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------
// Fixture: a copy of the real gold set in a temp dir.

struct Fixture {
    dir: PathBuf,
    /// (gold file in `dir`, its source) per real article, sorted by file name.
    gold: Vec<(PathBuf, String)>,
    set: GoldSet,
}

fn fixture() -> &'static Fixture {
    static FX: OnceLock<Fixture> = OnceLock::new();
    FX.get_or_init(|| {
        let dir = temp_dir("fuzz");
        std::fs::create_dir_all(dir.join("articles")).unwrap();
        let mut files: Vec<PathBuf> = std::fs::read_dir(gold_dir())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let mut gold = Vec::new();
        for f in files {
            let id = f.file_stem().unwrap().to_str().unwrap().to_string();
            let article = format!("articles/{id}.txt");
            std::fs::copy(gold_dir().join(&article), dir.join(&article)).unwrap();
            let src = std::fs::read_to_string(&f).unwrap();
            let path = dir.join(format!("{id}.json"));
            std::fs::write(&path, &src).unwrap();
            gold.push((path, src));
        }
        assert!(!gold.is_empty(), "no gold files in {}", gold_dir().display());
        let set = load_dir(&dir).unwrap_or_else(|e| panic!("the copied gold set loads: {e:?}"));
        Fixture { dir, gold, set }
    })
}

fn article_text(id: &str) -> &'static str {
    let a = fixture()
        .set
        .articles
        .iter()
        .find(|a| a.id == id)
        .expect("article in the gold set");
    &a.text
}

/// A valid response for gold article `k` (its gold mentions, minus their ids),
/// and the article text.
fn response_seed(k: usize) -> (serde_json::Value, &'static str) {
    let (_, src) = &fixture().gold[k % fixture().gold.len()];
    let g: serde_json::Value = serde_json::from_str(src).unwrap();
    let mentions: Vec<serde_json::Value> = g["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let mut m = m.clone();
            m.as_object_mut().unwrap().remove("id");
            m
        })
        .collect();
    let id = g["id"].as_str().unwrap();
    (serde_json::json!({"id": id, "mentions": mentions}), article_text(id))
}

/// One valid predictions line per gold article; the first also carries a
/// mention without offsets (allowed in predictions files).
fn predictions_seed() -> Vec<serde_json::Value> {
    (0..fixture().gold.len())
        .map(|k| {
            let (mut v, _) = response_seed(k);
            if k == 0 {
                let spanless = serde_json::json!({"field": "date", "value": "2024"});
                v["mentions"].as_array_mut().unwrap().push(spanless);
            }
            v
        })
        .collect()
}

// ---------------------------------------------------------------------------
// A JSON tree that can hold what serde_json::Value cannot: duplicate keys and
// arbitrary literal text (huge numbers, invalid escapes).

#[derive(Clone, Debug)]
enum Node {
    Lit(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

impl Node {
    fn from_json(v: &serde_json::Value) -> Node {
        match v {
            serde_json::Value::Array(a) => Node::Arr(a.iter().map(Node::from_json).collect()),
            serde_json::Value::Object(o) => Node::Obj(o.iter().map(|(k, v)| (k.clone(), Node::from_json(v))).collect()),
            scalar => Node::Lit(scalar.to_string()),
        }
    }

    /// Pretty puts the members of the two outer levels on lines of their own
    /// (like the gold files); otherwise everything is on one line.
    fn render(&self, pretty: bool) -> String {
        let mut out = String::new();
        self.write(&mut out, pretty, 0);
        out
    }

    fn write(&self, out: &mut String, pretty: bool, depth: usize) {
        let (open, close, items): (char, char, Vec<(Option<&str>, &Node)>) = match self {
            Node::Lit(s) => return out.push_str(s),
            Node::Arr(a) => ('[', ']', a.iter().map(|n| (None, n)).collect()),
            Node::Obj(o) => ('{', '}', o.iter().map(|(k, n)| (Some(k.as_str()), n)).collect()),
        };
        let multiline = pretty && depth < 2 && !items.is_empty();
        out.push(open);
        for (i, (key, n)) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if multiline {
                out.push('\n');
                out.push_str(&"  ".repeat(depth + 1));
            } else if i > 0 {
                out.push(' ');
            }
            if let Some(k) = key {
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push_str(": ");
            }
            n.write(out, pretty, depth + 1);
        }
        if multiline {
            out.push('\n');
            out.push_str(&"  ".repeat(depth));
        }
        out.push(close);
    }

    /// Paths (child indices) of every node, in pre-order.
    fn paths(&self, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        out.push(path.clone());
        let children: Vec<&Node> = match self {
            Node::Lit(_) => return,
            Node::Arr(a) => a.iter().collect(),
            Node::Obj(o) => o.iter().map(|(_, n)| n).collect(),
        };
        for (i, c) in children.into_iter().enumerate() {
            path.push(i);
            c.paths(path, out);
            path.pop();
        }
    }

    fn get(&self, path: &[usize]) -> &Node {
        match (path.split_first(), self) {
            (None, n) => n,
            (Some((i, rest)), Node::Arr(a)) => a[*i].get(rest),
            (Some((i, rest)), Node::Obj(o)) => o[*i].1.get(rest),
            (Some(_), Node::Lit(_)) => unreachable!("paths only lead into containers"),
        }
    }

    fn at(&mut self, path: &[usize]) -> &mut Node {
        match (path.split_first(), self) {
            (None, n) => n,
            (Some((i, rest)), Node::Arr(a)) => a[*i].at(rest),
            (Some((i, rest)), Node::Obj(o)) => o[*i].1.at(rest),
            (Some(_), Node::Lit(_)) => unreachable!("paths only lead into containers"),
        }
    }

    fn all_paths(&self) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        self.paths(&mut Vec::new(), &mut out);
        out
    }
}

/// Values of another JSON type, or of the right type but wrong content.
const OTHER_VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.5",
    "\"\"",
    "\" \"",
    "\"x\"",
    "[]",
    "{}",
    "[null]",
    "{\"\": null}",
    "\"2024-Q5\"",
    "\"date\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\q\"",
];

/// Numbers at and past the edges of what the formats' integer and float types hold.
const EXTREME_NUMBERS: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999999",
    "-1",
    "-9223372036854775809",
    "4294967296",
    "1e308",
    "1e400",
    "-1e400",
    "1e-400",
    "-0",
    "0.5",
    "1.0",
    "2e2",
];

/// Keys of the three formats, plus strangers.
const KEYS: &[&str] = &[
    "schema_version",
    "id",
    "source",
    "sha256",
    "ignore",
    "mentions",
    "reason",
    "field",
    "start",
    "end",
    "text",
    "value",
    "name",
    "titles",
    "amount",
    "unit",
    "error",
    "error_kind",
    "extra",
    "",
];

#[derive(Clone, Debug)]
enum TreeEdit {
    /// Replace any value (the whole document included) with another.
    Retype(Index, &'static str),
    /// Replace a number with an extreme one.
    Number(Index, &'static str),
    DuplicateKey(Index),
    RemoveKey(Index),
    RenameKey(Index, &'static str),
    DuplicateElem(Index),
    RemoveElem(Index),
}

fn tree_edit() -> impl Strategy<Value = TreeEdit> {
    prop_oneof![
        (any::<Index>(), select(OTHER_VALUES)).prop_map(|(i, v)| TreeEdit::Retype(i, v)),
        (any::<Index>(), select(EXTREME_NUMBERS)).prop_map(|(i, v)| TreeEdit::Number(i, v)),
        any::<Index>().prop_map(TreeEdit::DuplicateKey),
        any::<Index>().prop_map(TreeEdit::RemoveKey),
        (any::<Index>(), select(KEYS)).prop_map(|(i, k)| TreeEdit::RenameKey(i, k)),
        any::<Index>().prop_map(TreeEdit::DuplicateElem),
        any::<Index>().prop_map(TreeEdit::RemoveElem),
    ]
}

fn apply_tree(doc: &mut Node, edit: &TreeEdit) {
    let paths = doc.all_paths();
    let pick = |i: &Index, v: &[Vec<usize>]| (!v.is_empty()).then(|| v[i.index(v.len())].clone());
    // Paths of every object member (or array element): its parent's path, then its index.
    let children = |want_obj: bool| -> Vec<Vec<usize>> {
        paths
            .iter()
            .filter(|p| !p.is_empty())
            .filter(|p| matches!(doc.get(&p[..p.len() - 1]), Node::Obj(_)) == want_obj)
            .cloned()
            .collect()
    };
    match edit {
        TreeEdit::Retype(i, v) => {
            let p = pick(i, &paths).unwrap();
            *doc.at(&p) = Node::Lit(v.to_string());
        }
        TreeEdit::Number(i, v) => {
            let numbers: Vec<Vec<usize>> = paths
                .iter()
                .filter(
                    |p| matches!(doc.get(p), Node::Lit(s) if s.starts_with(|c: char| c == '-' || c.is_ascii_digit())),
                )
                .cloned()
                .collect();
            if let Some(p) = pick(i, &numbers) {
                *doc.at(&p) = Node::Lit(v.to_string());
            }
        }
        TreeEdit::DuplicateKey(i) | TreeEdit::RemoveKey(i) | TreeEdit::RenameKey(i, _) => {
            let Some(p) = pick(i, &children(true)) else { return };
            let (last, parent) = p.split_last().unwrap();
            let Node::Obj(members) = doc.at(parent) else {
                unreachable!()
            };
            match edit {
                TreeEdit::DuplicateKey(_) => members.insert(*last + 1, members[*last].clone()),
                TreeEdit::RemoveKey(_) => {
                    members.remove(*last);
                }
                TreeEdit::RenameKey(_, k) => members[*last].0 = k.to_string(),
                _ => unreachable!(),
            }
        }
        TreeEdit::DuplicateElem(i) | TreeEdit::RemoveElem(i) => {
            let Some(p) = pick(i, &children(false)) else { return };
            let (last, parent) = p.split_last().unwrap();
            let Node::Arr(items) = doc.at(parent) else {
                unreachable!()
            };
            match edit {
                TreeEdit::DuplicateElem(_) => items.insert(*last + 1, items[*last].clone()),
                _ => {
                    items.remove(*last);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Byte- and character-level edits of the rendered text.

const INTERESTING_CHARS: &[char] = &[
    '{', '}', '[', ']', '"', ',', ':', '\\', '\n', ' ', '0', '9', '-', 'e', '.', 'x', '\0', '\u{feff}', 'đ', '\u{301}',
    '🦀',
];
const INTERESTING_BYTES: &[u8] = &[
    b'{', b'}', b'[', b']', b'"', b',', b':', b'\\', b'\n', b'\r', b'0', b'-', 0, 0x7f, 0x80, 0xc3, 0xe2, 0xed, 0xf0,
    0xff,
];

#[derive(Clone, Debug)]
enum TextEdit {
    Truncate(Index),
    DeleteByte(Index),
    InsertByte(Index, u8),
    ReplaceByte(Index, u8),
    DeleteChar(Index),
    InsertChar(Index, char),
    ReplaceChar(Index, char),
}

fn a_char() -> impl Strategy<Value = char> {
    prop_oneof![select(INTERESTING_CHARS), any::<char>()]
}

fn a_byte() -> impl Strategy<Value = u8> {
    prop_oneof![select(INTERESTING_BYTES), any::<u8>()]
}

/// Character edits only (the gold parser takes `&str`), or bytes as well.
fn text_edit(bytes: bool) -> BoxedStrategy<TextEdit> {
    let chars = prop_oneof![
        any::<Index>().prop_map(TextEdit::Truncate),
        any::<Index>().prop_map(TextEdit::DeleteChar),
        (any::<Index>(), a_char()).prop_map(|(i, c)| TextEdit::InsertChar(i, c)),
        (any::<Index>(), a_char()).prop_map(|(i, c)| TextEdit::ReplaceChar(i, c)),
    ];
    if !bytes {
        return chars.boxed();
    }
    prop_oneof![
        chars,
        any::<Index>().prop_map(TextEdit::DeleteByte),
        (any::<Index>(), a_byte()).prop_map(|(i, b)| TextEdit::InsertByte(i, b)),
        (any::<Index>(), a_byte()).prop_map(|(i, b)| TextEdit::ReplaceByte(i, b)),
    ]
    .boxed()
}

fn apply_text(s: &mut Vec<u8>, edit: &TextEdit) {
    // Starts of (possibly broken) UTF-8 sequences, and the end.
    let starts: Vec<usize> = (0..s.len()).filter(|&i| s[i] & 0xc0 != 0x80).chain([s.len()]).collect();
    let char_at = |i: &Index| {
        let k = i.index(starts.len() - 1);
        starts[k]..starts[k + 1]
    };
    let mut utf8 = [0; 4];
    match edit {
        TextEdit::Truncate(i) => s.truncate(starts[i.index(starts.len())]),
        TextEdit::InsertChar(i, c) => {
            let at = starts[i.index(starts.len())];
            drop(s.splice(at..at, c.encode_utf8(&mut utf8).bytes()));
        }
        TextEdit::InsertByte(i, b) => s.insert(i.index(s.len() + 1), *b),
        _ if s.is_empty() => {}
        TextEdit::DeleteChar(i) => drop(s.drain(char_at(i))),
        TextEdit::ReplaceChar(i, c) => drop(s.splice(char_at(i), c.encode_utf8(&mut utf8).bytes())),
        TextEdit::DeleteByte(i) => {
            s.remove(i.index(s.len()));
        }
        TextEdit::ReplaceByte(i, b) => {
            let at = i.index(s.len());
            s[at] = *b;
        }
    }
}

/// A structure-aware mutant: tree edits, then text edits. With no edits at
/// all it is the seed's own text.
fn mutate(seed: &serde_json::Value, original: &str, pretty: bool, tree: &[TreeEdit], text: &[TextEdit]) -> Vec<u8> {
    let mut bytes = if tree.is_empty() {
        original.as_bytes().to_vec()
    } else {
        let mut doc = Node::from_json(seed);
        for e in tree {
            apply_tree(&mut doc, e);
        }
        doc.render(pretty).into_bytes()
    };
    for e in text {
        apply_text(&mut bytes, e);
    }
    bytes
}

/// Arbitrary JSON made of the formats' keys and plausible values.
fn arb_json() -> impl Strategy<Value = Node> {
    const SCALARS: &[&str] = &[
        "1",
        "0",
        "3",
        "45",
        "null",
        "true",
        "\"\"",
        "\"date\"",
        "\"official\"",
        "\"figure\"",
        "\"percentage\"",
        "\"2024-Q1\"",
        "\"tấn\"",
        "\"quý I/2024\"",
        "\"000_ffe74637e9cbe8aa\"",
        "\"articles/000_ffe74637e9cbe8aa.txt\"",
        "\"954bc391b98aacd4ecfd78322e9a4647c657a2432b9f1b1ae7c555b662abbcd9\"",
        "\"panic\"",
        "\"bad_output\"",
    ];
    let leaf = prop_oneof![
        select(SCALARS).prop_map(|s| Node::Lit(s.to_string())),
        select(EXTREME_NUMBERS).prop_map(|s| Node::Lit(s.to_string())),
        any::<i64>().prop_map(|n| Node::Lit(n.to_string())),
        any::<f64>().prop_map(|f| Node::Lit(serde_json::to_string(&f).unwrap())),
        ".{0,12}".prop_map(|s| Node::Lit(serde_json::to_string(&s).unwrap())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Node::Arr),
            prop::collection::vec((select(KEYS), inner), 0..7)
                .prop_map(|m| Node::Obj(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// Strings that look like JSON fragments, to reach end-of-input and
/// line-boundary errors that random Unicode rarely does.
const JSONISH: &str = "[ \n\t{}\\[\\]\",:0-9a-z\\\\.-]{0,40}";

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// Gold files.

/// Parses `src` as the gold file `path`: accepted with no diagnostics, or
/// rejected with diagnostics that each name the file and a position in it.
fn check_gold(path: &Path, src: &str) -> Result<bool, TestCaseError> {
    let (article, diags) = parse_gold(path, src);
    prop_assert!(
        article.is_some() == diags.is_empty(),
        "accepted with diagnostics, or rejected without: {diags:?}"
    );
    let lines = src.split('\n').count();
    for d in &diags {
        check_diagnostic(d, path, lines)?;
    }
    Ok(article.is_some())
}

fn check_diagnostic(d: &Diagnostic, path: &Path, lines: usize) -> Result<(), TestCaseError> {
    prop_assert_eq!(&d.file, path, "{}", d);
    prop_assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
    prop_assert!(d.line >= 1 && d.col >= 1, "no position: {d:?}");
    prop_assert!(d.line <= lines, "line {} past the end ({lines} lines): {d:?}", d.line);
    let shown = d.to_string();
    prop_assert!(
        shown.starts_with(&format!("{}:{}:{}: ", path.display(), d.line, d.col)),
        "{shown}"
    );
    Ok(())
}

#[test]
fn valid_gold_files_are_accepted() {
    for (path, src) in &fixture().gold {
        let (article, diags) = parse_gold(path, src);
        assert!(diags.is_empty(), "{}: {diags:?}", path.display());
        assert!(!article.unwrap().mentions.is_empty());
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn gold_arbitrary_text_never_panics(src in any::<String>()) {
        check_gold(&fixture().gold[0].0, &src)?;
    }

    #[test]
    fn gold_json_fragments_never_panic(src in JSONISH) {
        check_gold(&fixture().gold[0].0, &src)?;
    }

    #[test]
    fn gold_arbitrary_json_never_panics(doc in arb_json(), pretty in any::<bool>()) {
        check_gold(&fixture().gold[0].0, &doc.render(pretty))?;
    }

    #[test]
    fn gold_mutants_are_accepted_or_located(
        k in any::<Index>(),
        tree in prop::collection::vec(tree_edit(), 0..3),
        text in prop::collection::vec(text_edit(false), 0..3),
    ) {
        let (path, original) = &fixture().gold[k.index(fixture().gold.len())];
        let seed: serde_json::Value = serde_json::from_str(original).unwrap();
        let src = String::from_utf8(mutate(&seed, original, true, &tree, &text)).expect("char edits keep UTF-8");
        let accepted = check_gold(path, &src)?;
        if tree.is_empty() && text.is_empty() {
            prop_assert!(accepted, "the unmutated gold file is rejected");
        }
    }
}

/// The 1-based character column of byte `at` in `src`.
fn char_col(src: &str, at: usize) -> usize {
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    src[line_start..at].chars().count() + 1
}

// Found by `gold_mutants_are_accepted_or_located`: a valid gold document
// followed by more characters panicked the explaining parse, which reads
// one document and ignores what follows it.
#[test]
fn characters_after_a_gold_document_are_located() {
    let (path, src) = &fixture().gold[0];
    let src = format!("{}{{", src.trim_end());
    let (article, diags) = parse_gold(path, &src);
    assert!(article.is_none());
    let last_line = src.lines().count();
    assert!(
        matches!(diags.as_slice(), [d] if d.line == last_line && d.message.contains("trailing characters")),
        "{diags:?}"
    );
}

// Found by `gold_json_fragments_never_panic`: serde_json reports column 0
// for a syntax error at the start of a line; diagnostics count from 1.
#[test]
fn gold_syntax_errors_at_a_line_start_have_a_column() {
    let path = &fixture().gold[0].0;
    for src in ["", "-\n", "\"\n", "{\n"] {
        let (_, diags) = parse_gold(path, src);
        assert!(!diags.is_empty(), "{src:?}");
        for d in diags {
            assert!(d.line >= 1 && d.col >= 1, "{src:?}: {d}");
        }
    }
}

// serde_json counts columns in bytes; diagnostics count characters, which
// matters on nearly every line of the Vietnamese gold files.
#[test]
fn gold_syntax_error_columns_count_characters() {
    let path = &fixture().gold[0].0;
    let src = "{\"id\": \"Sơn\" x}";
    let (_, diags) = parse_gold(path, src);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(
        (diags[0].line, diags[0].col),
        (1, char_col(src, src.find('x').unwrap())),
        "{}",
        diags[0]
    );
}

// ---------------------------------------------------------------------------
// Plugin responses.

/// Accepted with in-range spans, or a `CallError` with a message.
fn check_response(bytes: &[u8], text: &str, allow_spanless: bool) -> Result<Option<usize>, TestCaseError> {
    match parse_response(bytes, text, allow_spanless) {
        Ok(parsed) => {
            let n = text.chars().count();
            for m in &parsed.mentions {
                match m.span {
                    Some(s) => prop_assert!(s.start < s.end && s.end <= n, "{s:?} in a text of {n} code points"),
                    None => prop_assert!(allow_spanless, "a mention without offsets was accepted"),
                }
            }
            Ok(Some(parsed.mentions.len()))
        }
        Err(e) => {
            prop_assert!(!e.message.trim().is_empty(), "{:?} error without a message", e.kind);
            Ok(None)
        }
    }
}

#[test]
fn a_valid_response_is_accepted() {
    for k in 0..fixture().gold.len() {
        let (seed, text) = response_seed(k);
        let n = seed["mentions"].as_array().unwrap().len();
        for allow_spanless in [false, true] {
            let parsed = parse_response(seed.to_string().as_bytes(), text, allow_spanless).unwrap();
            assert_eq!(parsed.mentions.len(), n);
            assert_eq!(parsed.id.as_deref(), seed["id"].as_str());
        }
    }
}

// A plugin's `{"error": ""}` must still give the report row a message.
// Random mutants rarely build this input, so it is pinned here.
#[test]
fn an_empty_plugin_error_still_has_a_message() {
    for payload in [
        r#"{"error": ""}"#,
        r#"{"error": " "}"#,
        r#"{"error": "", "error_kind": "panic"}"#,
    ] {
        let e = parse_response(payload.as_bytes(), response_seed(0).1, false).unwrap_err();
        assert!(!e.message.trim().is_empty(), "{payload}: {e:?}");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn response_arbitrary_bytes_never_panic(bytes in any::<Vec<u8>>(), allow in any::<bool>()) {
        check_response(&bytes, response_seed(0).1, allow)?;
    }

    #[test]
    fn response_arbitrary_json_never_panics(doc in arb_json(), allow in any::<bool>()) {
        check_response(doc.render(false).as_bytes(), response_seed(0).1, allow)?;
    }

    #[test]
    fn response_mutants_are_accepted_or_rejected_with_a_message(
        k in any::<Index>(),
        allow in any::<bool>(),
        tree in prop::collection::vec(tree_edit(), 0..3),
        text in prop::collection::vec(text_edit(true), 0..3),
    ) {
        let (seed, article) = response_seed(k.index(fixture().gold.len()));
        let bytes = mutate(&seed, &seed.to_string(), false, &tree, &text);
        let accepted = check_response(&bytes, article, allow)?;
        if tree.is_empty() && text.is_empty() {
            prop_assert_eq!(accepted, seed["mentions"].as_array().map(Vec::len));
        }
    }
}

// ---------------------------------------------------------------------------
// Predictions files (JSON lines).

/// The line of a `path:LINE:` position in `msg`.
fn position_line(msg: &str, path: &Path) -> Option<usize> {
    let prefix = format!("{}:", path.display());
    let rest = &msg[msg.find(&prefix)? + prefix.len()..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    rest[digits..]
        .starts_with(':')
        .then(|| rest[..digits].parse().ok())
        .flatten()
}

/// Writes `bytes` as the predictions file `name` and reads it. With
/// `OnBadLine::Stop`, a rejection names the file and the offending line, and
/// an accepted file has no failed article. Returns whether it was accepted.
fn check_predictions(name: &str, bytes: &[u8], on_bad: OnBadLine) -> Result<bool, TestCaseError> {
    let fx = fixture();
    let path = fx.dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    match predictions::read(&path, &fx.set, on_bad) {
        Ok(run) => {
            prop_assert_eq!(run.articles.len(), fx.set.articles.len());
            if on_bad == OnBadLine::Stop {
                for a in &run.articles {
                    prop_assert!(a.outcome.is_ok(), "{}: {:?} under --on-bad-line stop", a.id, a.outcome);
                }
            }
            Ok(true)
        }
        Err(e) => {
            let msg = e.to_string();
            prop_assert!(
                msg.contains(&path.display().to_string()),
                "the file is not named: {msg}"
            );
            if on_bad == OnBadLine::Stop {
                let lines = bytes.split(|&b| b == b'\n').count();
                let line = position_line(&msg, &path);
                // Only the whole-file verdict has no line: no line at all
                // names an article of the gold set.
                prop_assert!(
                    line.is_some_and(|l| (1..=lines).contains(&l)) || msg.contains("names an article of the gold set"),
                    "no line position (of {lines}): {msg}"
                );
            }
            Ok(false)
        }
    }
}

#[derive(Clone, Debug)]
enum LineEdit {
    Tree(Index, TreeEdit),
    Duplicate(Index),
    Remove(Index),
    Insert(Index, &'static str),
    Swap(Index, Index),
}

const ODD_LINES: &[&str] = &[
    "",
    "   ",
    "garbage",
    "{}",
    "[]",
    "null",
    "{\"id\": 5}",
    "{\"id\": \"not-an-article\", \"mentions\": []}",
    "{\"id\": \"000_ffe74637e9cbe8aa\"}",
    "{\"id\": \"000_ffe74637e9cbe8aa\", \"error\": \"\"}",
    "{\"id\": \"001_8ea45238e308e950\", \"mentions\": [{\"field\": \"date\", \"start\": 0}]}",
];

fn line_edit() -> impl Strategy<Value = LineEdit> {
    prop_oneof![
        3 => (any::<Index>(), tree_edit()).prop_map(|(i, e)| LineEdit::Tree(i, e)),
        1 => any::<Index>().prop_map(LineEdit::Duplicate),
        1 => any::<Index>().prop_map(LineEdit::Remove),
        1 => (any::<Index>(), select(ODD_LINES)).prop_map(|(i, l)| LineEdit::Insert(i, l)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(i, j)| LineEdit::Swap(i, j)),
    ]
}

fn mutate_lines(lines: &[serde_json::Value], edits: &[LineEdit], text: &[TextEdit]) -> Vec<u8> {
    let mut doc: Vec<Node> = lines.iter().map(Node::from_json).collect();
    for e in edits {
        let n = doc.len();
        match e {
            LineEdit::Insert(i, l) => doc.insert(i.index(n + 1), Node::Lit(l.to_string())),
            _ if n == 0 => {}
            LineEdit::Tree(i, t) => apply_tree(&mut doc[i.index(n)], t),
            LineEdit::Duplicate(i) => {
                let i = i.index(n);
                doc.insert(i + 1, doc[i].clone());
            }
            LineEdit::Remove(i) => {
                doc.remove(i.index(n));
            }
            LineEdit::Swap(i, j) => doc.swap(i.index(n), j.index(n)),
        }
    }
    let mut bytes: Vec<u8> = doc
        .iter()
        .flat_map(|l| l.render(false).into_bytes().into_iter().chain([b'\n']))
        .collect();
    for e in text {
        apply_text(&mut bytes, e);
    }
    bytes
}

fn a_policy() -> impl Strategy<Value = OnBadLine> {
    prop_oneof![Just(OnBadLine::Stop), Just(OnBadLine::Skip)]
}

#[test]
fn valid_predictions_are_accepted() {
    let seed = predictions_seed();
    let bytes = mutate_lines(&seed, &[], &[]);
    for on_bad in [OnBadLine::Stop, OnBadLine::Skip] {
        let path = fixture().dir.join("valid.jsonl");
        std::fs::write(&path, &bytes).unwrap();
        let run = predictions::read(&path, &fixture().set, on_bad).unwrap();
        for (a, line) in run.articles.iter().zip(&seed) {
            assert_eq!(line["id"].as_str(), Some(a.id.as_str()));
            let n = line["mentions"].as_array().unwrap().len();
            assert_eq!(a.outcome.as_ref().map(Vec::len).ok(), Some(n), "{}", a.id);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn predictions_arbitrary_bytes_never_panic(bytes in any::<Vec<u8>>(), on_bad in a_policy()) {
        check_predictions("arbitrary-bytes.jsonl", &bytes, on_bad)?;
    }

    #[test]
    fn predictions_arbitrary_json_lines_never_panic(docs in prop::collection::vec(arb_json(), 0..5), on_bad in a_policy()) {
        let text: String = docs.iter().map(|d| d.render(false) + "\n").collect();
        check_predictions("arbitrary-json.jsonl", text.as_bytes(), on_bad)?;
    }

    #[test]
    fn predictions_mutants_are_accepted_or_located(
        edits in prop::collection::vec(line_edit(), 0..3),
        text in prop::collection::vec(text_edit(true), 0..3),
        on_bad in a_policy(),
    ) {
        let bytes = mutate_lines(&predictions_seed(), &edits, &text);
        let accepted = check_predictions("mutant.jsonl", &bytes, on_bad)?;
        if edits.is_empty() && text.is_empty() {
            prop_assert!(accepted, "the unmutated predictions file is rejected");
        }
    }
}

// ---------------------------------------------------------------------------
// Inputs too big or too deep for random generation to reach.

#[test]
fn deeply_nested_input_is_an_error_not_a_stack_overflow() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    for n in [200, 100_000] {
        let (path, src) = &fixture().gold[0];
        let nested = src.replacen("\"mentions\": [", &format!("\"mentions\": [{},", deep(n)), 1);
        let (article, diags) = parse_gold(path, &nested);
        assert!(article.is_none() && !diags.is_empty());

        let (seed, text) = response_seed(0);
        let mut m = seed.to_string();
        m = m.replacen("\"value\":", &format!("\"value\":{},\"x\":", deep(n)), 1);
        assert!(parse_response(m.as_bytes(), text, false).is_err());
        assert!(parse_response(deep(n).as_bytes(), text, false).is_err());

        let line = format!(
            "{{\"id\": \"{}\", \"mentions\": {}}}\n",
            fixture().set.articles[0].id,
            deep(n)
        );
        let path = fixture().dir.join("deep.jsonl");
        std::fs::write(&path, line).unwrap();
        let e = predictions::read(&path, &fixture().set, OnBadLine::Stop).unwrap_err();
        assert_eq!(position_line(&e.to_string(), &path), Some(1), "{e}");
    }
}
