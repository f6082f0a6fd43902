//! The scorer against its plain definition (proptest). The scorer shares
//! work between schemes and fields (one candidate sweep, lone pairs found
//! once, one value matching over all fields, sorted sweeps for span-free
//! values); the reference below does each thing separately and by brute
//! force where it can, and every count must agree.

use extractor_api::{Field, Figure, Official, Percentage, Value};
use harness::score::matching::{assign, Edge};
use harness::score::value::{judge, keys_equal, span_free_key};
use harness::score::{score_article, score_counts, Counts, GoldMention, MatchConfig, PredMention, Scheme, Span};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Values that differ only in the ways the value comparers must see
/// through (case, NFD, tone placement, tolerances) or must not (units,
/// granularity, titles).
fn value(field: u8, k: u8) -> Value {
    let k = k as usize;
    match field % 4 {
        0 => Value::Date(["2024", "2024-03", "2024-03-15", "2024-03-16", "2023"][k % 5].into()),
        1 => {
            let names = [
                "Nguyễn Đức Nhương".to_string(),
                "Nguyễn Đức Nhương".nfd().collect(),
                "NGUYỄN ĐỨC NHƯƠNG".into(),
                "Trịnh Xuân Thúy".into(),
                "Trịnh Xuân Thuý".into(),
            ];
            Value::Official(Official {
                name: names[k % 5].clone(),
                titles: if k.is_multiple_of(2) {
                    vec![]
                } else {
                    vec!["Chủ tịch UBND huyện".into()]
                },
            })
        }
        2 => {
            let (amount, unit) = [
                (1000.0, "tấn"),
                (1000.0 + 1e-7, "Tấn"),
                (1000.0, "đồng"),
                (2000.0, "tấn"),
                (2000.0, "ha"),
            ][k % 5];
            Value::Figure(Figure {
                amount,
                unit: unit.into(),
            })
        }
        _ => Value::Percentage(Percentage {
            value: [1.5, 1.5 + 1e-12, 2.0, 7.25, 1.5][k % 5],
        }),
    }
}

type Raw = (usize, usize, u8, u8);

fn raw() -> impl Strategy<Value = Raw> {
    (0usize..60, 1usize..10, 0u8..4, 0u8..5)
}

fn value_json(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// Gold in canonical order, ids in that order, so the reference (which
/// takes its input order as is) sees what the scorer sees.
fn golds(v: &[Raw]) -> Vec<GoldMention> {
    let mut g: Vec<GoldMention> = v
        .iter()
        .map(|&(s, l, f, k)| GoldMention {
            id: String::new(),
            span: Span { start: s, end: s + l },
            text: String::new(),
            value: value(f, k),
            origin: None,
        })
        .collect();
    g.sort_by_cached_key(|m| (m.span, m.field(), value_json(&m.value)));
    for (i, m) in g.iter_mut().enumerate() {
        m.id = format!("g{i:03}");
    }
    g
}

/// Predictions in canonical order; a start past 55 has no offsets (only
/// span-free scoring sees it).
fn preds(v: &[Raw]) -> Vec<PredMention> {
    let mut p: Vec<PredMention> = v
        .iter()
        .map(|&(s, l, f, k)| PredMention {
            span: (s <= 55).then_some(Span { start: s, end: s + l }),
            text: None,
            value: value(f, k),
        })
        .collect();
    p.sort_by_cached_key(|m| (m.span, m.field(), value_json(&m.value)));
    p
}

/// Every overlapping pair, gold-major then by prediction (min_overlap 0).
fn pairs_overlapping<'a>(g: &[&'a GoldMention], p: &[&'a PredMention]) -> Vec<(usize, usize, Span)> {
    let mut out = Vec::new();
    for (gi, gm) in g.iter().enumerate() {
        for (pi, pm) in p.iter().enumerate() {
            let ps = pm.span.unwrap();
            if gm.span.overlap(&ps) > 0 {
                out.push((gi, pi, ps));
            }
        }
    }
    out
}

/// The largest number of disjoint (gold, prediction) pairs with equal
/// span-free keys, by augmenting paths (Kuhn): exact for any relation.
fn max_equal_pairs(field: Field, g: &[&GoldMention], p: &[&PredMention]) -> u64 {
    let (gk, pk): (Vec<_>, Vec<_>) = (
        g.iter().map(|m| span_free_key(&m.value)).collect(),
        p.iter().map(|m| span_free_key(&m.value)).collect(),
    );
    let adj = |i: usize, j: usize| keys_equal(field, &gk[i], &pk[j]);
    fn augment(
        i: usize,
        seen: &mut [bool],
        owner: &mut [Option<usize>],
        n: usize,
        adj: &dyn Fn(usize, usize) -> bool,
    ) -> bool {
        for j in 0..n {
            if adj(i, j) && !seen[j] {
                seen[j] = true;
                if owner[j].is_none_or(|o| augment(o, seen, owner, n, adj)) {
                    owner[j] = Some(i);
                    return true;
                }
            }
        }
        false
    }
    let mut owner = vec![None; pk.len()];
    (0..gk.len())
        .filter(|&i| augment(i, &mut vec![false; pk.len()], &mut owner, pk.len(), &adj))
        .count() as u64
}

fn reference_counts(gold: &[GoldMention], preds: &[PredMention]) -> Counts {
    let mut counts = Counts::new();
    let g: Vec<&GoldMention> = gold.iter().collect();
    let spanned: Vec<&PredMention> = preds.iter().filter(|m| m.span.is_some()).collect();
    let candidates = pairs_overlapping(&g, &spanned);
    for scheme in Scheme::ALL {
        let edges: Vec<Edge> = candidates
            .iter()
            .map(|&(gi, pi, ps)| {
                let (same_span, same_field) = (g[gi].span == ps, g[gi].field() == spanned[pi].field());
                let cor = match scheme {
                    Scheme::Strict => same_span && same_field,
                    Scheme::Exact | Scheme::Partial => same_span,
                    Scheme::Type => same_field,
                };
                let credit = if cor { 2 } else { u64::from(scheme == Scheme::Partial) };
                Edge {
                    gold: gi,
                    pred: pi,
                    tiers: [
                        credit,
                        cor as u64,
                        1,
                        same_span as u64,
                        0,
                        g[gi].span.overlap(&ps) as u64,
                    ],
                }
            })
            .collect();
        let pairs = assign(g.len(), spanned.len(), &edges);
        for &(gi, pi) in &pairs {
            let e = edges.iter().find(|e| (e.gold, e.pred) == (gi, pi)).unwrap();
            let row = counts.field_mut(g[gi].field());
            if scheme == Scheme::Partial {
                row.confusion[spanned[pi].field() as usize] += 1;
            }
            let c = row.scheme_mut(scheme);
            match e.tiers[0] {
                2 => c.cor += 1,
                1 => c.par += 1,
                _ => c.inc += 1,
            }
        }
        for (gi, m) in g.iter().enumerate() {
            if !pairs.iter().any(|p| p.0 == gi) {
                counts.field_mut(m.field()).scheme_mut(scheme).mis += 1;
            }
        }
        for (pi, m) in spanned.iter().enumerate() {
            if !pairs.iter().any(|p| p.1 == pi) {
                counts.field_mut(m.field()).scheme_mut(scheme).spu += 1;
            }
        }
    }
    for field in Field::ALL {
        let gf: Vec<&GoldMention> = g.iter().copied().filter(|m| m.field() == field).collect();
        let pf: Vec<&PredMention> = spanned.iter().copied().filter(|m| m.field() == field).collect();
        let edges: Vec<Edge> = pairs_overlapping(&gf, &pf)
            .into_iter()
            .map(|(gi, pi, ps)| {
                let v = judge(&gf[gi].value, &pf[pi].value);
                let tiers = [
                    1,
                    v.correct as u64,
                    v.lenient as u64,
                    v.titles as u64,
                    (gf[gi].span == ps) as u64,
                    gf[gi].span.overlap(&ps) as u64,
                ];
                Edge {
                    gold: gi,
                    pred: pi,
                    tiers,
                }
            })
            .collect();
        let c = counts.field_mut(field);
        c.value.gold = gf.len() as u64;
        c.value.pred = pf.len() as u64;
        for (gi, pi) in assign(gf.len(), pf.len(), &edges) {
            let v = judge(&gf[gi].value, &pf[pi].value);
            c.value.matched += 1;
            c.value.correct += v.correct as u64;
            c.value.lenient += v.lenient as u64;
            c.value.titles += v.titles as u64;
        }
        let all: Vec<&PredMention> = preds.iter().filter(|m| m.field() == field).collect();
        c.span_free.gold = gf.len() as u64;
        c.span_free.pred = all.len() as u64;
        c.span_free.matched = max_equal_pairs(field, &gf, &all);
    }
    counts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn every_count_equals_the_plain_definition(g in prop::collection::vec(raw(), 0..14), p in prop::collection::vec(raw(), 0..14)) {
        let (gold, pred) = (golds(&g), preds(&p));
        let want = reference_counts(&gold, &pred);
        let detailed = score_article(&gold, &[], &pred, &MatchConfig::default());
        prop_assert_eq!(&detailed.counts, &want);
        prop_assert_eq!(&score_counts(&gold, &[], &pred, &MatchConfig::default()), &want);
    }
}
