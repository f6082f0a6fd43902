//! JSON-lines gold: one gold object per line with the article text inline.
//! Read one line at a time, so a large corpus is never held in memory.

use super::load::parse_gold_line;
use super::{Diagnostic, GoldArticle, GoldSet};
use std::collections::HashSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Whether a gold path names a JSON-lines stream rather than a directory.
pub fn is_jsonl(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|x| x == "jsonl" || x == "ndjson")
}

/// An iterator over the articles of a JSON-lines gold file. Problems are
/// collected, not returned, so that every one can be reported at the end.
pub struct GoldLines {
    path: PathBuf,
    reader: std::io::BufReader<std::fs::File>,
    line_no: usize,
    seen: HashSet<String>,
    hasher: sha2::Sha256,
    pub diagnostics: Vec<Diagnostic>,
}

impl GoldLines {
    pub fn open(path: &Path) -> Result<GoldLines, crate::Error> {
        use sha2::Digest;
        let file = std::fs::File::open(path).map_err(crate::Error::io(path))?;
        Ok(GoldLines {
            path: path.to_path_buf(),
            reader: std::io::BufReader::new(file),
            line_no: 0,
            seen: HashSet::new(),
            hasher: sha2::Sha256::new(),
            diagnostics: Vec::new(),
        })
    }

    /// SHA-256 of every byte read so far (all of them once exhausted).
    pub fn sha256(&self) -> String {
        use sha2::Digest;
        crate::digest::hex(&self.hasher.clone().finalize())
    }

    fn problem(&mut self, message: String) {
        self.diagnostics.push(Diagnostic {
            file: self.path.clone(),
            line: self.line_no,
            col: 1,
            message,
        });
    }
}

impl Iterator for GoldLines {
    type Item = GoldArticle;

    fn next(&mut self) -> Option<GoldArticle> {
        use sha2::Digest;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    self.problem(format!("cannot read: {e}"));
                    return None;
                }
            }
            self.line_no += 1;
            self.hasher.update(&buf);
            let Ok(line) = std::str::from_utf8(&buf) else {
                self.problem("the line is not UTF-8".into());
                continue;
            };
            if line.trim().is_empty() {
                continue;
            }
            let (article, diags) = parse_gold_line(&self.path, self.line_no, line.trim_end());
            self.diagnostics.extend(diags);
            let Some(a) = article else { continue };
            if !self.seen.insert(a.id.clone()) {
                self.problem(format!("article id {:?} appears twice", a.id));
                continue;
            }
            return Some(a);
        }
    }
}

/// Loads a whole JSON-lines gold file (for `eval` and small corpora;
/// `score` streams instead).
pub fn load_jsonl(path: &Path) -> Result<GoldSet, crate::Error> {
    let mut lines = GoldLines::open(path)?;
    let articles: Vec<GoldArticle> = lines.by_ref().collect();
    if articles.is_empty() && lines.diagnostics.is_empty() {
        lines.problem("no gold articles in this file".into());
    }
    if !lines.diagnostics.is_empty() {
        return Err(crate::Error::BadGold(lines.diagnostics));
    }
    let sha256 = lines.sha256();
    Ok(GoldSet {
        dir: path.to_path_buf(),
        warnings: articles.iter().flat_map(super::load::text_warnings).collect(),
        articles,
        sha256,
    })
}
