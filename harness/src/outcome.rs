//! What running a plugin produces, and what scoring consumes: the plugin's
//! identity, and for every article its validated mentions or a classified
//! error. Both the runner (`run`) and predictions made elsewhere
//! (`predictions`, `stream`) produce these; `report::build` reads them.

use crate::mention::PredMention;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What a loaded plugin says about itself, plus what we measured of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PluginInfo {
    pub name: String,
    pub version: String,
    /// "dylib", "command" or "predictions".
    pub kind: String,
    /// Library path or command line.
    pub target: String,
    /// SHA-256 of the library file (dylibs) or of the command line.
    pub sha256: String,
    /// "1.0" for dylibs; "jsonl/1" for commands.
    pub abi: String,
    pub fields: Vec<extractor_api::Field>,
    #[serde(default)]
    pub thread_safe: bool,
}

/// The kind of a failed (plugin, article) call. Each is a report row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The plugin panicked (caught at the ABI boundary).
    Panic,
    /// The plugin returned an error for this article.
    PluginError,
    /// The response was not valid JSON or had the wrong shape or unknown keys.
    BadOutput,
    /// The response was not UTF-8.
    InvalidUtf8,
    /// Offsets past the end of the text or with start >= end.
    OffsetOutOfRange,
    /// `text` does not equal `text[start..end]`.
    OffsetMismatch,
    /// The response exceeded the size cap.
    OutputTooLarge,
    /// The worker or command died (signal, abort, segfault, exit).
    Crash,
    /// No answer (or the request could not be written) within the
    /// per-article timeout.
    Timeout,
    /// Broke the process protocol (missing or wrong id, garbage line).
    Protocol,
    /// A predictions line that could not be read (`score --on-bad-line skip`).
    BadLine,
    /// Not run: the plugin had failed too many articles in a row, or the
    /// run budget was spent.
    Skipped,
}

crate::naming::display_as_serde!(ErrorKind);

/// A failed call on one article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct CallError {
    pub kind: ErrorKind,
    pub message: String,
    /// The plugin asked to be retried after this many seconds (rate limits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<f64>,
}

impl CallError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        CallError {
            kind,
            message: message.into(),
            retry_after_s: None,
        }
    }
}

/// One article's outcome.
#[derive(Debug)]
pub struct ArticleRun {
    pub id: String,
    pub outcome: Result<Vec<PredMention>, CallError>,
    pub elapsed: Duration,
    /// The outcome came from the output cache (`elapsed` is the original call's).
    pub cached: bool,
    /// Mentions of fields the plugin does not claim, dropped before scoring.
    pub unclaimed: usize,
    /// What the call cost, as the plugin reported it.
    pub usage: Option<extractor_api::protocol::Usage>,
}

impl ArticleRun {
    /// An article that was not called, or whose call failed.
    pub fn failed(id: &str, error: CallError, elapsed: Duration) -> ArticleRun {
        ArticleRun {
            id: id.to_string(),
            outcome: Err(error),
            elapsed,
            cached: false,
            unclaimed: 0,
            usage: None,
        }
    }
}

/// One plugin's outcomes, one per gold article in gold order.
#[derive(Debug)]
pub struct PluginRun {
    /// The label the user gave (path or command).
    pub spec: String,
    /// `None` when the plugin could not be loaded.
    pub info: Option<PluginInfo>,
    pub load_error: Option<String>,
    pub articles: Vec<ArticleRun>,
    /// With `--repeat N`: the outcomes of repeats 2..=N, each in gold order
    /// (`articles` is the first repeat).
    pub repeats: Vec<Vec<ArticleRun>>,
    pub elapsed: Duration,
    /// Peak resident memory of the plugin's largest process, when measurable.
    pub peak_rss_bytes: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_kinds_print_their_serde_names() {
        assert_eq!(ErrorKind::OffsetOutOfRange.to_string(), "offset_out_of_range");
        assert_eq!(CallError::new(ErrorKind::BadLine, "x").to_string(), "bad_line: x");
    }
}
