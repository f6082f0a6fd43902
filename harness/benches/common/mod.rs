//! What the bench executables share.

use std::path::PathBuf;

/// The gold and predictions paths: the two `*.jsonl` arguments (cargo also
/// passes `--bench`). Exits with a usage line naming `bench` otherwise.
pub fn gold_and_predictions(bench: &str) -> (PathBuf, PathBuf) {
    let paths: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| a.ends_with(".jsonl"))
        .map(PathBuf::from)
        .collect();
    match <[PathBuf; 2]>::try_from(paths) {
        Ok([gold, preds]) => (gold, preds),
        Err(_) => {
            eprintln!("usage: cargo bench -p harness --bench {bench} -- GOLD.jsonl PREDICTIONS.jsonl");
            std::process::exit(2);
        }
    }
}
