//! `harness gold stats`: what a gold set holds — articles, mentions per
//! field, per article, and per genre and layout where `SOURCES.md` (a
//! Markdown table with `file`, `genre` and `layout` columns) tells them.

use super::GoldSet;
use extractor_api::Field;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Row {
    pub articles: usize,
    pub chars: usize,
    pub mentions: BTreeMap<Field, usize>,
    pub ignore_regions: usize,
}

impl Row {
    fn add(&mut self, a: &super::GoldArticle) {
        self.articles += 1;
        self.chars += a.text.chars().count();
        self.ignore_regions += a.ignore.len();
        for f in Field::ALL {
            *self.mentions.entry(f).or_default() += 0;
        }
        for m in &a.mentions {
            *self.mentions.entry(m.field()).or_default() += 1;
        }
    }

    pub fn total(&self) -> usize {
        self.mentions.values().sum()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stats {
    pub all: Row,
    pub per_article: BTreeMap<String, Row>,
    /// Keyed "genre: core", "layout: crawled-text", … when known.
    pub per_group: BTreeMap<String, Row>,
}

/// file stem → (column → value), from the first Markdown table in
/// SOURCES.md that has a `file` column.
fn sources(dir: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let Ok(src) = std::fs::read_to_string(dir.join("SOURCES.md")) else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    let mut header: Option<Vec<String>> = None;
    for line in src.lines() {
        let cells: Vec<String> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect();
        if !line.trim_start().starts_with('|') {
            if header.as_ref().is_some_and(|_| !out.is_empty()) {
                break;
            }
            header = None;
            continue;
        }
        match &header {
            None if cells.iter().any(|c| c == "file") => header = Some(cells),
            None => {}
            Some(_) if cells.iter().all(|c| c.chars().all(|ch| ch == '-' || ch == ':')) => {}
            Some(h) => {
                let row: BTreeMap<String, String> = h.iter().cloned().zip(cells).collect();
                if let Some(file) = row.get("file") {
                    let stem = file.trim_end_matches(".txt").to_string();
                    out.insert(stem, row);
                }
            }
        }
    }
    out
}

pub fn stats(set: &GoldSet) -> Stats {
    let dir = if set.dir.is_file() {
        set.dir.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        set.dir.clone()
    };
    let known = sources(&dir);
    let mut s = Stats {
        all: Row::default(),
        per_article: BTreeMap::new(),
        per_group: BTreeMap::new(),
    };
    for a in &set.articles {
        s.all.add(a);
        s.per_article.entry(a.id.clone()).or_default().add(a);
        let meta = known.get(&a.id);
        for key in ["genre", "layout"] {
            let value = meta.and_then(|m| m.get(key)).map_or("unknown", String::as_str);
            s.per_group.entry(format!("{key}: {value}")).or_default().add(a);
        }
    }
    s
}
