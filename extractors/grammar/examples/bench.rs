//! A timing loop over article files, in-process on one thread: articles/s
//! and MB/s of `grammar::extract`, and the slowest article.
//!
//! `cargo run --release -p grammar --example bench -- [--rounds N] FILE...`
//!
//! Every file is read once; each round extracts every article. The first
//! round warms the lazily built vocabulary and is not timed. On a shared
//! machine the best round is the steadiest figure; the median is printed too.

use extractor_api::Document;
use std::time::{Duration, Instant};

fn main() {
    let mut rounds = 50usize;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--rounds" {
            rounds = args
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("--rounds needs a number"));
        } else {
            paths.push(a);
        }
    }
    let texts: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {p}: {e}"));
            (p.clone(), text)
        })
        .collect();
    if texts.is_empty() {
        eprintln!("usage: bench [--rounds N] FILE...");
        std::process::exit(2);
    }
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let run = |(id, text): &(String, String)| grammar::extract(&Document { id, text }).len();

    let mut mentions = 0;
    for t in &texts {
        mentions += run(t);
    }
    let mut slowest = vec![Duration::ZERO; texts.len()];
    let mut round_secs = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let round = Instant::now();
        for (k, t) in texts.iter().enumerate() {
            let s = Instant::now();
            std::hint::black_box(run(t));
            slowest[k] = slowest[k].max(s.elapsed());
        }
        round_secs.push(round.elapsed().as_secs_f64());
    }
    round_secs.sort_by(f64::total_cmp);
    let (best, median) = (round_secs[0], round_secs[round_secs.len() / 2]);
    let n = texts.len() as f64;
    let (worst, worst_time) = slowest
        .iter()
        .enumerate()
        .max_by_key(|(_, d)| **d)
        .map(|(k, d)| (&texts[k].0, *d))
        .unwrap_or((&texts[0].0, Duration::ZERO));
    println!(
        "{} articles, {:.1} KB, {} mentions; {} rounds: best {:.0} articles/s, {:.2} MB/s; median {:.0} articles/s, {:.2} MB/s; slowest call {} ({:.1} µs)",
        texts.len(),
        bytes as f64 / 1e3,
        mentions,
        rounds,
        n / best,
        bytes as f64 / best / 1e6,
        n / median,
        bytes as f64 / median / 1e6,
        worst,
        worst_time.as_secs_f64() * 1e6,
    );
}
