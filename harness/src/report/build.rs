//! From runs to the report model: score every (plugin, article), sum raw
//! counts, derive ratios, intervals and paired tests.

use super::model::*;
use crate::gold::GoldSet;
use crate::outcome::{ArticleRun, PluginRun};
use crate::score::{
    add_counts, score_article, score_counts, uncertainty, Counts, FieldCounts, MatchConfig, ResamplingConfig, Scheme,
    SpanFreeCounts, ValueCounts,
};
use extractor_api::protocol::Usage;
use extractor_api::Field;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};

/// Settings that change the numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScoreOptions {
    pub matching: MatchConfig,
    pub resampling: ResamplingConfig,
}

/// Everything for one field from per-article counts, but the intervals
/// (`derive` fills them, all of a plugin's in one bootstrap pass).
pub fn summarize(per_article: &[FieldCounts]) -> FieldSummary {
    let mut c = FieldCounts::default();
    for a in per_article {
        c += *a;
    }
    let v = c.value;
    FieldSummary {
        counts: c,
        headline: v.headline(),
        headline_ci: None,
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
        span_free_ci: None,
        macro_articles_f1: crate::score::metrics::mean(per_article.iter().map(|a| a.value.headline().f1)),
    }
}

impl FieldSummary {
    /// The summary of nothing (a plugin that could not be loaded).
    pub fn empty() -> FieldSummary {
        summarize(&[])
    }
}

/// What the bootstrap resamples of one article: per claimed field (in
/// order, zero after the last), the six counts the headline and span-free
/// F1 read. The counts over all claimed fields are their sums, so they are
/// added up from a resample's sums rather than carried in every row. Narrow
/// and fixed-size, because each resample passes over every article's row;
/// it adds into the wide [`Sums`].
#[derive(Clone, Copy)]
struct Resampled([[u32; 6]; 4]);

impl Resampled {
    fn series(value: &ValueCounts, span_free: &SpanFreeCounts) -> [u32; 6] {
        let narrow = |x: u64| u32::try_from(x).expect("one article's counts fit in u32");
        [
            value.gold,
            value.pred,
            value.correct,
            span_free.gold,
            span_free.pred,
            span_free.matched,
        ]
        .map(narrow)
    }
}

/// The counts of a resample: [`Resampled`] rows summed without overflow.
#[derive(Default)]
struct Sums([[u64; 6]; 4]);

/// Back to the count types, so the F1 formulas stay theirs. Series `k` is
/// the `k`-th claimed field, or [`Sums::ALL`] all of them together.
impl Sums {
    const ALL: usize = 4;
    fn series(&self, k: usize) -> [u64; 6] {
        self.0.get(k).copied().unwrap_or_else(|| {
            let mut all = [0; 6];
            for row in &self.0 {
                for (a, x) in all.iter_mut().zip(row) {
                    *a += x;
                }
            }
            all
        })
    }
    fn headline_f1(&self, k: usize) -> Option<f64> {
        let [gold, pred, correct, ..] = self.series(k);
        ValueCounts {
            gold,
            pred,
            correct,
            ..ValueCounts::default()
        }
        .headline_f1()
    }
    fn span_free_f1(&self, k: usize) -> Option<f64> {
        let [.., gold, pred, matched] = self.series(k);
        SpanFreeCounts { gold, pred, matched }.prf().f1
    }
}

impl uncertainty::AddTimes<Resampled> for Sums {
    #[inline(always)]
    fn add_times(&mut self, row: &Resampled, k: u32) {
        // Flat slices of equal length and no branch on `k` (0 for a third
        // of the articles, 1 or more for the rest): the loop vectorizes.
        let k = u64::from(k);
        for (s, r) in self.0.as_flattened_mut().iter_mut().zip(row.0.as_flattened()) {
            *s += u64::from(*r) * k;
        }
    }
}

/// Fills every derived number of a plugin row from its article counts.
pub fn derive(p: &mut PluginReport, resampling: &ResamplingConfig) {
    p.fields = BTreeMap::new();
    if p.load_error.is_some() {
        p.overall = summarize(&[]);
        p.macro_f1 = None;
        return;
    }
    // Only the fields a plugin claims are scored for it: a date-only tool is
    // not charged with missing every official.
    let claimed = p.claimed_fields();
    let keys: Vec<Option<Field>> = claimed.iter().map(|&f| Some(f)).chain([None]).collect();
    let rows: Vec<Resampled> = p
        .articles
        .iter()
        .map(|a| {
            let mut r = Resampled([[0; 6]; 4]);
            for (k, &field) in claimed.iter().enumerate() {
                let c = p.article_counts(a, Some(field));
                r.0[k] = Resampled::series(&c.value, &c.span_free);
            }
            r
        })
        .collect();
    type BoxedStat = Box<dyn Fn(&Sums) -> Option<f64> + Sync>;
    let stats: Vec<BoxedStat> = keys
        .iter()
        .enumerate()
        .flat_map(|(k, key)| {
            let k = if key.is_some() { k } else { Sums::ALL };
            let headline: BoxedStat = Box::new(move |s| s.headline_f1(k));
            let span_free: BoxedStat = Box::new(move |s| s.span_free_f1(k));
            [headline, span_free]
        })
        .collect();
    let refs: Vec<uncertainty::Stat<'_, Sums>> = stats.iter().map(|b| b.as_ref()).collect();
    let cis = uncertainty::bootstrap_many(&rows, &refs, resampling);
    drop(rows);
    // One series at a time: at 100k articles each is tens of MB.
    let mut summaries: Vec<FieldSummary> = keys
        .iter()
        .enumerate()
        .map(|(k, &key)| FieldSummary {
            headline_ci: cis[2 * k],
            span_free_ci: cis[2 * k + 1],
            ..summarize(&p.series(key))
        })
        .collect();
    p.overall = summaries.pop().expect("the overall series");
    p.overall.titles_accuracy = None;
    for (f, mut s) in claimed.into_iter().zip(summaries) {
        if f != Field::Official {
            s.titles_accuracy = None;
        }
        p.fields.insert(f, s);
    }
    p.macro_f1 = crate::score::metrics::mean(p.fields.values().map(|s| s.headline.f1));
    p.confusion = confusion(&p.articles);
    p.usage = usage(p);
    p.repeats = repeats(p);
}

/// The field-to-field confusion matrix from every article's counts.
fn confusion(articles: &[ArticleReport]) -> ConfusionMatrix {
    let mut m = ConfusionMatrix::default();
    for a in articles {
        for (gold, c) in a.counts.iter() {
            for (k, &n) in c.confusion.iter().enumerate() {
                if n > 0 {
                    *m.pairs.entry(gold).or_default().entry(Field::ALL[k]).or_default() += n;
                }
            }
            if c.partial.mis > 0 {
                *m.missed.entry(gold).or_default() += c.partial.mis;
            }
            if c.partial.spu > 0 {
                *m.spurious.entry(gold).or_default() += c.partial.spu;
            }
        }
    }
    m
}

/// Usage summed over articles: spent by calls made now, saved by cached
/// answers; cost per correct mention of the first repeat.
fn usage(p: &PluginReport) -> Option<UsageReport> {
    if p.articles.iter().all(|a| a.usage.is_none()) && p.repeat_usage.is_none() {
        return None;
    }
    let mut u = UsageReport::default();
    for a in &p.articles {
        if let Some(x) = a.usage {
            if a.cached {
                u.saved += x;
            } else {
                u.spent += x;
            }
        }
    }
    let first_cost = match (u.spent.cost_usd, u.saved.cost_usd) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
    };
    if let Some((spent, saved)) = p.repeat_usage {
        u.spent += spent;
        u.saved += saved;
    }
    let correct = p.overall.tp;
    u.cost_per_correct_usd = first_cost.filter(|_| correct > 0).map(|c| c / correct as f64);
    Some(u)
}

fn spread(f1: Vec<Option<f64>>, agree: [u64; 2]) -> RepeatSpread {
    let defined: Vec<f64> = f1.iter().flatten().copied().collect();
    let n = defined.len() as f64;
    let mean = (n > 0.0).then(|| defined.iter().sum::<f64>() / n);
    RepeatSpread {
        mean,
        min: defined.iter().copied().reduce(f64::min),
        max: defined.iter().copied().reduce(f64::max),
        sd: mean.map(|m| (defined.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n).sqrt()),
        agreement: (agree[1] > 0).then(|| agree[0] as f64 / agree[1] as f64),
        f1,
    }
}

/// The spread across repeats, per claimed field and over all of them.
fn repeats(p: &PluginReport) -> Option<RepeatReport> {
    let extra = p.articles.first().map_or(0, |a| a.repeats.len());
    if extra == 0 || p.articles.iter().any(|a| a.repeats.len() != extra) {
        return None;
    }
    let claimed = p.claimed_fields();
    // Headline F1 of repeat r (0 = the primary counts) for one field or all.
    let f1 = |r: usize, field: Option<Field>| -> Option<f64> {
        let mut v = ValueCounts::default();
        for a in &p.articles {
            let counts = if r == 0 { &a.counts } else { &a.repeats[r - 1] };
            for f in field.map_or_else(|| claimed.clone(), |f| vec![f]) {
                v += counts.get(&f).map(|c| c.value).unwrap_or_default();
            }
        }
        v.headline_f1()
    };
    let agree = |field: Option<Field>| -> [u64; 2] {
        let mut t = [0, 0];
        for a in &p.articles {
            for (f, [all, any]) in &a.agreement {
                if field.is_none_or(|x| x == *f) && claimed.contains(f) {
                    t[0] += all;
                    t[1] += any;
                }
            }
        }
        t
    };
    let n = extra + 1;
    Some(RepeatReport {
        repeats: n,
        fields: claimed
            .iter()
            .map(|&f| (f, spread((0..n).map(|r| f1(r, Some(f))).collect(), agree(Some(f)))))
            .collect(),
        overall: spread((0..n).map(|r| f1(r, None)).collect(), agree(None)),
    })
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
        .enumerate()
        .map(|(i, (ar, ga))| {
            debug_assert_eq!(ar.id, ga.id);
            let preds = ar.outcome.as_deref().unwrap_or(&[]);
            let scored = score_article(&ga.mentions, &ga.ignore, preds, &opts.matching);
            let others: Vec<&ArticleRun> = run.repeats.iter().map(|r| &r[i]).collect();
            ArticleReport {
                elapsed_ms: ar.elapsed.as_secs_f64() * 1e3,
                cached: ar.cached,
                usage: ar.usage,
                repeats: others
                    .iter()
                    .map(|r| {
                        let preds = r.outcome.as_deref().unwrap_or(&[]);
                        score_counts(&ga.mentions, &ga.ignore, preds, &opts.matching).into()
                    })
                    .collect(),
                agreement: if others.is_empty() {
                    BTreeMap::new()
                } else {
                    agreement(std::iter::once(ar).chain(others.iter().copied()))
                },
                ..ArticleReport::new(
                    ga.id.clone(),
                    ar.outcome.as_ref().err().cloned(),
                    scored.counts,
                    scored.findings,
                )
            }
        })
        .collect();
    // Usage of repeats 2..=N: spent (or saved, when cached) like the first's.
    let mut repeat_usage = (Usage::default(), Usage::default());
    for r in run.repeats.iter().flatten() {
        if let Some(u) = r.usage {
            let side = if r.cached {
                &mut repeat_usage.1
            } else {
                &mut repeat_usage.0
            };
            *side += u;
        }
    }
    let total_bytes: usize = gold.articles.iter().map(|a| a.text.len()).sum();
    let timing = (run.load_error.is_none() && !articles.is_empty()).then(|| {
        let peak = run.peak_rss_bytes.map(|b| b as f64 / (1u64 << 20) as f64);
        timing(&articles, total_bytes, run.elapsed.as_secs_f64() * 1e3, peak)
    });
    let unclaimed: usize = run.articles.iter().map(|a| a.unclaimed).sum();
    let spanless: usize = run
        .articles
        .iter()
        .filter_map(|a| a.outcome.as_ref().ok())
        .map(|ms| ms.iter().filter(|m| m.span.is_none()).count())
        .sum();
    let mut warnings = Vec::new();
    if spanless > 0 && run.info.as_ref().is_some_and(|i| i.kind != "predictions") {
        warnings.push(format!(
            "{spanless} mention(s) came without offsets and were scored span-free only"
        ));
    }
    if unclaimed > 0 {
        warnings.push(format!(
            "{unclaimed} mention(s) of fields the plugin does not claim were dropped before scoring"
        ));
    }
    PluginReport {
        timing,
        articles,
        unclaimed_mentions: unclaimed as u64,
        warnings,
        repeat_usage: (run.repeats.iter().flatten().any(|r| r.usage.is_some())).then_some(repeat_usage),
        ..PluginReport::new(name, run.spec.clone(), run.info.clone(), run.load_error.clone())
    }
}

/// Per field, [mentions every repeat produced, mentions any produced]; a
/// mention is its field, span and value. A failed repeat produced nothing.
fn agreement<'a>(runs: impl Iterator<Item = &'a ArticleRun>) -> BTreeMap<Field, [u64; 2]> {
    type Key = (Option<crate::mention::Span>, String);
    let sets: Vec<BTreeMap<Field, std::collections::BTreeSet<Key>>> = runs
        .map(|r| {
            let mut by_field: BTreeMap<Field, std::collections::BTreeSet<Key>> = BTreeMap::new();
            for m in r.outcome.as_deref().unwrap_or(&[]) {
                let value = serde_json::to_string(&m.value).expect("values serialize");
                by_field.entry(m.field()).or_default().insert((m.span, value));
            }
            by_field
        })
        .collect();
    let mut out = BTreeMap::new();
    for f in Field::ALL {
        let empty = std::collections::BTreeSet::new();
        let each: Vec<&std::collections::BTreeSet<Key>> = sets.iter().map(|s| s.get(&f).unwrap_or(&empty)).collect();
        let union: std::collections::BTreeSet<&Key> = each.iter().flat_map(|s| s.iter()).collect();
        let all = union.iter().filter(|k| each.iter().all(|s| s.contains(**k))).count();
        if !union.is_empty() {
            out.insert(f, [all as u64, union.len() as u64]);
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::Counts;

    /// A plugin's overall numbers are over its claimed fields only: for a
    /// one-field plugin they are that field's, intervals included.
    #[test]
    fn a_one_field_plugins_overall_interval_is_its_fields() {
        for claimed in [vec![Field::Date], vec![Field::Figure, Field::Official]] {
            let mut info = crate::predictions::info(std::path::Path::new("p.jsonl"), "predictions/1", String::new());
            info.fields = claimed.clone();
            let mut p = PluginReport::new("p".into(), "p.jsonl".into(), Some(info), None);
            for k in 0..40u64 {
                let mut c = Counts::new();
                for (i, f) in Field::ALL.into_iter().enumerate() {
                    let fc = c.field_mut(f);
                    fc.value.gold = 3 + (k + i as u64) % 4;
                    fc.value.pred = 2 + (k * 7 + i as u64) % 5;
                    fc.value.correct = (k % 3).min(fc.value.gold).min(fc.value.pred);
                    fc.span_free.gold = fc.value.gold;
                    fc.span_free.pred = fc.value.pred;
                    fc.span_free.matched = (k % 2).min(fc.value.gold);
                }
                p.articles
                    .push(ArticleReport::new(format!("a{k}"), None, c, Vec::new()));
            }
            let cfg = ResamplingConfig {
                resamples: 200,
                ..ResamplingConfig::default()
            };
            derive(&mut p, &cfg);
            let series: Vec<_> = p.articles.iter().map(|a| p.article_counts(a, None)).collect();
            let want = |stat: fn(&FieldCounts) -> Option<f64>| uncertainty::bootstrap(&series, stat, &cfg);
            assert_eq!(p.overall.headline_ci, want(|c| c.value.headline_f1()), "{claimed:?}");
            assert_eq!(p.overall.span_free_ci, want(|c| c.span_free.prf().f1), "{claimed:?}");
            if let [only] = claimed[..] {
                assert_eq!(p.overall.headline_ci, p.fields[&only].headline_ci);
            }
        }
    }
}
