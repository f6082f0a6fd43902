//! The gold set: one JSON file per article beside the article text, loaded
//! and validated in one pass that reports every problem.

pub mod add;
mod lines;
mod load;
pub mod stats;
pub mod subsets;
pub mod write;

pub use crate::diag::{line_col, Diagnostic};
pub use lines::{is_jsonl, load_jsonl, GoldLines};
pub use load::{load_dir, load_file, parse_gold, parse_gold_line, GOLD_SCHEMA_VERSION};

use crate::mention::{GoldMention, Span};
use serde::Serialize;
use std::path::PathBuf;
pub use write::{canonical, line_item, Item};

/// Validates an article held in memory exactly as `harness gold check`
/// validates its file: the article in the canonical layout, parsed by the
/// loader (the text is read from `source`, beside `a.file`). Diagnostics
/// point into `canonical(a)`; `line_item` tells which item a line holds.
pub fn check_article(a: &GoldArticle) -> Vec<Diagnostic> {
    parse_gold(&a.file, &canonical(a)).1
}

#[derive(Clone, Debug, PartialEq)]
pub struct GoldArticle {
    pub id: String,
    /// The gold JSON file.
    pub file: PathBuf,
    /// Where the gold file says the text is (`None` for JSON-lines gold,
    /// which carries the text inline).
    pub source: Option<String>,
    pub text: String,
    /// SHA-256 of the article text, hex.
    pub sha256: String,
    pub ignore: Vec<Span>,
    /// Why each ignore region is ignored, parallel to `ignore`.
    pub ignore_reasons: Vec<Option<String>>,
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
    /// Things worth knowing that are not problems (non-NFC text, CRLF).
    pub warnings: Vec<String>,
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

impl Shard {
    /// The shard a job engine assigned to this process, from its
    /// environment (`var` looks a variable up):
    /// - `IE_HARNESS_SHARD=K/N` (any engine; e.g. a GitHub Actions matrix);
    /// - Slurm job arrays: `SLURM_ARRAY_TASK_ID` with `SLURM_ARRAY_TASK_MIN`
    ///   (default 0) and `SLURM_ARRAY_TASK_COUNT` or `SLURM_ARRAY_TASK_MAX`;
    /// - GitLab `parallel:`: `CI_NODE_INDEX` (1-based) and `CI_NODE_TOTAL`;
    /// - Kubernetes Indexed Jobs: `JOB_COMPLETION_INDEX` (0-based), with N
    ///   from `IE_HARNESS_SHARDS` (set it to the Job's `completions`).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
        let num = |name: &str| -> Result<Option<usize>, String> {
            var(name)
                .map(|v| {
                    v.trim()
                        .parse()
                        .map_err(|_| format!("{name}={v:?} is not a whole number"))
                })
                .transpose()
        };
        let checked = |index: usize, count: usize, source: &str| {
            if index >= 1 && index <= count {
                Ok(Shard { index, count })
            } else {
                Err(format!("{source} gives shard {index} of {count}, which does not exist"))
            }
        };
        if let Some(v) = var("IE_HARNESS_SHARD") {
            return v.parse().map_err(|e| format!("IE_HARNESS_SHARD: {e}"));
        }
        if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
            let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let count = match (num("SLURM_ARRAY_TASK_COUNT")?, num("SLURM_ARRAY_TASK_MAX")?) {
                (Some(c), _) => c,
                (None, Some(max)) => max.saturating_sub(min) + 1,
                (None, None) => {
                    return Err(
                        "SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX".into(),
                    )
                }
            };
            return checked(id.saturating_sub(min) + 1, count, "Slurm");
        }
        if let (Some(index), Some(total)) = (num("CI_NODE_INDEX")?, num("CI_NODE_TOTAL")?) {
            return checked(index, total, "GitLab (CI_NODE_INDEX/CI_NODE_TOTAL)");
        }
        if let Some(index) = num("JOB_COMPLETION_INDEX")? {
            let count = num("IE_HARNESS_SHARDS")?.ok_or(
                "JOB_COMPLETION_INDEX is set: give the number of shards in IE_HARNESS_SHARDS (the Job's completions)",
            )?;
            return checked(index + 1, count, "Kubernetes (JOB_COMPLETION_INDEX/IE_HARNESS_SHARDS)");
        }
        Err("--shard auto: no job engine found in the environment (IE_HARNESS_SHARD, SLURM_ARRAY_TASK_ID, CI_NODE_INDEX/CI_NODE_TOTAL or JOB_COMPLETION_INDEX)".into())
    }
}

impl GoldSet {
    /// Keeps the articles whose ids match the patterns (a subset).
    pub fn select(mut self, patterns: &[String]) -> GoldSet {
        self.articles.retain(|a| subsets::matches(patterns, &a.id));
        self
    }

    /// Keeps the first `n` articles.
    pub fn limit(mut self, n: usize) -> GoldSet {
        self.articles.truncate(n);
        self
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn shard_auto_reads_each_job_engine() {
        let cases: [(&[(&str, &str)], Shard); 6] = [
            (&[("IE_HARNESS_SHARD", "2/4")], Shard { index: 2, count: 4 }),
            (
                &[("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "3")],
                Shard { index: 1, count: 3 },
            ),
            (
                &[
                    ("SLURM_ARRAY_TASK_ID", "7"),
                    ("SLURM_ARRAY_TASK_MIN", "5"),
                    ("SLURM_ARRAY_TASK_MAX", "8"),
                ],
                Shard { index: 3, count: 4 },
            ),
            (
                &[("CI_NODE_INDEX", "4"), ("CI_NODE_TOTAL", "4")],
                Shard { index: 4, count: 4 },
            ),
            (
                &[("JOB_COMPLETION_INDEX", "0"), ("IE_HARNESS_SHARDS", "2")],
                Shard { index: 1, count: 2 },
            ),
            (
                &[
                    ("IE_HARNESS_SHARD", "1/2"),
                    ("CI_NODE_INDEX", "2"),
                    ("CI_NODE_TOTAL", "2"),
                ],
                Shard { index: 1, count: 2 },
            ),
        ];
        for (vars, want) in cases {
            assert_eq!(Shard::from_env(env(vars)), Ok(want), "{vars:?}");
        }
        for bad in [
            &[][..],
            &[("JOB_COMPLETION_INDEX", "1")],
            &[("CI_NODE_INDEX", "5"), ("CI_NODE_TOTAL", "4")],
            &[("SLURM_ARRAY_TASK_ID", "x"), ("SLURM_ARRAY_TASK_COUNT", "2")],
        ] {
            assert!(Shard::from_env(env(bad)).is_err(), "{bad:?}");
        }
    }
}
