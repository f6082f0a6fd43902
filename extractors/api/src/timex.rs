//! TIMEX3-style date values: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-Qn`, each
//! with the year possibly `XXXX` (not stated in the text), and intervals `A/B`
//! of two such points. Parsing checks that the date exists.

use std::fmt;

/// The granularity of a point, with its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Year,
    Quarter(u8),
    Month(u8),
    /// Month and day.
    Day(u8, u8),
}

/// One point: a year (or unknown) at some granularity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    /// `None` for `XXXX`.
    pub year: Option<u16>,
    pub unit: Unit,
}

/// A parsed TIMEX value: a point or an interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timex {
    pub from: Point,
    pub to: Option<Point>,
}

/// Why a string is not a TIMEX value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimexError(String);

impl fmt::Display for TimexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TimexError {}

fn number(s: &str, digits: usize, what: &str, whole: &str) -> Result<u16, TimexError> {
    if s.len() != digits || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TimexError(format!(
            "{whole:?}: {what} must be {digits} digits, got {s:?}"
        )));
    }
    Ok(s.parse().expect("ascii digits"))
}

/// Days in `month` (29 for February of an unknown year).
pub fn days_in_month(year: Option<u16>, month: u8) -> u8 {
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
}
