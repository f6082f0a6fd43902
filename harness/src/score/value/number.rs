//! Figures and percentages: numeric comparison with tolerances.

use super::text::fold;
use extractor_api::{Figure, Percentage};

/// Relative tolerance for figure amounts.
pub const FIGURE_REL_TOL: f64 = 1e-9;
/// Absolute tolerance for percentage values.
pub const PERCENT_ABS_TOL: f64 = 1e-9;

pub fn amounts_equal(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= FIGURE_REL_TOL * a.abs().max(b.abs())
}

pub fn same_figure(gold: &Figure, pred: &Figure) -> bool {
    amounts_equal(gold.amount, pred.amount) && (gold.unit == pred.unit || fold(&gold.unit) == fold(&pred.unit))
}

pub fn same_percentage(gold: &Percentage, pred: &Percentage) -> bool {
    (gold.value - pred.value).abs() <= PERCENT_ABS_TOL
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerances() {
        let f = |amount: f64, unit: &str| Figure {
            amount,
            unit: unit.into(),
        };
        assert!(same_figure(
            &f(1_326_800_000_000.0, "đồng"),
            &f(1_326_800_000_000.000_4, "Đồng")
        ));
        assert!(!same_figure(
            &f(1_326_800_000_000.0, "đồng"),
            &f(1_326_800_000_000.0, "tấn")
        ));
        assert!(!same_figure(&f(925.0, "tấn"), &f(925.1, "tấn")));
        let p = |value| Percentage { value };
        assert!(same_percentage(&p(7.1), &p(7.1 + 1e-12)));
        assert!(!same_percentage(&p(7.1), &p(7.2)));
    }
}
