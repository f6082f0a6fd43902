//! Label Studio's JSON export (<https://labelstud.io/guide/task_format>): a
//! list of tasks, each with `data.text` and `annotations[].result[]`. The
//! labelling config that round-trips is `docs/label-studio-config.xml`
//! (written beside the export): a `Labels` control (`field`) with the labels
//! `date`, `official`, `figure`, `percentage` and `ignore` over a `Text`
//! (`text`, spaces preserved), and a per-region `TextArea` (`value`,
//! <https://labelstud.io/tags/textarea>) holding each mention's value.
//!
//! ```json
//! {"data": {"article": "000_ffe74637e9cbe8aa", "text": "…"},
//!  "annotations": [{"result": [
//!    {"id": "d1", "from_name": "field", "to_name": "text", "type": "labels",
//!     "value": {"start": 35, "end": 45, "text": "quý I/2024", "labels": ["date"]}},
//!    {"id": "d1", "from_name": "value", "to_name": "text", "type": "textarea",
//!     "value": {"start": 35, "end": 45, "text": ["\"2024-Q1\""]}}]}]}
//! ```
//!
//! - Offsets (`value.start`, `value.end`) are JavaScript string indices,
//!   UTF-16 code units (Label Studio's frontend counts that way; see
//!   HumanSignal/label-studio#1347): an emoji counts two. They are converted
//!   to and from our code points. On import `value.text`, when present, is
//!   checked against the text; offsets that match it only as code points
//!   (as some Label Studio versions wrote them) are read as code points.
//! - A region's labels result and its text area share the region `id`. A
//!   mention's text area holds its JSON value (a bare date is read too); an
//!   ignore region's holds its reason, as typed.
//! - The article id is `data.article` (else `task-<task id>`). Mention ids
//!   and pre-annotation origins that need keeping go in
//!   `data.mention_meta`, keyed by region id; Label Studio keeps `data`
//!   as imported.
//! - Gold comes from a task's one annotation (or the one marked ground
//!   truth); `predictions` are machine pre-annotations and are gold only
//!   once accepted. Predictions files may use either. Other result types
//!   (choices, relations, …) are refused, each with its task and result
//!   index.

use super::{value_json, At, Draft, InteropError, Label, MentionMeta, Purpose, Read, Region, RegionKind};
use crate::diag::{json_position, offset_in, Diagnostic, LineIndex};
use crate::gold::{GoldArticle, GoldSet};
use crate::mention::{Span, TextIndex};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value as Json};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The labelling config, written beside the export (and pasted by users).
pub const CONFIG: &str = include_str!("../../../docs/label-studio-config.xml");

/// UTF-16 offset of every code point boundary of a text (its length last).
struct Utf16(Vec<usize>);

impl Utf16 {
    fn new(text: &str) -> Utf16 {
        let mut at = 0;
        let mut v = Vec::with_capacity(text.len() + 1);
        v.push(0);
        for c in text.chars() {
            at += c.len_utf16();
            v.push(at);
        }
        Utf16(v)
    }

    fn of(&self, code_point: usize) -> usize {
        self.0[code_point]
    }

    /// The code point at a UTF-16 offset; `None` inside a surrogate pair or
    /// past the end.
    fn code_point(&self, unit: usize) -> Option<usize> {
        self.0.binary_search(&unit).ok()
    }
}

fn region_results(id: &str, label: Label, span: Span, text: &str, note: Option<String>, u: &Utf16) -> Vec<Json> {
    let (start, end) = (u.of(span.start), u.of(span.end));
    let mut out = vec![json!({
        "id": id, "from_name": "field", "to_name": "text", "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label.as_str()]}
    })];
    if let Some(note) = note {
        out.push(json!({
            "id": id, "from_name": "value", "to_name": "text", "type": "textarea",
            "value": {"start": start, "end": end, "text": [note]}
        }));
    }
    out
}

/// The Label Studio task of one article.
pub fn task(a: &GoldArticle) -> Json {
    let u = Utf16::new(&a.text);
    let index = TextIndex::new(&a.text);
    let mut results = Vec::new();
    let mut meta = serde_json::Map::new();
    let mut taken: HashSet<&str> = a.mentions.iter().map(|m| m.id.as_str()).collect();
    for (m, mm) in a.mentions.iter().zip(super::metas(a)) {
        let label = Label::Field(m.field());
        results.extend(region_results(
            &m.id,
            label,
            m.span,
            &m.text,
            Some(value_json(&m.value)),
            &u,
        ));
        if !mm.is_empty() {
            meta.insert(m.id.clone(), serde_json::to_value(&mm).expect("meta serializes"));
        }
    }
    let mut ignore_ids = Vec::new();
    for k in 1..=a.ignore.len() {
        let mut id = format!("ignore-{k}");
        while taken.contains(id.as_str()) {
            id.push('_');
        }
        ignore_ids.push(id);
    }
    for ((span, reason), id) in a.ignore.iter().zip(&a.ignore_reasons).zip(&ignore_ids) {
        taken.insert(id);
        let text = index.slice(span.start, span.end).unwrap_or_default();
        results.extend(region_results(id, Label::Ignore, *span, text, reason.clone(), &u));
    }
    let mut data = json!({"article": a.id, "text": a.text});
    if !meta.is_empty() {
        data["mention_meta"] = Json::Object(meta);
    }
    json!({"data": data, "annotations": [{"result": results}]})
}

/// Writes `tasks.json` (every article) and `label-studio-config.xml`.
pub fn export(set: &GoldSet, out: &Path) -> Result<(), InteropError> {
    let tasks: Vec<Json> = set.articles.iter().map(task).collect();
    let body = serde_json::to_string_pretty(&tasks).expect("tasks serialize") + "\n";
    super::write(&out.join("tasks.json"), body.as_bytes())?;
    super::write(&out.join("label-studio-config.xml"), CONFIG.as_bytes())
}

#[derive(Deserialize)]
struct Task<'a> {
    #[serde(default)]
    id: Option<Json>,
    data: TaskData,
    #[serde(default, borrow)]
    annotations: Vec<Annotation<'a>>,
    #[serde(default, borrow)]
    predictions: Vec<Annotation<'a>>,
}

#[derive(Deserialize)]
struct TaskData {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    article: Option<String>,
    #[serde(default)]
    mention_meta: BTreeMap<String, MentionMeta>,
}

#[derive(Deserialize)]
struct Annotation<'a> {
    #[serde(default, borrow)]
    result: Vec<&'a RawValue>,
    #[serde(default)]
    was_cancelled: bool,
    #[serde(default)]
    ground_truth: bool,
}

#[derive(Deserialize)]
struct ResultItem {
    #[serde(default)]
    id: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    value: ResultValue,
}

#[derive(Deserialize)]
struct ResultValue {
    #[serde(default)]
    start: Option<usize>,
    #[serde(default)]
    end: Option<usize>,
    /// The region's text (labels) or the typed lines (textarea).
    #[serde(default)]
    text: Option<Json>,
    #[serde(default)]
    labels: Vec<String>,
}

/// One region of a task: its labels result and its text area.
struct Labelled {
    label: Label,
    span: Span,
    at: At,
    note: Option<(String, At)>,
}

/// Reads a Label Studio JSON export.
pub fn read(path: &Path, purpose: Purpose) -> Result<Read, InteropError> {
    let bytes = std::fs::read(path).map_err(InteropError::io(path))?;
    let src = String::from_utf8(bytes)
        .map_err(|e| InteropError::Problems(path.to_path_buf(), vec![diag(path, 0, 0, format!("not UTF-8: {e}"))]))?;
    parse(path, &src, purpose)
}

/// Reads the content `src` of a Label Studio JSON export `path`.
pub fn parse(path: &Path, src: &str, purpose: Purpose) -> Result<Read, InteropError> {
    let tasks: Vec<&RawValue> = serde_json::from_str(src).map_err(|e| {
        let (line, col) = json_position(src, 0, e.line(), e.column());
        InteropError::Problems(
            path.to_path_buf(),
            vec![diag(
                path,
                line,
                col,
                format!("not a Label Studio JSON export (a list of tasks): {e}"),
            )],
        )
    })?;
    let lines = LineIndex::new(src);
    let docs = tasks
        .iter()
        .enumerate()
        .map(|(i, raw)| read_task(path, &lines, src, i, raw, purpose))
        .collect();
    Ok(Read {
        docs,
        sha256: crate::digest::sha256_hex(src.as_bytes()),
    })
}

fn diag(path: &Path, line: usize, col: usize, message: String) -> Diagnostic {
    Diagnostic {
        file: path.to_path_buf(),
        line,
        col,
        message,
    }
}

/// Where `raw` (a slice of the indexed source) starts, with a context.
fn at(path: &Path, lines: &LineIndex, src: &str, raw: &RawValue, context: String) -> At {
    let (line, col) = lines.line_col(offset_in(src, raw.get()));
    At {
        file: path.to_path_buf(),
        line,
        col,
        context,
    }
}

fn read_task(
    path: &Path,
    lines: &LineIndex,
    src: &str,
    i: usize,
    raw: &RawValue,
    purpose: Purpose,
) -> (String, super::Doc) {
    let task_at = at(path, lines, src, raw, format!("task [{i}]"));
    let task: Task = match serde_json::from_str(raw.get()) {
        Ok(t) => t,
        Err(e) => {
            let (line, col) = json_position(src, offset_in(src, raw.get()), e.line(), e.column());
            let d = diag(path, line, col, format!("task [{i}]: {e}"));
            return (format!("task [{i}]"), Err(vec![d]));
        }
    };
    let id = match (&task.data.article, &task.id) {
        (Some(a), _) => a.clone(),
        (None, Some(n)) => format!("task-{}", n.as_str().map_or(n.to_string(), String::from)),
        (None, None) => {
            let e = task_at.diag("no article id: give data.article (or keep Label Studio's task id)");
            return (format!("task [{i}]"), Err(vec![e]));
        }
    };
    let task_at = At {
        context: format!("task [{i}] (article {id:?})"),
        ..task_at
    };
    let doc = draft(path, lines, src, &task, &task_at, &id, purpose);
    (id, doc)
}

/// The one annotation gold (or predictions) come from.
fn chosen<'t, 'a>(task: &'t Task<'a>, at: &At, purpose: Purpose) -> Result<Option<&'t Annotation<'a>>, Diagnostic> {
    let live: Vec<&Annotation> = task.annotations.iter().filter(|a| !a.was_cancelled).collect();
    let truth: Vec<&Annotation> = live.iter().copied().filter(|a| a.ground_truth).collect();
    match (live.len(), truth.len(), purpose) {
        (1, _, _) => Ok(Some(live[0])),
        (_, 1, _) => Ok(Some(truth[0])),
        (0, _, Purpose::Gold) => Err(at.diag(if task.predictions.is_empty() {
            "no annotation: label the task (or leave it out of the export)".to_string()
        } else {
            "only predictions: pre-annotations become gold once a person accepts them as an annotation".to_string()
        })),
        (0, _, Purpose::Predictions) => match task.predictions.len() {
            0 => Ok(None),
            1 => Ok(Some(&task.predictions[0])),
            n => Err(at.diag(format!("{n} predictions: predictions files give one per task"))),
        },
        (n, _, _) => Err(at.diag(format!(
            "{n} annotations: gold takes one; mark one as ground truth or export one annotator's"
        ))),
    }
}

fn draft(
    path: &Path,
    lines: &LineIndex,
    src: &str,
    task: &Task,
    task_at: &At,
    id: &str,
    purpose: Purpose,
) -> super::Doc {
    let Some(text) = task.data.text.clone() else {
        return Err(vec![task_at.diag("no data.text (the article text)")]);
    };
    let annotation = chosen(task, task_at, purpose).map_err(|d| vec![d])?;
    let u = Utf16::new(&text);
    let index = TextIndex::new(&text);
    let mut diags = Vec::new();
    let mut regions: BTreeMap<String, Labelled> = BTreeMap::new();
    let mut order = Vec::new();
    let mut notes = Vec::new();
    for (j, raw) in annotation
        .map(|a| a.result.as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let here = at(path, lines, src, raw, format!("{} result [{j}]", task_at.context));
        let item: ResultItem = match serde_json::from_str(raw.get()) {
            Ok(r) => r,
            Err(e) => {
                diags.push(here.diag(e));
                continue;
            }
        };
        let Some(rid) = item.id.clone() else {
            diags.push(here.diag("no region id"));
            continue;
        };
        match item.kind.as_str() {
            "labels" => match labelled(&item.value, &u, &index) {
                Err(e) => diags.push(here.diag(e)),
                Ok(_) if regions.contains_key(&rid) => {
                    diags.push(here.diag(format!("a second labels result for region {rid:?}")))
                }
                Ok((label, span)) => {
                    order.push(rid.clone());
                    regions.insert(
                        rid,
                        Labelled {
                            label,
                            span,
                            at: here,
                            note: None,
                        },
                    );
                }
            },
            "textarea" => match typed(&item.value) {
                Ok(note) => notes.push((rid, note, here)),
                Err(e) => diags.push(here.diag(e)),
            },
            other => diags.push(here.diag(format!(
                "a {other:?} result has no place in the gold (only labels and the per-region value text area)"
            ))),
        }
    }
    for (rid, note, here) in notes {
        match regions.get_mut(&rid) {
            None => diags.push(here.diag(format!(
                "a text area for {rid:?}, which is no labelled region of this annotation"
            ))),
            Some(r) if r.note.is_some() => diags.push(here.diag(format!("a second text area for region {rid:?}"))),
            Some(r) => r.note = Some((note, here)),
        }
    }
    for rid in task.data.mention_meta.keys() {
        if regions.get(rid).is_some_and(|r| r.label == Label::Ignore) {
            diags.push(task_at.diag(format!("data.mention_meta names {rid:?}, an ignore region")));
        }
    }
    let mut out = Vec::new();
    for rid in order {
        let r = regions.remove(&rid).expect("ordered regions exist");
        let kind = match r.label {
            Label::Ignore => RegionKind::Ignore {
                reason: r.note.map(|(n, _)| n),
            },
            Label::Field(field) => {
                let Some((note, note_at)) = r.note else {
                    diags.push(r.at.diag(format!(
                        "the {field} has no value: type it in the region's value text area"
                    )));
                    continue;
                };
                match super::parse_value(field, &note) {
                    Ok(value) => RegionKind::Mention {
                        value,
                        meta: task.data.mention_meta.get(&rid).cloned().unwrap_or_default(),
                    },
                    Err(e) => {
                        diags.push(note_at.diag(e));
                        continue;
                    }
                }
            }
        };
        out.push(Region {
            span: r.span,
            kind,
            at: r.at,
        });
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Draft {
        id: id.to_string(),
        text,
        at: task_at.clone(),
        regions: out,
    })
}

/// The label and span of a labels result, its offsets converted from UTF-16.
fn labelled(v: &ResultValue, u: &Utf16, index: &TextIndex) -> Result<(Label, Span), String> {
    let [label] = v.labels.as_slice() else {
        return Err(format!("expected one label, got {:?}", v.labels));
    };
    let label = Label::parse(label)?;
    let (Some(start), Some(end)) = (v.start, v.end) else {
        return Err("a labels result without value.start and value.end".into());
    };
    let claimed = v.text.as_ref().and_then(Json::as_str);
    let as_utf16 = u.code_point(start).zip(u.code_point(end));
    let reads = |(s, e): (usize, usize)| index.slice(s, e).filter(|_| s < e);
    let matches = |span: (usize, usize)| reads(span).is_some_and(|t| claimed.is_none_or(|c| c == t));
    let span = match as_utf16 {
        Some(span) if matches(span) => span,
        // Some Label Studio versions wrote code points; the text decides.
        _ if claimed.is_some() && matches((start, end)) => (start, end),
        _ => {
            let found = as_utf16.and_then(reads);
            return Err(match (found, claimed) {
                (None, _) => format!(
                    "offsets {start}..{end} (UTF-16 code units) are empty, out of range or split a character (the text has {} units)",
                    u.of(index.chars())
                ),
                (Some(t), Some(c)) => format!("text {c:?} does not match the article at UTF-16 {start}..{end}, which reads {t:?}"),
                (Some(_), None) => unreachable!("a readable span without a claimed text matches"),
            });
        }
    };
    Ok((
        label,
        Span {
            start: span.0,
            end: span.1,
        },
    ))
}

/// What a text area holds: one line (Label Studio keeps a list).
fn typed(v: &ResultValue) -> Result<String, String> {
    match &v.text {
        Some(Json::String(s)) => Ok(s.clone()),
        Some(Json::Array(items)) => match items.as_slice() {
            [Json::String(s)] => Ok(s.clone()),
            _ => Err(format!("the text area holds {} entries; a value is one", items.len())),
        },
        _ => Err("a text area result without value.text".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "😀 quý I/2024 tăng 7,1%";

    fn tasks(results: &str, extra: &str) -> String {
        format!(
            r#"[{{"id": 7, "data": {{"text": {}{extra}}}, "annotations": [{{"result": [{results}]}}]}}]"#,
            serde_json::to_string(TEXT).unwrap()
        )
    }

    fn read_str(src: &str) -> Vec<(String, super::super::Doc)> {
        parse(Path::new("tasks.json"), src, Purpose::Gold).unwrap().docs
    }

    #[test]
    fn offsets_are_utf16_code_units() {
        // The emoji is 2 UTF-16 units: "quý I/2024" is 3..13 in UTF-16, 2..12 in code points.
        let r = r#"{"id": "a", "type": "labels", "value": {"start": 3, "end": 13, "text": "quý I/2024", "labels": ["date"]}},
                   {"id": "a", "type": "textarea", "value": {"start": 3, "end": 13, "text": ["2024-Q1"]}}"#;
        let docs = read_str(&tasks(r, ""));
        let (id, doc) = &docs[0];
        assert_eq!(id, "task-7");
        let d = doc.as_ref().unwrap();
        assert_eq!(d.regions[0].span, Span { start: 2, end: 12 });
        // Writing gives the units back.
        let u = Utf16::new(TEXT);
        assert_eq!((u.of(2), u.of(12)), (3, 13));
        assert_eq!(u.code_point(1), None, "inside the surrogate pair");
    }

    #[test]
    fn code_point_offsets_are_read_when_the_text_says_so() {
        let r = r#"{"id": "a", "type": "labels", "value": {"start": 2, "end": 12, "text": "quý I/2024", "labels": ["date"]}},
                   {"id": "a", "type": "textarea", "value": {"text": ["\"2024-Q1\""]}}"#;
        let docs = read_str(&tasks(r, ""));
        assert_eq!(docs[0].1.as_ref().unwrap().regions[0].span, Span { start: 2, end: 12 });
    }

    #[test]
    fn errors_name_the_task_and_result() {
        let r = r#"{"id": "a", "type": "labels", "value": {"start": 3, "end": 13, "text": "quý I/2025", "labels": ["date"]}},
                   {"id": "b", "type": "labels", "value": {"start": 19, "end": 23, "text": "7,1%", "labels": ["percentage"]}},
                   {"id": "c", "type": "choices", "value": {"choices": ["ok"]}},
                   {"id": "z", "type": "textarea", "value": {"text": ["1"]}},
                   {"id": "d", "type": "labels", "value": {"start": 1, "end": 2, "labels": ["date"]}}"#;
        let docs = read_str(&tasks(r, r#", "article": "x1""#));
        let errs = crate::interop::error_messages(&docs[0].1);
        let has = |needle: &str| assert!(errs.iter().any(|e| e.contains(needle)), "{needle:?} not in {errs:#?}");
        has("task [0] (article \"x1\") result [0]: text \"quý I/2025\" does not match");
        has("result [1]: the percentage has no value");
        has("result [2]: a \"choices\" result has no place");
        has("result [3]: a text area for \"z\"");
        has("result [4]: offsets 1..2 (UTF-16 code units) are empty, out of range or split a character");
        // Each at the line its result starts on.
        has("tasks.json:1:");
        assert!(
            errs.iter()
                .any(|e| e.contains("tasks.json:5:") && e.contains("result [4]")),
            "{errs:#?}"
        );
    }
}
