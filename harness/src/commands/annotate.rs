//! `harness annotate`: serve the annotation workbench until interrupted.

use crate::annotate::{self, Options};
use crate::cli::AnnotateArgs;
use crate::plugin::PluginSpec;
use crate::{exit, plan, Result};
use std::process::{Command, Stdio};

pub fn run(a: &AnnotateArgs) -> Result<i32> {
    let cwd = plan::cwd()?;
    let plugin = a.plugin.as_deref().map(|p| PluginSpec::parse(p, &cwd)).transpose()?;
    if plugin.is_some() {
        // Ctrl-C must also end the plugin's process group.
        crate::signals::install(None);
    }
    let adjudicate = a.adjudicate.as_ref().map(|p| (cwd.join(&p[0]), cwd.join(&p[1])));
    let running = annotate::start(Options {
        gold: cwd.join(&a.gold),
        plugin,
        article: a.article.clone(),
        port: a.port,
        adjudicate,
    })?;
    // The URL is the first (and only) line on stdout, for scripts and tests.
    crate::out::print(&format!("{}\n", running.url));
    crate::out::eprintln(&format!(
        "harness annotate: serving {} on 127.0.0.1:{} (Ctrl-C stops it)",
        a.gold.display(),
        running.port
    ));
    if !a.no_open {
        open_browser(&running.url);
    }
    running.wait();
    Ok(exit::OK)
}

/// Opens the URL in the desktop's browser; without one, the printed URL is
/// all there is.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    if let Ok(mut child) = Command::new(opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        std::thread::spawn(move || child.wait());
    }
}
