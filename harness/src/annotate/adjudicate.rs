//! Adjudication: two passes over the same articles merged into one gold
//! set. Whatever the passes agree on (by `agree`, the scorer's own
//! matching) is accepted from the start; every disagreement, over a mention
//! or over ignore regions, becomes a choice for the person: left (pass A),
//! right (pass B) or an edit of either.

use super::doc::{Doc, DocIgnore, DocMention};
use crate::agree::{agree, Agreement};
use crate::gold::{GoldArticle, GoldSet};
use crate::mention::Span;
use crate::score::FindingKind;
use extractor_api::Field;
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

pub struct Adjudication {
    pub a: GoldSet,
    pub b: GoldSet,
    /// Over every article.
    pub agreement: Agreement,
}

/// One decision to make.
#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    /// `boundary`, `wrong_value`, `missed` (A only), `spurious` (B only),
    /// `titles` (same official, other titles) or `ignore`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
    /// What each pass has there.
    pub a: Doc,
    pub b: Doc,
    /// Where, in code points (for scrolling both panes to it).
    pub start: usize,
    pub end: usize,
}

/// What the page needs to adjudicate one article.
#[derive(Serialize)]
pub struct ArticleAdjudication {
    pub a: Doc,
    pub b: Doc,
    /// The agreed labels, to start the merged article from.
    pub agreed: Doc,
    pub choices: Vec<Choice>,
    pub agreement: Agreement,
}

fn one(set: &GoldSet, a: &GoldArticle) -> GoldSet {
    GoldSet {
        dir: set.dir.clone(),
        articles: vec![a.clone()],
        sha256: String::new(),
        warnings: Vec::new(),
    }
}

impl Adjudication {
    pub fn load(a: &Path, b: &Path) -> Result<Adjudication, crate::Error> {
        let (a, b) = (crate::gold::load_dir(a)?, crate::gold::load_dir(b)?);
        let agreement = agree(&a, &b).map_err(|e| crate::Error::BadInput(e.to_string()))?;
        Ok(Adjudication { a, b, agreement })
    }

    pub fn ids(&self) -> Vec<String> {
        self.a.articles.iter().map(|x| x.id.clone()).collect()
    }

    /// Pass A's article `id`.
    pub fn pass_a(&self, id: &str) -> Option<&GoldArticle> {
        self.a.articles.iter().find(|x| x.id == id)
    }

    pub fn article(&self, id: &str) -> Option<ArticleAdjudication> {
        let a = self.pass_a(id)?;
        let b = self.b.articles.iter().find(|x| x.id == id)?;
        let agreement = agree(&one(&self.a, a), &one(&self.b, b)).ok()?;
        let mut choices = Vec::new();
        let mut disputed_a = HashSet::new();
        for d in &agreement.disagreements {
            // A's side is named by id; B's was scored as a prediction,
            // which keeps only its span and value.
            let pick = |side: &GoldArticle, view: &Option<crate::mention::MentionView>| -> Doc {
                let m = view.as_ref().and_then(|v| {
                    side.mentions.iter().find(|m| match &v.id {
                        Some(id) => &m.id == id,
                        None => v.start == Some(m.span.start) && v.end == Some(m.span.end) && m.value == v.value,
                    })
                });
                Doc {
                    ignore: Vec::new(),
                    mentions: m.map(DocMention::from).into_iter().collect(),
                }
            };
            let (da, db) = (pick(a, &d.a), pick(b, &d.b));
            disputed_a.extend(da.mentions.iter().map(|m| m.id.clone()));
            let spans = da.mentions.iter().chain(&db.mentions).map(|m| (m.start, m.end));
            let (start, end) = spans.fold((usize::MAX, 0), |(s, e), (ms, me)| (s.min(ms), e.max(me)));
            let kind = match d.kind {
                FindingKind::Correct => "titles".to_string(),
                k => serde_json::to_value(k)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            };
            choices.push(Choice {
                kind,
                field: Some(d.field),
                a: da,
                b: db,
                start,
                end,
            });
        }
        let (agreed_ignore, ignore_choices) = ignore_choices(a, b);
        choices.extend(ignore_choices);
        choices.sort_by_key(|c| (c.start, c.end));
        Some(ArticleAdjudication {
            a: Doc::of(a),
            b: Doc::of(b),
            agreed: Doc {
                ignore: agreed_ignore,
                mentions: a
                    .mentions
                    .iter()
                    .filter(|m| !disputed_a.contains(&m.id))
                    .map(DocMention::from)
                    .collect(),
            },
            choices,
            agreement,
        })
    }
}

fn regions(x: &GoldArticle) -> Vec<DocIgnore> {
    Doc::of(x).ignore
}

/// Ignore regions both passes have alike, and a choice for each stretch of
/// text where they differ (overlapping regions of either pass together).
fn ignore_choices(a: &GoldArticle, b: &GoldArticle) -> (Vec<DocIgnore>, Vec<Choice>) {
    let (ra, rb) = (regions(a), regions(b));
    let span = |r: &DocIgnore| Span {
        start: r.start,
        end: r.end,
    };
    let same = |r: &DocIgnore, other: &[DocIgnore]| other.iter().any(|o| span(o) == span(r));
    let mut all: Vec<(bool, &DocIgnore)> = ra
        .iter()
        .map(|r| (true, r))
        .chain(rb.iter().map(|r| (false, r)))
        .collect();
    all.sort_by_key(|(_, r)| (r.start, r.end));
    // Stretches of overlapping regions; each is agreed when every region in
    // it has an identical twin on the other side.
    let mut groups: Vec<Vec<(bool, &DocIgnore)>> = Vec::new();
    let mut end = 0;
    for item in all {
        match groups.last_mut() {
            Some(g) if item.1.start < end => g.push(item),
            _ => groups.push(vec![item]),
        }
        end = if groups.last().map_or(0, Vec::len) == 1 {
            item.1.end
        } else {
            end.max(item.1.end)
        };
    }
    let (mut agreed, mut choices) = (Vec::new(), Vec::new());
    for g in groups {
        let agrees = g.iter().all(|(is_a, r)| same(r, if *is_a { &rb } else { &ra }));
        if agrees {
            agreed.extend(g.iter().filter(|(is_a, _)| *is_a).map(|(_, r)| (*r).clone()));
            continue;
        }
        let side = |want: bool| Doc {
            ignore: g
                .iter()
                .filter(|(is_a, _)| *is_a == want)
                .map(|(_, r)| (*r).clone())
                .collect(),
            mentions: Vec::new(),
        };
        choices.push(Choice {
            kind: "ignore".into(),
            field: None,
            start: g.iter().map(|(_, r)| r.start).min().unwrap_or(0),
            end: g.iter().map(|(_, r)| r.end).max().unwrap_or(0),
            a: side(true),
            b: side(false),
        });
    }
    (agreed, choices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(ignore: &[(usize, usize)]) -> GoldArticle {
        let mut a = crate::gold::add::empty(Path::new("x"), "x", "x".repeat(100));
        a.ignore = ignore.iter().map(|&(start, end)| Span { start, end }).collect();
        a.ignore_reasons = vec![None; ignore.len()];
        a
    }

    #[test]
    fn ignore_regions_agree_or_become_one_choice_per_stretch() {
        let a = article(&[(0, 5), (10, 20), (30, 40), (50, 55)]);
        let b = article(&[(0, 5), (10, 18), (18, 20), (60, 65)]);
        let (agreed, choices) = ignore_choices(&a, &b);
        let spans = |d: &[DocIgnore]| d.iter().map(|i| (i.start, i.end)).collect::<Vec<_>>();
        assert_eq!(spans(&agreed), [(0, 5)]);
        let got: Vec<_> = choices
            .iter()
            .map(|c| (c.start, c.end, spans(&c.a.ignore), spans(&c.b.ignore)))
            .collect();
        assert_eq!(
            got,
            [
                (10, 20, vec![(10, 20)], vec![(10, 18), (18, 20)]),
                (30, 40, vec![(30, 40)], vec![]),
                (50, 55, vec![(50, 55)], vec![]),
                (60, 65, vec![], vec![(60, 65)]),
            ]
        );
    }
}
