//! `harness merge`: partial reports of `--shard K/N` runs back into the report
//! one run would have produced. Reports keep raw per-article counts, so every
//! derived number — intervals and paired tests included — is recomputed from
//! the interleaved articles, exactly as a single run computes it.

use crate::gold::ArticleInfo;
use crate::report::build::{assemble, timing};
use crate::report::{PluginReport, Report};

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{0}: not a partial report (it was not made with --shard)")]
    NotPartial(String),
    #[error("{path}: {what} differs from {first}'s; shards of one evaluation must agree")]
    Mismatch {
        path: String,
        first: String,
        what: &'static str,
    },
    #[error("shards do not cover 1..={count}: {problem}")]
    Coverage { count: usize, problem: String },
    #[error("{path}: shard {shard} has {got} articles, but {expected} belong to it")]
    Size {
        path: String,
        shard: String,
        got: usize,
        expected: usize,
    },
}

/// Article `i` of the whole set sits at position `i / n` of shard `i % n`.
fn interleave<T: Clone>(parts: &[&[T]]) -> Vec<T> {
    let n = parts.len();
    let total: usize = parts.iter().map(|p| p.len()).sum();
    (0..total).map(|i| parts[i % n][i / n].clone()).collect()
}

/// How many of `total` articles belong to shard `index` (1-based) of `n`.
fn shard_len(total: usize, index: usize, n: usize) -> usize {
    (total + n - index) / n
}

fn merge_plugin(parts: &[&PluginReport], total_bytes: usize) -> PluginReport {
    let mut p = parts[0].clone();
    if let Some(failed) = parts.iter().find(|p| p.load_error.is_some()) {
        p.load_error = failed.load_error.clone();
        p.articles.clear();
        p.timing = None;
        return p;
    }
    let articles: Vec<&[_]> = parts.iter().map(|p| p.articles.as_slice()).collect();
    p.articles = interleave(&articles);
    let times: Vec<_> = parts.iter().filter_map(|p| p.timing.as_ref()).collect();
    p.timing = (!times.is_empty()).then(|| {
        let total_ms = times.iter().map(|t| t.total_ms).sum();
        let peak = times.iter().filter_map(|t| t.peak_rss_mb).reduce(f64::max);
        timing(&p.articles, total_bytes, total_ms, peak)
    });
    p
}

/// Merges `(path, report)` pairs, in any order.
pub fn merge(mut parts: Vec<(String, Report)>) -> Result<Report, MergeError> {
    for (path, r) in &parts {
        if r.meta.shard.is_none() {
            return Err(MergeError::NotPartial(path.clone()));
        }
    }
    parts.sort_by_key(|(_, r)| r.meta.shard.map(|s| s.index));
    let (first_path, first) = &parts[0];
    let count = first.meta.shard.expect("checked").count;
    let indices: Vec<usize> = parts
        .iter()
        .map(|(_, r)| r.meta.shard.expect("checked").index)
        .collect();
    if indices != (1..=count).collect::<Vec<_>>() || parts.iter().any(|(_, r)| r.meta.shard.unwrap().count != count) {
        let shards: Vec<String> = parts.iter().map(|(_, r)| r.meta.shard.unwrap().to_string()).collect();
        return Err(MergeError::Coverage {
            count,
            problem: format!("got {}", shards.join(", ")),
        });
    }
    for (path, r) in &parts[1..] {
        let mismatch = |what| MergeError::Mismatch {
            path: path.clone(),
            first: first_path.clone(),
            what,
        };
        if r.meta.gold.sha256 != first.meta.gold.sha256 {
            return Err(mismatch("the gold set"));
        }
        if r.meta.scoring != first.meta.scoring {
            return Err(mismatch("the scoring settings"));
        }
        if r.meta.harness_version != first.meta.harness_version {
            return Err(mismatch("the harness version"));
        }
        let names = |r: &Report| {
            r.plugins
                .iter()
                .map(|p| (p.name.clone(), p.spec.clone()))
                .collect::<Vec<_>>()
        };
        if names(r) != names(first) {
            return Err(mismatch("the list of plugins"));
        }
    }
    let infos: Vec<&[ArticleInfo]> = parts.iter().map(|(_, r)| r.meta.gold.articles.as_slice()).collect();
    let total: usize = infos.iter().map(|i| i.len()).sum();
    for ((path, r), info) in parts.iter().zip(&infos) {
        let shard = r.meta.shard.unwrap();
        let expected = shard_len(total, shard.index, count);
        let bad = info.len() != expected
            || r.plugins
                .iter()
                .any(|p| p.load_error.is_none() && p.articles.len() != expected);
        if bad {
            return Err(MergeError::Size {
                path: path.clone(),
                shard: shard.to_string(),
                got: info.len(),
                expected,
            });
        }
    }
    let articles = interleave(&infos);
    let total_bytes = articles.iter().map(|a| a.bytes).sum();
    let plugins = (0..first.plugins.len())
        .map(|k| {
            merge_plugin(
                &parts.iter().map(|(_, r)| &r.plugins[k]).collect::<Vec<_>>(),
                total_bytes,
            )
        })
        .collect();
    let mut meta = first.meta.clone();
    meta.command = "merge".into();
    meta.shard = None;
    meta.duration_ms = parts.iter().map(|(_, r)| r.meta.duration_ms).sum();
    meta.gold.articles = articles;
    Ok(assemble(plugins, meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaving_undoes_round_robin_sharding() {
        let all: Vec<usize> = (0..11).collect();
        for n in 1..=4 {
            let parts: Vec<Vec<usize>> = (0..n)
                .map(|k| all.iter().copied().filter(|i| i % n == k).collect())
                .collect();
            for (k, p) in parts.iter().enumerate() {
                assert_eq!(p.len(), shard_len(all.len(), k + 1, n));
            }
            let slices: Vec<&[usize]> = parts.iter().map(Vec::as_slice).collect();
            assert_eq!(interleave(&slices), all);
        }
    }
}
