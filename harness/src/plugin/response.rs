//! Validating a reply (a plugin's, or a predictions line) against the article
//! text. Every defect is a `CallError` of its own kind; nothing is silently
//! dropped.

use super::{CallError, ErrorKind};
use crate::mention::{check_span, PredMention, SpanError, TextIndex};
use extractor_api::protocol::{Reply, Usage};
use extractor_api::{Field, Value};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// `extractor_api::protocol::WireMention`, borrowing from the reply: a reply
/// (or predictions line) is parsed once, and each value straight into its
/// typed shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMention<'a> {
    #[serde(borrow)]
    field: Cow<'a, str>,
    #[serde(default)]
    start: Option<usize>,
    #[serde(default)]
    end: Option<usize>,
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    value: &'a RawValue,
}

/// A validated reply.
#[derive(Debug)]
pub struct Parsed {
    /// The `id` the reply carried, if any (process protocol, predictions).
    pub id: Option<String>,
    pub mentions: Vec<PredMention>,
    pub usage: Option<Usage>,
}

/// Parses a [`Reply`] and checks every mention against `text`. With
/// `allow_spanless`, mentions without offsets are accepted (for span-free
/// scoring of predictions files).
pub fn parse_response(bytes: &[u8], text: &str, allow_spanless: bool) -> Result<Parsed, CallError> {
    // SIMD validation first; std's only to name the offending byte.
    let s = simdutf8::basic::from_utf8(bytes).or_else(|_| {
        std::str::from_utf8(bytes)
            .map_err(|e| CallError::new(ErrorKind::InvalidUtf8, format!("response is not UTF-8: {e}")))
    })?;
    if s.starts_with('\u{feff}') {
        return Err(CallError::new(
            ErrorKind::BadOutput,
            "response starts with a UTF-8 byte order mark (BOM); write JSON without one",
        ));
    }
    let raw: Reply<RawMention> = serde_json::from_str(s).map_err(|e| {
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
        let kind = raw
            .error_kind
            .and_then(|k| serde_json::from_value(serde_json::Value::String(k)).ok())
            .unwrap_or(ErrorKind::PluginError);
        return Err(CallError {
            retry_after_s: raw.retry_after_s.filter(|s| s.is_finite() && *s >= 0.0),
            ..CallError::new(kind, message)
        });
    }
    let raw_mentions = raw
        .mentions
        .ok_or_else(|| CallError::new(ErrorKind::BadOutput, "response has neither \"mentions\" nor \"error\""))?;
    let index = TextIndex::new(text);
    let mut mentions = Vec::with_capacity(raw_mentions.len());
    for (i, m) in raw_mentions.into_iter().enumerate() {
        let bad = |kind, msg: String| CallError::new(kind, format!("mention {i}: {msg}"));
        let field: Field = m
            .field
            .parse()
            .map_err(|e: extractor_api::UnknownField| bad(ErrorKind::BadOutput, e.to_string()))?;
        let value = Value::from_json_str(field, m.value.get()).map_err(|e| {
            bad(
                ErrorKind::BadOutput,
                format!("value has the wrong shape for a {field}: {e}"),
            )
        })?;
        value.check().map_err(|e| bad(ErrorKind::BadOutput, e))?;
        let span = match (m.start, m.end, &m.text) {
            (Some(start), Some(end), Some(t)) => Some(check_span(&index, start, end, t).map_err(|e| {
                let kind = match e {
                    SpanError::OutOfRange { .. } => ErrorKind::OffsetOutOfRange,
                    SpanError::Mismatch { .. } => ErrorKind::OffsetMismatch,
                };
                bad(kind, e.to_string())
            })?),
            (Some(_), Some(_), None) => {
                return Err(bad(
                    ErrorKind::BadOutput,
                    "a mention with offsets must carry its text".into(),
                ))
            }
            (None, None, _) if allow_spanless => None,
            (None, None, _) => return Err(bad(ErrorKind::BadOutput, "missing \"start\" and \"end\"".into())),
            _ => return Err(bad(ErrorKind::BadOutput, "\"start\" and \"end\" come together".into())),
        };
        mentions.push(PredMention {
            span,
            text: m.text.map(Cow::into_owned),
            value,
        });
    }
    Ok(Parsed {
        id: raw.id,
        mentions,
        usage: raw.usage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mention::Span;

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
        assert_eq!(
            kind(br#"{"error": "boom", "error_kind": "panic"}"#, t),
            ErrorKind::Panic
        );
        let bom = "\u{feff}{\"mentions\": []}";
        let e = parse_response(bom.as_bytes(), t, false).unwrap_err();
        assert!(e.message.contains("byte order mark"), "{e}");
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
