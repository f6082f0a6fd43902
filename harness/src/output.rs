//! The report set on disk, and the exit code.
//!
//! - One run at a time per output directory: [`OutLock`] holds an exclusive
//!   `flock` on `OUT/.lock` for the run's duration; a second run fails at
//!   once (exit 8).
//! - A reader never sees a mix: every file is written into a fresh staging
//!   directory inside OUT, the file system is synced once, the files are
//!   renamed into place, and `manifest.json` (renamed last) names the run
//!   and the SHA-256 of every file of the set. A run that fails or is
//!   interrupted before that leaves the previous set untouched.
//! - [`finish`] attaches the gate's outcome and the baseline comparison to
//!   the model, writes the set, prints the terminal table on stderr (and the
//!   JSON on stdout with `--json`), and decides the exit code.

use crate::exit;
use crate::gate;
use crate::plan::{Checks, OutputPlan};
use crate::report::render::{self, comparison, terminal::Terminal, Renderer};
use crate::report::Report;
use crate::Error;
use serde::Serialize;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

/// An exclusive claim on an output directory, released when dropped (or
/// when the process dies).
pub struct OutLock {
    _file: std::fs::File,
}

impl OutLock {
    pub fn acquire(out: &Path) -> Result<OutLock, Error> {
        std::fs::create_dir_all(out).map_err(Error::io(out))?;
        let path = out.join(".lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(Error::io(&path))?;
        // SAFETY: flock on a descriptor we own.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            return Err(Error::Busy(format!(
                "{} is in use by another run (it holds {}); wait for it or choose another --out",
                out.display(),
                path.display()
            )));
        }
        Ok(OutLock { _file: file })
    }
}

#[derive(Serialize)]
struct Manifest<'a> {
    /// When the run started (the report's `meta.started_at`).
    run: &'a str,
    harness_version: &'a str,
    /// File name → SHA-256 of its contents.
    files: std::collections::BTreeMap<&'static str, String>,
}

fn sync_fs(dir: &Path) -> Result<(), Error> {
    let f = std::fs::File::open(dir).map_err(Error::io(dir))?;
    // SAFETY: syncfs on a descriptor we own.
    if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
        return Err(Error::io(dir)(std::io::Error::last_os_error()));
    }
    Ok(())
}

/// Writes every file of the report set into `out` as one step (see the
/// module docs). The caller holds the directory's [`OutLock`].
pub fn write_set(out: &Path, report: &Report) -> Result<(), Error> {
    if let Some(code) = crate::signals::interrupted() {
        // The signal handler is ending the process; a run cut short must
        // not replace the previous reports.
        std::thread::sleep(std::time::Duration::from_secs(5));
        std::process::exit(code);
    }
    let stage: PathBuf = out.join(format!(".staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&stage);
    std::fs::create_dir_all(&stage).map_err(Error::io(&stage))?;
    let result = (|| {
        // The files are independent: rendered side by side on the run's
        // threads (the largest, report.json, sets the pace).
        use rayon::prelude::*;
        let written: Vec<(&'static str, String)> = render::files()
            .into_par_iter()
            .map(|(name, renderer)| {
                let path = stage.join(name);
                let f = std::fs::File::create(&path).map_err(Error::io(&path))?;
                // Buffer in front of the hasher: it then sees large chunks,
                // not the serializer's many small writes.
                let mut w = std::io::BufWriter::new(crate::digest::HashingWriter::new(f));
                renderer.render_to(report, &mut w).map_err(Error::io(&path))?;
                let hashing = w.into_inner().map_err(|e| Error::io(&path)(e.into_error()))?;
                let (_, digest) = hashing.finish().map_err(Error::io(&path))?;
                Ok((name, digest))
            })
            .collect::<Result<_, Error>>()?;
        let mut names: Vec<&str> = written.iter().map(|(name, _)| *name).collect();
        let files: std::collections::BTreeMap<&'static str, String> = written.into_iter().collect();
        let manifest = Manifest {
            run: &report.meta.started_at,
            harness_version: &report.meta.harness_version,
            files,
        };
        let path = stage.join("manifest.json");
        let json = serde_json::to_string_pretty(&manifest).expect("manifests serialize");
        std::fs::write(&path, json + "\n").map_err(Error::io(&path))?;
        names.push("manifest.json");
        // One sync for the whole set, then renames (atomic each), the
        // manifest last, then the directory entry.
        sync_fs(&stage)?;
        for name in names {
            std::fs::rename(stage.join(name), out.join(name)).map_err(Error::io(out.join(name)))?;
        }
        let dir = std::fs::File::open(out).map_err(Error::io(out))?;
        dir.sync_all().map_err(Error::io(out))
    })();
    let _ = std::fs::remove_dir_all(&stage);
    result
}

/// How to present the end of a run.
#[derive(Clone, Copy, Debug)]
pub struct Presentation {
    pub colour: bool,
    pub quiet: bool,
    pub verbose: bool,
}

/// Gates, compares, writes every report, prints the table; returns the exit
/// code. The reports are all written before the code is decided.
pub fn finish(mut report: Report, plan: &OutputPlan, checks: &Checks, how: Presentation) -> Result<i32, Error> {
    let baseline = checks.baseline.as_ref().map(|(p, r)| (p.as_str(), r));
    if let Some(cfg) = &checks.gate {
        report.gate = Some(gate::evaluate(&report, cfg, baseline));
    }
    if let Some((path, base)) = baseline {
        report.comparison = Some(crate::compare::compare(path, base, &report));
    }
    report.meta.peak_rss_mb = crate::report::meta::peak_rss_mb();
    if let Ok(cwd) = std::env::current_dir() {
        report.relativize_paths(&cwd);
    }

    write_set(&plan.out, &report)?;
    crate::out::eprint(
        &Terminal {
            colour: how.colour,
            verbose: how.verbose,
        }
        .render(&report),
    );
    if let Some(c) = &report.comparison {
        crate::out::eprintln(&format!("\nchanges against {}:", c.base));
        let mut shown = c.clone();
        if !how.verbose && shown.flips.len() > 20 {
            let more = shown.flips.len() - 20;
            shown.flips.truncate(20);
            crate::out::eprint(&comparison::render(&shown));
            crate::out::eprintln(&format!(
                "  … and {more} more flipped mentions (-v shows all; report.html lists them)"
            ));
        } else {
            crate::out::eprint(&comparison::render(&shown));
        }
    }
    if !how.quiet {
        crate::out::eprintln(&format!("\nreports written to {}", plan.out.display()));
    }
    if plan.json {
        crate::out::print(&render::to_json(&report));
    }
    Ok(exit_code(&report))
}

/// The gate decides when there is one; without a gate, a plugin that
/// produced nothing usable (did not load, or failed on every article) makes
/// the run fail, so CI without a gate still notices.
pub fn exit_code(report: &Report) -> i32 {
    match &report.gate {
        Some(g) if !g.passed => exit::GATE_FAILED,
        Some(_) => exit::OK,
        None if report.plugins.iter().any(|p| p.unusable()) => exit::PLUGIN_FAILED,
        None => exit::OK,
    }
}
