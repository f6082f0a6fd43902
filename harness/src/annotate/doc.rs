//! An article's labels as the page holds them, and the conversion to and
//! from the gold model. The page may hold anything (a value typed halfway);
//! turning it into a `GoldArticle` is where shape errors are caught.

use super::problems::Problem;
use crate::gold::GoldArticle;
use crate::mention::{GoldMention, Origin, Span};
use extractor_api::{Field, Value};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocMention {
    pub id: String,
    pub field: Field,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub value: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre: Option<Origin>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocIgnore {
    pub start: usize,
    pub end: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The labels of one article.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Doc {
    pub ignore: Vec<DocIgnore>,
    pub mentions: Vec<DocMention>,
}

impl From<&GoldMention> for DocMention {
    fn from(m: &GoldMention) -> DocMention {
        DocMention {
            id: m.id.clone(),
            field: m.field(),
            start: m.span.start,
            end: m.span.end,
            text: m.text.clone(),
            value: serde_json::to_value(&m.value).expect("values serialize"),
            pre: m.origin.clone(),
        }
    }
}

impl Doc {
    pub fn of(a: &GoldArticle) -> Doc {
        Doc {
            ignore: a
                .ignore
                .iter()
                .zip(a.ignore_reasons.iter().chain(std::iter::repeat(&None)))
                .map(|(s, r)| DocIgnore {
                    start: s.start,
                    end: s.end,
                    reason: r.clone(),
                })
                .collect(),
            mentions: a.mentions.iter().map(DocMention::from).collect(),
        }
    }

    /// `base` (its id, file, source and text) with these labels, sorted by
    /// start as the gold format wants; or the mentions whose value has the
    /// wrong shape for its field.
    pub fn to_article(&self, base: &GoldArticle) -> Result<GoldArticle, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut mentions = Vec::new();
        for m in &self.mentions {
            match Value::from_json(m.field, m.value.clone()) {
                Ok(value) => mentions.push(GoldMention {
                    id: m.id.clone(),
                    span: Span {
                        start: m.start,
                        end: m.end,
                    },
                    text: m.text.clone(),
                    value,
                    origin: m.pre.clone(),
                }),
                Err(e) => problems.push(Problem::error(
                    Some(m.id.clone()),
                    format!("mention {:?}: value has the wrong shape for a {}: {e}", m.id, m.field),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        mentions.sort_by(|a, b| (a.span, &a.id).cmp(&(b.span, &b.id)));
        let mut ignore: Vec<&DocIgnore> = self.ignore.iter().collect();
        ignore.sort_by_key(|i| (i.start, i.end));
        Ok(GoldArticle {
            ignore: ignore
                .iter()
                .map(|i| Span {
                    start: i.start,
                    end: i.end,
                })
                .collect(),
            ignore_reasons: ignore.iter().map(|i| i.reason.clone()).collect(),
            mentions,
            ..base.clone()
        })
    }
}
