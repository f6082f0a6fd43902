//! One module per subcommand; each turns a checked plan into work and
//! returns the process exit code. Shared here: the thread pool and the
//! report metadata.

pub mod annotate;
pub mod compare;
pub mod eval;
pub mod gold;
pub mod merge;
pub mod score;
pub mod show;

use crate::gold::GoldSet;
use crate::report::{self, ScoreOptions};
use std::path::Path;
use std::time::SystemTime;

/// Sizes the global thread pool used for scoring and resampling.
pub fn init_threads(threads: Option<usize>) {
    if let Some(n) = threads {
        // Fails only if the pool was already built, which is harmless.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
    }
}

/// Report metadata for a run over `gold`.
pub fn meta(command: &str, gold: &GoldSet, opts: &ScoreOptions, started: SystemTime) -> report::Meta {
    let mut m = bare_meta(command, &gold.dir, opts, started);
    m.gold = report::GoldMeta {
        dir: gold.dir.display().to_string(),
        sha256: gold.sha256.clone(),
        articles: gold.info(),
    };
    m
}

/// Meta without the gold's identity (filled by whoever reads the gold).
pub fn bare_meta(command: &str, gold_path: &Path, opts: &ScoreOptions, started: SystemTime) -> report::Meta {
    let dir = if gold_path.is_file() {
        gold_path.parent().unwrap_or(Path::new("."))
    } else {
        gold_path
    };
    let (git_commit, git_dirty) = report::meta::git_state(dir);
    report::Meta {
        harness_version: env!("CARGO_PKG_VERSION").to_string(),
        command: command.to_string(),
        git_commit,
        git_dirty,
        started_at: report::meta::rfc3339(started),
        duration_ms: 0,
        peak_rss_mb: None,
        shard: None,
        subset: None,
        gold: report::GoldMeta {
            dir: gold_path.display().to_string(),
            sha256: String::new(),
            articles: Vec::new(),
        },
        scoring: report::ScoringMeta {
            matching: opts.matching,
            resampling: opts.resampling,
            figure_rel_tolerance: crate::score::value::number::FIGURE_REL_TOL,
            percentage_abs_tolerance: crate::score::value::number::PERCENT_ABS_TOL,
        },
    }
}
