//! From runs to the report model: score every (plugin, article), sum raw
//! counts, derive ratios, intervals and paired tests.

use super::model::*;
use crate::gold::GoldSet;
use crate::outcome::PluginRun;
use crate::score::{
    add_counts, score_article, uncertainty, Counts, FieldCounts, MatchConfig, ResamplingConfig, Scheme, SpanFreeCounts,
    ValueCounts,
};
use extractor_api::Field;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};

/// Settings that change the numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScoreOptions {
    pub matching: MatchConfig,
    pub resampling: ResamplingConfig,
}

/// Everything for one field from per-article counts.
pub fn summarize(per_article: &[FieldCounts], resampling: &ResamplingConfig) -> FieldSummary {
    let mut c = FieldCounts::default();
    for a in per_article {
        c += *a;
    }
    let v = c.value;
    // Resample only the counts each statistic reads.
    let values: Vec<ValueCounts> = per_article.iter().map(|a| a.value).collect();
    let span_free: Vec<SpanFreeCounts> = per_article.iter().map(|a| a.span_free).collect();
    FieldSummary {
        counts: c,
        headline: v.headline(),
        headline_ci: uncertainty::bootstrap(&values, ValueCounts::headline_f1, resampling),
        tp: v.tp(),
        fp: v.fp(),
        fn_: v.fn_(),
        schemes: Scheme::ALL.iter().map(|s| (*s, c.scheme(*s).prf(*s))).collect(),
        relaxed: v.relaxed(),
        value_accuracy: v.accuracy(),
        lenient: v.lenient_prf(),
        lenient_accuracy: v.lenient_accuracy(),
        titles_accuracy: v.titles_accuracy(),
        span_free: c.span_free.prf(),
        span_free_ci: uncertainty::bootstrap(&span_free, |s: &SpanFreeCounts| s.prf().f1, resampling),
        macro_articles_f1: crate::score::metrics::mean(per_article.iter().map(|a| a.value.headline().f1)),
    }
}

impl FieldSummary {
    /// The summary of nothing (a plugin that could not be loaded).
    pub fn empty() -> FieldSummary {
        summarize(&[], &ResamplingConfig::default())
    }
}

/// Fills every derived number of a plugin row from its article counts.
pub fn derive(p: &mut PluginReport, resampling: &ResamplingConfig) {
    p.fields = BTreeMap::new();
    if p.load_error.is_some() {
        p.overall = summarize(&[], resampling);
        p.macro_f1 = None;
        return;
    }
    // Only the fields a plugin claims are scored for it: a date-only tool is
    // not charged with missing every official.
    for f in p.claimed_fields() {
        let mut s = summarize(&p.series(Some(f)), resampling);
        if f != Field::Official {
            s.titles_accuracy = None;
        }
        p.fields.insert(f, s);
    }
    p.overall = summarize(&p.series(None), resampling);
    p.overall.titles_accuracy = None;
    p.macro_f1 = crate::score::metrics::mean(p.fields.values().map(|s| s.headline.f1));
}

/// Paired tests between every two loaded plugins, per field and overall.
pub fn pairwise(plugins: &[PluginReport], resampling: &ResamplingConfig) -> Vec<PairRow> {
    let loaded: Vec<&PluginReport> = plugins.iter().filter(|p| p.load_error.is_none()).collect();
    let mut rows = Vec::new();
    let fields: Vec<Option<Field>> = Field::ALL.iter().map(|f| Some(*f)).chain([None]).collect();
    for field in fields {
        for (i, a) in loaded.iter().enumerate() {
            for b in &loaded[i + 1..] {
                let both = |f: Field| a.claims(f) && b.claims(f);
                let comparable = match field {
                    Some(f) => both(f),
                    None => Field::ALL.into_iter().all(both),
                };
                if !comparable {
                    continue;
                }
                let values =
                    |p: &PluginReport| -> Vec<ValueCounts> { p.series(field).iter().map(|c| c.value).collect() };
                let test = uncertainty::paired(&values(a), &values(b), ValueCounts::headline_f1, resampling);
                let pick = |p: &PluginReport| match field {
                    Some(f) => p.fields.get(&f).and_then(|s| s.headline.f1),
                    None => p.overall.headline.f1,
                };
                rows.push(PairRow {
                    field,
                    a: a.name.clone(),
                    b: b.name.clone(),
                    f1_a: pick(a),
                    f1_b: pick(b),
                    test,
                });
            }
        }
    }
    rows
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i]
}

/// Latency and throughput from per-article times. Busy time (the sum of
/// call times) is the denominator, so parallel instances do not inflate it.
pub fn timing(articles: &[ArticleReport], total_bytes: usize, total_ms: f64, peak_rss_mb: Option<f64>) -> Timing {
    let mut ms: Vec<f64> = articles.iter().map(|a| a.elapsed_ms).collect();
    ms.sort_by(f64::total_cmp);
    let busy: f64 = ms.iter().sum::<f64>() / 1e3;
    let per_second = |x: f64| if busy > 0.0 { x / busy } else { 0.0 };
    Timing {
        total_ms,
        articles_per_second: per_second(articles.len() as f64),
        mb_per_second: per_second(total_bytes as f64 / 1e6),
        p50_ms: percentile(&ms, 0.5),
        p95_ms: percentile(&ms, 0.95),
        peak_rss_mb,
        cached: articles.iter().filter(|a| a.cached).count(),
    }
}

/// Scores one run against the gold: per-article counts and findings, and
/// timing. Derived numbers are filled by `assemble`.
pub fn score_run(gold: &GoldSet, run: &PluginRun, name: String, opts: &ScoreOptions) -> PluginReport {
    // Parallel and order-preserving: the counts never depend on the threads.
    let articles: Vec<ArticleReport> = run
        .articles
        .par_iter()
        .zip(&gold.articles)
        .map(|(ar, ga)| {
            debug_assert_eq!(ar.id, ga.id);
            let preds = ar.outcome.as_deref().unwrap_or(&[]);
            let scored = score_article(&ga.mentions, &ga.ignore, preds, &opts.matching);
            ArticleReport {
                id: ga.id.clone(),
                error: ar.outcome.as_ref().err().cloned(),
                elapsed_ms: ar.elapsed.as_secs_f64() * 1e3,
                cached: ar.cached,
                counts: scored.counts,
                findings: scored.findings,
            }
        })
        .collect();
    let total_bytes: usize = gold.articles.iter().map(|a| a.text.len()).sum();
    let timing = (run.load_error.is_none() && !articles.is_empty()).then(|| {
        let peak = run.peak_rss_bytes.map(|b| b as f64 / (1u64 << 20) as f64);
        timing(&articles, total_bytes, run.elapsed.as_secs_f64() * 1e3, peak)
    });
    let unclaimed: usize = run.articles.iter().map(|a| a.unclaimed).sum();
    let mut warnings = Vec::new();
    if unclaimed > 0 {
        warnings.push(format!(
            "{unclaimed} mention(s) of fields the plugin does not claim were dropped before scoring"
        ));
    }
    PluginReport {
        name,
        spec: run.spec.clone(),
        info: run.info.clone(),
        load_error: run.load_error.clone(),
        timing,
        articles,
        fields: BTreeMap::new(),
        overall: FieldSummary::empty(),
        macro_f1: None,
        unclaimed_mentions: unclaimed as u64,
        warnings,
    }
}

/// Derives every plugin's numbers and the paired tests: the one place a
/// report's statistics come from, for single runs and merged shards alike.
pub fn assemble(mut plugins: Vec<PluginReport>, meta: Meta) -> Report {
    let resampling = meta.scoring.resampling;
    for p in &mut plugins {
        derive(p, &resampling);
    }
    let pairwise = pairwise(&plugins, &resampling);
    Report {
        schema_version: REPORT_SCHEMA_VERSION,
        meta,
        plugins,
        pairwise,
        gate: None,
        comparison: None,
    }
}

/// Report names for plugins: each its own name (or label, when it could
/// not be loaded), suffixed `#2`, `#3`… when repeated.
pub fn unique_names(bases: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    bases
        .into_iter()
        .map(|base| {
            let mut name = base.clone();
            let mut k = 2;
            while !seen.insert(name.clone()) {
                name = format!("{base}#{k}");
                k += 1;
            }
            name
        })
        .collect()
}

/// Scores runs against the gold and builds the report (without meta timing,
/// which the caller fills).
pub fn build(gold: &GoldSet, runs: &[PluginRun], opts: &ScoreOptions, meta: Meta) -> Report {
    let names = unique_names(
        runs.iter()
            .map(|run| run.info.as_ref().map_or_else(|| run.spec.clone(), |i| i.name.clone())),
    );
    let plugins = runs
        .iter()
        .zip(names)
        .map(|(run, name)| score_run(gold, run, name, opts))
        .collect();
    assemble(plugins, meta)
}

/// Sum of all articles' counts (used by tests and merge).
pub fn sum_counts(articles: &[ArticleReport]) -> Counts {
    let mut c = Counts::new();
    for a in articles {
        add_counts(&mut c, &a.counts);
    }
    c
}
