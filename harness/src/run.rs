//! Running plugins over the gold articles. Produces, per plugin, an outcome
//! for every article: its validated mentions or a classified error. A plugin
//! that cannot be loaded is kept as a row with its load error.
//!
//! Plugins run concurrently, and each plugin's articles are spread over up to
//! `jobs` instances (worker processes, command processes, or in-process
//! instances of a library that declares itself thread-safe). Outcomes land in
//! article order whatever the scheduling, so the scores do not depend on the
//! number of jobs.

use crate::cache::{self, Cache};
use crate::gold::GoldArticle;
use crate::plugin::{self, parse_response, Backend, CallError, ErrorKind, Isolation, Limits, PluginInfo, PluginSpec};
use crate::score::PredMention;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct RunOptions {
    pub isolation: Isolation,
    pub limits: Limits,
    /// After this many consecutive failed articles a plugin is skipped for the
    /// rest of the run.
    pub max_consecutive_failures: usize,
    /// Whole-run budget per plugin; articles after it are skipped.
    pub budget: Option<Duration>,
    /// Instances per plugin working on articles at the same time.
    pub jobs: usize,
    pub cache: Option<Cache>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            isolation: Isolation::Worker,
            limits: Limits::default(),
            max_consecutive_failures: 5,
            budget: None,
            jobs: 1,
            cache: None,
        }
    }
}

#[derive(Debug)]
pub struct ArticleRun {
    pub id: String,
    pub outcome: Result<Vec<PredMention>, CallError>,
    pub elapsed: Duration,
    /// The outcome came from the output cache (`elapsed` is the original call's).
    pub cached: bool,
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
    /// Peak resident memory of the plugin's largest process, when measurable.
    pub peak_rss_bytes: Option<u64>,
}

/// Calls one article and validates the response against its text. Returns
/// the mentions and the raw payload (for the cache).
pub fn call_article(backend: &mut dyn Backend, id: &str, text: &str) -> Result<(Vec<PredMention>, Vec<u8>), CallError> {
    let bytes = backend.call(id, text)?;
    let parsed = parse_response(&bytes, text, false)?;
    match parsed.id {
        Some(got) if got != id => Err(CallError::new(
            ErrorKind::Protocol,
            format!("response for article {got:?} while {id:?} was asked"),
        )),
        _ => Ok((parsed.mentions, bytes)),
    }
}

/// State shared by the instances of one plugin.
struct Shared<'a> {
    spec: &'a PluginSpec,
    articles: &'a [GoldArticle],
    opts: &'a RunOptions,
    cache_key: Option<String>,
    name: String,
    started: Instant,
    next: AtomicUsize,
    consecutive: AtomicUsize,
    peak_rss: AtomicU64,
    slots: Mutex<Vec<Option<ArticleRun>>>,
    bar: &'a ProgressBar,
}

impl Shared<'_> {
    fn cached(&self, a: &GoldArticle) -> Option<ArticleRun> {
        let (cache, key) = (self.opts.cache.as_ref()?, self.cache_key.as_ref()?);
        let hit = cache.get(key, &a.sha256)?;
        // Same text, so the same validation result; the id is not checked
        // because equal texts may come under different ids.
        let parsed = parse_response(hit.response.as_bytes(), &a.text, false).ok()?;
        Some(ArticleRun {
            id: a.id.clone(),
            outcome: Ok(parsed.mentions),
            elapsed: Duration::from_secs_f64(hit.elapsed_ms / 1e3),
            cached: true,
        })
    }

    fn skip_reason(&self) -> Option<String> {
        let consecutive = self.consecutive.load(Ordering::SeqCst);
        if consecutive >= self.opts.max_consecutive_failures {
            Some(format!("skipped: the plugin failed {consecutive} articles in a row"))
        } else if self.opts.budget.is_some_and(|b| self.started.elapsed() > b) {
            Some("skipped: the run budget is spent".to_string())
        } else {
            None
        }
    }

    fn call(&self, backend: &mut Option<Box<dyn Backend>>, a: &GoldArticle) -> ArticleRun {
        let t = Instant::now();
        let outcome = match backend {
            Some(b) => call_article(b.as_mut(), &a.id, &a.text),
            None => match plugin::open(self.spec, self.opts.isolation, self.opts.limits) {
                Ok(b) => call_article(backend.insert(b).as_mut(), &a.id, &a.text),
                Err(e) => Err(CallError::new(
                    ErrorKind::Crash,
                    format!("cannot start another instance: {e}"),
                )),
            },
        };
        let elapsed = t.elapsed();
        let outcome = outcome.map(|(mentions, bytes)| {
            if let (Some(cache), Some(key)) = (&self.opts.cache, &self.cache_key) {
                let entry = cache::Entry {
                    response: String::from_utf8(bytes).expect("validated responses are UTF-8"),
                    elapsed_ms: elapsed.as_secs_f64() * 1e3,
                };
                if let Err(e) = cache.put(key, &a.sha256, &entry) {
                    self.bar
                        .suspend(|| eprintln!("warning: cannot write the output cache: {e}"));
                }
            }
            mentions
        });
        ArticleRun {
            id: a.id.clone(),
            outcome,
            elapsed,
            cached: false,
        }
    }

    /// One instance's loop: take the next article until none are left.
    fn work(&self, mut backend: Option<Box<dyn Backend>>) {
        loop {
            let i = self.next.fetch_add(1, Ordering::SeqCst);
            let Some(a) = self.articles.get(i) else { break };
            let run = match (self.cached(a), self.skip_reason()) {
                (Some(hit), _) => hit,
                (None, Some(msg)) => ArticleRun {
                    id: a.id.clone(),
                    outcome: Err(CallError::new(ErrorKind::Skipped, msg)),
                    elapsed: Duration::ZERO,
                    cached: false,
                },
                (None, None) => self.call(&mut backend, a),
            };
            match &run.outcome {
                Ok(_) => self.consecutive.store(0, Ordering::SeqCst),
                Err(e) if e.kind != ErrorKind::Skipped => {
                    self.consecutive.fetch_add(1, Ordering::SeqCst);
                    self.bar
                        .suspend(|| eprintln!("warning: {} on {}: {e}", self.name, a.id));
                }
                Err(_) => {}
            }
            self.slots.lock().expect("no panics while holding the lock")[i] = Some(run);
            self.bar.inc(1);
        }
        if let Some(peak) = backend.as_ref().and_then(|b| b.peak_rss_bytes()) {
            self.peak_rss.fetch_max(peak, Ordering::SeqCst);
        }
    }
}

/// How many instances of a plugin may run at once.
fn instances(info: &PluginInfo, opts: &RunOptions) -> usize {
    let parallel_safe = opts.isolation == Isolation::Worker || info.kind == "command" || info.thread_safe;
    if parallel_safe {
        opts.jobs.max(1)
    } else {
        1
    }
}

pub fn run_plugin(spec: &PluginSpec, articles: &[GoldArticle], opts: &RunOptions, bar: &ProgressBar) -> PluginRun {
    let started = Instant::now();
    let first = match plugin::open(spec, opts.isolation, opts.limits) {
        Ok(b) => b,
        Err(e) => {
            bar.finish_with_message(format!("load failed: {e}"));
            return PluginRun {
                spec: spec.label(),
                info: None,
                load_error: Some(e.to_string()),
                articles: Vec::new(),
                elapsed: started.elapsed(),
                peak_rss_bytes: None,
            };
        }
    };
    let info = first.info().clone();
    bar.set_message(info.name.clone());
    let shared = Shared {
        spec,
        articles,
        opts,
        cache_key: opts.cache.as_ref().map(|_| cache::plugin_key(spec, &info)),
        name: info.name.clone(),
        started,
        next: AtomicUsize::new(0),
        consecutive: AtomicUsize::new(0),
        peak_rss: AtomicU64::new(0),
        slots: Mutex::new((0..articles.len()).map(|_| None).collect()),
        bar,
    };
    let n = instances(&info, opts).min(articles.len()).max(1);
    std::thread::scope(|s| {
        for _ in 1..n {
            s.spawn(|| shared.work(None));
        }
        shared.work(Some(first));
    });
    bar.finish();
    let peak = shared.peak_rss.load(Ordering::SeqCst);
    PluginRun {
        spec: spec.label(),
        info: Some(info),
        load_error: None,
        articles: shared
            .slots
            .into_inner()
            .expect("no panics while holding the lock")
            .into_iter()
            .map(|r| r.expect("every article is taken exactly once"))
            .collect(),
        elapsed: started.elapsed(),
        peak_rss_bytes: (peak > 0).then_some(peak),
    }
}

/// Runs every plugin over the articles, one progress bar per plugin on
/// stderr (hidden when stderr is not a terminal). Plugins run concurrently;
/// results come back in the order given.
pub fn run_all(specs: &[PluginSpec], articles: &[GoldArticle], opts: &RunOptions) -> Vec<PluginRun> {
    let multi = MultiProgress::new();
    let style = ProgressStyle::with_template("{prefix:>24} [{bar:30}] {pos}/{len} {msg}")
        .expect("valid template")
        .progress_chars("=> ");
    std::thread::scope(|s| {
        let handles: Vec<_> = specs
            .iter()
            .map(|spec| {
                let bar = multi.add(ProgressBar::new(articles.len() as u64));
                bar.set_style(style.clone());
                bar.set_prefix(short(&spec.label()));
                s.spawn(move || run_plugin(spec, articles, opts, &bar))
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
