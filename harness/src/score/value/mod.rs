//! Value comparers, one file per field. `judge` is the single entry point the
//! matcher uses; change a field's notion of "same value" in its own file.

pub mod date;
pub mod number;
pub mod official;
pub mod text;

use extractor_api::Value;
use std::cmp::Ordering;
use std::ops::Deref;
use std::rc::Rc;

/// The verdict on one span-matched (gold, prediction) pair of the same field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Verdict {
    /// The normalized value is right (headline "span + value").
    pub correct: bool,
    /// Right or, for dates, coarser but consistent (granularity-aware).
    pub lenient: bool,
    /// Officials only: the titles are right too.
    pub titles: bool,
}

pub fn judge(gold: &Value, pred: &Value) -> Verdict {
    match (gold, pred) {
        (Value::Date(g), Value::Date(p)) => {
            let m = date::compare(g, p);
            Verdict {
                correct: m == date::DateMatch::Exact,
                lenient: m != date::DateMatch::Wrong,
                titles: false,
            }
        }
        (Value::Official(g), Value::Official(p)) => {
            let correct = official::same_name(g, p);
            Verdict {
                correct,
                lenient: correct,
                titles: official::same_titles(g, p),
            }
        }
        (Value::Figure(g), Value::Figure(p)) => same(number::same_figure(g, p)),
        (Value::Percentage(g), Value::Percentage(p)) => same(number::same_percentage(g, p)),
        _ => Verdict::default(),
    }
}

fn same(correct: bool) -> Verdict {
    Verdict {
        correct,
        lenient: correct,
        titles: false,
    }
}

/// The text part of a span-free key: the value's own text, or a folded
/// text shared with the fold memo. Compared as text, whichever it is.
#[derive(Clone, Debug)]
pub enum KeyText<'a> {
    Own(&'a str),
    Folded(Rc<str>),
}

impl Deref for KeyText<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            KeyText::Own(s) => s,
            KeyText::Folded(s) => s,
        }
    }
}

impl PartialEq for KeyText<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for KeyText<'_> {}

impl PartialOrd for KeyText<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for KeyText<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        (**self).cmp(&**other)
    }
}

/// Sort key for span-free matching: equal values have equal text parts and
/// numeric parts within tolerance.
pub fn span_free_key(value: &Value) -> (KeyText<'_>, f64) {
    match value {
        Value::Date(s) => (KeyText::Own(s), 0.0),
        Value::Official(o) => (KeyText::Folded(official::key(o)), 0.0),
        Value::Figure(f) => (KeyText::Folded(text::fold(&f.unit)), f.amount),
        Value::Percentage(p) => (KeyText::Own(""), p.value),
    }
}

/// Whether two span-free keys of the same field denote the same value.
pub fn keys_equal(field: extractor_api::Field, a: &(KeyText<'_>, f64), b: &(KeyText<'_>, f64)) -> bool {
    a.0 == b.0 && numbers_equal(field, a.1, b.1)
}

/// Whether the numeric parts of two span-free keys of the same field
/// (and with the same text) denote the same value.
pub fn numbers_equal(field: extractor_api::Field, a: f64, b: f64) -> bool {
    match field {
        extractor_api::Field::Figure => number::amounts_equal(a, b),
        extractor_api::Field::Percentage => (a - b).abs() <= number::PERCENT_ABS_TOL,
        _ => true,
    }
}
