//! Project automation: `cargo xtask eval [--check | --bless]`, `cargo xtask
//! readme`, `cargo xtask peers`, `cargo xtask bench [--quick]`.
//!
//! Dependency-light on purpose: it shells out to cargo and to the harness
//! binary, exactly as a user would.

mod bench;
mod corpus;
mod plot;
mod readme;

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage:
  cargo xtask eval           build every extractor (release), run the harness on gold/, write reports/
  cargo xtask eval --check   ... and gate against reports/baseline.json (exit 1 on a regression)
  cargo xtask eval --bless [--allow-drop] [--force]
                             ... and make this run the new baseline (reports/baseline.json, and
                             reports/baseline-dev-test.json for the untouched test part), then
                             regenerate the results tables of README.md and BENCHMARKS.md.
                             Refuses to drop a plugin of the old baseline (e.g. peers not
                             installed) without --allow-drop, and a dirty work tree without --force.
  cargo xtask readme         regenerate the results tables of README.md and BENCHMARKS.md from the baselines
  cargo xtask peers          create extractors/peers/.venv and install the outside peers (needs Python 3)
  cargo xtask bench          measure scoring, call overhead and extractor speed (see BENCHMARKS.md)
  cargo xtask bench --quick  the same on tiny inputs (CI smoke mode)
  cargo xtask corpus N DIR   write the benchmark corpus of N articles (DIR/gold.jsonl, DIR/pred.jsonl)";

fn main() -> ExitCode {
    match run() {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<u8> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["eval"] => eval(Mode::Plain),
        ["eval", "--check"] => eval(Mode::Check),
        ["eval", "--bless", flags @ ..] if flags.iter().all(|f| ["--allow-drop", "--force"].contains(f)) => {
            eval(Mode::Bless {
                allow_drop: flags.contains(&"--allow-drop"),
                force: flags.contains(&"--force"),
            })
        }
        ["readme"] => readme::write(&root()?).map(|_| 0),
        ["peers"] => peers(),
        ["bench"] => bench::bench(false),
        ["bench", "--quick"] => bench::bench(true),
        ["corpus", n, out] => {
            let n: usize = n.parse().context("corpus: N is a number of articles")?;
            let out = Path::new(out);
            std::fs::create_dir_all(out)?;
            let stats = corpus::generate(
                &root()?.join("gold"),
                n,
                bench::SEED,
                &out.join("gold.jsonl"),
                &out.join("pred.jsonl"),
            )?;
            eprintln!(
                "{}: {} articles, {} gold and {} predicted mentions, {:.1} MB of text",
                out.display(),
                stats.articles,
                stats.gold_mentions,
                stats.pred_mentions,
                stats.bytes as f64 / 1e6
            );
            Ok(0)
        }
        ["--help"] | ["-h"] | ["help"] => {
            println!("{USAGE}");
            Ok(0)
        }
        _ => {
            eprintln!("{USAGE}");
            Ok(2)
        }
    }
}

#[derive(PartialEq)]
enum Mode {
    Plain,
    Check,
    Bless { allow_drop: bool, force: bool },
}

/// The checkout this xtask runs in, found at run time: cargo sets
/// `CARGO_MANIFEST_DIR` (xtask's own directory) for `cargo run`. Baked in at
/// compile time it would name whichever checkout built a shared target dir.
fn root() -> Result<PathBuf> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .context("CARGO_MANIFEST_DIR is not set: run this as `cargo xtask ...`")?;
    let root = dir.parent().context("xtask lives in the workspace")?.to_path_buf();
    if !root.join("Cargo.toml").exists() {
        bail!("{} is not the workspace root", root.display());
    }
    Ok(root)
}

/// In-tree extractor crates: every `extractors/*/Cargo.toml` except the API
/// crate, test fixtures and non-Rust folders.
fn extractor_packages(root: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root.join("extractors"))? {
        let dir = entry?.path();
        let manifest = dir.join("Cargo.toml");
        let skip = ["api", "fixtures"].iter().any(|s| dir.ends_with(s));
        if skip || !manifest.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&manifest)?;
        let name = text
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("name = ")
                    .map(|v| v.trim_matches('"').to_string())
            })
            .with_context(|| format!("no package name in {}", manifest.display()))?;
        names.push(name);
    }
    names.sort();
    Ok(names)
}

/// Builds the harness and the packages in release mode; returns the harness
/// executable and the cdylib files cargo produced (wherever the target dir is).
fn build(root: &Path, packages: &[String]) -> Result<(PathBuf, Vec<PathBuf>)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).args([
        "build",
        "--release",
        "--message-format=json-render-diagnostics",
        "-p",
        "harness",
    ]);
    for p in packages {
        cmd.args(["-p", p]);
    }
    let out = cmd
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running cargo build")?;
    if !out.status.success() {
        bail!("cargo build failed");
    }
    let mut libs = Vec::new();
    let mut harness = None;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        if msg["target"]["name"] == "harness" {
            if let Some(exe) = msg["executable"].as_str() {
                harness = Some(PathBuf::from(exe));
            }
        }
        let is_cdylib = msg["target"]["kind"]
            .as_array()
            .is_some_and(|k| k.iter().any(|k| k == "cdylib"));
        let name = msg["target"]["name"].as_str().unwrap_or("").replace('_', "-");
        if !is_cdylib || !packages.iter().any(|p| p.replace('_', "-") == name) {
            continue;
        }
        for f in msg["filenames"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str())
        {
            if [".so", ".dylib", ".dll"].iter().any(|ext| f.ends_with(ext)) {
                libs.push(PathBuf::from(f));
            }
        }
    }
    let harness = harness.context("cargo did not report the harness executable")?;
    Ok((harness, libs))
}

/// Outside peers, when `cargo xtask peers` has installed them.
fn peer_plugins(root: &Path) -> Vec<String> {
    let python = root.join("extractors/peers/.venv/bin/python");
    let adapters = ["dateparser_adapter.py", "underthesea_adapter.py"];
    if !python.exists() {
        for a in adapters {
            eprintln!(
                "peer {}: not installed (run `cargo xtask peers`)",
                a.trim_end_matches("_adapter.py")
            );
        }
        return Vec::new();
    }
    adapters
        .iter()
        .map(|a| {
            format!(
                "cmd:{} {}",
                python.display(),
                root.join("extractors/peers").join(a).display()
            )
        })
        .collect()
}

/// Runs the harness on the gold (or one subset) into `out`.
fn run_harness(root: &Path, harness: &Path, libs: &[PathBuf], out: &Path, extra: &[&str]) -> Result<u8> {
    let mut cmd = Command::new(harness);
    cmd.current_dir(root).args(["eval", "--gold", "gold", "--out"]).arg(out);
    for lib in libs {
        cmd.arg("--plugin").arg(lib);
    }
    for p in peer_plugins(root) {
        cmd.arg("--plugin").arg(p);
    }
    cmd.args(extra);
    let status = cmd.status().with_context(|| format!("running {}", harness.display()))?;
    Ok(status.code().unwrap_or(2) as u8)
}

/// Plugin names in a report.
fn plugin_names(report: &Path) -> Result<Vec<String>> {
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(report)?)?;
    Ok(r["plugins"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str().map(String::from))
        .collect())
}

/// A report as a baseline: paths outside the checkout (a target dir set by
/// CARGO_TARGET_DIR) become `$CARGO_TARGET_DIR/…`, so the committed file is
/// the same on every machine.
fn portable(report: &Path, target_dir: &Path) -> Result<String> {
    let text = std::fs::read_to_string(report)?;
    let prefix = format!("{}/", target_dir.display());
    Ok(text.replace(&prefix, "$CARGO_TARGET_DIR/"))
}

fn git_dirty(root: &Path) -> bool {
    Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root)
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false)
}

fn eval(mode: Mode) -> Result<u8> {
    let root = root()?;
    if let Mode::Bless { force: false, .. } = mode {
        if git_dirty(&root) {
            bail!("the work tree has uncommitted changes: a baseline records its commit, so bless a clean tree (commit first) or pass --force");
        }
    }
    let packages = extractor_packages(&root)?;
    let (harness, libs) = build(&root, &packages)?;
    if libs.is_empty() {
        bail!("no extractor libraries were built");
    }
    let target_dir = harness
        .parent()
        .and_then(Path::parent)
        .context("the harness lives in <target>/release")?
        .to_path_buf();
    let reports = root.join("reports");
    let baseline = reports.join("baseline.json");
    let gate = reports.join("gate.toml");
    let mut extra: Vec<&str> = vec!["--gate", gate.to_str().context("UTF-8 path")?];
    if mode == Mode::Check {
        if !baseline.exists() {
            bail!(
                "{} does not exist: run `cargo xtask eval --bless` first",
                baseline.display()
            );
        }
        extra.extend(["--baseline", baseline.to_str().context("UTF-8 path")?]);
    }
    let code = run_harness(&root, &harness, &libs, &reports, &extra)?;
    if let Mode::Bless { allow_drop, .. } = mode {
        if code != 0 && code != 1 {
            bail!("the harness failed (exit {code}); baseline not updated");
        }
        if baseline.exists() {
            let now = plugin_names(&reports.join("report.json"))?;
            let dropped: Vec<String> = plugin_names(&baseline)?
                .into_iter()
                .filter(|p| !now.contains(p))
                .collect();
            if !dropped.is_empty() && !allow_drop {
                bail!(
                    "this run has no {} (in the current baseline); install them (`cargo xtask peers`) or pass --allow-drop to drop them from the baseline",
                    dropped.join(", ")
                );
            }
        }
        std::fs::write(&baseline, portable(&reports.join("report.json"), &target_dir)?)
            .context("writing the baseline")?;
        // The untouched test part, for the README (cached calls: cheap).
        let test_out = reports.join("dev-test");
        let code = run_harness(&root, &harness, &libs, &test_out, &["--subset", "dev-test", "-q"])?;
        if code != 0 && code != 1 {
            bail!("the dev-test run failed (exit {code})");
        }
        std::fs::write(
            reports.join("baseline-dev-test.json"),
            portable(&test_out.join("report.json"), &target_dir)?,
        )?;
        readme::write(&root)?;
        eprintln!(
            "blessed: {} and {} are the new baselines; the results tables regenerated",
            baseline.display(),
            reports.join("baseline-dev-test.json").display()
        );
        return Ok(0);
    }
    eprintln!(
        "open {} in a browser for plots and the error browser",
        reports.join("report.html").display()
    );
    Ok(code)
}

/// Installs the peers, then says what is installed where.
fn peers() -> Result<u8> {
    let root = root()?;
    let started = std::time::Instant::now();
    let script = root.join("extractors/peers/install.sh");
    let status = Command::new("bash")
        .arg(&script)
        .current_dir(root.join("extractors/peers"))
        .status()?;
    let venv = root.join("extractors/peers/.venv");
    if !status.success() {
        eprintln!(
            "peers: installation failed (exit {:?}); see the output above",
            status.code()
        );
        return Ok(status.code().unwrap_or(2) as u8);
    }
    let freeze = Command::new(venv.join("bin/python"))
        .args(["-m", "pip", "freeze"])
        .output()
        .context("listing the installed peers")?;
    let installed = String::from_utf8_lossy(&freeze.stdout);
    eprintln!(
        "\npeers installed in {} ({:.0} s):",
        venv.display(),
        started.elapsed().as_secs_f64()
    );
    for name in ["dateparser", "underthesea", "nervaluate"] {
        let line = installed
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&format!("{name}==")))
            .unwrap_or("not installed");
        eprintln!("  {name:<12} {line}");
    }
    eprintln!("`cargo xtask eval` now runs the dateparser and underthesea adapters beside the in-tree extractors.");
    Ok(0)
}

#[cfg(test)]
mod tests {
    /// The workspace's declared rust-version is true for its dependencies:
    /// no locked dependency (dev ones included, the test suite needs them)
    /// asks for a newer compiler. (clippy's `incompatible_msrv`, denied in
    /// CI, checks our own code against it.)
    #[test]
    fn rust_version_covers_every_locked_dependency() {
        let out = std::process::Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1", "--offline"])
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .output()
            .expect("cargo metadata runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let version = |v: &str| -> Vec<u32> { v.split('.').map(|x| x.parse().unwrap_or(0)).collect() };
        let ours = m["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "harness")
            .and_then(|p| p["rust_version"].as_str())
            .expect("the harness declares a rust-version");
        for p in m["packages"].as_array().unwrap() {
            if let Some(theirs) = p["rust_version"].as_str() {
                assert!(
                    version(theirs) <= version(ours),
                    "{} {} needs Rust {theirs}, the workspace declares {ours}",
                    p["name"],
                    p["version"]
                );
            }
        }
    }
}
