//! Date values (TIMEX3-style strings, parsed by `extractor_api::timex`),
//! compared exactly and granularity-aware.

use extractor_api::timex::{Point, Timex, Unit};

/// How a predicted date relates to its gold partner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateMatch {
    /// Identical value.
    Exact,
    /// The prediction is less specific but contains the gold value
    /// (`2024-06` for gold `2024-06-04`, `2024-Q2` for `2024-06`).
    Coarser,
    /// Anything else, including more specific than the gold.
    Wrong,
}

/// `coarse` contains `fine` and is strictly less specific.
fn point_contains(coarse: Point, fine: Point) -> bool {
    if coarse.year != fine.year {
        return false;
    }
    let month_of = |u: Unit| match u {
        Unit::Month(m) | Unit::Day(m, _) => Some(m),
        _ => None,
    };
    match (coarse.unit, fine.unit) {
        (Unit::Year, Unit::Year) => false,
        (Unit::Year, _) => true,
        (Unit::Quarter(q), f) => month_of(f).is_some_and(|m| (m - 1) / 3 + 1 == q),
        (Unit::Month(m), Unit::Day(fm, _)) => m == fm,
        _ => false,
    }
}

pub fn compare(gold: &str, pred: &str) -> DateMatch {
    if gold == pred {
        return DateMatch::Exact;
    }
    let (Ok(g), Ok(p)) = (Timex::parse(gold), Timex::parse(pred)) else {
        return DateMatch::Wrong;
    };
    let covers = |c: Point, f: Point| c == f || point_contains(c, f);
    let coarser = match (g.to, p.to) {
        (None, None) => point_contains(p.from, g.from),
        (Some(gt), Some(pt)) => covers(p.from, g.from) && covers(pt, gt),
        _ => false,
    };
    if coarser {
        DateMatch::Coarser
    } else {
        DateMatch::Wrong
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn granularity_aware_comparison() {
        let cases = [
            ("2024-06-04", "2024-06-04", DateMatch::Exact),
            ("2024-06-04", "2024-06", DateMatch::Coarser),
            ("2024-06-04", "2024", DateMatch::Coarser),
            ("2024-06", "2024-Q2", DateMatch::Coarser),
            ("2024-06", "2024-Q3", DateMatch::Wrong),
            ("2024-06", "2024-06-04", DateMatch::Wrong),
            ("XXXX-08-31", "2023-08-31", DateMatch::Wrong),
            ("2021/2025", "2021/2025", DateMatch::Exact),
            ("2024-06/2025-06", "2024/2025", DateMatch::Coarser),
            ("2024", "2023", DateMatch::Wrong),
            ("2024", "garbage", DateMatch::Wrong),
        ];
        for (gold, pred, want) in cases {
            assert_eq!(compare(gold, pred), want, "gold {gold} pred {pred}");
        }
    }
}
