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

/// `extractor_api::protocol::WireMention`, borrowing from the reply. Read
/// two ways: in one pass with the field and the value typed (`F = Field`,
/// `V = Value`, by shape; see [`parse_fast`]), or keeping both raw so that
/// each defect can be named (`F = Cow<str>`, `V = &RawValue`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "F: Deserialize<'de>, V: Deserialize<'de>"))]
struct Mention<'a, F, V> {
    field: F,
    #[serde(default)]
    start: Option<usize>,
    #[serde(default)]
    end: Option<usize>,
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
    value: V,
}

type FastMention<'a> = Mention<'a, Field, Value>;
type RawMention<'a> = Mention<'a, Cow<'a, str>, &'a RawValue>;

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
    if let Some(parsed) = parse_fast(s, text, allow_spanless) {
        return Ok(parsed);
    }
    parse_explained(s, text, allow_spanless)
}

/// A valid list of mentions in one pass over the JSON, with the checks of
/// [`parse_explained`]; `None` on anything else (an error reply, any
/// defect), which the explaining parse then reads and names.
fn parse_fast(s: &str, text: &str, allow_spanless: bool) -> Option<Parsed> {
    let raw: Reply<FastMention> = serde_json::from_str(s).ok()?;
    if raw.error.is_some() {
        return None;
    }
    let index = TextIndex::new(text);
    let raw_mentions = raw.mentions?;
    let mut mentions = Vec::with_capacity(raw_mentions.len());
    for m in raw_mentions {
        if m.value.field() != m.field || m.value.check().is_err() {
            return None;
        }
        let span = match (m.start, m.end, &m.text) {
            (Some(start), Some(end), Some(t)) => Some(check_span(&index, start, end, t).ok()?),
            (None, None, _) if allow_spanless => None,
            _ => return None,
        };
        mentions.push(PredMention {
            span,
            text: m.text.map(Cow::into_owned),
            value: m.value,
        });
    }
    Some(Parsed {
        id: raw.id,
        mentions,
        usage: raw.usage,
    })
}

/// Reads a reply that is not a valid list of mentions and says what is
/// wrong with it (or passes its error on).
fn parse_explained(s: &str, text: &str, allow_spanless: bool) -> Result<Parsed, CallError> {
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

    const TEXT: &str = "Ngày 4/6/2024 tăng 7,1%";
    const REPLY: &str = r#"{"id":"a1","mentions":[{"field":"date","start":5,"end":13,"text":"4/6/2024","value":"2024-06-04"},{"field":"percentage","start":19,"end":23,"text":"7,1%","value":{"value":7.1}},{"field":"figure","value":{"amount":3,"unit":"tỷ đồng"}}]}"#;

    #[test]
    fn a_valid_reply_takes_the_fast_path() {
        let fast = parse_fast(REPLY, TEXT, true).expect("the fast path reads it");
        let explained = parse_explained(REPLY, TEXT, true).unwrap();
        assert_eq!(fast.mentions.len(), 3);
        assert_eq!((fast.id, fast.mentions), (explained.id, explained.mentions));
        assert!(
            parse_fast(REPLY, TEXT, false).is_none(),
            "a span-free mention needs allow_spanless"
        );
    }

    /// Each defect the explaining parse names sends a reply off the fast
    /// path, to the same error it always had.
    #[test]
    fn every_defect_leaves_the_fast_path_and_is_named() {
        let cases = [
            ("\"field\":\"percentage\"", "\"field\":\"figure\""),
            ("\"unit\":\"tỷ đồng\"", "\"unit\":\"Tỷ đồng\""),
            ("\"value\":\"2024-06-04\"", "\"value\":\"2024-13-04\""),
            ("\"start\":5,", "\"start\":6,"),
            ("\"end\":23,", "\"end\":99,"),
            ("\"start\":19,\"end\":23,\"text\":\"7,1%\",", "\"start\":19,\"end\":23,"),
            ("\"start\":5,", ""),
            ("\"id\":\"a1\",", "\"id\":\"a1\",\"error\":\"quota\","),
        ];
        for (from, to) in cases {
            assert!(REPLY.contains(from), "{from}");
            let src = REPLY.replacen(from, to, 1);
            assert!(parse_fast(&src, TEXT, true).is_none(), "{to}");
            assert!(parse_explained(&src, TEXT, true).is_err(), "{to}");
        }
    }

    proptest::proptest! {
        /// Small edits anywhere in a valid reply: whenever the fast path
        /// accepts the result, the explaining parse accepts the same
        /// mentions.
        #[test]
        fn the_fast_parse_accepts_only_what_the_explaining_parse_accepts(
            edits in crate::diag::edits::edits(),
            spanless in proptest::prelude::any::<bool>(),
        ) {
            let src = crate::diag::edits::apply(REPLY, edits);
            if let Some(fast) = parse_fast(&src, TEXT, spanless) {
                let explained = parse_explained(&src, TEXT, spanless);
                proptest::prop_assert!(explained.is_ok(), "{} {:?}", src, explained);
                let explained = explained.unwrap();
                proptest::prop_assert_eq!((fast.id, fast.mentions), (explained.id, explained.mentions), "{}", src);
            }
        }
    }
}
