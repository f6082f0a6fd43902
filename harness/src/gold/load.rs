//! Parsing and validating gold files. Every problem is collected, each with
//! the position of the offending value in the JSON file.

use super::{check_id, GoldArticle, GoldSet};
use crate::diag::{json_position, line_col, offset_in, Diagnostic};
use crate::digest::sha256_hex;
use crate::mention::{check_span, GoldMention, Span, TextIndex};
use extractor_api::{Field, Value};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub const GOLD_SCHEMA_VERSION: u32 = 1;

/// A gold document as it is written, borrowing from the source where it can
/// (strings without escapes), so a line of a large JSON-lines corpus is
/// parsed once, without copies. `M` is how mentions are read: fully, in the
/// fast path ([`FastMention`]), or as raw JSON to be explained one by one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "M: Deserialize<'de>"))]
struct RawGold<'a, M> {
    schema_version: u32,
    #[serde(borrow)]
    id: Cow<'a, str>,
    /// Gold files: the article text's path, relative to the gold file.
    #[serde(default)]
    source: Option<String>,
    /// Gold files: the text's SHA-256 (optional in JSON lines).
    #[serde(default)]
    sha256: Option<String>,
    /// JSON-lines gold: the article text itself.
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    ignore: Vec<&'a RawValue>,
    mentions: Vec<M>,
}

/// A mention read in one pass, its value by shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FastMention<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    field: Field,
    start: usize,
    end: usize,
    #[serde(borrow)]
    text: Cow<'a, str>,
    value: Value,
    #[serde(default)]
    pre: Option<crate::mention::Origin>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    start: usize,
    end: usize,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMention<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    field: Cow<'a, str>,
    start: usize,
    end: usize,
    #[serde(borrow)]
    text: Cow<'a, str>,
    /// Read once the field is known, into its typed shape.
    #[serde(borrow)]
    value: &'a RawValue,
    #[serde(default)]
    pre: Option<crate::mention::Origin>,
}

struct Ctx<'a> {
    file: &'a Path,
    src: &'a str,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn at(&mut self, byte: usize, message: String) {
        let (line, col) = line_col(self.src, byte);
        self.diags.push(Diagnostic {
            file: self.file.to_path_buf(),
            line,
            col,
            message,
        });
    }

    fn json_error(&mut self, base: Option<usize>, e: &serde_json::Error, path: &str) {
        let (line, col) = json_position(self.src, base.unwrap_or(0), e.line(), e.column());
        let at = if path.is_empty() || path == "." {
            String::new()
        } else {
            format!(" (at {path})")
        };
        self.diags.push(Diagnostic {
            file: self.file.to_path_buf(),
            line,
            col,
            message: format!("{}{at}", strip_position(&e.to_string())),
        });
    }
}

/// serde_json appends " at line L column C"; we print our own position.
fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

/// Where a gold document's article text comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// A gold file named after its id, text in the file `source` points to.
    File,
    /// One line of a JSON-lines gold stream, text inline.
    Line,
}

/// Parses one gold file. `src` is its content; the article text is read from
/// `source` relative to the file's directory.
pub fn parse_gold(file: &Path, src: &str) -> (Option<GoldArticle>, Vec<Diagnostic>) {
    parse(file, src, Layout::File)
}

/// Parses one line (numbered from 1) of a JSON-lines gold stream: the same
/// object as a gold file, with the article `text` inline instead of
/// `source`. Diagnostics carry the line's number and the column within it.
pub fn parse_gold_line(file: &Path, line_no: usize, src: &str) -> (Option<GoldArticle>, Vec<Diagnostic>) {
    let (article, mut diags) = parse(file, src, Layout::Line);
    for d in &mut diags {
        d.line = d.line.max(1) + line_no - 1;
    }
    (article, diags)
}

fn parse(file: &Path, src: &str, layout: Layout) -> (Option<GoldArticle>, Vec<Diagnostic>) {
    match parse_fast(file, src, layout) {
        Some(article) => (Some(article), Vec::new()),
        None => parse_explained(file, src, layout),
    }
}

/// A valid document in one pass over its JSON, with the same checks as
/// [`parse_explained`]. Any problem gives `None`, and the explaining parse
/// then names each one with its position (valid gold is the common case;
/// the explaining parse reads every mention and value a second time).
fn parse_fast(file: &Path, src: &str, layout: Layout) -> Option<GoldArticle> {
    if src.starts_with('\u{feff}') {
        return None;
    }
    let mut raw: RawGold<FastMention> = serde_json::from_str(src).ok()?;
    if raw.schema_version != GOLD_SCHEMA_VERSION || check_id(&raw.id).is_err() {
        return None;
    }
    let mut cx = Ctx {
        file,
        src,
        diags: Vec::new(),
    };
    let top = |_: &str| 0;
    let (text, sha256) = match layout {
        Layout::File => file_text(&mut cx, &raw, file, &top),
        Layout::Line => inline_text(&mut cx, &mut raw, &top),
    }?;
    if !cx.diags.is_empty() {
        return None;
    }
    let index = TextIndex::new(&text);
    let mut ignore = Vec::with_capacity(raw.ignore.len());
    let mut ignore_reasons = Vec::with_capacity(raw.ignore.len());
    for raw_ig in &raw.ignore {
        let ig: RawIgnore = serde_json::from_str(raw_ig.get()).ok()?;
        if ig.start >= ig.end || ig.end > index.chars() {
            return None;
        }
        ignore.push(Span {
            start: ig.start,
            end: ig.end,
        });
        ignore_reasons.push(ig.reason);
    }
    let mut ids: HashSet<Cow<str>> = HashSet::with_capacity(raw.mentions.len());
    let mut mentions = Vec::with_capacity(raw.mentions.len());
    for m in raw.mentions {
        if !ids.insert(m.id.clone()) || m.value.field() != m.field || m.value.check().is_err() {
            return None;
        }
        let span = check_span(&index, m.start, m.end, &m.text).ok()?;
        if ignore.iter().any(|ig| ig.overlap(&span) > 0) {
            return None;
        }
        mentions.push(GoldMention {
            id: m.id.into_owned(),
            span,
            text: m.text.into_owned(),
            value: m.value,
            origin: m.pre,
        });
    }
    Some(GoldArticle {
        id: raw.id.into_owned(),
        file: file.to_path_buf(),
        source: raw.source,
        sha256,
        text,
        ignore,
        ignore_reasons,
        mentions,
    })
}

/// Parses a document, collecting every problem with its position.
fn parse_explained(file: &Path, src: &str, layout: Layout) -> (Option<GoldArticle>, Vec<Diagnostic>) {
    let mut cx = Ctx {
        file,
        src,
        diags: Vec::new(),
    };
    if src.starts_with('\u{feff}') {
        cx.at(
            0,
            "the file starts with a UTF-8 byte order mark (BOM); save it as UTF-8 without one".into(),
        );
        return (None, cx.diags);
    }
    // A plain parse first; only a document that fails it is parsed again,
    // through serde_path_to_error, to name the path of the offending value.
    let mut raw: RawGold<&RawValue> = match serde_json::from_str(src) {
        Ok(raw) => raw,
        Err(plain) => {
            let de = &mut serde_json::Deserializer::from_str(src);
            match serde_path_to_error::deserialize::<_, RawGold<&RawValue>>(de) {
                Err(e) => cx.json_error(None, e.inner(), &e.path().to_string()),
                // It reads one document and ignores what follows; only the
                // plain parse sees trailing characters.
                Ok(_) => cx.json_error(None, &plain, ""),
            }
            return (None, cx.diags);
        }
    };
    let top = |key: &str| src.find(&format!("\"{key}\"")).unwrap_or(0);

    if raw.schema_version != GOLD_SCHEMA_VERSION {
        cx.at(
            top("schema_version"),
            format!(
                "schema_version {} is not supported (this harness reads version {GOLD_SCHEMA_VERSION})",
                raw.schema_version
            ),
        );
    }
    if let Err(e) = check_id(&raw.id) {
        cx.at(top("id"), e);
    }
    let (text, sha256) = match layout {
        Layout::File => file_text(&mut cx, &raw, file, &top),
        Layout::Line => inline_text(&mut cx, &mut raw, &top),
    }
    .unzip();
    let index = text.as_deref().map(TextIndex::new);
    let n_chars = index.as_ref().map(TextIndex::chars);

    let mut ignore = Vec::new();
    let mut ignore_reasons = Vec::new();
    for raw_ig in &raw.ignore {
        let base = offset_in(src, raw_ig.get());
        match serde_json::from_str::<RawIgnore>(raw_ig.get()) {
            Err(e) => cx.json_error(Some(base), &e, "ignore"),
            Ok(ig) => {
                if ig.start >= ig.end || n_chars.is_some_and(|n| ig.end > n) {
                    cx.at(
                        base,
                        format!(
                            "ignore region {}..{} is empty or out of range (text has {} code points)",
                            ig.start,
                            ig.end,
                            n_chars.unwrap_or(0)
                        ),
                    );
                } else {
                    ignore.push(Span {
                        start: ig.start,
                        end: ig.end,
                    });
                    ignore_reasons.push(ig.reason);
                }
            }
        }
    }

    let mut mentions = Vec::with_capacity(raw.mentions.len());
    let mut ids: HashSet<Cow<str>> = HashSet::with_capacity(raw.mentions.len());
    for raw_m in &raw.mentions {
        let base = offset_in(src, raw_m.get());
        let m = match serde_json::from_str::<RawMention>(raw_m.get()) {
            Ok(m) => m,
            Err(e) => {
                cx.json_error(Some(base), &e, "mentions");
                continue;
            }
        };
        let who = || format!("mention {:?}", m.id);
        if !ids.insert(m.id.clone()) {
            cx.at(base, format!("{}: duplicate id", who()));
        }
        let field: Field = match m.field.parse() {
            Ok(f) => f,
            Err(e) => {
                cx.at(base, format!("{}: {e}", who()));
                continue;
            }
        };
        let value = match Value::from_json_str(field, m.value.get()) {
            Ok(v) => v,
            Err(e) => {
                cx.at(base, format!("{}: value has the wrong shape for a {field}: {e}", who()));
                continue;
            }
        };
        if let Err(e) = value.check() {
            cx.at(base, format!("{}: {e}", who()));
        }
        let span = Span {
            start: m.start,
            end: m.end,
        };
        if let Some(index) = &index {
            if let Err(e) = check_span(index, m.start, m.end, &m.text) {
                let out_of_range = matches!(e, crate::mention::SpanError::OutOfRange { .. });
                cx.at(base, format!("{}: {e}", who()));
                if out_of_range {
                    continue;
                }
            }
        }
        if let Some(ig) = ignore.iter().find(|ig| ig.overlap(&span) > 0) {
            cx.at(
                base,
                format!("{}: lies inside ignore region {}..{}", who(), ig.start, ig.end),
            );
        }
        mentions.push(GoldMention {
            id: m.id.clone().into_owned(),
            span,
            text: m.text.into_owned(),
            value,
            origin: m.pre,
        });
    }

    let article = (cx.diags.is_empty()).then(|| {
        let text = text.expect("no diagnostics means the text was read");
        GoldArticle {
            id: raw.id.into_owned(),
            file: file.to_path_buf(),
            source: raw.source,
            sha256: sha256.expect("read with its text"),
            text,
            ignore,
            ignore_reasons,
            mentions,
        }
    });
    (article, cx.diags)
}

/// The text a gold file points to, checked against its recorded hash, and
/// that hash.
fn file_text<M>(cx: &mut Ctx, raw: &RawGold<M>, file: &Path, top: &dyn Fn(&str) -> usize) -> Option<(String, String)> {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if raw.id != stem {
        cx.at(
            top("id"),
            format!("id {:?} does not match the file name {stem:?}", raw.id),
        );
    }
    if raw.text.is_some() {
        cx.at(
            top("text"),
            "a gold file points to its text with \"source\"; inline \"text\" is for JSON-lines gold".into(),
        );
    }
    let (Some(source), Some(sha256)) = (&raw.source, &raw.sha256) else {
        cx.at(0, "a gold file needs \"source\" and \"sha256\"".into());
        return None;
    };
    let dir = file.parent().unwrap_or(Path::new("."));
    let source_path = dir.join(source);
    let bytes = match std::fs::read(&source_path) {
        Ok(b) => b,
        Err(e) => {
            cx.at(
                top("source"),
                format!("cannot read article text {}: {e}", source_path.display()),
            );
            return None;
        }
    };
    let actual = sha256_hex(&bytes);
    let recorded = sha256.to_ascii_lowercase();
    if actual != recorded {
        // Every offset would be checked against the wrong text: one problem,
        // not a cascade.
        cx.at(top("sha256"), hash_mismatch(&source_path, &bytes, &actual, &recorded));
        return None;
    } else if bytes.starts_with("\u{feff}".as_bytes()) {
        cx.at(
            top("source"),
            format!(
                "{} starts with a UTF-8 byte order mark (BOM); remove it and relabel, since tools that strip it shift every offset by one",
                source_path.display()
            ),
        );
    }
    match String::from_utf8(bytes) {
        Err(e) => {
            cx.at(top("source"), format!("{} is not UTF-8: {e}", source_path.display()));
            None
        }
        Ok(text) => Some((text, actual)),
    }
}

/// Explains a text whose hash changed: if only its line endings or a byte
/// order mark changed since labelling, says exactly that (a checkout with
/// `core.autocrlf`, an editor that adds a BOM) instead of letting every
/// offset fail one by one.
fn hash_mismatch(path: &Path, bytes: &[u8], actual: &str, recorded: &str) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lf = text.replace("\r\n", "\n");
    let crlf = lf.replace('\n', "\r\n");
    let name = path.display();
    if text.contains("\r\n") && sha256_hex(lf.as_bytes()) == recorded {
        format!("{name} now has CRLF line endings; it was labelled with LF endings (offsets would shift). Restore the original bytes (e.g. git config core.autocrlf false, then check the file out again)")
    } else if text.contains('\n') && sha256_hex(crlf.as_bytes()) == recorded {
        format!("{name} now has LF line endings; it was labelled with CRLF endings (offsets would shift). Restore the original bytes (e.g. mark it `-text` in .gitattributes and check it out again)")
    } else if let Some(rest) = text
        .strip_prefix('\u{feff}')
        .filter(|r| sha256_hex(r.as_bytes()) == recorded)
    {
        let _ = rest;
        format!("{name} gained a UTF-8 byte order mark (BOM) since labelling; remove it")
    } else {
        format!("text hash mismatch: {name} has SHA-256 {actual}, the gold file records {recorded}; the article changed since it was labelled")
    }
}

/// The text of a JSON-lines gold line, checked against its hash if it has one.
fn inline_text<M>(cx: &mut Ctx, raw: &mut RawGold<M>, top: &dyn Fn(&str) -> usize) -> Option<(String, String)> {
    if raw.source.is_some() {
        cx.at(
            top("source"),
            "JSON-lines gold carries the article \"text\" inline, not a \"source\" path".into(),
        );
    }
    let Some(text) = raw.text.take() else {
        cx.at(0, "a JSON-lines gold line needs the article \"text\"".into());
        return None;
    };
    let actual = sha256_hex(text.as_bytes());
    if let Some(sha256) = &raw.sha256 {
        if actual != sha256.to_ascii_lowercase() {
            cx.at(
                top("sha256"),
                format!("text hash mismatch: the text has SHA-256 {actual}, the line records {sha256}"),
            );
        }
    }
    Some((text.into_owned(), actual))
}

/// Reads and parses one gold file.
pub fn load_file(file: &Path) -> (Option<GoldArticle>, Vec<Diagnostic>) {
    match std::fs::read_to_string(file) {
        Ok(src) => parse_gold(file, &src),
        Err(e) => (
            None,
            vec![Diagnostic {
                file: file.to_path_buf(),
                line: 0,
                col: 0,
                message: format!("cannot read: {e}"),
            }],
        ),
    }
}

/// Loads every `*.json` directly inside `dir` (sorted by name), collecting
/// every problem of every file.
pub fn load_dir(dir: &Path) -> Result<GoldSet, crate::Error> {
    let entries = std::fs::read_dir(dir).map_err(crate::Error::io(dir))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut diags = Vec::new();
    let mut articles = Vec::new();
    if files.is_empty() {
        diags.push(Diagnostic {
            file: dir.to_path_buf(),
            line: 0,
            col: 0,
            message: "no gold files (*.json) in this directory".into(),
        });
    }
    let mut hasher_input = Vec::new();
    for f in &files {
        let (article, d) = load_file(f);
        diags.extend(d);
        if let Some(a) = article {
            hasher_input.extend_from_slice(a.id.as_bytes());
            hasher_input.push(0);
            hasher_input.extend_from_slice(&std::fs::read(f).unwrap_or_default());
            hasher_input.push(0);
            hasher_input.extend_from_slice(a.sha256.as_bytes());
            articles.push(a);
        }
    }
    let mut seen = HashSet::new();
    for a in &articles {
        if !seen.insert(a.id.clone()) {
            diags.push(Diagnostic {
                file: a.file.clone(),
                line: 0,
                col: 0,
                message: format!("article id {:?} appears in more than one gold file", a.id),
            });
        }
    }
    if !diags.is_empty() {
        return Err(crate::Error::BadGold(diags));
    }
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(GoldSet {
        dir: dir.to_path_buf(),
        warnings: articles.iter().flat_map(text_warnings).collect(),
        articles,
        sha256: sha256_hex(&hasher_input),
    })
}

/// What is worth knowing about an article's text without being wrong:
/// decomposed (non-NFC) characters and CRLF line endings. Offsets count code
/// points of the text as stored either way.
pub fn text_warnings(a: &GoldArticle) -> Vec<String> {
    let mut out = Vec::new();
    if unicode_normalization::is_nfc_quick(a.text.chars()) != unicode_normalization::IsNormalized::Yes
        && !unicode_normalization::is_nfc(&a.text)
    {
        out.push(format!(
            "{}: the text is not in Unicode NFC (decomposed accents); offsets count its code points as stored, and names, titles and units are compared after NFC folding",
            a.id
        ));
    }
    if a.text.contains("\r\n") {
        out.push(format!(
            "{}: the text has CRLF line endings; each counts as two code points",
            a.id
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn gold_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../gold")
    }

    /// Every committed gold file (NFD and CRLF texts included) is read by
    /// the fast path, into exactly what the explaining parse reads.
    #[test]
    fn the_committed_gold_takes_the_fast_path_to_the_same_articles() {
        let mut n = 0;
        for entry in std::fs::read_dir(gold_dir()).unwrap() {
            let file = entry.unwrap().path();
            if file.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let src = std::fs::read_to_string(&file).unwrap();
            let fast = parse_fast(&file, &src, Layout::File);
            let (explained, diags) = parse_explained(&file, &src, Layout::File);
            assert!(diags.is_empty(), "{diags:?}");
            assert!(fast.is_some(), "{} missed the fast path", file.display());
            assert_eq!(fast, explained, "{}", file.display());
            n += 1;
        }
        assert_eq!(n, 45);
    }

    const LINE: &str = r#"{"schema_version":1,"id":"a1","text":"Ngày 4/6/2024, Chủ tịch Nguyễn Văn A nói tăng 7,1%, chi 12 tỷ đồng.","ignore":[{"start":0,"end":4}],"mentions":[{"id":"m1","field":"date","start":5,"end":13,"text":"4/6/2024","value":"2024-06-04"},{"id":"m2","field":"official","start":15,"end":36,"text":"Chủ tịch Nguyễn Văn A","value":{"name":"Nguyễn Văn A","titles":["chủ tịch"]}},{"id":"m3","field":"percentage","start":46,"end":50,"text":"7,1%","value":{"value":7.1}},{"id":"m4","field":"figure","start":56,"end":66,"text":"12 tỷ đồng","value":{"amount":12e9,"unit":"tỷ đồng"}}]}"#;

    proptest! {
        /// Small edits anywhere in a valid line (a character dropped, or
        /// one inserted): whenever the fast path accepts the result, the
        /// explaining parse accepts it too, with no problem, as the same
        /// article.
        #[test]
        fn the_fast_parse_accepts_only_what_the_explaining_parse_accepts(edits in crate::diag::edits::edits()) {
            let src = crate::diag::edits::apply(LINE, edits);
            let file = Path::new("gold.jsonl");
            if let Some(article) = parse_fast(file, &src, Layout::Line) {
                let (explained, diags) = parse_explained(file, &src, Layout::Line);
                prop_assert!(diags.is_empty(), "{} {:?}", src, diags);
                prop_assert_eq!(explained, Some(article), "{}", src);
            }
        }
    }

    /// Each rule the explaining parse enforces sends a line off the fast
    /// path: one edit of the sample line per rule.
    #[test]
    fn every_problem_leaves_the_fast_path_and_is_explained() {
        let cases = [
            ("\"schema_version\":1", "\"schema_version\":2"),
            ("\"id\":\"a1\"", "\"id\":\"a 1\""),
            ("\"id\":\"m2\"", "\"id\":\"m1\""),
            ("\"field\":\"percentage\"", "\"field\":\"figure\""),
            ("\"field\":\"date\"", "\"field\":\"time\""),
            ("\"unit\":\"tỷ đồng\"", "\"unit\":\"Tỷ đồng\""),
            ("\"value\":\"2024-06-04\"", "\"value\":\"2024-13-04\""),
            ("\"start\":5,\"end\":13", "\"start\":6,\"end\":13"),
            ("\"start\":56,\"end\":66", "\"start\":56,\"end\":99"),
            ("\"end\":4}", "\"end\":14}"),
            ("\"end\":4}", "\"end\":400}"),
            ("\"titles\":[\"chủ tịch\"]", "\"titles\":[\"chủ tịch\"],\"age\":1"),
            ("\"text\":\"Ngày", "\"source\":\"a.txt\",\"text\":\"Ngày"),
        ];
        let file = Path::new("gold.jsonl");
        for (from, to) in cases {
            assert!(LINE.contains(from), "{from}");
            let src = LINE.replacen(from, to, 1);
            assert!(parse_fast(file, &src, Layout::Line).is_none(), "{to}");
            let (article, diags) = parse_explained(file, &src, Layout::Line);
            assert!(article.is_none() && !diags.is_empty(), "{to}");
        }
    }

    #[test]
    fn the_sample_line_is_valid_and_fast() {
        let file = Path::new("gold.jsonl");
        let fast = parse_fast(file, LINE, Layout::Line).expect("the fast path reads it");
        assert_eq!(fast.mentions.len(), 4);
        assert_eq!(parse_explained(file, LINE, Layout::Line), (Some(fast), Vec::new()));
    }
}
