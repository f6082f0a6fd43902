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
    /// Non-blank lines read so far (a shard counts articles by this).
    position: usize,
    /// Bytes read so far, and the file's size.
    read: u64,
    size: u64,
    done: bool,
    seen: HashSet<String>,
    hasher: sha2::Sha256,
    /// The lines of the current batch, back to back: one buffer reused for
    /// every batch instead of a growing allocation per line.
    chunk: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
}

impl GoldLines {
    pub fn open(path: &Path) -> Result<GoldLines, crate::Error> {
        use sha2::Digest;
        let file = std::fs::File::open(path).map_err(crate::Error::io(path))?;
        let size = file.metadata().map_or(0, |m| m.len());
        Ok(GoldLines {
            path: path.to_path_buf(),
            reader: std::io::BufReader::new(file),
            line_no: 0,
            position: 0,
            read: 0,
            size,
            done: false,
            seen: HashSet::new(),
            hasher: sha2::Sha256::new(),
            chunk: Vec::new(),
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

impl GoldLines {
    /// The next `n` articles whose position (counting non-blank lines from
    /// 0) `keep` accepts. Lines are read and hashed in order and parsed in
    /// parallel, in order: parsing is most of the cost of a large corpus.
    pub fn batch(&mut self, n: usize, mut keep: impl FnMut(usize) -> bool) -> Vec<GoldArticle> {
        use rayon::prelude::*;
        use sha2::Digest;
        // (line number, byte range in `chunk`) of each kept line.
        let mut raw: Vec<(usize, std::ops::Range<usize>)> = Vec::with_capacity(n);
        let mut chunk = std::mem::take(&mut self.chunk);
        chunk.clear();
        while raw.len() < n {
            let start = chunk.len();
            match self.reader.read_until(b'\n', &mut chunk) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(_) => {}
                Err(e) => {
                    self.problem(format!("cannot read: {e}"));
                    self.done = true;
                    break;
                }
            }
            self.line_no += 1;
            self.read += (chunk.len() - start) as u64;
            let line = &chunk[start..];
            self.hasher.update(line);
            if line.trim_ascii().is_empty() {
                chunk.truncate(start);
                continue;
            }
            self.position += 1;
            if keep(self.position - 1) {
                raw.push((self.line_no, start..chunk.len()));
            } else {
                chunk.truncate(start);
            }
        }
        let path = &self.path;
        // `None`: the line is not UTF-8.
        type Parsed = Option<(Option<GoldArticle>, Vec<Diagnostic>)>;
        let parsed: Vec<(usize, Parsed)> = raw
            .par_iter()
            .map(|(line_no, range)| {
                let p = simdutf8::basic::from_utf8(&chunk[range.clone()])
                    .ok()
                    .map(|line| parse_gold_line(path, *line_no, line.trim_end()));
                (*line_no, p)
            })
            .collect();
        self.chunk = chunk;
        let mut out = Vec::with_capacity(parsed.len());
        for (line_no, p) in parsed {
            let Some((article, diags)) = p else {
                self.problem_at(line_no, "the line is not UTF-8".into());
                continue;
            };
            self.diagnostics.extend(diags);
            let Some(a) = article else { continue };
            if !self.seen.insert(a.id.clone()) {
                self.problem_at(line_no, format!("article id {:?} appears twice", a.id));
                continue;
            }
            out.push(a);
        }
        out
    }

    /// The number of articles the whole file will give, extrapolated from
    /// the `so_far` given by the bytes read so far (25% margin; a guess for
    /// reserving memory, never a limit).
    pub fn estimated_total(&self, so_far: usize) -> usize {
        if self.read == 0 {
            return so_far;
        }
        (so_far as f64 * self.size as f64 / self.read as f64 * 1.25) as usize
    }

    /// Every line has been read.
    pub fn exhausted(&self) -> bool {
        self.done
    }

    fn problem_at(&mut self, line: usize, message: String) {
        self.diagnostics.push(Diagnostic {
            file: self.path.clone(),
            line,
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
