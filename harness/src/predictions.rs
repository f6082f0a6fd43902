//! Predictions produced elsewhere, for `harness score`: a JSON-lines file
//! (`{"id", "mentions": [...]}` per line; mentions may omit offsets, and are
//! then scored span-free only) or a directory of gold-format files (to score
//! one annotator's pass against another).
//!
//! A JSON-lines file is indexed once (id → byte range) and each article's
//! line is read and validated when that article is scored, so memory does
//! not grow with the file and the lines may come in any order.

use crate::diag::Diagnostic;
use crate::gold::GoldSet;
use crate::mention::PredMention;
use crate::outcome::{ArticleRun, CallError, ErrorKind, PluginInfo, PluginRun};
use crate::plugin::parse_response;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What to do with a bad line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OnBadLine {
    /// Report it and stop with exit code 7.
    Stop,
    /// Record the article as failed (error kind `bad_line`, with file:line)
    /// and go on. A line without a readable id is reported on stderr.
    Skip,
}

/// The identity of predictions read from `path`; `abi` names their format.
pub fn info(path: &Path, abi: &str, sha: String) -> PluginInfo {
    PluginInfo {
        name: stem(path),
        version: String::new(),
        kind: "predictions".into(),
        target: path.display().to_string(),
        sha256: sha,
        abi: abi.into(),
        fields: extractor_api::Field::ALL.to_vec(),
        thread_safe: false,
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("predictions")
        .to_string()
}

#[derive(Clone, Copy, Debug)]
struct LineRef {
    offset: u64,
    len: usize,
    line: usize,
}

/// Raw lines of several articles, from [`PredictionsFile::read_lines`]:
/// each article's line and where it starts in `buf`.
pub struct Lines {
    buf: Vec<u8>,
    ranges: Vec<Option<(LineRef, usize)>>,
}

/// An indexed JSON-lines predictions file.
pub struct PredictionsFile {
    path: PathBuf,
    file: std::fs::File,
    index: HashMap<String, LineRef>,
    on_bad: OnBadLine,
    pub info: PluginInfo,
}

#[derive(serde::Deserialize)]
struct IdOnly {
    id: String,
}

/// The id of a line that starts `{"id":"<id>"` (no escapes in the id, and
/// only ASCII-safe characters), else `None`.
fn quick_id(line: &[u8]) -> Option<String> {
    let rest = line.strip_prefix(b"{\"id\":\"".as_slice())?;
    let end = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
    (rest[end] == b'"' && rest[..end].iter().all(|b| b.is_ascii_graphic()))
        .then(|| String::from_utf8_lossy(&rest[..end]).into_owned())
}

impl PredictionsFile {
    /// Scans the file once: every line must be a JSON object with a string
    /// `id`, and no id may appear twice.
    pub fn open(path: &Path, on_bad: OnBadLine) -> Result<PredictionsFile, crate::Error> {
        use sha2::Digest;
        let file = std::fs::File::open(path).map_err(crate::Error::io(path))?;
        // Large reads: at the default 8 KiB, the kernel's per-read cost
        // was several times the copying (see gold::lines).
        let mut reader = std::io::BufReader::with_capacity(256 * 1024, &file);
        let mut index = HashMap::new();
        let mut hasher = sha2::Sha256::new();
        let (mut offset, mut line_no, mut buf) = (0u64, 0usize, Vec::new());
        loop {
            buf.clear();
            let n = reader.read_until(b'\n', &mut buf).map_err(crate::Error::io(path))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            hasher.update(&buf);
            let start = offset;
            offset += n as u64;
            let line = buf.trim_ascii();
            if line.is_empty() {
                continue;
            }
            if line.starts_with("\u{feff}".as_bytes()) {
                let d = Diagnostic {
                    file: path.to_path_buf(),
                    line: line_no,
                    col: 1,
                    message: "the line starts with a UTF-8 byte order mark (BOM); save the file without one".into(),
                };
                match on_bad {
                    OnBadLine::Stop => return Err(crate::Error::BadInput(d.to_string())),
                    OnBadLine::Skip => {
                        crate::out::eprintln(&format!("warning: {d}"));
                        continue;
                    }
                }
            }
            let at = |message: String| Diagnostic {
                file: path.to_path_buf(),
                line: line_no,
                col: 1,
                message,
            };
            // Lines written by tools (and by the harness) start with the id:
            // read it without parsing the line, which is parsed once, when
            // its article is scored. Anything else is parsed to find it.
            let id = match quick_id(line) {
                Some(id) => Ok(IdOnly { id }),
                None => serde_json::from_slice::<IdOnly>(line),
            };
            match id {
                Ok(IdOnly { id }) => {
                    let r = LineRef {
                        offset: start,
                        len: n,
                        line: line_no,
                    };
                    if let Some(first) = index.insert(id.clone(), r) {
                        let d = at(format!("article {id:?} appears twice (first on line {})", first.line));
                        return Err(crate::Error::BadInput(d.to_string()));
                    }
                }
                Err(e) => {
                    let d = at(format!("not a JSON object with a string \"id\": {e}"));
                    match on_bad {
                        OnBadLine::Stop => return Err(crate::Error::BadInput(d.to_string())),
                        OnBadLine::Skip => crate::out::eprintln(&format!("warning: {d} (skipped)")),
                    }
                }
            }
        }
        let sha = crate::digest::hex(&hasher.finalize());
        Ok(PredictionsFile {
            info: info(path, "predictions/1", sha),
            path: path.to_path_buf(),
            file,
            index,
            on_bad,
        })
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(String::as_str)
    }

    /// The predictions for one article, validated against its text. An
    /// article without a line predicts nothing. A bad line is an error for
    /// the article (`skip`) or for the whole run (`stop`, the outer error).
    pub fn get(&self, id: &str, text: &str) -> Result<Result<Vec<PredMention>, CallError>, crate::Error> {
        let lines = self.read_lines([id])?;
        self.parse(&lines, 0, id, text)
    }

    /// The lines of several articles, in as few reads as the file allows:
    /// lines that sit together in the file (as they do when it is written
    /// in gold order) come in one read rather than one per article.
    pub fn read_lines<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Result<Lines, crate::Error> {
        let refs: Vec<Option<LineRef>> = ids.into_iter().map(|id| self.index.get(id).copied()).collect();
        let present = || refs.iter().flatten();
        let total: usize = present().map(|r| r.len).sum();
        let first = present().map(|r| r.offset).min().unwrap_or(0);
        let end = present().map(|r| r.offset + r.len as u64).max().unwrap_or(0);
        // One read when the lines are close together; never one that would
        // read much more than the lines themselves.
        let span = (end - first) as usize;
        let mut buf = Vec::new();
        let ranges = if span <= 2 * total + (64 << 10) {
            buf.resize(span, 0);
            self.file
                .read_exact_at(&mut buf, first)
                .map_err(crate::Error::io(&self.path))?;
            refs.iter()
                .map(|r| r.map(|r| (r, (r.offset - first) as usize)))
                .collect()
        } else {
            buf.reserve_exact(total);
            let mut ranges = Vec::with_capacity(refs.len());
            for r in &refs {
                ranges.push(match r {
                    Some(r) => {
                        let at = buf.len();
                        buf.resize(at + r.len, 0);
                        self.file
                            .read_exact_at(&mut buf[at..], r.offset)
                            .map_err(crate::Error::io(&self.path))?;
                        Some((*r, at))
                    }
                    None => None,
                });
            }
            ranges
        };
        Ok(Lines { buf, ranges })
    }

    /// The predictions of the `k`-th article of `lines`, validated against
    /// its text; see [`PredictionsFile::get`].
    pub fn parse(
        &self,
        lines: &Lines,
        k: usize,
        id: &str,
        text: &str,
    ) -> Result<Result<Vec<PredMention>, CallError>, crate::Error> {
        let Some((r, at)) = lines.ranges[k] else {
            return Ok(Ok(Vec::new()));
        };
        match parse_response(lines.buf[at..at + r.len].trim_ascii(), text, true) {
            Ok(p) => Ok(Ok(p.mentions)),
            Err(e) => {
                let d = Diagnostic {
                    file: self.path.clone(),
                    line: r.line,
                    col: 1,
                    message: format!("article {id:?}: {e}"),
                };
                match self.on_bad {
                    OnBadLine::Stop => Err(crate::Error::BadInput(d.to_string())),
                    OnBadLine::Skip => Ok(Err(CallError::new(ErrorKind::BadLine, d.to_string()))),
                }
            }
        }
    }

    /// Refuses a file none of whose lines names an article of the gold
    /// set: it would score every article zero without a word.
    pub fn check_matches(&self, known: impl Fn(&str) -> bool) -> Result<(), crate::Error> {
        if self.index.keys().any(|id| known(id)) {
            return Ok(());
        }
        let example = self
            .index
            .keys()
            .min()
            .map_or(String::new(), |id| format!(" (first id: {id:?})"));
        Err(crate::Error::BadInput(format!(
            "{}: none of its {} line(s) names an article of the gold set{example}; wrong file or wrong gold?",
            self.path.display(),
            self.index.len()
        )))
    }

    /// Warns about lines whose article is not in the gold set.
    pub fn warn_unused(&self, known: impl Fn(&str) -> bool) {
        let mut unused: Vec<(usize, &str)> = self
            .index
            .iter()
            .filter(|(id, _)| !known(id))
            .map(|(id, r)| (r.line, id.as_str()))
            .collect();
        unused.sort();
        if let Some((line, id)) = unused.first() {
            crate::out::eprintln(&format!(
                "warning: {}:{line}: article {id:?} is not in the gold set; ignored ({} such line(s))",
                self.path.display(),
                unused.len()
            ));
        }
    }
}

/// Reads predictions and lines them up with the gold articles. Articles with
/// no predictions line are scored as predicting nothing.
pub fn read(path: &Path, gold: &GoldSet, on_bad: OnBadLine) -> Result<PluginRun, crate::Error> {
    if path.is_dir() {
        // Another gold-format directory: its problems are the predictions'
        // problems (exit 7), not the gold set's.
        let other = crate::gold::load_dir(path).map_err(|e| match e {
            crate::Error::BadGold(diags) => crate::Error::BadInput(format!(
                "{} problem(s) in the predictions directory {}:\n{}",
                diags.len(),
                path.display(),
                diags.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
            )),
            other => other,
        })?;
        let by_id: BTreeMap<&str, Vec<PredMention>> = other
            .articles
            .iter()
            .map(|a| {
                let preds = a.mentions.iter().map(PredMention::from).collect();
                (a.id.as_str(), preds)
            })
            .collect();
        let runs = gold
            .articles
            .iter()
            .map(|a| Ok(by_id.get(a.id.as_str()).cloned().unwrap_or_default()))
            .collect();
        return Ok(lined_up(info(path, "predictions/1", other.sha256.clone()), gold, runs));
    }
    let file = PredictionsFile::open(path, on_bad)?;
    let outcomes = gold
        .articles
        .iter()
        .map(|a| file.get(&a.id, &a.text))
        .collect::<Result<Vec<_>, _>>()?;
    let ids: std::collections::HashSet<&str> = gold.articles.iter().map(|a| a.id.as_str()).collect();
    file.check_matches(|id| ids.contains(id))?;
    file.warn_unused(|id| ids.contains(id));
    Ok(lined_up(file.info.clone(), gold, outcomes))
}

/// Outcomes by article id (from a converter, `interop`) in gold order;
/// an article without one predicts nothing.
pub fn lined_up_by_id(
    info: PluginInfo,
    gold: &GoldSet,
    mut by_id: BTreeMap<String, Result<Vec<PredMention>, CallError>>,
) -> PluginRun {
    let outcomes = gold
        .articles
        .iter()
        .map(|a| by_id.remove(&a.id).unwrap_or(Ok(Vec::new())))
        .collect();
    lined_up(info, gold, outcomes)
}

fn lined_up(info: PluginInfo, gold: &GoldSet, outcomes: Vec<Result<Vec<PredMention>, CallError>>) -> PluginRun {
    PluginRun {
        spec: info.target.clone(),
        info: Some(info),
        load_error: None,
        articles: gold
            .articles
            .iter()
            .zip(outcomes)
            .map(|(a, outcome)| ArticleRun {
                id: a.id.clone(),
                outcome,
                elapsed: Duration::ZERO,
                cached: false,
                unclaimed: 0,
                usage: None,
            })
            .collect(),
        repeats: Vec::new(),
        elapsed: Duration::ZERO,
        peak_rss_bytes: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line predicting the percentage `n%` at the start of `text(n)`.
    fn line(id: &str, n: u8) -> String {
        format!(
            r#"{{"id":"{id}","mentions":[{{"field":"percentage","start":0,"end":2,"text":"{n}%","value":{{"value":{n}}}}}]}}"#
        )
    }

    fn text(n: u8) -> String {
        format!("{n}% of the budget")
    }

    /// Lines read together, close by or far apart, are the lines read one
    /// by one; a missing line predicts nothing.
    #[test]
    fn lines_read_together_equal_lines_read_one_by_one() {
        let dir = crate::files::scratch_dir("predictions-lines");
        let path = dir.join("p.jsonl");
        // Out of gold order, one id missing, and one line far from the rest
        // (past blank lines), so that both ways of reading are taken.
        let far = "\n".repeat(200 << 10);
        let body = [line("a3", 3), line("a0", 0), line("a4", 4), far, line("a1", 1)].join("\n");
        std::fs::write(&path, body).unwrap();
        let file = PredictionsFile::open(&path, OnBadLine::Stop).unwrap();
        let ids = ["a0", "a1", "a2", "a3", "a4"];
        let one_by_one = |id: &str| file.get(id, &text(id[1..].parse().unwrap())).unwrap().unwrap();
        // Lines next to each other come in one read; with the far line, each
        // line is read alone and the gap is never read.
        for batch in [&["a0", "a2", "a3", "a4"][..], &ids[..]] {
            let lines = file.read_lines(batch.iter().copied()).unwrap();
            assert!(lines.buf.len() < 4096, "batch {batch:?} read {} bytes", lines.buf.len());
            for (k, id) in batch.iter().enumerate() {
                let n: u8 = id[1..].parse().unwrap();
                let got = file.parse(&lines, k, id, &text(n)).unwrap().unwrap();
                assert_eq!(got, one_by_one(id), "{id}");
                assert_eq!(got.len(), usize::from(*id != "a2"), "{id}");
            }
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
