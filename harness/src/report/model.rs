//! The report model: one serializable value that every renderer reads.
//! Raw per-article counts are kept so that every number can be recomputed,
//! merged across shards, or resampled.

use crate::gold::ArticleInfo;
use crate::plugin::{CallError, PluginInfo};
use crate::score::{Counts, FieldCounts, Finding, Interval, MatchConfig, PairedTest, Prf, ResamplingConfig, Scheme};
use extractor_api::Field;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const REPORT_SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub meta: Meta,
    pub plugins: Vec<PluginReport>,
    /// Paired comparisons of every two loaded plugins, per field and overall.
    pub pairwise: Vec<PairRow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<crate::gate::GateOutcome>,
}

impl Report {
    /// Article id → text, for the articles whose text the report carries.
    pub fn texts(&self) -> BTreeMap<&str, &str> {
        self.meta
            .gold
            .articles
            .iter()
            .filter_map(|a| a.text.as_deref().map(|t| (a.id.as_str(), t)))
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub harness_version: String,
    pub command: String,
    pub git_commit: Option<String>,
    pub git_dirty: Option<bool>,
    /// UTC, RFC 3339.
    pub started_at: String,
    pub duration_ms: u64,
    /// Peak resident memory of the harness process itself (Linux, macOS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rss_mb: Option<f64>,
    /// Set on a partial report made with `--shard K/N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::gold::Shard>,
    pub gold: GoldMeta,
    pub scoring: ScoringMeta,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoldMeta {
    pub dir: String,
    pub sha256: String,
    pub articles: Vec<ArticleInfo>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoringMeta {
    pub matching: MatchConfig,
    pub resampling: ResamplingConfig,
    pub figure_rel_tolerance: f64,
    pub percentage_abs_tolerance: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PluginReport {
    /// Unique within the report (the plugin's name, suffixed if repeated).
    pub name: String,
    pub spec: String,
    pub info: Option<PluginInfo>,
    /// Set when the plugin could not be loaded; it then has no articles.
    pub load_error: Option<String>,
    pub timing: Option<Timing>,
    /// One entry per gold article, in gold order.
    pub articles: Vec<ArticleReport>,
    pub fields: BTreeMap<Field, FieldSummary>,
    /// All fields summed.
    pub overall: FieldSummary,
    /// Mean of the per-field headline F1s.
    pub macro_f1: Option<f64>,
}

impl PluginReport {
    pub fn failed_articles(&self) -> impl Iterator<Item = &ArticleReport> {
        self.articles.iter().filter(|a| a.error.is_some())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// Wall time of the plugin's run (summed over shards after a merge).
    pub total_ms: f64,
    pub articles_per_second: f64,
    pub mb_per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    /// Peak resident memory of the plugin's largest process (worker and
    /// command plugins on Linux).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rss_mb: Option<f64>,
    /// Articles answered from the output cache (their latency is the
    /// original call's).
    #[serde(default)]
    pub cached: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleReport {
    pub id: String,
    /// The call failed: its gold mentions count as missed.
    pub error: Option<CallError>,
    pub elapsed_ms: f64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cached: bool,
    pub counts: Counts,
    pub findings: Vec<Finding>,
}

/// Everything derived for one field (or all fields) of one plugin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldSummary {
    pub counts: FieldCounts,
    /// Span + value: overlap with the gold partner and the right value.
    pub headline: Prf,
    pub headline_ci: Option<Interval>,
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    pub schemes: BTreeMap<Scheme, Prf>,
    /// Relaxed span (overlap, same field): the TempEval-3 factor.
    pub relaxed: Prf,
    pub value_accuracy: Option<f64>,
    /// Dates: granularity-aware (coarser but consistent counts).
    pub lenient: Prf,
    pub lenient_accuracy: Option<f64>,
    /// Officials: titles right among matched pairs.
    pub titles_accuracy: Option<f64>,
    pub span_free: Prf,
    pub span_free_ci: Option<Interval>,
    /// Mean over articles of the per-article headline F1 (articles where it is
    /// defined). Reported beside, never instead of, the micro F1.
    pub macro_articles_f1: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairRow {
    /// `None`: all fields together.
    pub field: Option<Field>,
    pub a: String,
    pub b: String,
    pub f1_a: Option<f64>,
    pub f1_b: Option<f64>,
    pub test: PairedTest,
}
