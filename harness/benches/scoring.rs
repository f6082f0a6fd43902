//! The scoring stage alone, on one core, over a corpus held in memory — the
//! work nervaluate's `evaluate()` does, for a like-for-like comparison.
//!
//!     cargo bench -p harness --bench scoring -- GOLD.jsonl PREDICTIONS.jsonl
//!
//! Prints one JSON object on stdout. `cargo xtask bench` runs it beside
//! nervaluate on the same generated corpus (see BENCHMARKS.md).

use harness::gold::GoldLines;
use harness::predictions::{OnBadLine, PredictionsFile};
use harness::score::{add_counts, score_counts, ArticleCounts, Counts, MatchConfig};
use std::hint::black_box;
use std::time::Instant;

// The shipped binary's allocator (harness/src/main.rs), so the stage is
// timed as `harness score` runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

fn main() {
    let (gold, preds) = common::gold_and_predictions("scoring");
    let load = Instant::now();
    let mut lines = GoldLines::open(&gold).expect("gold opens");
    let articles: Vec<_> = lines.by_ref().collect();
    assert!(
        lines.diagnostics.is_empty(),
        "bad gold: {:?}",
        lines.diagnostics.first()
    );
    let file = PredictionsFile::open(&preds, OnBadLine::Stop).expect("predictions open");
    let predicted: Vec<_> = articles
        .iter()
        .map(|a| file.get(&a.id, &a.text).expect("readable").expect("valid predictions"))
        .collect();
    let load_seconds = load.elapsed().as_secs_f64();

    let config = MatchConfig::default();
    let start = Instant::now();
    let mut total = Counts::new();
    for (a, p) in articles.iter().zip(&predicted) {
        // Counts only, as for streamed corpora past --keep-details (and as
        // nervaluate, which keeps no per-mention findings either).
        // Narrowed into the row a report keeps, as `score` does.
        let counts = ArticleCounts::from(score_counts(&a.mentions, &a.ignore, p, &config));
        add_counts(&mut total, &black_box(counts));
    }
    let score_seconds = start.elapsed().as_secs_f64();
    let gold_mentions: usize = articles.iter().map(|a| a.mentions.len()).sum();
    let pred_mentions: usize = predicted.iter().map(Vec::len).sum();
    let strict = total
        .values()
        .fold(harness::score::SchemeCounts::default(), |mut s, c| {
            s += c.strict;
            s
        });
    println!(
        "{}",
        serde_json::json!({
            "articles": articles.len(),
            "gold_mentions": gold_mentions,
            "pred_mentions": pred_mentions,
            "load_seconds": load_seconds,
            "score_seconds": score_seconds,
            "strict": strict,
        })
    );
}
