//! Plain-text tables whose columns fit their widest cell, measured in
//! terminal columns (so names with accents or wide characters line up).
//! Cells may carry ANSI colour; it is not counted.

use unicode_width::UnicodeWidthStr;

/// Column alignment.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

pub struct Table {
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

fn width(cell: &str) -> usize {
    super::text::strip_ansi(cell).width()
}

impl Table {
    pub fn new(header: &[&str], align: &[Align]) -> Table {
        Table {
            align: align.to_vec(),
            rows: vec![header.iter().map(|h| h.to_string()).collect()],
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table, one line per row, columns two spaces apart, no trailing
    /// spaces.
    pub fn render(&self) -> String {
        let cols = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..cols)
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| width(s))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                let pad = widths[c].saturating_sub(width(cell));
                let right = self.align.get(c) == Some(&Align::Right);
                if c > 0 {
                    line.push_str("  ");
                }
                if right {
                    line.push_str(&" ".repeat(pad));
                }
                line.push_str(cell);
                if !right {
                    line.push_str(&" ".repeat(pad));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_the_widest_cell_in_display_columns() {
        let mut t = Table::new(&["plugin", "F1"], &[Align::Left, Align::Right]);
        t.row(vec!["grammar-very-long-name".into(), "0.950".into()]);
        t.row(vec!["Trích xuất".into(), "\x1b[32m1.000\x1b[0m".into()]);
        let out = t.render();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "plugin                     F1");
        assert_eq!(lines[1], "grammar-very-long-name  0.950");
        assert_eq!(strip(lines[2]), "Trích xuất              1.000");
    }

    fn strip(s: &str) -> String {
        super::super::text::strip_ansi(s)
    }
}
