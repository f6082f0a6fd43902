//! `cargo xtask bench [--quick]`: the measurements behind BENCHMARKS.md.
//!
//! 1. Scoring throughput at 1k/10k/100k generated articles: the scoring
//!    stage on one core beside nervaluate on the identical spans (same run),
//!    the whole streaming `harness score` process (CPU and wall time, peak
//!    memory), and the read floor: what reading the same files costs alone.
//! 2. Plugin call overhead with a no-op plugin on 5 KB articles, in-process
//!    and through a worker.
//! 3. Extractor speed on the gold (the report's timing columns).
//! 4. End-to-end `harness eval` on the gold with nothing to rebuild.
//!
//! `--quick` is the CI smoke mode: tiny sizes, same code paths, no targets
//! checked. Results go to target/bench/ (results.json, results.md) and the
//! scaling plot to docs/scaling.svg (full mode only).

use crate::{build, corpus, extractor_packages, peer_plugins, plot, root};
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub const SEED: u64 = 20240604;

pub fn bench(quick: bool) -> Result<u8> {
    let root = root()?;
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let mut packages = extractor_packages(&root)?;
    packages.push("fixture-fault".into());
    let (harness, libs) = build(&root, &packages)?;
    let (scorer, floor_bin) = build_benches(&root)?;
    let python = root.join("extractors/peers/.venv/bin/python");
    let nervaluate = python.exists()
        && Command::new(&python)
            .args(["-c", "import nervaluate"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !nervaluate {
        eprintln!("nervaluate is not installed: run `cargo xtask peers` for the side-by-side figures");
    }

    let sizes: &[usize] = if quick { &[50, 200] } else { &[1_000, 10_000, 100_000] };
    let mut scaling = Vec::new();
    for &n in sizes {
        eprintln!("scoring: {n} articles");
        let (gold, preds) = (dir.join(format!("gold-{n}.jsonl")), dir.join(format!("pred-{n}.jsonl")));
        let stats = corpus::generate(&root.join("gold"), n, SEED, &gold, &preds)?;
        // Every figure of a size comes from the same rounds, one run of
        // each per round, its fastest kept: this shared machine halves its
        // speed for seconds at a time, and two figures taken minutes apart
        // made a ratio of the machine's moods, not of the code.
        let rounds = match (quick, n) {
            (true, _) => 1,
            (false, n) if n >= 100_000 => 2,
            _ => ROUNDS,
        };
        let out = dir.join(format!("score-{n}"));
        let (mut stage, mut nerval, mut one, mut all, mut floor) = (None, None, None, None, None);
        for _ in 0..rounds {
            let run = json_out(Command::new(&scorer).arg(&gold).arg(&preds))?;
            stage = Some(fastest(stage, run, "score_seconds"));
            // The least any serde_json-based scorer must spend on these
            // files (harness/benches/read_floor.rs), timed as the process is.
            let run = timed(Command::new(&floor_bin).arg(&gold).arg(&preds))?;
            floor = Some(run.or_better(floor));
            if nervaluate {
                let script = root.join("xtask/bench/nervaluate_bench.py");
                let run = json_out(Command::new(&python).arg(script).arg(&gold).arg(&preds))?;
                nerval = Some(fastest(nerval, run, "seconds"));
            }
            // The whole process on one core (CPU time, as nervaluate's
            // figure is), then on every core (wall time).
            let run = timed(
                Command::new(&harness)
                    .args(["score", "--threads", "1", "--gold"])
                    .arg(&gold)
                    .arg("--predictions")
                    .arg(&preds)
                    .arg("--out")
                    .arg(dir.join(format!("score-{n}-1"))),
            )?;
            one = Some(run.or_better(one));
            let run = timed(
                Command::new(&harness)
                    .args(["score", "--gold"])
                    .arg(&gold)
                    .arg("--predictions")
                    .arg(&preds)
                    .arg("--out")
                    .arg(&out),
            )?;
            all = Some(run.or_better(all));
        }
        let (stage, one, all, floor) = (
            stage.expect("one round"),
            one.expect("one round"),
            all.expect("one round"),
            floor.expect("one round"),
        );
        let wall = all.wall;
        scaling.push(json!({
            "articles": n,
            "gold_mentions": stats.gold_mentions,
            "pred_mentions": stats.pred_mentions,
            "corpus_mb": stats.bytes as f64 / 1e6,
            "stage": stage,
            "nervaluate": nerval,
            "process_seconds": wall,
            "process_cpu_seconds_1_core": one.cpu,
            "read_floor_cpu_seconds": floor.cpu,
            "process_wall_seconds_1_core": one.wall,
            "process_peak_rss_mb": all.peak_rss_mb,
            "input_mb": (std::fs::metadata(&gold)?.len() + std::fs::metadata(&preds)?.len()) as f64 / 1e6,
        }));
    }

    eprintln!("call overhead");
    let overhead = call_overhead(&harness, &libs, &dir, if quick { 200 } else { 5_000 })?;

    eprintln!("extractor speed and end to end on the gold");
    let mut eval = Command::new(&harness);
    eval.current_dir(&root)
        .args(["eval", "--gold", "gold", "--no-cache", "--out"])
        .arg(dir.join("eval"));
    for lib in libs.iter().filter(|l| !is_fixture(l)) {
        eval.arg("--plugin").arg(lib);
    }
    for p in peer_plugins(&root) {
        eval.arg("--plugin").arg(p);
    }
    let t = Instant::now();
    run_quiet(&mut eval)?;
    let eval_seconds = t.elapsed().as_secs_f64();
    // The same with every article cached: no plugin process is started.
    let mut warm = Command::new(&harness);
    warm.current_dir(&root)
        .args(["eval", "--gold", "gold", "--out"])
        .arg(dir.join("eval-warm"));
    for lib in libs.iter().filter(|l| !is_fixture(l)) {
        warm.arg("--plugin").arg(lib);
    }
    for p in peer_plugins(&root) {
        warm.arg("--plugin").arg(p);
    }
    run_quiet(&mut warm)?;
    let t = Instant::now();
    run_quiet(&mut warm)?;
    let warm_seconds = t.elapsed().as_secs_f64();
    let grammar = grammar_in_process(&root, if quick { 2 } else { 30 })?;
    let report = read_json(&dir.join("eval/report.json"))?;
    let extractors: Vec<Value> = report["plugins"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| json!({"name": p["name"], "timing": p["timing"]}))
        .collect();

    let results = json!({
        "quick": quick,
        "machine": machine(),
        "scaling": scaling,
        "call_overhead": overhead,
        "extractors": extractors,
        "eval_seconds": eval_seconds,
        "eval_warm_seconds": warm_seconds,
        "grammar_in_process": grammar,
    });
    std::fs::write(dir.join("results.json"), serde_json::to_string_pretty(&results)?)?;
    let md = markdown(&results);
    std::fs::write(dir.join("results.md"), &md)?;
    print!("{md}");
    if !quick {
        let svg = scaling_plot(&results);
        std::fs::create_dir_all(root.join("docs"))?;
        std::fs::write(root.join("docs/scaling.svg"), svg)?;
        eprintln!("wrote docs/scaling.svg");
    }
    eprintln!("results in {}", dir.join("results.md").display());
    Ok(0)
}

fn is_fixture(lib: &Path) -> bool {
    lib.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains("fixture"))
}

/// Builds the scoring and read-floor benches (release) and returns their
/// executables, in that order.
fn build_benches(root: &Path) -> Result<(PathBuf, PathBuf)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root)
        .args([
            "bench",
            "-p",
            "harness",
            "--bench",
            "scoring",
            "--bench",
            "read_floor",
            "--no-run",
        ])
        .arg("--message-format=json-render-diagnostics")
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        bail!("building the benches failed");
    }
    let messages: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .collect();
    let executable = |name: &str| {
        messages
            .iter()
            .find(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == name)
            .and_then(|m| m["executable"].as_str().map(PathBuf::from))
            .with_context(|| format!("cargo did not report the {name} bench executable"))
    };
    Ok((executable("scoring")?, executable("read_floor")?))
}

/// A finished child's cost.
struct Timed {
    wall: f64,
    /// User + system CPU seconds of the child.
    cpu: f64,
    peak_rss_mb: f64,
}

/// Rounds per size (two at 100k articles, where nervaluate takes minutes).
const ROUNDS: usize = 3;

impl Timed {
    /// CPU and wall time each at the smaller, peak memory at the larger.
    fn or_better(self, best: Option<Timed>) -> Timed {
        let Some(b) = best else { return self };
        Timed {
            wall: self.wall.min(b.wall),
            cpu: self.cpu.min(b.cpu),
            peak_rss_mb: self.peak_rss_mb.max(b.peak_rss_mb),
        }
    }
}

/// Of two runs' JSON results, the one with fewer `key` seconds.
fn fastest(best: Option<Value>, run: Value, key: &str) -> Value {
    let secs = |v: &Value| v[key].as_f64().unwrap_or(f64::INFINITY);
    match best {
        Some(b) if secs(&b) <= secs(&run) => b,
        _ => run,
    }
}

/// Runs `cmd` quietly and measures it with wait4 (CPU time and peak RSS of
/// that child only).
fn timed(cmd: &mut Command) -> Result<Timed> {
    let t = Instant::now();
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut stderr = child.stderr.expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let mut status = 0;
    // SAFETY: waiting for our own child; rusage is written by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::wait4(pid, &mut status, 0, &mut usage) } != pid {
        bail!("wait4 failed: {}", std::io::Error::last_os_error());
    }
    let wall = t.elapsed().as_secs_f64();
    let err = reader.join().unwrap_or_default();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        bail!("{cmd:?} failed: {err}");
    }
    let secs = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    Ok(Timed {
        wall,
        cpu: secs(usage.ru_utime) + secs(usage.ru_stime),
        peak_rss_mb: usage.ru_maxrss as f64 / 1024.0,
    })
}

/// The grammar extractor in-process on one thread over the gold's articles
/// (its own timing loop, `extractors/grammar/examples/bench.rs`).
fn grammar_in_process(root: &Path, rounds: usize) -> Result<Value> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut articles: Vec<PathBuf> = std::fs::read_dir(root.join("gold/articles"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    articles.sort();
    let out = Command::new(cargo)
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "grammar",
            "--example",
            "bench",
            "--",
            "--rounds",
        ])
        .arg(rounds.to_string())
        .args(&articles)
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        bail!("the grammar bench failed");
    }
    Ok(Value::String(String::from_utf8_lossy(&out.stdout).trim().to_string()))
}

fn run_quiet(cmd: &mut Command) -> Result<()> {
    let out = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).output()?;
    if !out.status.success() {
        bail!("{:?} failed: {}", cmd, String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

fn json_out(cmd: &mut Command) -> Result<Value> {
    let out = cmd.stderr(Stdio::inherit()).output()?;
    if !out.status.success() {
        bail!("{cmd:?} failed");
    }
    serde_json::from_slice(&out.stdout).with_context(|| format!("{cmd:?} did not print JSON"))
}

fn read_json(path: &Path) -> Result<Value> {
    let src = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(serde_json::from_str(&src)?)
}

/// Per-call cost with the no-op fixture on `n` articles of 5 KB.
fn call_overhead(harness: &Path, libs: &[PathBuf], dir: &Path, n: usize) -> Result<Value> {
    let fixture = libs
        .iter()
        .find(|l| l.to_string_lossy().contains("fixture_fault"))
        .context("the fault fixture was not built")?;
    let manifest = dir.join("noop.json");
    std::fs::write(
        &manifest,
        json!({"library": fixture, "config": {"mode": "ok"}}).to_string(),
    )?;
    // 5 KB of plain Vietnamese-like text, one article per line, no mentions.
    let gold = dir.join(format!("noop-{n}.jsonl"));
    let unit = "Ủy ban nhân dân huyện họp bàn kế hoạch phát triển kinh tế xã hội. ";
    let mut text = String::new();
    while text.len() + unit.len() <= 5_000 {
        text.push_str(unit);
    }
    let mut lines = String::new();
    for i in 0..n {
        let line = json!({"schema_version": 1, "id": format!("a{i}"), "text": text, "mentions": []});
        writeln!(lines, "{line}")?;
    }
    std::fs::write(&gold, lines)?;
    let mut rows = Vec::new();
    for (mode, extra) in [("in-process", Some("--in-process")), ("worker", None)] {
        let out = dir.join(format!("noop-{mode}"));
        let mut cmd = Command::new(harness);
        cmd.args(["eval", "--gold"]).arg(&gold).arg("--plugin").arg(&manifest);
        cmd.args([
            "--no-cache",
            "--jobs",
            "1",
            "--resamples",
            "0",
            "--trials",
            "0",
            "--out",
        ])
        .arg(&out);
        if let Some(x) = extra {
            cmd.arg(x);
        }
        run_quiet(&mut cmd)?;
        let t = &read_json(&out.join("report.json"))?["plugins"][0]["timing"];
        let per_second = t["articles_per_second"].as_f64().unwrap_or(0.0);
        rows.push(json!({
            "mode": mode,
            "article_bytes": text.len(),
            "calls": n,
            "mean_us": if per_second > 0.0 { 1e6 / per_second } else { 0.0 },
            "p50_us": t["p50_ms"].as_f64().unwrap_or(0.0) * 1e3,
            "p95_us": t["p95_ms"].as_f64().unwrap_or(0.0) * 1e3,
        }));
    }
    Ok(Value::Array(rows))
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    json!({"cpu": cpu, "cores": cores, "os": std::env::consts::OS})
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// The tables BENCHMARKS.md quotes.
fn markdown(r: &Value) -> String {
    let mut s = String::new();
    let m = &r["machine"];
    let _ = writeln!(
        s,
        "Machine: {} ({} cores, {})\n",
        m["cpu"].as_str().unwrap_or("?"),
        m["cores"],
        m["os"].as_str().unwrap_or("?")
    );
    let _ = writeln!(s, "### Scoring stage, one core, same spans as nervaluate\n");
    let _ = writeln!(
        s,
        "| articles | mentions | harness s | harness mentions/s | nervaluate s | nervaluate mentions/s | ratio |"
    );
    let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|---:|");
    let rows = r["scaling"].as_array().cloned().unwrap_or_default();
    for row in &rows {
        let mentions = f(&row["gold_mentions"]) + f(&row["pred_mentions"]);
        let ours = f(&row["stage"]["score_seconds"]);
        let theirs = row["nervaluate"]["seconds"].as_f64();
        let _ = writeln!(
            s,
            "| {} | {} | {:.3} | {:.0} | {} | {} | {} |",
            row["articles"],
            mentions,
            ours,
            mentions / ours,
            theirs.map_or("—".into(), |t| format!("{t:.2}")),
            theirs.map_or("—".into(), |t| format!("{:.0}", mentions / t)),
            theirs.map_or("—".into(), |t| format!("{:.0}×", t / ours)),
        );
    }
    let _ = writeln!(
        s,
        "\n### Whole `harness score` process against nervaluate, same spans (CPU time on one core; nervaluate: evaluate() alone)\n"
    );
    let _ = writeln!(
        s,
        "| articles | input MB | harness CPU s, 1 core | MB/s | nervaluate s | ratio | read floor CPU s | floor's ratio | harness ÷ floor | harness wall s, {} cores | speed-up over 1 core |",
        r["machine"]["cores"]
    );
    let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in &rows {
        let cpu = f(&row["process_cpu_seconds_1_core"]);
        let floor = f(&row["read_floor_cpu_seconds"]);
        let theirs = row["nervaluate"]["seconds"].as_f64();
        let _ = writeln!(
            s,
            "| {} | {:.1} | {:.2} | {:.0} | {} | {} | {:.2} | {} | {:.1}× | {:.2} | {:.2}× |",
            row["articles"],
            f(&row["input_mb"]),
            cpu,
            f(&row["input_mb"]) / cpu,
            theirs.map_or("—".into(), |t| format!("{t:.2}")),
            theirs.map_or("—".into(), |t| format!("{:.1}×", t / cpu)),
            floor,
            theirs.map_or("—".into(), |t| format!("{:.1}×", t / floor)),
            cpu / floor,
            f(&row["process_seconds"]),
            f(&row["process_wall_seconds_1_core"]) / f(&row["process_seconds"]),
        );
    }
    let _ = writeln!(
        s,
        "\nRead floor: both files read, UTF-8 validated, SHA-256 hashed and parsed once into typed mentions with serde_json, nothing else (`harness/benches/read_floor.rs`)."
    );
    let _ = writeln!(
        s,
        "\n### Whole `harness score` process (streaming JSON lines, all cores, 1000 bootstrap resamples)\n"
    );
    let _ = writeln!(
        s,
        "| articles | corpus MB | wall s | articles/s | peak RSS MB | time ×, vs previous size |"
    );
    let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|");
    let mut prev: Option<(f64, f64)> = None;
    for row in &rows {
        let (n, t) = (f(&row["articles"]), f(&row["process_seconds"]));
        let growth = prev.map_or("—".into(), |(pn, pt)| {
            format!("{:.1}× for {:.0}× articles", t / pt, n / pn)
        });
        let _ = writeln!(
            s,
            "| {} | {:.1} | {:.2} | {:.0} | {:.0} | {} |",
            row["articles"],
            f(&row["corpus_mb"]),
            t,
            n / t,
            f(&row["process_peak_rss_mb"]),
            growth
        );
        prev = Some((n, t));
    }
    let _ = writeln!(s, "\n### Plugin call overhead (no-op plugin)\n");
    let _ = writeln!(s, "| mode | article bytes | calls | mean µs | p50 µs | p95 µs |");
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|");
    for o in r["call_overhead"].as_array().into_iter().flatten() {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.1} | {:.1} | {:.1} |",
            o["mode"].as_str().unwrap_or("?"),
            o["article_bytes"],
            o["calls"],
            f(&o["mean_us"]),
            f(&o["p50_us"]),
            f(&o["p95_us"])
        );
    }
    let _ = writeln!(s, "\n### Extractors on the gold (worker isolation, no cache)\n");
    let _ = writeln!(s, "| extractor | articles/s | MB/s | p50 ms | p95 ms | peak RSS MB |");
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|");
    for e in r["extractors"].as_array().into_iter().flatten() {
        let t = &e["timing"];
        let _ = writeln!(
            s,
            "| {} | {:.1} | {:.2} | {:.2} | {:.2} | {} |",
            e["name"].as_str().unwrap_or("?"),
            f(&t["articles_per_second"]),
            f(&t["mb_per_second"]),
            f(&t["p50_ms"]),
            f(&t["p95_ms"]),
            t["peak_rss_mb"].as_f64().map_or("—".into(), |m| format!("{m:.0}"))
        );
    }
    let _ = writeln!(
        s,
        "\n`harness eval` on the gold, all extractors, no cache: {:.2} s wall; every article cached (no plugin started): {:.2} s wall",
        f(&r["eval_seconds"]),
        f(&r["eval_warm_seconds"])
    );
    let _ = writeln!(
        s,
        "\ngrammar in-process, one thread, the gold's articles: {}",
        r["grammar_in_process"].as_str().unwrap_or("?")
    );
    s
}

fn scaling_plot(r: &Value) -> String {
    let rows = r["scaling"].as_array().cloned().unwrap_or_default();
    let series = |name: &str, pick: &dyn Fn(&Value) -> Option<f64>| plot::Series {
        name: name.into(),
        points: rows
            .iter()
            .filter_map(|row| Some((f(&row["articles"]), pick(row)?)))
            .collect(),
    };
    let all = [
        series("harness scoring stage (1 core)", &|row| {
            row["stage"]["score_seconds"].as_f64()
        }),
        series("harness score, whole process", &|row| row["process_seconds"].as_f64()),
        series("nervaluate evaluate() (1 core)", &|row| {
            row["nervaluate"]["seconds"].as_f64()
        }),
    ];
    let series: Vec<plot::Series> = all.into_iter().filter(|s| !s.points.is_empty()).collect();
    plot::scaling_svg("Scoring time against corpus size", "articles", "seconds", &series)
}
