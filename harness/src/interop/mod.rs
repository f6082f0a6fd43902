//! Gold interop: our gold in and out of three formats other tools speak —
//! gold made elsewhere (`harness gold import`), gold taken elsewhere
//! (`harness gold export`) and predictions written in them
//! (`harness score --predictions-format`).
//!
//! What each format carries (details and the official specifications in
//! each module's docs):
//!
//! | | spans | values | ignore regions, reasons | mention ids, `pre` origins |
//! |---|---|---|---|---|
//! | [`brat`] | exact | `AnnotatorNotes` | `ignore` entities, notes | a `MentionMeta` note when needed |
//! | [`label_studio`] | exact (UTF-16 offsets converted) | per-region `TextArea` | `ignore` label, `TextArea` | `data.mention_meta` when needed |
//! | [`conll`] | token-bounded | optional third column | token-bounded; reason in that column | renumbered; origins dropped |
//!
//! Every reader yields [`Draft`]s: an article's text and its labelled
//! regions, each with the position it was read from. [`to_gold`] makes the
//! checks `harness gold check` makes, so a problem is reported at the line
//! of the file the user edits; [`write_gold`] then writes the canonical
//! files (`gold::canonical`) and loads them back through the gold loader
//! before the output directory appears.
//!
//! Mention ids: a format that does not carry them gives the conventional id,
//! the field's initial and the mention's rank among that field's mentions in
//! text order (`d1`, `d2`, `o1`, …), as every gold file here is numbered.
//! Exporters write an id only when it differs from that, so round trips are
//! identities without cluttering the files. Imported mentions and ignore
//! regions are in text order (stable by start), the order gold files keep.

pub mod brat;
pub mod conll;
pub mod label_studio;

use crate::diag::Diagnostic;
use crate::gold::{self, GoldArticle, GoldSet};
use crate::mention::{GoldMention, Origin, PredMention, Span, SpanError, TextIndex};
use crate::outcome::{CallError, ErrorKind, PluginRun};
use crate::predictions::OnBadLine;
use extractor_api::{Field, Value};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A format other tools speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// brat standoff: `<id>.txt` and `<id>.ann` per article.
    Brat,
    /// Label Studio's JSON export: a list of tasks.
    LabelStudio,
    /// CoNLL-style BIO: one token per line.
    Conll,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Brat => "brat",
            Format::LabelStudio => "label-studio",
            Format::Conll => "conll",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InteropError {
    /// Problems in the input, each with its position.
    #[error("{} problem(s) in {}", .1.len(), .0.display())]
    Problems(PathBuf, Vec<Diagnostic>),
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// The output directory cannot be used.
    #[error("{}: {reason}", .path.display())]
    Output { path: PathBuf, reason: String },
}

impl InteropError {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> InteropError + '_ {
        move |source| InteropError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// As a predictions problem (exit 7) rather than a gold one (exit 3).
    pub fn into_predictions_error(self) -> crate::Error {
        match self {
            InteropError::Problems(path, diags) => crate::Error::BadInput(problems(&path, &diags)),
            other => other.into(),
        }
    }
}

impl From<InteropError> for crate::Error {
    fn from(e: InteropError) -> crate::Error {
        match e {
            InteropError::Problems(_, diags) => crate::Error::BadGold(diags),
            InteropError::Io { path, source } => crate::Error::io(path)(source),
            e @ InteropError::Output { .. } => crate::Error::Usage(e.to_string()),
        }
    }
}

fn problems(path: &Path, diags: &[Diagnostic]) -> String {
    let list: Vec<String> = diags.iter().map(ToString::to_string).collect();
    format!("{} problem(s) in {}:\n{}", diags.len(), path.display(), list.join("\n"))
}

/// What a region is labelled: one of the four fields, or an ignore region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    Field(Field),
    Ignore,
}

impl Label {
    pub const ALL: [Label; 5] = [
        Label::Field(Field::Date),
        Label::Field(Field::Official),
        Label::Field(Field::Figure),
        Label::Field(Field::Percentage),
        Label::Ignore,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Field(f) => f.as_str(),
            Label::Ignore => "ignore",
        }
    }

    pub fn parse(s: &str) -> Result<Label, String> {
        Label::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| format!("unknown label {s:?} (expected date, official, figure, percentage or ignore)"))
    }
}

/// Where something was read, for diagnostics: a file position and what is
/// there (`T3`, `task [2] result [5]`).
#[derive(Clone, Debug, PartialEq)]
pub struct At {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub context: String,
}

impl At {
    pub fn diag(&self, message: impl std::fmt::Display) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            line: self.line,
            col: self.col,
            message: if self.context.is_empty() {
                message.to_string()
            } else {
                format!("{}: {message}", self.context)
            },
        }
    }
}

/// What the formats that can carry it keep beside a mention: its id when it
/// is not the conventional one, and its pre-annotation origin.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentionMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre: Option<Origin>,
}

impl MentionMeta {
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.pre.is_none()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("meta serializes")
    }
}

/// What an input is read as: gold takes only what a person confirmed
/// (Label Studio annotations, not predictions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Gold,
    Predictions,
}

/// One labelled region read from another format.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    pub span: Span,
    pub kind: RegionKind,
    pub at: At,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RegionKind {
    Mention { value: Value, meta: MentionMeta },
    Ignore { reason: Option<String> },
}

/// One article read from another format, before it is checked as gold or
/// as predictions.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub id: String,
    pub text: String,
    /// Where the article starts (its file, task or `-DOCSTART-` line).
    pub at: At,
    pub regions: Vec<Region>,
}

/// One article of an input: its draft, or everything wrong with it.
pub type Doc = Result<Draft, Vec<Diagnostic>>;

/// The messages of a document that failed to read (tests of the readers).
#[cfg(test)]
pub(crate) fn error_messages(doc: &Doc) -> Vec<String> {
    doc.as_ref().unwrap_err().iter().map(ToString::to_string).collect()
}

/// What a reader found: the articles by id (in input order) and the
/// SHA-256 of the input, for the report's reproducibility record.
pub struct Read {
    pub docs: Vec<(String, Doc)>,
    pub sha256: String,
}

/// Where a reader finds an article's text when the input does not carry it:
/// `Err` says why there is none.
pub type Texts<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// Reads a value written by an exporter or by a person: JSON of the field's
/// value shape (`"2024-Q1"`, `{"value": 7.1}`), or for a date the bare TIMEX
/// string (`2024-Q1`), as people type it into a note.
pub fn parse_value(field: Field, s: &str) -> Result<Value, String> {
    let json = match serde_json::from_str::<serde_json::Value>(s.trim()) {
        Ok(j) => j,
        Err(_) if field == Field::Date && !s.trim().is_empty() => serde_json::Value::String(s.trim().into()),
        Err(e) => return Err(format!("the {field} value {s:?} is not JSON: {e}")),
    };
    let value = Value::from_json(field, json).map_err(|e| format!("value has the wrong shape for a {field}: {e}"))?;
    value.check()?;
    Ok(value)
}

/// A value as exporters write it: the canonical gold layout.
pub fn value_json(v: &Value) -> String {
    gold::write::value(v)
}

/// Indices of `spans` in text order: by start, ties in input order.
fn text_order(spans: impl Iterator<Item = Span>) -> Vec<usize> {
    let spans: Vec<Span> = spans.collect();
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| spans[i].start);
    order
}

/// Conventional ids for mentions of these fields, given in text order.
fn conventional_ids(fields: impl Iterator<Item = Field>) -> Vec<String> {
    let mut seen: HashMap<Field, usize> = HashMap::new();
    fields
        .map(|f| {
            let n = seen.entry(f).or_default();
            *n += 1;
            format!("{}{n}", &f.as_str()[..1])
        })
        .collect()
}

/// What each mention of `a` needs beside it (parallel to `a.mentions`):
/// its id if an importer would not give it that id anyway, and its origin.
pub fn metas(a: &GoldArticle) -> Vec<MentionMeta> {
    let order = text_order(a.mentions.iter().map(|m| m.span));
    let ids = conventional_ids(order.iter().map(|&i| a.mentions[i].field()));
    let mut out = vec![MentionMeta::default(); a.mentions.len()];
    for (i, conventional) in order.into_iter().zip(ids) {
        let m = &a.mentions[i];
        out[i] = MentionMeta {
            id: (m.id != conventional).then(|| m.id.clone()),
            pre: m.origin.clone(),
        };
    }
    out
}

/// Checks a region's span against the text; `None` if it is out of range.
fn slice<'t>(index: &TextIndex<'t>, r: &Region, diags: &mut Vec<Diagnostic>) -> Option<&'t str> {
    let (start, end) = (r.span.start, r.span.end);
    match index.slice(start, end).filter(|_| start < end) {
        Some(s) => Some(s),
        None => {
            let e = SpanError::OutOfRange {
                start,
                end,
                chars: index.chars(),
            };
            diags.push(r.at.diag(e));
            None
        }
    }
}

/// A draft as a gold article, with the checks `harness gold check` makes
/// (safe id, spans in range, valid values, no mention inside an ignore
/// region, unique mention ids), each reported where the region was read.
pub fn to_gold(d: Draft) -> Result<GoldArticle, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    if let Err(e) = gold::check_id(&d.id) {
        diags.push(d.at.diag(e));
    }
    let index = TextIndex::new(&d.text);
    let order = text_order(d.regions.iter().map(|r| r.span));
    let regions: Vec<&Region> = order.iter().map(|&i| &d.regions[i]).collect();
    let texts: Vec<Option<&str>> = regions.iter().map(|r| slice(&index, r, &mut diags)).collect();
    let ignore: Vec<(Span, Option<String>)> = regions
        .iter()
        .filter_map(|r| match &r.kind {
            RegionKind::Ignore { reason } => Some((r.span, reason.clone())),
            RegionKind::Mention { .. } => None,
        })
        .collect();
    let fields = regions.iter().filter_map(|r| match &r.kind {
        RegionKind::Mention { value, .. } => Some(value.field()),
        RegionKind::Ignore { .. } => None,
    });
    let mut conventional = conventional_ids(fields).into_iter();
    let mut ids = HashSet::new();
    let mut mentions = Vec::new();
    for (r, text) in regions.iter().zip(&texts) {
        let RegionKind::Mention { value, meta } = &r.kind else {
            continue;
        };
        // The conventional numbering counts every mention of the field,
        // those with an id of their own included (as `metas` does).
        let usual = conventional.next().unwrap_or_default();
        let id = meta.id.clone().unwrap_or(usual);
        if let Err(e) = value.check() {
            diags.push(r.at.diag(e));
        }
        if let Some((ig, _)) = ignore.iter().find(|(ig, _)| ig.overlap(&r.span) > 0) {
            diags.push(r.at.diag(format!(
                "the {} mention {}..{} lies inside ignore region {}..{}",
                value.field(),
                r.span.start,
                r.span.end,
                ig.start,
                ig.end
            )));
        }
        if !ids.insert(id.clone()) {
            diags.push(r.at.diag(format!("duplicate mention id {id:?}")));
        }
        mentions.push(GoldMention {
            id,
            span: r.span,
            text: text.unwrap_or_default().to_string(),
            value: value.clone(),
            origin: meta.pre.clone(),
        });
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(GoldArticle {
        file: PathBuf::from(format!("{}.json", d.id)),
        source: Some(format!("articles/{}.txt", d.id)),
        sha256: crate::digest::sha256_hex(d.text.as_bytes()),
        ignore: ignore.iter().map(|(sp, _)| *sp).collect(),
        ignore_reasons: ignore.into_iter().map(|(_, why)| why).collect(),
        id: d.id,
        text: d.text,
        mentions,
    })
}

/// A draft as predictions for the article whose text is `gold_text`: its
/// mentions (ignore regions are left out).
pub fn to_predictions(d: &Draft, gold_text: &str) -> Result<Vec<PredMention>, Vec<Diagnostic>> {
    if d.text != gold_text {
        return Err(vec![d.at.diag(format!(
            "article {:?}: the text differs from the gold article's text, so its offsets point elsewhere",
            d.id
        ))]);
    }
    let index = TextIndex::new(&d.text);
    let mut diags = Vec::new();
    let mut preds = Vec::new();
    for r in &d.regions {
        let Some(text) = slice(&index, r, &mut diags) else {
            continue;
        };
        // Ignore regions are the gold's business: an annotator's pass
        // scored as predictions keeps its mentions only, as a gold-format
        // directory does.
        let RegionKind::Mention { value, .. } = &r.kind else {
            continue;
        };
        match value.check() {
            Err(e) => diags.push(r.at.diag(e)),
            Ok(()) => preds.push(PredMention {
                span: Some(r.span),
                text: Some(text.to_string()),
                value: value.clone(),
            }),
        }
    }
    if diags.is_empty() {
        Ok(preds)
    } else {
        Err(diags)
    }
}

/// Refuses an output directory that has files in it: converters never mix
/// their output with files already there.
fn check_empty(out: &Path) -> Result<(), InteropError> {
    if out.exists() {
        let mut entries = std::fs::read_dir(out).map_err(InteropError::io(out))?;
        if entries.next().is_some() {
            return Err(InteropError::Output {
                path: out.to_path_buf(),
                reason: "the output directory is not empty; give a new or empty one".into(),
            });
        }
    }
    Ok(())
}

/// A new or empty directory, created.
fn empty_dir(out: &Path) -> Result<(), InteropError> {
    check_empty(out)?;
    std::fs::create_dir_all(out).map_err(InteropError::io(out))
}

/// Writes one output file atomically. Not synced one by one: converter
/// output is remade from its input in a second, and an fsync per article
/// file made a gold-set export take seconds.
fn write(path: &Path, contents: &[u8]) -> Result<(), InteropError> {
    crate::files::atomic_write_fast(path, contents).map_err(|e| match e {
        crate::Error::Io { path, source } => InteropError::Io { path, source },
        other => InteropError::Output {
            path: path.to_path_buf(),
            reason: other.to_string(),
        },
    })
}

/// Writes a gold directory: `<id>.json` in the canonical layout and the text
/// byte for byte in `articles/<id>.txt`. Everything is written to a staging
/// directory and loaded back through the gold loader first; `out` appears
/// only if it passes, so an import never leaves gold that `gold check`
/// refuses.
pub fn write_gold(out: &Path, articles: &[GoldArticle]) -> Result<(), InteropError> {
    check_empty(out)?;
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("gold");
    let staging = out.with_file_name(format!(".{name}.import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = (|| {
        for a in articles {
            write(&staging.join(format!("articles/{}.txt", a.id)), a.text.as_bytes())?;
            write(&staging.join(format!("{}.json", a.id)), gold::canonical(a).as_bytes())?;
        }
        match gold::load_dir(&staging) {
            Ok(_) => Ok(()),
            Err(crate::Error::BadGold(diags)) => Err(InteropError::Problems(out.to_path_buf(), diags)),
            Err(e) => Err(InteropError::Output {
                path: staging.clone(),
                reason: e.to_string(),
            }),
        }
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if out.exists() {
        std::fs::remove_dir(out).map_err(InteropError::io(out))?;
    }
    std::fs::rename(&staging, out).map_err(InteropError::io(out))
}

/// Exports a gold set. Returns what the format could not carry, for the
/// user to read (CoNLL only; brat and Label Studio carry everything).
pub fn export(format: Format, set: &GoldSet, out: &Path, conll_values: bool) -> Result<Vec<String>, InteropError> {
    empty_dir(out)?;
    match format {
        Format::Brat => brat::export(set, out).map(|()| Vec::new()),
        Format::LabelStudio => label_studio::export(set, out).map(|()| Vec::new()),
        Format::Conll => conll::export(set, out, conll_values),
    }
}

fn read(format: Format, input: &Path, texts: Texts, purpose: Purpose) -> Result<Read, InteropError> {
    let wanted = match format {
        Format::Brat => "a directory of <id>.txt and <id>.ann files",
        Format::LabelStudio => "one file, the project's JSON export",
        Format::Conll => "one .conll file",
    };
    if input.is_dir() != (format == Format::Brat) {
        let d = Diagnostic {
            file: input.to_path_buf(),
            line: 0,
            col: 0,
            message: format!("{} input is {wanted}", format.name()),
        };
        return Err(InteropError::Problems(input.to_path_buf(), vec![d]));
    }
    match format {
        Format::Brat => brat::read(input, texts),
        Format::LabelStudio => label_studio::read(input, purpose),
        Format::Conll => conll::read(input, texts),
    }
}

/// Imports gold from another format into a new gold directory `out`.
/// `text_dir` holds `<id>.txt` for formats without the text (CoNLL).
/// Returns the number of articles and mentions written.
pub fn import(
    format: Format,
    input: &Path,
    out: &Path,
    text_dir: Option<&Path>,
) -> Result<(usize, usize), InteropError> {
    let texts = |id: &str| -> Result<String, String> {
        let Some(dir) = text_dir else {
            return Err(format!("no text for article {id:?}: give --text-dir with {id}.txt"));
        };
        gold::check_id(id)?;
        let path = dir.join(format!("{id}.txt"));
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        String::from_utf8(bytes).map_err(|e| format!("{} is not UTF-8: {e}", path.display()))
    };
    let read = read(format, input, &texts, Purpose::Gold)?;
    let mut diags = Vec::new();
    let mut articles: Vec<GoldArticle> = Vec::new();
    let mut seen = HashSet::new();
    for (id, doc) in read.docs {
        if !seen.insert(id.clone()) {
            diags.push(Diagnostic {
                file: input.to_path_buf(),
                line: 0,
                col: 0,
                message: format!("article {id:?} appears more than once"),
            });
            continue;
        }
        match doc.and_then(to_gold) {
            Ok(a) => articles.push(a),
            Err(d) => diags.extend(d),
        }
    }
    if articles.is_empty() && diags.is_empty() {
        diags.push(Diagnostic {
            file: input.to_path_buf(),
            line: 0,
            col: 0,
            message: "no articles to import".into(),
        });
    }
    if !diags.is_empty() {
        return Err(InteropError::Problems(input.to_path_buf(), diags));
    }
    write_gold(out, &articles)?;
    Ok((articles.len(), articles.iter().map(|a| a.mentions.len()).sum()))
}

/// Reads predictions written in another format, lined up with the gold
/// articles like `predictions::read` does: an article without predictions
/// predicts nothing; one with problems stops the run (`stop`) or is
/// recorded as failed (`skip`, error kind `bad_line`).
pub fn predictions(format: Format, path: &Path, gold: &GoldSet, on_bad: OnBadLine) -> Result<PluginRun, crate::Error> {
    let by_id: HashMap<&str, &GoldArticle> = gold.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let texts = |id: &str| -> Result<String, String> {
        by_id
            .get(id)
            .map(|a| a.text.clone())
            .ok_or_else(|| format!("article {id:?} is not in the gold set"))
    };
    let read = read(format, path, &texts, Purpose::Predictions).map_err(InteropError::into_predictions_error)?;
    let mut outcomes: BTreeMap<String, Result<Vec<PredMention>, CallError>> = BTreeMap::new();
    let mut unknown = Vec::new();
    let mut stop = Vec::new();
    for (id, doc) in read.docs {
        let Some(a) = by_id.get(id.as_str()) else {
            unknown.push(id);
            continue;
        };
        match doc.and_then(|d| to_predictions(&d, &a.text)) {
            Ok(p) => {
                outcomes.insert(id, Ok(p));
            }
            Err(diags) if on_bad == OnBadLine::Stop => stop.extend(diags),
            Err(diags) => {
                let list: Vec<String> = diags.iter().map(ToString::to_string).collect();
                outcomes.insert(id, Err(CallError::new(ErrorKind::BadLine, list.join("; "))));
            }
        }
    }
    if !stop.is_empty() {
        return Err(crate::Error::BadInput(problems(path, &stop)));
    }
    if outcomes.is_empty() {
        return Err(crate::Error::BadInput(format!(
            "{}: none of its {} article(s) is in the gold set{}; wrong file or wrong gold?",
            path.display(),
            unknown.len(),
            unknown.first().map_or(String::new(), |id| format!(" (first: {id:?})"))
        )));
    }
    if let Some(first) = unknown.first() {
        crate::out::eprintln(&format!(
            "warning: {}: article {first:?} is not in the gold set; ignored ({} such article(s))",
            path.display(),
            unknown.len()
        ));
    }
    let info = crate::predictions::info(path, &format!("predictions/{}", format.name()), read.sha256);
    Ok(crate::predictions::lined_up_by_id(info, gold, outcomes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> At {
        At {
            file: "x.ann".into(),
            line: 3,
            col: 1,
            context: "T1".into(),
        }
    }

    fn mention(start: usize, end: usize, value: Value, id: Option<&str>) -> Region {
        Region {
            span: Span { start, end },
            kind: RegionKind::Mention {
                value,
                meta: MentionMeta {
                    id: id.map(Into::into),
                    pre: None,
                },
            },
            at: at(),
        }
    }

    #[test]
    fn values_are_json_or_a_bare_date() {
        assert_eq!(
            parse_value(Field::Date, "\"2024-Q1\""),
            Ok(Value::Date("2024-Q1".into()))
        );
        assert_eq!(parse_value(Field::Date, " 2024-Q1 "), Ok(Value::Date("2024-Q1".into())));
        assert!(parse_value(Field::Date, "2024-13-45")
            .unwrap_err()
            .contains("invalid date"));
        assert!(parse_value(Field::Percentage, "7.1")
            .unwrap_err()
            .contains("wrong shape"));
        assert!(parse_value(Field::Figure, "{amount: 1}")
            .unwrap_err()
            .contains("not JSON"));
        let v = parse_value(Field::Figure, r#"{"amount": 3, "unit": "vụ"}"#).unwrap();
        assert_eq!(value_json(&v), r#"{"amount": 3, "unit": "vụ"}"#);
    }

    #[test]
    fn drafts_become_gold_in_text_order_with_conventional_ids() {
        let d = Draft {
            id: "a1".into(),
            text: "7% ngày 5/6 và 9%".into(),
            at: at(),
            regions: vec![
                mention(
                    15,
                    17,
                    Value::Percentage(extractor_api::Percentage { value: 9.0 }),
                    None,
                ),
                mention(3, 11, Value::Date("XXXX-06-05".into()), Some("dX")),
                mention(0, 2, Value::Percentage(extractor_api::Percentage { value: 7.0 }), None),
            ],
        };
        let g = to_gold(d).unwrap();
        let ids: Vec<&str> = g.mentions.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["p1", "dX", "p2"]);
        assert_eq!(g.mentions[1].text, "ngày 5/6");
        assert_eq!(g.source.as_deref(), Some("articles/a1.txt"));
        // and the meta an exporter writes gives back exactly those ids
        let metas = metas(&g);
        assert_eq!(metas[1].id.as_deref(), Some("dX"));
        assert!(metas[0].is_empty() && metas[2].is_empty());
    }

    #[test]
    fn gold_the_loader_refuses_is_never_written() {
        let dir = crate::files::scratch_dir("interop-write");
        let out = dir.join("gold");
        let good = to_gold(Draft {
            id: "a1".into(),
            text: "7%".into(),
            at: at(),
            regions: vec![mention(
                0,
                2,
                Value::Percentage(extractor_api::Percentage { value: 7.0 }),
                None,
            )],
        })
        .unwrap();
        // A text that no longer matches its mention (what a bug in a reader
        // would make) is caught by the gold loader, and nothing appears.
        let mut bad = good.clone();
        bad.mentions[0].text = "8%".into();
        let Err(InteropError::Problems(_, diags)) = write_gold(&out, &[bad]) else {
            panic!("written")
        };
        assert!(diags[0].message.contains("does not match"), "{diags:?}");
        assert!(!out.exists());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no staging left");
        write_gold(&out, &[good]).unwrap();
        assert!(out.join("a1.json").is_file() && out.join("articles/a1.txt").is_file());
        assert!(matches!(write_gold(&out, &[]), Err(InteropError::Output { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn gold_checks_are_reported_where_the_region_was_read() {
        let d = Draft {
            id: "../x".into(),
            text: "abc def".into(),
            at: at(),
            regions: vec![
                mention(0, 3, Value::Date("2024".into()), Some("d1")),
                mention(4, 7, Value::Date("2025".into()), Some("d1")),
                mention(5, 9, Value::Date("2025".into()), None),
                Region {
                    span: Span { start: 4, end: 6 },
                    kind: RegionKind::Ignore { reason: None },
                    at: at(),
                },
            ],
        };
        let diags = to_gold(d).unwrap_err();
        let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
        let all = text.join("\n");
        assert!(all.contains("not safe as a file name"), "{all}");
        assert!(
            all.contains("x.ann:3:1: T1: offsets 5..9 are empty or out of range"),
            "{all}"
        );
        assert!(all.contains("lies inside ignore region 4..6"), "{all}");
        assert!(all.contains("duplicate mention id \"d1\""), "{all}");
    }
}
