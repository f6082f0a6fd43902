//! CoNLL-style BIO, one token per line, as in the CoNLL-2003 shared task
//! (<https://www.clips.uantwerpen.be/conll2003/ner/>; Tjong Kim Sang and De
//! Meulder 2003, <https://aclanthology.org/W03-0419/>), with IOB2 tags: every
//! mention starts with `B-`. The layout we write and read:
//!
//! ```text
//! -DOCSTART- 000_ffe74637e9cbe8aa
//!
//! UBND<TAB>O
//! huyện<TAB>O
//! …
//! tác<TAB>O
//! quý<TAB>B-date
//! I/2024<TAB>I-date
//!
//! UBND<TAB>O
//! ```
//!
//! - `-DOCSTART- <id>` begins each article; tokens follow as
//!   `token<TAB>tag`; tags are `O`, `B-<label>` and `I-<label>` with the
//!   labels `date`, `official`, `figure`, `percentage` and `ignore`. A blank
//!   line stands where the text has a line break outside a mention; blank
//!   lines only separate (an `I-` after one is an error). Lines without a
//!   tab are split at whitespace.
//! - Tokens are the text's runs of non-whitespace (Unicode whitespace, so
//!   no-break spaces separate too), split at every mention boundary, so a
//!   mention is whole tokens. Offsets do not travel: the importer re-aligns
//!   the tokens to the article text (`--text-dir`, `<id>.txt`) to recover
//!   code point offsets; a token that does not match the text is an error
//!   at its line.
//! - Values do not travel in plain BIO. `--conll-values` adds a third
//!   column on each `B-` line: the mention's JSON value, or an ignore
//!   region's reason as a JSON string (`quý<TAB>B-date<TAB>"2024-Q1"`);
//!   other lines have `_` there (or nothing). Gold needs values and the
//!   scorer has no span-only mode, so importing gold or scoring predictions
//!   from CoNLL requires that column on every mention's `B-` line; a mention
//!   without it is an error that says so. (Refusing is the honest choice: a
//!   made-up value would make wrong gold, and value-less predictions would
//!   score zero on values for a reason that is not theirs.)
//! - The exporter writes `gold.conll` and the texts as `texts/<id>.txt`,
//!   which is what `--text-dir` wants.
//! - Lossy, and reported by the exporter: spans lose leading and trailing
//!   whitespace (tokens have none; real gold has this only in some ignore
//!   regions), mention ids are renumbered the conventional way, and
//!   pre-annotation origins are dropped. Overlapping mentions cannot be
//!   written (one tag per token): the export refuses them.

use super::{value_json, At, Doc, Draft, InteropError, Label, MentionMeta, Read, Region, RegionKind, Texts};
use crate::diag::Diagnostic;
use crate::gold::{GoldArticle, GoldSet};
use crate::mention::Span;
use std::fmt::Write;
use std::path::Path;

const DOCSTART: &str = "-DOCSTART-";
/// The file the exporter writes in its output directory.
pub const FILE: &str = "gold.conll";

/// A region as the exporter writes it: trimmed to its tokens.
struct Tagged {
    label: Label,
    span: Span,
    /// The third column of its `B-` line.
    note: Option<String>,
    /// For messages: the mention id, or the ignore region's span.
    name: String,
}

/// `span` without leading and trailing whitespace (`None` if nothing is left).
fn trimmed(chars: &[char], span: Span) -> Option<Span> {
    let (mut s, mut e) = (span.start, span.end.min(chars.len()));
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    (s < e).then_some(Span { start: s, end: e })
}

/// The CoNLL lines of one article, and what they could not carry. Refuses
/// overlapping regions.
pub fn article(a: &GoldArticle, values: bool) -> Result<(String, Vec<String>), Diagnostic> {
    let chars: Vec<char> = a.text.chars().collect();
    let mut lost = Vec::new();
    let mut regions: Vec<Tagged> = Vec::new();
    let mut add = |label: Label, span: Span, note: Option<String>, name: String| match trimmed(&chars, span) {
        None => lost.push(format!(
            "{}: {name} ({}..{}) is only whitespace and is left out",
            a.id, span.start, span.end
        )),
        Some(t) => {
            if t != span {
                lost.push(format!(
                    "{}: {name} loses its edge whitespace: {}..{} becomes {}..{}",
                    a.id, span.start, span.end, t.start, t.end
                ));
            }
            regions.push(Tagged {
                label,
                span: t,
                note,
                name,
            });
        }
    };
    for m in &a.mentions {
        let name = format!("mention {:?}", m.id);
        add(Label::Field(m.field()), m.span, Some(value_json(&m.value)), name);
    }
    for (sp, why) in a.ignore.iter().zip(&a.ignore_reasons) {
        let note = why
            .as_ref()
            .map(|r| serde_json::to_string(r).expect("strings serialize"));
        add(
            Label::Ignore,
            *sp,
            note,
            format!("ignore region {}..{}", sp.start, sp.end),
        );
    }
    regions.sort_by_key(|r| r.span.start);
    for w in regions.windows(2) {
        if w[1].span.start < w[0].span.end {
            return Err(Diagnostic {
                file: a.file.clone(),
                line: 0,
                col: 0,
                message: format!(
                    "{} and {} overlap: CoNLL has one tag per token and cannot hold both",
                    w[0].name, w[1].name
                ),
            });
        }
    }
    let metas = super::metas(a);
    let renamed: Vec<&str> = metas.iter().filter_map(|m| m.id.as_deref()).collect();
    if !renamed.is_empty() {
        lost.push(format!(
            "{}: mention id(s) {} are renumbered on import (CoNLL carries no ids)",
            a.id,
            renamed.join(", ")
        ));
    }
    let origins = metas.iter().filter(|m| m.pre.is_some()).count();
    if origins > 0 {
        lost.push(format!("{}: {origins} pre-annotation origin(s) dropped", a.id));
    }
    Ok((lines(a, &chars, &regions, values), lost))
}

fn lines(a: &GoldArticle, chars: &[char], regions: &[Tagged], values: bool) -> String {
    let mut out = format!("{DOCSTART} {}\n\n", a.id);
    let mut boundaries: Vec<usize> = regions.iter().flat_map(|r| [r.span.start, r.span.end]).collect();
    boundaries.sort_unstable();
    let mut next_region = 0;
    let mut inside: Option<&Tagged> = None;
    let mut i = 0;
    let mut line_break = false;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            line_break |= chars[i] == '\n';
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < chars.len() && !chars[end].is_whitespace() && boundaries.binary_search(&end).is_err() {
            end += 1;
        }
        if inside.is_some_and(|r| i >= r.span.end) {
            inside = None;
        }
        let begins = regions.get(next_region).filter(|r| r.span.start == i);
        if line_break && inside.is_none() && out.ends_with('\n') && !out.ends_with("\n\n") {
            out.push('\n');
        }
        line_break = false;
        let token: String = chars[i..end].iter().collect();
        match (begins, inside) {
            (Some(r), _) => {
                next_region += 1;
                inside = Some(r);
                let _ = write!(out, "{token}\tB-{}", r.label.as_str());
                if values {
                    let _ = write!(out, "\t{}", r.note.as_deref().unwrap_or("_"));
                }
            }
            (None, Some(r)) => {
                let _ = write!(out, "{token}\tI-{}", r.label.as_str());
                if values {
                    out.push_str("\t_");
                }
            }
            (None, None) => {
                let _ = write!(out, "{token}\tO");
                if values {
                    out.push_str("\t_");
                }
            }
        }
        out.push('\n');
        i = end;
    }
    out.push('\n');
    out
}

/// Writes `gold.conll` (every article) and `texts/<id>.txt` (what
/// `--text-dir` needs to import it back). Returns what could not travel.
pub fn export(set: &GoldSet, out: &Path, values: bool) -> Result<Vec<String>, InteropError> {
    let mut body = String::new();
    let mut lost = Vec::new();
    let mut refused = Vec::new();
    for a in &set.articles {
        match article(a, values) {
            Ok((lines, l)) => {
                body.push_str(&lines);
                lost.extend(l);
            }
            Err(d) => refused.push(d),
        }
    }
    if !refused.is_empty() {
        return Err(InteropError::Problems(set.dir.clone(), refused));
    }
    if !values {
        lost.push(
            "values and ignore reasons are not written (plain BIO); with --conll-values a third column carries them, which importing gold and scoring need".into(),
        );
    }
    super::write(&out.join(FILE), body.as_bytes())?;
    for a in &set.articles {
        super::write(&out.join(format!("texts/{}.txt", a.id)), a.text.as_bytes())?;
    }
    Ok(lost)
}

/// One token line.
struct Token<'a> {
    line: usize,
    token: &'a str,
    tag: &'a str,
    value: Option<&'a str>,
    /// A blank line came before it (since the previous token).
    after_break: bool,
}

/// One article's lines: its `-DOCSTART-` line number, id and tokens.
struct Section<'a> {
    line: usize,
    id: String,
    tokens: Vec<Token<'a>>,
    problems: Vec<Diagnostic>,
}

fn at(path: &Path, line: usize) -> At {
    At {
        file: path.to_path_buf(),
        line,
        col: 1,
        context: String::new(),
    }
}

/// Reads a CoNLL file; `texts` gives each article's text.
pub fn read(path: &Path, texts: Texts) -> Result<Read, InteropError> {
    let bytes = std::fs::read(path).map_err(InteropError::io(path))?;
    let src = String::from_utf8(bytes)
        .map_err(|e| InteropError::Problems(path.to_path_buf(), vec![at(path, 0).diag(format!("not UTF-8: {e}"))]))?;
    parse(path, &src, texts)
}

/// Reads the content `src` of a CoNLL file `path`.
pub fn parse(path: &Path, src: &str, texts: Texts) -> Result<Read, InteropError> {
    let sha256 = crate::digest::sha256_hex(src.as_bytes());
    let at = |line: usize| at(path, line);
    let mut sections: Vec<Section> = Vec::new();
    let mut stray = Vec::new();
    let mut after_break = false;
    for (i, raw) in src.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let n = i + 1;
        if line.trim().is_empty() {
            after_break = true;
            continue;
        }
        // Token lines have a tab; a text's own "-DOCSTART-" token stays one.
        if let Some(rest) = line.strip_prefix(DOCSTART).filter(|_| !line.contains('\t')) {
            sections.push(Section {
                line: n,
                id: rest.trim().to_string(),
                tokens: Vec::new(),
                problems: Vec::new(),
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            stray.push(at(n).diag(format!(
                "a token before the first \"{DOCSTART} <id>\" line: each article starts with one"
            )));
            continue;
        };
        let cols: Vec<&str> = if line.contains('\t') {
            line.split('\t').collect()
        } else {
            line.split_whitespace().collect()
        };
        match cols.as_slice() {
            [token, tag] | [token, tag, _] if !token.is_empty() => {
                let value = cols.get(2).map(|v| v.trim()).filter(|v| !v.is_empty() && *v != "_");
                section.tokens.push(Token {
                    line: n,
                    token,
                    tag,
                    value,
                    after_break,
                });
            }
            _ => section.problems.push(at(n).diag(format!(
                "expected \"token<TAB>tag\" or \"token<TAB>tag<TAB>value\", got {} column(s)",
                cols.len()
            ))),
        }
        after_break = false;
    }
    if !stray.is_empty() {
        return Err(InteropError::Problems(path.to_path_buf(), stray));
    }
    if sections.is_empty() {
        return Err(InteropError::Problems(
            path.to_path_buf(),
            vec![at(0).diag(format!("no \"{DOCSTART} <id>\" line: nothing to read"))],
        ));
    }
    let docs = sections
        .into_iter()
        .map(|s| {
            let id = s.id.clone();
            (id, section(s, texts, &at))
        })
        .collect();
    Ok(Read { docs, sha256 })
}

/// An open mention while its `I-` tokens come.
struct Open<'a> {
    label: Label,
    span: Span,
    first: &'a Token<'a>,
}

fn section(s: Section, texts: Texts, at: &dyn Fn(usize) -> At) -> Doc {
    let mut diags = s.problems;
    let text = if s.id.is_empty() {
        Err(format!(
            "\"{DOCSTART}\" without an article id: write \"{DOCSTART} <id>\""
        ))
    } else {
        texts(&s.id)
    };
    let text = match text {
        Ok(t) => t,
        Err(why) => {
            diags.push(at(s.line).diag(why));
            return Err(diags);
        }
    };
    let spans = align(&text, &s.tokens, at).map_err(|d| {
        let mut all = diags.clone();
        all.push(d);
        all
    })?;
    let mut regions = Vec::new();
    let mut open: Option<Open> = None;
    let close = |o: Open, regions: &mut Vec<Region>, diags: &mut Vec<Diagnostic>| match region(o, at) {
        Ok(r) => regions.push(r),
        Err(d) => diags.push(d),
    };
    for (t, span) in s.tokens.iter().zip(spans) {
        let tag = parse_tag(t.tag);
        let here = at(t.line);
        match tag {
            Err(e) => diags.push(here.diag(e)),
            Ok(None) => {
                if let Some(o) = open.take() {
                    close(o, &mut regions, &mut diags);
                }
                if t.value.is_some() {
                    diags.push(here.diag("a value on an O line; values go on B- lines"));
                }
            }
            Ok(Some((true, label))) => {
                if let Some(o) = open.take() {
                    close(o, &mut regions, &mut diags);
                }
                open = Some(Open { label, span, first: t });
            }
            Ok(Some((false, label))) => match open.as_mut() {
                Some(o) if o.label == label && !t.after_break => {
                    o.span.end = span.end;
                    if t.value.is_some() {
                        diags.push(here.diag("a value on an I- line; values go on B- lines"));
                    }
                }
                _ => {
                    let l = label.as_str();
                    diags.push(here.diag(format!(
                        "I-{l} does not continue a {l} mention on the line before; begin mentions with B-{l}"
                    )));
                }
            },
        }
    }
    if let Some(o) = open.take() {
        close(o, &mut regions, &mut diags);
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Draft {
        id: s.id,
        text,
        at: at(s.line),
        regions,
    })
}

/// `O` → `None`; `B-x`/`I-x` → (is B, label).
fn parse_tag(tag: &str) -> Result<Option<(bool, Label)>, String> {
    if tag == "O" {
        return Ok(None);
    }
    let (begin, label) = match (tag.strip_prefix("B-"), tag.strip_prefix("I-")) {
        (Some(l), _) => (true, l),
        (_, Some(l)) => (false, l),
        _ => return Err(format!("tag {tag:?} is not BIO (O, B-<label> or I-<label>)")),
    };
    Ok(Some((begin, Label::parse(label)?)))
}

fn region(o: Open, at: &dyn Fn(usize) -> At) -> Result<Region, Diagnostic> {
    let here = at(o.first.line);
    let kind = match o.label {
        Label::Ignore => RegionKind::Ignore {
            reason: o
                .first
                .value
                .map(|v| serde_json::from_str::<String>(v).unwrap_or_else(|_| v.to_string())),
        },
        Label::Field(field) => {
            let Some(v) = o.first.value else {
                return Err(here.diag(format!(
                    "the {field} has no value: give its JSON value in a third column on this B- line. Plain BIO carries none, gold needs one, and the scorer judges span and value together (it has no span-only mode)"
                )));
            };
            RegionKind::Mention {
                value: super::parse_value(field, v).map_err(|e| here.diag(e))?,
                meta: MentionMeta::default(),
            }
        }
    };
    Ok(Region {
        span: o.span,
        kind,
        at: here,
    })
}

/// The code point span of every token in `text`: tokens follow each other
/// with only whitespace between, and only whitespace may follow the last.
fn align(text: &str, tokens: &[Token], at: &dyn Fn(usize) -> At) -> Result<Vec<Span>, Diagnostic> {
    let mut spans = Vec::with_capacity(tokens.len());
    let mut rest = text;
    let mut cp = 0;
    for t in tokens {
        let skipped = rest.len() - rest.trim_start().len();
        cp += rest[..skipped].chars().count();
        rest = &rest[skipped..];
        let Some(after) = rest.strip_prefix(t.token) else {
            let reads: String = rest.chars().take(t.token.chars().count().max(1) + 8).collect();
            return Err(at(t.line).diag(format!(
                "token {:?} does not match the text at code point {cp}, which reads {reads:?}",
                t.token
            )));
        };
        let n = t.token.chars().count();
        spans.push(Span { start: cp, end: cp + n });
        cp += n;
        rest = after;
    }
    if !rest.trim().is_empty() {
        let line = tokens.last().map_or(0, |t| t.line);
        let reads: String = rest.trim_start().chars().take(30).collect();
        return Err(at(line).diag(format!(
            "the text goes on after the last token with {reads:?}: tokens are missing"
        )));
    }
    Ok(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use extractor_api::{Percentage, Value};

    fn gold(text: &str, mentions: Vec<(&str, usize, usize, Value)>, ignore: Vec<(usize, usize)>) -> GoldArticle {
        let chars: Vec<char> = text.chars().collect();
        GoldArticle {
            id: "a".into(),
            file: "a.json".into(),
            source: None,
            text: text.into(),
            sha256: String::new(),
            ignore_reasons: ignore.iter().map(|_| Some("byline".into())).collect(),
            ignore: ignore.into_iter().map(|(start, end)| Span { start, end }).collect(),
            mentions: mentions
                .into_iter()
                .map(|(id, start, end, value)| crate::mention::GoldMention {
                    id: id.into(),
                    span: Span { start, end },
                    text: chars[start..end].iter().collect(),
                    value,
                    origin: None,
                })
                .collect(),
        }
    }

    fn pct(v: f64) -> Value {
        Value::Percentage(Percentage { value: v })
    }

    #[test]
    fn tokens_split_at_mention_boundaries_and_line_breaks_leave_blank_lines() {
        let text = "tăng(7,1%)\u{a0}và\r\n\r\nquý I";
        let a = gold(
            text,
            vec![("p1", 5, 9, pct(7.1)), ("d1", 17, 22, Value::Date("XXXX-Q1".into()))],
            vec![],
        );
        let (lines, lost) = article(&a, true).unwrap();
        assert_eq!(
            lines,
            "-DOCSTART- a\n\ntăng(\tO\t_\n7,1%\tB-percentage\t{\"value\": 7.1}\n)\tO\t_\nvà\tO\t_\n\nquý\tB-date\t\"XXXX-Q1\"\nI\tI-date\t_\n\n"
        );
        assert!(lost.is_empty(), "{lost:?}");
    }

    #[test]
    fn what_cannot_travel_is_said() {
        let text = "Thanh Lê  7%";
        let mut a = gold(text, vec![("x", 10, 12, pct(7.0))], vec![(0, 9)]);
        a.mentions[0].origin = Some(crate::mention::Origin {
            plugin: "grammar".into(),
            version: "1".into(),
            reviewed: false,
        });
        let (_, lost) = article(&a, false).unwrap();
        let all = lost.join("\n");
        assert!(
            all.contains("ignore region 0..9 loses its edge whitespace: 0..9 becomes 0..8"),
            "{all}"
        );
        assert!(all.contains("mention id(s) x are renumbered"), "{all}");
        assert!(all.contains("1 pre-annotation origin(s) dropped"), "{all}");
        let overlapping = gold(text, vec![("p1", 10, 12, pct(7.0)), ("p2", 11, 12, pct(7.0))], vec![]);
        let e = article(&overlapping, false).unwrap_err();
        assert!(e.message.contains("mention \"p1\" and mention \"p2\" overlap"), "{e}");
    }

    fn read_str(src: &str, text: &str) -> Vec<(String, Doc)> {
        let texts = |_: &str| -> Result<String, String> { Ok(text.to_string()) };
        parse(Path::new("x.conll"), src, &texts).unwrap().docs
    }

    #[test]
    fn tokens_are_realigned_to_the_text() {
        // NFD accents, an emoji and a no-break space between tokens.
        let text = "Ngày 😀\u{a0}7,1% tăng -DOCSTART-";
        let text = text.replace('à', "a\u{300}");
        let src = "-DOCSTART- a\nNga\u{300}y O\n😀\tO\n7,1%\tB-percentage\t{\"value\": 7.1}\ntăng\tO\n-DOCSTART-\tO\n";
        let docs = read_str(src, &text);
        assert_eq!(docs.len(), 1, "a -DOCSTART- token is a token");
        let d = docs[0].1.as_ref().unwrap();
        assert_eq!(d.regions[0].span, Span { start: 8, end: 12 });
    }

    #[test]
    fn every_problem_names_its_line() {
        let text = "quý I tăng 7% và 9%";
        let src = [
            "-DOCSTART- a",                         // 1
            "quý\tB-date",                          // 2: no value
            "I\tI-date",                            // 3
            "tăng\tI-date",                         // 4: I- after I- of the same mention is fine
            "",                                     // 5
            "7%\tI-percentage\t{\"value\": 7}",     // 6: I- after a break
            "và\tX-date",                           // 7
            "9%\tB-percentage\t{\"value\": \"x\"}", // 8
        ]
        .join("\n");
        let docs = read_str(&src, text);
        let errs = crate::interop::error_messages(&docs[0].1);
        let has = |line: usize, needle: &str| {
            assert!(
                errs.iter()
                    .any(|e| e.contains(&format!("x.conll:{line}:1:")) && e.contains(needle)),
                "line {line}: {needle:?} not in {errs:#?}"
            )
        };
        has(2, "the date has no value");
        has(6, "I-percentage does not continue");
        has(7, "tag \"X-date\" is not BIO");
        has(8, "wrong shape for a percentage");
        let misaligned = read_str("-DOCSTART- a\nquý\tO\nII\tO\n", text);
        let e = misaligned[0].1.as_ref().unwrap_err()[0].to_string();
        assert!(
            e.contains("x.conll:3:1: token \"II\" does not match the text at code point 4"),
            "{e}"
        );
        let short = read_str("-DOCSTART- a\nquý\tO\n", text);
        let e = short[0].1.as_ref().unwrap_err()[0].to_string();
        assert!(e.contains("x.conll:2:1: the text goes on after the last token"), "{e}");
    }
}
