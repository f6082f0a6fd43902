//! Confidence intervals and paired significance, by resampling whole
//! articles (mentions within an article are correlated) and recomputing the
//! statistic from summed raw counts every time.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use splitmix::Rng;
use std::ops::AddAssign;

/// Resampling settings; recorded in every report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResamplingConfig {
    pub seed: u64,
    /// Bootstrap resamples (percentile method).
    pub resamples: u32,
    /// Approximate-randomization trials for paired tests.
    pub trials: u32,
}

impl Default for ResamplingConfig {
    fn default() -> Self {
        ResamplingConfig {
            seed: 20240604,
            resamples: 1000,
            trials: 10_000,
        }
    }
}

/// A two-sided interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Linear-interpolated quantile of sorted data.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// 95% percentile interval of the defined samples.
fn percentile_95(mut samples: Vec<f64>) -> Option<Interval> {
    if samples.is_empty() {
        return None;
    }
    samples.sort_by(f64::total_cmp);
    Some(Interval {
        low: quantile(&samples, 0.025),
        high: quantile(&samples, 0.975),
    })
}

/// Per-article counts the resamplers can sum: small and `Copy`. Callers
/// project to the counts their statistic reads (a few integers), which keeps
/// resampling 100k articles cheap.
pub trait Summable: Default + Copy + AddAssign + Send + Sync {}
impl<T: Default + Copy + AddAssign + Send + Sync> Summable for T {}

/// Resample `r` draws its `n` indices from its own slice of the seed's
/// stream, so resamples run in parallel yet give the numbers a sequential
/// loop would.
fn resample_rng(cfg: &ResamplingConfig, r: u32, n: usize) -> Rng {
    Rng::at(cfg.seed, r as u64 * n as u64)
}

/// Percentile bootstrap of `stat` over articles. The resampled article
/// indices depend only on the seed and the number of articles, so intervals
/// for different plugins and fields of one run use the same resamples.
pub fn bootstrap<T: Summable>(
    per_article: &[T],
    stat: impl Fn(&T) -> Option<f64> + Sync,
    cfg: &ResamplingConfig,
) -> Option<Interval> {
    let stat: Stat<'_, T> = &stat;
    bootstrap_many(per_article, &[stat], cfg).pop().flatten()
}

/// Adds a row `k` times in one step. The bootstrap counts how often each
/// article is drawn; for integer counts one scaled add equals `k` adds, and
/// a row type can make it branch-free (no misprediction per article).
pub trait AddTimes<T> {
    fn add_times(&mut self, row: &T, k: u32);
}

impl<T: Summable> AddTimes<T> for T {
    fn add_times(&mut self, row: &T, k: u32) {
        for _ in 0..k {
            *self += *row;
        }
    }
}

/// A statistic read from summed counts.
pub type Stat<'a, T> = &'a (dyn Fn(&T) -> Option<f64> + Sync);

/// How many times resample `r` draws each article. Summing the articles in
/// index order, each as often as drawn, gives exactly the sum of the drawn
/// sequence (integer counts), but reads the rows front to back instead of
/// jumping through memory: at 100k articles that is most of the cost.
fn draw_counts(cfg: &ResamplingConfig, r: u32, counts: &mut [u32]) {
    let n = counts.len();
    counts.iter_mut().for_each(|c| *c = 0);
    let mut rng = resample_rng(cfg, r, n);
    for _ in 0..n {
        counts[rng.below(n)] += 1;
    }
}

/// Adds every row to each resample's sum as often as that resample drew
/// it (`counts` holds one count per article for each sum, back to back).
/// This loop is most of the bootstrap; on CPUs with AVX2 it runs as a copy
/// compiled for AVX2, where the scaled adds vectorize (integer arithmetic
/// either way, so the sums are the same).
fn add_drawn<T, S: AddTimes<T>>(rows: &[T], counts: &[u32], sums: &mut [S]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has just been found to support AVX2.
        return unsafe { add_drawn_avx2(rows, counts, sums) };
    }
    add_drawn_portable(rows, counts, sums)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn add_drawn_avx2<T, S: AddTimes<T>>(rows: &[T], counts: &[u32], sums: &mut [S]) {
    add_drawn_portable(rows, counts, sums)
}

#[inline(always)]
fn add_drawn_portable<T, S: AddTimes<T>>(rows: &[T], counts: &[u32], sums: &mut [S]) {
    let n = rows.len();
    for (i, row) in rows.iter().enumerate() {
        for (b, sum) in sums.iter_mut().enumerate() {
            sum.add_times(row, counts[b * n + i]);
        }
    }
}

/// Several percentile bootstraps over the same articles in one pass: each
/// resample draws its indices once and sums the articles once, and every
/// statistic is read from that sum. The intervals are exactly those of
/// calling [`bootstrap`] once per statistic (same draws, same sums), at a
/// fraction of the cost when a report needs ten of them per plugin.
///
/// The rows may be narrower than the sum they add into (`S: AddTimes<T>`):
/// compact per-article rows keep the pass over memory short.
pub fn bootstrap_many<T: Copy + Sync, S: Default + AddTimes<T>>(
    per_article: &[T],
    stats: &[Stat<'_, S>],
    cfg: &ResamplingConfig,
) -> Vec<Option<Interval>> {
    let n = per_article.len();
    if n == 0 || cfg.resamples == 0 {
        return vec![None; stats.len()];
    }
    // Resamples go in blocks that share one pass over the rows: at 100k
    // articles the rows are megabytes, and reading them once per resample
    // made the bootstrap wait on memory.
    const BLOCK: u32 = 8;
    let blocks = cfg.resamples.div_ceil(BLOCK);
    let samples: Vec<Vec<Option<f64>>> = (0..blocks)
        .into_par_iter()
        .map_init(
            || vec![0u32; BLOCK as usize * n],
            |counts, block| {
                let first = block * BLOCK;
                let size = BLOCK.min(cfg.resamples - first) as usize;
                for (b, counts) in counts.chunks_mut(n).take(size).enumerate() {
                    draw_counts(cfg, first + b as u32, counts);
                }
                let mut sums: Vec<S> = (0..size).map(|_| S::default()).collect();
                add_drawn(per_article, counts, &mut sums);
                sums.iter()
                    .map(|sum| stats.iter().map(|stat| stat(sum)).collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            },
        )
        .flatten_iter()
        .collect();
    (0..stats.len())
        .map(|k| percentile_95(samples.iter().filter_map(|s| s[k]).collect()))
        .collect()
}

/// Result of comparing system A with system B on the same articles.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairedTest {
    /// stat(A) − stat(B) on all articles.
    pub delta: f64,
    /// Paired bootstrap 95% interval of the difference.
    pub delta_ci: Option<Interval>,
    /// Paired approximate randomization, two-sided: p = (c + 1) / (n + 1).
    /// The primary test: it asks whether the labels "A" and "B" matter.
    pub p_value: f64,
    /// Paired bootstrap, two-sided, from the same resamples as `delta_ci`:
    /// 2 · min(share of resampled Δ ≤ 0, share ≥ 0), with the +1
    /// correction. It agrees with the interval by construction (Δ CI
    /// excluding 0 ⇔ p_bootstrap < 0.05, up to the quantile
    /// interpolation), where the randomization test answers a different
    /// question and can disagree on few articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_bootstrap: Option<f64>,
}

fn sum<T: Summable>(xs: impl Iterator<Item = T>) -> T {
    let mut s = T::default();
    for x in xs {
        s += x;
    }
    s
}

/// Paired tests of `stat` between two systems' per-article counts (same
/// articles, same order). Undefined statistics count as 0.
pub fn paired<T: Summable>(
    a: &[T],
    b: &[T],
    stat: impl Fn(&T) -> Option<f64> + Sync,
    cfg: &ResamplingConfig,
) -> PairedTest {
    assert_eq!(a.len(), b.len(), "paired tests need the same articles");
    let f = |t: &T| stat(t).unwrap_or(0.0);
    let delta = f(&sum(a.iter().copied())) - f(&sum(b.iter().copied()));

    let n = a.len();
    let extreme = (0..cfg.trials)
        .into_par_iter()
        .filter(|&t| {
            let mut rng = Rng::at(cfg.seed, t as u64 * n as u64);
            let (mut sa, mut sb) = (T::default(), T::default());
            for (x, y) in a.iter().zip(b) {
                if rng.coin() {
                    sa += *y;
                    sb += *x;
                } else {
                    sa += *x;
                    sb += *y;
                }
            }
            // A small epsilon keeps float noise from deciding ties.
            (f(&sa) - f(&sb)).abs() >= delta.abs() - 1e-12
        })
        .count() as u64;
    let p_value = (extreme + 1) as f64 / (cfg.trials as u64 + 1) as f64;

    let (delta_ci, p_bootstrap) = if n == 0 || cfg.resamples == 0 {
        (None, None)
    } else {
        let samples: Vec<f64> = (0..cfg.resamples)
            .into_par_iter()
            .map_init(
                || vec![0u32; n],
                |counts, r| {
                    draw_counts(cfg, r, counts);
                    let (mut sa, mut sb) = (T::default(), T::default());
                    for ((x, y), &k) in a.iter().zip(b).zip(counts.iter()) {
                        for _ in 0..k {
                            sa += *x;
                            sb += *y;
                        }
                    }
                    f(&sa) - f(&sb)
                },
            )
            .collect();
        let b = samples.len() as f64;
        let below = samples.iter().filter(|&&d| d <= 0.0).count() as f64;
        let above = samples.iter().filter(|&&d| d >= 0.0).count() as f64;
        let p = (2.0 * (below.min(above) + 1.0) / (b + 1.0)).min(1.0);
        (percentile_95(samples), Some(p))
    };
    PairedTest {
        delta,
        delta_ci,
        p_value,
        p_bootstrap,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default, Debug, PartialEq)]
    struct Wide([u64; 5]);

    impl AddTimes<[u32; 5]> for Wide {
        #[inline(always)]
        fn add_times(&mut self, row: &[u32; 5], k: u32) {
            for (s, r) in self.0.iter_mut().zip(row) {
                *s += u64::from(*r) * u64::from(k);
            }
        }
    }

    /// The copy compiled for AVX2 (when this CPU has it) and the portable
    /// loop give the same sums, large values included.
    #[test]
    fn every_compiled_copy_of_the_summing_loop_agrees() {
        let mut rng = splitmix::Rng::new(7);
        let n = 1001;
        let rows: Vec<[u32; 5]> = (0..n)
            .map(|_| {
                std::array::from_fn(|k| {
                    if k == 4 {
                        u32::MAX - rng.below(3) as u32
                    } else {
                        rng.below(60) as u32
                    }
                })
            })
            .collect();
        let counts: Vec<u32> = (0..3 * n).map(|_| rng.below(5) as u32).collect();
        let sums = |f: &dyn Fn(&mut [Wide])| {
            let mut s: Vec<Wide> = (0..3).map(|_| Wide::default()).collect();
            f(&mut s);
            s
        };
        let portable = sums(&|s| add_drawn_portable(&rows, &counts, s));
        // The sum of each column, drawn as counted, by the definition.
        for (b, sum) in portable.iter().enumerate() {
            for (k, got) in sum.0.iter().enumerate() {
                let want: u64 = (0..n)
                    .map(|i| u64::from(rows[i][k]) * u64::from(counts[b * n + i]))
                    .sum();
                assert_eq!(*got, want);
            }
        }
        assert_eq!(sums(&|s| add_drawn(&rows, &counts, s)), portable);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2.
            assert_eq!(sums(&|s| unsafe { add_drawn_avx2(&rows, &counts, s) }), portable);
        }
    }
}
