//! Invariants of the scorer, checked on random inputs (proptest).

use extractor_api::{Field, Figure, Official, Percentage, Value};
use harness::report::build::summarize;
use harness::score::{
    score_article, uncertainty, FieldCounts, GoldMention, MatchConfig, PredMention, ResamplingConfig, Scheme, Span,
    SpanFreeCounts, ValueCounts,
};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

const NAMES: [&str; 4] = ["Nguyễn Đức Nhương", "Trịnh Xuân Thúy", "Ngô Minh Quế", "Võ Văn Đồng"];

fn value(field: u8, k: u8) -> Value {
    match field % 4 {
        0 => Value::Date(format!("20{:02}", 10 + k % 5)),
        1 => Value::Official(Official {
            name: NAMES[k as usize % 4].into(),
            titles: vec![],
        }),
        2 => Value::Figure(Figure {
            amount: k as f64 * 1000.0,
            unit: "tấn".into(),
        }),
        _ => Value::Percentage(Percentage { value: k as f64 / 2.0 }),
    }
}

fn mention() -> impl Strategy<Value = (usize, usize, u8, u8)> {
    (0usize..200, 1usize..12, 0u8..4, 0u8..3)
}

fn golds(v: &[(usize, usize, u8, u8)]) -> Vec<GoldMention> {
    v.iter()
        .enumerate()
        .map(|(i, (s, l, f, k))| GoldMention {
            id: format!("g{i}"),
            span: Span { start: *s, end: s + l },
            text: String::new(),
            value: value(*f, *k),
            origin: None,
        })
        .collect()
}

fn preds(v: &[(usize, usize, u8, u8)]) -> Vec<PredMention> {
    v.iter()
        .map(|(s, l, f, k)| PredMention {
            span: Some(Span { start: *s, end: s + l }),
            text: None,
            value: value(*f, *k),
        })
        .collect()
}

fn as_preds(g: &[GoldMention]) -> Vec<PredMention> {
    g.iter()
        .map(|m| PredMention {
            span: Some(m.span),
            text: None,
            value: m.value.clone(),
        })
        .collect()
}

fn total(c: &harness::score::Counts) -> FieldCounts {
    let mut t = FieldCounts::default();
    for v in c.values() {
        t += *v;
    }
    t
}

/// Greedy strict matching in input order (what today's tools do).
fn greedy_strict_cor(g: &[GoldMention], p: &[PredMention]) -> u64 {
    let mut used = vec![false; p.len()];
    let mut cor = 0;
    for gm in g {
        if let Some(i) = (0..p.len()).find(|&i| !used[i] && p[i].span.unwrap().overlap(&gm.span) > 0) {
            used[i] = true;
            cor += (p[i].span == Some(gm.span) && p[i].field() == gm.field()) as u64;
        }
    }
    cor
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn ratios_lie_in_the_unit_interval(g in prop::collection::vec(mention(), 0..12), p in prop::collection::vec(mention(), 0..12)) {
        let s = score_article(&golds(&g), &[], &preds(&p), &MatchConfig::default());
        let t = total(&s.counts);
        let mut all = vec![t.value.headline(), t.value.relaxed(), t.value.lenient_prf(), t.span_free.prf()];
        all.extend(Scheme::ALL.iter().map(|sc| t.scheme(*sc).prf(*sc)));
        for prf in all {
            for x in [prf.precision, prf.recall, prf.f1].into_iter().flatten() {
                prop_assert!((0.0..=1.0).contains(&x), "{x}");
            }
        }
    }

    #[test]
    fn gold_against_itself_is_perfect(g in prop::collection::vec(mention(), 1..12)) {
        let gold = golds(&g);
        let s = score_article(&gold, &[], &as_preds(&gold), &MatchConfig::default());
        let t = total(&s.counts);
        for sc in Scheme::ALL {
            prop_assert_eq!(t.scheme(sc).prf(sc).f1, Some(1.0));
        }
        prop_assert_eq!(t.value.headline().f1, Some(1.0));
        prop_assert_eq!(t.span_free.prf().f1, Some(1.0));
    }

    #[test]
    fn order_of_mentions_does_not_matter(g in prop::collection::vec(mention(), 0..10), p in prop::collection::vec(mention(), 0..10), seed in any::<u64>()) {
        let (gold, pred) = (golds(&g), preds(&p));
        let a = score_article(&gold, &[], &pred, &MatchConfig::default());
        let mut rng = splitmix::Rng::new(seed);
        let (mut gs, mut ps) = (gold.clone(), pred.clone());
        for i in (1..gs.len()).rev() { gs.swap(i, rng.below(i + 1)); }
        for i in (1..ps.len()).rev() { ps.swap(i, rng.below(i + 1)); }
        let b = score_article(&gs, &[], &ps, &MatchConfig::default());
        prop_assert_eq!(a.counts, b.counts);
    }

    #[test]
    fn a_spurious_prediction_never_raises_precision(g in prop::collection::vec(mention(), 0..10), p in prop::collection::vec(mention(), 0..10), f in 0u8..4) {
        let gold = golds(&g);
        let mut pred = preds(&p);
        let before = total(&score_article(&gold, &[], &pred, &MatchConfig::default()).counts);
        pred.push(PredMention { span: Some(Span { start: 500, end: 505 }), text: None, value: value(f, 0) });
        let after = total(&score_article(&gold, &[], &pred, &MatchConfig::default()).counts);
        for sc in Scheme::ALL {
            prop_assert!(after.scheme(sc).prf(sc).precision.unwrap_or(0.0) <= before.scheme(sc).prf(sc).precision.unwrap_or(0.0) + 1e-12);
        }
        prop_assert!(after.value.headline().precision.unwrap_or(0.0) <= before.value.headline().precision.unwrap_or(0.0) + 1e-12);
    }

    #[test]
    fn optimal_matching_never_scores_below_greedy(g in prop::collection::vec(mention(), 0..10), p in prop::collection::vec(mention(), 0..10)) {
        let (gold, pred) = (golds(&g), preds(&p));
        let t = total(&score_article(&gold, &[], &pred, &MatchConfig::default()).counts);
        prop_assert!(t.strict.cor >= greedy_strict_cor(&gold, &pred));
    }

    #[test]
    fn nfc_and_nfd_names_score_the_same(k in 0u8..4, start in 0usize..50) {
        let nfc = NAMES[k as usize].to_string();
        let nfd: String = nfc.nfd().collect();
        let span = Span { start, end: start + nfc.chars().count() };
        let gold = vec![GoldMention { id: "g".into(), span, text: nfc.clone(), value: Value::Official(Official { name: nfc.clone(), titles: vec!["Chủ tịch UBND huyện".into()] }), origin: None }];
        let pred = |name: &str| vec![PredMention { span: Some(span), text: None, value: Value::Official(Official { name: name.into(), titles: vec!["chủ tịch ubnd huyện".nfd().collect()] }) }];
        let a = score_article(&gold, &[], &pred(&nfc), &MatchConfig::default());
        let b = score_article(&gold, &[], &pred(&nfd), &MatchConfig::default());
        prop_assert_eq!(&a.counts, &b.counts);
        prop_assert_eq!(a.counts[&Field::Official].value.correct, 1);
        prop_assert_eq!(a.counts[&Field::Official].value.titles, 1);
    }

    #[test]
    fn micro_counts_are_sums_and_intervals_contain_the_estimate(
        arts in prop::collection::vec((prop::collection::vec(mention(), 1..8), prop::collection::vec(mention(), 0..8)), 1..6),
        seed in any::<u64>(),
    ) {
        let per: Vec<FieldCounts> = arts.iter().map(|(g, p)| total(&score_article(&golds(g), &[], &preds(p), &MatchConfig::default()).counts)).collect();
        let cfg = ResamplingConfig { seed, resamples: 200, trials: 0 };
        let s = summarize(&per);
        let mut sum = FieldCounts::default();
        for c in &per { sum += *c; }
        prop_assert_eq!(s.counts, sum);
        let f1 = s.headline.f1.unwrap();
        let values: Vec<ValueCounts> = per.iter().map(|c| c.value).collect();
        let ci = uncertainty::bootstrap(&values, ValueCounts::headline_f1, &cfg).unwrap();
        prop_assert!(ci.low <= f1 + 1e-9 && f1 <= ci.high + 1e-9, "{f1} outside [{}, {}]", ci.low, ci.high);
        // One pass for several statistics gives each one's own bootstrap
        // exactly (the report's intervals rely on it).
        let spans: Vec<SpanFreeCounts> = per.iter().map(|c| c.span_free).collect();
        let both: Vec<(ValueCounts, SpanFreeCounts)> = values.iter().copied().zip(spans.iter().copied()).collect();
        #[derive(Clone, Copy, Default)]
        struct Pair(ValueCounts, SpanFreeCounts);
        impl std::ops::AddAssign for Pair {
            fn add_assign(&mut self, o: Pair) { self.0 += o.0; self.1 += o.1; }
        }
        let pairs: Vec<Pair> = both.iter().map(|(v, s)| Pair(*v, *s)).collect();
        let many = uncertainty::bootstrap_many(&pairs, &[&|p: &Pair| p.0.headline_f1(), &|p: &Pair| p.1.prf().f1], &cfg);
        prop_assert_eq!(many[0], Some(ci));
        prop_assert_eq!(many[1], uncertainty::bootstrap(&spans, |s: &SpanFreeCounts| s.prf().f1, &cfg));
    }

    /// The bootstrap counts how often each article is drawn and sums rows in
    /// order; this is the textbook loop it replaced (draw, add, repeat),
    /// whose numbers the committed baselines hold. They must agree exactly.
    #[test]
    fn bootstrap_equals_the_textbook_resampling_loop(
        rows in prop::collection::vec((0u64..50, 0u64..50, 0u64..50), 1..40),
        seed in any::<u64>(),
    ) {
        let values: Vec<ValueCounts> = rows
            .iter()
            .map(|&(gold, pred, c)| ValueCounts { gold, pred, correct: c.min(gold).min(pred), ..ValueCounts::default() })
            .collect();
        let cfg = ResamplingConfig { seed, resamples: 300, trials: 0 };
        let n = values.len();
        let mut samples: Vec<f64> = (0..cfg.resamples)
            .filter_map(|r| {
                let mut rng = splitmix::Rng::at(seed, r as u64 * n as u64);
                let mut sum = ValueCounts::default();
                for _ in 0..n {
                    sum += values[rng.below(n)];
                }
                sum.headline_f1()
            })
            .collect();
        samples.sort_by(f64::total_cmp);
        let q = |q: f64| {
            let pos = q * (samples.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            samples[lo] + (samples[hi] - samples[lo]) * (pos - lo as f64)
        };
        let ci = uncertainty::bootstrap(&values, ValueCounts::headline_f1, &cfg);
        if samples.is_empty() {
            prop_assert_eq!(ci, None);
        } else {
            let ci = ci.unwrap();
            prop_assert_eq!((ci.low, ci.high), (q(0.025), q(0.975)));
        }
    }
}
