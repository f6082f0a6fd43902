//! Validating a plugin's (or a predictions file's) mention payload against
//! the article text. Every defect is a `CallError` of its own kind; nothing is
//! silently dropped.

use super::{CallError, ErrorKind};
use crate::score::{value, PredMention, Span};
use extractor_api::{Field, Value};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResponse {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    mentions: Option<Vec<RawMention>>,
    #[serde(default)]
    error: Option<String>,
    /// Set by `harness worker` to carry the kind of a dylib failure.
    #[serde(default)]
    error_kind: Option<ErrorKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMention {
    field: String,
    #[serde(default)]
    start: Option<usize>,
    #[serde(default)]
    end: Option<usize>,
    #[serde(default)]
    text: Option<String>,
    value: serde_json::Value,
}

/// A validated response.
#[derive(Debug)]
pub struct Parsed {
    /// The `id` the response carried, if any (process protocol, predictions).
    pub id: Option<String>,
    pub mentions: Vec<PredMention>,
}

/// Parses `{"id"?, "mentions": [...]}` (or `{"id"?, "error": ...}`) and
/// checks every mention against `text`. With `allow_spanless`, mentions
/// without offsets are accepted (for span-free scoring of predictions files).
pub fn parse_response(bytes: &[u8], text: &str, allow_spanless: bool) -> Result<Parsed, CallError> {
    let s = std::str::from_utf8(bytes)
        .map_err(|e| CallError::new(ErrorKind::InvalidUtf8, format!("response is not UTF-8: {e}")))?;
    let raw: RawResponse = serde_json::from_str(s).map_err(|e| {
        CallError::new(
            ErrorKind::BadOutput,
            format!(
                "response is not a valid payload: {e} (response starts {:?})",
                s.chars().take(80).collect::<String>()
            ),
        )
    })?;
    if let Some(error) = raw.error {
        let message = if error.trim().is_empty() {
            "the plugin reported an error without a message".to_string()
        } else {
            error
        };
        return Err(CallError::new(
            raw.error_kind.unwrap_or(ErrorKind::PluginError),
            message,
        ));
    }
    let raw_mentions = raw
        .mentions
        .ok_or_else(|| CallError::new(ErrorKind::BadOutput, "response has neither \"mentions\" nor \"error\""))?;
    let starts: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    let n_chars = starts.len() - 1;
    let mut mentions = Vec::with_capacity(raw_mentions.len());
    for (i, m) in raw_mentions.into_iter().enumerate() {
        let bad = |kind, msg: String| CallError::new(kind, format!("mention {i}: {msg}"));
        let field: Field = m
            .field
            .parse()
            .map_err(|e: extractor_api::UnknownField| bad(ErrorKind::BadOutput, e.to_string()))?;
        let value = Value::from_json(field, m.value).map_err(|e| {
            bad(
                ErrorKind::BadOutput,
                format!("value has the wrong shape for a {field}: {e}"),
            )
        })?;
        value::check(&value).map_err(|e| bad(ErrorKind::BadOutput, e))?;
        let span = match (m.start, m.end) {
            (Some(start), Some(end)) => {
                if start >= end || end > n_chars {
                    return Err(bad(
                        ErrorKind::OffsetOutOfRange,
                        format!("offsets {start}..{end} are empty or past the end (text has {n_chars} code points)"),
                    ));
                }
                let actual = &text[starts[start]..starts[end]];
                match &m.text {
                    Some(t) if t == actual => {}
                    Some(t) => {
                        return Err(bad(
                            ErrorKind::OffsetMismatch,
                            format!("text {t:?} does not match text[{start}..{end}] = {actual:?}"),
                        ))
                    }
                    None => {
                        return Err(bad(
                            ErrorKind::BadOutput,
                            "a mention with offsets must carry its text".into(),
                        ))
                    }
                }
                Some(Span { start, end })
            }
            (None, None) if allow_spanless => None,
            (None, None) => return Err(bad(ErrorKind::BadOutput, "missing \"start\" and \"end\"".into())),
            _ => return Err(bad(ErrorKind::BadOutput, "\"start\" and \"end\" come together".into())),
        };
        mentions.push(PredMention {
            span,
            text: m.text,
            value,
        });
    }
    Ok(Parsed { id: raw.id, mentions })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(bytes: &[u8], text: &str) -> ErrorKind {
        parse_response(bytes, text, false).unwrap_err().kind
    }

    #[test]
    fn each_defect_has_its_own_kind() {
        let t = "quý I/2024 đạt 7,1%";
        assert_eq!(kind(b"\xff\xfe", t), ErrorKind::InvalidUtf8);
        assert_eq!(kind(b"{\"mentions\": [", t), ErrorKind::BadOutput);
        assert_eq!(kind(br#"{"mentions": [], "extra": 1}"#, t), ErrorKind::BadOutput);
        assert_eq!(
            kind(
                r#"{"mentions": [{"field": "salary", "start": 0, "end": 3, "text": "quý", "value": 1}]}"#.as_bytes(),
                t
            ),
            ErrorKind::BadOutput
        );
        assert_eq!(
            kind(
                br#"{"mentions": [{"field": "date", "start": 0, "end": 99, "text": "x", "value": "2024"}]}"#,
                t
            ),
            ErrorKind::OffsetOutOfRange
        );
        assert_eq!(
            kind(
                br#"{"mentions": [{"field": "date", "start": 0, "end": 3, "text": "quy", "value": "2024"}]}"#,
                t
            ),
            ErrorKind::OffsetMismatch
        );
        assert_eq!(
            kind(
                r#"{"mentions": [{"field": "date", "start": 0, "end": 3, "text": "quý", "value": "2024-13"}]}"#
                    .as_bytes(),
                t
            ),
            ErrorKind::BadOutput
        );
        assert_eq!(kind(br#"{"error": "model not loaded"}"#, t), ErrorKind::PluginError);
    }

    #[test]
    fn valid_payload_with_code_point_offsets() {
        let t = "quý I/2024 đạt 7,1%";
        let ok = br#"{"mentions": [{"field": "percentage", "start": 15, "end": 19, "text": "7,1%", "value": {"value": 7.1}}]}"#;
        let parsed = parse_response(ok, t, false).unwrap();
        assert_eq!(parsed.mentions[0].span, Some(Span { start: 15, end: 19 }));
        let spanless = br#"{"id": "a", "mentions": [{"field": "date", "value": "2024-Q1"}]}"#;
        assert!(parse_response(spanless, t, false).is_err());
        assert_eq!(parse_response(spanless, t, true).unwrap().mentions[0].span, None);
    }
}
