//! The JSON data block the page's script reads: article texts and, per
//! loaded plugin, the findings of its claimed fields. Typed, so what the
//! script may read is written down here (a test checks every key
//! `assets/report.js` reads against this serialization).

use crate::mention::MentionView;
use crate::report::Report;
use crate::score::{Finding, FindingKind};
use extractor_api::Field;
use serde::Serialize;
use std::collections::BTreeMap;

/// The heat map and the error browser show at most this many articles (the
/// first, in gold order), so the page stays usable for large corpora; every
/// article is in articles.csv and report.json.
pub const HTML_ARTICLES: usize = 500;

#[derive(Serialize)]
pub struct Data<'a> {
    /// Article id → text as stored.
    pub texts: BTreeMap<&'a str, &'a str>,
    pub plugins: Vec<PluginData<'a>>,
}

#[derive(Serialize)]
pub struct PluginData<'a> {
    pub name: &'a str,
    pub articles: Vec<ArticleData<'a>>,
}

#[derive(Serialize)]
pub struct ArticleData<'a> {
    pub id: &'a str,
    pub error: Option<String>,
    pub findings: Vec<FindingData<'a>>,
}

#[derive(Serialize)]
pub struct FindingData<'a> {
    pub field: Field,
    pub kind: FindingKind,
    pub gold: Option<&'a MentionView>,
    pub pred: Option<&'a MentionView>,
}

impl<'a> From<&'a Finding> for FindingData<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingData {
            field: f.field,
            kind: f.kind,
            gold: f.gold.as_ref(),
            pred: f.pred.as_ref(),
        }
    }
}

pub fn data(r: &Report) -> Data<'_> {
    Data {
        texts: r
            .meta
            .gold
            .articles
            .iter()
            .take(HTML_ARTICLES)
            .filter_map(|a| a.text.as_deref().map(|t| (a.id.as_str(), t)))
            .collect(),
        plugins: r
            .loaded()
            .map(|p| PluginData {
                name: &p.name,
                articles: p
                    .articles
                    .iter()
                    .take(HTML_ARTICLES)
                    .map(|a| ArticleData {
                        id: &a.id,
                        error: a.error.as_ref().map(ToString::to_string),
                        findings: a
                            .findings
                            .iter()
                            .filter(|f| p.claims(f.field))
                            .map(FindingData::from)
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The data block's JSON. Every `<` is written as `\u003c`, so the block can
/// never close its script element (this covers `</` and `<!--`).
pub fn json(r: &Report) -> String {
    serde_json::to_string(&data(r))
        .expect("report data serializes")
        .replace('<', "\\u003c")
}
