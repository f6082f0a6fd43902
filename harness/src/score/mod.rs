//! The scoring engine. Data flows one way:
//! mentions → `article::score_article` (optimal matching, per scheme and per
//! field) → raw `counts` → `metrics` (P/R/F1) and `uncertainty` (bootstrap,
//! paired tests). Nothing stores a ratio that is later averaged.

pub mod article;
pub mod counts;
pub mod matching;
pub mod metrics;
pub mod uncertainty;
pub mod value;

pub use crate::mention::{GoldMention, MentionView, PredMention, Span};
pub use article::{score_article, score_counts, ArticleScore, Finding, FindingKind, MatchConfig};
pub use counts::{add_counts, ArticleCounts, Counts, FieldCounts, Scheme, SchemeCounts, SpanFreeCounts, ValueCounts};
pub use metrics::Prf;
pub use uncertainty::{Interval, PairedTest, ResamplingConfig};
