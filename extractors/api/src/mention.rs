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
            Value::Figure(f) if !is_lower_case(&f.unit) => Err(format!("figure unit {:?} is not lower case", f.unit)),
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
/// Whether lower-casing leaves `s` as it is (as `s == s.to_lowercase()`,
/// without building the lower-cased copy: every figure is checked).
fn is_lower_case(s: &str) -> bool {
    s.chars().flat_map(char::to_lowercase).eq(s.chars())
}

/// The value as compact JSON (reports and listings show it so).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self).map_err(|_| fmt::Error)?)
    }
}

/// A value read by its shape alone: a string is a date, `{name, titles}` an
/// official, `{amount, unit}` a figure, `{value}` a percentage. One pass,
/// with no intermediate tree: readers of large files parse mentions this
/// way, check that the shape matches the mention's field, and fall back to
/// [`Value::from_json_str`] (which names what is wrong) on any error. It
/// refuses everything the typed readers refuse, plus some inputs they accept
/// (arrays for objects), which the fallback then reads.
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> serde::de::Visitor<'de> for ShapeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date string or an official, figure or percentage object")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Date(s.to_string()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        use serde::de::Error;
        fn set<T, E: Error>(slot: &mut Option<T>, v: T, key: &'static str) -> Result<(), E> {
            match slot.replace(v) {
                Some(_) => Err(E::duplicate_field(key)),
                None => Ok(()),
            }
        }
        const KEYS: &[&str] = &["name", "titles", "amount", "unit", "value"];
        let (mut name, mut titles, mut amount, mut unit, mut value) = (None, None, None, None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "name" => set(&mut name, map.next_value::<String>()?, "name")?,
                "titles" => set(&mut titles, map.next_value::<Vec<String>>()?, "titles")?,
                "amount" => set(&mut amount, map.next_value::<f64>()?, "amount")?,
                "unit" => set(&mut unit, map.next_value::<String>()?, "unit")?,
                "value" => set(&mut value, map.next_value::<f64>()?, "value")?,
                other => return Err(A::Error::unknown_field(other, KEYS)),
            }
        }
        match (name, titles, amount, unit, value) {
            (Some(name), Some(titles), None, None, None) => Ok(Value::Official(Official { name, titles })),
            (None, None, Some(amount), Some(unit), None) => Ok(Value::Figure(Figure { amount, unit })),
            (None, None, None, None, Some(value)) => Ok(Value::Percentage(Percentage { value })),
            _ => Err(A::Error::custom("the keys fit no value shape")),
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of value objects: keys of every shape, values of several
    /// JSON types, sometimes repeated, so most objects fit no shape.
    fn entry() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec!["name", "titles", "amount", "unit", "value", "extra"]);
        let val = prop::sample::select(vec![
            "\"Nguyễn Văn A\"",
            "[\"chủ tịch\"]",
            "[]",
            "12",
            "-3.5e2",
            "\"tỷ đồng\"",
            "null",
            "{}",
            "\"\"",
        ]);
        (key, val).prop_map(|(k, v)| format!("\"{k}\": {v}"))
    }

    proptest! {
        /// Whenever the shape reader accepts a value, the typed reader of
        /// that field reads the same value; when the typed reader of some
        /// field accepts an object, the shape reader agrees or refuses (and
        /// the caller falls back). It never reads a value differently.
        #[test]
        fn the_shape_reader_agrees_with_the_typed_readers(entries in prop::collection::vec(entry(), 0..4)) {
            let json = format!("{{{}}}", entries.join(", "));
            let shaped = serde_json::from_str::<Value>(&json);
            for field in Field::ALL {
                let typed = Value::from_json_str(field, &json);
                match (&shaped, typed) {
                    (Ok(v), Ok(t)) => prop_assert_eq!(v, &t, "{}", json),
                    (Ok(v), Err(_)) => prop_assert_ne!(v.field(), field, "{}", json),
                    (Err(_), _) => {}
                }
            }
            if let Ok(v) = shaped {
                prop_assert!(Value::from_json_str(v.field(), &json).is_ok(), "{}", json);
            }
        }
    }

    proptest! {
        /// The allocation-free check agrees with comparing to the
        /// lower-cased copy, Greek final sigma and title-case letters included.
        #[test]
        fn lower_case_is_checked_as_to_lowercase_would(s in "[a-zA-Zđ\u{110}ΣσςǅǆǄİı ]{0,12}") {
            prop_assert_eq!(is_lower_case(&s), s == s.to_lowercase());
        }
    }

    #[test]
    fn every_shape_reads_back_from_its_own_json() {
        let values = [
            Value::Date("2024-Q1".into()),
            Value::Official(Official {
                name: "Nguyễn Văn A".into(),
                titles: vec!["chủ tịch".into()],
            }),
            Value::Figure(Figure {
                amount: 1.5e9,
                unit: "đồng".into(),
            }),
            Value::Percentage(Percentage { value: 7.1 }),
        ];
        for v in values {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), v, "{json}");
        }
        assert!(serde_json::from_str::<Value>(r#"{"value": 1, "value": 2}"#).is_err());
        assert!(serde_json::from_str::<Value>(r#"{"name": "A"}"#).is_err());
        assert!(serde_json::from_str::<Value>("7").is_err());
    }
}
