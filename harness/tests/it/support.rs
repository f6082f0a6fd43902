//! Shared helpers: build plugin libraries once, temp dirs, run the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// Builds the fixture and baseline plugins once per test run and returns
/// package name → library path.
pub fn plugin(package: &str) -> PathBuf {
    static LIBS: OnceLock<Vec<(String, PathBuf)>> = OnceLock::new();
    let libs = LIBS.get_or_init(|| {
        let out = Command::new(env!("CARGO"))
            .current_dir(workspace())
            .args([
                "build",
                "--message-format=json",
                "-p",
                "fixture-fault",
                "-p",
                "fixture-wrong-abi",
            ])
            .args(["-p", "fixture-no-entry", "-p", "baseline"])
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "building fixtures failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut libs = Vec::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if v["reason"] != "compiler-artifact" {
                continue;
            }
            let name = v["package_id"].as_str().unwrap_or("").to_string();
            for f in v["filenames"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str())
            {
                if f.ends_with(".so") || f.ends_with(".dylib") {
                    libs.push((name.clone(), PathBuf::from(f)));
                }
            }
        }
        libs
    });
    libs.iter()
        .find(|(id, _)| {
            id.contains(&format!("/{package}#"))
                || id.contains(&format!("#{package}@"))
                || id.contains(&format!("{package} "))
        })
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| panic!("no library built for {package}: {libs:?}"))
}

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The committed gold set, all 45 articles.
pub fn full_gold_dir() -> PathBuf {
    workspace().join("gold")
}

/// The five seed articles of the committed gold, copied once per test run:
/// what most tests run on, so the suite stays fast as the gold grows.
pub fn gold_dir() -> PathBuf {
    static SEEDS: OnceLock<PathBuf> = OnceLock::new();
    SEEDS
        .get_or_init(|| {
            let dir = std::env::temp_dir().join(format!("harness-it-{}-seeds", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("articles")).unwrap();
            for sub in ["", "passes/a", "passes/b"] {
                std::fs::create_dir_all(dir.join(sub)).unwrap();
                for e in std::fs::read_dir(full_gold_dir().join(sub)).unwrap() {
                    let path = e.unwrap().path();
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    if name.starts_with("00") && name.ends_with(".json") {
                        std::fs::copy(&path, dir.join(sub).join(&name)).unwrap();
                        let text = format!("articles/{}.txt", name.trim_end_matches(".json"));
                        let _ = std::fs::copy(full_gold_dir().join(&text), dir.join(&text));
                    }
                }
            }
            dir
        })
        .clone()
}

/// A fresh, empty temporary directory.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("harness-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the harness to completion and asserts that no process it started
/// outlives it ("no process outlives the run", checked for every call).
pub fn harness(args: &[&str]) -> Output {
    harness_in(args, None)
}

/// Asserts that a finished run exited with `code` and that its stderr says
/// `needle` (printing the stderr when it does not).
pub fn assert_exit(o: &Output, code: i32, needle: &str) {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
}

/// `harness` with a working directory.
pub fn harness_in(args: &[&str], cwd: Option<&Path>) -> Output {
    harness_env(args, cwd, &[])
}

/// `harness` with a working directory and environment variables set.
pub fn harness_env(args: &[&str], cwd: Option<&Path>, env: &[(&str, String)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_harness"));
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    for var in [
        "IE_HARNESS_SHARD",
        "IE_HARNESS_SHARDS",
        "SLURM_ARRAY_TASK_ID",
        "CI_NODE_INDEX",
        "JOB_COMPLETION_INDEX",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    let child = cmd.spawn().expect("harness runs");
    let pid = child.id();
    let out = child.wait_with_output().expect("harness runs");
    assert_no_plugin_processes(pid, &String::from_utf8_lossy(&out.stderr));
    out
}

/// Live processes a harness with this pid started: every plugin process
/// carries `IE_HARNESS_PLUGIN=<harness pid>` in its environment.
pub fn plugin_processes(harness_pid: u32) -> Vec<u32> {
    let tag = format!("IE_HARNESS_PLUGIN={harness_pid}");
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|&b| b == 0).any(|v| v == tag.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

/// Fails when a process started by the harness `pid` is still alive, after
/// a short grace for processes already on their way out.
pub fn assert_no_plugin_processes(pid: u32, context: &str) {
    let mut left = plugin_processes(pid);
    for _ in 0..20 {
        if left.is_empty() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        left = plugin_processes(pid);
    }
    let names: Vec<String> = left
        .iter()
        .map(|p| {
            let cmd = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
            format!("{p}: {}", String::from_utf8_lossy(&cmd).replace('\0', " "))
        })
        .collect();
    for p in &left {
        // SAFETY: killing a leftover test process.
        unsafe { libc::kill(*p as i32, libc::SIGKILL) };
    }
    panic!("processes outlived the harness run: {names:?}\n{context}");
}

/// A plugin manifest for the fault fixture in `mode`.
pub fn fault_manifest(dir: &Path, mode: &str) -> String {
    let path = dir.join(format!("fault-{mode}.json"));
    let m = serde_json::json!({"library": plugin("fixture-fault"), "config": {"mode": mode}});
    std::fs::write(&path, m.to_string()).unwrap();
    path.display().to_string()
}

pub fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Writes a one-article gold set: `text` and the gold JSON built from
/// `mentions` (id, field, start, end, value).
pub fn tiny_gold(dir: &Path, id: &str, text: &str, mentions: &[(&str, &str, usize, usize, serde_json::Value)]) {
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    std::fs::write(dir.join(format!("articles/{id}.txt")), text).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let ms: Vec<serde_json::Value> = mentions
        .iter()
        .map(|(mid, field, s, e, v)| {
            serde_json::json!({"id": mid, "field": field, "start": s, "end": e,
                "text": chars[*s..*e].iter().collect::<String>(), "value": v})
        })
        .collect();
    let gold = serde_json::json!({
        "schema_version": 1, "id": id, "source": format!("articles/{id}.txt"),
        "sha256": harness::digest::sha256_hex(text.as_bytes()), "ignore": [], "mentions": ms
    });
    std::fs::write(
        dir.join(format!("{id}.json")),
        serde_json::to_string_pretty(&gold).unwrap(),
    )
    .unwrap();
}

/// `harness eval` of one plugin (a library path or `cmd:…`) on GOLD into
/// OUT, with few resamples and trials so tests stay fast; `extra` flags
/// follow.
pub fn eval_quick(gold: &Path, plugin: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--plugin",
        plugin,
        "--out",
        out.to_str().unwrap(),
        "--resamples",
        "10",
        "--trials",
        "10",
    ];
    args.extend_from_slice(extra);
    harness(&args)
}
