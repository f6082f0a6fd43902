//! `harness score` over a JSON-lines gold stream, in bounded memory: articles
//! are read, scored (in parallel) and dropped in batches. What stays per
//! article is its raw counts — the minimum the bootstrap and `merge` need —
//! plus, for the first `keep_details` articles only, the text and findings
//! that the error browser shows.

use crate::gold::{ArticleInfo, GoldLines, Shard};
use crate::predictions::{OnBadLine, PredictionsFile};
use crate::report::build::assemble;
use crate::report::{ArticleReport, GoldMeta, Meta, PluginReport, Report, ScoreOptions};
use crate::score::{score_article, score_counts};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Articles read, scored and released together.
const BATCH: usize = 1024;

/// The most articles reserved for up front (under 1 GB of address space
/// per plugin, none of it resident until written).
const RESERVE_CAP: usize = 1 << 20;

pub struct StreamArgs<'a> {
    pub gold: &'a Path,
    pub predictions: &'a [PathBuf],
    pub on_bad: OnBadLine,
    pub shard: Option<Shard>,
    /// Articles (from the start) whose text and findings are kept.
    pub keep_details: usize,
}

/// Scores every predictions file against the streamed gold and assembles
/// the report. `meta` is completed with the gold's identity.
pub fn score(a: &StreamArgs, opts: &ScoreOptions, mut meta: Meta) -> Result<Report, crate::Error> {
    let mut lines = GoldLines::open(a.gold)?;
    let keep = move |position| a.shard.is_none_or(|s| s.contains(position));
    // The predictions files are read and indexed while the first batch of
    // gold is read and parsed.
    let (files, mut batch) = rayon::join(
        || {
            a.predictions
                .iter()
                .map(|p| PredictionsFile::open(p, a.on_bad))
                .collect::<Result<Vec<_>, _>>()
        },
        || lines.batch(BATCH, keep),
    );
    let files = files?;
    let mut plugins: Vec<PluginReport> = files
        .iter()
        .map(|f| PluginReport::new(f.info.name.clone(), f.info.target.clone(), Some(f.info.clone()), None))
        .collect();
    let mut infos: Vec<ArticleInfo> = Vec::new();
    loop {
        if batch.is_empty() && lines.exhausted() {
            break;
        }
        if infos.is_empty() {
            // Reserve for the whole file once, estimated from the first
            // batch: a vector doubling its way to 100k reports copies them
            // twice over and holds old and new at once. Capacity never
            // written is never resident, so the margin costs no memory.
            // A file whose first lines are unusually short would be
            // overestimated: the guess is capped, and a reservation the
            // allocator refuses is no error (the vectors then grow).
            let n = lines.estimated_total(batch.len()).min(RESERVE_CAP) + BATCH;
            let _ = infos.try_reserve(n);
            plugins.iter_mut().for_each(|p| {
                let _ = p.articles.try_reserve(n);
            });
        }
        let done = infos.len();
        for (file, plugin) in files.iter().zip(&mut plugins) {
            let pred_lines = file.read_lines(batch.iter().map(|g| g.id.as_str()))?;
            let preds = batch
                .par_iter()
                .enumerate()
                .map(|(k, g)| file.parse(&pred_lines, k, &g.id, &g.text))
                .collect::<Result<Vec<_>, _>>()?;
            let scored: Vec<ArticleReport> = batch
                .par_iter()
                .zip(preds)
                .enumerate()
                .map(|(k, (g, outcome))| {
                    let preds = outcome.as_deref().unwrap_or(&[]);
                    let (counts, findings) = if done + k < a.keep_details {
                        let s = score_article(&g.mentions, &g.ignore, preds, &opts.matching);
                        (s.counts, s.findings)
                    } else {
                        (score_counts(&g.mentions, &g.ignore, preds, &opts.matching), Vec::new())
                    };
                    ArticleReport::new(g.id.clone(), outcome.err(), counts, findings)
                })
                .collect();
            plugin.articles.extend(scored);
        }
        // The batch is taken apart where it was built: its mentions are
        // freed on the pool's threads, which allocated them (a free from
        // another thread costs the allocator an atomic hand-back).
        let kept: Vec<ArticleInfo> = batch
            .into_par_iter()
            .enumerate()
            .map(|(k, g)| ArticleInfo {
                chars: g.text.chars().count(),
                bytes: g.text.len(),
                text: (done + k < a.keep_details).then_some(g.text),
                id: g.id,
                sha256: g.sha256,
            })
            .collect();
        infos.extend(kept);
        batch = lines.batch(BATCH, keep);
    }
    if !lines.diagnostics.is_empty() {
        return Err(crate::Error::BadGold(lines.diagnostics));
    }
    for f in &files {
        if a.shard.is_none() {
            f.check_matches(|id| lines.has_article(id))?;
        }
        f.warn_unused(|id| lines.has_article(id) || a.shard.is_some());
    }
    meta.gold = GoldMeta {
        dir: a.gold.display().to_string(),
        sha256: lines.sha256(),
        articles: infos,
    };
    meta.shard = a.shard;
    Ok(assemble(plugins, meta))
}
