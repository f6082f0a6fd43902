//! The runner's events for people: one progress bar per plugin on stderr
//! (named, with an ETA, cleared when done; hidden when stderr is not a
//! terminal) and each failure or warning printed once, as it happens.

use crate::run::{Event, Observer};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Mutex;

pub struct Progress {
    multi: MultiProgress,
    bars: Mutex<Vec<Option<ProgressBar>>>,
    names: Mutex<Vec<String>>,
    /// Print warnings and failures (off with `--quiet`).
    chatty: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        let multi = if quiet {
            MultiProgress::with_draw_target(ProgressDrawTarget::hidden())
        } else {
            MultiProgress::new()
        };
        Progress {
            multi,
            bars: Mutex::new(Vec::new()),
            names: Mutex::new(Vec::new()),
            chatty: !quiet,
        }
    }

    fn say(&self, line: String) {
        if self.chatty {
            self.multi.suspend(|| crate::out::eprintln(&line));
        }
    }

    fn bar(&self, plugin: usize) -> Option<ProgressBar> {
        self.bars.lock().ok()?.get(plugin).cloned().flatten()
    }

    fn name(&self, plugin: usize) -> String {
        self.names
            .lock()
            .ok()
            .and_then(|n| n.get(plugin).cloned())
            .unwrap_or_default()
    }

    fn grow<T: Default + Clone>(v: &mut Vec<T>, i: usize) {
        if v.len() <= i {
            v.resize(i + 1, T::default());
        }
    }
}

fn short(label: &str) -> String {
    let name = label.rsplit('/').next().unwrap_or(label);
    name.chars().take(24).collect()
}

impl Observer for Progress {
    fn on(&self, event: Event<'_>) {
        match event {
            Event::Started { plugin, label, calls } => {
                let bar = self.multi.add(ProgressBar::new(calls as u64));
                bar.set_style(
                    ProgressStyle::with_template("{prefix:>24} [{bar:30}] {pos}/{len} {msg} (eta {eta})")
                        .expect("valid template")
                        .progress_chars("=> "),
                );
                bar.set_prefix(short(label));
                if let Ok(mut bars) = self.bars.lock() {
                    Self::grow(&mut bars, plugin);
                    bars[plugin] = Some(bar);
                }
                if let Ok(mut names) = self.names.lock() {
                    Self::grow(&mut names, plugin);
                    names[plugin] = short(label);
                }
            }
            Event::Named { plugin, name } => {
                if let Some(bar) = self.bar(plugin) {
                    bar.set_prefix(short(name));
                }
                if let Ok(mut names) = self.names.lock() {
                    Self::grow(&mut names, plugin);
                    names[plugin] = name.to_string();
                }
            }
            Event::Finished {
                plugin, article, error, ..
            } => {
                if let Some(e) = error {
                    self.say(format!("warning: {} on {article}: {e}", self.name(plugin)));
                }
                if let Some(bar) = self.bar(plugin) {
                    bar.inc(1);
                }
            }
            Event::Warning { plugin, message } => self.say(format!("warning: {}: {message}", self.name(plugin))),
            Event::Done { plugin, load_error } => {
                if let Some(e) = load_error {
                    self.say(format!("error: {} could not be loaded: {e}", self.name(plugin)));
                }
                if let Some(bar) = self.bar(plugin) {
                    bar.finish_and_clear();
                }
            }
        }
    }
}
