//! Offsets for mentions that come without them.
//!
//! A language model answers with the text of a mention and its value, not
//! with offsets, and the text it copies is often not byte-for-byte the
//! article's: it writes composed (NFC) accents where the article has
//! decomposed (NFD) ones, a plain space for a no-break space, one space for a
//! CRLF. [`align`] finds each such mention in the article and fills in its
//! code point offsets and the exact stored slice as its `text`.
//!
//! # The algorithm (version 1)
//!
//! The Python port in `extractors/llm/align.py` implements the same steps; a
//! test in `harness/tests/it/llm.rs` checks that both give the same spans.
//!
//! 1. **Segments.** A string is cut before every character whose canonical
//!    combining class is 0 (a *starter*), so each segment is one starter and
//!    the combining marks after it (a string that begins with a mark starts
//!    with a segment of marks only).
//! 2. **Folding.** A segment that is a single White_Space character (U+0009
//!    to U+000D, U+0020, U+0085, U+00A0, U+1680, U+2000 to U+200A, U+2028,
//!    U+2029, U+202F, U+205F, U+3000: Rust's `char::is_whitespace`) is a
//!    *space*; a maximal run of spaces folds to one U+0020. Every other
//!    segment folds to its canonical decomposition (NFD). Two texts that are
//!    canonically equivalent (the same under NFC) fold alike, short of three
//!    Tibetan vowel signs (U+0F73, U+0F75, U+0F81: starters that decompose to
//!    combining marks). Case is kept.
//! 3. **The needle** is the mention's `text` folded, with leading and
//!    trailing U+0020 removed. An empty needle (or no `text`) is unaligned.
//! 4. **Occurrences** are the positions where the needle occurs in the folded
//!    article (overlapping ones included) that begin and end on the boundary
//!    of a folded segment or space run, so "Ho" never matches inside "Hồ".
//!    An occurrence's span runs from the first stored character of its first
//!    segment to the last stored character of its last one.
//! 5. **Choice.** Mentions are taken in the order given. An occurrence is
//!    *used* when it overlaps (shares a code point with) the span of an
//!    earlier placed mention of the same field: within a field, spans never
//!    overlap, so a short name is not placed inside the full name before it.
//!    A mention takes the first unused occurrence whose start is at or after
//!    the start of the previous placed mention (the first mention: at or
//!    after 0); if there is none, the first unused occurrence anywhere; if
//!    there is none either, it stays unaligned.
//! 6. **Result.** An aligned mention gets `start` and `end` in code points
//!    of the text as stored and `text` = that stored slice. An unaligned one
//!    keeps no offsets (it can only be scored span-free) and its own `text`.
//!    A mention that already has `start` or `end` is left as it is; one with
//!    both counts as placed (it is the previous mention for the next one,
//!    and its span is used).
//!
//! Alignment looks at text only, never at values, so it is deterministic and
//! cheap: one folding of the article, one substring search per mention. For
//! mentions listed in text order whose spans do not overlap within a field
//! (as the guidelines require), every mention is placed, at or before its
//! true position, and the starts never decrease: an earlier occurrence of
//! the same text cannot reach past the end of the true one (both fold to the
//! same length), so it never blocks a later mention.

use crate::protocol::WireMention;
use crate::CharIndex;
use serde::{Deserialize, Serialize};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// What [`align`] did with a batch of mentions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlignStats {
    /// Mentions given offsets by this call.
    pub aligned: usize,
    /// Mentions left without offsets: no text, or no unused occurrence.
    pub unaligned: usize,
    /// Mentions that already had offsets and were left alone.
    pub preset: usize,
}

/// A string folded for comparison, with where each folded piece came from.
struct Folded {
    text: String,
    /// `(folded byte offset, stored byte offset)` of the start of every
    /// segment or space run, then `(folded length, stored length)`.
    units: Vec<(usize, usize)>,
}

impl Folded {
    fn new(s: &str) -> Folded {
        let mut text = String::with_capacity(s.len());
        let mut units = Vec::new();
        let mut in_space = false;
        for (start, segment) in segments(s) {
            let mut chars = segment.chars();
            let space = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_whitespace());
            if space && in_space {
                continue; // the run already folded to one space
            }
            in_space = space;
            units.push((text.len(), start));
            if space {
                text.push(' ');
            } else {
                text.extend(segment.nfd());
            }
        }
        units.push((text.len(), s.len()));
        Folded { text, units }
    }

    /// The stored byte offset of folded offset `at`, if a unit starts there.
    fn stored(&self, at: usize) -> Option<usize> {
        self.units
            .binary_search_by_key(&at, |&(folded, _)| folded)
            .ok()
            .map(|i| self.units[i].1)
    }

    /// Every occurrence of `needle` on unit boundaries, as stored byte
    /// ranges, in order.
    fn occurrences(&self, needle: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(i) = self.text[from..].find(needle) {
            let at = from + i;
            if let (Some(start), Some(end)) = (self.stored(at), self.stored(at + needle.len())) {
                found.push((start, end));
            }
            from = at + self.text[at..].chars().next().map_or(1, char::len_utf8);
        }
        found
    }
}

/// Step 1: `(byte offset, segment)` for each starter and the marks after it.
fn segments(s: &str) -> Vec<(usize, &str)> {
    let mut cuts: Vec<usize> = s
        .char_indices()
        .filter(|&(i, c)| i == 0 || canonical_combining_class(c) == 0)
        .map(|(i, _)| i)
        .collect();
    cuts.push(s.len());
    cuts.windows(2).map(|w| (w[0], &s[w[0]..w[1]])).collect()
}

/// Steps 2 and 3: `s` folded as a needle (whitespace runs as one space,
/// segments decomposed, no leading or trailing space). Two strings are the
/// same mention text when their folds are equal.
pub fn fold(s: &str) -> String {
    Folded::new(s).text.trim_matches(' ').to_string()
}

/// Gives offsets to every mention of `mentions` that has none, in place,
/// following the algorithm in the module documentation.
pub fn align(text: &str, mentions: &mut [WireMention]) -> AlignStats {
    let folded = Folded::new(text);
    let index = CharIndex::new(text);
    let mut stats = AlignStats::default();
    // (field, start, end) in code points of every placed mention.
    let mut used: Vec<(String, usize, usize)> = Vec::new();
    let mut previous_start = 0;
    for m in mentions.iter_mut() {
        if m.start.is_some() || m.end.is_some() {
            if let (Some(start), Some(end)) = (m.start, m.end) {
                used.push((m.field.clone(), start, end));
                previous_start = start;
            }
            stats.preset += 1;
            continue;
        }
        let needle = m.text.as_deref().map(fold).unwrap_or_default();
        // (start, end) in code points and the stored slice's byte range.
        let candidates: Vec<(usize, usize, std::ops::Range<usize>)> = if needle.is_empty() {
            Vec::new()
        } else {
            folded
                .occurrences(&needle)
                .into_iter()
                .map(|(s, e)| (index.char_offset(s), index.char_offset(e), s..e))
                .filter(|(s, e, _)| !used.iter().any(|(f, us, ue)| *f == m.field && s < ue && us < e))
                .collect()
        };
        let chosen = candidates
            .iter()
            .find(|(s, _, _)| *s >= previous_start)
            .or(candidates.first());
        match chosen {
            Some((start, end, bytes)) => {
                m.start = Some(*start);
                m.end = Some(*end);
                m.text = Some(text[bytes.clone()].to_string());
                used.push((m.field.clone(), *start, *end));
                previous_start = *start;
                stats.aligned += 1;
            }
            None => stats.unaligned += 1,
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn wire(field: &str, text: &str) -> WireMention {
        WireMention {
            field: field.into(),
            start: None,
            end: None,
            text: Some(text.into()),
            value: serde_json::Value::Null,
        }
    }

    fn spans(ms: &[WireMention]) -> Vec<Option<(usize, usize)>> {
        ms.iter().map(|m| m.start.zip(m.end)).collect()
    }

    fn slice(text: &str, start: usize, end: usize) -> String {
        text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn finds_nfc_plain_space_text_in_an_nfd_crlf_nbsp_article() {
        // "Nguyễn" decomposed, a no-break space, a CRLF.
        let text = "Ông Nguye\u{302}\u{303}n Đức\u{a0}Nhương\r\nChủ tịch: 7,1\u{a0}%";
        let mut ms = [wire("official", "Nguyễn Đức Nhương"), wire("percentage", " 7,1 % ")];
        let stats = align(text, &mut ms);
        assert_eq!(
            stats,
            AlignStats {
                aligned: 2,
                unaligned: 0,
                preset: 0
            }
        );
        assert_eq!(spans(&ms), [Some((4, 23)), Some((35, 40))]);
        assert_eq!(ms[0].text.as_deref(), Some("Nguye\u{302}\u{303}n Đức\u{a0}Nhương"));
        assert_eq!(ms[1].text.as_deref(), Some("7,1\u{a0}%"));
        let mut crlf = [wire("official", "Nhương Chủ tịch")];
        align(text, &mut crlf);
        assert_eq!(crlf[0].text.as_deref(), Some("Nhương\r\nChủ tịch"));
    }

    #[test]
    fn occurrences_are_taken_in_order_and_fall_back_to_the_first_unused() {
        let text = "năm 2024, năm 2023 và năm 2024; năm 2024.";
        let mut ms = [
            wire("date", "năm 2023"),
            wire("date", "năm 2024"),
            wire("date", "năm 2024"),
            // Nothing unused after the previous start: the first unused one.
            wire("date", "năm 2024"),
            // Every occurrence is used by now.
            wire("date", "năm 2024"),
        ];
        let stats = align(text, &mut ms);
        assert_eq!(
            spans(&ms),
            [Some((10, 18)), Some((22, 30)), Some((32, 40)), Some((0, 8)), None]
        );
        assert_eq!((stats.aligned, stats.unaligned), (4, 1));
    }

    #[test]
    fn a_short_name_is_not_placed_inside_the_full_name_before_it() {
        let text = "bà Nguyễn Thị Chung, Chủ tịch; bà Chung nói";
        let mut ms = [wire("official", "Nguyễn Thị Chung"), wire("official", "Chung")];
        align(text, &mut ms);
        assert_eq!(spans(&ms), [Some((3, 19)), Some((34, 39))]);
    }

    #[test]
    fn a_used_span_is_per_field() {
        let text = "đạt 26 chỉ tiêu";
        let mut ms = [wire("figure", "26"), wire("percentage", "26"), wire("figure", "26")];
        align(text, &mut ms);
        assert_eq!(spans(&ms), [Some((4, 6)), Some((4, 6)), None]);
    }

    #[test]
    fn never_matches_part_of_a_letter_or_blank_text() {
        let text = "Ông Hồ Văn Ho\u{302}\u{300}ng";
        let mut ms = [
            wire("official", "Ho"),
            wire("official", "Hồng"),
            wire("official", "  "),
            wire("official", "Lê"),
        ];
        ms[3].text = None;
        let stats = align(text, &mut ms);
        assert_eq!(spans(&ms), [None, Some((11, 17)), None, None]);
        assert_eq!(stats.unaligned, 3);
        assert_eq!(ms[0].text.as_deref(), Some("Ho"), "an unaligned mention keeps its text");
    }

    #[test]
    fn mentions_with_offsets_are_kept_and_take_part() {
        let text = "7% rồi 7% rồi 7%";
        let mut ms = [wire("percentage", "7%"), wire("percentage", "7%")];
        ms[0].start = Some(7);
        ms[0].end = Some(9);
        ms[0].text = Some("kept as is".into());
        let stats = align(text, &mut ms);
        assert_eq!(stats.preset, 1);
        assert_eq!(ms[0].text.as_deref(), Some("kept as is"));
        assert_eq!(spans(&ms), [Some((7, 9)), Some((14, 16))]);
    }

    /// Words with decomposed and composed accents, emoji (one with a skin
    /// tone modifier), digits; none starts with a combining mark.
    const WORDS: &[&str] = &[
        "Nguyễn",
        "Nguye\u{302}\u{303}n",
        "Đức",
        "tỷ",
        "ty\u{309}",
        "đồng",
        "7,1%",
        "2024",
        "năm",
        "qúy",
        "🎉",
        "👍🏽",
        "a",
        "Hồ",
        "Ho",
    ];
    const SEPARATORS: &[&str] = &[" ", "\u{a0}", "\r\n", "  ", "\t", "\u{3000}", " \u{a0}", "\n\n"];
    const FIELDS: &[&str] = &["date", "official", "figure", "percentage"];

    /// A text of words and separators, and the code point span of each word.
    fn article() -> impl Strategy<Value = (String, Vec<(usize, usize)>)> {
        prop::collection::vec((0..WORDS.len(), 0..SEPARATORS.len()), 1..30).prop_map(|tokens| {
            let (mut text, mut words, mut n) = (String::new(), Vec::new(), 0);
            for (w, s) in tokens {
                let word = WORDS[w];
                words.push((n, n + word.chars().count()));
                n += word.chars().count() + SEPARATORS[s].chars().count();
                text.push_str(word);
                text.push_str(SEPARATORS[s]);
            }
            (text, words)
        })
    }

    /// What a model would write for a stored slice: composed, or
    /// decomposed, with plain single spaces.
    fn as_a_model_writes(stored: &str, nfd: bool) -> String {
        let s: String = if nfd {
            stored.nfd().collect()
        } else {
            stored.nfc().collect()
        };
        s.split(char::is_whitespace)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Text, and mentions over whole words in text order that do not
    /// overlap within a field, written as a model would.
    fn case() -> impl Strategy<Value = (String, Vec<WireMention>, Vec<(usize, usize)>)> {
        article().prop_flat_map(|(text, words)| {
            let n = words.len();
            let picks = prop::collection::vec((0..n, 0..3usize, 0..FIELDS.len(), any::<bool>()), 0..12);
            (Just(text), Just(words), picks).prop_map(|(text, words, picks)| {
                let mut truth: Vec<(usize, usize, usize, bool)> = picks
                    .into_iter()
                    .map(|(i, len, f, nfd)| {
                        let j = (i + len).min(words.len() - 1);
                        (words[i].0, words[j].1, f, nfd)
                    })
                    .collect();
                truth.sort();
                // Within a field, spans do not overlap (as in the gold).
                let mut kept: Vec<(usize, usize, usize, bool)> = Vec::new();
                for t in truth {
                    if !kept.iter().any(|k| k.2 == t.2 && t.0 < k.1 && k.0 < t.1) {
                        kept.push(t);
                    }
                }
                let truth = kept;
                let mentions = truth
                    .iter()
                    .map(|&(s, e, f, nfd)| wire(FIELDS[f], &as_a_model_writes(&slice(&text, s, e), nfd)))
                    .collect();
                let spans = truth.iter().map(|&(s, e, _, _)| (s, e)).collect();
                (text, mentions, spans)
            })
        })
    }

    fn assert_slices_fold_to_the_texts(text: &str, given: &[WireMention], aligned: &[WireMention]) {
        for (g, a) in given.iter().zip(aligned) {
            if let (Some(s), Some(e)) = (a.start, a.end) {
                let stored = slice(text, s, e);
                assert_eq!(a.text.as_deref(), Some(stored.as_str()), "text is the stored slice");
                assert_eq!(fold(&stored), fold(g.text.as_deref().unwrap()));
            }
        }
    }

    proptest! {
        #[test]
        fn mentions_in_text_order_all_align_in_order((text, given, _) in case()) {
            let mut ms = given.clone();
            let stats = align(&text, &mut ms);
            prop_assert_eq!(stats.aligned, given.len());
            assert_slices_fold_to_the_texts(&text, &given, &ms);
            let starts: Vec<usize> = ms.iter().map(|m| m.start.unwrap()).collect();
            prop_assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{:?}", starts);
        }

        #[test]
        fn any_order_aligns_deterministically((text, given, _) in case(), seed in any::<u64>()) {
            let mut shuffled = given.clone();
            // A seeded Fisher-Yates shuffle.
            let mut x = seed | 1;
            for i in (1..shuffled.len()).rev() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                shuffled.swap(i, (x % (i as u64 + 1)) as usize);
            }
            let (mut once, mut twice) = (shuffled.clone(), shuffled.clone());
            let stats = align(&text, &mut once);
            prop_assert_eq!(align(&text, &mut twice), stats);
            prop_assert_eq!(&once, &twice);
            prop_assert_eq!(stats.aligned + stats.unaligned, given.len());
            assert_slices_fold_to_the_texts(&text, &shuffled, &once);
            for (i, a) in once.iter().enumerate() {
                for b in &once[..i] {
                    if let (Some(sa), Some(ea), Some(sb), Some(eb)) = (a.start, a.end, b.start, b.end) {
                        prop_assert!(a.field != b.field || ea <= sb || eb <= sa, "{:?} overlaps {:?}", a, b);
                    }
                }
            }
        }

        #[test]
        fn text_that_does_not_occur_is_unaligned((text, given, _) in case(), at in any::<prop::sample::Index>()) {
            let mut ms = given.clone();
            let i = at.index(ms.len() + 1);
            ms.insert(i, wire("official", "Ω Nguyễn"));
            let stats = align(&text, &mut ms);
            prop_assert_eq!(stats.unaligned, 1);
            prop_assert_eq!(ms[i].start, None);
            prop_assert_eq!(ms[i].end, None);
        }

        #[test]
        fn canonically_equivalent_texts_fold_alike((text, _) in article()) {
            let nfc: String = text.nfc().collect();
            let nfd: String = text.nfd().collect();
            prop_assert_eq!(fold(&nfc), fold(&nfd));
            prop_assert_eq!(fold(&nfc), fold(&text));
        }
    }
}
