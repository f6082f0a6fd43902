//! brat standoff (<https://brat.nlplab.org/standoff.html>): each article is
//! `<id>.txt`, the text byte for byte, beside `<id>.ann`, one annotation per
//! line. What we write and read:
//!
//! ```text
//! T1<TAB>date 35 45<TAB>quý I/2024
//! #1<TAB>AnnotatorNotes T1<TAB>"2024-Q1"
//! T2<TAB>ignore 251 266<TAB>Ảnh: Minh Hà
//! #2<TAB>AnnotatorNotes T2<TAB>"photo credit"
//! ```
//!
//! - Text-bound annotations (`T…`) have one of the types `date`, `official`,
//!   `figure`, `percentage` or `ignore` (`annotation.conf`, written beside
//!   the export). Offsets are code points of the `.txt` as stored, end
//!   exclusive, as the spec defines them ("character offsets") and as
//!   brat's Python server slices its text; a CR counts like any character.
//! - The text after the second tab is the span's text with line breaks
//!   turned into spaces (an `.ann` line cannot hold them). The importer
//!   compares it with the `.txt`, so offsets counted another way (bytes,
//!   UTF-16) are caught at their line.
//! - A mention's value is the JSON of its `AnnotatorNotes` note
//!   (`#1<TAB>AnnotatorNotes T1<TAB>"2024-Q1"`), in the canonical value layout;
//!   for a date the bare TIMEX string is read too. Notes are the one free
//!   text brat keeps with an annotation and shows in its editor, so values
//!   can be read and corrected there.
//! - An ignore region is an `ignore` entity; its reason is its note, as a
//!   JSON string (bare text is read too, trimmed as brat trims notes).
//! - A `MentionMeta` note (`{"id": …, "pre": {…}}`) keeps what brat has no
//!   place for: a mention id that is not the conventional one, and a
//!   pre-annotation origin. It is written only when needed; brat keeps notes
//!   of any type.
//! - Refused on import, each at its `file:line`: discontinuous spans
//!   (`0 5;10 15`; a gold mention is one span), relations, events,
//!   attributes, normalizations, equivalences, other note types, entities
//!   of other types, and a field entity without a value.

use super::{value_json, At, Doc, Draft, InteropError, Label, MentionMeta, Read, Region, RegionKind, Texts};
use crate::diag::Diagnostic;
use crate::gold::{GoldArticle, GoldSet};
use crate::mention::{Span, SpanError, TextIndex};
use sha2::Digest;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The note type brat's editor shows, holding values and reasons.
const NOTE: &str = "AnnotatorNotes";
/// Our note type for ids and origins.
const META: &str = "MentionMeta";
/// brat's configuration of our labels, written beside the export.
const ANNOTATION_CONF: &str = include_str!("annotation.conf");

/// Characters that end a line for brat's reader (Python's line splitting).
fn breaks_line(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// A span's text as the reference text of its `T` line.
fn reference(text: &str) -> String {
    text.chars().map(|c| if breaks_line(c) { ' ' } else { c }).collect()
}

/// JSON that stays on one line for brat: serde_json escapes control
/// characters but leaves U+0085, U+2028 and U+2029 raw inside strings.
fn one_line_json(json: &str) -> String {
    json.replace('\u{85}', "\\u0085")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The `.ann` file of one article.
pub fn ann(a: &GoldArticle) -> String {
    let index = TextIndex::new(&a.text);
    let mut out = String::new();
    let (mut t, mut n) = (0, 0);
    let mut entity = |label: &str, span: Span, notes: &[(&str, String)]| {
        t += 1;
        let text = index.slice(span.start, span.end).unwrap_or_default();
        let _ = writeln!(out, "T{t}\t{label} {} {}\t{}", span.start, span.end, reference(text));
        for (kind, body) in notes {
            n += 1;
            let _ = writeln!(out, "#{n}\t{kind} T{t}\t{body}");
        }
    };
    for (m, meta) in a.mentions.iter().zip(super::metas(a)) {
        let mut notes = vec![(NOTE, one_line_json(&value_json(&m.value)))];
        if !meta.is_empty() {
            notes.push((META, one_line_json(&meta.to_json())));
        }
        entity(m.field().as_str(), m.span, &notes);
    }
    for (span, reason) in a.ignore.iter().zip(&a.ignore_reasons) {
        let notes: Vec<(&str, String)> = reason
            .iter()
            .map(|r| {
                (
                    NOTE,
                    one_line_json(&serde_json::to_string(r).expect("strings serialize")),
                )
            })
            .collect();
        entity(Label::Ignore.as_str(), *span, &notes);
    }
    out
}

/// Writes `<id>.txt`, `<id>.ann` per article and `annotation.conf`.
pub fn export(set: &GoldSet, out: &Path) -> Result<(), InteropError> {
    for a in &set.articles {
        super::write(&out.join(format!("{}.txt", a.id)), a.text.as_bytes())?;
        super::write(&out.join(format!("{}.ann", a.id)), ann(a).as_bytes())?;
    }
    super::write(&out.join("annotation.conf"), ANNOTATION_CONF.as_bytes())
}

struct Entity {
    tid: String,
    label: Label,
    span: Span,
    at: At,
}

/// Reads one `.ann` file (`src`) against its article's `text`.
pub fn parse_ann(file: &Path, src: &str, id: &str, text: String) -> Doc {
    let index = TextIndex::new(&text);
    let mut diags = Vec::new();
    let mut entities: Vec<Entity> = Vec::new();
    let mut tids = HashSet::new();
    // (target, note type) → (body, where)
    let mut notes: HashMap<(String, &str), (String, At)> = HashMap::new();
    for (i, raw) in src.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let at = |context: &str| At {
            file: file.to_path_buf(),
            line: i + 1,
            col: 1,
            context: context.to_string(),
        };
        let mut parts = line.splitn(3, '\t');
        let aid = parts.next().unwrap_or_default();
        let (Some(mid), tail) = (parts.next(), parts.next()) else {
            diags.push(at("").diag(format!("expected an id, a tab and an annotation: {line:?}")));
            continue;
        };
        let here = at(aid);
        match aid.chars().next() {
            Some('T') => {
                if !tids.insert(aid.to_string()) {
                    diags.push(here.diag("duplicate id"));
                    continue;
                }
                match entity(mid, tail.unwrap_or_default(), &index, id) {
                    Ok((label, span)) => entities.push(Entity {
                        tid: aid.to_string(),
                        label,
                        span,
                        at: here,
                    }),
                    Err(e) => diags.push(here.diag(e)),
                }
            }
            Some('#') => {
                let (kind, target) = mid.split_once(' ').unwrap_or((mid, ""));
                let kind = match kind {
                    NOTE => NOTE,
                    META => META,
                    other => {
                        diags.push(here.diag(format!("note type {other:?} is not read (only {NOTE} and {META})")));
                        continue;
                    }
                };
                let body = tail.unwrap_or_default().to_string();
                if notes.insert((target.to_string(), kind), (body, here.clone())).is_some() {
                    diags.push(here.diag(format!("a second {kind} note for {target:?}")));
                }
            }
            _ => diags.push(here.diag(
                "only text-bound entities (T…) and notes (#…) have a place in the gold; remove relations, events, attributes, normalizations and equivalences before importing",
            )),
        }
    }
    for ((target, kind), (_, at)) in &notes {
        if !tids.contains(target) {
            diags.push(at.diag(format!("{kind} note for {target:?}, which is no entity of this file")));
        }
    }
    let mut regions = Vec::new();
    for e in entities {
        let note = notes.get(&(e.tid.clone(), NOTE));
        let meta = notes.get(&(e.tid.clone(), META));
        let kind = match e.label {
            Label::Field(field) => {
                let Some((body, at)) = note else {
                    diags.push(e.at.diag(format!(
                        "the {field} has no value: add a line \"#N\t{NOTE} {}\t<its JSON value>\"",
                        e.tid
                    )));
                    continue;
                };
                let value = match super::parse_value(field, body) {
                    Ok(v) => v,
                    Err(err) => {
                        diags.push(at.diag(err));
                        continue;
                    }
                };
                let meta = match meta.map(|(body, at)| (serde_json::from_str::<MentionMeta>(body), at)) {
                    None => MentionMeta::default(),
                    Some((Ok(m), _)) => m,
                    Some((Err(err), at)) => {
                        diags.push(at.diag(format!("not a {META} object {{\"id\", \"pre\"}}: {err}")));
                        continue;
                    }
                };
                RegionKind::Mention { value, meta }
            }
            Label::Ignore => {
                if let Some((_, at)) = meta {
                    diags.push(at.diag(format!("a {META} note belongs to a mention, not an ignore region")));
                }
                RegionKind::Ignore {
                    reason: note.map(|(body, _)| {
                        serde_json::from_str::<String>(body).unwrap_or_else(|_| body.trim().to_string())
                    }),
                }
            }
        };
        regions.push(Region {
            span: e.span,
            kind,
            at: e.at,
        });
    }
    if !diags.is_empty() {
        diags.sort_by_key(|d| d.line);
        return Err(diags);
    }
    Ok(Draft {
        id: id.to_string(),
        text,
        at: At {
            file: file.to_path_buf(),
            line: 0,
            col: 0,
            context: String::new(),
        },
        regions,
    })
}

/// The label and span of a `T` line (`mid` = `TYPE START END`), checked
/// against the text and the line's reference text.
fn entity(mid: &str, claimed: &str, index: &TextIndex, id: &str) -> Result<(Label, Span), String> {
    let (ty, offsets) = mid
        .split_once(' ')
        .ok_or_else(|| format!("expected \"TYPE START END\", got {mid:?}"))?;
    let label = Label::parse(ty)?;
    if offsets.contains(';') {
        return Err(format!(
            "discontinuous span {offsets:?}: a gold mention is one continuous span; label the fragments as separate entities or the whole stretch as one"
        ));
    }
    let bad = || format!("offsets {offsets:?} are not \"START END\" in code points");
    let (s, e) = offsets.split_once(' ').ok_or_else(bad)?;
    let (start, end) = (s.parse().map_err(|_| bad())?, e.parse().map_err(|_| bad())?);
    let actual = index
        .slice(start, end)
        .filter(|_| start < end)
        .ok_or_else(|| SpanError::OutOfRange {
            start,
            end,
            chars: index.chars(),
        })
        .map_err(|e| e.to_string())?;
    if reference(actual) != claimed {
        return Err(format!(
            "text {claimed:?} does not match {id}.txt at {start}..{end}, which reads {:?} (offsets count code points)",
            reference(actual)
        ));
    }
    Ok((label, Span { start, end }))
}

/// Reads a directory of `<id>.ann` files, each with `<id>.txt` beside it
/// (or, without one, the text `texts` gives).
pub fn read(dir: &Path, texts: Texts) -> Result<Read, InteropError> {
    let problem = |message: String| Diagnostic {
        file: dir.to_path_buf(),
        line: 0,
        col: 0,
        message,
    };
    let entries = std::fs::read_dir(dir).map_err(InteropError::io(dir))?;
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let with_ext = |ext: &str| -> Vec<&PathBuf> {
        files
            .iter()
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
            .collect()
    };
    let stem = |p: &Path| p.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    let anns = with_ext("ann");
    let ann_ids: HashSet<String> = anns.iter().map(|p| stem(p)).collect();
    let mut problems: Vec<Diagnostic> = with_ext("txt")
        .into_iter()
        .filter(|t| !ann_ids.contains(&stem(t)))
        .map(|t| {
            problem(format!(
                "{} has no .ann beside it; create an empty one if the article has no mentions",
                t.display()
            ))
        })
        .collect();
    if anns.is_empty() {
        problems.push(problem("no .ann files in this directory".into()));
    }
    if !problems.is_empty() {
        return Err(InteropError::Problems(dir.to_path_buf(), problems));
    }
    let mut hasher = sha2::Sha256::new();
    let mut docs = Vec::new();
    for path in anns {
        let id = stem(path);
        let bytes = std::fs::read(path).map_err(InteropError::io(path))?;
        hasher.update(id.as_bytes());
        hasher.update([0]);
        hasher.update(&bytes);
        let whole = |message: String| vec![problem(message)];
        let txt = path.with_extension("txt");
        let text = if txt.is_file() {
            let raw = std::fs::read(&txt).map_err(InteropError::io(&txt))?;
            String::from_utf8(raw).map_err(|e| whole(format!("{} is not UTF-8: {e}", txt.display())))
        } else {
            texts(&id).map_err(|why| whole(format!("{} is missing ({why})", txt.display())))
        };
        let doc = text.and_then(|text| match String::from_utf8(bytes) {
            Ok(src) => parse_ann(path, &src, &id, text),
            Err(e) => Err(whole(format!("{} is not UTF-8: {e}", path.display()))),
        });
        docs.push((id, doc));
    }
    Ok(Read {
        docs,
        sha256: crate::digest::hex(&hasher.finalize()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str, text: &str) -> Result<Draft, Vec<String>> {
        parse_ann(Path::new("a.ann"), src, "a", text.to_string())
            .map_err(|d| d.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn offsets_are_code_points_and_line_breaks_become_spaces() {
        // "Ngày" in NFD has 6 code points; the emoji is one.
        let text = "Nga\u{300}y 😀\r\nquý I/2024 tăng 7,1%";
        let d = parse(
            "T1\tdate 9 19\tquý I/2024\n#1\tAnnotatorNotes T1\t2024-Q1\nT2\tignore 6 9\t😀  \n",
            text,
        )
        .unwrap();
        assert_eq!(d.regions[0].span, Span { start: 9, end: 19 });
        assert_eq!(
            d.regions[0].kind,
            RegionKind::Mention {
                value: extractor_api::Value::Date("2024-Q1".into()),
                meta: MentionMeta::default()
            }
        );
        assert_eq!(d.regions[1].kind, RegionKind::Ignore { reason: None });
    }

    #[test]
    fn every_problem_names_its_line() {
        let text = "quý I/2024 tăng 7,1% và 12/7";
        let src = [
            "T1\tdate 0 4;5 10\tquý I/2024",
            "T2\tpercentage 16 20\t7,1%",
            "T3\tperson 0 3\tquý",
            "R1\tSame Arg1:T1 Arg2:T2",
            "T4\tdate 24 28\t12/8",
            "T5\tdate 24 28\t12/7",
            "#1\tAnnotatorNotes T5\t{\"when\": 1}",
            "#2\tNote T5\tx",
            "#3\tAnnotatorNotes T9\tx",
            "T6\tdate 0 99\tx",
        ]
        .join("\n");
        let errs = parse(&src, text).unwrap_err();
        let has = |line: usize, needle: &str| {
            assert!(
                errs.iter()
                    .any(|e| e.starts_with(&format!("a.ann:{line}:1:")) && e.contains(needle)),
                "line {line}: {needle:?} not in {errs:#?}"
            )
        };
        has(1, "discontinuous span");
        has(2, "the percentage has no value");
        has(3, "unknown label \"person\"");
        has(4, "only text-bound entities");
        has(5, "does not match a.txt at 24..28");
        has(7, "wrong shape for a date");
        has(8, "note type \"Note\" is not read");
        has(9, "no entity of this file");
        has(10, "out of range");
    }

    #[test]
    fn values_reasons_and_metas_survive_brat_line_rules() {
        let text = "x\u{2028}y 7%";
        let reason = "line\u{2028}sep\tand \"quotes\"";
        let a = GoldArticle {
            id: "a".into(),
            file: "a.json".into(),
            source: Some("articles/a.txt".into()),
            text: text.into(),
            sha256: String::new(),
            ignore: vec![Span { start: 0, end: 3 }],
            ignore_reasons: vec![Some(reason.into())],
            mentions: vec![crate::mention::GoldMention {
                id: "pct".into(),
                span: Span { start: 4, end: 6 },
                text: "7%".into(),
                value: extractor_api::Value::Percentage(extractor_api::Percentage { value: 7.0 }),
                origin: None,
            }],
        };
        let src = ann(&a);
        assert!(!src.contains('\u{2028}'), "{src}");
        assert_eq!(src.lines().count(), 5, "{src}");
        let d = parse(&src, text).unwrap();
        assert_eq!(
            d.regions[1].kind,
            RegionKind::Ignore {
                reason: Some(reason.into())
            }
        );
        let RegionKind::Mention { meta, .. } = &d.regions[0].kind else {
            panic!()
        };
        assert_eq!(meta.id.as_deref(), Some("pct"));
    }
}
