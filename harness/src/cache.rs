//! The output cache: a plugin's validated response for an article, keyed by
//! what determines it — the plugin's identity (`PluginSpec::identity`: the
//! library's bytes and config, or the command line and the files it names),
//! the article text's SHA-256, and the repeat index. Re-running after
//! changing only the gold, or only one plugin, calls only what changed; an
//! interrupted run resumes from here; a fully cached plugin is never started
//! (its handshake is cached too).
//!
//! Layout: `<dir>/<plugin key>/<text sha256>[.r<repeat>].json` and
//! `<dir>/<plugin key>/plugin.json`, one small file per entry, each written
//! by an atomic rename, so a run killed mid-write leaves no torn entry and
//! several shards may share one cache directory (even on a network file
//! system) without locks. Only successful, validated calls are stored:
//! failures (a timeout may be transient) are always retried. An unreadable
//! entry is a miss.

use crate::outcome::PluginInfo;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Bump when the entry format or the key recipe changes.
const CACHE_VERSION: &str = "2";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

    /// The key of a plugin in this cache, from its identity.
    pub fn plugin_key(identity: &str) -> String {
        crate::digest::sha256_hex(format!("v{CACHE_VERSION}\0{identity}").as_bytes())
    }

    fn path(&self, plugin_key: &str, text_sha256: &str, repeat: usize) -> PathBuf {
        let name = match repeat {
            0 => format!("{text_sha256}.json"),
            r => format!("{text_sha256}.r{r}.json"),
        };
        self.dir.join(plugin_key).join(name)
    }

    fn read<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }

    fn write<T: Serialize>(path: &Path, value: &T) -> Result<(), crate::Error> {
        let json = serde_json::to_vec(value).expect("cache entries serialize");
        crate::files::atomic_write_fast(path, &json)
    }

    pub fn get(&self, plugin_key: &str, text_sha256: &str, repeat: usize) -> Option<Entry> {
        Self::read(&self.path(plugin_key, text_sha256, repeat))
    }

    /// Stores an entry. Failing to cache is not worth failing a run for, so
    /// the error is returned for the caller to warn about.
    pub fn put(&self, plugin_key: &str, text_sha256: &str, repeat: usize, entry: &Entry) -> Result<(), crate::Error> {
        Self::write(&self.path(plugin_key, text_sha256, repeat), entry)
    }

    /// What the plugin said about itself when it last started.
    pub fn info(&self, plugin_key: &str) -> Option<PluginInfo> {
        Self::read(&self.dir.join(plugin_key).join("plugin.json"))
    }

    pub fn put_info(&self, plugin_key: &str, info: &PluginInfo) -> Result<(), crate::Error> {
        Self::write(&self.dir.join(plugin_key).join("plugin.json"), info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::PluginSpec;

    fn dylib(path: &Path, config: serde_json::Value) -> PluginSpec {
        PluginSpec::Dylib {
            path: path.to_path_buf(),
            config,
        }
    }

    fn temp(name: &str) -> PathBuf {
        crate::files::scratch_dir(&format!("cache-{name}"))
    }

    #[test]
    fn key_changes_with_library_and_config_but_not_key_order() {
        let dir = temp("key");
        let lib = dir.join("x.so");
        std::fs::write(&lib, "one").unwrap();
        let key = |c| Cache::plugin_key(&dylib(&lib, c).identity());
        let a = key(serde_json::json!({"a": 1, "b": 2}));
        assert_eq!(a, key(serde_json::json!({"b": 2, "a": 1})));
        assert_ne!(a, key(serde_json::json!({"a": 1, "b": 3})));
        std::fs::write(&lib, "two").unwrap();
        assert_ne!(a, key(serde_json::json!({"a": 1, "b": 2})));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn key_of_a_command_follows_the_script_it_runs() {
        let dir = temp("cmd");
        std::fs::write(dir.join("plugin.py"), "print(1)").unwrap();
        let spec = PluginSpec::Command {
            command: "python3 plugin.py".into(),
            dir: dir.clone(),
        };
        let before = spec.identity();
        std::fs::write(dir.join("plugin.py"), "print(2)").unwrap();
        assert_ne!(before, spec.identity());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn entries_round_trip_by_repeat_and_garbage_is_a_miss() {
        let dir = temp("rt");
        let cache = Cache::new(&dir);
        let e = Entry {
            response: r#"{"mentions":[]}"#.into(),
            elapsed_ms: 1.5,
        };
        assert_eq!(cache.get("k", "t", 0), None);
        cache.put("k", "t", 0, &e).unwrap();
        assert_eq!(cache.get("k", "t", 0), Some(e.clone()));
        assert_eq!(cache.get("k", "t", 1), None, "each repeat has its own entry");
        std::fs::write(dir.join("k").join("t.json"), "{trunc").unwrap();
        assert_eq!(cache.get("k", "t", 0), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
