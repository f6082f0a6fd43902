//! The process protocol, version 1: JSON lines over a plugin's stdin and
//! stdout (stderr is free for logs). The harness's process back end, the
//! `harness worker` that hosts libraries, and any Rust command plugin all
//! read and write these types, so the protocol is defined once, here.
//!
//! 1. The plugin writes one [`Handshake`] line.
//! 2. For each article the harness writes one [`Request`] line; the plugin
//!    answers with exactly one [`Reply`] line carrying the request's `id`.
//!
//! **stdout belongs to the harness.** A stray line (a debug print, a second
//! answer) would be read as the next article's answer; the harness therefore
//! rejects any reply whose `id` is not the request's and restarts the
//! process. Print diagnostics to stderr.

use crate::Field;
use serde::{Deserialize, Serialize};

/// The protocol's name, sent in the handshake.
pub const PROTOCOL: &str = "ie-harness-jsonl";
/// The protocol's version, sent in the handshake.
pub const PROTOCOL_VERSION: u32 = 1;

/// The first line a plugin writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Handshake {
    pub protocol: String,
    pub protocol_version: u32,
    pub name: String,
    pub version: String,
    /// The fields the plugin extracts; at least one.
    pub fields: Vec<Field>,
    /// Set by `harness worker`: the hosted library's ABI version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abi: Option<String>,
    /// Set by `harness worker`: the hosted library's SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl Handshake {
    /// A version-1 handshake for a plugin with this name, version and fields.
    pub fn new(name: &str, version: &str, fields: &[Field]) -> Handshake {
        Handshake {
            protocol: PROTOCOL.into(),
            protocol_version: PROTOCOL_VERSION,
            name: name.into(),
            version: version.into(),
            fields: fields.to_vec(),
            abi: None,
            sha256: None,
        }
    }
}

/// One article to read. Sent over both the library ABI and the process
/// protocol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: String,
    pub text: String,
}

/// A mention as it travels: offsets and text may be absent for outputs that
/// have none (they are then aligned or scored span-free), and the value is
/// read against the field only once the field is known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireMention {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub value: serde_json::Value,
}

/// What a call cost, for plugins that pay per token. Every key is optional.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Usage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
}

impl std::ops::AddAssign for Usage {
    /// Sums what was reported; a key nobody reported stays absent.
    fn add_assign(&mut self, o: Self) {
        fn add<T: std::ops::Add<Output = T>>(a: Option<T>, b: Option<T>) -> Option<T> {
            match (a, b) {
                (Some(x), Some(y)) => Some(x + y),
                (x, None) => x,
                (None, y) => y,
            }
        }
        self.input_tokens = add(self.input_tokens, o.input_tokens);
        self.output_tokens = add(self.output_tokens, o.output_tokens);
        self.cost_usd = add(self.cost_usd, o.cost_usd);
    }
}

/// The answer to one request: `mentions`, or an `error` for this article.
///
/// `M` is the mention representation: [`WireMention`] to read one, a raw
/// JSON value to pass one through unparsed (as `harness worker` does).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply<M = WireMention> {
    /// The request's id. Required over the process protocol; the library ABI's
    /// payload may omit it (the call itself pairs it with its request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<M>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Set by `harness worker` to carry how a hosted library failed
    /// (`panic`, `bad_output`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<String>,
    /// With an `error`: the article may be retried after this many seconds
    /// (rate limits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
}

fn none<T>() -> Option<T> {
    None
}

impl<M> Reply<M> {
    /// A successful reply.
    pub fn mentions(id: Option<String>, mentions: Vec<M>) -> Reply<M> {
        Reply {
            id,
            mentions: Some(mentions),
            error: None,
            error_kind: None,
            retry_after_s: None,
            usage: None,
        }
    }

    /// A failed reply.
    pub fn error(id: Option<String>, message: impl Into<String>) -> Reply<M> {
        Reply {
            id,
            mentions: None,
            error: Some(message.into()),
            error_kind: None,
            retry_after_s: None,
            usage: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_round_trip_and_reject_unknown_keys() {
        let r: Reply = serde_json::from_str(
            r#"{"id":"a","mentions":[{"field":"date","start":0,"end":4,"text":"2024","value":"2024"}],"usage":{"input_tokens":12}}"#,
        )
        .unwrap();
        assert_eq!(r.id.as_deref(), Some("a"));
        assert_eq!(r.mentions.as_ref().unwrap()[0].start, Some(0));
        assert_eq!(r.usage.unwrap().input_tokens, Some(12));
        let back: Reply = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
        assert!(serde_json::from_str::<Reply>(r#"{"id":"a","mentions":[],"extra":1}"#).is_err());
        assert!(serde_json::from_str::<Usage>(r#"{"tokens":1}"#).is_err());
    }

    #[test]
    fn handshake_fields_are_typed() {
        let h = Handshake::new("x", "1", &[Field::Date]);
        let line = serde_json::to_string(&h).unwrap();
        assert_eq!(
            line,
            r#"{"protocol":"ie-harness-jsonl","protocol_version":1,"name":"x","version":"1","fields":["date"]}"#
        );
        let bad = line.replace("\"date\"", "\"salary\"");
        assert!(serde_json::from_str::<Handshake>(&bad).is_err());
    }
}
