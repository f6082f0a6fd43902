//! Scores one article: gold mentions and ignore regions against one plugin's
//! predictions, giving raw counts per field and a finding per mention.

use super::counts::{Counts, FieldCounts, Scheme};
use super::matching::{assign, Edge};
use super::value::{judge, keys_equal, span_free_key};
use crate::mention::{GoldMention, MentionView, PredMention, Span};
use extractor_api::Field;
use serde::{Deserialize, Serialize};

/// Scoring options that change numbers; recorded in every report.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchConfig {
    /// Minimum overlap for two spans to be partners, as intersection over
    /// union in [0, 1]. 0 means any shared code point.
    pub min_overlap: f64,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig { min_overlap: 0.0 }
    }
}

/// What happened to one mention under span + value scoring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Exact span, right value.
    Correct,
    /// Right value, span overlaps but differs.
    Boundary,
    /// Spans overlap, value wrong.
    WrongValue,
    /// Gold mention with no partner.
    Missed,
    /// Prediction with no partner.
    Spurious,
}

crate::naming::display_as_serde!(FindingKind);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub field: Field,
    pub kind: FindingKind,
    pub gold: Option<MentionView>,
    pub pred: Option<MentionView>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleScore {
    pub counts: Counts,
    pub findings: Vec<Finding>,
}

fn partners(g: &Span, p: &Span, cfg: &MatchConfig) -> bool {
    let overlap = g.overlap(p);
    overlap > 0 && overlap as f64 >= cfg.min_overlap * g.union_len(p) as f64
}

/// Every (gold index, prediction index, prediction span) pair whose spans
/// are partners, gold-major then by prediction: the candidate edges of both
/// matchings. Both lists are in canonical order (sorted by span start), so
/// one sweep finds them: a prediction can only overlap a gold span if it
/// starts before the gold end and at most `longest` before the gold start.
fn candidates(gold: &[&GoldMention], preds: &[&PredMention], cfg: &MatchConfig) -> Vec<(usize, usize, Span)> {
    let spans: Vec<Span> = preds
        .iter()
        .map(|p| p.span.expect("only spanned predictions are matched"))
        .collect();
    let longest = spans.iter().map(Span::len).max().unwrap_or(0);
    let mut out = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        let lo = spans.partition_point(|s| s.start + longest <= g.span.start);
        for (k, ps) in spans[lo..].iter().enumerate() {
            if ps.start >= g.span.end {
                break;
            }
            if partners(&g.span, ps, cfg) {
                out.push((gi, lo + k, *ps));
            }
        }
    }
    out
}

/// Which gold mentions and predictions an assignment used.
fn used(n_gold: usize, n_pred: usize, pairs: &[(usize, usize)]) -> (Vec<bool>, Vec<bool>) {
    let (mut g, mut p) = (vec![false; n_gold], vec![false; n_pred]);
    for &(gi, pi) in pairs {
        g[gi] = true;
        p[pi] = true;
    }
    (g, p)
}

/// Canonical order, so that results never depend on input order.
fn canonical_gold(gold: &[GoldMention]) -> Vec<&GoldMention> {
    let mut v: Vec<&GoldMention> = gold.iter().collect();
    v.sort_by(|a, b| {
        (a.span, a.field(), &a.id)
            .cmp(&(b.span, b.field(), &b.id))
            .then_with(|| value_order(&a.value, &b.value))
    });
    v
}

fn value_order(a: &extractor_api::Value, b: &extractor_api::Value) -> std::cmp::Ordering {
    serde_json::to_string(a)
        .unwrap_or_default()
        .cmp(&serde_json::to_string(b).unwrap_or_default())
}

fn canonical_preds<'a>(preds: &'a [PredMention], ignore: &[Span]) -> Vec<&'a PredMention> {
    let mut v: Vec<&PredMention> = preds
        .iter()
        .filter(|p| p.span.is_none_or(|s| !ignore.iter().any(|i| i.overlap(&s) > 0)))
        .collect();
    v.sort_by(|a, b| {
        (a.span, a.field(), &a.text)
            .cmp(&(b.span, b.field(), &b.text))
            .then_with(|| value_order(&a.value, &b.value))
    });
    v
}

/// Scores one article: counts and a finding per mention.
pub fn score_article(gold: &[GoldMention], ignore: &[Span], preds: &[PredMention], cfg: &MatchConfig) -> ArticleScore {
    score(gold, ignore, preds, cfg, true)
}

/// Scores one article, counts only: what large streamed corpora keep for
/// all but their first articles. The counts equal `score_article`'s.
pub fn score_counts(gold: &[GoldMention], ignore: &[Span], preds: &[PredMention], cfg: &MatchConfig) -> Counts {
    score(gold, ignore, preds, cfg, false).counts
}

fn score(
    gold: &[GoldMention],
    ignore: &[Span],
    preds: &[PredMention],
    cfg: &MatchConfig,
    details: bool,
) -> ArticleScore {
    let gold = canonical_gold(gold);
    let preds = canonical_preds(preds, ignore);
    let spanned: Vec<&PredMention> = preds.iter().copied().filter(|p| p.span.is_some()).collect();

    let mut counts = Counts::new();
    let all_candidates = candidates(&gold, &spanned, cfg);
    for scheme in Scheme::ALL {
        span_scheme(scheme, &gold, &spanned, &all_candidates, &mut counts);
    }
    let mut findings = Vec::new();
    for field in Field::ALL {
        let g: Vec<&GoldMention> = gold.iter().copied().filter(|m| m.field() == field).collect();
        let p: Vec<&PredMention> = spanned.iter().copied().filter(|m| m.field() == field).collect();
        let c = counts.field_mut(field);
        value_scores(field, &g, &p, cfg, c, details.then_some(&mut findings));
        let all_p: Vec<&PredMention> = preds.iter().copied().filter(|m| m.field() == field).collect();
        c.span_free = span_free(field, &g, &all_p);
    }
    ArticleScore { counts, findings }
}

/// One SemEval scheme over all fields of the article. Pairs are credited to
/// the gold mention's field; SPU to the prediction's field, so per-field
/// counts add up to the article total.
fn span_scheme(
    scheme: Scheme,
    gold: &[&GoldMention],
    preds: &[&PredMention],
    candidates: &[(usize, usize, Span)],
    counts: &mut Counts,
) {
    let edges: Vec<Edge> = candidates
        .iter()
        .map(|&(gi, pi, ps)| {
            let (g, p) = (gold[gi], preds[pi]);
            let same_span = g.span == ps;
            let (credit, cor) = classify(scheme, same_span, g.field() == p.field());
            Edge {
                gold: gi,
                pred: pi,
                tiers: [credit, cor as u64, 1, same_span as u64, 0, g.span.overlap(&ps) as u64],
            }
        })
        .collect();
    let pairs = assign(gold.len(), preds.len(), &edges);
    let (gold_used, pred_used) = used(gold.len(), preds.len(), &pairs);
    for &(gi, pi) in &pairs {
        let (g, p) = (gold[gi], preds[pi]);
        let ps = p.span.expect("spanned");
        let (credit, _) = classify(scheme, g.span == ps, g.field() == p.field());
        let row = counts.field_mut(g.field());
        if scheme == Scheme::Partial {
            row.confusion[field_index(p.field())] += 1;
        }
        let c = row.scheme_mut(scheme);
        match credit {
            2 => c.cor += 1,
            1 => c.par += 1,
            _ => c.inc += 1,
        }
    }
    for (g, used) in gold.iter().zip(&gold_used) {
        if !used {
            counts.field_mut(g.field()).scheme_mut(scheme).mis += 1;
        }
    }
    for (p, used) in preds.iter().zip(&pred_used) {
        if !used {
            counts.field_mut(p.field()).scheme_mut(scheme).spu += 1;
        }
    }
}

/// Position of a field in `Field::ALL` (the confusion row's column).
pub fn field_index(f: Field) -> usize {
    Field::ALL.iter().position(|x| *x == f).expect("every field is in ALL")
}

/// (credit in half points, is COR) of an overlapping pair under `scheme`.
fn classify(scheme: Scheme, same_span: bool, same_field: bool) -> (u64, bool) {
    let cor = match scheme {
        Scheme::Strict => same_span && same_field,
        Scheme::Exact | Scheme::Partial => same_span,
        Scheme::Type => same_field,
    };
    match (cor, scheme) {
        (true, _) => (2, true),
        (false, Scheme::Partial) => (1, false),
        _ => (0, false),
    }
}

/// TempEval-3 value scoring of one field: pair by overlap (most pairs, then
/// most right values, then exact spans), then judge each pair's value.
fn value_scores(
    field: Field,
    gold: &[&GoldMention],
    preds: &[&PredMention],
    cfg: &MatchConfig,
    c: &mut FieldCounts,
    findings: Option<&mut Vec<Finding>>,
) {
    // Judge each candidate once; the chosen pairs look their verdict up.
    let mut verdicts = Vec::new();
    let edges: Vec<Edge> = candidates(gold, preds, cfg)
        .into_iter()
        .map(|(gi, pi, ps)| {
            let (g, p) = (gold[gi], preds[pi]);
            let v = judge(&g.value, &p.value);
            verdicts.push(((gi, pi), v));
            Edge {
                gold: gi,
                pred: pi,
                tiers: [
                    1,
                    v.correct as u64,
                    v.lenient as u64,
                    v.titles as u64,
                    (g.span == ps) as u64,
                    g.span.overlap(&ps) as u64,
                ],
            }
        })
        .collect();
    c.value.gold = gold.len() as u64;
    c.value.pred = preds.len() as u64;
    let pairs = assign(gold.len(), preds.len(), &edges);
    let (gold_used, pred_used) = used(gold.len(), preds.len(), &pairs);
    // Candidates come gold-major, then by prediction: sorted for lookup.
    let verdict = |gi: usize, pi: usize| {
        let k = verdicts
            .binary_search_by_key(&(gi, pi), |e| e.0)
            .expect("pairs are candidates");
        verdicts[k].1
    };
    for &(gi, pi) in &pairs {
        let v = verdict(gi, pi);
        c.value.matched += 1;
        c.value.correct += v.correct as u64;
        c.value.lenient += v.lenient as u64;
        c.value.titles += v.titles as u64;
    }
    let Some(findings) = findings else { return };
    for &(gi, pi) in &pairs {
        let (g, p, v) = (gold[gi], preds[pi], verdict(gi, pi));
        let kind = match (v.correct, Some(g.span) == p.span) {
            (true, true) => FindingKind::Correct,
            (true, false) => FindingKind::Boundary,
            (false, _) => FindingKind::WrongValue,
        };
        findings.push(Finding {
            field,
            kind,
            gold: Some(MentionView::from(g)),
            pred: Some(MentionView::from(p)),
        });
    }
    for (g, _) in gold.iter().zip(&gold_used).filter(|(_, u)| !**u) {
        findings.push(Finding {
            field,
            kind: FindingKind::Missed,
            gold: Some(MentionView::from(*g)),
            pred: None,
        });
    }
    for (p, _) in preds.iter().zip(&pred_used).filter(|(_, u)| !**u) {
        findings.push(Finding {
            field,
            kind: FindingKind::Spurious,
            gold: None,
            pred: Some(MentionView::from(*p)),
        });
    }
}

/// Span-free: the multiset of values predicted vs the multiset in gold.
/// Values are sorted by key and swept once; for equality (and for numbers
/// within a tolerance on a line) this sweep is a maximum matching.
fn span_free(field: Field, gold: &[&GoldMention], preds: &[&PredMention]) -> super::counts::SpanFreeCounts {
    let mut g: Vec<_> = gold.iter().map(|m| span_free_key(&m.value)).collect();
    let mut p: Vec<_> = preds.iter().map(|m| span_free_key(&m.value)).collect();
    for keys in [&mut g, &mut p] {
        // Equal keys are interchangeable in the sweep: no need for stability.
        keys.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    }
    let (mut i, mut j, mut matched) = (0, 0, 0);
    while i < g.len() && j < p.len() {
        if keys_equal(field, &g[i], &p[j]) {
            matched += 1;
            i += 1;
            j += 1;
        } else if (&g[i].0, g[i].1) < (&p[j].0, p[j].1) {
            i += 1;
        } else {
            j += 1;
        }
    }
    super::counts::SpanFreeCounts {
        gold: g.len() as u64,
        pred: p.len() as u64,
        matched,
    }
}
