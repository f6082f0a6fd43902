//! Command line + config file → a checked plan (ripgrep's layering: args →
//! plan → work). Everything that can be wrong with the inputs is found here,
//! before any plugin runs: missing files, a gate file with a syntax error or
//! a value out of range, an unreadable baseline, an output path that is a
//! file, an unknown subset. Paths are made absolute, so a plan means the same
//! from any working directory (the resume marker stores it as data).

use crate::cache::Cache;
use crate::cli::{EvalArgs, GoldArgs, OutputArgs, ScoringArgs, ShardArg};
use crate::config::EvalConfig;
use crate::gate::GateConfig;
use crate::gold::{self, GoldSet, Shard};
use crate::plugin::{Isolation, Limits, PluginSpec};
use crate::report::{Report, ScoreOptions};
use crate::run::RunOptions;
use crate::score::{MatchConfig, ResamplingConfig};
use crate::Error;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Which articles, from where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoldPlan {
    pub path: PathBuf,
    pub subset: Option<String>,
    pub limit: Option<usize>,
    pub shard: Option<Shard>,
}

/// Where reports go and what decides the exit code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputPlan {
    pub out: PathBuf,
    pub gate: Option<PathBuf>,
    pub baseline: Option<PathBuf>,
    pub json: bool,
}

/// Everything `eval` will do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvalPlan {
    pub gold: GoldPlan,
    pub plugins: Vec<PluginSpec>,
    pub run: RunOptions,
    pub scoring: ScoringPlan,
    pub output: OutputPlan,
}

/// Scoring settings plus the thread count (which never changes numbers).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoringPlan {
    pub options: ScoreOptions,
    pub threads: Option<usize>,
}

/// The gate and baseline, read and checked.
pub struct Checks {
    pub gate: Option<GateConfig>,
    pub baseline: Option<(String, Report)>,
}

pub fn cwd() -> Result<PathBuf, Error> {
    std::env::current_dir().map_err(Error::io("."))
}

fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    cwd.join(p)
}

pub fn scoring(a: &ScoringArgs, config: &crate::config::Scoring) -> ScoringPlan {
    let d = ResamplingConfig::default();
    ScoringPlan {
        options: ScoreOptions {
            matching: MatchConfig {
                min_overlap: a.min_overlap.or(config.min_overlap).unwrap_or(0.0),
            },
            resampling: ResamplingConfig {
                seed: a.seed.or(config.seed).unwrap_or(d.seed),
                resamples: a.resamples.or(config.resamples).unwrap_or(d.resamples),
                trials: a.trials.or(config.trials).unwrap_or(d.trials),
            },
        },
        threads: a.threads.map(usize::from),
    }
}

pub fn gold(a: &GoldArgs, config: &EvalConfig, cwd: &Path) -> Result<GoldPlan, Error> {
    let path = a
        .gold
        .as_ref()
        .map(|p| absolute(cwd, p))
        .or_else(|| config.gold.clone())
        .unwrap_or_else(|| cwd.join("gold"));
    if !path.exists() {
        return Err(Error::Missing {
            what: "gold directory or file",
            path,
        });
    }
    let subset = a.subset.clone().or_else(|| config.subset.clone());
    if let Some(name) = &subset {
        gold::subsets::patterns(&path, name)?;
    }
    let shard = match a.shard {
        None => None,
        Some(ShardArg::Fixed(s)) => Some(s),
        Some(ShardArg::Auto) => Some(Shard::from_env(|k| std::env::var(k).ok()).map_err(Error::Usage)?),
    };
    Ok(GoldPlan {
        path,
        subset,
        limit: a.limit.map(|n| n as usize),
        shard,
    })
}

pub fn output(a: &OutputArgs, config: &EvalConfig, cwd: &Path) -> Result<OutputPlan, Error> {
    let out = a
        .out
        .as_ref()
        .map(|p| absolute(cwd, p))
        .or_else(|| config.out.clone())
        .unwrap_or_else(|| cwd.join("reports"));
    if out.exists() && !out.is_dir() {
        return Err(Error::Usage(format!(
            "--out {} is a file; it must name a directory for the reports",
            out.display()
        )));
    }
    let gate = a
        .gate
        .as_ref()
        .map(|p| absolute(cwd, p))
        .or_else(|| config.gate.clone());
    let baseline = a
        .baseline
        .as_ref()
        .map(|p| absolute(cwd, p))
        .or_else(|| config.baseline.clone());
    Ok(OutputPlan {
        out,
        gate,
        baseline,
        json: a.json,
    })
}

/// Reads a report file, refusing one from a newer harness.
pub fn read_report(path: &Path) -> Result<Report, Error> {
    let src = std::fs::read_to_string(path).map_err(Error::io(path))?;
    #[derive(Deserialize)]
    struct Version {
        schema_version: u32,
    }
    if let Ok(v) = serde_json::from_str::<Version>(&src) {
        if v.schema_version > crate::report::REPORT_SCHEMA_VERSION {
            return Err(Error::BadInput(format!(
                "{}: report schema version {} is newer than this harness reads ({}); upgrade the harness",
                path.display(),
                v.schema_version,
                crate::report::REPORT_SCHEMA_VERSION
            )));
        }
    }
    let de = &mut serde_json::Deserializer::from_str(&src);
    let report = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let inner = e.inner();
        Error::BadInput(format!(
            "{}:{}:{}: not a harness report: {} (at {})",
            path.display(),
            inner.line(),
            inner.column(),
            inner,
            e.path()
        ))
    })?;
    // One report per file: anything after it (two reports run together,
    // a stray write) is refused, not ignored.
    de.end().map_err(|e| {
        Error::BadInput(format!(
            "{}:{}:{}: not a harness report: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    Ok(report)
}

impl OutputPlan {
    /// Reads and checks the gate and the baseline (before anything runs).
    pub fn checks(&self) -> Result<Checks, Error> {
        let gate = match &self.gate {
            Some(p) => {
                let src = std::fs::read_to_string(p).map_err(Error::io(p))?;
                Some(GateConfig::parse(&src, &p.display().to_string())?)
            }
            None => None,
        };
        let baseline = match &self.baseline {
            Some(p) => Some((p.display().to_string(), read_report(p)?)),
            None => None,
        };
        Ok(Checks { gate, baseline })
    }
}

/// Loads the plan's articles: the gold set, its subset, its first `limit`
/// articles, its shard.
pub fn load_gold(g: &GoldPlan) -> Result<GoldSet, Error> {
    let mut set = if gold::is_jsonl(&g.path) {
        gold::load_jsonl(&g.path)?
    } else {
        gold::load_dir(&g.path)?
    };
    if let Some(name) = &g.subset {
        set = set.select(&gold::subsets::patterns(&g.path, name)?);
    }
    if let Some(n) = g.limit {
        set = set.limit(n);
    }
    if let Some(s) = g.shard {
        set = set.shard(s);
    }
    Ok(set)
}

impl EvalPlan {
    pub fn from_args(a: &EvalArgs) -> Result<EvalPlan, Error> {
        let cwd = cwd()?;
        let config = EvalConfig::find(a.config.as_deref(), &cwd)?;
        let plugins = if a.plugins.is_empty() {
            config.plugins.clone()
        } else {
            a.plugins
                .iter()
                .map(|s| PluginSpec::parse(s, &cwd))
                .collect::<Result<Vec<_>, _>>()?
        };
        if plugins.is_empty() {
            return Err(Error::Usage(
                "no plugin to evaluate: give --plugin (or `plugins` in eval.toml)".into(),
            ));
        }
        let gold = gold(&a.gold, &config, &cwd)?;
        let output = output(&a.output, &config, &cwd)?;
        let l = &config.limits;
        let secs = |flag: Option<Duration>, conf: Option<f64>, what: &str| -> Result<Option<Duration>, Error> {
            match (flag, conf) {
                (Some(d), _) => Ok(Some(d)),
                (None, Some(s)) if s.is_finite() && s > 0.0 && s <= 7.0 * 86_400.0 => {
                    Ok(Some(Duration::from_secs_f64(s)))
                }
                (None, Some(s)) => Err(Error::BadInput(format!(
                    "{}: [limits] {what} = {s} must be a positive number of seconds (at most a week)",
                    config.path.as_deref().unwrap_or(Path::new("eval.toml")).display()
                ))),
                (None, None) => Ok(None),
            }
        };
        let max_output_mb = a.max_output_mb.or(l.max_output_mb).unwrap_or(64).clamp(1, 4096);
        let cache_dir = a
            .cache_dir
            .as_ref()
            .map(|p| absolute(&cwd, p))
            .or_else(|| config.cache_dir.clone())
            .unwrap_or_else(|| output.out.join(".cache"));
        let run = RunOptions {
            isolation: if a.in_process {
                Isolation::InProcess
            } else {
                Isolation::Worker
            },
            limits: Limits {
                timeout: secs(a.timeout, l.timeout, "timeout")?.unwrap_or(Duration::from_secs(30)),
                max_output_bytes: (max_output_mb as usize) << 20,
                memory_bytes: a.memory_mb.or(l.memory_mb).unwrap_or(4096) << 20,
            },
            max_consecutive_failures: a.max_failures.or(l.max_failures).unwrap_or(5).max(1) as usize,
            budget: secs(a.budget, l.budget, "budget")?,
            jobs: a
                .jobs
                .or(l.jobs)
                .map(usize::from)
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
                .max(1),
            cache: (!a.no_cache).then(|| Cache::new(cache_dir)),
            repeats: a.repeat.or(l.repeat).unwrap_or(1).max(1) as usize,
            retries: a.retries.or(l.retries).unwrap_or(2) as usize,
        };
        Ok(EvalPlan {
            gold,
            plugins,
            run,
            scoring: scoring(&a.scoring, &config.scoring),
            output,
        })
    }
}
