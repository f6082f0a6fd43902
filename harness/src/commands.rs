//! One function per subcommand; each returns the process exit code.

use crate::cache::Cache;
use crate::cli::{CompareArgs, EvalArgs, MergeArgs, OutputArgs, ScoreArgs, ScoringArgs};
use crate::gate::{self, GateConfig};
use crate::gold::{self, GoldSet, Shard};
use crate::plugin::{Isolation, Limits, PluginSpec};
use crate::report::{self, render, write::atomic_write, Report, ScoreOptions};
use crate::run::{self, RunOptions};
use crate::score::{MatchConfig, ResamplingConfig};
use crate::{exit, Error, Result};
use clap::Parser;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

fn score_options(a: &ScoringArgs) -> Result<ScoreOptions> {
    if !(0.0..=1.0).contains(&a.min_overlap) {
        return Err(Error::BadInput(format!(
            "--min-overlap {} is not in [0, 1]",
            a.min_overlap
        )));
    }
    Ok(ScoreOptions {
        matching: MatchConfig {
            min_overlap: a.min_overlap,
        },
        resampling: ResamplingConfig {
            seed: a.seed,
            resamples: a.resamples,
            trials: a.trials,
        },
    })
}

fn load_gold(path: &Path) -> Result<GoldSet> {
    if !path.exists() {
        return Err(Error::Missing {
            what: "gold directory or file",
            path: path.to_path_buf(),
        });
    }
    if gold::is_jsonl(path) {
        gold::load_jsonl(path)
    } else {
        gold::load_dir(path)
    }
}

pub fn read_report(path: &Path) -> Result<Report> {
    let src = std::fs::read_to_string(path).map_err(Error::io(path))?;
    let de = &mut serde_json::Deserializer::from_str(&src);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        Error::BadInput(format!(
            "{}:{}:{}: not a harness report: {} (at {})",
            path.display(),
            inner.line(),
            inner.column(),
            inner,
            e.path()
        ))
    })
}

fn meta(command: &str, gold: &GoldSet, opts: &ScoreOptions, started: SystemTime) -> report::Meta {
    let mut m = bare_meta(command, &gold.dir, opts, started);
    m.gold = report::GoldMeta {
        dir: gold.dir.display().to_string(),
        sha256: gold.sha256.clone(),
        articles: gold.info(),
    };
    m
}

/// Meta without the gold's identity (filled by whoever reads the gold).
fn bare_meta(command: &str, gold_path: &Path, opts: &ScoreOptions, started: SystemTime) -> report::Meta {
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

/// Gates, writes every report, prints the table; returns the exit code.
fn finish(mut report: Report, out: &OutputArgs, started: Instant) -> Result<i32> {
    let gate_config = match &out.gate {
        Some(p) => {
            let src = std::fs::read_to_string(p).map_err(Error::io(p))?;
            Some(GateConfig::parse(&src, &p.display().to_string())?)
        }
        None => None,
    };
    let baseline = match &out.baseline {
        Some(p) => Some((p.display().to_string(), read_report(p)?)),
        None => None,
    };
    if let Some(cfg) = &gate_config {
        report.gate = Some(gate::evaluate(
            &report,
            cfg,
            baseline.as_ref().map(|(p, r)| (p.as_str(), r)),
        ));
    }
    report.meta.duration_ms = started.elapsed().as_millis() as u64;
    report.meta.peak_rss_mb = report::meta::peak_rss_mb();

    // Write every report before deciding the exit code.
    for renderer in render::all() {
        for o in renderer.render(&report) {
            atomic_write(&out.out.join(o.file_name), o.contents.as_bytes())?;
        }
    }
    eprint!("{}", render::terminal::render(&report, render::terminal::use_colour()));
    if let Some((path, base)) = &baseline {
        eprintln!("\nchanges against {path}:");
        eprint!("{}", crate::compare::render(&crate::compare::compare(base, &report)));
    }
    eprintln!("\nreports written to {}", out.out.display());
    if out.json {
        print!("{}", render::to_json(&report));
    }
    Ok(match &report.gate {
        Some(g) if !g.passed => exit::GATE_FAILED,
        _ if report.plugins.iter().any(|p| p.load_error.is_some()) => exit::PLUGIN_LOAD,
        _ => exit::OK,
    })
}

/// Sizes the global thread pool used for scoring and resampling.
fn init_threads(threads: Option<usize>) {
    if let Some(n) = threads {
        // Fails only if the pool was already built, which is harmless.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
    }
}

fn shard_gold(gold: GoldSet, shard: Option<Shard>) -> GoldSet {
    match shard {
        Some(s) => gold.shard(s),
        None => gold,
    }
}

/// The marker an unfinished `eval` leaves in its output directory: the
/// command line to repeat on `--resume`. Removed once the reports are written.
const IN_PROGRESS: &str = ".eval-in-progress.json";

/// Reads the interrupted run's command line back.
fn resumed_args(out: &Path) -> Result<EvalArgs> {
    let marker = out.join(IN_PROGRESS);
    if !marker.exists() {
        return Err(Error::BadInput(format!(
            "--resume: no interrupted run in {} (no {IN_PROGRESS}); every run there finished",
            out.display()
        )));
    }
    let src = std::fs::read_to_string(&marker).map_err(Error::io(&marker))?;
    let argv: Vec<String> = serde_json::from_str(&src)
        .map_err(|e| Error::BadInput(format!("{}: not a run marker: {e}", marker.display())))?;
    match crate::cli::Cli::try_parse_from(&argv).map(|c| c.command) {
        Ok(crate::cli::Command::Eval(a)) => Ok(a),
        _ => Err(Error::BadInput(format!(
            "{}: the recorded command line is not an eval",
            marker.display()
        ))),
    }
}

pub fn eval(a: &EvalArgs) -> Result<i32> {
    if a.resume {
        let resumed = resumed_args(&a.output.out)?;
        eprintln!("resuming the interrupted run in {}", a.output.out.display());
        return eval_with(&resumed, None);
    }
    eval_with(a, Some(std::env::args().collect()))
}

fn eval_with(a: &EvalArgs, argv: Option<Vec<String>>) -> Result<i32> {
    let started = (SystemTime::now(), Instant::now());
    init_threads(a.scoring.threads);
    let opts = score_options(&a.scoring)?;
    let gold = shard_gold(load_gold(&a.gold)?, a.shard);
    let specs = a
        .plugins
        .iter()
        .map(|s| PluginSpec::parse(s))
        .collect::<Result<Vec<_>>>()?;
    let cache = (!a.no_cache).then(|| Cache::new(a.cache_dir.clone().unwrap_or_else(|| a.output.out.join(".cache"))));
    let run_opts = RunOptions {
        isolation: if a.in_process {
            Isolation::InProcess
        } else {
            Isolation::Worker
        },
        limits: Limits {
            timeout: Duration::from_secs_f64(a.timeout.max(0.001)),
            max_output_bytes: a.max_output_mb << 20,
            memory_bytes: a.memory_mb << 20,
        },
        max_consecutive_failures: a.max_failures.max(1),
        budget: a.budget.map(Duration::from_secs_f64),
        jobs: a
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        cache,
    };
    let marker = a.output.out.join(IN_PROGRESS);
    if let Some(argv) = argv {
        let argv = serde_json::to_vec(&argv).expect("strings serialize");
        atomic_write(&marker, &argv)?;
    }
    let runs = run::run_all(&specs, &gold.articles, &run_opts);
    let mut report = report::build(&gold, &runs, &opts, meta("eval", &gold, &opts, started.0));
    report.meta.shard = a.shard;
    let code = finish(report, &a.output, started.1)?;
    let _ = std::fs::remove_file(&marker);
    Ok(code)
}

pub fn score(a: &ScoreArgs) -> Result<i32> {
    let started = (SystemTime::now(), Instant::now());
    init_threads(a.scoring.threads);
    let opts = score_options(&a.scoring)?;
    if gold::is_jsonl(&a.gold) {
        let stream = crate::stream::StreamArgs {
            gold: &a.gold,
            predictions: &a.predictions,
            on_bad: a.on_bad_line,
            shard: a.shard,
            keep_details: a.keep_details,
        };
        for p in &a.predictions {
            if p.is_dir() {
                return Err(Error::BadInput(format!(
                    "{}: a JSON-lines gold is scored against JSON-lines predictions, not a directory",
                    p.display()
                )));
            }
        }
        let report = crate::stream::score(&stream, &opts, bare_meta("score", &a.gold, &opts, started.0))?;
        return finish(report, &a.output, started.1);
    }
    let gold = shard_gold(load_gold(&a.gold)?, a.shard);
    let runs = a
        .predictions
        .iter()
        .map(|p| {
            if !p.exists() {
                return Err(Error::Missing {
                    what: "predictions",
                    path: p.clone(),
                });
            }
            crate::predictions::read(p, &gold, a.on_bad_line)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut report = report::build(&gold, &runs, &opts, meta("score", &gold, &opts, started.0));
    report.meta.shard = a.shard;
    finish(report, &a.output, started.1)
}

pub fn merge(a: &MergeArgs) -> Result<i32> {
    let started = Instant::now();
    let parts = a
        .partials
        .iter()
        .map(|p| Ok((p.display().to_string(), read_report(p)?)))
        .collect::<Result<Vec<_>>>()?;
    let report = crate::merge::merge(parts).map_err(|e| Error::BadInput(e.to_string()))?;
    finish(report, &a.output, started)
}

pub fn gold_check(dir: &Path) -> Result<i32> {
    let set = load_gold(dir)?;
    let mentions: usize = set.articles.iter().map(|a| a.mentions.len()).sum();
    eprintln!(
        "{}: {} articles, {mentions} mentions, no problems",
        dir.display(),
        set.articles.len()
    );
    Ok(exit::OK)
}

pub fn compare(a: &CompareArgs) -> Result<i32> {
    let (base, new) = (read_report(&a.base)?, read_report(&a.new)?);
    let c = crate::compare::compare(&base, &new);
    eprint!("{}", crate::compare::render(&c));
    if a.json {
        println!("{}", serde_json::to_string_pretty(&c).expect("comparisons serialize"));
    }
    Ok(exit::OK)
}
