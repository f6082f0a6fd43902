//! What changed between two reports: ΔF1 per plugin × field with the paired
//! bootstrap interval and randomization p-value (articles paired by id), and
//! the mentions that flipped.

use crate::report::build::field_series;
use crate::report::{ArticleReport, PluginReport, Report};
use crate::score::{uncertainty, FindingKind, MentionView, PairedTest};
use extractor_api::Field;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DeltaRow {
    pub plugin: String,
    pub field: Field,
    pub base_f1: Option<f64>,
    pub new_f1: Option<f64>,
    pub test: PairedTest,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum FlipKind {
    NewlyMissed,
    NewlyFound,
    NewlySpurious,
    NoLongerSpurious,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Flip {
    pub plugin: String,
    pub article: String,
    pub field: Field,
    pub kind: FlipKind,
    pub mention: MentionView,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Comparison {
    pub rows: Vec<DeltaRow>,
    pub flips: Vec<Flip>,
    /// Plugins only in one of the two reports.
    pub only_in_base: Vec<String>,
    pub only_in_new: Vec<String>,
}

/// Identity of a mention across two reports: field, offsets and value.
type MentionKey = (Field, Option<usize>, Option<usize>, String);

fn key(field: Field, m: &MentionView) -> MentionKey {
    (field, m.start, m.end, m.value.to_string())
}

fn gold_found(a: &ArticleReport) -> BTreeMap<MentionKey, (bool, MentionView)> {
    a.findings
        .iter()
        .filter_map(|f| {
            let g = f.gold.as_ref()?;
            let found = matches!(f.kind, FindingKind::Correct | FindingKind::Boundary);
            Some((key(f.field, g), (found, g.clone())))
        })
        .collect()
}

fn spurious(a: &ArticleReport) -> BTreeMap<MentionKey, MentionView> {
    a.findings
        .iter()
        .filter(|f| f.kind == FindingKind::Spurious)
        .filter_map(|f| f.pred.as_ref().map(|p| (key(f.field, p), p.clone())))
        .collect()
}

fn flips(plugin: &str, base: &PluginReport, new: &PluginReport) -> Vec<Flip> {
    let base_articles: BTreeMap<&str, &ArticleReport> = base.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut out = Vec::new();
    for na in &new.articles {
        let Some(ba) = base_articles.get(na.id.as_str()) else {
            continue;
        };
        let (bg, ng) = (gold_found(ba), gold_found(na));
        for (k, (now, m)) in &ng {
            let before = bg.get(k).map(|(f, _)| *f).unwrap_or(false);
            let kind = match (before, *now) {
                (true, false) => FlipKind::NewlyMissed,
                (false, true) => FlipKind::NewlyFound,
                _ => continue,
            };
            out.push(Flip {
                plugin: plugin.into(),
                article: na.id.clone(),
                field: k.0,
                kind,
                mention: m.clone(),
            });
        }
        let (bs, ns) = (spurious(ba), spurious(na));
        let bk: BTreeSet<_> = bs.keys().collect();
        let nk: BTreeSet<_> = ns.keys().collect();
        for k in nk.difference(&bk) {
            out.push(Flip {
                plugin: plugin.into(),
                article: na.id.clone(),
                field: k.0,
                kind: FlipKind::NewlySpurious,
                mention: ns[*k].clone(),
            });
        }
        for k in bk.difference(&nk) {
            out.push(Flip {
                plugin: plugin.into(),
                article: na.id.clone(),
                field: k.0,
                kind: FlipKind::NoLongerSpurious,
                mention: bs[*k].clone(),
            });
        }
    }
    out
}

pub fn compare(base: &Report, new: &Report) -> Comparison {
    let mut rows = Vec::new();
    let mut all_flips = Vec::new();
    let resampling = new.meta.scoring.resampling;
    for np in &new.plugins {
        let Some(bp) = base.plugins.iter().find(|b| b.name == np.name) else {
            continue;
        };
        // Pair articles by id.
        let bmap: BTreeMap<&str, &ArticleReport> = bp.articles.iter().map(|a| (a.id.as_str(), a)).collect();
        let pairs: Vec<(&ArticleReport, &ArticleReport)> = np
            .articles
            .iter()
            .filter_map(|a| bmap.get(a.id.as_str()).map(|b| (*b, a)))
            .collect();
        let (ba, na): (Vec<ArticleReport>, Vec<ArticleReport>) =
            pairs.iter().map(|(b, n)| ((*b).clone(), (*n).clone())).unzip();
        for field in Field::ALL {
            if !np.fields.contains_key(&field) && !bp.fields.contains_key(&field) {
                continue; // neither run claims this field
            }
            let (sb, sn) = (field_series(&ba, Some(field)), field_series(&na, Some(field)));
            let test = uncertainty::paired(&sn, &sb, |s| s.value.headline().f1, &resampling);
            rows.push(DeltaRow {
                plugin: np.name.clone(),
                field,
                base_f1: bp.fields.get(&field).and_then(|s| s.headline.f1),
                new_f1: np.fields.get(&field).and_then(|s| s.headline.f1),
                test,
            });
        }
        all_flips.extend(flips(&np.name, bp, np));
    }
    let names = |r: &Report| r.plugins.iter().map(|p| p.name.clone()).collect::<BTreeSet<_>>();
    let (bn, nn) = (names(base), names(new));
    Comparison {
        rows,
        flips: all_flips,
        only_in_base: bn.difference(&nn).cloned().collect(),
        only_in_new: nn.difference(&bn).cloned().collect(),
    }
}

/// Human-readable rendering (stderr).
pub fn render(c: &Comparison) -> String {
    use std::fmt::Write;
    let num = crate::report::render::num;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<16} {:<11} {:>6} {:>6} {:>7}  {:<18} {:>7}",
        "plugin", "field", "base", "new", "ΔF1", "95% CI (Δ)", "p"
    );
    for r in &c.rows {
        let _ = writeln!(
            s,
            "{:<16} {:<11} {:>6} {:>6} {:>+7.3}  {:<18} {:>7.4}",
            r.plugin,
            r.field.as_str(),
            num(r.base_f1),
            num(r.new_f1),
            r.test.delta,
            crate::report::render::interval(r.test.delta_ci),
            r.test.p_value
        );
    }
    for name in &c.only_in_base {
        let _ = writeln!(s, "{name}: only in the base report");
    }
    for name in &c.only_in_new {
        let _ = writeln!(s, "{name}: new plugin (not in the base report)");
    }
    if !c.flips.is_empty() {
        let _ = writeln!(s, "\nflipped mentions:");
        for f in &c.flips {
            let kind = match f.kind {
                FlipKind::NewlyMissed => "newly missed",
                FlipKind::NewlyFound => "newly found",
                FlipKind::NewlySpurious => "newly spurious",
                FlipKind::NoLongerSpurious => "no longer spurious",
            };
            let _ = writeln!(
                s,
                "  {:<18} {} {} {} {}..{} {:?} = {}",
                kind,
                f.plugin,
                f.article,
                f.field.as_str(),
                f.mention.start.map_or("?".into(), |x| x.to_string()),
                f.mention.end.map_or("?".into(), |x| x.to_string()),
                f.mention.text.as_deref().unwrap_or(""),
                f.mention.value
            );
        }
    }
    s
}
