//! `harness gold …`: check, agree, stats, fmt, add, export, import.

use crate::cli::{AgreeArgs, ExportArgs, GoldCommand, ImportArgs};
use crate::interop::{self, Format};
use crate::report::render::{agreement, text::num};
use crate::{agree, exit, gold, plan, Error, Result};
use std::fmt::Write;
use std::path::Path;

pub fn run(c: &GoldCommand) -> Result<i32> {
    match c {
        GoldCommand::Check { dir } => check(dir),
        GoldCommand::Agree(a) => agree(a),
        GoldCommand::Stats { dir, json } => stats(dir, *json),
        GoldCommand::Fmt { dir, check } => fmt(dir, *check),
        GoldCommand::Export(a) => export(a),
        GoldCommand::Import(a) => import(a),
        GoldCommand::Add { file, gold, id } => add(file, gold, id.as_deref()),
    }
}

fn load(path: &Path) -> Result<gold::GoldSet> {
    plan::load_gold(&plan::GoldPlan {
        path: plan::cwd()?.join(path),
        subset: None,
        limit: None,
        shard: None,
    })
}

fn check(dir: &Path) -> Result<i32> {
    let set = load(dir)?;
    let mentions: usize = set.articles.iter().map(|a| a.mentions.len()).sum();
    for w in &set.warnings {
        crate::out::eprintln(&format!("warning: {w}"));
    }
    crate::out::eprintln(&format!(
        "{}: {} articles, {mentions} mentions, no problems",
        dir.display(),
        set.articles.len()
    ));
    Ok(exit::OK)
}

fn agree(a: &AgreeArgs) -> Result<i32> {
    let (mut sa, mut sb) = (load(&a.a)?, load(&a.b)?);
    if !a.only.is_empty() {
        sa = sa.select(&a.only);
        sb = sb.select(&a.only);
    }
    let result = agree::agree(&sa, &sb).map_err(|e| {
        Error::BadGold(vec![crate::diag::Diagnostic {
            file: a.b.clone(),
            line: 0,
            col: 0,
            message: e.to_string(),
        }])
    })?;
    crate::out::eprint(&agreement::render(&result, a.show));
    if a.json {
        crate::out::print(&(serde_json::to_string_pretty(&result).expect("agreement serializes") + "\n"));
    }
    Ok(exit::OK)
}

fn stats(dir: &Path, json: bool) -> Result<i32> {
    let set = load(dir)?;
    let s = gold::stats::stats(&set);
    if json {
        crate::out::print(&(serde_json::to_string_pretty(&s).expect("stats serialize") + "\n"));
        return Ok(exit::OK);
    }
    let mut out = String::new();
    let row = |name: &str, r: &gold::stats::Row| {
        let m = |f| r.mentions.get(&f).copied().unwrap_or(0);
        use extractor_api::Field::*;
        format!(
            "{name:<28} {:>4} {:>8} {:>5} {:>8} {:>6} {:>10} {:>6} {:>6}",
            r.articles,
            r.chars,
            m(Date),
            m(Official),
            m(Figure),
            m(Percentage),
            r.total(),
            r.ignore_regions
        )
    };
    let _ = writeln!(
        out,
        "{:<28} {:>4} {:>8} {:>5} {:>8} {:>6} {:>10} {:>6} {:>6}",
        "", "art.", "chars", "date", "official", "figure", "percentage", "total", "ignore"
    );
    let _ = writeln!(out, "{}", row("all", &s.all));
    for (g, r) in &s.per_group {
        let _ = writeln!(out, "{}", row(g, r));
    }
    let _ = writeln!(out);
    for (id, r) in &s.per_article {
        let _ = writeln!(out, "{}", row(id, r));
    }
    let _ = writeln!(
        out,
        "\nmentions per article: {} on average",
        num(Some(s.all.total() as f64 / s.all.articles.max(1) as f64))
    );
    crate::out::print(&out);
    Ok(exit::OK)
}

fn fmt(dir: &Path, check: bool) -> Result<i32> {
    let set = load(dir)?;
    if gold::is_jsonl(&set.dir) {
        return Err(Error::Usage(
            "gold fmt takes a gold directory, not a JSON-lines file".into(),
        ));
    }
    let mut changed = Vec::new();
    for a in &set.articles {
        let want = gold::canonical(a);
        let have = std::fs::read_to_string(&a.file).map_err(Error::io(&a.file))?;
        if have != want {
            changed.push(a.file.display().to_string());
            if !check {
                crate::files::atomic_write(&a.file, want.as_bytes())?;
            }
        }
    }
    match (check, changed.is_empty()) {
        (_, true) => crate::out::eprintln(&format!("{}: every gold file is canonical", dir.display())),
        (true, false) => {
            for f in &changed {
                crate::out::eprintln(&format!("{f}: not in the canonical layout (run `harness gold fmt`)"));
            }
            return Ok(exit::GATE_FAILED);
        }
        (false, false) => crate::out::eprintln(&format!("rewrote {} gold file(s)", changed.len())),
    }
    Ok(exit::OK)
}

fn export(a: &ExportArgs) -> Result<i32> {
    if a.conll_values && a.to != Format::Conll {
        return Err(Error::Usage(
            "--conll-values is for --to conll; brat and label-studio always carry values".into(),
        ));
    }
    let set = load(&a.gold)?;
    let lost = interop::export(a.to, &set, &a.out, a.conll_values)?;
    for l in &lost {
        crate::out::eprintln(&format!("note: {l}"));
    }
    crate::out::eprintln(&format!(
        "{}: {} articles written as {}",
        a.out.display(),
        set.articles.len(),
        a.to.name()
    ));
    Ok(exit::OK)
}

fn import(a: &ImportArgs) -> Result<i32> {
    match (a.from, &a.text_dir) {
        (Format::LabelStudio, Some(_)) => {
            return Err(Error::Usage(
                "--text-dir is for conll and brat; Label Studio tasks carry their text".into(),
            ))
        }
        (Format::Conll, None) => return Err(Error::Usage(
            "--from conll needs --text-dir DIR holding <id>.txt for every article: CoNLL carries tokens, not the text"
                .into(),
        )),
        _ => {}
    }
    if !a.input.exists() {
        return Err(Error::Missing {
            what: "input",
            path: a.input.clone(),
        });
    }
    let (articles, mentions) = interop::import(a.from, &a.input, &a.out, a.text_dir.as_deref())?;
    crate::out::eprintln(&format!(
        "{}: {articles} articles, {mentions} mentions imported from {}, no problems",
        a.out.display(),
        a.from.name()
    ));
    Ok(exit::OK)
}

fn add(file: &Path, dir: &Path, id: Option<&str>) -> Result<i32> {
    let id = match id {
        Some(id) => id.to_string(),
        None => file
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| Error::Usage(format!("{}: give the article an id with --id", file.display())))?
            .to_string(),
    };
    let bytes = std::fs::read(file).map_err(Error::io(file))?;
    let text = gold::add::article_text(bytes, file)?;
    let a = gold::add::add(dir, &id, text)?;
    crate::out::eprintln(&format!(
        "added {id}: {} ({} code points) and {}; label it with `harness annotate --gold {} --article {id}`",
        gold::add::paths(dir, &id).0.display(),
        a.text.chars().count(),
        a.file.display(),
        dir.display()
    ));
    Ok(exit::OK)
}
