//! A seeded synthetic corpus for scoring benchmarks.
//!
//! [`generate`] cycles the real gold articles (`gold/*.json` and their texts)
//! into `n` JSON-lines gold records with the text inline, and writes one
//! predictions line per article derived from the gold by a seeded
//! perturbation: every gold mention independently is kept (~70%), dropped
//! (~10%), has one boundary shifted by 1-3 code points (~8%), gets a wrong
//! value (~8%) or becomes a mention of another field (~4%); each article also
//! gets 0-2 spurious date mentions outside its ignore regions.
//!
//! Every predicted mention is valid for the harness: `text` is exactly the
//! code points `start..end` of the article (end exclusive, `end <= len`), and
//! the value has the shape and the constraints of its field. The generator is
//! our own Rng, so a given seed gives the same bytes on every machine
//! and with every dependency version.

use anyhow::{bail, ensure, Context, Result};
use serde_json::{json, Value};
use splitmix::Rng;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// What [`generate`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CorpusStats {
    /// Gold lines (= predictions lines).
    pub articles: usize,
    /// Gold mentions over all articles.
    pub gold_mentions: usize,
    /// Predicted mentions over all articles.
    pub pred_mentions: usize,
    /// Article text in UTF-8 bytes, summed over all articles.
    pub bytes: u64,
}

/// One gold mention, with what the perturbation needs parsed out.
struct GoldMention {
    field: String,
    start: usize,
    end: usize,
    value: Value,
}

/// One real article, with its gold line parts serialized once.
struct Article {
    id: String,
    text: String,
    /// Byte offset of every code point, plus the text length.
    starts: Vec<usize>,
    ignore: Vec<(usize, usize)>,
    mentions: Vec<GoldMention>,
    text_json: String,
    ignore_json: String,
    mentions_json: String,
}

impl Article {
    fn n_chars(&self) -> usize {
        self.starts.len() - 1
    }

    fn slice(&self, start: usize, end: usize) -> &str {
        &self.text[self.starts[start]..self.starts[end]]
    }
}

fn usize_at(v: &Value, key: &str, what: &str) -> Result<usize> {
    v.get(key)
        .and_then(Value::as_u64)
        .map(|n| n as usize)
        .with_context(|| format!("{what}: \"{key}\" is not a non-negative integer"))
}

fn load_article(file: &Path, gold_dir: &Path) -> Result<Article> {
    let src = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let gold: Value = serde_json::from_str(&src).with_context(|| format!("parsing {}", file.display()))?;
    let id = gold["id"]
        .as_str()
        .with_context(|| format!("{}: no string \"id\"", file.display()))?
        .to_string();
    let source = gold["source"]
        .as_str()
        .with_context(|| format!("{}: no string \"source\"", file.display()))?;
    let text_path = gold_dir.join(source);
    let text = std::fs::read_to_string(&text_path).with_context(|| format!("reading {}", text_path.display()))?;
    let starts: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    let n_chars = starts.len() - 1;
    let what = |kind: &str, i: usize| format!("{}: {kind} {i}", file.display());

    let ignore_raw = gold["ignore"].as_array().cloned().unwrap_or_default();
    let mut ignore = Vec::with_capacity(ignore_raw.len());
    for (i, ig) in ignore_raw.iter().enumerate() {
        let (start, end) = (
            usize_at(ig, "start", &what("ignore", i))?,
            usize_at(ig, "end", &what("ignore", i))?,
        );
        ensure!(
            start < end && end <= n_chars,
            "{}: offsets {start}..{end} out of range",
            what("ignore", i)
        );
        ignore.push((start, end));
    }
    let mentions_raw = gold["mentions"]
        .as_array()
        .with_context(|| format!("{}: no \"mentions\" array", file.display()))?;
    let mut mentions = Vec::with_capacity(mentions_raw.len());
    for (i, m) in mentions_raw.iter().enumerate() {
        let w = what("mention", i);
        let (start, end) = (usize_at(m, "start", &w)?, usize_at(m, "end", &w)?);
        ensure!(
            start < end && end <= n_chars,
            "{w}: offsets {start}..{end} out of range"
        );
        let field = m["field"]
            .as_str()
            .with_context(|| format!("{w}: no string \"field\""))?;
        if !FIELDS.contains(&field) {
            bail!("{w}: unknown field {field:?}");
        }
        mentions.push(GoldMention {
            field: field.to_string(),
            start,
            end,
            value: m["value"].clone(),
        });
    }
    Ok(Article {
        text_json: serde_json::to_string(&text)?,
        ignore_json: serde_json::to_string(&ignore_raw)?,
        mentions_json: serde_json::to_string(mentions_raw)?,
        id,
        text,
        starts,
        ignore,
        mentions,
    })
}

const FIELDS: [&str; 4] = ["date", "official", "figure", "percentage"];

/// Reads every `gold_dir/*.json` (sorted by file name) with its article text.
fn load_gold(gold_dir: &Path) -> Result<Vec<Article>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(gold_dir)
        .with_context(|| format!("reading {}", gold_dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "json") && p.is_file());
    files.sort();
    if files.is_empty() {
        bail!("no gold files (*.json) in {}", gold_dir.display());
    }
    files.iter().map(|f| load_article(f, gold_dir)).collect()
}

/// Writes `n_articles` gold lines to `gold_out` and as many predictions lines
/// to `pred_out`, cycling the real articles of `gold_dir`. Article `i` is real
/// article `i % n_real` with id `"<orig id>-r<i / n_real>"`.
pub fn generate(
    gold_dir: &Path,
    n_articles: usize,
    seed: u64,
    gold_out: &Path,
    pred_out: &Path,
) -> Result<CorpusStats> {
    let real = load_gold(gold_dir)?;
    let create = |p: &Path| -> Result<BufWriter<std::fs::File>> {
        let f = std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?;
        Ok(BufWriter::with_capacity(1 << 20, f))
    };
    let mut gold_w = create(gold_out)?;
    let mut pred_w = create(pred_out)?;
    let mut rng = Rng::new(seed);
    let mut stats = CorpusStats {
        articles: n_articles,
        gold_mentions: 0,
        pred_mentions: 0,
        bytes: 0,
    };
    let mut line = String::new();
    for i in 0..n_articles {
        let a = &real[i % real.len()];
        let id = format!("{}-r{}", a.id, i / real.len());
        let id_json = serde_json::to_string(&id)?;
        writeln!(
            gold_w,
            "{{\"schema_version\":1,\"id\":{id_json},\"text\":{},\"ignore\":{},\"mentions\":{}}}",
            a.text_json, a.ignore_json, a.mentions_json
        )?;
        let preds = perturb(a, &mut rng);
        line.clear();
        line.push_str("{\"id\":");
        line.push_str(&id_json);
        line.push_str(",\"mentions\":[");
        for (k, p) in preds.iter().enumerate() {
            if k > 0 {
                line.push(',');
            }
            line.push_str(&format!(
                "{{\"field\":\"{}\",\"start\":{},\"end\":{},\"text\":{},\"value\":{}}}",
                p.field,
                p.start,
                p.end,
                serde_json::to_string(a.slice(p.start, p.end))?,
                serde_json::to_string(&p.value)?
            ));
        }
        line.push_str("]}\n");
        pred_w.write_all(line.as_bytes())?;
        stats.gold_mentions += a.mentions.len();
        stats.pred_mentions += preds.len();
        stats.bytes += a.text.len() as u64;
    }
    gold_w
        .flush()
        .with_context(|| format!("writing {}", gold_out.display()))?;
    pred_w
        .flush()
        .with_context(|| format!("writing {}", pred_out.display()))?;
    Ok(stats)
}

/// A predicted mention; its text is taken from the article when written.
struct Pred {
    field: &'static str,
    start: usize,
    end: usize,
    value: Value,
}

fn static_field(f: &str) -> &'static str {
    FIELDS.into_iter().find(|x| *x == f).unwrap_or("date")
}

/// The predictions for one article: the perturbed gold plus 0-2 spurious
/// dates, in text order.
fn perturb(a: &Article, rng: &mut Rng) -> Vec<Pred> {
    let n = a.n_chars();
    let mut out = Vec::with_capacity(a.mentions.len() + 2);
    for m in &a.mentions {
        let field = static_field(&m.field);
        let keep = Pred {
            field,
            start: m.start,
            end: m.end,
            value: m.value.clone(),
        };
        let roll = rng.below(100);
        out.push(match roll {
            0..=69 => keep,
            70..=79 => continue,
            80..=87 => shift(keep, n, rng),
            88..=95 => Pred {
                value: wrong_value(field, &m.value, rng),
                ..keep
            },
            _ => {
                let others: Vec<&'static str> = FIELDS.into_iter().filter(|f| *f != field).collect();
                let new = others[rng.below(others.len())];
                Pred {
                    field: new,
                    value: value_for(new, a.slice(m.start, m.end)),
                    ..keep
                }
            }
        });
    }
    for _ in 0..rng.below(3) {
        if let Some(p) = spurious(a, rng) {
            out.push(p);
        }
    }
    out.sort_by_key(|p| (p.start, p.end));
    out
}

/// Moves one boundary by 1-3 code points, keeping `0 <= start < end <= n`.
fn shift(mut p: Pred, n: usize, rng: &mut Rng) -> Pred {
    let mut options = Vec::with_capacity(12);
    for d in 1..=3usize {
        if p.start >= d {
            options.push((true, p.start - d));
        }
        // Shrinking from either side keeps at least one code point.
        if p.start + d < p.end {
            options.push((true, p.start + d));
            options.push((false, p.end - d));
        }
        if p.end + d <= n {
            options.push((false, p.end + d));
        }
    }
    if !options.is_empty() {
        match options[rng.below(options.len())] {
            (true, s) => p.start = s,
            (false, e) => p.end = e,
        }
    }
    p
}

fn is_leap(y: u32) -> bool {
    matches!((y % 4, y % 100, y % 400), (0, 1.., _) | (_, _, 0))
}

/// A value of the same field that the scorer counts as wrong.
fn wrong_value(field: &str, value: &Value, rng: &mut Rng) -> Value {
    match field {
        "date" => {
            let s = value.as_str().unwrap_or("2024");
            let year: Option<u32> = s
                .get(..4)
                .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|y| y.parse().ok());
            let Some(year) = year else {
                // "XXXX-..." (year not stated): state a year.
                return Value::String(s.replacen("XXXX", "2024", 1));
            };
            let mut new = if year == 9999 { year - 1 } else { year + 1 };
            if s[4..].starts_with("-02-29") && !is_leap(new) {
                new = if year >= 9996 { year - 4 } else { year + 4 };
            }
            Value::String(format!("{new:04}{}", &s[4..]))
        }
        "official" => {
            let name = value["name"].as_str().unwrap_or("Nguyễn Văn An");
            let titles = value["titles"].as_array().cloned().unwrap_or_default();
            if !titles.is_empty() && rng.below(2) == 0 {
                return json!({"name": name, "titles": []});
            }
            let mut words: Vec<&str> = name.split_whitespace().collect();
            let last = words.pop().unwrap_or("");
            let replacement = ["Hùng", "Lan", "Minh"]
                .into_iter()
                .find(|w| !w.eq_ignore_ascii_case(last) && *w != last)
                .unwrap_or("Minh");
            words.push(replacement);
            json!({"name": words.join(" "), "titles": titles})
        }
        "figure" => {
            let unit = value["unit"].as_str().unwrap_or("đồng");
            let amount = match value["amount"].as_i64().and_then(|a| a.checked_mul(2)) {
                Some(0) => json!(1),
                Some(a) => json!(a),
                None => {
                    let a = value["amount"].as_f64().unwrap_or(0.0);
                    if a == 0.0 {
                        json!(1)
                    } else {
                        json!(a * 2.0)
                    }
                }
            };
            json!({"amount": amount, "unit": unit})
        }
        _ => {
            let v = &value["value"];
            match v.as_i64() {
                Some(i) => json!({"value": i + 1}),
                None => json!({"value": v.as_f64().unwrap_or(0.0) + 1.0}),
            }
        }
    }
}

/// A valid value for `field` for a mention that was labelled another field.
fn value_for(field: &str, text: &str) -> Value {
    match field {
        "date" => json!("2024"),
        "official" => {
            let name = text.trim();
            json!({"name": if name.is_empty() { "Nguyễn Văn An" } else { name }, "titles": []})
        }
        "figure" => json!({"amount": 5, "unit": "đồng"}),
        _ => json!({"value": 5}),
    }
}

/// A random 3-10 code point span outside every ignore region, predicted as
/// the date "2024"; `None` if a few tries find no place (tiny texts).
fn spurious(a: &Article, rng: &mut Rng) -> Option<Pred> {
    let n = a.n_chars();
    for _ in 0..16 {
        let len = rng.range(3, 10);
        if len > n {
            return None;
        }
        let start = rng.below(n - len + 1);
        let end = start + len;
        if a.ignore.iter().all(|&(s, e)| end <= s || e <= start) {
            return Some(Pred {
                field: "date",
                start,
                end,
                value: json!("2024"),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashSet};

    const GOLD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../gold");

    fn tmp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-corpus-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn run(dir: &Path, tag: &str, n: usize, seed: u64) -> (CorpusStats, String, String) {
        let (g, p) = (
            dir.join(format!("{tag}.gold.jsonl")),
            dir.join(format!("{tag}.pred.jsonl")),
        );
        let stats = generate(Path::new(GOLD), n, seed, &g, &p).unwrap();
        (
            stats,
            std::fs::read_to_string(g).unwrap(),
            std::fs::read_to_string(p).unwrap(),
        )
    }

    #[test]
    fn splitmix_is_the_reference_sequence() {
        // First outputs for seed 1234567 from the reference implementation.
        let mut r = Rng::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_predictions() {
        let dir = tmp("determinism");
        let a = run(&dir, "a", 23, 7);
        let b = run(&dir, "b", 23, 7);
        let c = run(&dir, "c", 23, 8);
        assert_eq!(a, b);
        assert_eq!(a.1, c.1, "the gold does not depend on the seed");
        assert_ne!(a.2, c.2);
        // A longer corpus starts with the shorter one.
        let d = run(&dir, "d", 40, 7);
        assert!(d.1.starts_with(&a.1) && d.2.starts_with(&a.2));
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn check_value(field: &str, v: &Value) -> bool {
        match field {
            "date" => v.as_str().is_some_and(|s| {
                let year = &s[..4.min(s.len())];
                s.len() >= 4 && (year == "XXXX" || year.bytes().all(|b| b.is_ascii_digit()))
            }),
            "official" => {
                v.as_object().is_some_and(|o| o.len() == 2)
                    && v["name"].as_str().is_some_and(|n| !n.trim().is_empty())
                    && v["titles"].as_array().is_some_and(|t| t.iter().all(|t| t.is_string()))
            }
            "figure" => {
                v.as_object().is_some_and(|o| o.len() == 2)
                    && v["amount"].as_f64().is_some_and(f64::is_finite)
                    && v["unit"]
                        .as_str()
                        .is_some_and(|u| !u.is_empty() && u == u.to_lowercase())
            }
            "percentage" => v.as_object().is_some_and(|o| o.len() == 1) && v["value"].as_f64().is_some(),
            _ => false,
        }
    }

    #[test]
    fn every_prediction_is_valid_against_its_article() {
        let dir = tmp("invariant");
        let n = 300;
        let (stats, gold, pred) = run(&dir, "x", n, 42);
        std::fs::remove_dir_all(dir).unwrap();

        let mut texts = BTreeMap::new();
        let mut golds = BTreeMap::new();
        let mut gold_total = 0;
        for line in gold.lines() {
            let g: Value = serde_json::from_str(line).unwrap();
            assert_eq!(g["schema_version"], 1);
            let id = g["id"].as_str().unwrap().to_string();
            let text: Vec<char> = g["text"].as_str().unwrap().chars().collect();
            let ms = g["mentions"].as_array().unwrap().clone();
            for m in &ms {
                let (s, e) = (
                    m["start"].as_u64().unwrap() as usize,
                    m["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(m["text"].as_str().unwrap(), text[s..e].iter().collect::<String>());
            }
            gold_total += ms.len();
            let ignore: Vec<(u64, u64)> = g["ignore"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| (i["start"].as_u64().unwrap(), i["end"].as_u64().unwrap()))
                .collect();
            golds.insert(id.clone(), (ms, ignore));
            assert!(texts.insert(id, text).is_none(), "ids are unique");
        }
        assert_eq!(texts.len(), n);
        assert_eq!(stats.gold_mentions, gold_total);
        assert!(texts.contains_key("000_ffe74637e9cbe8aa-r0"));

        let (mut pred_total, mut exact, mut spurious_dates) = (0, 0, 0);
        let mut fields = HashSet::new();
        let mut lines = 0;
        for line in pred.lines() {
            lines += 1;
            let p: Value = serde_json::from_str(line).unwrap();
            let id = p["id"].as_str().unwrap();
            let text = &texts[id];
            let (gold_ms, _ignore) = &golds[id];
            for m in p["mentions"].as_array().unwrap() {
                pred_total += 1;
                let (s, e) = (
                    m["start"].as_u64().unwrap() as usize,
                    m["end"].as_u64().unwrap() as usize,
                );
                assert!(s < e && e <= text.len(), "{id}: {s}..{e} of {}", text.len());
                assert_eq!(
                    m["text"].as_str().unwrap(),
                    text[s..e].iter().collect::<String>(),
                    "{id}"
                );
                let field = m["field"].as_str().unwrap();
                fields.insert(field.to_string());
                assert!(check_value(field, &m["value"]), "{id}: {m}");
                let same = |g: &&Value| {
                    g["start"] == m["start"]
                        && g["end"] == m["end"]
                        && g["field"] == m["field"]
                        && g["value"] == m["value"]
                };
                if gold_ms.iter().any(|g| same(&g)) {
                    exact += 1;
                } else if field == "date" && m["value"] == "2024" {
                    spurious_dates += 1;
                }
            }
        }
        assert_eq!(lines, n);
        assert_eq!(stats.pred_mentions, pred_total);
        assert_eq!(fields.len(), 4);
        let kept = exact as f64 / gold_total as f64;
        assert!((0.65..0.75).contains(&kept), "kept {kept}");
        assert!(spurious_dates > n / 2, "{spurious_dates}");
    }

    #[test]
    fn spurious_mentions_avoid_ignore_regions() {
        let real = load_gold(Path::new(GOLD)).unwrap();
        let mut rng = Rng::new(3);
        for a in &real {
            for _ in 0..500 {
                let p = spurious(a, &mut rng).unwrap();
                assert!((3..=10).contains(&(p.end - p.start)) && p.end <= a.n_chars());
                assert!(a.ignore.iter().all(|&(s, e)| p.end <= s || e <= p.start));
            }
        }
    }

    #[test]
    fn wrong_values_stay_valid_and_differ() {
        let mut rng = Rng::new(0);
        for (v, want) in [
            ("2024-Q1", "2025-Q1"),
            ("2023/2024", "2024/2024"),
            ("XXXX-08-31", "2024-08-31"),
            ("2024-02-29", "2028-02-29"),
            ("9999", "9998"),
        ] {
            assert_eq!(wrong_value("date", &json!(v), &mut rng), json!(want));
        }
        assert!(is_leap(2000) && is_leap(2024) && !is_leap(1900) && !is_leap(2023));
        let fig = wrong_value("figure", &json!({"amount": 1326800000000u64, "unit": "đồng"}), &mut rng);
        assert_eq!(fig, json!({"amount": 2653600000000u64, "unit": "đồng"}));
        assert_eq!(
            wrong_value("percentage", &json!({"value": 7.1}), &mut rng)["value"].as_f64(),
            Some(8.1)
        );
        assert_eq!(
            wrong_value("percentage", &json!({"value": 25}), &mut rng),
            json!({"value": 26})
        );
        let o = json!({"name": "Nguyễn Phước Sơn", "titles": ["Chủ tịch UBND huyện"]});
        for _ in 0..20 {
            let w = wrong_value("official", &o, &mut rng);
            assert_ne!(w, o);
            assert!(check_value("official", &w), "{w}");
        }
    }

    #[test]
    fn shifts_stay_inside_the_text() {
        let mut rng = Rng::new(9);
        for _ in 0..1000 {
            let p = Pred {
                field: "date",
                start: 0,
                end: 2,
                value: json!("2024"),
            };
            let q = shift(p, 3, &mut rng);
            assert!(q.start < q.end && q.end <= 3 && (q.start, q.end) != (0, 2));
        }
    }
}
