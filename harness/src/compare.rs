//! What changed between two reports: ΔF1 per plugin × field with the paired
//! bootstrap interval and randomization p-value (articles paired by id), and
//! the mentions that flipped. A pure function from two report models to a
//! `Comparison` (a model type, rendered by `render::comparison`).

use crate::mention::MentionView;
use crate::report::{ArticleReport, Comparison, DeltaRow, Flip, FlipKind, PluginReport, Report};
use crate::score::{uncertainty, FindingKind};
use extractor_api::Field;
use std::collections::{BTreeMap, BTreeSet};

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

fn flips(new: &PluginReport, base: &PluginReport) -> Vec<Flip> {
    let mut out = Vec::new();
    let flip = |article: &str, field, kind, mention: &MentionView| Flip {
        plugin: new.name.clone(),
        article: article.to_string(),
        field,
        kind,
        mention: mention.clone(),
    };
    for (na, ba) in new.paired_with(base) {
        let (bg, ng) = (gold_found(ba), gold_found(na));
        for (k, (now, m)) in &ng {
            let before = bg.get(k).is_some_and(|(f, _)| *f);
            let kind = match (before, *now) {
                (true, false) => FlipKind::NewlyMissed,
                (false, true) => FlipKind::NewlyFound,
                _ => continue,
            };
            out.push(flip(&na.id, k.0, kind, m));
        }
        let (bs, ns) = (spurious(ba), spurious(na));
        let bk: BTreeSet<_> = bs.keys().collect();
        let nk: BTreeSet<_> = ns.keys().collect();
        for k in nk.difference(&bk) {
            out.push(flip(&na.id, k.0, FlipKind::NewlySpurious, &ns[*k]));
        }
        for k in bk.difference(&nk) {
            out.push(flip(&na.id, k.0, FlipKind::NoLongerSpurious, &bs[*k]));
        }
    }
    out.retain(|f| new.claims(f.field));
    out
}

pub fn compare(base_path: &str, base: &Report, new: &Report) -> Comparison {
    let mut rows = Vec::new();
    let mut all_flips = Vec::new();
    let resampling = new.meta.scoring.resampling;
    for np in &new.plugins {
        let Some(bp) = base.plugin(&np.name) else { continue };
        let pairs = np.paired_with(bp);
        for field in Field::ALL {
            if !np.fields.contains_key(&field) && !bp.fields.contains_key(&field) {
                continue; // neither run scores this field
            }
            let sn: Vec<_> = pairs.iter().map(|(a, _)| np.article_counts(a, Some(field))).collect();
            let sb: Vec<_> = pairs.iter().map(|(_, b)| bp.article_counts(b, Some(field))).collect();
            let test = uncertainty::paired(&sn, &sb, |s| s.value.headline().f1, &resampling);
            rows.push(DeltaRow {
                plugin: np.name.clone(),
                field,
                base_f1: bp.fields.get(&field).and_then(|s| s.headline.f1),
                new_f1: np.fields.get(&field).and_then(|s| s.headline.f1),
                test,
            });
        }
        all_flips.extend(flips(np, bp));
    }
    let names = |r: &Report| r.plugins.iter().map(|p| p.name.clone()).collect::<BTreeSet<_>>();
    let (bn, nn) = (names(base), names(new));
    Comparison {
        base: base_path.to_string(),
        rows,
        flips: all_flips,
        only_in_base: bn.difference(&nn).cloned().collect(),
        only_in_new: nn.difference(&bn).cloned().collect(),
    }
}
