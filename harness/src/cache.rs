//! The output cache: a plugin's validated response for an article, keyed by
//! what determines it — the plugin's identity (library file SHA-256, or the
//! command line and the files it names), its config, and the article text's
//! SHA-256. Re-running after changing only the gold, or only one plugin,
//! calls only what changed; an interrupted run resumes from here.
//!
//! Layout: `<dir>/<plugin key>/<text sha256>.json`, one small file per entry,
//! each written atomically, so a run killed mid-write leaves no torn entry.
//! Only successful, validated calls are stored: failures (a timeout may be
//! transient) are always retried. An unreadable entry is a miss.

use crate::plugin::{PluginInfo, PluginSpec};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Bump when the entry format or the key recipe changes.
const CACHE_VERSION: &str = "1";

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// One cached call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The validated response payload, exactly as the plugin returned it.
    pub response: String,
    /// How long the original call took, so timing stays meaningful.
    pub elapsed_ms: f64,
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, plugin_key: &str, text_sha256: &str) -> PathBuf {
        self.dir.join(plugin_key).join(format!("{text_sha256}.json"))
    }

    pub fn get(&self, plugin_key: &str, text_sha256: &str) -> Option<Entry> {
        let bytes = std::fs::read(self.path(plugin_key, text_sha256)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Stores an entry. Failing to cache is not worth failing a run for, so
    /// the error is returned for the caller to warn about.
    pub fn put(&self, plugin_key: &str, text_sha256: &str, entry: &Entry) -> Result<(), crate::Error> {
        let json = serde_json::to_vec(entry).expect("entries serialize");
        crate::report::write::atomic_write_fast(&self.path(plugin_key, text_sha256), &json)
    }
}

/// The cache key of a loaded plugin: everything but the article that decides
/// its output.
pub fn plugin_key(spec: &PluginSpec, info: &PluginInfo) -> String {
    let mut input = format!("v{CACHE_VERSION}\0{}\0{}\0{}\0", info.kind, info.abi, info.sha256);
    match spec {
        // serde_json maps are sorted, so equal configs serialize equally.
        PluginSpec::Dylib { config, .. } => input.push_str(&config.to_string()),
        // A command's behaviour lives in the files it runs: hash every
        // argument that names a file, so editing the script invalidates it.
        PluginSpec::Command { command } => {
            input.push_str(command);
            for word in command.split_whitespace() {
                if let Ok(bytes) = std::fs::read(word) {
                    input.push('\0');
                    input.push_str(&crate::gold::sha256_hex(&bytes));
                }
            }
        }
    }
    crate::gold::sha256_hex(input.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(sha: &str) -> PluginInfo {
        PluginInfo {
            name: "p".into(),
            version: "1".into(),
            kind: "dylib".into(),
            target: "/x.so".into(),
            sha256: sha.into(),
            abi: "1.0".into(),
            fields: vec![],
            thread_safe: false,
        }
    }

    fn dylib(config: serde_json::Value) -> PluginSpec {
        PluginSpec::Dylib {
            path: "/x.so".into(),
            config,
        }
    }

    #[test]
    fn key_changes_with_library_and_config_but_not_key_order() {
        let a = plugin_key(&dylib(serde_json::json!({"a": 1, "b": 2})), &info("aa"));
        let b = plugin_key(&dylib(serde_json::json!({"b": 2, "a": 1})), &info("aa"));
        assert_eq!(a, b);
        assert_ne!(a, plugin_key(&dylib(serde_json::json!({"a": 1, "b": 3})), &info("aa")));
        assert_ne!(a, plugin_key(&dylib(serde_json::json!({"a": 1, "b": 2})), &info("ab")));
    }

    #[test]
    fn key_of_a_command_follows_the_script_it_runs() {
        let dir = std::env::temp_dir().join(format!("ie-cache-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("plugin.py");
        std::fs::write(&script, "print(1)").unwrap();
        let spec = PluginSpec::Command {
            command: format!("python3 {}", script.display()),
        };
        let before = plugin_key(&spec, &info("cmd"));
        std::fs::write(&script, "print(2)").unwrap();
        assert_ne!(before, plugin_key(&spec, &info("cmd")));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn entries_round_trip_and_garbage_is_a_miss() {
        let dir = std::env::temp_dir().join(format!("ie-cache-rt-{}", std::process::id()));
        let cache = Cache::new(&dir);
        let e = Entry {
            response: r#"{"mentions":[]}"#.into(),
            elapsed_ms: 1.5,
        };
        assert_eq!(cache.get("k", "t"), None);
        cache.put("k", "t", &e).unwrap();
        assert_eq!(cache.get("k", "t"), Some(e));
        std::fs::write(dir.join("k").join("t.json"), "{trunc").unwrap();
        assert_eq!(cache.get("k", "t"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
