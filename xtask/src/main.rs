//! Project automation: `cargo xtask eval [--check | --bless]`, `cargo xtask peers`,
//! `cargo xtask bench [--quick]`.
//!
//! Dependency-light on purpose: it shells out to cargo and to the harness
//! binary, exactly as a user would.

mod bench;
mod corpus;
mod plot;

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage:
  cargo xtask eval           build every extractor (release), run the harness on gold/, write reports/
  cargo xtask eval --check   ... and gate against reports/baseline.json (exit 1 on a regression)
  cargo xtask eval --bless   ... and make this run the new reports/baseline.json
  cargo xtask peers          create extractors/peers/.venv and install the outside peers (needs Python 3)
  cargo xtask bench          measure scoring, call overhead and extractor speed (see BENCHMARKS.md)
  cargo xtask bench --quick  the same on tiny inputs (CI smoke mode)";

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
        ["eval", "--bless"] => eval(Mode::Bless),
        ["peers"] => peers(),
        ["bench"] => bench::bench(false),
        ["bench", "--quick"] => bench::bench(true),
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
    Bless,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
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

fn eval(mode: Mode) -> Result<u8> {
    let root = root();
    let packages = extractor_packages(&root)?;
    let (harness, libs) = build(&root, &packages)?;
    if libs.is_empty() {
        bail!("no extractor libraries were built");
    }
    let reports = root.join("reports");
    let baseline = reports.join("baseline.json");
    let mut cmd = Command::new(&harness);
    cmd.current_dir(&root)
        .args(["eval", "--gold", "gold", "--out"])
        .arg(&reports);
    for lib in &libs {
        cmd.arg("--plugin").arg(lib);
    }
    for p in peer_plugins(&root) {
        cmd.arg("--plugin").arg(p);
    }
    cmd.arg("--gate").arg(reports.join("gate.toml"));
    if mode == Mode::Check {
        if !baseline.exists() {
            bail!(
                "{} does not exist: run `cargo xtask eval --bless` first",
                baseline.display()
            );
        }
        cmd.arg("--baseline").arg(&baseline);
    }
    let status = cmd.status().with_context(|| format!("running {}", harness.display()))?;
    let code = status.code().unwrap_or(2) as u8;
    if mode == Mode::Bless {
        if code != 0 && code != 1 {
            bail!("the harness failed (exit {code}); baseline not updated");
        }
        std::fs::copy(reports.join("report.json"), &baseline).context("writing the baseline")?;
        eprintln!("blessed: {} is now the baseline", baseline.display());
        return Ok(0);
    }
    eprintln!(
        "open {} in a browser for plots and the error browser",
        reports.join("report.html").display()
    );
    Ok(code)
}

fn peers() -> Result<u8> {
    let root = root();
    let script = root.join("extractors/peers/install.sh");
    let status = Command::new("bash")
        .arg(&script)
        .current_dir(root.join("extractors/peers"))
        .status()?;
    Ok(status.code().unwrap_or(2) as u8)
}
