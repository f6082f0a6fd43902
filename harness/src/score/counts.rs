//! Raw counts: the only scoring state. Every ratio anywhere is derived from
//! sums of these, never averaged from stored ratios.

use super::metrics::{prf, Prf};
use extractor_api::Field;
use serde::{Deserialize, Serialize};
use std::ops::AddAssign;

/// The four SemEval-2013 / MUC span schemes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// Same span and same field.
    Strict,
    /// Same span, field ignored.
    Exact,
    /// Overlap, field ignored; an exact span is COR, otherwise PAR (0.5).
    Partial,
    /// Overlap and same field.
    Type,
}

impl Scheme {
    pub const ALL: [Scheme; 4] = [Scheme::Strict, Scheme::Exact, Scheme::Partial, Scheme::Type];
}

crate::naming::display_as_serde!(Scheme);

/// COR, INC, PAR, MIS, SPU for one scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeCounts {
    pub cor: u64,
    pub inc: u64,
    pub par: u64,
    pub mis: u64,
    pub spu: u64,
}

impl SchemeCounts {
    /// Gold mentions: COR + INC + PAR + MIS.
    pub fn pos(&self) -> u64 {
        self.cor + self.inc + self.par + self.mis
    }
    /// Predictions: COR + INC + PAR + SPU.
    pub fn act(&self) -> u64 {
        self.cor + self.inc + self.par + self.spu
    }
    /// P/R/F1 with the scheme's credit: COR for strict and exact,
    /// COR + 0.5·PAR for partial and type.
    pub fn prf(&self, scheme: Scheme) -> Prf {
        let credit = match scheme {
            Scheme::Strict | Scheme::Exact => self.cor as f64,
            Scheme::Partial | Scheme::Type => self.cor as f64 + 0.5 * self.par as f64,
        };
        prf(credit, self.act(), self.pos())
    }
}

impl AddAssign for SchemeCounts {
    #[inline(always)]
    fn add_assign(&mut self, o: Self) {
        self.cor += o.cor;
        self.inc += o.inc;
        self.par += o.par;
        self.mis += o.mis;
        self.spu += o.spu;
    }
}

/// Value scoring of one field (TempEval-3 style), on same-field pairs matched
/// by overlap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueCounts {
    /// Gold mentions of the field (POS).
    pub gold: u64,
    /// Predictions of the field with offsets, after ignore regions (ACT).
    pub pred: u64,
    /// Relaxed matches: overlapping same-field pairs.
    pub matched: u64,
    /// Matched pairs whose value is right: the headline true positives.
    pub correct: u64,
    /// Matched pairs right or, for dates, coarser but consistent.
    pub lenient: u64,
    /// Officials: matched pairs whose titles are right.
    pub titles: u64,
}

impl ValueCounts {
    pub fn tp(&self) -> u64 {
        self.correct
    }
    pub fn fp(&self) -> u64 {
        self.pred - self.correct
    }
    pub fn fn_(&self) -> u64 {
        self.gold - self.correct
    }
    /// Headline "span + value": overlap with the gold partner and right value.
    /// The headline F1 (for resampling).
    pub fn headline_f1(&self) -> Option<f64> {
        self.headline().f1
    }

    pub fn headline(&self) -> Prf {
        prf(self.correct as f64, self.pred, self.gold)
    }
    /// Granularity-aware variant of the headline (dates).
    pub fn lenient_prf(&self) -> Prf {
        prf(self.lenient as f64, self.pred, self.gold)
    }
    /// Relaxed span F1 (overlap, same field), the TempEval-3 factor.
    pub fn relaxed(&self) -> Prf {
        prf(self.matched as f64, self.pred, self.gold)
    }
    pub fn accuracy(&self) -> Option<f64> {
        ratio(self.correct, self.matched)
    }
    pub fn lenient_accuracy(&self) -> Option<f64> {
        ratio(self.lenient, self.matched)
    }
    pub fn titles_accuracy(&self) -> Option<f64> {
        ratio(self.titles, self.matched)
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl AddAssign for ValueCounts {
    #[inline(always)]
    fn add_assign(&mut self, o: Self) {
        self.gold += o.gold;
        self.pred += o.pred;
        self.matched += o.matched;
        self.correct += o.correct;
        self.lenient += o.lenient;
        self.titles += o.titles;
    }
}

/// Span-free scoring: multiset of values predicted vs gold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanFreeCounts {
    pub gold: u64,
    pub pred: u64,
    pub matched: u64,
}

impl SpanFreeCounts {
    pub fn prf(&self) -> Prf {
        prf(self.matched as f64, self.pred, self.gold)
    }
}

impl AddAssign for SpanFreeCounts {
    #[inline(always)]
    fn add_assign(&mut self, o: Self) {
        self.gold += o.gold;
        self.pred += o.pred;
        self.matched += o.matched;
    }
}

/// All counts of one (plugin, article, field), or their sum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCounts {
    pub strict: SchemeCounts,
    pub exact: SchemeCounts,
    pub partial: SchemeCounts,
    #[serde(rename = "type")]
    pub type_: SchemeCounts,
    pub value: ValueCounts,
    pub span_free: SpanFreeCounts,
    /// Gold mentions of this field paired, by the field-blind overlap
    /// matching of the partial scheme, with a prediction of each field
    /// (in `Field::ALL` order): this field's row of the confusion matrix.
    /// Its missed and spurious cells are `partial.mis` and `partial.spu`.
    #[serde(default, skip_serializing_if = "no_pairs")]
    pub confusion: [u64; 4],
}

fn no_pairs(c: &[u64; 4]) -> bool {
    c.iter().all(|&n| n == 0)
}

impl FieldCounts {
    pub fn scheme(&self, s: Scheme) -> &SchemeCounts {
        match s {
            Scheme::Strict => &self.strict,
            Scheme::Exact => &self.exact,
            Scheme::Partial => &self.partial,
            Scheme::Type => &self.type_,
        }
    }
    pub fn scheme_mut(&mut self, s: Scheme) -> &mut SchemeCounts {
        match s {
            Scheme::Strict => &mut self.strict,
            Scheme::Exact => &mut self.exact,
            Scheme::Partial => &mut self.partial,
            Scheme::Type => &mut self.type_,
        }
    }
}

impl AddAssign for FieldCounts {
    #[inline(always)]
    fn add_assign(&mut self, o: Self) {
        self.strict += o.strict;
        self.exact += o.exact;
        self.partial += o.partial;
        self.type_ += o.type_;
        self.value += o.value;
        self.span_free += o.span_free;
        for (a, b) in self.confusion.iter_mut().zip(o.confusion) {
            *a += b;
        }
    }
}

/// Counts per field for one article (or summed). A field with all-zero
/// counts is absent: it is skipped when iterating and serializing, and
/// `get` gives `None`. A fixed array, not a map: every article of a report
/// keeps one, and at 100k articles a map's nodes were most of the memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts([FieldCounts; 4]);

/// A field's place in the array: its place in `Field::ALL` (the
/// declaration order, which `fields_sit_in_canonical_order` checks).
fn slot(f: Field) -> usize {
    f as usize
}

impl Counts {
    pub fn new() -> Counts {
        Counts::default()
    }
    /// The field's counts, `None` where they are all zero.
    pub fn get(&self, f: &Field) -> Option<&FieldCounts> {
        Some(&self.0[slot(*f)]).filter(|c| **c != FieldCounts::default())
    }
    /// The field's counts to add to (all zero where absent).
    pub fn field_mut(&mut self, f: Field) -> &mut FieldCounts {
        &mut self.0[slot(f)]
    }
    /// The present fields, in canonical order.
    pub fn iter(&self) -> impl Iterator<Item = (Field, &FieldCounts)> {
        Field::ALL
            .into_iter()
            .zip(&self.0)
            .filter(|(_, c)| **c != FieldCounts::default())
    }
    pub fn values(&self) -> impl Iterator<Item = &FieldCounts> {
        self.iter().map(|(_, c)| c)
    }
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// All zero where the field is absent, like `get(f).unwrap_or_default()`.
impl std::ops::Index<&Field> for Counts {
    type Output = FieldCounts;
    fn index(&self, f: &Field) -> &FieldCounts {
        &self.0[slot(*f)]
    }
}

impl FromIterator<(Field, FieldCounts)> for Counts {
    fn from_iter<I: IntoIterator<Item = (Field, FieldCounts)>>(it: I) -> Counts {
        let mut c = Counts::new();
        for (f, x) in it {
            *c.field_mut(f) += x;
        }
        c
    }
}

/// A map from field to counts, as the reports have always stored it.
impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Counts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Counts, D::Error> {
        let map = std::collections::BTreeMap::<Field, FieldCounts>::deserialize(d)?;
        Ok(map.into_iter().collect())
    }
}

impl FieldCounts {
    /// The number of counts, in [`FieldCounts::to_array`] order.
    pub const LEN: usize = 33;

    fn to_array(self) -> [u64; Self::LEN] {
        let s = |c: SchemeCounts| [c.cor, c.inc, c.par, c.mis, c.spu];
        let v = self.value;
        let f = self.span_free;
        let mut a = [0; Self::LEN];
        let parts: [&[u64]; 7] = [
            &s(self.strict),
            &s(self.exact),
            &s(self.partial),
            &s(self.type_),
            &[v.gold, v.pred, v.matched, v.correct, v.lenient, v.titles],
            &[f.gold, f.pred, f.matched],
            &self.confusion,
        ];
        for (slot, x) in a.iter_mut().zip(parts.into_iter().flatten()) {
            *slot = *x;
        }
        a
    }

    fn from_array(a: [u64; Self::LEN]) -> FieldCounts {
        let s = |k: usize| SchemeCounts {
            cor: a[k],
            inc: a[k + 1],
            par: a[k + 2],
            mis: a[k + 3],
            spu: a[k + 4],
        };
        FieldCounts {
            strict: s(0),
            exact: s(5),
            partial: s(10),
            type_: s(15),
            value: ValueCounts {
                gold: a[20],
                pred: a[21],
                matched: a[22],
                correct: a[23],
                lenient: a[24],
                titles: a[25],
            },
            span_free: SpanFreeCounts {
                gold: a[26],
                pred: a[27],
                matched: a[28],
            },
            confusion: [a[29], a[30], a[31], a[32]],
        }
    }
}

/// One article's counts as its report row keeps them: the numbers of
/// [`Counts`] in half the memory (u32: one article never holds four billion
/// mentions). At 100k articles these rows are most of the peak memory; sums
/// over articles stay u64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArticleCounts([[u32; FieldCounts::LEN]; 4]);

impl Default for ArticleCounts {
    fn default() -> ArticleCounts {
        ArticleCounts([[0; FieldCounts::LEN]; 4])
    }
}

impl ArticleCounts {
    pub fn get(&self, f: &Field) -> Option<FieldCounts> {
        let row = &self.0[slot(*f)];
        (row.iter().any(|&n| n > 0)).then(|| FieldCounts::from_array(row.map(u64::from)))
    }
    /// The fields with any count, in canonical order.
    pub fn iter(&self) -> impl Iterator<Item = (Field, FieldCounts)> + '_ {
        Field::ALL.into_iter().filter_map(|f| self.get(&f).map(|c| (f, c)))
    }
    pub fn values(&self) -> impl Iterator<Item = FieldCounts> + '_ {
        self.iter().map(|(_, c)| c)
    }
    pub fn is_empty(&self) -> bool {
        self.0.iter().flatten().all(|&n| n == 0)
    }
    pub fn wide(&self) -> Counts {
        self.iter().collect()
    }
}

/// The error of a count too large for an article row.
#[derive(Debug, thiserror::Error)]
#[error("one article's count {0} does not fit in 32 bits")]
pub struct CountOverflow(u64);

impl TryFrom<&Counts> for ArticleCounts {
    type Error = CountOverflow;
    fn try_from(c: &Counts) -> Result<ArticleCounts, CountOverflow> {
        let mut a = ArticleCounts::default();
        for (row, wide) in a.0.iter_mut().zip(&c.0) {
            for (n, w) in row.iter_mut().zip(wide.to_array()) {
                *n = u32::try_from(w).map_err(|_| CountOverflow(w))?;
            }
        }
        Ok(a)
    }
}

impl From<Counts> for ArticleCounts {
    /// Scored counts: one article's, so they fit.
    fn from(c: Counts) -> ArticleCounts {
        ArticleCounts::try_from(&c).expect("one article's counts fit in u32")
    }
}

/// Serialized exactly as [`Counts`]: the report schema does not change.
impl Serialize for ArticleCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for ArticleCounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ArticleCounts, D::Error> {
        ArticleCounts::try_from(&Counts::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// `a += b`, field by field.
pub fn add_counts(a: &mut Counts, b: &ArticleCounts) {
    for (f, y) in b.iter() {
        *a.field_mut(f) += y;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_sit_in_canonical_order() {
        for (k, f) in Field::ALL.into_iter().enumerate() {
            assert_eq!(slot(f), k);
        }
    }

    #[test]
    fn zero_counts_are_absent_and_not_serialized() {
        let mut c = Counts::new();
        c.field_mut(Field::Figure).value.gold = 2;
        let _ = c.field_mut(Field::Date);
        assert!(c.get(&Field::Date).is_none());
        assert_eq!(c.iter().map(|(f, _)| f).collect::<Vec<_>>(), [Field::Figure]);
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(json.as_object().unwrap().keys().collect::<Vec<_>>(), ["figure"]);
        assert_eq!(serde_json::from_value::<Counts>(json).unwrap(), c);
    }

    proptest::proptest! {
        /// An article row keeps every count of every field: narrowing and
        /// widening again gives the same counts and the same JSON.
        #[test]
        fn article_rows_keep_every_count(
            rows in proptest::collection::vec(proptest::collection::vec(0u64..=u32::MAX as u64, 33), 4),
        ) {
            let mut wide = Counts::new();
            for (f, row) in Field::ALL.into_iter().zip(&rows) {
                *wide.field_mut(f) = FieldCounts::from_array(row.clone().try_into().unwrap());
                proptest::prop_assert_eq!(wide[&f].to_array().to_vec(), row.clone());
            }
            let narrow = ArticleCounts::from(wide);
            proptest::prop_assert_eq!(narrow.wide(), wide);
            proptest::prop_assert_eq!(serde_json::to_value(narrow).unwrap(), serde_json::to_value(wide).unwrap());
        }
    }

    #[test]
    fn a_count_beyond_32_bits_is_refused_when_read_back() {
        let mut c = Counts::new();
        c.field_mut(Field::Date).value.gold = 1 << 32;
        let json = serde_json::to_value(c).unwrap();
        let e = serde_json::from_value::<ArticleCounts>(json).unwrap_err();
        assert!(e.to_string().contains("does not fit in 32 bits"), "{e}");
    }
}
