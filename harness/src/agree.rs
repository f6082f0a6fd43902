//! Inter-annotator agreement between two annotations of the same articles
//! (`harness gold agree A B`). Pass B is matched against pass A with the
//! scorer's own optimal matching, so every figure here means what it means
//! in a report:
//!
//! - span F1, exact (same span and field: the strict scheme) and overlap
//!   (same field, overlapping: the relaxed span F1);
//! - span + value F1 (the headline), value accuracy on matched pairs, and
//!   titles accuracy for officials;
//! - Cohen's kappa on tokens: every token (a run of letters and digits, or
//!   one other non-space character) is labelled with the field of the
//!   mention covering it, or "none", in each annotation;
//! - ignore regions compared character by character;
//! - every disagreement, with both sides and the text around it.
//!
//! F1 is symmetric in A and B; "missed" means "in A only", "spurious" "in B
//! only". Ignore regions are not applied when matching (each side's mentions
//! are compared as labelled).

use crate::gold::GoldSet;
use crate::mention::{MentionView, PredMention, Span};
use crate::score::{score_article, FieldCounts, FindingKind, MatchConfig, Prf};
use extractor_api::Field;
use serde::Serialize;
use std::collections::BTreeMap;

/// Agreement on one field, or on all fields together.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldAgreement {
    pub a: u64,
    pub b: u64,
    pub exact_span: Prf,
    pub overlap_span: Prf,
    pub span_value: Prf,
    pub value_accuracy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub titles_accuracy: Option<f64>,
}

impl FieldAgreement {
    fn from_counts(c: &FieldCounts, official: bool) -> FieldAgreement {
        let v = c.value;
        FieldAgreement {
            a: v.gold,
            b: v.pred,
            exact_span: c.strict.prf(crate::score::Scheme::Strict),
            overlap_span: v.relaxed(),
            span_value: v.headline(),
            value_accuracy: v.accuracy(),
            titles_accuracy: if official { v.titles_accuracy() } else { None },
        }
    }
}

/// Ignore regions compared character by character.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct IgnoreAgreement {
    pub regions_a: usize,
    pub regions_b: usize,
    pub chars_both: usize,
    pub chars_a_only: usize,
    pub chars_b_only: usize,
}

/// One mention the two annotations disagree on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Disagreement {
    pub article: String,
    pub field: Field,
    /// `boundary` (same value, spans differ), `wrong_value` (spans overlap,
    /// values differ), `missed` (in A only), `spurious` (in B only); an
    /// official listed as `correct` has the same name but other titles.
    pub kind: FindingKind,
    pub a: Option<MentionView>,
    pub b: Option<MentionView>,
    pub context: String,
}

/// One ignore region that is not covered identically by the other side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IgnoreDisagreement {
    pub article: String,
    /// "a" or "b": whose region this is.
    pub side: &'static str,
    pub start: usize,
    pub end: usize,
    /// Characters of it the other side does not ignore.
    pub uncovered: usize,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    pub a: String,
    pub b: String,
    pub articles: usize,
    pub fields: BTreeMap<Field, FieldAgreement>,
    pub overall: FieldAgreement,
    /// Cohen's kappa on token labels (field or none), over all articles.
    pub kappa: Option<f64>,
    pub tokens: usize,
    pub ignore: IgnoreAgreement,
    pub disagreements: Vec<Disagreement>,
    pub ignore_disagreements: Vec<IgnoreDisagreement>,
}

/// Why two sets cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum AgreeError {
    #[error("article {0:?} is in {1} but not in {2}")]
    Missing(String, String, String),
    #[error("article {0:?} has different texts in the two sets (SHA-256 {1} and {2})")]
    Text(String, String, String),
}

/// Token boundaries (code point ranges): runs of alphanumerics, and every
/// other non-space character on its own.
pub fn tokens(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut n = 0;
    for (i, c) in text.chars().enumerate() {
        n = i + 1;
        // Combining marks (NFD accents) belong to the letter before them.
        let word = c.is_alphanumeric() || (start.is_some() && unicode_normalization::char::is_combining_mark(c));
        match (word, start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, Some(s)) => {
                out.push(Span { start: s, end: i });
                start = None;
            }
            (false, None) => {}
        }
        if !word && !c.is_whitespace() {
            out.push(Span { start: i, end: i + 1 });
        }
    }
    if let Some(s) = start {
        out.push(Span { start: s, end: n });
    }
    out
}

/// The field each token falls in (any overlap), or `None`.
fn token_labels(tokens: &[Span], mentions: &[(Span, Field)]) -> Vec<Option<Field>> {
    tokens
        .iter()
        .map(|t| mentions.iter().find(|(s, _)| s.overlap(t) > 0).map(|(_, f)| *f))
        .collect()
}

/// Cohen's kappa of two label sequences over the same items.
pub fn cohen_kappa<T: Ord + Clone>(a: &[T], b: &[T]) -> Option<f64> {
    let n = a.len();
    if n == 0 || n != b.len() {
        return None;
    }
    let observed = a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / n as f64;
    let mut ca: BTreeMap<&T, f64> = BTreeMap::new();
    let mut cb: BTreeMap<&T, f64> = BTreeMap::new();
    for x in a {
        *ca.entry(x).or_default() += 1.0;
    }
    for y in b {
        *cb.entry(y).or_default() += 1.0;
    }
    let expected: f64 = ca
        .iter()
        .map(|(k, na)| na * cb.get(k).copied().unwrap_or(0.0))
        .sum::<f64>()
        / (n * n) as f64;
    if (1.0 - expected).abs() < 1e-12 {
        return (observed == 1.0).then_some(1.0);
    }
    Some((observed - expected) / (1.0 - expected))
}

fn covered(regions: &[Span], len: usize) -> Vec<bool> {
    let mut v = vec![false; len];
    for r in regions {
        for x in v.iter_mut().take(r.end.min(len)).skip(r.start) {
            *x = true;
        }
    }
    v
}

fn context(chars: &[char], start: Option<usize>, end: Option<usize>) -> String {
    let (Some(s), Some(e)) = (start, end) else {
        return String::new();
    };
    let lo = s.saturating_sub(40);
    let hi = (e + 40).min(chars.len());
    let mut out: String = chars[lo..s.min(chars.len())].iter().collect();
    out.push('[');
    out.extend(&chars[s.min(chars.len())..e.min(chars.len())]);
    out.push(']');
    out.extend(&chars[e.min(chars.len())..hi]);
    out.replace(['\r', '\n'], " ")
}

/// A matched pair of officials whose titles differ.
fn titles_differ(f: &crate::score::Finding) -> bool {
    fn value(m: &Option<MentionView>) -> Option<&extractor_api::Value> {
        m.as_ref().map(|m| &m.value).filter(|v| v.field() == Field::Official)
    }
    match (f.field, value(&f.gold), value(&f.pred)) {
        (Field::Official, Some(g), Some(p)) => !crate::score::value::judge(g, p).titles,
        _ => false,
    }
}

/// Compares annotation B with annotation A.
pub fn agree(a: &GoldSet, b: &GoldSet) -> Result<Agreement, AgreeError> {
    let by_id: BTreeMap<&str, &crate::gold::GoldArticle> = b.articles.iter().map(|x| (x.id.as_str(), x)).collect();
    let (an, bn) = (a.dir.display().to_string(), b.dir.display().to_string());
    for x in &b.articles {
        if !a.articles.iter().any(|y| y.id == x.id) {
            return Err(AgreeError::Missing(x.id.clone(), bn, an));
        }
    }
    let mut fields: BTreeMap<Field, FieldCounts> = BTreeMap::new();
    let mut overall = FieldCounts::default();
    let (mut la, mut lb) = (Vec::new(), Vec::new());
    let mut ignore = IgnoreAgreement::default();
    let mut disagreements = Vec::new();
    let mut ignore_disagreements = Vec::new();
    for ga in &a.articles {
        let gb = by_id
            .get(ga.id.as_str())
            .ok_or_else(|| AgreeError::Missing(ga.id.clone(), an.clone(), bn.clone()))?;
        if ga.sha256 != gb.sha256 {
            return Err(AgreeError::Text(ga.id.clone(), ga.sha256.clone(), gb.sha256.clone()));
        }
        let preds: Vec<PredMention> = gb.mentions.iter().map(PredMention::from).collect();
        let scored = score_article(&ga.mentions, &[], &preds, &MatchConfig::default());
        for (f, c) in scored.counts.iter() {
            *fields.entry(f).or_default() += *c;
            overall += *c;
        }
        let chars: Vec<char> = ga.text.chars().collect();
        for f in scored
            .findings
            .iter()
            .filter(|f| f.kind != FindingKind::Correct || titles_differ(f))
        {
            let m = f.gold.as_ref().or(f.pred.as_ref());
            disagreements.push(Disagreement {
                article: ga.id.clone(),
                field: f.field,
                kind: f.kind,
                a: f.gold.clone(),
                b: f.pred.clone(),
                context: context(&chars, m.and_then(|m| m.start), m.and_then(|m| m.end)),
            });
        }
        // Tokens outside both sides' ignore regions.
        let (ia, ib) = (covered(&ga.ignore, chars.len()), covered(&gb.ignore, chars.len()));
        let spans = |ms: &[crate::mention::GoldMention]| -> Vec<(Span, Field)> {
            ms.iter().map(|m| (m.span, m.field())).collect()
        };
        let toks: Vec<Span> = tokens(&ga.text)
            .into_iter()
            .filter(|t| !(t.start..t.end).any(|i| ia[i] || ib[i]))
            .collect();
        la.extend(token_labels(&toks, &spans(&ga.mentions)));
        lb.extend(token_labels(&toks, &spans(&gb.mentions)));
        ignore.regions_a += ga.ignore.len();
        ignore.regions_b += gb.ignore.len();
        for i in 0..chars.len() {
            match (ia[i], ib[i]) {
                (true, true) => ignore.chars_both += 1,
                (true, false) => ignore.chars_a_only += 1,
                (false, true) => ignore.chars_b_only += 1,
                _ => {}
            }
        }
        for (side, regions, other) in [("a", &ga.ignore, &ib), ("b", &gb.ignore, &ia)] {
            for r in regions.iter() {
                let uncovered = (r.start..r.end.min(chars.len())).filter(|&i| !other[i]).count();
                if uncovered > 0 {
                    ignore_disagreements.push(IgnoreDisagreement {
                        article: ga.id.clone(),
                        side,
                        start: r.start,
                        end: r.end,
                        uncovered,
                        text: chars[r.start..r.end.min(chars.len())]
                            .iter()
                            .take(80)
                            .collect::<String>()
                            .replace(['\r', '\n'], " "),
                    });
                }
            }
        }
    }
    let tokens = la.len();
    Ok(Agreement {
        a: an,
        b: bn,
        articles: a.articles.len(),
        fields: Field::ALL
            .into_iter()
            .map(|f| {
                let c = fields.get(&f).copied().unwrap_or_default();
                (f, FieldAgreement::from_counts(&c, f == Field::Official))
            })
            .collect(),
        overall: FieldAgreement::from_counts(&overall, false),
        kappa: cohen_kappa(&la, &lb),
        tokens,
        ignore,
        disagreements,
        ignore_disagreements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kappa_matches_a_worked_example() {
        // The classic 2×2 example: 50 items, both "yes" 20, both "no" 15,
        // A yes / B no 5, A no / B yes 10. po = 0.7, pe = 0.5, kappa = 0.4.
        let mut a = Vec::new();
        let mut b = Vec::new();
        for (x, y, n) in [(1, 1, 20), (0, 0, 15), (1, 0, 5), (0, 1, 10)] {
            for _ in 0..n {
                a.push(x);
                b.push(y);
            }
        }
        let k = cohen_kappa(&a, &b).unwrap();
        assert!((k - 0.4).abs() < 1e-12, "{k}");
        assert_eq!(cohen_kappa(&[1, 2, 3], &[1, 2, 3]), Some(1.0));
        assert_eq!(cohen_kappa::<u8>(&[], &[]), None);
        // Agreement no better than chance: kappa 0.
        assert!(cohen_kappa(&[1, 1, 0, 0], &[1, 0, 1, 0]).unwrap().abs() < 1e-12);
    }

    #[test]
    fn tokens_are_words_and_single_symbols() {
        let t = "ngày 4/6/2024, le\u{323}\u{302}";
        let toks: Vec<String> = tokens(t)
            .iter()
            .map(|s| t.chars().skip(s.start).take(s.end - s.start).collect())
            .collect();
        assert_eq!(toks, ["ngày", "4", "/", "6", "/", "2024", ",", "le\u{323}\u{302}"]);
    }
}
