//! What the scorer compares: gold mentions, predictions, spans.

use extractor_api::{Field, Value};
use serde::{Deserialize, Serialize};

/// A code point range, end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Number of shared code points.
    pub fn overlap(&self, other: &Span) -> usize {
        self.end.min(other.end).saturating_sub(self.start.max(other.start))
    }
    pub fn union_len(&self, other: &Span) -> usize {
        self.len() + other.len() - self.overlap(other)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct GoldMention {
    pub id: String,
    pub span: Span,
    pub text: String,
    pub value: Value,
}

impl GoldMention {
    pub fn field(&self) -> Field {
        self.value.field()
    }
}

/// A prediction. Without a span it is scored only span-free.
#[derive(Clone, Debug, PartialEq)]
pub struct PredMention {
    pub span: Option<Span>,
    pub text: Option<String>,
    pub value: Value,
}

impl PredMention {
    pub fn field(&self) -> Field {
        self.value.field()
    }
}

/// A mention as reports show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentionView {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub text: Option<String>,
    pub value: serde_json::Value,
}

impl From<&GoldMention> for MentionView {
    fn from(g: &GoldMention) -> Self {
        MentionView {
            id: Some(g.id.clone()),
            start: Some(g.span.start),
            end: Some(g.span.end),
            text: Some(g.text.clone()),
            value: serde_json::to_value(&g.value).expect("values serialize"),
        }
    }
}

impl From<&PredMention> for MentionView {
    fn from(p: &PredMention) -> Self {
        MentionView {
            id: None,
            start: p.span.map(|s| s.start),
            end: p.span.map(|s| s.end),
            text: p.text.clone(),
            value: serde_json::to_value(&p.value).expect("values serialize"),
        }
    }
}
