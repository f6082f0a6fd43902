//! The vocabulary: the word lists in `vocab/*.txt`, one entry a line (`#`
//! starts a comment line). Every word of every list is interned once as a
//! small integer ([`Sym`]) on its folded key (see [`fold`]), so the grammar
//! compares integers, and each list is indexed by its entries' first and
//! last words instead of trying every entry at every token.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// An interned folded word (or punctuation mark) of the vocabulary.
pub type Sym = u32;
/// A token outside the vocabulary (and every number).
pub const NONE: Sym = u32::MAX;
/// What [`sym`] gives for a word missing from the vocabulary: no token has it.
pub const ABSENT: Sym = u32::MAX - 1;

/// The vocabulary symbol of a word the grammar names in code, looked up once
/// per call site: `kw!("ngày")`. Every such word is listed in
/// `vocab/keywords.txt` (a test checks the sources).
#[macro_export]
macro_rules! kw {
    ($w:literal) => {{
        static SYM: std::sync::OnceLock<$crate::vocab::Sym> = std::sync::OnceLock::new();
        *SYM.get_or_init(|| $crate::vocab::sym($w))
    }};
}

/// FxHash: a fast hash for short keys (words and symbols).
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

const TONES: [(char, char); 5] = [
    ('\u{300}', '2'), // huyền
    ('\u{301}', '1'), // sắc
    ('\u{303}', '4'), // ngã
    ('\u{309}', '3'), // hỏi
    ('\u{323}', '5'), // nặng
];

/// Lower-case base letter and tone digit of each precomposed letter from
/// U+00C0 to U+1EFF ("ổ" → ('ô', '3')), built once from the Unicode
/// decompositions.
fn letter_table() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0xC0u32..=0x1EFF)
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else {
                    return ('\0', '\0');
                };
                let mut tone = '\0';
                let mut base = String::new();
                for d in std::iter::once(c).nfd() {
                    match TONES.iter().find(|(t, _)| *t == d) {
                        Some(&(_, code)) => tone = code,
                        None => base.push(d),
                    }
                }
                let base: String = base.nfc().flat_map(char::to_lowercase).collect();
                let mut chars = base.chars();
                match (chars.next(), chars.next()) {
                    (Some(b), None) => (b, tone),
                    _ => ('\0', '\0'),
                }
            })
            .collect()
    })
}

/// Letter classes of a character: [`ALPHA`], [`UPPER`], [`LOWER`] bits.
pub const ALPHA: u8 = 1;
pub const UPPER: u8 = 2;
pub const LOWER: u8 = 4;

/// The letter class bits of `c`, from a table for ASCII and the Latin
/// letters Vietnamese uses, and from the Unicode tables otherwise.
pub fn char_class(c: char) -> u8 {
    static TABLE: OnceLock<Vec<u8>> = OnceLock::new();
    let slow = |c: char| {
        (u8::from(c.is_alphabetic()) * ALPHA)
            | (u8::from(c.is_uppercase()) * UPPER)
            | (u8::from(c.is_lowercase()) * LOWER)
    };
    let table = TABLE.get_or_init(|| (0u32..=0x1EFF).map(|cp| char::from_u32(cp).map_or(0, slow)).collect());
    table.get(c as usize).copied().unwrap_or_else(|| slow(c))
}

/// Lower-cases a syllable and moves its tone mark to the end, so that the old
/// and new tone placements ("uỷ"/"ủy", "hoá"/"hóa") and the common misspelling
/// "qúy" share one key with "quý". Text in decomposed form (NFD) folds like
/// its composed form.
pub fn fold_into(s: &str, out: &mut String) {
    out.clear();
    if s.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)) {
        let composed: String = s.nfc().collect();
        return fold_composed(&composed, out);
    }
    fold_composed(s, out);
}

fn fold_composed(s: &str, out: &mut String) {
    let table = letter_table();
    let mut tone = None;
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match table.get((c as usize).wrapping_sub(0xC0)) {
            Some(&(base, t)) if base != '\0' => {
                out.push(base);
                if t != '\0' {
                    tone = Some(t);
                }
            }
            _ => match TONES.iter().find(|(t, _)| *t == c) {
                Some(&(_, code)) => tone = Some(code),
                None => out.extend(c.to_lowercase()),
            },
        }
    }
    if let Some(t) = tone {
        out.push(t);
    }
}

pub fn fold(s: &str) -> String {
    let mut out = String::new();
    fold_into(s, &mut out);
    out
}

/// The parts of a vocabulary entry, cut like the tokenizer cuts text: runs
/// of letters, runs of digits, and single other marks ("văn hóa, thể
/// thao" → "văn", "hóa", ",", "thể", "thao"; "đ/c" → "đ", "/", "c").
fn parts(entry: &str) -> impl Iterator<Item = &str> {
    let mut rest = entry.trim_start();
    std::iter::from_fn(move || {
        let c = rest.chars().next()?;
        let class = |c: char| {
            if c.is_alphabetic() || ('\u{300}'..='\u{36f}').contains(&c) {
                1
            } else if c.is_ascii_digit() {
                2
            } else {
                3
            }
        };
        let len = if class(c) == 3 {
            c.len_utf8()
        } else {
            rest.find(|d: char| class(d) != class(c)).unwrap_or(rest.len())
        };
        let (part, tail) = rest.split_at(len);
        rest = tail.trim_start();
        Some(part)
    })
}

/// The entries of a list file: trimmed non-empty lines that are not comments.
pub fn entries(file: &str) -> impl Iterator<Item = &str> {
    file.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

struct Interner {
    syms: FxMap<Box<str>, Sym>,
}

impl Interner {
    fn intern(&mut self, word: &str) -> Sym {
        let key = fold(word);
        let next = self.syms.len() as Sym;
        *self.syms.entry(key.into_boxed_str()).or_insert(next)
    }
}

/// A list of words and fixed phrases, each with a tag (a number written
/// after the phrase in its file, or 0), indexed by first and by last word.
pub struct Lex {
    phrases: Vec<(Box<[Sym]>, u32)>,
    /// Phrase indices by first symbol, longest first.
    by_first: FxMap<Sym, Vec<u32>>,
    /// Phrase indices by last symbol, longest first.
    by_last: FxMap<Sym, Vec<u32>>,
    /// Bit sets of the symbols that start and end a phrase, checked before
    /// the maps (most tokens start no phrase of a given list).
    starts: Vec<u64>,
    ends: Vec<u64>,
}

fn bit(set: &[u64], s: Sym) -> bool {
    set.get(s as usize / 64).is_some_and(|w| w >> (s % 64) & 1 == 1)
}

fn bitset<'a>(syms: impl Iterator<Item = &'a Sym>) -> Vec<u64> {
    let mut set = Vec::new();
    for &s in syms {
        let w = s as usize / 64;
        if set.len() <= w {
            set.resize(w + 1, 0);
        }
        set[w] |= 1 << (s % 64);
    }
    set
}

impl Lex {
    fn build(interner: &mut Interner, file: &str, tagged: bool) -> Lex {
        let mut phrases = Vec::new();
        for e in entries(file) {
            let (text, tag) = match e.rsplit_once(' ').filter(|_| tagged) {
                Some((t, n)) => (
                    t,
                    n.parse()
                        .unwrap_or_else(|_| panic!("bad tag in vocabulary entry {e:?}")),
                ),
                None => (e, 0),
            };
            let syms: Box<[Sym]> = parts(text).map(|p| interner.intern(p)).collect();
            phrases.push((syms, tag));
        }
        let mut by_first: FxMap<Sym, Vec<u32>> = FxMap::default();
        let mut by_last: FxMap<Sym, Vec<u32>> = FxMap::default();
        for (k, (p, _)) in phrases.iter().enumerate() {
            by_first.entry(p[0]).or_default().push(k as u32);
            by_last.entry(p[p.len() - 1]).or_default().push(k as u32);
        }
        for v in by_first.values_mut().chain(by_last.values_mut()) {
            v.sort_by_key(|&k| std::cmp::Reverse(phrases[k as usize].0.len()));
        }
        let starts = bitset(by_first.keys());
        let ends = bitset(by_last.keys());
        Lex {
            phrases,
            by_first,
            by_last,
            starts,
            ends,
        }
    }

    /// The longest phrase whose symbols are `get(0), get(1), …`; its length
    /// and tag. `get(k)` gives `None` past the end of what may match.
    pub fn longest_with(&self, get: impl Fn(usize) -> Option<Sym>) -> Option<(usize, u32)> {
        let first = get(0).filter(|&f| bit(&self.starts, f))?;
        self.by_first.get(&first)?.iter().find_map(|&k| {
            let (p, tag) = &self.phrases[k as usize];
            (1..p.len()).all(|j| get(j) == Some(p[j])).then_some((p.len(), *tag))
        })
    }

    /// The longest phrase whose symbols end with `get(0)`, `get(1)` being the
    /// one before it, and so on; its length.
    pub fn longest_ending_with(&self, get: impl Fn(usize) -> Option<Sym>) -> Option<usize> {
        let last = get(0).filter(|&l| bit(&self.ends, l))?;
        self.by_last.get(&last)?.iter().find_map(|&k| {
            let p = &self.phrases[k as usize].0;
            (1..p.len())
                .all(|j| get(j) == Some(p[p.len() - 1 - j]))
                .then_some(p.len())
        })
    }

    /// Every phrase, as its symbols.
    pub fn phrases(&self) -> impl Iterator<Item = &[Sym]> {
        self.phrases.iter().map(|(p, _)| &p[..])
    }
}

macro_rules! lists {
    ($($(#[$m:meta])* $field:ident: $file:literal $(tagged $t:tt)?),* $(,)?) => {
        /// Every word list of the grammar.
        pub struct Lists {
            $($(#[$m])* pub $field: Lex,)*
        }

        /// (file name, contents) of every list file.
        pub const FILES: &[(&str, &str)] = &[
            $(($file, include_str!(concat!("../vocab/", $file, ".txt"))),)*
            ("keywords", include_str!("../vocab/keywords.txt")),
        ];

        fn build_lists(interner: &mut Interner) -> Lists {
            Lists {
                $($field: Lex::build(
                    interner,
                    include_str!(concat!("../vocab/", $file, ".txt")),
                    false $(|| $t)?,
                ),)*
            }
        }
    };
}

lists! {
    /// Common surnames.
    surnames: "surnames",
    /// Honorifics and ranks that may introduce a name.
    honorifics: "honorifics",
    title_modifiers: "title_modifiers",
    title_heads: "title_heads",
    bare_heads: "bare_heads",
    org_any_case: "org_any_case",
    admin_units: "admin_units",
    org_capital: "org_capital",
    place_prefixes: "place_prefixes",
    /// Multipliers, tagged with their power of ten.
    multipliers: "multipliers" tagged true,
    measure_units: "measure_units",
    counted_nouns: "counted_nouns",
    time_units: "time_units",
    not_counted: "not_counted",
    identifier_prefixes: "identifier_prefixes",
    day_context: "day_context",
    places: "places",
    business_orgs: "business_orgs",
    modifier_heads: "modifier_heads",
    chrome_credit_labels: "chrome_credit_labels",
    chrome_line_labels: "chrome_line_labels",
    chrome_short_labels: "chrome_short_labels",
    chrome_related_labels: "chrome_related_labels",
    chrome_footer_labels: "chrome_footer_labels",
    chrome_title_words: "chrome_title_words",
    file_extensions: "file_extensions",
}

pub struct Vocab {
    syms: FxMap<Box<str>, Sym>,
    pub lists: Lists,
}

/// The vocabulary, built on first use.
pub fn vocab() -> &'static Vocab {
    static VOCAB: OnceLock<Vocab> = OnceLock::new();
    VOCAB.get_or_init(|| {
        let mut interner = Interner { syms: FxMap::default() };
        let lists = build_lists(&mut interner);
        for e in entries(include_str!("../vocab/keywords.txt")) {
            interner.intern(e);
        }
        Vocab {
            syms: interner.syms,
            lists,
        }
    })
}

impl Vocab {
    /// The symbol of a folded key, or [`NONE`].
    pub fn lookup(&self, key: &str) -> Sym {
        self.syms.get(key).copied().unwrap_or(NONE)
    }
}

/// The symbol of `word`; [`ABSENT`] (matching nothing) when the vocabulary
/// lacks it, which debug builds treat as a bug.
pub fn sym(word: &str) -> Sym {
    let s = vocab().lookup(&fold(word));
    debug_assert!(
        s != NONE,
        "{word:?} is not in the vocabulary (add it to vocab/keywords.txt)"
    );
    if s == NONE {
        ABSENT
    } else {
        s
    }
}

pub fn lists() -> &'static Lists {
    &vocab().lists
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn fold_ignores_tone_placement_and_case() {
        let table = [
            ("uỷ", "ủy"),
            ("Hoá", "hóa"),
            ("qúy", "quý"),
            ("QUÝ", "quý"),
            ("Luỹ", "lũy"),
            ("thuở", "thủơ"),
            ("Nguye\u{302}\u{303}n", "nguyễn"),
            ("ĐỒNG", "đồng"),
        ];
        for (a, b) in table {
            assert_eq!(fold(a), fold(b), "{a} vs {b}");
        }
        assert_ne!(fold("quy"), fold("quý"));
        assert_ne!(fold("tỷ"), fold("tỉ"));
        assert_eq!(fold("Ảnh"), "anh3");
    }

    #[test]
    fn list_files_have_no_duplicates_and_are_nfc() {
        for (name, file) in FILES {
            let mut seen = HashSet::new();
            for e in entries(file) {
                let nfc: String = e.nfc().collect();
                assert_eq!(e, nfc, "{name}.txt: {e:?} is not NFC");
                assert!(
                    !e.contains("  ") && !e.contains('\t'),
                    "{name}.txt: {e:?} has odd spacing"
                );
                let key: Vec<String> = parts(e).map(fold).collect();
                assert!(seen.insert(key), "{name}.txt: {e:?} is listed twice (after folding)");
            }
        }
    }

    #[test]
    fn every_keyword_in_the_sources_is_in_the_vocabulary() {
        let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).expect("src dir") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        let mut checked = 0;
        for path in files {
            let src = std::fs::read_to_string(&path).expect("source file");
            for piece in src.split("kw!(\"").skip(1) {
                let word = piece.split('"').next().unwrap_or_default();
                if word.is_empty() {
                    continue;
                }
                assert_ne!(
                    vocab().lookup(&fold(word)),
                    NONE,
                    "{}: kw!({word:?}) is not in the vocabulary",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked > 10, "found only {checked} keywords");
    }

    #[test]
    fn lists_find_longest_phrases_by_first_and_last_word() {
        let mut interner = Interner { syms: FxMap::default() };
        let lex = Lex::build(
            &mut interner,
            "doanh\ndoanh nghiệp\n# comment\nđ/c\nvăn hóa, thể thao\n",
            false,
        );
        let tagged = Lex::build(&mut interner, "nghìn 3\ntỷ 9\n", true);
        let words = |s: &str| -> Vec<Sym> {
            parts(s)
                .map(|p| interner.syms.get(fold(p).as_str()).copied().unwrap_or(NONE))
                .collect()
        };
        let text = words("doanh nghiệp mới");
        assert_eq!(lex.longest_with(|k| text.get(k).copied()), Some((2, 0)));
        let text = words("Đ/C Hải");
        assert_eq!(lex.longest_with(|k| text.get(k).copied()), Some((3, 0)));
        let text = words("Văn hoá, Thể thao");
        assert_eq!(lex.longest_with(|k| text.get(k).copied()), Some((5, 0)));
        let back = words("nghiệp doanh");
        assert_eq!(lex.longest_ending_with(|k| back.get(k).copied()), Some(2));
        let text = words("tỷ");
        assert_eq!(tagged.longest_with(|k| text.get(k).copied()), Some((1, 9)));
    }
}
