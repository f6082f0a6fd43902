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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_article_sorts_and_catches_wrong_shapes() {
        let base = crate::gold::add::empty(std::path::Path::new("g"), "a", "tăng 7,1% và 5%".into());
        let m = |id: &str, start, end, text: &str, value| DocMention {
            id: id.into(),
            field: Field::Percentage,
            start,
            end,
            text: text.into(),
            value,
            pre: None,
        };
        let doc = Doc {
            ignore: vec![
                DocIgnore {
                    start: 9,
                    end: 12,
                    reason: Some("b".into()),
                },
                DocIgnore {
                    start: 0,
                    end: 1,
                    reason: None,
                },
            ],
            mentions: vec![
                m("p2", 13, 15, "5%", serde_json::json!({"value": 5})),
                m("p1", 5, 9, "7,1%", serde_json::json!({"value": 7.1})),
            ],
        };
        let a = doc.to_article(&base).unwrap();
        assert_eq!(
            a.mentions.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            ["p1", "p2"]
        );
        assert_eq!(a.ignore[0], Span { start: 0, end: 1 });
        assert_eq!(a.ignore_reasons, [None, Some("b".to_string())]);
        assert_eq!(Doc::of(&a).mentions[0], doc.mentions[1]);
        let mut bad = doc.clone();
        bad.mentions[0].value = serde_json::json!({"value": "5"});
        let problems = bad.to_article(&base).unwrap_err();
        assert_eq!(problems[0].mention.as_deref(), Some("p2"));
        assert!(problems[0].message.contains("wrong shape"), "{problems:?}");
    }
}
