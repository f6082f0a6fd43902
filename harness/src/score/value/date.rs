//! Date values: TIMEX3-style strings, compared exactly and granularity-aware.
//!
//! Accepted forms: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-Qn`, each with the
//! year possibly `XXXX` (not stated in the text), and intervals `A/B` of two
//! such points.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Year,
    Quarter(u8),
    Month(u8),
    Day(u8, u8),
}

/// One point: a year (or unknown) at some granularity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Point {
    year: Option<u16>,
    unit: Unit,
}

/// A parsed TIMEX value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timex {
    from: Point,
    to: Option<Point>,
}

/// Why a string is not a TIMEX value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimexError(String);

impl fmt::Display for TimexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn number(s: &str, digits: usize, what: &str, whole: &str) -> Result<u16, TimexError> {
    if s.len() != digits || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TimexError(format!(
            "{whole:?}: {what} must be {digits} digits, got {s:?}"
        )));
    }
    Ok(s.parse().expect("ascii digits"))
}

fn days_in_month(year: Option<u16>, month: u8) -> u8 {
    match month {
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn parse_point(s: &str, whole: &str) -> Result<Point, TimexError> {
    let mut parts = s.split('-');
    let year_s = parts.next().unwrap_or("");
    let year = if year_s == "XXXX" {
        None
    } else {
        Some(number(year_s, 4, "year", whole)?)
    };
    let unit = match (parts.next(), parts.next(), parts.next()) {
        (None, _, _) => Unit::Year,
        (Some(q), None, _) if q.starts_with('Q') => {
            let n = number(&q[1..], 1, "quarter", whole)?;
            if !(1..=4).contains(&n) {
                return Err(TimexError(format!("{whole:?}: quarter {n} is not 1-4")));
            }
            Unit::Quarter(n as u8)
        }
        (Some(m), d, None) => {
            let month = number(m, 2, "month", whole)? as u8;
            if !(1..=12).contains(&month) {
                return Err(TimexError(format!("{whole:?}: month {month} is not 01-12")));
            }
            match d {
                None => Unit::Month(month),
                Some(d) => {
                    let day = number(d, 2, "day", whole)? as u8;
                    if day == 0 || day > days_in_month(year, month) {
                        return Err(TimexError(format!(
                            "{whole:?}: day {day} does not exist in month {month}"
                        )));
                    }
                    Unit::Day(month, day)
                }
            }
        }
        _ => return Err(TimexError(format!("{whole:?}: too many '-' parts"))),
    };
    Ok(Point { year, unit })
}

impl Timex {
    pub fn parse(s: &str) -> Result<Timex, TimexError> {
        let mut halves = s.split('/');
        let from = parse_point(halves.next().unwrap_or(""), s)?;
        let to = halves.next().map(|h| parse_point(h, s)).transpose()?;
        if halves.next().is_some() {
            return Err(TimexError(format!("{s:?}: an interval has exactly one '/'")));
        }
        Ok(Timex { from, to })
    }
}

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
    fn parses_every_documented_form() {
        for ok in [
            "2024",
            "2024-06",
            "2024-06-04",
            "2024-Q1",
            "XXXX-08-31",
            "XXXX-05",
            "XXXX-Q2",
            "2021/2025",
            "2024-02-29",
        ] {
            assert!(Timex::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_impossible_and_malformed_values() {
        for bad in [
            "2024-13",
            "2024-00",
            "2023-02-29",
            "2024-06-31",
            "2024-Q5",
            "24",
            "2024-6",
            "2024/",
            "a/b/c",
            "2024-06-04-01",
            "",
        ] {
            assert!(Timex::parse(bad).is_err(), "{bad}");
        }
    }

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
