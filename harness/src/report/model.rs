//! The report model: one serializable value that every renderer reads.
//! Raw per-article counts are kept so that every number can be recomputed,
//! merged across shards, or resampled.

use crate::gold::ArticleInfo;
use crate::mention::MentionView;
use crate::outcome::{CallError, PluginInfo};
use crate::score::{
    ArticleCounts, Counts, FieldCounts, Finding, Interval, MatchConfig, PairedTest, Prf, ResamplingConfig, Scheme,
};
use extractor_api::protocol::Usage;
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
    pub gate: Option<GateOutcome>,
    /// What changed against `--baseline`, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
}

impl Report {
    /// The plugin row called `name`.
    pub fn plugin(&self, name: &str) -> Option<&PluginReport> {
        self.plugins.iter().find(|p| p.name == name)
    }

    /// Rewrites every path the report shows (gold directory, plugin specs
    /// and targets, baseline) relative to `base` where it lies below it, so
    /// a report — the committed baseline above all — does not depend on
    /// where the checkout is.
    pub fn relativize_paths(&mut self, base: &std::path::Path) {
        let rel = |s: &mut String| {
            let (prefix, path) = match s.strip_prefix("cmd:") {
                Some(rest) => ("cmd:", rest),
                None => ("", s.as_str()),
            };
            let new = relative(base, path);
            *s = format!("{prefix}{new}");
        };
        rel(&mut self.meta.gold.dir);
        for p in &mut self.plugins {
            rel(&mut p.spec);
            if let Some(i) = &mut p.info {
                rel(&mut i.target);
            }
        }
        if let Some(g) = &mut self.gate {
            if let Some(b) = &mut g.baseline {
                rel(b);
            }
        }
        if let Some(c) = &mut self.comparison {
            rel(&mut c.base);
        }
    }

    /// The plugins that loaded.
    pub fn loaded(&self) -> impl Iterator<Item = &PluginReport> {
        self.plugins.iter().filter(|p| p.load_error.is_none())
    }

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

/// `path` relative to `base` when it is an absolute path below it; every
/// absolute path inside a command line is rewritten the same way.
fn relative(base: &std::path::Path, path: &str) -> String {
    let prefix = format!("{}/", base.display());
    if path == base.display().to_string() {
        return ".".into();
    }
    path.split(' ')
        .map(|word| word.strip_prefix(prefix.as_str()).unwrap_or(word))
        .collect::<Vec<_>>()
        .join(" ")
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
    /// The named subset of the gold this run covers (`--subset`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subset: Option<String>,
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
    /// Mentions of fields the plugin does not claim, dropped before scoring.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unclaimed_mentions: u64,
    /// Things the reader should know about this row (shown beside it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Field-to-field confusion over all articles and fields.
    #[serde(default)]
    pub confusion: ConfusionMatrix,
    /// Present when the plugin reported usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<UsageReport>,
    /// Present with `--repeat N` (N > 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeats: Option<RepeatReport>,
    /// Usage of repeats 2..=N as (spent, saved): kept apart from the
    /// articles so `usage` can report what the primary answers cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_usage: Option<(Usage, Usage)>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl PluginReport {
    /// A row with its identity and no articles yet; `build::assemble`
    /// derives every number once the articles are in.
    pub fn new(name: String, spec: String, info: Option<PluginInfo>, load_error: Option<String>) -> PluginReport {
        PluginReport {
            name,
            spec,
            info,
            load_error,
            timing: None,
            articles: Vec::new(),
            fields: BTreeMap::new(),
            overall: FieldSummary::empty(),
            macro_f1: None,
            unclaimed_mentions: 0,
            warnings: Vec::new(),
            confusion: ConfusionMatrix::default(),
            usage: None,
            repeats: None,
            repeat_usage: None,
        }
    }

    pub fn failed_articles(&self) -> impl Iterator<Item = &ArticleReport> {
        self.articles.iter().filter(|a| a.error.is_some())
    }

    /// The fields this plugin is scored on: those it claims (all four for
    /// predictions made elsewhere, which claim nothing explicitly). The one
    /// place this rule lives.
    pub fn claimed_fields(&self) -> Vec<Field> {
        match &self.info {
            Some(i) if !i.fields.is_empty() => Field::ALL.into_iter().filter(|f| i.fields.contains(f)).collect(),
            _ => Field::ALL.to_vec(),
        }
    }

    pub fn claims(&self, field: Field) -> bool {
        self.claimed_fields().contains(&field)
    }

    /// Whether the plugin produced nothing usable: it did not load, or it
    /// failed on every article.
    pub fn unusable(&self) -> bool {
        self.load_error.is_some() || (!self.articles.is_empty() && self.articles.iter().all(|a| a.error.is_some()))
    }

    /// One article's counts over the claimed fields (`None`) or of one field.
    pub fn article_counts(&self, article: &ArticleReport, field: Option<Field>) -> FieldCounts {
        match field {
            Some(f) => article.counts.get(&f).unwrap_or_default(),
            None => {
                let mut t = FieldCounts::default();
                for f in self.claimed_fields() {
                    t += article.counts.get(&f).unwrap_or_default();
                }
                t
            }
        }
    }

    /// Per-article counts of one field, or of all claimed fields (`None`),
    /// in gold order: what the bootstrap and paired tests resample.
    pub fn series(&self, field: Option<Field>) -> Vec<FieldCounts> {
        self.articles.iter().map(|a| self.article_counts(a, field)).collect()
    }

    /// Articles of both plugins paired by id, in this plugin's order: what
    /// compare and the gate's paired tests read.
    pub fn paired_with<'a>(&'a self, other: &'a PluginReport) -> Vec<(&'a ArticleReport, &'a ArticleReport)> {
        let by_id: BTreeMap<&str, &ArticleReport> = other.articles.iter().map(|a| (a.id.as_str(), a)).collect();
        self.articles
            .iter()
            .filter_map(|a| by_id.get(a.id.as_str()).map(|b| (a, *b)))
            .collect()
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

/// What a plugin's calls cost (plugins that report `usage`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UsageReport {
    /// Calls made in this run (all repeats).
    pub spent: Usage,
    /// What the answers taken from the cache had cost when they were made:
    /// saved, not spent.
    pub saved: Usage,
    /// (spent + saved) cost of the first repeat per correct mention of the
    /// claimed fields (headline true positives).
    pub cost_per_correct_usd: Option<f64>,
}

/// The spread of a plugin's F1 across `--repeat` calls, and how often the
/// repeats agree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepeatSpread {
    /// Headline F1 of each repeat (the first is the report's).
    pub f1: Vec<Option<f64>>,
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Population standard deviation across repeats.
    pub sd: Option<f64>,
    /// Share of the predicted mentions (field, span, value) that every
    /// repeat produced.
    pub agreement: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepeatReport {
    pub repeats: usize,
    pub fields: BTreeMap<Field, RepeatSpread>,
    pub overall: RepeatSpread,
}

/// Gold field × predicted field for the pairs of the field-blind overlap
/// matching (the partial scheme), with the gold mentions no prediction
/// overlaps ("missed") and the predictions that overlap no gold mention
/// ("spurious").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    /// Gold field → predicted field → pairs.
    pub pairs: BTreeMap<Field, BTreeMap<Field, u64>>,
    pub missed: BTreeMap<Field, u64>,
    pub spurious: BTreeMap<Field, u64>,
}

impl ArticleReport {
    /// An article's scored outcome, without usage or repeats.
    pub fn new(id: String, error: Option<CallError>, counts: Counts, findings: Vec<Finding>) -> ArticleReport {
        ArticleReport {
            id,
            error,
            elapsed_ms: 0.0,
            cached: false,
            counts: counts.into(),
            findings,
            usage: None,
            repeats: Vec::new(),
            agreement: BTreeMap::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleReport {
    pub id: String,
    /// The call failed: its gold mentions count as missed.
    pub error: Option<CallError>,
    pub elapsed_ms: f64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cached: bool,
    pub counts: ArticleCounts,
    pub findings: Vec<Finding>,
    /// What the call cost, as the plugin reported it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// With `--repeat N`: the counts of repeats 2..=N.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repeats: Vec<ArticleCounts>,
    /// With `--repeat N`: per field, [mentions every repeat produced,
    /// mentions any repeat produced].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub agreement: BTreeMap<Field, [u64; 2]>,
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

/// How one gate check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    /// A quality rule failed (JUnit `<failure>`).
    Fail,
    /// The plugin failed to load, failed on articles, or is missing from the
    /// run (JUnit `<error>`).
    Error,
}

/// One plugin × field check of the gate, with the numbers behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GateCheck {
    pub plugin: String,
    /// `None` for a plugin-level check (loaded, no failed article, present).
    pub field: Option<Field>,
    pub status: CheckStatus,
    pub f1: Option<f64>,
    pub baseline_f1: Option<f64>,
    /// The rule's floor and allowed drop, as applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_f1: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_drop: Option<f64>,
    /// Paired test against the baseline, when a drop was tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta_ci: Option<Interval>,
    pub p_value: Option<f64>,
    pub messages: Vec<String>,
}

impl GateCheck {
    /// A check of the plugin as a whole (loaded, no failed article, present).
    pub fn plugin_level(plugin: &str, status: CheckStatus, message: String) -> GateCheck {
        GateCheck {
            plugin: plugin.to_string(),
            field: None,
            status,
            f1: None,
            baseline_f1: None,
            min_f1: None,
            max_drop: None,
            delta_ci: None,
            p_value: None,
            messages: vec![message],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GateOutcome {
    pub passed: bool,
    pub baseline: Option<String>,
    pub checks: Vec<GateCheck>,
}

/// ΔF1 of one plugin × field between a base and a new report.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DeltaRow {
    pub plugin: String,
    pub field: Field,
    pub base_f1: Option<f64>,
    pub new_f1: Option<f64>,
    pub test: PairedTest,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum FlipKind {
    NewlyMissed,
    NewlyFound,
    NewlySpurious,
    NoLongerSpurious,
}

impl FlipKind {
    /// How people read it.
    pub fn label(self) -> &'static str {
        match self {
            FlipKind::NewlyMissed => "newly missed",
            FlipKind::NewlyFound => "newly found",
            FlipKind::NewlySpurious => "newly spurious",
            FlipKind::NoLongerSpurious => "no longer spurious",
        }
    }
}

/// A mention whose outcome changed between the two reports.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Flip {
    pub plugin: String,
    pub article: String,
    pub field: Field,
    pub kind: FlipKind,
    pub mention: MentionView,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Comparison {
    /// The base report's path, as given.
    #[serde(default)]
    pub base: String,
    pub rows: Vec<DeltaRow>,
    pub flips: Vec<Flip>,
    /// Plugins only in one of the two reports.
    pub only_in_base: Vec<String>,
    pub only_in_new: Vec<String>,
}
