//! The payload types: what a plugin receives and what it returns.
//!
//! Wire format (JSON, UTF-8; see [`crate::protocol`]):
//! - request: `{"id": "...", "text": "..."}`
//! - response: `{"mentions": [{"field", "start", "end", "text", "value"}, ...]}`
//!
//! `start`/`end` are Unicode scalar (code point) offsets into `text`, end
//! exclusive. `value` depends on `field`:
//! - `date`: a TIMEX3-style string (`"2024-06-04"`, `"XXXX-Q2"`, `"2021/2025"`)
//! - `official`: `{"name": "...", "titles": ["..."]}`
//! - `figure`: `{"amount": 1326800000000, "unit": "đồng"}`
//! - `percentage`: `{"value": 7.1}`

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The four fields the harness scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Date,
    Official,
    Figure,
    Percentage,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Date, Field::Official, Field::Figure, Field::Percentage];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Official => "official",
            Field::Figure => "figure",
            Field::Percentage => "percentage",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a string that names no field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownField(pub String);

impl fmt::Display for UnknownField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown field {:?} (expected date, official, figure or percentage)",
            self.0
        )
    }
}

impl std::error::Error for UnknownField {}

impl FromStr for Field {
    type Err = UnknownField;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Field::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownField(s.to_string()))
    }
}

/// An official: the name as written and the titles stated beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Official {
    pub name: String,
    pub titles: Vec<String>,
}

/// A quantity: the amount after thousands/decimal reading and multipliers,
/// and the unit or counted noun in lower case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub amount: f64,
    pub unit: String,
}

/// A percentage value: `7.1` for "7,1%".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Percentage {
    pub value: f64,
}

/// A normalized value; its variant determines the mention's field.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Date(String),
    Official(Official),
    Figure(Figure),
    Percentage(Percentage),
}

impl Value {
    pub fn field(&self) -> Field {
        match self {
            Value::Date(_) => Field::Date,
            Value::Official(_) => Field::Official,
            Value::Figure(_) => Field::Figure,
            Value::Percentage(_) => Field::Percentage,
        }
    }

    /// Checks what the JSON shape cannot: a date that exists in TIMEX form,
    /// finite numbers, a lower-case unit, non-empty names and titles.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Value::Date(s) => crate::timex::Timex::parse(s)
                .map(|_| ())
                .map_err(|e| format!("invalid date value: {e}")),
            Value::Official(o) if o.name.trim().is_empty() => Err("official name is empty".into()),
            Value::Official(o) if o.titles.iter().any(|t| t.trim().is_empty()) => {
                Err("official has an empty title".into())
            }
            Value::Figure(f) if !f.amount.is_finite() => Err(format!("figure amount {} is not finite", f.amount)),
            Value::Figure(f) if f.unit.trim().is_empty() => Err("figure unit is empty".into()),
            Value::Figure(f) if f.unit != f.unit.to_lowercase() => {
                Err(format!("figure unit {:?} is not lower case", f.unit))
            }
            Value::Percentage(p) if !p.value.is_finite() => Err(format!("percentage {} is not finite", p.value)),
            _ => Ok(()),
        }
    }

    /// Read JSON text as the value shape of `field`, without an intermediate
    /// `serde_json::Value` (the hot path of gold and reply parsing).
    pub fn from_json_str(field: Field, json: &str) -> Result<Value, serde_json::Error> {
        Ok(match field {
            Field::Date => Value::Date(serde_json::from_str(json)?),
            Field::Official => Value::Official(serde_json::from_str(json)?),
            Field::Figure => Value::Figure(serde_json::from_str(json)?),
            Field::Percentage => Value::Percentage(serde_json::from_str(json)?),
        })
    }

    /// Read a JSON value as the value shape of `field`. Unknown keys are errors.
    pub fn from_json(field: Field, json: serde_json::Value) -> Result<Value, serde_json::Error> {
        Ok(match field {
            Field::Date => Value::Date(serde_json::from_value(json)?),
            Field::Official => Value::Official(serde_json::from_value(json)?),
            Field::Figure => Value::Figure(serde_json::from_value(json)?),
            Field::Percentage => Value::Percentage(serde_json::from_value(json)?),
        })
    }
}

/// One extracted mention. Offsets are code points into the request text.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub value: Value,
}

impl Mention {
    pub fn field(&self) -> Field {
        self.value.field()
    }
}

impl Serialize for Mention {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            field: Field,
            start: usize,
            end: usize,
            text: &'a str,
            value: &'a Value,
        }
        Wire {
            field: self.field(),
            start: self.start,
            end: self.end,
            text: &self.text,
            value: &self.value,
        }
        .serialize(s)
    }
}

/// The document a plugin is asked to read.
#[derive(Clone, Copy, Debug)]
pub struct Document<'a> {
    pub id: &'a str,
    pub text: &'a str,
}

/// Successful response payload.
#[derive(Clone, Debug, Serialize)]
pub struct Response<'a> {
    pub mentions: &'a [Mention],
}

/// Error payload, for `STATUS_ERROR` and `STATUS_PANIC`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ErrorPayload {
    pub error: String,
}
