//! Numbers written the Vietnamese way: "." groups thousands, "," is the
//! decimal comma, leading zeros are allowed ("02"). Values are kept as exact
//! decimals so that "1.326,8 tỷ" is exactly 1 326 800 000 000.

/// An exact decimal: `mant / 10^scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dec {
    pub mant: i128,
    pub scale: u32,
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `"1.234.567"` → 1234567 when every group after the first has three digits.
fn grouped_int(s: &str, sep: char) -> Option<i128> {
    let groups: Vec<&str> = s.split(sep).collect();
    if !groups.iter().all(|g| all_digits(g)) {
        return None;
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return None;
    }
    groups.concat().parse().ok()
}

impl Dec {
    pub fn int(n: i128) -> Dec {
        Dec { mant: n, scale: 0 }
    }

    /// Reads a number token. `None` for shapes that are not quantities
    /// (phone numbers "0255.3851261", version-like "1.2.3", ...).
    pub fn parse(s: &str) -> Option<Dec> {
        let commas = s.matches(',').count();
        let dots = s.matches('.').count();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
            return None;
        }
        // At most 20 digits, so that multipliers cannot overflow.
        if s.bytes().filter(u8::is_ascii_digit).count() > 20 {
            return None;
        }
        match (commas, dots) {
            (0, 0) => Some(Dec::int(s.parse().ok()?)),
            (1, _) => {
                let (int, frac) = s.split_once(',')?;
                let int = grouped_int(int, '.')?;
                if !all_digits(frac) || frac.len() > 12 {
                    return None;
                }
                let f: i128 = frac.parse().ok()?;
                let scale = frac.len() as u32;
                Some(
                    Dec {
                        mant: int * 10i128.pow(scale) + f,
                        scale,
                    }
                    .normalized(),
                )
            }
            (0, _) => {
                if let Some(n) = grouped_int(s, '.') {
                    return Some(Dec::int(n));
                }
                // A lone decimal point ("2.5"), accepted only for short forms
                // so that phone numbers and codes stay out.
                let (int, frac) = s.split_once('.')?;
                if dots == 1 && (1..=3).contains(&int.len()) && (1..=2).contains(&frac.len()) {
                    let i: i128 = int.parse().ok()?;
                    let f: i128 = frac.parse().ok()?;
                    let scale = frac.len() as u32;
                    return Some(
                        Dec {
                            mant: i * 10i128.pow(scale) + f,
                            scale,
                        }
                        .normalized(),
                    );
                }
                None
            }
            (_, 0) => grouped_int(s, ',').map(Dec::int),
            _ => None,
        }
    }

    fn normalized(mut self) -> Dec {
        while self.scale > 0 && self.mant % 10 == 0 {
            self.mant /= 10;
            self.scale -= 1;
        }
        self
    }

    /// Multiplies by 10^k (nghìn = 3, triệu = 6, tỷ = 9).
    pub fn shift(self, k: u32) -> Dec {
        if k >= self.scale {
            Dec::int(self.mant * 10i128.pow(k - self.scale))
        } else {
            Dec {
                mant: self.mant,
                scale: self.scale - k,
            }
            .normalized()
        }
    }

    pub fn plus(self, o: Dec) -> Dec {
        let scale = self.scale.max(o.scale);
        let a = self.mant * 10i128.pow(scale - self.scale);
        let b = o.mant * 10i128.pow(scale - o.scale);
        Dec { mant: a + b, scale }.normalized()
    }

    /// The nearest `f64`, obtained through the decimal string so that it
    /// equals what a JSON reader makes of the same literal.
    pub fn to_f64(self) -> f64 {
        let digits = self.mant.abs().to_string();
        let s = if self.scale == 0 {
            digits
        } else {
            let scale = self.scale as usize;
            let padded = format!("{:0>width$}", digits, width = scale + 1);
            let (i, f) = padded.split_at(padded.len() - scale);
            format!("{i}.{f}")
        };
        let v: f64 = s.parse().unwrap_or(f64::NAN);
        if self.mant < 0 {
            -v
        } else {
            v
        }
    }

    pub fn is_integer(self) -> bool {
        self.scale == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<f64>) {
        let got = Dec::parse(input).map(Dec::to_f64);
        assert_eq!(got, expected, "parsing {input:?}");
    }

    #[test]
    fn vietnamese_number_shapes() {
        let table: &[(&str, Option<f64>)] = &[
            ("7", Some(7.0)),
            ("07", Some(7.0)),
            ("1.250", Some(1250.0)),
            ("12.345.678", Some(12345678.0)),
            ("3,5", Some(3.5)),
            ("0,25", Some(0.25)),
            ("2.417,05", Some(2417.05)),
            ("4,50", Some(4.5)),
            ("2.5", Some(2.5)),
            ("1,234,567", Some(1234567.0)),
            ("0912.345678", None),
            ("1.2.3", None),
            ("12.34,5.6", None),
            ("1,2,3", None),
            ("123456789012345678901", None),
        ];
        for &(input, expected) in table {
            check(input, expected);
        }
    }

    #[test]
    fn multipliers_stay_exact() {
        let d = Dec::parse("2.417,3").unwrap().shift(9);
        assert_eq!(d, Dec::int(2_417_300_000_000));
        let d = Dec::parse("0,05").unwrap().shift(6);
        assert_eq!(d, Dec::int(50_000));
        let d = Dec::parse("12,345").unwrap().shift(2);
        assert_eq!(d.to_f64(), 1234.5);
        let sum = Dec::int(12).shift(9).plus(Dec::int(40).shift(6));
        assert_eq!(sum.to_f64(), 12_040_000_000.0);
    }
}
