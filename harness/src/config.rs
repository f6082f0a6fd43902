//! The eval config file (`eval.toml`, or `--config FILE`): what a CI job or
//! a researcher would otherwise spell out as a long command line. Every key
//! is optional; flags override it; relative paths are taken from the file's
//! directory.
//!
//! ```toml
//! gold = "gold"
//! subset = "dev"
//! out = "reports"
//! gate = "reports/gate.toml"
//! baseline = "reports/baseline.json"
//! plugins = [
//!     "target/release/libgrammar.so",
//!     "cmd:python3 extractors/process-example/plugin.py",
//!     { library = "target/release/libbaseline.so", config = { strict = true } },
//!     { command = "python3 my_plugin.py" },
//! ]
//!
//! [limits]
//! timeout = 30        # seconds per article
//! budget = 600        # seconds per plugin
//! memory_mb = 4096
//! max_output_mb = 64
//! max_failures = 5
//! jobs = 2
//! repeat = 1
//! retries = 2
//!
//! [scoring]
//! min_overlap = 0.0
//! seed = 20240604
//! resamples = 1000
//! trials = 10000
//! ```

use crate::plugin::PluginSpec;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A plugin entry: a string as on the command line, or a table.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PluginEntry {
    Spec(String),
    Table(PluginTable),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PluginTable {
    library: Option<PathBuf>,
    command: Option<String>,
    config: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub timeout: Option<f64>,
    pub budget: Option<f64>,
    pub memory_mb: Option<u64>,
    pub max_output_mb: Option<u64>,
    pub max_failures: Option<u64>,
    pub jobs: Option<u16>,
    pub repeat: Option<u16>,
    pub retries: Option<u16>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub min_overlap: Option<f64>,
    pub seed: Option<u64>,
    pub resamples: Option<u32>,
    pub trials: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    gold: Option<PathBuf>,
    subset: Option<String>,
    out: Option<PathBuf>,
    gate: Option<PathBuf>,
    baseline: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
    #[serde(default)]
    plugins: Vec<PluginEntry>,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    scoring: Scoring,
}

/// A loaded config file, paths resolved against its directory.
#[derive(Debug, Default)]
pub struct EvalConfig {
    pub path: Option<PathBuf>,
    pub gold: Option<PathBuf>,
    pub subset: Option<String>,
    pub out: Option<PathBuf>,
    pub gate: Option<PathBuf>,
    pub baseline: Option<PathBuf>,
    pub cache_dir: Option<PathBuf>,
    pub plugins: Vec<PluginSpec>,
    pub limits: Limits,
    pub scoring: Scoring,
}

fn bad(file: &Path, src: &str, at: Option<std::ops::Range<usize>>, msg: &str) -> crate::Error {
    let pos = at
        .map(|s| {
            let (l, c) = crate::diag::line_col(src, s.start);
            format!(":{l}:{c}")
        })
        .unwrap_or_default();
    crate::Error::BadInput(format!("{}{pos}: {msg}", file.display()))
}

impl EvalConfig {
    /// Reads a config file.
    pub fn load(file: &Path) -> Result<EvalConfig, crate::Error> {
        let src = std::fs::read_to_string(file).map_err(crate::Error::io(file))?;
        let raw: Raw = toml::from_str(&src).map_err(|e| bad(file, &src, e.span(), e.message()))?;
        let dir = file.parent().unwrap_or(Path::new("."));
        let dir = std::path::absolute(dir).map_err(crate::Error::io(dir))?;
        let mut plugins = Vec::new();
        for entry in raw.plugins {
            plugins.push(match entry {
                PluginEntry::Spec(s) => PluginSpec::parse(&s, &dir)?,
                PluginEntry::Table(t) => match (t.library, t.command) {
                    (Some(lib), None) => PluginSpec::Dylib {
                        path: dir.join(lib),
                        config: match t.config {
                            Some(c) => serde_json::to_value(c).map_err(|e| bad(file, &src, None, &e.to_string()))?,
                            None => serde_json::json!({}),
                        },
                    },
                    (None, Some(command)) if t.config.is_none() => PluginSpec::Command {
                        command,
                        dir: dir.clone(),
                    },
                    _ => {
                        return Err(bad(
                            file,
                            &src,
                            None,
                            "a plugin table has exactly one of `library` (with an optional `config`) or `command`",
                        ))
                    }
                },
            });
        }
        let join = |p: Option<PathBuf>| p.map(|p| dir.join(p));
        Ok(EvalConfig {
            path: Some(file.to_path_buf()),
            gold: join(raw.gold),
            subset: raw.subset,
            out: join(raw.out),
            gate: join(raw.gate),
            baseline: join(raw.baseline),
            cache_dir: join(raw.cache_dir),
            plugins,
            limits: raw.limits,
            scoring: raw.scoring,
        })
    }

    /// `--config FILE`, else `./eval.toml` when it exists, else nothing.
    pub fn find(explicit: Option<&Path>, cwd: &Path) -> Result<EvalConfig, crate::Error> {
        match explicit {
            Some(p) => Self::load(&cwd.join(p)),
            None if cwd.join("eval.toml").is_file() => Self::load(&cwd.join("eval.toml")),
            None => Ok(EvalConfig::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, src: &str) -> PathBuf {
        let dir = crate::files::scratch_dir(&format!("config-{name}"));
        let f = dir.join("eval.toml");
        std::fs::write(&f, src).unwrap();
        f
    }

    #[test]
    fn paths_are_relative_to_the_file_and_plugins_take_both_forms() {
        let f = write(
            "ok",
            "gold = \"g\"\nout = \"r\"\nplugins = [\"cmd:python3 p.py\", { command = \"echo\" }]\n[limits]\ntimeout = 5\n",
        );
        let dir = std::path::absolute(f.parent().unwrap()).unwrap();
        let c = EvalConfig::load(&f).unwrap();
        assert_eq!(c.gold, Some(dir.join("g")));
        assert_eq!(c.out, Some(dir.join("r")));
        assert_eq!(c.limits.timeout, Some(5.0));
        assert_eq!(
            c.plugins[0],
            PluginSpec::Command {
                command: "python3 p.py".into(),
                dir: dir.clone()
            }
        );
        assert_eq!(c.plugins.len(), 2);
    }

    #[test]
    fn unknown_keys_are_errors_with_a_position() {
        let f = write("bad", "gold = \"g\"\n[limits]\ntimout = 5\n");
        let e = EvalConfig::load(&f).unwrap_err().to_string();
        assert!(e.contains("eval.toml:3:1") && e.contains("timout"), "{e}");
    }
}
