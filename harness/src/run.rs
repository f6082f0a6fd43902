//! Running plugins over the gold articles. Produces, per plugin, an outcome
//! for every article (and every repeat): its validated mentions or a
//! classified error. A plugin that cannot be loaded is kept as a row with its
//! load error.
//!
//! Plugins run concurrently, and each plugin's calls are spread over up to
//! `jobs` instances (worker processes, command processes, or in-process
//! instances of a library that declares itself thread-safe). Outcomes land in
//! article order whatever the scheduling, so the scores do not depend on the
//! number of jobs. A plugin whose every call is cached is never started.
//!
//! The runner prints nothing: it reports what happens as [`Event`]s to an
//! [`Observer`] (progress bars and warnings are one, in `progress`).

use crate::cache::{Cache, Entry};
use crate::gold::GoldArticle;
use crate::outcome::{ArticleRun, CallError, ErrorKind, PluginInfo, PluginRun};
use crate::plugin::{self, parse_response, Backend, Isolation, Limits, PluginSpec};
use extractor_api::protocol::Usage;
use extractor_api::Field;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Calls per article (`--repeat`); the first is the primary outcome.
    pub repeats: usize,
    /// How often an article is retried when the plugin asks for it
    /// (`retry_after_s`).
    pub retries: usize,
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
            repeats: 1,
            retries: 2,
        }
    }
}

/// What the runner reports while it works. `plugin` is the plugin's
/// position in the run.
#[derive(Debug)]
pub enum Event<'a> {
    /// A plugin's run begins: `calls` articles × repeats to do.
    Started {
        plugin: usize,
        label: &'a str,
        calls: usize,
    },
    /// The plugin told its name (or it came from the cache).
    Named { plugin: usize, name: &'a str },
    /// One call finished (from the cache, or failed with `error`).
    Finished {
        plugin: usize,
        article: &'a str,
        cached: bool,
        error: Option<&'a CallError>,
    },
    /// Something worth a line that is not an article's failure.
    Warning { plugin: usize, message: String },
    /// The plugin's run is over (`load_error` when it never started).
    Done { plugin: usize, load_error: Option<&'a str> },
}

/// Receives the runner's events; called from several threads at once.
pub trait Observer: Sync {
    fn on(&self, event: Event<'_>);
}

/// An observer that ignores everything.
pub struct Silent;

impl Observer for Silent {
    fn on(&self, _: Event<'_>) {}
}

/// A validated call.
struct Call {
    mentions: Vec<crate::mention::PredMention>,
    /// The raw reply, for the cache.
    bytes: Vec<u8>,
    unclaimed: usize,
    usage: Option<Usage>,
}

/// Validates a reply against the article and keeps the mentions of the
/// fields the plugin claims (the others are counted, never scored).
/// Mentions without offsets (an LLM's text it could not align) are
/// accepted and scored span-free only.
fn accept(bytes: Vec<u8>, text: &str, claimed: &[Field]) -> Result<Call, CallError> {
    let parsed = parse_response(&bytes, text, true)?;
    let total = parsed.mentions.len();
    let mentions: Vec<_> = parsed
        .mentions
        .into_iter()
        .filter(|m| claimed.contains(&m.field()))
        .collect();
    Ok(Call {
        unclaimed: total - mentions.len(),
        mentions,
        bytes,
        usage: parsed.usage,
    })
}

/// One (article, repeat) to do.
#[derive(Clone, Copy)]
struct Work {
    article: usize,
    repeat: usize,
}

/// State shared by the instances of one plugin.
struct Shared<'a> {
    index: usize,
    spec: &'a PluginSpec,
    info: PluginInfo,
    articles: &'a [GoldArticle],
    opts: &'a RunOptions,
    cache_key: Option<String>,
    started: Instant,
    /// Calls not answered from the cache, in the order they are made.
    todo: Vec<Work>,
    next: AtomicUsize,
    consecutive: AtomicUsize,
    peak_rss: AtomicU64,
    /// One slot per (repeat, article), repeat-major.
    slots: Mutex<Vec<Option<ArticleRun>>>,
    observer: &'a dyn Observer,
}

impl Shared<'_> {
    fn slot(&self, w: Work) -> usize {
        w.repeat * self.articles.len() + w.article
    }

    fn store(&self, w: Work, run: ArticleRun) {
        let i = self.slot(w);
        self.slots.lock().expect("no panics while holding the lock")[i] = Some(run);
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

    /// Calls one article, retrying when the plugin asks to (rate limits).
    /// The waits count in the run's time, not in the article's latency.
    fn call(&self, backend: &mut Option<Box<dyn Backend>>, a: &GoldArticle) -> (Result<Call, CallError>, Duration) {
        let mut busy = Duration::ZERO;
        let mut attempt = 0;
        loop {
            let t = Instant::now();
            let result = match backend {
                Some(b) => b.call(&a.id, &a.text),
                None => match plugin::open(self.spec, self.opts.isolation, self.opts.limits) {
                    Ok(b) => backend.insert(b).call(&a.id, &a.text),
                    Err(e) => Err(CallError::new(
                        ErrorKind::Crash,
                        format!("cannot start another instance: {e}"),
                    )),
                },
            }
            .and_then(|bytes| accept(bytes, &a.text, &self.info.fields));
            busy += t.elapsed();
            match &result {
                Err(CallError {
                    retry_after_s: Some(wait),
                    ..
                }) if attempt < self.opts.retries => {
                    attempt += 1;
                    self.observer.on(Event::Warning {
                        plugin: self.index,
                        message: format!(
                            "{} asks to retry {} after {wait:.1} s (attempt {attempt} of {})",
                            self.info.name, a.id, self.opts.retries
                        ),
                    });
                    std::thread::sleep(Duration::from_secs_f64(wait.min(600.0)));
                }
                _ => return (result, busy),
            }
        }
    }

    fn run_one(&self, backend: &mut Option<Box<dyn Backend>>, w: Work) -> ArticleRun {
        let a = &self.articles[w.article];
        if let Some(msg) = self.skip_reason() {
            return ArticleRun::failed(&a.id, CallError::new(ErrorKind::Skipped, msg), Duration::ZERO);
        }
        let (result, elapsed) = self.call(backend, a);
        let call = match result {
            Ok(call) => call,
            Err(e) => return ArticleRun::failed(&a.id, e, elapsed),
        };
        if let (Some(cache), Some(key)) = (&self.opts.cache, &self.cache_key) {
            let entry = Entry {
                response: String::from_utf8(call.bytes).expect("validated responses are UTF-8"),
                elapsed_ms: elapsed.as_secs_f64() * 1e3,
            };
            if let Err(e) = cache.put(key, &a.sha256, w.repeat, &entry) {
                self.observer.on(Event::Warning {
                    plugin: self.index,
                    message: format!("cannot write the output cache: {e}"),
                });
            }
        }
        ArticleRun {
            id: a.id.clone(),
            outcome: Ok(call.mentions),
            elapsed,
            cached: false,
            unclaimed: call.unclaimed,
            usage: call.usage,
        }
    }

    /// One instance's loop: take the next call until none are left.
    fn work(&self, mut backend: Option<Box<dyn Backend>>) {
        loop {
            let k = self.next.fetch_add(1, Ordering::SeqCst);
            let Some(&w) = self.todo.get(k) else { break };
            let run = self.run_one(&mut backend, w);
            match &run.outcome {
                Ok(_) => self.consecutive.store(0, Ordering::SeqCst),
                Err(e) if e.kind != ErrorKind::Skipped => {
                    self.consecutive.fetch_add(1, Ordering::SeqCst);
                }
                Err(_) => {}
            }
            self.observer.on(Event::Finished {
                plugin: self.index,
                article: &run.id,
                cached: false,
                error: run.outcome.as_ref().err(),
            });
            self.store(w, run);
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

/// What a plugin says about itself, known without starting it: a library's
/// descriptor (read in-process, no plugin function called), or a command's
/// cached handshake.
fn known_info(spec: &PluginSpec, cache: Option<(&Cache, &str)>) -> Result<Option<PluginInfo>, String> {
    match spec {
        PluginSpec::Dylib { path, .. } => plugin::dylib::Library::load(path)
            .map(|l| Some(l.info))
            .map_err(|e| e.to_string()),
        PluginSpec::Command { .. } => Ok(cache.and_then(|(c, key)| c.info(key))),
    }
}

fn load_failed(spec: &PluginSpec, error: String, started: Instant) -> PluginRun {
    PluginRun {
        spec: spec.label(),
        info: None,
        load_error: Some(error),
        articles: Vec::new(),
        repeats: Vec::new(),
        elapsed: started.elapsed(),
        peak_rss_bytes: None,
    }
}

/// The cached outcome of one call, if the cache has a valid one.
fn cached(cache: &Cache, key: &str, info: &PluginInfo, a: &GoldArticle, repeat: usize) -> Option<ArticleRun> {
    let hit = cache.get(key, &a.sha256, repeat)?;
    // Same text, so the same validation result; the id is not checked
    // because equal texts may come under different ids.
    let call = accept(hit.response.into_bytes(), &a.text, &info.fields).ok()?;
    Some(ArticleRun {
        id: a.id.clone(),
        outcome: Ok(call.mentions),
        elapsed: Duration::from_secs_f64(hit.elapsed_ms / 1e3),
        cached: true,
        unclaimed: call.unclaimed,
        usage: call.usage,
    })
}

/// A plugin ready to run: identified (name and fields known), its cached
/// calls taken, and its first instance started if anything is left to call.
pub struct Prepared<'a> {
    index: usize,
    spec: &'a PluginSpec,
    started: Instant,
    label: String,
    state: Result<Ready, String>,
}

struct Ready {
    info: PluginInfo,
    cache_key: Option<String>,
    first: Option<Box<dyn Backend>>,
    slots: Vec<Option<ArticleRun>>,
    todo: Vec<Work>,
}

impl Prepared<'_> {
    /// The plugin's name, or `None` when it could not be loaded.
    pub fn name(&self) -> Option<&str> {
        self.state.as_ref().ok().map(|r| r.info.name.as_str())
    }

    /// The label the user gave.
    pub fn label(&self) -> &str {
        &self.label
    }
}

fn ready(spec: &PluginSpec, articles: &[GoldArticle], opts: &RunOptions) -> Result<Ready, String> {
    let repeats = opts.repeats.max(1);
    let cache_key = opts.cache.as_ref().map(|_| Cache::plugin_key(&spec.identity()));
    let cache = opts.cache.as_ref().zip(cache_key.as_deref());
    // A command's name and fields come from its handshake: start it now
    // unless an earlier run cached them.
    let mut first = None;
    let info = match known_info(spec, cache)? {
        Some(info) => info,
        None => first
            .insert(plugin::open(spec, opts.isolation, opts.limits).map_err(|e| e.to_string())?)
            .info()
            .clone(),
    };
    // Take what the cache has; start the plugin only if something is left.
    let mut slots: Vec<Option<ArticleRun>> = (0..articles.len() * repeats).map(|_| None).collect();
    let mut todo = Vec::new();
    for repeat in 0..repeats {
        for (i, a) in articles.iter().enumerate() {
            match cache.and_then(|(c, key)| cached(c, key, &info, a, repeat)) {
                Some(run) => slots[repeat * articles.len() + i] = Some(run),
                None => todo.push(Work { article: i, repeat }),
            }
        }
    }
    if !todo.is_empty() && first.is_none() {
        first = Some(plugin::open(spec, opts.isolation, opts.limits).map_err(|e| e.to_string())?);
    }
    Ok(Ready {
        info,
        cache_key,
        first,
        slots,
        todo,
    })
}

/// Identifies a plugin and takes its cached calls (see [`Prepared`]).
pub fn prepare<'a>(
    index: usize,
    spec: &'a PluginSpec,
    articles: &[GoldArticle],
    opts: &RunOptions,
    observer: &dyn Observer,
) -> Prepared<'a> {
    let started = Instant::now();
    let label = spec.label();
    observer.on(Event::Started {
        plugin: index,
        label: &label,
        calls: articles.len() * opts.repeats.max(1),
    });
    let state = ready(spec, articles, opts);
    if let Ok(r) = &state {
        observer.on(Event::Named {
            plugin: index,
            name: &r.info.name,
        });
    }
    Prepared {
        index,
        spec,
        started,
        label,
        state,
    }
}

/// Runs a prepared plugin's remaining calls.
pub fn execute(p: Prepared<'_>, articles: &[GoldArticle], opts: &RunOptions, observer: &dyn Observer) -> PluginRun {
    let index = p.index;
    let ready = match p.state {
        Ok(r) => r,
        Err(e) => {
            observer.on(Event::Done {
                plugin: index,
                load_error: Some(&e),
            });
            return load_failed(p.spec, e, p.started);
        }
    };
    if let (Some(c), Some(key), Some(_)) = (&opts.cache, &ready.cache_key, &ready.first) {
        if let Err(e) = c.put_info(key, &ready.info) {
            observer.on(Event::Warning {
                plugin: index,
                message: format!("cannot write the output cache: {e}"),
            });
        }
    }
    for run in ready.slots.iter().flatten() {
        observer.on(Event::Finished {
            plugin: index,
            article: &run.id,
            cached: true,
            error: None,
        });
    }
    let shared = Shared {
        index,
        spec: p.spec,
        info: ready.info,
        articles,
        opts,
        cache_key: ready.cache_key,
        started: p.started,
        next: AtomicUsize::new(0),
        consecutive: AtomicUsize::new(0),
        peak_rss: AtomicU64::new(0),
        slots: Mutex::new(ready.slots),
        observer,
        todo: ready.todo,
    };
    if let Some(first) = ready.first {
        let n = instances(&shared.info, opts).min(shared.todo.len()).max(1);
        std::thread::scope(|s| {
            for _ in 1..n {
                s.spawn(|| shared.work(None));
            }
            shared.work(Some(first));
        });
    }
    observer.on(Event::Done {
        plugin: index,
        load_error: None,
    });
    let peak = shared.peak_rss.load(Ordering::SeqCst);
    let mut all: Vec<ArticleRun> = shared
        .slots
        .into_inner()
        .expect("no panics while holding the lock")
        .into_iter()
        .map(|r| r.expect("every call is made exactly once"))
        .collect();
    let mut repeats = Vec::new();
    while all.len() > articles.len() {
        repeats.push(all.split_off(all.len() - articles.len()));
    }
    repeats.reverse();
    PluginRun {
        spec: p.label,
        info: Some(shared.info),
        load_error: None,
        articles: all,
        repeats,
        elapsed: p.started.elapsed(),
        peak_rss_bytes: (peak > 0).then_some(peak),
    }
}

/// Identifies every plugin (concurrently), in the order given.
pub fn prepare_all<'a>(
    specs: &'a [PluginSpec],
    articles: &[GoldArticle],
    opts: &RunOptions,
    observer: &dyn Observer,
) -> Vec<Prepared<'a>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = specs
            .iter()
            .enumerate()
            .map(|(i, spec)| s.spawn(move || prepare(i, spec, articles, opts, observer)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("plugin runner thread"))
            .collect()
    })
}

/// Runs prepared plugins concurrently; results come back in the same order.
pub fn execute_all(
    prepared: Vec<Prepared<'_>>,
    articles: &[GoldArticle],
    opts: &RunOptions,
    observer: &dyn Observer,
) -> Vec<PluginRun> {
    std::thread::scope(|s| {
        let handles: Vec<_> = prepared
            .into_iter()
            .map(|p| s.spawn(move || execute(p, articles, opts, observer)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("plugin runner thread"))
            .collect()
    })
}

/// Prepares and runs every plugin over the articles.
pub fn run_all(
    specs: &[PluginSpec],
    articles: &[GoldArticle],
    opts: &RunOptions,
    observer: &dyn Observer,
) -> Vec<PluginRun> {
    let prepared = prepare_all(specs, articles, opts, observer);
    execute_all(prepared, articles, opts, observer)
}
