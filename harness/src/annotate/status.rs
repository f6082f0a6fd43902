//! Where an article stands: new, in progress or done. A person marks an
//! article done (or not) when saving it; the marks live in
//! `annotate-status.toml` in the gold directory (the scorer never reads
//! it). An article without a mark is judged from its gold file alone:
//! new when it has no labels, otherwise done unless a pre-annotation is
//! unreviewed. A gold file with problems, or with unreviewed
//! pre-annotations, is never done, whatever its mark says.

use crate::Error;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

pub const FILE: &str = "annotate-status.toml";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mark {
    #[serde(rename = "done")]
    Done,
    #[serde(rename = "in progress")]
    InProgress,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Status {
    #[serde(rename = "new")]
    New,
    #[serde(rename = "in progress")]
    InProgress,
    #[serde(rename = "done")]
    Done,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusFile {
    #[serde(default)]
    articles: BTreeMap<String, Mark>,
}

/// The marks in `dir` (none when the file does not exist).
pub fn read(dir: &Path) -> Result<BTreeMap<String, Mark>, Error> {
    let path = dir.join(FILE);
    match std::fs::read_to_string(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(Error::io(&path)(e)),
        Ok(src) => toml::from_str::<StatusFile>(&src)
            .map(|f| f.articles)
            .map_err(|e| Error::BadInput(format!("{}: {e}", path.display()))),
    }
}

/// Writes the marks (atomically; ids are `gold::check_id`-safe).
pub fn write(dir: &Path, marks: &BTreeMap<String, Mark>) -> Result<(), Error> {
    let mut s = String::from(
        "# Written by `harness annotate`: each article's review state, \"done\" or\n# \"in progress\". The scorer does not read this file.\n[articles]\n",
    );
    for (id, m) in marks {
        let m = match m {
            Mark::Done => "done",
            Mark::InProgress => "in progress",
        };
        let _ = writeln!(s, "{id:?} = {m:?}");
    }
    crate::files::atomic_write(&dir.join(FILE), s.as_bytes())
}

/// What the list shows for an article.
pub fn status(mark: Option<Mark>, labels: usize, unreviewed: usize, errors: usize) -> Status {
    match mark {
        _ if errors > 0 || unreviewed > 0 => Status::InProgress,
        Some(Mark::Done) => Status::Done,
        Some(Mark::InProgress) => Status::InProgress,
        None if labels == 0 => Status::New,
        None => Status::Done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_round_trip_and_decide_the_status() {
        let dir = crate::files::scratch_dir("status");
        assert!(read(&dir).unwrap().is_empty());
        let marks = BTreeMap::from([("a.1".to_string(), Mark::Done), ("b".to_string(), Mark::InProgress)]);
        write(&dir, &marks).unwrap();
        assert_eq!(read(&dir).unwrap(), marks);
        assert_eq!(status(None, 0, 0, 0), Status::New);
        assert_eq!(status(None, 3, 0, 0), Status::Done);
        assert_eq!(status(Some(Mark::InProgress), 3, 0, 0), Status::InProgress);
        assert_eq!(status(Some(Mark::Done), 3, 1, 0), Status::InProgress);
        assert_eq!(status(Some(Mark::Done), 3, 0, 2), Status::InProgress);
        assert_eq!(status(Some(Mark::Done), 0, 0, 0), Status::Done);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
