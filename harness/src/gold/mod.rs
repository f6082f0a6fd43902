//! The gold set: one JSON file per article beside the article text, loaded
//! and validated in one pass that reports every problem.

mod diag;
mod lines;
mod load;

pub use diag::{line_col, Diagnostic};
pub use lines::{is_jsonl, load_jsonl, GoldLines};
pub use load::{load_dir, load_file, parse_gold, parse_gold_line, GOLD_SCHEMA_VERSION};

use crate::score::{GoldMention, Span};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct GoldArticle {
    pub id: String,
    /// The gold JSON file.
    pub file: PathBuf,
    pub text: String,
    /// SHA-256 of the article text, hex.
    pub sha256: String,
    pub ignore: Vec<Span>,
    pub mentions: Vec<GoldMention>,
}

#[derive(Clone, Debug)]
pub struct GoldSet {
    /// The gold directory or JSON-lines file.
    pub dir: PathBuf,
    /// Sorted by id (directories) or in file order (JSON lines).
    pub articles: Vec<GoldArticle>,
    /// SHA-256 over every gold file and article text, hex.
    pub sha256: String,
}

/// Per-article identity recorded in reports.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
pub struct ArticleInfo {
    pub id: String,
    pub sha256: String,
    pub chars: usize,
    /// UTF-8 length of the text (for throughput figures).
    #[serde(default)]
    pub bytes: usize,
    /// The article text, so reports can show context without the gold dir.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl GoldSet {
    pub fn info(&self) -> Vec<ArticleInfo> {
        self.articles
            .iter()
            .map(|a| ArticleInfo {
                id: a.id.clone(),
                sha256: a.sha256.clone(),
                chars: a.text.chars().count(),
                bytes: a.text.len(),
                text: Some(a.text.clone()),
            })
            .collect()
    }
}

/// One of N deterministic, disjoint parts of a gold set (`--shard K/N`):
/// article i (in gold order) belongs to part `i % N + 1`, so the parts are
/// balanced and `merge` can interleave them back into gold order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Shard {
    /// 1-based.
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard {s:?}: expected K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            k.trim().parse::<usize>().map_err(|_| bad())?,
            n.trim().parse::<usize>().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the article at `position` (in gold order) is in this shard.
    pub fn contains(&self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

impl GoldSet {
    /// The articles of one shard; the set's hash stays that of the whole set,
    /// so shards of the same gold can be recognised when merging.
    pub fn shard(mut self, shard: Shard) -> GoldSet {
        let mut i = 0;
        self.articles.retain(|_| {
            i += 1;
            shard.contains(i - 1)
        });
        self
    }
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Lower-case hex of a digest (for hashes computed incrementally).
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// An article id that is safe to use in a file name: ASCII letters, digits,
/// `_`, `-` and `.`, not starting with a dot. Ids like `../../x` are refused.
pub fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 200
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "article id {id:?} is not safe as a file name (use ASCII letters, digits, '_', '-', '.', not starting with '.')"
        ))
    }
}
