//! Worked examples with published expected numbers (SemEval-2013 Task 9.1 /
//! MUC scenario table, nervaluate's documented cases, seqeval's example),
//! each a data-driven case through one `check` helper.

use extractor_api::{Field, Figure, Official, Percentage, Value};
use harness::score::{score_article, Counts, GoldMention, MatchConfig, PredMention, Scheme, SchemeCounts, Span};

/// Entity types of the examples mapped onto our fields.
fn value(label: &str) -> Value {
    match label {
        "PER" | "A" | "DRUG" => Value::Date("2024".into()),
        "LOC" | "B" | "BRAND" => Value::Official(Official {
            name: "x".into(),
            titles: vec![],
        }),
        "MISC" | "C" | "GROUP" => Value::Figure(Figure {
            amount: 1.0,
            unit: "x".into(),
        }),
        _ => Value::Percentage(Percentage { value: 1.0 }),
    }
}

fn gold(ms: &[(&str, usize, usize)]) -> Vec<GoldMention> {
    ms.iter()
        .enumerate()
        .map(|(i, (l, s, e))| GoldMention {
            id: format!("g{i}"),
            span: Span { start: *s, end: *e },
            text: String::new(),
            value: value(l),
            origin: None,
        })
        .collect()
}

fn pred(ms: &[(&str, usize, usize)]) -> Vec<PredMention> {
    ms.iter()
        .map(|(l, s, e)| PredMention {
            span: Some(Span { start: *s, end: *e }),
            text: None,
            value: value(l),
        })
        .collect()
}

fn total(c: &Counts, scheme: Scheme) -> SchemeCounts {
    let mut t = SchemeCounts::default();
    for fc in c.values() {
        t += *fc.scheme(scheme);
    }
    t
}

fn sc((cor, inc, par, mis, spu): (u64, u64, u64, u64, u64)) -> SchemeCounts {
    SchemeCounts {
        cor,
        inc,
        par,
        mis,
        spu,
    }
}

type Expect = [(u64, u64, u64, u64, u64); 4];

/// Scores `g` against `p` and compares (COR, INC, PAR, MIS, SPU) for
/// strict, exact, partial, type.
fn check(name: &str, g: &[(&str, usize, usize)], p: &[(&str, usize, usize)], want: Expect) {
    let s = score_article(&gold(g), &[], &pred(p), &MatchConfig::default());
    for (scheme, want) in Scheme::ALL.into_iter().zip(want) {
        assert_eq!(total(&s.counts, scheme), sc(want), "{name}: {scheme:?}");
    }
}

#[test]
fn semeval_scenario_table() {
    // (strict, exact, partial, type)
    check(
        "exact match",
        &[("DRUG", 0, 9)],
        &[("DRUG", 0, 9)],
        [(1, 0, 0, 0, 0); 4],
    );
    check("spurious", &[], &[("BRAND", 0, 7)], [(0, 0, 0, 0, 1); 4]);
    check("missed", &[("BRAND", 0, 8)], &[], [(0, 0, 0, 1, 0); 4]);
    check(
        "same span, wrong type",
        &[("DRUG", 0, 11)],
        &[("BRAND", 0, 11)],
        [(0, 1, 0, 0, 0), (1, 0, 0, 0, 0), (1, 0, 0, 0, 0), (0, 1, 0, 0, 0)],
    );
    check(
        "boundary off, same type",
        &[("DRUG", 3, 11)],
        &[("DRUG", 0, 11)],
        [(0, 1, 0, 0, 0), (0, 1, 0, 0, 0), (0, 0, 1, 0, 0), (1, 0, 0, 0, 0)],
    );
    check(
        "boundary and type wrong",
        &[("GROUP", 5, 19)],
        &[("DRUG", 0, 19)],
        [(0, 1, 0, 0, 0), (0, 1, 0, 0, 0), (0, 0, 1, 0, 0), (0, 1, 0, 0, 0)],
    );
}

#[test]
fn nervaluate_case_1() {
    let g = [
        ("PER", 59, 69),
        ("LOC", 127, 134),
        ("LOC", 164, 174),
        ("LOC", 197, 205),
        ("LOC", 208, 219),
        ("MISC", 230, 240),
    ];
    let p = [
        ("PER", 24, 30),
        ("LOC", 124, 134),
        ("PER", 164, 174),
        ("LOC", 197, 205),
        ("LOC", 208, 219),
        ("LOC", 225, 243),
    ];
    check(
        "case 1",
        &g,
        &p,
        [(2, 3, 0, 1, 1), (3, 2, 0, 1, 1), (3, 0, 2, 1, 1), (3, 2, 0, 1, 1)],
    );
    let s = score_article(&gold(&g), &[], &pred(&p), &MatchConfig::default());
    let f1 = |scheme| total(&s.counts, scheme).prf(scheme).f1.unwrap();
    assert!((f1(Scheme::Strict) - 1.0 / 3.0).abs() < 1e-9);
    assert!((f1(Scheme::Type) - 0.5).abs() < 1e-9);
    assert!((f1(Scheme::Exact) - 0.5).abs() < 1e-9);
    assert!((f1(Scheme::Partial) - 0.6667).abs() < 1e-4);
}

#[test]
fn formulas_from_raw_counts() {
    let c = sc((6, 3, 2, 4, 2));
    assert_eq!((c.pos(), c.act()), (15, 13));
    let exact = c.prf(Scheme::Exact);
    assert!((exact.precision.unwrap() - 0.461538).abs() < 1e-6);
    assert!((exact.recall.unwrap() - 0.4).abs() < 1e-9);
    assert!((exact.f1.unwrap() - 0.428571).abs() < 1e-6);
    let partial = c.prf(Scheme::Partial);
    assert!((partial.precision.unwrap() - 7.0 / 13.0).abs() < 1e-12);
    assert!((partial.recall.unwrap() - 7.0 / 15.0).abs() < 1e-12);
}

/// (precision, recall, F1, support) of one type.
type PerType = (f64, f64, f64, u64);

#[test]
fn seqeval_micro_macro_weighted() {
    // gold [B-A, B-B, O, B-A], prediction [O, B-B, B-C, B-A], one token each.
    let s = score_article(
        &gold(&[("A", 0, 1), ("B", 1, 2), ("A", 3, 4)]),
        &[],
        &pred(&[("B", 1, 2), ("C", 2, 3), ("A", 3, 4)]),
        &MatchConfig::default(),
    );
    let per: Vec<PerType> = [Field::Date, Field::Official, Field::Figure]
        .iter()
        .map(|f| {
            let c = s.counts[f].strict;
            let p = c.prf(Scheme::Strict);
            (p.precision.unwrap(), p.recall.unwrap(), p.f1.unwrap(), c.pos())
        })
        .collect();
    assert_eq!(
        per.iter().map(|x| (x.0, x.1, x.3)).collect::<Vec<_>>(),
        vec![(1.0, 0.5, 2), (1.0, 1.0, 1), (0.0, 0.0, 0)]
    );
    let micro = total(&s.counts, Scheme::Strict).prf(Scheme::Strict);
    assert!((micro.f1.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    let mean = |f: &dyn Fn(&PerType) -> f64| per.iter().map(f).sum::<f64>() / 3.0;
    assert!((mean(&|x| x.0) - 0.6667).abs() < 1e-4);
    assert!((mean(&|x| x.1) - 0.5).abs() < 1e-9);
    assert!(
        (mean(&|x| x.2) - 0.5556).abs() < 1e-4,
        "macro F1 is the mean of per-type F1"
    );
    let support: f64 = per.iter().map(|x| x.3 as f64).sum();
    let weighted = |f: &dyn Fn(&PerType) -> f64| per.iter().map(|x| f(x) * x.3 as f64).sum::<f64>() / support;
    assert!((weighted(&|x| x.0) - 1.0).abs() < 1e-9);
    assert!((weighted(&|x| x.1) - 0.6667).abs() < 1e-4);
    assert!((weighted(&|x| x.2) - 0.7778).abs() < 1e-4);
}

#[test]
fn optimal_matching_fixes_the_greedy_defect() {
    // nervaluate's greedy matching gives strict COR 0, INC 1, MIS 1 here.
    check(
        "greedy anchor",
        &[("PER", 0, 5), ("PER", 3, 4)],
        &[("PER", 3, 4)],
        [(1, 0, 0, 1, 0), (1, 0, 0, 1, 0), (1, 0, 0, 1, 0), (1, 0, 0, 1, 0)],
    );
}

#[test]
fn value_scoring_tempeval_identity_and_headline() {
    let text_gold = vec![
        GoldMention {
            id: "a".into(),
            span: Span { start: 0, end: 10 },
            text: String::new(),
            value: Value::Date("2024-06-04".into()),
            origin: None,
        },
        GoldMention {
            id: "b".into(),
            span: Span { start: 20, end: 30 },
            text: String::new(),
            value: Value::Date("2024-Q1".into()),
            origin: None,
        },
        GoldMention {
            id: "c".into(),
            span: Span { start: 40, end: 50 },
            text: String::new(),
            value: Value::Date("2023".into()),
            origin: None,
        },
    ];
    let preds = vec![
        PredMention {
            span: Some(Span { start: 0, end: 10 }),
            text: None,
            value: Value::Date("2024-06".into()),
        },
        PredMention {
            span: Some(Span { start: 22, end: 30 }),
            text: None,
            value: Value::Date("2024-Q1".into()),
        },
        PredMention {
            span: Some(Span { start: 60, end: 70 }),
            text: None,
            value: Value::Date("2023".into()),
        },
    ];
    let s = score_article(&text_gold, &[], &preds, &MatchConfig::default());
    let v = s.counts[&Field::Date].value;
    assert_eq!((v.gold, v.pred, v.matched, v.correct, v.lenient), (3, 3, 2, 1, 2));
    let acc = v.accuracy().unwrap();
    let relaxed = v.relaxed().f1.unwrap();
    assert!(
        (v.headline().f1.unwrap() - acc * relaxed).abs() < 1e-12,
        "value F1 = accuracy × relaxed F1"
    );
    // Span-free: 2024-Q1 and 2023 are both predicted somewhere.
    assert_eq!(s.counts[&Field::Date].span_free.matched, 2);
}

#[test]
fn predictions_in_ignore_regions_are_neither_rewarded_nor_penalized() {
    let g = gold(&[("PER", 0, 5)]);
    let p = pred(&[("PER", 0, 5), ("PER", 100, 104)]);
    let s = score_article(&g, &[Span { start: 90, end: 120 }], &p, &MatchConfig::default());
    assert_eq!(total(&s.counts, Scheme::Strict), sc((1, 0, 0, 0, 0)));
}

#[test]
fn min_overlap_threshold() {
    let g = gold(&[("PER", 0, 10)]);
    let p = pred(&[("PER", 8, 12)]); // IoU 2/12
    let loose = score_article(&g, &[], &p, &MatchConfig { min_overlap: 0.0 });
    let tight = score_article(&g, &[], &p, &MatchConfig { min_overlap: 0.5 });
    assert_eq!(total(&loose.counts, Scheme::Type), sc((1, 0, 0, 0, 0)));
    assert_eq!(total(&tight.counts, Scheme::Type), sc((0, 0, 0, 1, 1)));
}
