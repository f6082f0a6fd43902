//! Named subsets of a gold set (`subsets.toml` beside the gold files), so
//! that `--subset dev-test` evaluates the untouched test part only:
//!
//! ```toml
//! [subsets]
//! seeds = ["000_ffe74637e9cbe8aa", "001_8ea45238e308e950"]
//! dev = ["dev*"]                 # a trailing * matches a prefix
//! dev-test = ["dev003", "dev017"]
//! ```

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    subsets: BTreeMap<String, Vec<String>>,
}

/// The subsets file of a gold directory (or of the directory holding a
/// JSON-lines gold file).
pub fn path(gold: &Path) -> PathBuf {
    let dir = if gold.is_file() {
        gold.parent().unwrap_or(Path::new("."))
    } else {
        gold
    };
    dir.join("subsets.toml")
}

/// Every subset, by name: its id patterns.
pub fn load(gold: &Path) -> Result<BTreeMap<String, Vec<String>>, crate::Error> {
    let file = path(gold);
    let src = std::fs::read_to_string(&file).map_err(crate::Error::io(&file))?;
    let parsed: File = toml::from_str(&src).map_err(|e| {
        let pos = e
            .span()
            .map(|s| {
                let (l, c) = crate::diag::line_col(&src, s.start);
                format!(":{l}:{c}")
            })
            .unwrap_or_default();
        crate::Error::BadInput(format!("{}{pos}: {}", file.display(), e.message()))
    })?;
    Ok(parsed.subsets)
}

/// Whether `id` matches one of the patterns.
pub fn matches(patterns: &[String], id: &str) -> bool {
    patterns.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => p == id,
    })
}

/// The patterns of subset `name`, or a clear error naming the known ones.
pub fn patterns(gold: &Path, name: &str) -> Result<Vec<String>, crate::Error> {
    let all = load(gold)?;
    all.get(name).cloned().ok_or_else(|| {
        crate::Error::Usage(format!(
            "--subset {name:?}: {} defines no such subset (it has: {})",
            path(gold).display(),
            all.keys().cloned().collect::<Vec<_>>().join(", ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_and_exact_patterns() {
        let p = vec!["dev*".to_string(), "000_x".to_string()];
        assert!(matches(&p, "dev017"));
        assert!(matches(&p, "000_x"));
        assert!(!matches(&p, "000_xy"));
        assert!(!matches(&p, "de"));
    }
}
