//! JSON-lines gold: one gold object per line with the article text inline.
//! Read one line at a time, so a large corpus is never held in memory.

use super::load::parse_gold_line;
use super::{Diagnostic, GoldArticle, GoldSet};
use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

/// Whether a gold path names a JSON-lines stream rather than a directory.
pub fn is_jsonl(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|x| x == "jsonl" || x == "ndjson")
}

/// An iterator over the articles of a JSON-lines gold file. Problems are
/// collected, not returned, so that every one can be reported at the end.
pub struct GoldLines {
    path: PathBuf,
    src: Source,
    /// The next batch's lines, read while the current batch was parsed.
    ahead: Option<Chunk>,
    /// A chunk buffer to reuse: two buffers take turns instead of a growing
    /// allocation per line.
    spare: Vec<u8>,
    seen: HashSet<String>,
    /// Parsed articles not yet taken by the iterator.
    queue: VecDeque<GoldArticle>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reading and hashing the file, in order, in large blocks read straight
/// into the chunk buffer (no second buffer to copy every line through).
struct Source {
    path: PathBuf,
    /// The file (any reader in tests).
    file: Box<dyn std::io::Read + Send>,
    /// Bytes read past the last line handed out: the start of the next chunk.
    carry: Vec<u8>,
    line_no: usize,
    /// Non-blank lines read so far (a shard counts articles by this).
    position: usize,
    /// Bytes of the file handed out in lines so far, and the file's size.
    read: u64,
    size: u64,
    done: bool,
    /// The last read failed: what it left unfinished is not a line.
    failed: bool,
    /// Bytes asked of the file per read ([`BLOCK`]; tests make it tiny).
    block: u64,
    hasher: sha2::Sha256,
    problems: Vec<Diagnostic>,
}

/// Articles the iterator reads and parses at a time.
const ITER_BATCH: usize = 64;

/// Bytes asked of the file per read.
const BLOCK: u64 = 256 * 1024;

/// The kept lines of one batch, back to back in one buffer: (line number,
/// byte range) of each.
struct Chunk {
    buf: Vec<u8>,
    lines: Vec<(usize, std::ops::Range<usize>)>,
    /// Bytes of the file read for it, skipped lines included.
    bytes: u64,
}

impl Source {
    /// Every line has been handed out.
    fn finished(&self) -> bool {
        self.done && self.carry.is_empty()
    }

    /// Appends up to one block of the file to `buf` and hashes it; false
    /// at the end of the file (or when it cannot be read).
    fn fill(&mut self, buf: &mut Vec<u8>) -> bool {
        use sha2::Digest;
        use std::io::Read;
        let start = buf.len();
        buf.reserve(self.block as usize);
        match (&mut self.file).take(self.block).read_to_end(buf) {
            Ok(0) => false,
            Ok(_) => {
                self.hasher.update(&buf[start..]);
                true
            }
            Err(e) => {
                buf.truncate(start);
                self.failed = true;
                self.problems.push(Diagnostic {
                    file: self.path.clone(),
                    line: self.line_no + 1,
                    col: 1,
                    message: format!("cannot read: {e}"),
                });
                false
            }
        }
    }

    /// Reads until `n` non-blank lines whose position `keep` accepts, or
    /// the end of the file. Kept lines stay where they were read unless a
    /// skipped line before them is closed up (blank lines, other shards).
    fn read_chunk(&mut self, n: usize, keep: &mut dyn FnMut(usize) -> bool, mut buf: Vec<u8>) -> Chunk {
        buf.clear();
        buf.append(&mut self.carry);
        let mut lines = Vec::with_capacity(n);
        // Kept bytes end at `kept`; unread lines start at `scan`.
        let (mut kept, mut scan) = (0, 0);
        let mut bytes = 0u64;
        while lines.len() < n {
            let end = match memchr::memchr(b'\n', &buf[scan..]) {
                Some(i) => scan + i + 1,
                None if self.done => {
                    if self.failed {
                        buf.truncate(scan);
                    }
                    buf.len()
                }
                None => {
                    // Close up skipped lines before reading more, so that a
                    // shard's buffer holds its own lines, not every line read.
                    buf.drain(kept..scan);
                    scan = kept;
                    if !self.fill(&mut buf) {
                        self.done = true;
                    }
                    continue;
                }
            };
            if scan == end {
                break;
            }
            self.line_no += 1;
            bytes += (end - scan) as u64;
            let line = scan..end;
            scan = end;
            if buf[line.clone()].trim_ascii().is_empty() {
                continue;
            }
            self.position += 1;
            if keep(self.position - 1) {
                if line.start != kept {
                    buf.copy_within(line.clone(), kept);
                }
                let len = line.len();
                lines.push((self.line_no, kept..kept + len));
                kept += len;
            }
        }
        self.carry.extend_from_slice(&buf[scan..]);
        buf.truncate(kept);
        self.read += bytes;
        Chunk { buf, lines, bytes }
    }
}

impl GoldLines {
    pub fn open(path: &Path) -> Result<GoldLines, crate::Error> {
        let file = std::fs::File::open(path).map_err(crate::Error::io(path))?;
        let size = file.metadata().map_or(0, |m| m.len());
        Ok(GoldLines::from_reader(path, Box::new(file), size))
    }

    /// Lines read from `file`, named `path` in diagnostics.
    fn from_reader(path: &Path, file: Box<dyn std::io::Read + Send>, size: u64) -> GoldLines {
        use sha2::Digest;
        GoldLines {
            path: path.to_path_buf(),
            src: Source {
                path: path.to_path_buf(),
                file,
                carry: Vec::new(),
                line_no: 0,
                position: 0,
                read: 0,
                size,
                done: false,
                failed: false,
                block: BLOCK,
                hasher: sha2::Sha256::new(),
                problems: Vec::new(),
            },
            ahead: None,
            spare: Vec::new(),
            seen: HashSet::new(),
            queue: VecDeque::new(),
            diagnostics: Vec::new(),
        }
    }

    /// SHA-256 of every byte read so far (all of them once exhausted).
    pub fn sha256(&self) -> String {
        use sha2::Digest;
        crate::digest::hex(&self.src.hasher.clone().finalize())
    }

    fn problem(&mut self, message: String) {
        let line = self.src.line_no;
        self.problem_at(line, message);
    }
}

impl GoldLines {
    /// The next `n` articles whose position (counting non-blank lines from
    /// 0) `keep` accepts. Lines are read and hashed in order and parsed in
    /// parallel, in order: parsing is most of the cost of a large corpus.
    /// The next batch is read while this one is parsed.
    pub fn batch(&mut self, n: usize, mut keep: impl FnMut(usize) -> bool + Send) -> Vec<GoldArticle> {
        use rayon::prelude::*;
        let current = match self.ahead.take() {
            Some(chunk) => chunk,
            None => self.src.read_chunk(n, &mut keep, std::mem::take(&mut self.spare)),
        };
        let (path, src, spare) = (&self.path, &mut self.src, std::mem::take(&mut self.spare));
        // `None`: the line is not UTF-8.
        type Parsed = Option<(Option<GoldArticle>, Vec<Diagnostic>)>;
        let (parsed, ahead) = rayon::join(
            || -> Vec<(usize, Parsed)> {
                current
                    .lines
                    .par_iter()
                    .map(|(line_no, range)| {
                        let p = simdutf8::basic::from_utf8(&current.buf[range.clone()])
                            .ok()
                            .map(|line| parse_gold_line(path, *line_no, line.trim_end()));
                        (*line_no, p)
                    })
                    .collect()
            },
            || match src.finished() {
                true => Err(spare),
                false => Ok(src.read_chunk(n, &mut keep, spare)),
            },
        );
        match ahead {
            Ok(chunk) => self.ahead = Some(chunk),
            Err(spare) => self.spare = spare,
        }
        if self.spare.capacity() < current.buf.capacity() {
            self.spare = current.buf;
        }
        self.diagnostics.append(&mut self.src.problems);
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
        let handed_out = self.src.read - self.ahead.as_ref().map_or(0, |c| c.bytes);
        if handed_out == 0 {
            return so_far;
        }
        (so_far as f64 * self.src.size as f64 / handed_out as f64 * 1.25) as usize
    }

    /// Whether an article of this id has been handed out.
    pub fn has_article(&self, id: &str) -> bool {
        self.seen.contains(id)
    }

    /// Every line has been read and handed out.
    pub fn exhausted(&self) -> bool {
        self.src.finished() && self.ahead.is_none()
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

/// Articles one at a time, read and parsed a batch at a time.
impl Iterator for GoldLines {
    type Item = GoldArticle;

    fn next(&mut self) -> Option<GoldArticle> {
        while self.queue.is_empty() && !self.exhausted() {
            self.queue = self.batch(ITER_BATCH, |_| true).into();
        }
        self.queue.pop_front()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Batches read one ahead of the one being parsed: every article comes
    /// out once, in order, across batch boundaries, blank lines and a shard,
    /// and the hash is the whole file's.
    #[test]
    fn batches_read_ahead_yet_give_every_article_once_in_order() {
        let dir = crate::files::scratch_dir("lines");
        let path = dir.join("gold.jsonl");
        let mut src = String::new();
        for k in 0..11 {
            src.push_str(&format!(
                "{{\"schema_version\":1,\"id\":\"a{k}\",\"text\":\"Ngày {k}\",\"mentions\":[]}}\n"
            ));
            if k % 4 == 0 {
                src.push('\n');
            }
        }
        std::fs::write(&path, &src).unwrap();
        for (shard, want) in [
            (None, (0..11).collect::<Vec<_>>()),
            (Some(3), (0..11).filter(|k| k % 3 == 1).collect()),
        ] {
            let mut lines = GoldLines::open(&path).unwrap();
            let mut ids = Vec::new();
            let mut batches = 0;
            while !lines.exhausted() {
                let batch = lines.batch(2, |position| shard.is_none_or(|n| position % n == 1));
                assert!(batch.len() <= 2);
                ids.extend(batch.into_iter().map(|a| a.id));
                batches += 1;
                assert!(batches < 20, "the stream ends");
            }
            let want: Vec<String> = want.iter().map(|k| format!("a{k}")).collect();
            assert_eq!(ids, want, "shard {shard:?}");
            assert!(lines.diagnostics.is_empty(), "{:?}", lines.diagnostics);
            assert_eq!(lines.sha256(), crate::digest::sha256_hex(src.as_bytes()));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A read that fails mid-file is reported on the line it was reading;
    /// the articles before it come out, and the part-read line is not
    /// parsed as if it had ended there.
    #[test]
    fn a_failed_read_names_its_line_and_parses_no_part_line() {
        struct FailsAfter(std::io::Cursor<Vec<u8>>);
        impl std::io::Read for FailsAfter {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match self.0.read(buf)? {
                    0 => Err(std::io::Error::other("the disk is gone")),
                    n => Ok(n),
                }
            }
        }
        let src = "{\"schema_version\":1,\"id\":\"a0\",\"text\":\"x\",\"mentions\":[]}\n{\"schema_version\":1,\"id\":\"a1\",\"te";
        let reader = FailsAfter(std::io::Cursor::new(src.as_bytes().to_vec()));
        let mut gold = GoldLines::from_reader(Path::new("gold.jsonl"), Box::new(reader), src.len() as u64);
        gold.src.block = 16;
        let ids: Vec<String> = gold.by_ref().map(|a| a.id).collect();
        assert_eq!(ids, ["a0"]);
        let problems: Vec<(usize, &str)> = gold.diagnostics.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(problems, [(2, "cannot read: the disk is gone")]);
    }

    /// A shard's batch holds the shard's lines (and at most a block and a
    /// line more), not every line read to find them.
    #[test]
    fn a_shards_buffer_holds_only_its_own_lines() {
        let dir = crate::files::scratch_dir("lines-shard");
        let path = dir.join("gold.jsonl");
        let line = format!(
            "{{\"schema_version\":1,\"id\":\"a\",\"text\":\"{}\",\"mentions\":[]}}\n",
            "x".repeat(60)
        );
        std::fs::write(&path, line.repeat(500)).unwrap();
        let mut gold = GoldLines::open(&path).unwrap();
        gold.src.block = 64;
        let chunk = gold.src.read_chunk(10, &mut |p| p % 50 == 0, Vec::new());
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(chunk.lines.len(), 10);
        assert_eq!(chunk.buf.len(), 10 * line.len());
        assert_eq!(chunk.bytes, 451 * line.len() as u64, "lines 1..=451 were read");
        assert!(
            chunk.buf.capacity() < 4 * (10 * line.len() + 64),
            "{}",
            chunk.buf.capacity()
        );
    }

    /// A line as the proptest writes it: an article, a blank or
    /// whitespace-only line, or a line that is not JSON.
    fn line_strategy() -> impl proptest::strategy::Strategy<Value = (u8, String)> {
        use proptest::prelude::*;
        (0u8..6, "[a-zđ ]{0,12}", prop::bool::ANY).prop_map(|(kind, words, crlf)| {
            let end = if crlf { "\r\n" } else { "\n" };
            let line = match kind {
                0 => String::new(),
                1 => " \t ".into(),
                2 => format!("{{not json {words}"),
                _ => format!("{{\"schema_version\":1,\"id\":\"ID\",\"text\":\"{words}\",\"mentions\":[]}}"),
            };
            (kind, line + end)
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        /// However the file falls into reads (down to one byte at a time)
        /// and batches, with or without a last newline, a shard or blank
        /// lines: the articles, their order, the line each problem names
        /// and the hash are those of reading the file line by line.
        #[test]
        fn reads_of_any_size_give_the_lines_of_the_file(
            lines in proptest::collection::vec(line_strategy(), 0..24),
            block in 1u64..48,
            n in 1usize..5,
            shard in proptest::option::of(2usize..4),
            last_newline in proptest::prelude::any::<bool>(),
        ) {
            let mut src = String::new();
            for (k, (_, line)) in lines.iter().enumerate() {
                src.push_str(&line.replace("\"ID\"", &format!("\"a{k}\"")));
            }
            if !last_newline && src.ends_with('\n') {
                src.pop();
                if src.ends_with('\r') {
                    src.pop();
                }
            }
            // The same file, line by line.
            let (mut want_ids, mut want_bad) = (Vec::new(), Vec::new());
            let mut position = 0;
            for (k, line) in src.split_inclusive('\n').enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                position += 1;
                if shard.is_some_and(|s| (position - 1) % s != 0) {
                    continue;
                }
                match line.starts_with("{not") {
                    true => want_bad.push(k + 1),
                    false => want_ids.push(format!("a{k}")),
                }
            }
            let dir = crate::files::scratch_dir("lines-prop");
            let path = dir.join("gold.jsonl");
            std::fs::write(&path, &src).unwrap();
            let mut gold = GoldLines::open(&path).unwrap();
            gold.src.block = block;
            let mut ids = Vec::new();
            while !gold.exhausted() {
                let batch = gold.batch(n, |p| shard.is_none_or(|s| p % s == 0));
                proptest::prop_assert!(batch.len() <= n);
                ids.extend(batch.into_iter().map(|a| a.id));
            }
            std::fs::remove_dir_all(&dir).unwrap();
            let bad: Vec<usize> = gold.diagnostics.iter().map(|d| d.line).collect();
            proptest::prop_assert_eq!(ids, want_ids);
            proptest::prop_assert_eq!(bad, want_bad);
            proptest::prop_assert_eq!(gold.sha256(), crate::digest::sha256_hex(src.as_bytes()));
        }
    }
}
