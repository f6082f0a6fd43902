//! The sections of the HTML report, each a function that appends its HTML
//! to the page. They read the model only: every number shown is a model
//! field or a model method's result.

use super::super::{interval, num, speed, text::escape};
use super::data::HTML_ARTICLES;
use crate::report::model::{CheckStatus, PluginReport, Report};
use crate::score::{FindingKind, Scheme};
use extractor_api::Field;
use std::fmt::Write;

const KINDS: [FindingKind; 5] = [
    FindingKind::Correct,
    FindingKind::Boundary,
    FindingKind::WrongValue,
    FindingKind::Missed,
    FindingKind::Spurious,
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

pub fn header(s: &mut String, r: &Report) {
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
    if let Some(sub) = &m.subset {
        let _ = write!(s, "<p class=\"sub\">Subset <b>{}</b> of the gold.</p>", escape(sub));
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

pub fn matrix(s: &mut String, r: &Report) {
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
        if let Some(speed) = speed(p.timing.as_ref()) {
            let _ = write!(s, "<small>{}</small>", escape(&speed));
        }
        if p.load_error.is_none() {
            let _ = write!(s, "<small>macro F1 {}</small>", num(p.macro_f1));
        }
        if let Some(u) = &p.usage {
            let cost = u.spent.cost_usd.map_or(String::new(), |c| format!("${c:.4} spent"));
            let per = u
                .cost_per_correct_usd
                .map_or(String::new(), |c| format!(" · ${c:.5} per correct mention"));
            let _ = write!(s, "<small>{}{}</small>", escape(&cost), escape(&per));
        }
        for w in &p.warnings {
            let _ = write!(s, "<small class=\"warn\">{}</small>", escape(w));
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

pub fn metrics(s: &mut String, r: &Report) {
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

/// Rows articles; per loaded plugin one column group of fields plus "all".
/// Each cell is the article's headline F1, computed from its raw counts.
pub fn heatmap(s: &mut String, r: &Report) {
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

pub fn pairwise(s: &mut String, r: &Report) {
    s.push_str("<section id=\"pairwise\"><h2>Pairwise significance</h2>");
    if r.pairwise.is_empty() {
        s.push_str("<p class=\"muted\">Paired tests need at least two loaded plugins.</p></section>\n");
        return;
    }
    s.push_str("<p class=\"muted\">ΔF1 = F1(A) − F1(B). <b>95% CI</b> and <b>p (bootstrap)</b> come from the same paired bootstrap over articles (resample articles, recompute both F1s), so they agree: the interval excludes 0 exactly when that p is below 0.05 (up to interpolation). <b>p (randomization)</b> is paired approximate randomization (swap the two systems' outputs per article at random): it asks whether the labels A and B matter at all, and on few articles can disagree with the interval. Bold rows: randomization p &lt; 0.05 (the gate's test).</p><table class=\"pairs\"><thead><tr><th>A</th><th>B</th><th>field</th><th>F1 A</th><th>F1 B</th><th>ΔF1</th><th>95% CI</th><th>p (bootstrap)</th><th>p (randomization)</th></tr></thead><tbody>\n");
    for row in &r.pairwise {
        let t = &row.test;
        let _ = writeln!(
            s,
            "<tr{}><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n {}\">{:+.3}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.4}</td></tr>",
            if t.p_value < 0.05 { " class=\"sig\"" } else { "" },
            escape(&row.a),
            escape(&row.b),
            row.field.map_or("overall", Field::as_str),
            num(row.f1_a),
            num(row.f1_b),
            if t.delta > 0.0 { "up" } else if t.delta < 0.0 { "down" } else { "" },
            t.delta,
            interval(t.delta_ci),
            t.p_bootstrap.map_or("—".into(), |p| format!("{p:.4}")),
            t.p_value
        );
    }
    s.push_str("</tbody></table></section>\n");
}

pub fn browser(s: &mut String) {
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

/// The gate's checks, each with its rule, threshold, value and reason.
pub fn gate(s: &mut String, r: &Report) {
    let Some(g) = &r.gate else { return };
    s.push_str("<section id=\"gate\"><h2>Gate</h2><p class=\"muted\">Each check: the plugin (and field), its status, the rule's floor and allowed drop, the F1 against the baseline's with the paired 95% CI and randomization p of the change, and why it failed.</p><table class=\"gatetab\"><thead><tr><th>plugin</th><th>field</th><th>status</th><th>F1</th><th>floor</th><th>baseline F1</th><th>allowed drop</th><th>ΔF1 95% CI</th><th>p</th><th>why</th></tr></thead><tbody>\n");
    let mut checks: Vec<_> = g.checks.iter().collect();
    checks.sort_by_key(|c| c.status == CheckStatus::Pass);
    for c in checks {
        let status = match c.status {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::Error => "error",
        };
        let _ = writeln!(
            s,
            "<tr class=\"st-{status}\"><td>{}</td><td>{}</td><td><b>{status}</b></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&c.plugin),
            c.field.map_or("(plugin)".to_string(), |f| f.to_string()),
            num(c.f1),
            num(c.min_f1),
            num(c.baseline_f1),
            num(c.max_drop),
            interval(c.delta_ci),
            c.p_value.map_or("—".into(), |p| format!("{p:.4}")),
            escape(&c.messages.join("; "))
        );
    }
    s.push_str("</tbody></table></section>\n");
}

/// Against `--baseline`: ΔF1 per plugin × field and the flipped mentions.
pub fn comparison(s: &mut String, r: &Report) {
    let Some(c) = &r.comparison else { return };
    let _ = writeln!(
        s,
        "<section id=\"changes\"><h2>Changes against the baseline</h2><p class=\"muted\">Baseline {}. ΔF1 = new − base, paired over the articles both reports have; 95% CI from the paired bootstrap, p from paired randomization.</p><table class=\"pairs\"><thead><tr><th>plugin</th><th>field</th><th>base</th><th>new</th><th>ΔF1</th><th>95% CI</th><th>p</th></tr></thead><tbody>",
        escape(&c.base)
    );
    for row in &c.rows {
        let t = &row.test;
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n {}\">{:+.3}</td><td class=\"n\">{}</td><td class=\"n\">{:.4}</td></tr>",
            escape(&row.plugin),
            row.field,
            num(row.base_f1),
            num(row.new_f1),
            if t.delta > 0.0 { "up" } else if t.delta < 0.0 { "down" } else { "" },
            t.delta,
            interval(t.delta_ci),
            t.p_value
        );
    }
    s.push_str("</tbody></table>");
    for name in &c.only_in_base {
        let _ = write!(
            s,
            "<p class=\"err\">{}: in the baseline, not in this run.</p>",
            escape(name)
        );
    }
    for name in &c.only_in_new {
        let _ = write!(s, "<p class=\"muted\">{}: new (not in the baseline).</p>", escape(name));
    }
    if !c.flips.is_empty() {
        let _ = write!(
            s,
            "<details open><summary>{} flipped mention(s)</summary><table><thead><tr><th>change</th><th>plugin</th><th>article</th><th>field</th><th>span</th><th>text</th><th>value</th></tr></thead><tbody>",
            c.flips.len()
        );
        for f in &c.flips {
            let kind = f.kind.label();
            let span = match (f.mention.start, f.mention.end) {
                (Some(a), Some(b)) => format!("{a}..{b}"),
                _ => "—".into(),
            };
            let _ = write!(
                s,
                "<tr><td>{kind}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{span}</td><td>{}</td><td class=\"mono\">{}</td></tr>",
                escape(&f.plugin),
                escape(&f.article),
                f.field,
                escape(f.mention.text.as_deref().unwrap_or("")),
                escape(&f.mention.value.to_string())
            );
        }
        s.push_str("</tbody></table></details>");
    }
    s.push_str("</section>\n");
}

/// Gold field × predicted field per plugin (field-blind overlap pairs).
pub fn confusion(s: &mut String, r: &Report) {
    s.push_str("<section id=\"confusion\"><h2>Confusion between fields</h2><p class=\"muted\">Rows: the gold mention's field; columns: the field of the prediction it overlaps (the partial scheme's field-blind matching), then gold mentions no prediction overlaps, and predictions that overlap no gold mention. Off-diagonal cells are mentions found with the wrong field.</p><div class=\"confusions\">");
    for p in r.loaded() {
        let m = &p.confusion;
        let _ = write!(
            s,
            "<table class=\"conf\"><caption>{}</caption><thead><tr><th>gold \\ predicted</th>",
            escape(&p.name)
        );
        for f in Field::ALL {
            let _ = write!(s, "<th>{f}</th>");
        }
        s.push_str("<th>missed</th></tr></thead><tbody>");
        for g in Field::ALL {
            let _ = write!(s, "<tr><th>{g}</th>");
            for f in Field::ALL {
                let n = m.pairs.get(&g).and_then(|row| row.get(&f)).copied().unwrap_or(0);
                let class = if f == g {
                    "diag"
                } else if n > 0 {
                    "off"
                } else {
                    ""
                };
                let _ = write!(s, "<td class=\"n {class}\">{n}</td>");
            }
            let _ = write!(
                s,
                "<td class=\"n\">{}</td></tr>",
                m.missed.get(&g).copied().unwrap_or(0)
            );
        }
        s.push_str("<tr><th>spurious</th>");
        for f in Field::ALL {
            let _ = write!(s, "<td class=\"n\">{}</td>", m.spurious.get(&f).copied().unwrap_or(0));
        }
        s.push_str("<td></td></tr></tbody></table>");
    }
    s.push_str("</div></section>\n");
}

/// Cost and repeats, for plugins that report usage or ran with --repeat.
pub fn llm(s: &mut String, r: &Report) {
    let with: Vec<&PluginReport> = r
        .loaded()
        .filter(|p| p.usage.is_some() || p.repeats.is_some())
        .collect();
    if with.is_empty() {
        return;
    }
    s.push_str("<section id=\"usage\"><h2>Cost and repeats</h2><p class=\"muted\">Tokens and cost as the plugins reported them: <b>spent</b> by calls made in this run, <b>saved</b> by answers taken from the cache (what they had cost). Cost per correct mention: the first repeat's cost over its span + value true positives. With --repeat, F1 of every repeat, its mean, range and standard deviation, and the share of predicted mentions that all repeats produced; the headline numbers are the first repeat's.</p><table><thead><tr><th>plugin</th><th>input tokens (spent / saved)</th><th>output tokens (spent / saved)</th><th>cost USD (spent / saved)</th><th>cost per correct mention</th><th>repeats</th><th>F1 mean [min, max] ± sd</th><th>agreement</th></tr></thead><tbody>\n");
    let pair = |a: Option<u64>, b: Option<u64>| {
        format!(
            "{} / {}",
            a.map_or("—".into(), |x| x.to_string()),
            b.map_or("—".into(), |x| x.to_string())
        )
    };
    let usd = |x: Option<f64>| x.map_or("—".into(), |v| format!("{v:.4}"));
    for p in with {
        let (u, rep) = (p.usage.unwrap_or_default(), p.repeats.as_ref());
        let spread = rep.map_or("—".into(), |r| {
            format!(
                "{} [{}, {}] ± {}",
                num(r.overall.mean),
                num(r.overall.min),
                num(r.overall.max),
                num(r.overall.sd)
            )
        });
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} / {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{spread}</td><td class=\"n\">{}</td></tr>",
            escape(&p.name),
            pair(u.spent.input_tokens, u.saved.input_tokens),
            pair(u.spent.output_tokens, u.saved.output_tokens),
            usd(u.spent.cost_usd),
            usd(u.saved.cost_usd),
            usd(u.cost_per_correct_usd),
            rep.map_or(1, |r| r.repeats),
            num(rep.and_then(|r| r.overall.agreement))
        );
    }
    s.push_str("</tbody></table></section>\n");
}
