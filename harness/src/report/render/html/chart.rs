//! The grouped bar chart (per field and overall, one bar per plugin, CI
//! whiskers) as inline SVG. `layout` is pure geometry and is unit-tested;
//! `svg` only writes what `layout` placed.

use super::super::text::escape;
use crate::score::Interval;
use std::fmt::Write;

/// Categorical colours for plugins (bars and legend).
pub const PALETTE: [&str; 8] = [
    "#4263eb", "#f08c00", "#2b8a3e", "#ae3ec9", "#1098ad", "#e8590c", "#5c940d", "#d6336c",
];

/// One bar's data: F1 and its interval, absent when undefined or unclaimed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Value {
    pub f1: f64,
    pub ci: Option<Interval>,
}

/// The chart's input: group labels, plugin names, and `values[group][plugin]`.
pub struct Chart<'a> {
    pub groups: Vec<String>,
    pub plugins: Vec<&'a str>,
    pub values: Vec<Vec<Option<Value>>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub group: usize,
    pub plugin: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Whisker from (cx, y_low) to (cx, y_high), caps half-width `cap`.
    pub whisker: Option<(f64, f64, f64, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub plot_height: f64,
    pub legend: Vec<LegendItem>,
    pub bars: Vec<Bar>,
    /// Centre x of each group's label.
    pub group_x: Vec<f64>,
}

impl Layout {
    /// y of an F1 value (0 at the bottom of the plot, 1 at the top).
    pub fn y(&self, v: f64) -> f64 {
        self.top + (1.0 - v.clamp(0.0, 1.0)) * self.plot_height
    }
}

const WIDTH: f64 = 1200.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const BOTTOM: f64 = 34.0;
const PLOT_HEIGHT: f64 = 260.0;

/// Places the legend (wrapping rows) and every bar.
pub fn layout(c: &Chart) -> Layout {
    let mut legend = Vec::new();
    let (mut x, mut y) = (LEFT, 16.0);
    for name in &c.plugins {
        let w = 26.0 + 7.2 * name.chars().count() as f64;
        if x + w > WIDTH - RIGHT && x > LEFT {
            x = LEFT;
            y += 20.0;
        }
        legend.push(LegendItem { x, y });
        x += w + 14.0;
    }
    let top = y + 22.0;
    let mut l = Layout {
        width: WIDTH,
        height: top + PLOT_HEIGHT + BOTTOM,
        left: LEFT,
        right: RIGHT,
        top,
        plot_height: PLOT_HEIGHT,
        legend,
        bars: Vec::new(),
        group_x: Vec::new(),
    };
    let groups = c.groups.len().max(1) as f64;
    let gw = (WIDTH - LEFT - RIGHT) / groups;
    let bw = gw * 0.78 / c.plugins.len().max(1) as f64;
    for g in 0..c.groups.len() {
        let gx = LEFT + g as f64 * gw;
        l.group_x.push(gx + gw / 2.0);
        for (p, v) in c.values[g].iter().enumerate() {
            let Some(v) = v else { continue };
            let bx = gx + gw * 0.11 + p as f64 * bw;
            let cx = bx + bw * 0.42;
            let cap = (bw * 0.18).min(8.0);
            let whisker = v.ci.map(|ci| (cx, l.y(ci.low), l.y(ci.high), cap));
            l.bars.push(Bar {
                group: g,
                plugin: p,
                x: bx,
                y: l.y(v.f1),
                width: bw * 0.84,
                height: (l.y(0.0) - l.y(v.f1)).max(0.5),
                whisker,
            });
        }
    }
    l
}

/// The chart as an `<svg>` element.
pub fn svg(c: &Chart) -> String {
    let l = layout(c);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"bars\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"F1 per field and plugin\">",
        w = l.width,
        h = l.height
    );
    for (i, (item, name)) in l.legend.iter().zip(&c.plugins).enumerate() {
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"lg\">{}</text>",
            item.x,
            item.y - 10.0,
            PALETTE[i % PALETTE.len()],
            item.x + 17.0,
            item.y,
            escape(name)
        );
    }
    for k in 0..=5 {
        let v = k as f64 / 5.0;
        let gy = l.y(v);
        let _ = write!(
            s,
            "<line x1=\"{}\" x2=\"{:.1}\" y1=\"{gy:.1}\" y2=\"{gy:.1}\" class=\"grid\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"end\">{v:.1}</text>",
            l.left,
            l.width - l.right,
            l.left - 6.0,
            gy + 4.0
        );
    }
    let _ = write!(
        s,
        "<text transform=\"translate(13 {:.1}) rotate(-90)\" class=\"tick\" text-anchor=\"middle\">span + value F1</text>",
        l.top + l.plot_height / 2.0
    );
    for (g, label) in c.groups.iter().enumerate() {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"xl\" text-anchor=\"middle\">{}</text>",
            l.group_x[g],
            l.top + l.plot_height + 22.0,
            escape(label)
        );
    }
    for b in &l.bars {
        let v = c.values[b.group][b.plugin].expect("placed bars have values");
        let ci =
            v.ci.map_or(String::new(), |i| format!(" [{:.3}, {:.3}]", i.low, i.high));
        let _ = write!(
            s,
            "<g class=\"bar\"><title>{} · {}: F1 {:.3}{ci}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
            escape(c.plugins[b.plugin]),
            escape(&c.groups[b.group]),
            v.f1,
            b.x,
            b.y,
            b.width,
            b.height,
            PALETTE[b.plugin % PALETTE.len()]
        );
        if let Some((cx, y1, y2, cap)) = b.whisker {
            let _ = write!(
                s,
                "<path class=\"whisker\" d=\"M{cx:.1} {y1:.1}V{y2:.1}M{:.1} {y1:.1}H{:.1}M{:.1} {y2:.1}H{:.1}\"/>",
                cx - cap,
                cx + cap,
                cx - cap,
                cx + cap
            );
        }
        s.push_str("</g>");
    }
    let y0 = l.y(0.0);
    let _ = write!(
        s,
        "<line x1=\"{}\" x2=\"{:.1}\" y1=\"{y0:.1}\" y2=\"{y0:.1}\" class=\"axis\"/></svg>",
        l.left,
        l.width - l.right
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart<'a>(plugins: Vec<&'a str>, values: Vec<Vec<Option<Value>>>) -> Chart<'a> {
        Chart {
            groups: (0..values.len()).map(|g| format!("g{g}")).collect(),
            plugins,
            values,
        }
    }

    fn v(f1: f64, lo: f64, hi: f64) -> Option<Value> {
        Some(Value {
            f1,
            ci: Some(Interval { low: lo, high: hi }),
        })
    }

    #[test]
    fn bars_grow_with_f1_and_stay_inside_their_group() {
        let c = chart(
            vec!["a", "b"],
            vec![vec![v(1.0, 0.9, 1.0), v(0.5, 0.4, 0.6)], vec![v(0.0, 0.0, 0.0), None]],
        );
        let l = layout(&c);
        assert_eq!(l.bars.len(), 3, "an absent value has no bar");
        let (full, half) = (&l.bars[0], &l.bars[1]);
        assert!((full.height - l.plot_height).abs() < 1e-9);
        assert!((half.height - l.plot_height / 2.0).abs() < 1e-9);
        assert!(full.x < half.x, "plugins in order within a group");
        let group_width = (l.width - l.left - l.right) / 2.0;
        for b in &l.bars {
            let g0 = l.left + b.group as f64 * group_width;
            assert!(b.x >= g0 && b.x + b.width <= g0 + group_width, "{b:?}");
            assert!(b.height >= 0.5, "a zero F1 still shows a sliver");
        }
        // The whisker spans the interval, the lower end lower on the page.
        let (_, y_low, y_high, _) = half.whisker.unwrap();
        assert!((y_low - l.y(0.4)).abs() < 1e-9 && (y_high - l.y(0.6)).abs() < 1e-9 && y_low > y_high);
    }

    #[test]
    fn long_legends_wrap_and_push_the_plot_down() {
        let short = layout(&chart(vec!["a"], vec![vec![v(0.5, 0.4, 0.6)]]));
        let names: Vec<String> = (0..12).map(|i| format!("a-rather-long-plugin-name-{i}")).collect();
        let many = layout(&chart(names.iter().map(String::as_str).collect(), vec![vec![None; 12]]));
        assert!(many.legend.iter().any(|i| i.y > short.legend[0].y), "rows wrap");
        assert!(many.top > short.top);
        assert!(many.legend.iter().all(|i| i.x + 17.0 < many.width));
    }
}
