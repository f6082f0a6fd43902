//! Scores one article: gold mentions and ignore regions against one plugin's
//! predictions, giving raw counts per field and a finding per mention.

use super::counts::{Counts, Scheme};
use super::matching::{assign, Edge};
use super::value::{judge, numbers_equal, span_free_key, KeyText};
use crate::mention::{GoldMention, MentionView, PredMention, Span};
use extractor_api::Field;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

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
    // Most gold mentions have one partner or none.
    let mut out = Vec::with_capacity(gold.len());
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
    let mut v = Vec::with_capacity(preds.len());
    v.extend(
        preds
            .iter()
            .filter(|p| p.span.is_none_or(|s| !ignore.iter().any(|i| i.overlap(&s) > 0))),
    );
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
    let mut spanned = Vec::with_capacity(preds.len());
    spanned.extend(preds.iter().copied().filter(|p| p.span.is_some()));
    // One candidate sweep serves every scheme and the value matching: which
    // spans are partners does not depend on fields or values.
    let candidates = candidates(&gold, &spanned, cfg);
    let sides = Sides::new(&gold, &spanned);

    let mut counts = Counts::new();
    span_schemes(&sides, &candidates, &mut counts);
    let mut findings = Vec::new();
    value_scores(&sides, &candidates, &mut counts, details.then_some(&mut findings));
    span_free(&gold, &preds, &mut counts);
    ArticleScore { counts, findings }
}

/// The gold mentions and spanned predictions being matched, in canonical
/// order, with how many of each field there are.
struct Sides<'a> {
    gold: &'a [&'a GoldMention],
    preds: &'a [&'a PredMention],
    gold_per_field: [u64; 4],
    preds_per_field: [u64; 4],
}

impl<'a> Sides<'a> {
    fn new(gold: &'a [&'a GoldMention], preds: &'a [&'a PredMention]) -> Self {
        let (mut gold_per_field, mut preds_per_field) = ([0; 4], [0; 4]);
        gold.iter().for_each(|m| gold_per_field[field_index(m.field())] += 1);
        preds.iter().for_each(|m| preds_per_field[field_index(m.field())] += 1);
        Sides {
            gold,
            preds,
            gold_per_field,
            preds_per_field,
        }
    }
}

/// The four SemEval schemes over all fields of the article. Pairs are
/// credited to the gold mention's field; SPU to the prediction's field, so
/// per-field counts add up to the article total.
///
/// A candidate whose gold mention and prediction have no other candidate
/// is chosen by every scheme (`matching::assign` always takes such lone
/// pairs), so lone pairs are found once and only the rest — rare tangles of
/// overlapping mentions — is matched per scheme.
fn span_schemes(sides: &Sides, candidates: &[(usize, usize, Span)], counts: &mut Counts) {
    let (gold, preds) = (sides.gold, sides.preds);
    let (mut gold_degree, mut pred_degree) = (vec![0u32; gold.len()], vec![0u32; preds.len()]);
    for &(gi, pi, _) in candidates {
        gold_degree[gi] += 1;
        pred_degree[pi] += 1;
    }
    let (mut lone, mut tangled) = (Vec::with_capacity(candidates.len()), Vec::new());
    for c @ &(gi, pi, _) in candidates {
        if gold_degree[gi] == 1 && pred_degree[pi] == 1 {
            lone.push(c);
        } else {
            tangled.push(c);
        }
    }
    for scheme in Scheme::ALL {
        let edges: Vec<Edge> = tangled
            .iter()
            .map(|&&(gi, pi, ps)| {
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
        let chosen = if edges.is_empty() {
            Vec::new()
        } else {
            assign(gold.len(), preds.len(), &edges)
        };
        let (mut gold_paired, mut preds_paired) = ([0u64; 4], [0u64; 4]);
        for (gi, pi) in lone.iter().map(|&&(gi, pi, _)| (gi, pi)).chain(chosen) {
            let (g, p) = (gold[gi], preds[pi]);
            let (gf, pf) = (field_index(g.field()), field_index(p.field()));
            gold_paired[gf] += 1;
            preds_paired[pf] += 1;
            let (credit, _) = classify(scheme, Some(g.span) == p.span, gf == pf);
            let row = counts.field_mut(g.field());
            if scheme == Scheme::Partial {
                row.confusion[pf] += 1;
            }
            let c = row.scheme_mut(scheme);
            match credit {
                2 => c.cor += 1,
                1 => c.par += 1,
                _ => c.inc += 1,
            }
        }
        for (k, field) in Field::ALL.into_iter().enumerate() {
            let c = counts.field_mut(field).scheme_mut(scheme);
            c.mis += sides.gold_per_field[k] - gold_paired[k];
            c.spu += sides.preds_per_field[k] - preds_paired[k];
        }
    }
}

/// Position of a field in `Field::ALL` (the confusion row's column): its
/// declaration order, which `counts` checks.
pub fn field_index(f: Field) -> usize {
    f as usize
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

/// TempEval-3 value scoring, every field at once: pair same-field
/// candidates by overlap (most pairs, then most right values, then exact
/// spans), then judge each pair's value. Pairs never cross fields, so one
/// matching over all fields chooses what one matching per field would.
fn value_scores(
    sides: &Sides,
    candidates: &[(usize, usize, Span)],
    counts: &mut Counts,
    findings: Option<&mut Vec<Finding>>,
) {
    let (gold, preds) = (sides.gold, sides.preds);
    // Judge each candidate once; the chosen pairs look their verdict up.
    let mut verdicts = Vec::with_capacity(candidates.len());
    let mut edges = Vec::with_capacity(candidates.len());
    edges.extend(
        candidates
            .iter()
            .filter(|&&(gi, pi, _)| gold[gi].field() == preds[pi].field())
            .map(|&(gi, pi, ps)| {
                let (g, p) = (gold[gi], preds[pi]);
                let v = judge(&g.value, &p.value);
                verdicts.push(v);
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
            }),
    );
    for (k, field) in Field::ALL.into_iter().enumerate() {
        let c = &mut counts.field_mut(field).value;
        c.gold = sides.gold_per_field[k];
        c.pred = sides.preds_per_field[k];
    }
    let pairs = assign(gold.len(), preds.len(), &edges);
    // Candidates come gold-major, then by prediction: sorted for lookup.
    let verdict = |gi: usize, pi: usize| {
        let k = edges
            .binary_search_by_key(&(gi, pi), |e| (e.gold, e.pred))
            .expect("pairs are candidates");
        verdicts[k]
    };
    for &(gi, pi) in &pairs {
        let v = verdict(gi, pi);
        let c = &mut counts.field_mut(gold[gi].field()).value;
        c.matched += 1;
        c.correct += v.correct as u64;
        c.lenient += v.lenient as u64;
        c.titles += v.titles as u64;
    }
    let Some(findings) = findings else { return };
    let (gold_used, pred_used) = used(gold.len(), preds.len(), &pairs);
    // Field by field: pairs, then misses, then spurious predictions.
    for field in Field::ALL {
        for &(gi, pi) in pairs.iter().filter(|&&(gi, _)| gold[gi].field() == field) {
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
        for (g, _) in gold.iter().zip(&gold_used).filter(|(g, u)| !**u && g.field() == field) {
            findings.push(Finding {
                field,
                kind: FindingKind::Missed,
                gold: Some(MentionView::from(*g)),
                pred: None,
            });
        }
        for (p, _) in preds.iter().zip(&pred_used).filter(|(p, u)| !**u && p.field() == field) {
            findings.push(Finding {
                field,
                kind: FindingKind::Spurious,
                gold: None,
                pred: Some(MentionView::from(*p)),
            });
        }
    }
}

/// Span-free: the multiset of values predicted vs the multiset in gold,
/// field by field. Each side's keys are sorted once and the two swept
/// together; for equality (and for numbers within a tolerance on a line)
/// this sweep is a maximum matching.
fn span_free(gold: &[&GoldMention], preds: &[&PredMention], counts: &mut Counts) {
    span_free_hashed(gold, preds, counts, fx_hash)
}

fn fx_hash(text: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    text.hash(&mut h);
    h.finish()
}

/// [`span_free`] with the key texts' hash as a parameter, so that a test
/// can make every hash collide.
fn span_free_hashed(gold: &[&GoldMention], preds: &[&PredMention], counts: &mut Counts, hash: fn(&str) -> u64) {
    let mut g: Vec<FreeKey> = gold.iter().map(|m| FreeKey::new(&m.value, hash)).collect();
    let mut p: Vec<FreeKey> = preds.iter().map(|m| FreeKey::new(&m.value, hash)).collect();
    // Ordered by hash, equal texts sit together and most comparisons stop at
    // two integers. Should two texts share a hash, the sweep meets them and
    // gives up, and both sides are sorted by text too.
    // Equal keys are interchangeable in the sweep: no need for stability.
    g.sort_unstable_by(|a, b| a.by_hash(b));
    p.sort_unstable_by(|a, b| a.by_hash(b));
    let matched = sweep(&g, &p, false).unwrap_or_else(|| {
        g.sort_unstable_by(|a, b| a.by_text(b));
        p.sort_unstable_by(|a, b| a.by_text(b));
        sweep(&g, &p, true).expect("sorted by text, no two texts are confused")
    });
    for (k, field) in Field::ALL.into_iter().enumerate() {
        counts.field_mut(field).span_free = super::counts::SpanFreeCounts {
            gold: g.iter().filter(|x| x.field == k).count() as u64,
            pred: p.iter().filter(|x| x.field == k).count() as u64,
            matched: matched[k],
        };
    }
}

/// Matched keys per field, sweeping two lists sorted by hash alone or,
/// with `by_text`, by text too; `None` when, sorted by hash alone, it meets
/// two different texts with one hash.
fn sweep(g: &[FreeKey], p: &[FreeKey], by_text: bool) -> Option<[u64; 4]> {
    let mut matched = [0u64; 4];
    let (mut i, mut j) = (0, 0);
    while i < g.len() && j < p.len() {
        let (a, b) = (&g[i], &p[j]);
        if a.field == b.field && a.hash == b.hash {
            let same_text = a.key.0 == b.key.0;
            if !same_text && !by_text {
                return None;
            }
            if same_text && numbers_equal(Field::ALL[a.field], a.key.1, b.key.1) {
                matched[a.field] += 1;
                i += 1;
                j += 1;
                continue;
            }
        }
        // Not the same value: pass the one that comes first.
        let order = if by_text { a.by_text(b) } else { a.by_hash(b) };
        if order == Ordering::Less {
            i += 1;
        } else {
            j += 1;
        }
    }
    Some(matched)
}

/// A value's span-free key with its field and a hash of the key's text.
struct FreeKey<'a> {
    field: usize,
    hash: u64,
    key: (KeyText<'a>, f64),
}

impl<'a> FreeKey<'a> {
    fn new(value: &'a extractor_api::Value, hash: fn(&str) -> u64) -> Self {
        let key = span_free_key(value);
        FreeKey {
            field: field_index(value.field()),
            hash: hash(&key.0),
            key,
        }
    }

    /// By field, hash and number: equal texts together, but two texts
    /// with one hash may interleave.
    fn by_hash(&self, other: &Self) -> Ordering {
        (self.field, self.hash)
            .cmp(&(other.field, other.hash))
            .then(self.key.1.total_cmp(&other.key.1))
    }

    /// By field, hash, text and number: a total order on keys.
    fn by_text(&self, other: &Self) -> Ordering {
        (self.field, self.hash)
            .cmp(&(other.field, other.hash))
            .then_with(|| self.key.0.cmp(&other.key.0))
            .then(self.key.1.total_cmp(&other.key.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use extractor_api::{Figure, Official, Value};

    /// With every hash colliding, the span-free counts fall back to the
    /// text order and stay what they are with real hashes.
    #[test]
    fn colliding_hashes_do_not_change_span_free_counts() {
        let official = |name: &str| {
            Value::Official(Official {
                name: name.into(),
                titles: vec![],
            })
        };
        let figure = |amount: f64, unit: &str| {
            Value::Figure(Figure {
                amount,
                unit: unit.into(),
            })
        };
        let gold_values = [
            official("Lê Văn A"),
            official("Trần B"),
            official("Lê Văn A"),
            figure(5.0, "tấn"),
            figure(7.0, "ha"),
        ];
        let pred_values = [
            official("Trần B"),
            official("LÊ VĂN A"),
            official("Phạm C"),
            figure(7.0, "ha"),
            figure(5.0, "ha"),
        ];
        let gold: Vec<GoldMention> = gold_values
            .into_iter()
            .enumerate()
            .map(|(i, value)| GoldMention {
                id: format!("g{i}"),
                span: Span { start: i, end: i + 1 },
                text: String::new(),
                value,
                origin: None,
            })
            .collect();
        let preds: Vec<PredMention> = pred_values
            .into_iter()
            .map(|value| PredMention {
                span: None,
                text: None,
                value,
            })
            .collect();
        let (g, p): (Vec<&GoldMention>, Vec<&PredMention>) = (gold.iter().collect(), preds.iter().collect());
        let (mut real, mut colliding) = (Counts::new(), Counts::new());
        span_free_hashed(&g, &p, &mut real, fx_hash);
        span_free_hashed(&g, &p, &mut colliding, |_| 0);
        assert_eq!(real[&Field::Official].span_free.matched, 2);
        assert_eq!(real[&Field::Figure].span_free.matched, 1);
        assert_eq!(real, colliding);
    }
}
