//! One function per subcommand; each returns the process exit code.

use crate::cli::{CompareArgs, EvalArgs, OutputArgs, ScoreArgs, ScoringArgs};
use crate::gate::{self, GateConfig};
use crate::gold::{self, GoldSet};
use crate::plugin::{Isolation, Limits, PluginSpec};
use crate::report::{self, render, write::atomic_write, Report, ScoreOptions};
use crate::run::{self, PluginRun, RunOptions};
use crate::score::{MatchConfig, ResamplingConfig};
use crate::{exit, Error, Result};
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

fn load_gold(dir: &Path) -> Result<GoldSet> {
    if !dir.exists() {
        return Err(Error::Missing {
            what: "gold directory",
            path: dir.to_path_buf(),
        });
    }
    gold::load_dir(dir)
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
    let (git_commit, git_dirty) = report::meta::git_state(&gold.dir);
    report::Meta {
        harness_version: env!("CARGO_PKG_VERSION").to_string(),
        command: command.to_string(),
        git_commit,
        git_dirty,
        started_at: report::meta::rfc3339(started),
        duration_ms: 0,
        gold: report::GoldMeta {
            dir: gold.dir.display().to_string(),
            sha256: gold.sha256.clone(),
            articles: gold.info(),
        },
        scoring: report::ScoringMeta {
            matching: opts.matching,
            resampling: opts.resampling,
            figure_rel_tolerance: crate::score::value::number::FIGURE_REL_TOL,
            percentage_abs_tolerance: crate::score::value::number::PERCENT_ABS_TOL,
        },
    }
}

/// Scores, gates, writes every report, prints the table; returns the exit code.
fn finish(
    command: &str,
    gold: &GoldSet,
    runs: Vec<PluginRun>,
    opts: &ScoreOptions,
    out: &OutputArgs,
    started: (SystemTime, Instant),
) -> Result<i32> {
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
    let mut report = report::build(gold, &runs, opts, meta(command, gold, opts, started.0));
    if let Some(cfg) = &gate_config {
        report.gate = Some(gate::evaluate(
            &report,
            cfg,
            baseline.as_ref().map(|(p, r)| (p.as_str(), r)),
        ));
    }
    report.meta.duration_ms = started.1.elapsed().as_millis() as u64;

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

pub fn eval(a: &EvalArgs) -> Result<i32> {
    let started = (SystemTime::now(), Instant::now());
    let opts = score_options(&a.scoring)?;
    let gold = load_gold(&a.gold)?;
    let specs = a
        .plugins
        .iter()
        .map(|s| PluginSpec::parse(s))
        .collect::<Result<Vec<_>>>()?;
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
    };
    let runs = run::run_all(&specs, &gold, &run_opts);
    finish("eval", &gold, runs, &opts, &a.output, started)
}

pub fn score(a: &ScoreArgs) -> Result<i32> {
    let started = (SystemTime::now(), Instant::now());
    let opts = score_options(&a.scoring)?;
    let gold = load_gold(&a.gold)?;
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
    finish("score", &gold, runs, &opts, &a.output, started)
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
