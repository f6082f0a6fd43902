//! Flat CSV rows via serde row structs: `scores.csv` has one row per plugin
//! × claimed field × scheme, `articles.csv` one per plugin × article ×
//! claimed field. Unclaimed fields appear in neither.

use super::Renderer;
use crate::outcome::ErrorKind;
use crate::report::Report;
use crate::score::Scheme;
use extractor_api::Field;
use serde::Serialize;

pub struct Scores;
pub struct Articles;

#[derive(Serialize)]
struct SchemeRow<'a> {
    plugin: &'a str,
    field: Field,
    scheme: String,
    cor: u64,
    inc: u64,
    par: u64,
    mis: u64,
    spu: u64,
    tp: Option<u64>,
    fp: Option<u64>,
    fn_: Option<u64>,
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    ci_low: Option<f64>,
    ci_high: Option<f64>,
}

#[derive(Serialize)]
struct ArticleRow<'a> {
    plugin: &'a str,
    article: &'a str,
    field: Field,
    error: Option<ErrorKind>,
    gold: u64,
    pred: u64,
    tp: u64,
    fp: u64,
    fn_: u64,
    f1: Option<f64>,
}

fn write<T: Serialize>(rows: impl IntoIterator<Item = T>) -> String {
    let mut out = Vec::new();
    write_to(&mut out, rows).expect("writing to memory");
    String::from_utf8(out).expect("csv is UTF-8")
}

fn write_to<T: Serialize>(out: &mut dyn std::io::Write, rows: impl IntoIterator<Item = T>) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    for r in rows {
        w.serialize(r).map_err(std::io::Error::other)?;
    }
    w.flush()
}

impl Renderer for Scores {
    fn render(&self, report: &Report) -> String {
        let mut rows = Vec::new();
        for p in &report.plugins {
            for (&field, s) in &p.fields {
                rows.push(SchemeRow {
                    plugin: &p.name,
                    field,
                    scheme: "span_value".into(),
                    cor: 0,
                    inc: 0,
                    par: 0,
                    mis: 0,
                    spu: 0,
                    tp: Some(s.tp),
                    fp: Some(s.fp),
                    fn_: Some(s.fn_),
                    precision: s.headline.precision,
                    recall: s.headline.recall,
                    f1: s.headline.f1,
                    ci_low: s.headline_ci.map(|c| c.low),
                    ci_high: s.headline_ci.map(|c| c.high),
                });
                for scheme in Scheme::ALL {
                    let c = s.counts.scheme(scheme);
                    let prf = s.schemes[&scheme];
                    rows.push(SchemeRow {
                        plugin: &p.name,
                        field,
                        scheme: scheme.to_string(),
                        cor: c.cor,
                        inc: c.inc,
                        par: c.par,
                        mis: c.mis,
                        spu: c.spu,
                        tp: None,
                        fp: None,
                        fn_: None,
                        precision: prf.precision,
                        recall: prf.recall,
                        f1: prf.f1,
                        ci_low: None,
                        ci_high: None,
                    });
                }
            }
        }
        write(rows)
    }
}

impl Renderer for Articles {
    fn render(&self, report: &Report) -> String {
        let mut out = Vec::new();
        self.render_to(report, &mut out).expect("writing to memory");
        String::from_utf8(out).expect("csv is UTF-8")
    }

    /// Streams: one row per plugin × article × field grows with the corpus.
    fn render_to(&self, report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        write_to(out, article_rows(report))
    }
}

fn article_rows(report: &Report) -> impl Iterator<Item = ArticleRow<'_>> {
    report.plugins.iter().flat_map(|p| {
        let fields = p.claimed_fields();
        p.articles.iter().flat_map(move |a| {
            fields.clone().into_iter().map(move |field| {
                let v = p.article_counts(a, Some(field)).value;
                ArticleRow {
                    plugin: &p.name,
                    article: &a.id,
                    field,
                    error: a.error.as_ref().map(|e| e.kind),
                    gold: v.gold,
                    pred: v.pred,
                    tp: v.tp(),
                    fp: v.fp(),
                    fn_: v.fn_(),
                    f1: v.headline().f1,
                }
            })
        })
    })
}
