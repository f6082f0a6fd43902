//! Flat CSV rows via serde row structs: one file per plugin × field × scheme,
//! one per plugin × article × field.

use super::{Output, Renderer};
use crate::report::Report;
use crate::score::Scheme;
use serde::Serialize;

pub struct Csv;

#[derive(Serialize)]
struct SchemeRow<'a> {
    plugin: &'a str,
    field: &'a str,
    scheme: &'a str,
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
    field: &'a str,
    error: Option<&'a str>,
    gold: u64,
    pred: u64,
    tp: u64,
    fp: u64,
    fn_: u64,
    f1: Option<f64>,
}

fn write<T: Serialize>(rows: impl IntoIterator<Item = T>) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).expect("rows serialize");
    }
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("csv is UTF-8")
}

impl Renderer for Csv {
    fn render(&self, report: &Report) -> Vec<Output> {
        let mut schemes = Vec::new();
        for p in &report.plugins {
            for (field, s) in &p.fields {
                let headline = [("span_value", s.headline, s.headline_ci)];
                for (name, prf, ci) in headline {
                    schemes.push(SchemeRow {
                        plugin: &p.name,
                        field: field.as_str(),
                        scheme: name,
                        cor: 0,
                        inc: 0,
                        par: 0,
                        mis: 0,
                        spu: 0,
                        tp: Some(s.tp),
                        fp: Some(s.fp),
                        fn_: Some(s.fn_),
                        precision: prf.precision,
                        recall: prf.recall,
                        f1: prf.f1,
                        ci_low: ci.map(|c| c.low),
                        ci_high: ci.map(|c| c.high),
                    });
                }
                for scheme in Scheme::ALL {
                    let c = s.counts.scheme(scheme);
                    let prf = s.schemes[&scheme];
                    schemes.push(SchemeRow {
                        plugin: &p.name,
                        field: field.as_str(),
                        scheme: scheme.as_str(),
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
        let mut articles = Vec::new();
        for p in &report.plugins {
            for a in &p.articles {
                for field in extractor_api::Field::ALL {
                    let v = a.counts.get(&field).map(|c| c.value).unwrap_or_default();
                    articles.push(ArticleRow {
                        plugin: &p.name,
                        article: &a.id,
                        field: field.as_str(),
                        error: a.error.as_ref().map(|e| e.kind.as_str()),
                        gold: v.gold,
                        pred: v.pred,
                        tp: v.tp(),
                        fp: v.fp(),
                        fn_: v.fn_(),
                        f1: v.headline().f1,
                    });
                }
            }
        }
        vec![
            Output {
                file_name: "scores.csv",
                contents: write(schemes),
            },
            Output {
                file_name: "articles.csv",
                contents: write(articles),
            },
        ]
    }
}
