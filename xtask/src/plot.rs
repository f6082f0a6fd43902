//! A dependency-free SVG line chart for scaling benchmarks: log10 x and y
//! axes with decade gridlines, one line with markers per series, a legend,
//! and a dashed slope-1 ("linear") reference line.

use std::fmt::Write;

/// One line of the chart: `(x, y)` points, e.g. (articles, seconds).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 420.0;
const LEFT: f64 = 76.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 48.0;
const BOTTOM: f64 = 58.0;
const FONT: &str =
    "system-ui, -apple-system, 'Segoe UI', 'Helvetica Neue', Helvetica, Arial, 'DejaVu Sans', sans-serif";
/// Colour-blind-friendly (Okabe-Ito), strong enough on white.
const COLORS: [&str; 7] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
];

/// Escapes text for XML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `10^e` for an x tick: 1, 10, 100, 1k, ... 100M, 1G, ... and 0.1, 0.01 below 1.
fn x_tick(e: i32) -> String {
    match e {
        e if e < 0 => decimal(e),
        0..=2 => format!("{}", 10u64.pow(e as u32)),
        3..=5 => format!("{}k", 10u64.pow(e as u32 - 3)),
        6..=8 => format!("{}M", 10u64.pow(e as u32 - 6)),
        9..=11 => format!("{}G", 10u64.pow(e as u32 - 9)),
        e => format!("1e{e}"),
    }
}

/// `10^e` seconds for a y tick: 0.001 s ... 1 s ... 1000 s, exponents beyond.
fn y_tick(e: i32) -> String {
    match e {
        -3..=-1 => format!("{} s", decimal(e)),
        0..=3 => format!("{} s", 10u64.pow(e as u32)),
        e => format!("1e{e} s"),
    }
}

/// `10^e` for negative `e` as a plain decimal ("0.01").
fn decimal(e: i32) -> String {
    format!("0.{}1", "0".repeat((-e - 1) as usize))
}

/// The decade range `[lo, hi]` (exponents, `lo < hi`) that holds `values`.
fn decades(values: impl Iterator<Item = f64>) -> (i32, i32) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v.log10());
        hi = hi.max(v.log10());
    }
    if !lo.is_finite() {
        return (0, 1);
    }
    // A tiny epsilon keeps an exact power of ten on its own decade line.
    let lo = (lo + 1e-9).floor() as i32;
    let hi = ((hi - 1e-9).ceil() as i32).max(lo + 1);
    (lo, hi)
}

/// Approximate width of `s` in px at `size` px (sans-serif averages ~0.56 em).
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.56
}

/// Renders the chart. The x axis is any positive quantity (labels 1k, 10k,
/// ...), the y axis is seconds (labels 0.01 s, 0.1 s, 1 s, ...). Points that
/// are not positive and finite cannot be drawn on log axes and are skipped;
/// the rest of each series is drawn in x order.
pub fn scaling_svg(title: &str, x_label: &str, y_label: &str, series: &[Series]) -> String {
    let drawable: Vec<(&str, Vec<(f64, f64)>)> = series
        .iter()
        .map(|s| {
            let mut pts: Vec<(f64, f64)> = s
                .points
                .iter()
                .copied()
                .filter(|&(x, y)| x.is_finite() && y.is_finite() && x > 0.0 && y > 0.0)
                .collect();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            (s.name.as_str(), pts)
        })
        .collect();
    let all = || drawable.iter().flat_map(|(_, p)| p.iter().copied());
    let (x_lo, x_hi) = decades(all().map(|p| p.0));
    let (y_lo, y_hi) = decades(all().map(|p| p.1));

    let (px0, px1) = (LEFT, WIDTH - RIGHT);
    let (py0, py1) = (TOP, HEIGHT - BOTTOM);
    let sx = |lx: f64| px0 + (lx - x_lo as f64) / (x_hi - x_lo) as f64 * (px1 - px0);
    let sy = |ly: f64| py1 - (ly - y_lo as f64) / (y_hi - y_lo) as f64 * (py1 - py0);

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{}" font-size="12" role="img">"#,
        esc(FONT)
    );
    let _ = writeln!(svg, "<title>{}</title>", esc(title));
    let _ = writeln!(svg, r##"<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##);
    let _ = writeln!(
        svg,
        r##"<text x="{px0}" y="28" font-size="16" font-weight="600" fill="#222222">{}</text>"##,
        esc(title)
    );

    // Grid: minor lines at 2..9 x 10^k, decade lines and labels at 10^k.
    svg.push_str(r##"<g stroke="#eeeeee" stroke-width="1">"##);
    for e in x_lo..x_hi {
        for m in 2..10 {
            let x = sx(e as f64 + (m as f64).log10());
            let _ = write!(svg, r#"<line x1="{x:.1}" y1="{py0}" x2="{x:.1}" y2="{py1}"/>"#);
        }
    }
    for e in y_lo..y_hi {
        for m in 2..10 {
            let y = sy(e as f64 + (m as f64).log10());
            let _ = write!(svg, r#"<line x1="{px0}" y1="{y:.1}" x2="{px1}" y2="{y:.1}"/>"#);
        }
    }
    svg.push_str("</g>\n");
    let x_step = ((x_hi - x_lo) as usize).div_ceil(10).max(1);
    let y_step = ((y_hi - y_lo) as usize).div_ceil(8).max(1);
    svg.push_str(r##"<g stroke="#d0d0d0" stroke-width="1">"##);
    for e in x_lo..=x_hi {
        let x = sx(e as f64);
        let _ = write!(svg, r#"<line x1="{x:.1}" y1="{py0}" x2="{x:.1}" y2="{py1}"/>"#);
    }
    for e in y_lo..=y_hi {
        let y = sy(e as f64);
        let _ = write!(svg, r#"<line x1="{px0}" y1="{y:.1}" x2="{px1}" y2="{y:.1}"/>"#);
    }
    svg.push_str("</g>\n");
    svg.push_str(r##"<g fill="#555555">"##);
    for e in (x_lo..=x_hi).step_by(x_step) {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            sx(e as f64),
            py1 + 18.0,
            esc(&x_tick(e))
        );
    }
    for e in (y_lo..=y_hi).step_by(y_step) {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" dy="0.35em">{}</text>"#,
            px0 - 8.0,
            sy(e as f64),
            esc(&y_tick(e))
        );
    }
    svg.push_str("</g>\n");
    let _ = writeln!(
        svg,
        r##"<rect x="{px0}" y="{py0}" width="{:.1}" height="{:.1}" fill="none" stroke="#999999"/>"##,
        px1 - px0,
        py1 - py0
    );
    let _ = writeln!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="13" fill="#333333">{}</text>"##,
        (px0 + px1) / 2.0,
        HEIGHT - 16.0,
        esc(x_label)
    );
    let (lx, ly) = (18.0, (py0 + py1) / 2.0);
    let _ = writeln!(
        svg,
        r##"<text x="{lx}" y="{ly:.1}" transform="rotate(-90 {lx} {ly:.1})" text-anchor="middle" dy="0.35em" font-size="13" fill="#333333">{}</text>"##,
        esc(y_label)
    );

    // The linear reference: y = y0 * x / x0, clipped to the plot area.
    let first = drawable.first().and_then(|(_, p)| p.first().copied());
    if let Some((x0, y0)) = first {
        let c = y0.log10() - x0.log10();
        let a = (x_lo as f64).max(y_lo as f64 - c);
        let b = (x_hi as f64).min(y_hi as f64 - c);
        if a < b {
            let _ = writeln!(
                svg,
                r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#888888" stroke-width="1.5" stroke-dasharray="6 4"/>"##,
                sx(a),
                sy(a + c),
                sx(b),
                sy(b + c)
            );
        }
    }

    for (i, (_, pts)) in drawable.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        if pts.len() > 1 {
            let path: Vec<String> = pts
                .iter()
                .map(|&(x, y)| format!("{:.1},{:.1}", sx(x.log10()), sy(y.log10())))
                .collect();
            let _ = writeln!(
                svg,
                r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2" stroke-linejoin="round"/>"#,
                path.join(" ")
            );
        }
        svg.push_str(&format!(r#"<g fill="{color}" stroke="white" stroke-width="1">"#));
        for &(x, y) in pts {
            svg.push_str(&marker(i, sx(x.log10()), sy(y.log10())));
        }
        svg.push_str("</g>\n");
    }

    // Legend: in the inside corner the lines cross least (top left first, as
    // scaling lines rise to the right).
    let mut entries: Vec<(Option<usize>, &str)> =
        drawable.iter().enumerate().map(|(i, (n, _))| (Some(i), *n)).collect();
    if first.is_some() {
        entries.push((None, "linear (slope 1)"));
    }
    if !entries.is_empty() {
        let row = 18.0;
        let w = 44.0 + entries.iter().map(|(_, n)| text_width(n, 12.0)).fold(0.0, f64::max);
        let h = 10.0 + row * entries.len() as f64;
        let screen: Vec<Vec<(f64, f64)>> = drawable
            .iter()
            .map(|(_, p)| p.iter().map(|&(x, y)| (sx(x.log10()), sy(y.log10()))).collect())
            .collect();
        let corners = [
            (px0 + 10.0, py0 + 10.0),
            (px1 - 10.0 - w, py1 - 10.0 - h),
            (px1 - 10.0 - w, py0 + 10.0),
            (px0 + 10.0, py1 - 10.0 - h),
        ];
        let (bx, by) = corners
            .into_iter()
            .min_by_key(|&(bx, by)| crossings(&screen, bx, by, w, h))
            .expect("four corners");
        let _ = writeln!(
            svg,
            r##"<rect x="{bx}" y="{by}" width="{w:.1}" height="{h:.1}" rx="3" fill="#ffffff" fill-opacity="0.9" stroke="#cccccc"/>"##
        );
        for (k, (idx, name)) in entries.iter().enumerate() {
            let y = by + 5.0 + row * (k as f64 + 0.5);
            let (x1, x2) = (bx + 8.0, bx + 30.0);
            match idx {
                Some(i) => {
                    let color = COLORS[i % COLORS.len()];
                    let _ = write!(
                        svg,
                        r#"<line x1="{x1}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="{color}" stroke-width="2"/><g fill="{color}" stroke="white" stroke-width="1">{}</g>"#,
                        marker(*i, (x1 + x2) / 2.0, y)
                    );
                }
                None => {
                    let _ = write!(
                        svg,
                        r##"<line x1="{x1}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="#888888" stroke-width="1.5" stroke-dasharray="6 4"/>"##
                    );
                }
            }
            let _ = writeln!(
                svg,
                r##"<text x="{}" y="{y:.1}" dy="0.35em" fill="#222222">{}</text>"##,
                x2 + 6.0,
                esc(name)
            );
        }
    } else {
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#888888">no data</text>"##,
            (px0 + px1) / 2.0,
            (py0 + py1) / 2.0
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// How much of the drawn lines (sampled along each segment) falls inside
/// the box at `(bx, by)` of size `w` x `h`, with a small margin.
fn crossings(lines: &[Vec<(f64, f64)>], bx: f64, by: f64, w: f64, h: f64) -> usize {
    let inside = |(x, y): (f64, f64)| x >= bx - 6.0 && x <= bx + w + 6.0 && y >= by - 6.0 && y <= by + h + 6.0;
    let mut n = 0;
    for pts in lines {
        n += pts.iter().filter(|&&p| inside(p)).count() * 10;
        for seg in pts.windows(2) {
            let ((x0, y0), (x1, y1)) = (seg[0], seg[1]);
            n += (1..40)
                .map(|k| k as f64 / 40.0)
                .filter(|t| inside((x0 + t * (x1 - x0), y0 + t * (y1 - y0))))
                .count();
        }
    }
    n
}

/// Marker `i` (circle, square, triangle, diamond, ...) centred at `(x, y)`.
fn marker(i: usize, x: f64, y: f64) -> String {
    match i % 4 {
        0 => format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="4.5"/>"#),
        1 => format!(r#"<rect x="{:.1}" y="{:.1}" width="8" height="8"/>"#, x - 4.0, y - 4.0),
        2 => format!(
            r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}"/>"#,
            x,
            y - 5.5,
            x + 5.0,
            y + 4.0,
            x - 5.0,
            y + 4.0
        ),
        _ => format!(
            r#"<polygon points="{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}"/>"#,
            y - 5.5,
            x + 5.5,
            y + 5.5,
            x - 5.5
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tags balance: every `<name ...>` has its `</name>`, `<.../>` closes
    /// itself, and no `<` or `&` is left unescaped in text.
    fn balanced(svg: &str) -> bool {
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            if rest[..open].contains('>') {
                return false;
            }
            let Some(close) = rest[open..].find('>') else {
                return false;
            };
            let tag = &rest[open + 1..open + close];
            rest = &rest[open + close + 1..];
            if tag.contains('<') {
                return false;
            }
            if let Some(name) = tag.strip_prefix('/') {
                if stack.pop() != Some(name.trim()) {
                    return false;
                }
            } else if !tag.ends_with('/') && !tag.starts_with('?') && !tag.starts_with('!') {
                stack.push(tag.split_whitespace().next().unwrap_or(""));
            }
        }
        stack.is_empty() && !rest.contains('>')
    }

    fn entities_ok(svg: &str) -> bool {
        svg.match_indices('&').all(|(i, _)| {
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| svg[i..].starts_with(e))
        })
    }

    fn s(name: &str, points: &[(f64, f64)]) -> Series {
        Series {
            name: name.into(),
            points: points.to_vec(),
        }
    }

    #[test]
    fn well_formed_with_every_series_name_escaped() {
        let svg = scaling_svg(
            "Scoring time <&> \"articles\"",
            "articles",
            "seconds",
            &[
                s("harness", &[(1e3, 0.02), (1e4, 0.19), (1e5, 2.1)]),
                s("nervaluate <1.2> & co", &[(1e3, 0.3), (1e4, 3.2), (1e5, 33.0)]),
            ],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(balanced(&svg), "{svg}");
        assert!(entities_ok(&svg));
        assert!(svg.contains(">harness<"));
        assert!(svg.contains("nervaluate &lt;1.2&gt; &amp; co"));
        assert!(svg.contains("Scoring time &lt;&amp;&gt; &quot;articles&quot;"));
        for label in [
            ">1k<", ">10k<", ">100k<", ">0.01 s<", ">0.1 s<", ">1 s<", ">10 s<", ">100 s<",
        ] {
            assert!(svg.contains(label), "{label}");
        }
        assert!(svg.contains("stroke-dasharray"), "the linear reference");
        assert_eq!(svg.matches("<polyline").count(), 2);
    }

    #[test]
    fn single_point_and_non_positive_values() {
        let svg = scaling_svg("one", "x", "y", &[s("solo", &[(500.0, 0.5)])]);
        assert!(balanced(&svg) && svg.contains(">solo<"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert_eq!(svg.matches("<circle").count(), 2, "the point and its legend marker");

        let svg = scaling_svg(
            "mixed",
            "x",
            "y",
            &[
                s(
                    "a",
                    &[
                        (0.0, 1.0),
                        (-5.0, 2.0),
                        (10.0, 0.0),
                        (100.0, 0.1),
                        (f64::NAN, 1.0),
                        (1000.0, 1.0),
                    ],
                ),
                s("nothing", &[(0.0, 0.0)]),
            ],
        );
        assert!(balanced(&svg) && svg.contains(">a<") && svg.contains(">nothing<"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert_eq!(svg.matches("<circle").count(), 3);

        let svg = scaling_svg("empty", "x", "y", &[]);
        assert!(balanced(&svg) && svg.contains("no data"));
    }

    #[test]
    fn tick_labels() {
        assert_eq!(x_tick(0), "1");
        assert_eq!(x_tick(3), "1k");
        assert_eq!(x_tick(5), "100k");
        assert_eq!(x_tick(6), "1M");
        assert_eq!(x_tick(-2), "0.01");
        assert_eq!(y_tick(-2), "0.01 s");
        assert_eq!(y_tick(0), "1 s");
        assert_eq!(y_tick(-5), "1e-5 s");
        assert_eq!(decades([1000.0, 100000.0].into_iter()), (3, 5));
        assert_eq!(decades([0.5].into_iter()), (-1, 0));
        assert_eq!(decades([2.0, 3.0].into_iter()), (0, 1));
    }
}
