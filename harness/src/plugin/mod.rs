//! Plugins: how they are named, loaded and called. Two back ends speak the
//! same JSON payloads: a dynamic library over the C ABI (`dylib`) and a
//! command over JSON lines (`process`). Dylibs run in a worker subprocess by
//! default (the harness re-executes itself as `harness worker`, which is a
//! process-protocol plugin), or in-process on request.

pub mod dylib;
pub mod process;
pub mod procs;
pub mod response;

use crate::digest::sha256_hex;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::outcome::{CallError, ErrorKind, PluginInfo};
pub use response::{parse_response, Parsed};

/// How the user named a plugin, resolved: absolute paths, and the directory
/// a command runs in, so a plan means the same from any working directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PluginSpec {
    /// A shared library.
    Dylib { path: PathBuf, config: serde_json::Value },
    /// A shell command speaking the process protocol, run in `dir`.
    Command { command: String, dir: PathBuf },
}

/// A plugin manifest (`*.json`): a library or command plus its config.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default)]
    library: Option<PathBuf>,
    #[serde(default)]
    command: Option<String>,
    #[serde(default)]
    config: Option<serde_json::Value>,
}

impl PluginSpec {
    /// `cmd:COMMAND`, a manifest `*.json`, or a library path; relative paths
    /// are taken from `cwd` (a manifest's from the manifest's directory,
    /// where its command also runs).
    pub fn parse(s: &str, cwd: &Path) -> Result<PluginSpec, crate::Error> {
        if let Some(command) = s.strip_prefix("cmd:") {
            return Ok(PluginSpec::Command {
                command: command.trim().to_string(),
                dir: cwd.to_path_buf(),
            });
        }
        let path = cwd.join(s);
        if !path.exists() {
            return Err(crate::Error::Missing { what: "plugin", path });
        }
        if path.extension().is_some_and(|x| x == "json") {
            let src = std::fs::read_to_string(&path).map_err(crate::Error::io(&path))?;
            let m: Manifest = serde_json::from_str(&src)
                .map_err(|e| crate::Error::BadInput(format!("{}:{}:{}: {e}", path.display(), e.line(), e.column())))?;
            let base = path.parent().unwrap_or(Path::new("."));
            return match (m.library, m.command) {
                (Some(lib), None) => Ok(PluginSpec::Dylib {
                    path: base.join(lib),
                    config: m.config.unwrap_or(serde_json::json!({})),
                }),
                (None, Some(command)) => Ok(PluginSpec::Command {
                    command,
                    dir: base.to_path_buf(),
                }),
                _ => Err(crate::Error::BadInput(format!(
                    "{}: a manifest names exactly one of \"library\" or \"command\"",
                    path.display()
                ))),
            };
        }
        Ok(PluginSpec::Dylib {
            path,
            config: serde_json::json!({}),
        })
    }

    /// A short label for messages before the plugin has told its name.
    pub fn label(&self) -> String {
        match self {
            PluginSpec::Dylib { path, .. } => path.display().to_string(),
            PluginSpec::Command { command, .. } => format!("cmd:{command}"),
        }
    }

    /// What decides this plugin's output apart from the article, as a hash:
    /// the library's bytes and config, or the command line, its directory
    /// and every file its arguments name (so editing `plugin.py` changes
    /// it). Computed without starting the plugin.
    pub fn identity(&self) -> String {
        let mut input = String::new();
        match self {
            PluginSpec::Dylib { path, config } => {
                input.push_str("dylib\0");
                input.push_str(&std::fs::read(path).map_or_else(|_| String::new(), |b| sha256_hex(&b)));
                // serde_json maps are sorted, so equal configs serialize equally.
                input.push('\0');
                input.push_str(&config.to_string());
            }
            PluginSpec::Command { command, dir } => {
                input.push_str("command\0");
                input.push_str(command);
                input.push('\0');
                input.push_str(&dir.display().to_string());
                for word in command.split_whitespace() {
                    if let Ok(bytes) = std::fs::read(dir.join(word)) {
                        input.push('\0');
                        input.push_str(&sha256_hex(&bytes));
                    }
                }
            }
        }
        sha256_hex(input.as_bytes())
    }
}

/// Why a plugin could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: plugin file not found", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: not a loadable library: {message}", path.display())]
    NotALibrary { path: PathBuf, message: String },
    #[error("{}: missing entry symbol `{symbol}`{hint}", path.display())]
    MissingSymbol {
        path: PathBuf,
        symbol: &'static str,
        hint: String,
    },
    #[error("{}: wrong magic number {found:#018x} (expected {expected:#018x}): not an extractor plugin descriptor", path.display())]
    BadMagic { path: PathBuf, found: u64, expected: u64 },
    #[error("{}: ABI mismatch: plugin speaks ABI {plugin_major}.{plugin_minor}, this harness speaks {harness_major}.{harness_minor} (needs major {harness_major}, minor >= {min_minor})", path.display())]
    AbiMismatch {
        path: PathBuf,
        plugin_major: u32,
        plugin_minor: u32,
        harness_major: u32,
        harness_minor: u32,
        min_minor: u32,
    },
    #[error("{}: bad descriptor: {message}", path.display())]
    BadDescriptor { path: PathBuf, message: String },
    #[error("plugin {plugin}: create failed: {message}")]
    CreateFailed { plugin: String, message: String },
    #[error("{command}: cannot start: {message}")]
    Spawn { command: String, message: String },
    #[error("{command}: handshake failed: {message}")]
    Handshake { command: String, message: String },
}

impl From<LoadError> for crate::Error {
    fn from(e: LoadError) -> crate::Error {
        crate::Error::PluginLoad(e.to_string())
    }
}

/// Limits applied to every call.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    pub timeout: Duration,
    pub max_output_bytes: usize,
    /// Address-space limit for worker processes, in bytes (0 = none).
    pub memory_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(30),
            max_output_bytes: 64 << 20,
            memory_bytes: 4 << 30,
        }
    }
}

/// A loaded plugin, ready to be called on articles.
pub trait Backend: Send {
    fn info(&self) -> &PluginInfo;
    /// Runs the plugin on one article and returns the raw response bytes
    /// (`{"mentions": [...]}`), or the call's failure.
    fn call(&mut self, id: &str, text: &str) -> Result<Vec<u8>, CallError>;
    /// Peak resident memory of the plugin's process, when it has its own and
    /// the platform tells (Linux).
    fn peak_rss_bytes(&self) -> Option<u64> {
        None
    }
}

/// How dylib plugins are run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Isolation {
    /// In a `harness worker` subprocess (default): crashes and hangs are contained.
    Worker,
    /// In the harness process: fastest, no protection.
    InProcess,
}

/// Loads a plugin with the chosen isolation.
pub fn open(spec: &PluginSpec, isolation: Isolation, limits: Limits) -> Result<Box<dyn Backend>, LoadError> {
    match (spec, isolation) {
        (PluginSpec::Dylib { path, config }, Isolation::InProcess) => {
            Ok(Box::new(dylib::DylibPlugin::open(path, config, limits)?))
        }
        (PluginSpec::Dylib { path, config }, Isolation::Worker) => {
            // Validate in-process first for precise load errors (no call is
            // made before the descriptor checks pass), then run in a worker.
            let library = dylib::Library::load(path)?;
            let info = library.info.clone();
            let exe = std::env::current_exe().map_err(|e| LoadError::Spawn {
                command: "harness worker".into(),
                message: e.to_string(),
            })?;
            let command = process::WorkerCommand {
                exe,
                library: library.path.clone(),
                config: config.clone(),
            };
            Ok(Box::new(process::ProcessPlugin::start_worker(command, info, limits)?))
        }
        (PluginSpec::Command { command, dir }, _) => Ok(Box::new(process::ProcessPlugin::start(command, dir, limits)?)),
    }
}
