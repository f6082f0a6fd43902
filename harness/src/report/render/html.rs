//! The self-contained HTML report: one file, inline CSS, a small inline
//! script and an embedded JSON data block; nothing is fetched from anywhere.
//! Sections: run metadata, the plugin × field matrix, an F1 bar chart with
//! CI whiskers (inline SVG), secondary metrics, a per-article heat map,
//! paired significance, and an error browser that highlights findings in the
//! article text. Every ratio shown comes from the model or from its counts'
//! methods; nothing is averaged here.

use super::{interval, num, Renderer};
use crate::report::model::{CheckStatus, PluginReport, Report};
use crate::score::{FindingKind, Scheme};
use extractor_api::Field;
use std::fmt::Write;

pub struct Html;

impl Renderer for Html {
    fn render(&self, report: &Report) -> String {
        render(report)
    }
}

pub use super::escape;

const KINDS: [FindingKind; 5] = [
    FindingKind::Correct,
    FindingKind::Boundary,
    FindingKind::WrongValue,
    FindingKind::Missed,
    FindingKind::Spurious,
];

/// Categorical colours for plugins (bars and legend).
const PALETTE: [&str; 8] = [
    "#4263eb", "#f08c00", "#2b8a3e", "#ae3ec9", "#1098ad", "#e8590c", "#5c940d", "#d6336c",
];

/// Red (0) → amber (0.5) → green (1) cell background; grey when undefined.
fn heat(f1: Option<f64>) -> String {
    match f1 {
        Some(v) => format!(
            "background:hsl({:.0},68%,{:.0}%)",
            120.0 * v.clamp(0.0, 1.0),
            84.0 - 6.0 * v.clamp(0.0, 1.0)
        ),
        None => "background:#f1f3f5;color:#868e96".into(),
    }
}

fn short(s: &str, n: usize) -> &str {
    s.get(..n).unwrap_or(s)
}

pub fn render(r: &Report) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Extraction report · {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        escape(short(&r.meta.gold.sha256, 12))
    );
    s.push_str(
        "<nav><b>Extraction report</b><a href=\"#matrix\">Matrix</a><a href=\"#chart\">Chart</a>\
         <a href=\"#metrics\">Metrics</a><a href=\"#heatmap\">Per article</a><a href=\"#pairwise\">Pairwise</a>\
         <a href=\"#browser\">Error browser</a></nav>\n<main>\n",
    );
    header(&mut s, r);
    matrix(&mut s, r);
    chart(&mut s, r);
    metrics(&mut s, r);
    heatmap(&mut s, r);
    pairwise(&mut s, r);
    browser(&mut s);
    let _ = write!(
        s,
        "</main>\n<script type=\"application/json\" id=\"data\">{}</script>\n<script>{JS}</script>\n</body>\n</html>\n",
        data_json(r)
    );
    s
}

fn header(s: &mut String, r: &Report) {
    let m = &r.meta;
    let rs = &m.scoring.resampling;
    let commit = m.git_commit.as_deref().map_or("unknown".to_string(), |c| {
        format!(
            "{}{}",
            short(c, 12),
            if m.git_dirty == Some(true) { " (dirty)" } else { "" }
        )
    });
    let _ = write!(s, "<header><h1>Extraction quality</h1><p class=\"sub\">Span + value F1 (overlapping span, right normalized value) with 95% bootstrap intervals over articles.</p>");
    if let Some(g) = &r.gate {
        let failed = g.checks.iter().filter(|c| c.status != CheckStatus::Pass).count();
        let _ = write!(
            s,
            "<p class=\"gate {}\">Gate {} · {failed} of {} checks not passing{}</p>",
            if g.passed { "pass" } else { "fail" },
            if g.passed { "passed" } else { "FAILED" },
            g.checks.len(),
            g.baseline
                .as_ref()
                .map_or(String::new(), |b| format!(" · baseline {}", escape(b)))
        );
    }
    s.push_str("<dl class=\"meta\">");
    let items: [(&str, String, String); 8] = [
        (
            "gold",
            short(&m.gold.sha256, 16).into(),
            format!("{} · {}", m.gold.sha256, m.gold.dir),
        ),
        ("articles", m.gold.articles.len().to_string(), String::new()),
        ("harness", m.harness_version.clone(), m.command.clone()),
        ("commit", commit, m.git_commit.clone().unwrap_or_default()),
        ("seed", rs.seed.to_string(), String::new()),
        (
            "resamples / trials",
            format!("{} / {}", rs.resamples, rs.trials),
            String::new(),
        ),
        (
            "min overlap",
            format!("{}", m.scoring.matching.min_overlap),
            "intersection over union".into(),
        ),
        ("started", m.started_at.clone(), format!("{} ms", m.duration_ms)),
    ];
    for (k, v, t) in items {
        let _ = write!(
            s,
            "<div><dt>{k}</dt><dd title=\"{}\">{}</dd></div>",
            escape(&t),
            escape(&v)
        );
    }
    s.push_str("</dl></header>\n");
}

fn matrix(s: &mut String, r: &Report) {
    s.push_str("<section id=\"matrix\"><h2>Plugins × fields</h2><table class=\"matrix\"><thead><tr><th>plugin</th>");
    for f in Field::ALL {
        let _ = write!(s, "<th>{f}</th>");
    }
    s.push_str("<th>overall (micro)</th></tr></thead><tbody>\n");
    for p in &r.plugins {
        let _ = write!(s, "<tr><th class=\"pname\">{}", escape(&p.name));
        if let Some(i) = &p.info {
            let ver = if i.version.is_empty() {
                String::new()
            } else {
                format!(" {}", i.version)
            };
            let _ = write!(
                s,
                "<small title=\"{} · {}\">{}{}</small>",
                escape(&i.abi),
                escape(&i.target),
                escape(&i.kind),
                escape(&ver)
            );
        }
        if let Some(speed) = super::speed(p.timing.as_ref()) {
            let _ = write!(s, "<small>{}</small>", escape(&speed));
        }
        if p.load_error.is_none() {
            let _ = write!(s, "<small>macro F1 {}</small>", num(p.macro_f1));
        }
        s.push_str("</th>");
        if let Some(e) = &p.load_error {
            let _ = writeln!(
                s,
                "<td colspan=\"5\" class=\"loaderr\">load failed: {}</td></tr>",
                escape(e)
            );
            continue;
        }
        for fs in Field::ALL.iter().map(|f| p.fields.get(f)).chain([Some(&p.overall)]) {
            let Some(fs) = fs else {
                s.push_str("<td class=\"cell na\" title=\"the plugin does not claim this field\">not claimed</td>");
                continue;
            };
            if fs.headline.f1.is_none() {
                s.push_str("<td class=\"cell na\" title=\"no gold mention and no prediction\"><b>—</b><span class=\"pr\">nothing to score</span></td>");
                continue;
            }
            let _ = write!(
                s,
                "<td class=\"cell\" style=\"{}\" title=\"TP {} · FP {} · FN {}\"><b>{}</b><span class=\"ci\">{}</span><span class=\"pr\">P {} · R {}</span></td>",
                heat(fs.headline.f1),
                fs.tp,
                fs.fp,
                fs.fn_,
                num(fs.headline.f1),
                interval(fs.headline_ci),
                num(fs.headline.precision),
                num(fs.headline.recall)
            );
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n");
    let failed: Vec<_> = r
        .plugins
        .iter()
        .flat_map(|p| p.failed_articles().map(move |a| (p, a)))
        .collect();
    if !failed.is_empty() {
        let _ = write!(
            s,
            "<details class=\"errors\" {}><summary>{} failed plugin call(s) — their gold mentions count as missed</summary><table><thead><tr><th>plugin</th><th>article</th><th>error</th></tr></thead><tbody>",
            if failed.len() <= 20 { "open" } else { "" },
            failed.len()
        );
        for (p, a) in failed {
            let e = a.error.as_ref().map(ToString::to_string).unwrap_or_default();
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td class=\"mono\">{}</td></tr>",
                escape(&p.name),
                escape(&a.id),
                escape(&e)
            );
        }
        s.push_str("</tbody></table></details>\n");
    }
    s.push_str("</section>\n");
}

/// Grouped bar chart: per field (and overall) one bar per loaded plugin, with
/// whiskers from the bootstrap interval.
fn chart(s: &mut String, r: &Report) {
    s.push_str("<section id=\"chart\"><h2>F1 with 95% confidence intervals</h2>");
    let plugins: Vec<&PluginReport> = r.loaded().collect();
    if plugins.is_empty() {
        s.push_str("<p class=\"muted\">No plugin loaded.</p></section>\n");
        return;
    }
    let (w, left, right, bottom) = (1200.0_f64, 48.0, 12.0, 34.0);
    // Legend rows first: they set the top margin.
    let mut legend = String::new();
    let (mut x, mut y) = (left, 16.0);
    for (i, p) in plugins.iter().enumerate() {
        let width = 26.0 + 7.2 * p.name.chars().count() as f64;
        if x + width > w - right && x > left {
            x = left;
            y += 20.0;
        }
        let _ = write!(
            legend,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{y:.1}\" class=\"lg\">{}</text>",
            y - 10.0,
            PALETTE[i % PALETTE.len()],
            x + 17.0,
            escape(&p.name)
        );
        x += width + 14.0;
    }
    let top = y + 22.0;
    let ph = 260.0;
    let h = top + ph + bottom;
    let pw = w - left - right;
    let yof = |v: f64| top + (1.0 - v.clamp(0.0, 1.0)) * ph;
    let _ = write!(s, "<svg class=\"bars\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"F1 per field and plugin\">{legend}");
    for k in 0..=5 {
        let v = k as f64 / 5.0;
        let (x2, gy) = (w - right, yof(v));
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{x2:.1}\" y1=\"{gy:.1}\" y2=\"{gy:.1}\" class=\"grid\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"end\">{v:.1}</text>",
            left - 6.0,
            gy + 4.0
        );
    }
    let _ = write!(s, "<text transform=\"translate(13 {:.1}) rotate(-90)\" class=\"tick\" text-anchor=\"middle\">span + value F1</text>", top + ph / 2.0);
    let groups: Vec<(String, Option<Field>)> = Field::ALL
        .iter()
        .map(|f| (f.to_string(), Some(*f)))
        .chain([("overall".to_string(), None)])
        .collect();
    let gw = pw / groups.len() as f64;
    let bw = gw * 0.78 / plugins.len() as f64;
    for (g, (label, field)) in groups.iter().enumerate() {
        let gx = left + g as f64 * gw;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"xl\" text-anchor=\"middle\">{label}</text>",
            gx + gw / 2.0,
            top + ph + 22.0
        );
        for (i, p) in plugins.iter().enumerate() {
            let fs = match field {
                Some(f) => p.fields.get(f),
                None => Some(&p.overall),
            };
            let Some(v) = fs.and_then(|fs| fs.headline.f1) else {
                continue;
            };
            let fs = fs.expect("defined above");
            let bx = gx + gw * 0.11 + i as f64 * bw;
            let cx = bx + bw * 0.42;
            let _ = write!(
                s,
                "<g class=\"bar\"><title>{} · {label}: F1 {} {}</title><rect x=\"{bx:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
                escape(&p.name),
                num(Some(v)),
                interval(fs.headline_ci),
                yof(v),
                bw * 0.84,
                (yof(0.0) - yof(v)).max(0.5),
                PALETTE[i % PALETTE.len()]
            );
            if let Some(ci) = fs.headline_ci {
                let cap = (bw * 0.18).min(8.0);
                let (y1, y2) = (yof(ci.low), yof(ci.high));
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
    }
    let (x2, y0) = (w - right, yof(0.0));
    let _ = write!(
        s,
        "<line x1=\"{left}\" x2=\"{x2:.1}\" y1=\"{y0:.1}\" y2=\"{y0:.1}\" class=\"axis\"/></svg>\n</section>\n"
    );
}

fn metrics(s: &mut String, r: &Report) {
    s.push_str("<section id=\"metrics\"><h2>Other views</h2><p class=\"muted\">SemEval-2013 span schemes (all fields share one matching; F1), relaxed span F1 (TempEval-3), value accuracy on matched pairs, granularity-aware date accuracy, titles accuracy (officials), span-free value F1 with its 95% CI, and the mean of per-article F1.</p><table class=\"metrics\"><thead><tr><th>plugin</th><th>field</th>");
    for sc in Scheme::ALL {
        let _ = write!(s, "<th>{sc}</th>");
    }
    s.push_str("<th>relaxed</th><th>value acc.</th><th>lenient acc. (dates)</th><th>titles acc.</th><th>span-free F1</th><th>article-macro F1</th></tr></thead><tbody>\n");
    for p in r.loaded() {
        let rows: Vec<(Option<Field>, _)> = p
            .fields
            .iter()
            .map(|(f, fs)| (Some(*f), fs))
            .chain([(None, &p.overall)])
            .collect();
        for (k, (field, fs)) in rows.iter().enumerate() {
            let label = field.map_or("overall", Field::as_str);
            let lenient = if *field == Some(Field::Date) {
                fs.lenient_accuracy
            } else {
                None
            };
            s.push_str("<tr>");
            if k == 0 {
                let _ = write!(
                    s,
                    "<th rowspan=\"{}\" class=\"pname\">{}</th>",
                    rows.len(),
                    escape(&p.name)
                );
            }
            let _ = write!(s, "<td>{label}</td>");
            for sc in Scheme::ALL {
                let _ = write!(
                    s,
                    "<td class=\"n\">{}</td>",
                    num(fs.schemes.get(&sc).and_then(|x| x.f1))
                );
            }
            let _ = writeln!(
                s,
                "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} <small>{}</small></td><td class=\"n\">{}</td></tr>",
                num(fs.relaxed.f1),
                num(fs.value_accuracy),
                num(lenient),
                num(fs.titles_accuracy),
                num(fs.span_free.f1),
                interval(fs.span_free_ci),
                num(fs.macro_articles_f1)
            );
        }
    }
    s.push_str("</tbody></table></section>\n");
}

/// The heat map and the error browser show at most this many articles (the
/// first, in gold order), so the page stays usable for large corpora; every
/// article is in articles.csv and report.json.
const HTML_ARTICLES: usize = 500;

/// Rows articles; per loaded plugin one column group of fields plus "all".
/// Each cell is the article's headline F1, computed from its raw counts.
fn heatmap(s: &mut String, r: &Report) {
    let plugins: Vec<&PluginReport> = r.loaded().collect();
    s.push_str("<section id=\"heatmap\"><h2>Per-article F1</h2><p class=\"muted\">Span + value F1 of each article; hover for TP/FP/FN, click to open the article in the error browser. “—”: no gold and no prediction; “·”: field not claimed.</p>");
    if plugins.is_empty() {
        s.push_str("<p class=\"muted\">No plugin loaded.</p></section>\n");
        return;
    }
    s.push_str("<div class=\"scroll\"><table class=\"heat\"><thead><tr><th></th>");
    for p in &plugins {
        let _ = write!(s, "<th colspan=\"5\" class=\"grp\">{}</th>", escape(&p.name));
    }
    s.push_str("</tr><tr><th>article</th>");
    for _ in &plugins {
        for f in Field::ALL {
            let abbr = match f {
                Field::Date => "date",
                Field::Official => "off.",
                Field::Figure => "fig.",
                Field::Percentage => "pct",
            };
            let _ = write!(s, "<th class=\"fh\" title=\"{f}\">{abbr}</th>");
        }
        s.push_str("<th class=\"fh grpend\">all</th>");
    }
    s.push_str("</tr></thead><tbody>\n");
    let total = r.meta.gold.articles.len();
    for (row, info) in r.meta.gold.articles.iter().enumerate().take(HTML_ARTICLES) {
        let _ = write!(s, "<tr><th class=\"aid\">{}</th>", escape(&info.id));
        for (pi, p) in plugins.iter().enumerate() {
            let Some(a) = p.articles.get(row).filter(|a| a.id == info.id) else {
                s.push_str("<td colspan=\"5\" class=\"na grpend\">not run</td>");
                continue;
            };
            let cells = Field::ALL
                .map(Some)
                .into_iter()
                .chain([None])
                .map(|f| (f, (f.is_none_or(|f| p.claims(f))).then(|| p.article_counts(a, f))));
            for (f, c) in cells {
                let end = if f.is_none() { " grpend" } else { "" };
                let fname = f.map_or("", Field::as_str);
                let Some(c) = c else {
                    let _ = write!(s, "<td class=\"hc na{end}\">·</td>");
                    continue;
                };
                let v = c.value;
                let err = a
                    .error
                    .as_ref()
                    .map_or(String::new(), |e| format!(" · plugin error: {e}"));
                let _ = write!(
                    s,
                    "<td class=\"hc{end}{}\" style=\"{}\" data-p=\"{pi}\" data-a=\"{}\" data-f=\"{fname}\" title=\"{} · {} · {}: TP {} · FP {} · FN {}{}\">{}</td>",
                    if a.error.is_some() { " failed" } else { "" },
                    heat(v.headline().f1),
                    escape(&a.id),
                    escape(&p.name),
                    escape(&a.id),
                    f.map_or("all", Field::as_str),
                    v.tp(),
                    v.fp(),
                    v.fn_(),
                    escape(&err),
                    v.headline().f1.map_or("—".into(), |x| format!("{x:.2}"))
                );
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table></div>");
    if total > HTML_ARTICLES {
        let _ = write!(
            s,
            "<p class=\"muted\">Showing the first {HTML_ARTICLES} of {total} articles here and in the error browser; every article is in articles.csv and report.json.</p>"
        );
    }
    s.push_str("</section>\n");
}

fn pairwise(s: &mut String, r: &Report) {
    s.push_str("<section id=\"pairwise\"><h2>Pairwise significance</h2>");
    if r.pairwise.is_empty() {
        s.push_str("<p class=\"muted\">Paired tests need at least two loaded plugins.</p></section>\n");
        return;
    }
    s.push_str("<p class=\"muted\">ΔF1 = F1(A) − F1(B); paired bootstrap 95% CI over articles; p from paired approximate randomization (two-sided). Bold: p &lt; 0.05.</p><table class=\"pairs\"><thead><tr><th>A</th><th>B</th><th>field</th><th>F1 A</th><th>F1 B</th><th>ΔF1</th><th>95% CI</th><th>p</th></tr></thead><tbody>\n");
    for row in &r.pairwise {
        let t = &row.test;
        let _ = writeln!(
            s,
            "<tr{}><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n {}\">{:+.3}</td><td class=\"n\">{}</td><td class=\"n\">{:.4}</td></tr>",
            if t.p_value < 0.05 { " class=\"sig\"" } else { "" },
            escape(&row.a),
            escape(&row.b),
            row.field.map_or("overall", Field::as_str),
            num(row.f1_a),
            num(row.f1_b),
            if t.delta > 0.0 { "up" } else if t.delta < 0.0 { "down" } else { "" },
            t.delta,
            interval(t.delta_ci),
            t.p_value
        );
    }
    s.push_str("</tbody></table></section>\n");
}

fn browser(s: &mut String) {
    s.push_str("<section id=\"browser\"><h2>Error browser</h2><div class=\"controls\"><label>plugin <select id=\"b-plugin\"></select></label><label>field <select id=\"b-field\"><option value=\"\">all fields</option>");
    for f in Field::ALL {
        let _ = write!(s, "<option value=\"{f}\">{f}</option>");
    }
    s.push_str("</select></label><span class=\"kinds\">");
    for k in KINDS {
        let k = k.to_string();
        let _ = write!(s, "<label class=\"kind\"><input type=\"checkbox\" class=\"b-kind\" value=\"{k}\" checked><i class=\"sw\" style=\"--k:var(--{k})\"></i>{}</label>", k.replace('_', " "));
    }
    s.push_str("</span><label class=\"switch\"><input type=\"checkbox\" id=\"b-diff\"> show only differences</label></div><p class=\"muted\">Shaded: predicted span; underlined: gold span. Hover a highlight for field, gold and predicted values.</p><div id=\"b-out\"></div></section>\n");
}

/// Texts and findings for the browser. Findings of fields a plugin does not
/// claim are left out. Every `<` is written as `\u003c`, so the block can
/// never close its script element (this covers `</` and `<!--`).
fn data_json(r: &Report) -> String {
    let plugins: Vec<serde_json::Value> = r
        .loaded()
        .map(|p| {
            let articles: Vec<serde_json::Value> = p
                .articles
                .iter()
                .take(HTML_ARTICLES)
                .map(|a| {
                    let findings: Vec<_> = a.findings.iter().filter(|f| p.claims(f.field)).collect();
                    serde_json::json!({
                        "id": a.id,
                        "error": a.error.as_ref().map(ToString::to_string),
                        "findings": findings,
                    })
                })
                .collect();
            serde_json::json!({ "name": p.name, "articles": articles })
        })
        .collect();
    let texts: std::collections::BTreeMap<&str, &str> = r
        .meta
        .gold
        .articles
        .iter()
        .take(HTML_ARTICLES)
        .filter_map(|a| a.text.as_deref().map(|t| (a.id.as_str(), t)))
        .collect();
    let data = serde_json::json!({ "texts": texts, "plugins": plugins });
    serde_json::to_string(&data)
        .expect("report data serializes")
        .replace('<', "\\u003c")
}

const CSS: &str = r#"
:root{--correct:47,158,68;--boundary:240,140,0;--wrong_value:214,51,108;--missed:224,49,49;--spurious:95,61,196;
--fg:#212529;--muted:#6c757d;--line:#dee2e6;--bg:#f8f9fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:#fff}
nav{position:sticky;top:0;z-index:5;display:flex;gap:18px;align-items:center;padding:9px 28px;background:#212529;color:#fff}
nav a{color:#ced4da;text-decoration:none;font-size:13px}nav a:hover{color:#fff}
main{max-width:1280px;margin:0 auto;padding:8px 28px 60px}
h1{font-size:24px;margin:18px 0 2px}h2{font-size:18px;margin:34px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:14px;margin:0 0 8px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.sub,.muted{color:var(--muted)}.muted{font-size:13px}
.meta{display:flex;flex-wrap:wrap;gap:8px 28px;margin:14px 0 0;padding:12px 16px;background:var(--bg);border:1px solid var(--line);border-radius:8px}
.meta dt{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}.meta dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}
.gate{display:inline-block;padding:4px 10px;border-radius:6px;font-weight:600}.gate.pass{background:#d3f9d8;color:#2b8a3e}.gate.fail{background:#ffe3e3;color:#c92a2a}
table{border-collapse:collapse}th,td{padding:5px 9px;border:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--bg);font-weight:600;font-size:12.5px}
.n{text-align:right;font-variant-numeric:tabular-nums}.mono{font-family:ui-monospace,Menlo,monospace;font-size:12px}
.matrix{width:100%}.matrix td.cell{text-align:center;min-width:130px;font-variant-numeric:tabular-nums}
.matrix td.cell b{display:block;font-size:18px}.matrix .ci{display:block;font-size:11.5px;color:#343a40}.matrix .pr{display:block;font-size:11px;color:#495057}
.pname{white-space:nowrap}.pname small{display:block;font-weight:400;color:var(--muted);font-size:11px}
td.na{color:#adb5bd;background:#f8f9fa;text-align:center;font-style:italic}
.loaderr{background:#fff5f5;color:#c92a2a;font-family:ui-monospace,Menlo,monospace;font-size:12.5px}
details.errors{margin-top:12px}details.errors summary{cursor:pointer;color:#c92a2a;font-weight:600}details.errors table{margin-top:6px}
svg.bars{width:100%;height:auto;font-size:12px}svg .grid{stroke:#e9ecef}svg .axis{stroke:#495057}
svg .tick{fill:#495057;font-size:11px}svg .xl{fill:#212529;font-size:13px;font-weight:600}svg .lg{fill:#212529;font-size:12.5px}
svg .whisker{stroke:#212529;stroke-width:1.4;fill:none}svg .bar:hover rect{opacity:.8}
.metrics td,.pairs td{font-size:13px}.metrics small{color:var(--muted)}
.pairs tr.sig td{font-weight:600}.pairs .up{color:#2b8a3e}.pairs .down{color:#c92a2a}
.scroll{overflow-x:auto}.heat th,.heat td{padding:3px 6px;font-size:12px}.heat .grp{text-align:center}
.heat .fh{text-align:center;font-weight:500;color:var(--muted)}.heat .aid{font-family:ui-monospace,Menlo,monospace;font-weight:400;white-space:nowrap}
.heat td.hc{text-align:center;min-width:42px;cursor:pointer;font-variant-numeric:tabular-nums}.heat td.hc:hover{outline:2px solid #212529;outline-offset:-2px}
.heat td.failed{box-shadow:inset 0 0 0 2px #c92a2a}.heat .grpend{border-right:3px solid #adb5bd}
.controls{display:flex;flex-wrap:wrap;gap:10px 22px;align-items:center;padding:10px 14px;background:var(--bg);border:1px solid var(--line);border-radius:8px;position:sticky;top:38px;z-index:4}
.controls select{font:inherit;padding:2px 4px}.kinds{display:flex;gap:12px;flex-wrap:wrap}
.kind{display:flex;align-items:center;gap:5px;cursor:pointer}.sw{display:inline-block;width:14px;height:14px;border-radius:3px;background:rgba(var(--k),.3);border-bottom:3px solid rgb(var(--k))}
.switch{font-weight:600}.kind.off{opacity:.4}
.art{scroll-margin-top:110px;margin:16px 0;padding:12px 16px;border:1px solid var(--line);border-radius:8px}
.pill{font-size:11.5px;font-weight:500;padding:1px 8px;border-radius:10px;background:rgba(var(--k),.16);color:rgb(var(--k))}
.err{color:#c92a2a;font-size:13px;margin:0 0 8px}
.text{white-space:pre-wrap;font-size:14px;line-height:1.9;max-height:520px;overflow-y:auto;padding-right:6px}
mark.seg{color:inherit;border-radius:2px;padding:1px 0;cursor:help}
"#;

const JS: &str = r#"
(() => {
  const D = JSON.parse(document.getElementById('data').textContent);
  const KINDS = ['correct', 'boundary', 'wrong_value', 'missed', 'spurious'];
  const PRI = {wrong_value: 5, missed: 4, spurious: 3, boundary: 2, correct: 1};
  const $ = (s) => document.querySelector(s);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const sel = $('#b-plugin'), fsel = $('#b-field'), diff = $('#b-diff'), out = $('#b-out');
  D.plugins.forEach((p, i) => sel.add(new Option(p.name, i)));
  const fmt = (v) => v == null ? '—' : typeof v === 'string' ? v
    : 'name' in v ? v.name + (v.titles && v.titles.length ? ' [' + v.titles.join('; ') + ']' : ' []')
    : 'amount' in v ? v.amount.toLocaleString('en') + ' ' + v.unit
    : 'value' in v ? v.value + '%' : JSON.stringify(v);
  const side = (m) => m ? '"' + (m.text == null ? '' : m.text) + '" → ' + fmt(m.value) : '—';
  const tip = (f) => f.field + ' · ' + f.kind.replace('_', ' ') + '\ngold: ' + side(f.gold) + '\npred: ' + side(f.pred);
  const best = (xs) => xs.reduce((a, b) => (PRI[b.f.kind] > PRI[a.f.kind] ? b : a));

  // Split the text at every highlight boundary (code point offsets), so
  // overlapping findings never nest or break each other.
  function highlight(text, fs) {
    const cps = Array.from(text), n = cps.length, cuts = new Set([0, n]), spans = [];
    for (const f of fs) {
      for (const [m, gold] of [[f.gold, true], [f.pred, false]]) {
        if (!m || m.start == null || m.end == null) continue;
        const s = Math.max(0, Math.min(m.start, n)), e = Math.max(s, Math.min(m.end, n));
        if (s < e) { spans.push({s, e, gold, f}); cuts.add(s); cuts.add(e); }
      }
    }
    const pts = [...cuts].sort((a, b) => a - b), box = el('div', 'text');
    for (let i = 0; i + 1 < pts.length; i++) {
      const s = pts[i], e = pts[i + 1], t = cps.slice(s, e).join('');
      const cov = spans.filter((x) => x.s <= s && x.e >= e);
      if (!cov.length) { box.append(t); continue; }
      const g = cov.filter((x) => x.gold), p = cov.filter((x) => !x.gold);
      const m = el('mark', 'seg', t);
      m.style.background = p.length ? 'rgba(var(--' + best(p).f.kind + '),.30)' : 'rgba(var(--' + best(g).f.kind + '),.10)';
      if (g.length) m.style.borderBottom = '3px solid rgb(var(--' + best(g).f.kind + '))';
      m.dataset.kind = best(cov).f.kind;
      m.title = [...new Set(cov.map((x) => x.f))].map(tip).join('\n\n');
      box.append(m);
    }
    return box;
  }

  function render() {
    const p = D.plugins[sel.value];
    out.replaceChildren();
    if (!p) { out.append(el('p', 'muted', 'No plugin loaded.')); return; }
    const kinds = new Set([...document.querySelectorAll('.b-kind:checked')].map((c) => c.value));
    if (diff.checked) kinds.delete('correct');
    let hidden = 0;
    for (const a of p.articles) {
      const fs = a.findings.filter((f) => kinds.has(f.kind) && (!fsel.value || f.field === fsel.value));
      if (diff.checked && !fs.length && !a.error) { hidden++; continue; }
      const box = el('section', 'art'), h = el('h3', null, a.id), count = {};
      box.id = 'art-' + a.id;
      fs.forEach((f) => { count[f.kind] = (count[f.kind] || 0) + 1; });
      for (const k of KINDS) {
        if (!count[k]) continue;
        const pill = el('span', 'pill', count[k] + ' ' + k.replace('_', ' '));
        pill.style.setProperty('--k', 'var(--' + k + ')');
        h.append(pill);
      }
      box.append(h);
      if (a.error) box.append(el('p', 'err', 'plugin error: ' + a.error + ' (its gold mentions count as missed)'));
      const text = D.texts[a.id];
      if (text == null) {
        const ul = el('ul');
        fs.forEach((f) => ul.append(el('li', null, tip(f).replace(/\n/g, ' · '))));
        box.append(el('p', 'muted', 'Article text not in the report.'), ul);
      } else {
        box.append(highlight(text, fs));
      }
      out.append(box);
    }
    if (hidden) out.append(el('p', 'muted', hidden + ' article(s) with nothing to show hidden.'));
  }

  const correct = document.querySelector('.b-kind[value=correct]');
  const sync = () => { correct.disabled = diff.checked; correct.parentElement.classList.toggle('off', diff.checked); };
  diff.addEventListener('change', sync);
  sync();
  for (const c of [sel, fsel, diff, ...document.querySelectorAll('.b-kind')]) c.addEventListener('change', render);
  document.querySelector('table.heat')?.addEventListener('click', (ev) => {
    const td = ev.target.closest('td[data-a]');
    if (!td) return;
    sel.value = td.dataset.p;
    fsel.value = td.dataset.f;
    render();
    const target = document.getElementById('art-' + td.dataset.a);
    (target || $('#browser')).scrollIntoView({behavior: 'smooth', block: 'start'});
  });
  render();
})();
"#;
