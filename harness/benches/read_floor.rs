//! The read floor: the least any scorer built on serde_json must do with a
//! JSON-lines gold and predictions pair, and nothing more. Both files are
//! read in large blocks, validated as UTF-8, hashed with SHA-256 (a report
//! must say which inputs it scored), and every line is parsed once into
//! borrowed typed mentions. No checks, no scoring, no report.
//!
//!     cargo bench -p harness --bench read_floor -- GOLD.jsonl PREDICTIONS.jsonl
//!
//! Uses none of the harness's own code, so it stays a floor when that code
//! changes. `cargo xtask bench` times the process (CPU time, as it times
//! `harness score`) in the same rounds as the harness and nervaluate, so
//! BENCHMARKS.md can say how far above this floor the whole process runs.

use extractor_api::{Field, Value};
use serde::Deserialize;
use sha2::Digest;
use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

// The shipped binary's allocator, as in the scoring bench.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

/// The harness's read size for JSON-lines gold.
const BLOCK: u64 = 256 << 10;

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    #[allow(dead_code)]
    id: Cow<'a, str>,
    #[serde(borrow, default)]
    #[allow(dead_code)]
    text: Option<Cow<'a, str>>,
    #[serde(default)]
    #[allow(dead_code)]
    ignore: Vec<serde::de::IgnoredAny>,
    mentions: Vec<Mention<'a>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Mention<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
    field: Field,
    start: Option<usize>,
    end: Option<usize>,
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
    value: Value,
}

/// Reads, validates, hashes and parses one file; returns its mention count.
fn read(path: &Path) -> usize {
    let mut file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut hasher = sha2::Sha256::new();
    let mut buf: Vec<u8> = Vec::with_capacity(2 * BLOCK as usize);
    let mut mentions = 0;
    loop {
        let kept = buf.len();
        let got = (&mut file).take(BLOCK).read_to_end(&mut buf).expect("readable");
        hasher.update(&buf[kept..]);
        // Whole lines only; the rest waits for the next block.
        let end = if got == 0 {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => i + 1,
                None => continue,
            }
        };
        let text = simdutf8::basic::from_utf8(&buf[..end]).expect("UTF-8");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let parsed: Line = serde_json::from_str(line).expect("a JSON line");
            mentions += parsed.mentions.len();
        }
        buf.drain(..end);
        if got == 0 {
            break;
        }
    }
    std::hint::black_box(hasher.finalize());
    mentions
}

fn main() {
    let (gold, preds) = common::gold_and_predictions("read_floor");
    let mentions = read(&gold) + read(&preds);
    println!("{{\"mentions\": {mentions}}}");
}
