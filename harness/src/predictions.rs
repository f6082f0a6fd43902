//! Predictions produced elsewhere, for `harness score`: a JSON-lines file
//! (`{"id", "mentions": [...]}` per line; mentions may omit offsets, and are
//! then scored span-free only) or a directory of gold-format files (to score
//! one annotator's pass against another).

use crate::gold::{Diagnostic, GoldSet};
use crate::plugin::{parse_response, CallError, PluginInfo};
use crate::run::{ArticleRun, PluginRun};
use crate::score::PredMention;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::time::Duration;

/// What to do with a bad line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OnBadLine {
    /// Report it and stop with exit code 7.
    Stop,
    /// Report it on stderr, record the article as failed, and go on.
    Skip,
}

fn info(name: &str, path: &Path, sha: String) -> PluginInfo {
    PluginInfo {
        name: name.to_string(),
        version: String::new(),
        kind: "predictions".into(),
        target: path.display().to_string(),
        sha256: sha,
        abi: "predictions/1".into(),
        fields: extractor_api::Field::ALL.to_vec(),
        thread_safe: false,
    }
}

/// Reads predictions and lines them up with the gold articles. Articles with
/// no predictions line are scored as predicting nothing.
pub fn read(path: &Path, gold: &GoldSet, on_bad: OnBadLine) -> Result<PluginRun, crate::Error> {
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("predictions")
        .to_string();
    if path.is_dir() {
        let other = crate::gold::load_dir(path)?;
        let by_id: BTreeMap<&str, Vec<PredMention>> = other
            .articles
            .iter()
            .map(|a| {
                let preds = a
                    .mentions
                    .iter()
                    .map(|m| PredMention {
                        span: Some(m.span),
                        text: Some(m.text.clone()),
                        value: m.value.clone(),
                    })
                    .collect();
                (a.id.as_str(), preds)
            })
            .collect();
        return Ok(lined_up(&name, path, other.sha256.clone(), gold, |id| {
            Ok(by_id.get(id).cloned().unwrap_or_default())
        }));
    }
    let file = std::fs::File::open(path).map_err(crate::Error::io(path))?;
    let texts: BTreeMap<&str, &str> = gold.articles.iter().map(|a| (a.id.as_str(), a.text.as_str())).collect();
    let mut found: BTreeMap<String, Result<Vec<PredMention>, CallError>> = BTreeMap::new();
    let mut hash_input = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(crate::Error::io(path))?;
        hash_input.extend_from_slice(line.as_bytes());
        if line.trim().is_empty() {
            continue;
        }
        let diag = |msg: String| Diagnostic {
            file: path.to_path_buf(),
            line: i + 1,
            col: 1,
            message: msg,
        };
        let id = serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .and_then(|v| v.get("id").and_then(|x| x.as_str()).map(str::to_string));
        let Some(id) = id else {
            let d = diag("not a JSON object with a string \"id\"".into());
            match on_bad {
                OnBadLine::Stop => return Err(crate::Error::BadInput(d.to_string())),
                OnBadLine::Skip => {
                    eprintln!("warning: {d}");
                    continue;
                }
            }
        };
        let Some(text) = texts.get(id.as_str()) else {
            eprintln!(
                "warning: {}",
                diag(format!("article {id:?} is not in the gold set; ignored"))
            );
            continue;
        };
        let parsed = parse_response(line.as_bytes(), text, true).map(|p| p.mentions);
        if let Err(e) = &parsed {
            let d = diag(format!("article {id:?}: {e}"));
            match on_bad {
                OnBadLine::Stop => return Err(crate::Error::BadInput(d.to_string())),
                OnBadLine::Skip => eprintln!("warning: {d}"),
            }
        }
        if found.insert(id.clone(), parsed).is_some() {
            let d = diag(format!("article {id:?} appears twice"));
            return Err(crate::Error::BadInput(d.to_string()));
        }
    }
    let sha = crate::gold::sha256_hex(&hash_input);
    Ok(lined_up(&name, path, sha, gold, |id| {
        found.remove(id).unwrap_or_else(|| Ok(Vec::new()))
    }))
}

fn lined_up(
    name: &str,
    path: &Path,
    sha: String,
    gold: &GoldSet,
    mut get: impl FnMut(&str) -> Result<Vec<PredMention>, CallError>,
) -> PluginRun {
    PluginRun {
        spec: path.display().to_string(),
        info: Some(info(name, path, sha)),
        load_error: None,
        articles: gold
            .articles
            .iter()
            .map(|a| ArticleRun {
                id: a.id.clone(),
                outcome: get(&a.id),
                elapsed: Duration::ZERO,
                cached: false,
            })
            .collect(),
        elapsed: Duration::ZERO,
        peak_rss_bytes: None,
    }
}
