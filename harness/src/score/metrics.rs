//! Precision, recall and F1 from raw counts. The one place that divides.
//!
//! Convention for empty denominators: when there is neither gold nor
//! prediction (POS = ACT = 0) there is nothing to score and all three are
//! undefined (`None`, shown as "—", left out of macro averages). Otherwise a
//! zero denominator gives 0 (as seqeval and scikit-learn do): predicting
//! mentions where the gold has none scores P = 0, R = 0.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
}

/// `credit` is the numerator (COR, or COR + 0.5·PAR), `act` the number of
/// predictions, `pos` the number of gold mentions.
pub fn prf(credit: f64, act: u64, pos: u64) -> Prf {
    if act == 0 && pos == 0 {
        return Prf::default();
    }
    let ratio = |d: u64| if d == 0 { 0.0 } else { credit / d as f64 };
    let (p, r) = (ratio(act), ratio(pos));
    let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    Prf {
        precision: Some(p),
        recall: Some(r),
        f1: Some(f1),
    }
}

/// Mean of the defined values (macro average); `None` if none is defined.
pub fn mean(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .flatten()
        .fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}
