//! The gold directory the workbench writes: loading an article for the page,
//! summaries for the list, and saving. A save is refused when the file
//! changed on disk since the page loaded it (its hash is sent back), or
//! when the labels break the gold format; otherwise it is written
//! atomically in the canonical layout.

use super::doc::Doc;
use super::problems::{self, Problem, Severity};
use super::status::{self, Mark, Status};
use super::ApiError;
use crate::digest::sha256_hex;
use crate::gold::{self, GoldArticle};
use extractor_api::Field;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct Store {
    pub dir: PathBuf,
    /// Held across read, compare and write of a save.
    lock: Mutex<()>,
}

/// An article as the page receives it.
#[derive(Serialize)]
pub struct Loaded {
    pub id: String,
    pub text: String,
    /// SHA-256 of the gold file's bytes; empty when there is no file yet.
    pub hash: String,
    /// False when the gold file on disk has problems the page cannot show
    /// as labels (broken JSON, a changed text); fix it by hand first.
    pub editable: bool,
    pub doc: Doc,
    pub problems: Vec<Problem>,
    pub marked_done: bool,
}

/// One line of the article list.
#[derive(Serialize)]
pub struct Summary {
    pub id: String,
    pub status: Status,
    pub chars: usize,
    pub counts: BTreeMap<Field, usize>,
    pub ignore: usize,
    pub unreviewed: usize,
    pub errors: usize,
    /// Disagreements between the two passes (adjudication only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disagreements: Option<usize>,
}

#[derive(Serialize)]
pub struct Saved {
    pub hash: String,
    pub status: Status,
    /// Warnings only: a save with errors is refused.
    pub problems: Vec<Problem>,
}

/// Pre-annotated mentions no person has reviewed yet.
fn unreviewed(a: &GoldArticle) -> usize {
    a.mentions
        .iter()
        .filter(|m| m.origin.as_ref().is_some_and(|o| !o.reviewed))
        .count()
}

fn file_hash(path: &Path) -> Result<String, ApiError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(sha256_hex(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(ApiError::Internal(format!("{}: {e}", path.display()))),
    }
}

impl Store {
    pub fn new(dir: PathBuf) -> Store {
        Store {
            dir,
            lock: Mutex::new(()),
        }
    }

    /// The gold file of `id`; unsafe ids (`../x`) are refused here, before
    /// any path is built from them.
    pub fn gold_path(&self, id: &str) -> Result<PathBuf, ApiError> {
        gold::check_id(id).map_err(ApiError::BadRequest)?;
        Ok(gold::add::paths(&self.dir, id).1)
    }

    /// Ids of the gold files in the directory, sorted.
    pub fn ids(&self) -> Result<Vec<String>, crate::Error> {
        let entries = std::fs::read_dir(&self.dir).map_err(crate::Error::io(&self.dir))?;
        let mut ids: Vec<String> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
            .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
            .filter(|id| gold::check_id(id).is_ok())
            .collect();
        ids.sort();
        Ok(ids)
    }

    pub fn marks(&self) -> Result<BTreeMap<String, Mark>, ApiError> {
        Ok(status::read(&self.dir)?)
    }

    /// The gold file's `source` (read leniently, so that a file with other
    /// problems still finds its text), or the default place for new ones.
    fn source(&self, path: &Path, id: &str) -> String {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
            .and_then(|v| v.get("source").and_then(|s| s.as_str()).map(str::to_string))
            .unwrap_or_else(|| format!("articles/{id}.txt"))
    }

    /// The article with no labels, its text read from disk. With
    /// `fallback` (adjudication), a missing text is first written from it.
    fn base(&self, id: &str, fallback: Option<&str>) -> Result<GoldArticle, ApiError> {
        let path = self.gold_path(id)?;
        let source = self.source(&path, id);
        let text_path = self.dir.join(&source);
        let bytes = match (std::fs::read(&text_path), fallback) {
            (Ok(b), _) => b,
            (Err(e), Some(text)) if e.kind() == std::io::ErrorKind::NotFound => {
                crate::files::atomic_write(&text_path, text.as_bytes())?;
                text.as_bytes().to_vec()
            }
            (Err(e), _) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ApiError::NotFound(format!("no article text {}", text_path.display())))
            }
            (Err(e), _) => return Err(ApiError::Internal(format!("{}: {e}", text_path.display()))),
        };
        let text = gold::add::article_text(bytes, &text_path).map_err(|e| ApiError::Internal(e.to_string()))?;
        if fallback.is_some_and(|f| f != text) {
            return Err(ApiError::Internal(format!(
                "{} differs from the passes' text of {id}; move it away first",
                text_path.display()
            )));
        }
        let mut a = gold::add::empty(&self.dir, id, text);
        a.source = Some(source);
        Ok(a)
    }

    /// Whether the gold file of `id` exists.
    pub fn exists(&self, id: &str) -> Result<bool, ApiError> {
        Ok(self.gold_path(id)?.is_file())
    }

    /// The article and its labels as stored.
    pub fn load(&self, id: &str) -> Result<Loaded, ApiError> {
        let path = self.gold_path(id)?;
        let src = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ApiError::NotFound(format!("no gold file {}", path.display())),
            _ => ApiError::Internal(format!("{}: {e}", path.display())),
        })?;
        let marked_done = self.marks()?.get(id) == Some(&Mark::Done);
        let hash = sha256_hex(src.as_bytes());
        match gold::parse_gold(&path, &src) {
            (Some(a), _) => Ok(Loaded {
                id: id.to_string(),
                doc: Doc::of(&a),
                problems: problems::check(&a),
                text: a.text,
                hash,
                editable: true,
                marked_done,
            }),
            (None, diags) => Ok(Loaded {
                id: id.to_string(),
                text: self.base(id, None).map(|a| a.text).unwrap_or_default(),
                hash,
                editable: false,
                doc: Doc::default(),
                problems: diags.into_iter().map(|d| Problem::error(None, d.to_string())).collect(),
                marked_done,
            }),
        }
    }

    /// The list line of a stored article.
    pub fn summary(&self, id: &str, marks: &BTreeMap<String, Mark>) -> Result<Summary, ApiError> {
        let (article, diags) = gold::load_file(&self.gold_path(id)?);
        Ok(match article {
            Some(a) => self.summary_of(&a, marks),
            None => Summary {
                id: id.to_string(),
                status: Status::InProgress,
                chars: 0,
                counts: BTreeMap::new(),
                ignore: 0,
                unreviewed: 0,
                errors: diags.len(),
                disagreements: None,
            },
        })
    }

    /// The list line of an article that loaded without problems.
    pub fn summary_of(&self, a: &GoldArticle, marks: &BTreeMap<String, Mark>) -> Summary {
        let mut counts: BTreeMap<Field, usize> = Field::ALL.iter().map(|f| (*f, 0)).collect();
        for m in &a.mentions {
            *counts.entry(m.field()).or_default() += 1;
        }
        let unreviewed = unreviewed(a);
        Summary {
            id: a.id.clone(),
            status: status::status(
                marks.get(&a.id).copied(),
                a.mentions.len() + a.ignore.len(),
                unreviewed,
                0,
            ),
            chars: a.text.chars().count(),
            counts,
            ignore: a.ignore.len(),
            unreviewed,
            errors: 0,
            disagreements: None,
        }
    }

    /// The stored text of an article.
    pub fn text(&self, id: &str) -> Result<String, ApiError> {
        Ok(self.base(id, None)?.text)
    }

    /// Validates `doc` as `harness gold check` would and writes it, if the
    /// gold file is still the one whose hash the page loaded (`""`: none).
    pub fn save(
        &self,
        id: &str,
        base_hash: &str,
        doc: &Doc,
        done: bool,
        fallback: Option<&str>,
    ) -> Result<Saved, ApiError> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let path = self.gold_path(id)?;
        let hash = file_hash(&path)?;
        if hash != base_hash {
            return Err(ApiError::Conflict { hash });
        }
        let article = doc
            .to_article(&self.base(id, fallback)?)
            .map_err(ApiError::Unprocessable)?;
        let problems = problems::check(&article);
        if problems.iter().any(|p| p.severity == Severity::Error) {
            return Err(ApiError::Unprocessable(problems));
        }
        let text = gold::canonical(&article);
        crate::files::atomic_write(&path, text.as_bytes())?;
        let mut marks = self.marks()?;
        let mark = if done { Mark::Done } else { Mark::InProgress };
        marks.insert(id.to_string(), mark);
        status::write(&self.dir, &marks)?;
        Ok(Saved {
            hash: sha256_hex(text.as_bytes()),
            status: status::status(Some(mark), 1, unreviewed(&article), 0),
            problems,
        })
    }

    /// The labels checked without writing anything. `pass` is the
    /// adjudicated pass's article, whose text is checked against until the
    /// merged article has a file of its own.
    pub fn check(&self, id: &str, doc: &Doc, pass: Option<&GoldArticle>) -> Result<Vec<Problem>, ApiError> {
        let base = match pass {
            Some(a) if !self.exists(id)? => GoldArticle {
                ignore: Vec::new(),
                ignore_reasons: Vec::new(),
                mentions: Vec::new(),
                ..a.clone()
            },
            _ => self.base(id, None)?,
        };
        Ok(match doc.to_article(&base) {
            Ok(a) => problems::check(&a),
            Err(p) => p,
        })
    }
}
