//! Official values: the name decides the value match; the titles are a
//! separately reported attribute.

use super::text::fold;
use extractor_api::Official;

pub fn same_name(gold: &Official, pred: &Official) -> bool {
    // Equal strings fold equally: skip the folding in the common case.
    gold.name == pred.name || fold(&gold.name) == fold(&pred.name)
}

/// Same titles, in the same order, after folding each.
pub fn same_titles(gold: &Official, pred: &Official) -> bool {
    gold.titles.len() == pred.titles.len()
        && gold
            .titles
            .iter()
            .zip(&pred.titles)
            .all(|(g, p)| g == p || fold(g) == fold(p))
}

pub fn key(value: &Official) -> std::rc::Rc<str> {
    fold(&value.name)
}
