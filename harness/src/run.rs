//! Running plugins over the gold articles. Produces, per plugin, an outcome
//! for every article: its validated mentions or a classified error. A plugin
//! that cannot be loaded is kept as a row with its load error.

use crate::gold::GoldSet;
use crate::plugin::{self, parse_response, Backend, CallError, ErrorKind, Isolation, Limits, PluginInfo, PluginSpec};
use crate::score::PredMention;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    pub isolation: Isolation,
    pub limits: Limits,
    /// After this many consecutive failed articles a plugin is skipped for the
    /// rest of the run.
    pub max_consecutive_failures: usize,
    /// Whole-run budget per plugin; articles after it are skipped.
    pub budget: Option<Duration>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            isolation: Isolation::Worker,
            limits: Limits::default(),
            max_consecutive_failures: 5,
            budget: None,
        }
    }
}

#[derive(Debug)]
pub struct ArticleRun {
    pub id: String,
    pub outcome: Result<Vec<PredMention>, CallError>,
    pub elapsed: Duration,
}

#[derive(Debug)]
pub struct PluginRun {
    /// The label the user gave (path or command).
    pub spec: String,
    /// `None` when the plugin could not be loaded.
    pub info: Option<PluginInfo>,
    pub load_error: Option<String>,
    pub articles: Vec<ArticleRun>,
    pub elapsed: Duration,
}

/// Calls one article and validates the response against its text.
pub fn call_article(backend: &mut dyn Backend, id: &str, text: &str) -> Result<Vec<PredMention>, CallError> {
    let bytes = backend.call(id, text)?;
    let parsed = parse_response(&bytes, text, false)?;
    match parsed.id {
        Some(got) if got != id => Err(CallError::new(
            ErrorKind::Protocol,
            format!("response for article {got:?} while {id:?} was asked"),
        )),
        _ => Ok(parsed.mentions),
    }
}

pub fn run_plugin(spec: &PluginSpec, gold: &GoldSet, opts: &RunOptions, bar: &ProgressBar) -> PluginRun {
    let started = Instant::now();
    let mut backend = match plugin::open(spec, opts.isolation, opts.limits) {
        Ok(b) => b,
        Err(e) => {
            bar.finish_with_message(format!("load failed: {e}"));
            return PluginRun {
                spec: spec.label(),
                info: None,
                load_error: Some(e.to_string()),
                articles: Vec::new(),
                elapsed: started.elapsed(),
            };
        }
    };
    bar.set_message(backend.info().name.clone());
    let mut articles = Vec::with_capacity(gold.articles.len());
    let mut consecutive = 0;
    for a in &gold.articles {
        let t = Instant::now();
        let skip = if consecutive >= opts.max_consecutive_failures {
            Some(format!("skipped: the plugin failed {consecutive} articles in a row"))
        } else if opts.budget.is_some_and(|b| started.elapsed() > b) {
            Some("skipped: the run budget is spent".to_string())
        } else {
            None
        };
        let outcome = match skip {
            Some(msg) => Err(CallError::new(ErrorKind::Skipped, msg)),
            None => call_article(backend.as_mut(), &a.id, &a.text),
        };
        match &outcome {
            Ok(_) => consecutive = 0,
            Err(e) if e.kind != ErrorKind::Skipped => {
                consecutive += 1;
                bar.suspend(|| eprintln!("warning: {} on {}: {e}", backend.info().name, a.id));
            }
            Err(_) => {}
        }
        articles.push(ArticleRun {
            id: a.id.clone(),
            outcome,
            elapsed: t.elapsed(),
        });
        bar.inc(1);
    }
    bar.finish();
    PluginRun {
        spec: spec.label(),
        info: Some(backend.info().clone()),
        load_error: None,
        articles,
        elapsed: started.elapsed(),
    }
}

/// Runs every plugin over every article, one progress bar per plugin on
/// stderr (hidden when stderr is not a terminal). Plugins run concurrently,
/// each on its own thread; results come back in the order given.
pub fn run_all(specs: &[PluginSpec], gold: &GoldSet, opts: &RunOptions) -> Vec<PluginRun> {
    let multi = MultiProgress::new();
    let style = ProgressStyle::with_template("{prefix:>24} [{bar:30}] {pos}/{len} {msg}")
        .expect("valid template")
        .progress_chars("=> ");
    std::thread::scope(|s| {
        let handles: Vec<_> = specs
            .iter()
            .map(|spec| {
                let bar = multi.add(ProgressBar::new(gold.articles.len() as u64));
                bar.set_style(style.clone());
                bar.set_prefix(short(&spec.label()));
                s.spawn(move || run_plugin(spec, gold, opts, &bar))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("plugin runner thread"))
            .collect()
    })
}

fn short(label: &str) -> String {
    let name = label.rsplit('/').next().unwrap_or(label);
    name.chars().take(24).collect()
}
