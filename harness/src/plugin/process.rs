//! The process protocol: JSON lines over stdin/stdout, stderr free for logs.
//! Used for plugins in any language and, via `harness worker`, for dylibs in
//! an isolated subprocess.
//!
//! Each process runs in its own process group. On a timeout or crash the
//! group is terminated (TERM, a grace period, KILL), the article is recorded
//! as an error with the stderr tail, and the next call starts a new process.

use super::{Backend, CallError, ErrorKind, Limits, LoadError, PluginInfo};
use serde::Deserialize;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const PROTOCOL: &str = "ie-harness-jsonl";
pub const PROTOCOL_VERSION: u32 = 1;
const GRACE: Duration = Duration::from_millis(500);
const STDERR_TAIL: usize = 2048;

#[derive(Deserialize)]
struct Handshake {
    protocol: String,
    protocol_version: u32,
    name: String,
    version: String,
    fields: Vec<String>,
    #[serde(default)]
    abi: Option<String>,
    #[serde(default)]
    sha256: Option<String>,
}

/// How to start `harness worker` for one library.
#[derive(Clone, Debug)]
pub struct WorkerCommand {
    pub exe: PathBuf,
    pub library: PathBuf,
    pub config: serde_json::Value,
}

enum Line {
    Data(Vec<u8>),
    TooLong(usize),
}

struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<Line>,
    stderr: Arc<Mutex<VecDeque<u8>>>,
    stderr_reader: std::thread::JoinHandle<()>,
}

pub struct ProcessPlugin {
    label: String,
    launch: Launch,
    info: PluginInfo,
    limits: Limits,
    running: Option<Running>,
    /// Largest VmHWM seen among this plugin's finished processes.
    peak_rss: u64,
}

#[derive(Clone)]
enum Launch {
    Shell(String),
    Worker(WorkerCommand),
}

fn tail(buf: &Mutex<VecDeque<u8>>) -> String {
    let b = buf
        .lock()
        .map(|b| b.iter().copied().collect::<Vec<u8>>())
        .unwrap_or_default();
    let s = String::from_utf8_lossy(&b).trim().to_string();
    if s.is_empty() {
        String::new()
    } else {
        format!("; stderr tail: {s}")
    }
}

fn spawn(launch: &Launch, limits: &Limits) -> std::io::Result<Running> {
    let mut cmd = match launch {
        Launch::Shell(c) => {
            let mut cmd = Command::new("sh");
            cmd.arg("-c").arg(c);
            cmd
        }
        Launch::Worker(w) => {
            let mut cmd = Command::new(&w.exe);
            cmd.arg("worker")
                .arg("--library")
                .arg(&w.library)
                .arg("--config")
                .arg(w.config.to_string());
            let mem = limits.memory_bytes;
            if mem > 0 {
                // SAFETY: setrlimit is async-signal-safe.
                unsafe {
                    cmd.pre_exec(move || {
                        let lim = libc::rlimit {
                            rlim_cur: mem as libc::rlim_t,
                            rlim_max: mem as libc::rlim_t,
                        };
                        libc::setrlimit(libc::RLIMIT_AS, &lim);
                        Ok(())
                    });
                }
            }
            cmd
        }
    };
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = cmd.spawn()?;
    let stdin = child.stdin.take().expect("piped");
    let stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let (tx, lines) = mpsc::channel();
    let cap = limits.max_output_bytes;
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        loop {
            let mut buf = Vec::new();
            match r.by_ref().take(cap as u64 + 1).read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => return,
                Ok(_) if buf.last() != Some(&b'\n') && buf.len() > cap => {
                    // Skip the rest of the over-long line.
                    let mut n = buf.len();
                    let mut sink = Vec::new();
                    while let Ok(k) = r.read_until(b'\n', &mut sink) {
                        n += k;
                        if k == 0 || sink.last() == Some(&b'\n') {
                            break;
                        }
                        sink.clear();
                    }
                    if tx.send(Line::TooLong(n)).is_err() {
                        return;
                    }
                }
                Ok(_) => {
                    if buf.last() == Some(&b'\n') {
                        buf.pop();
                    }
                    if tx.send(Line::Data(buf)).is_err() {
                        return;
                    }
                }
            }
        }
    });
    let stderr_buf = Arc::new(Mutex::new(VecDeque::new()));
    let sb = stderr_buf.clone();
    let stderr_reader = std::thread::spawn(move || {
        let mut chunk = [0u8; 1024];
        while let Ok(n) = stderr.read(&mut chunk) {
            if n == 0 {
                return;
            }
            if let Ok(mut b) = sb.lock() {
                b.extend(&chunk[..n]);
                while b.len() > STDERR_TAIL {
                    b.pop_front();
                }
            }
        }
    });
    Ok(Running {
        child,
        stdin,
        lines,
        stderr: stderr_buf,
        stderr_reader,
    })
}

/// The stderr tail of a process that has been terminated: first let the
/// reader drain what the process wrote before dying (bounded, in case a
/// stray process outside the group still holds the pipe).
fn final_tail(r: &Running) -> String {
    let deadline = Instant::now() + GRACE;
    while !r.stderr_reader.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    tail(&r.stderr)
}

/// TERM the process group, wait a grace period, then KILL it.
fn terminate(child: &mut Child) {
    let pgid = child.id() as libc::pid_t;
    // SAFETY: signalling our own child's process group.
    unsafe { libc::kill(-pgid, libc::SIGTERM) };
    let deadline = Instant::now() + GRACE;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            // SAFETY: as above; reap any stragglers in the group.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // SAFETY: as above.
    unsafe { libc::kill(-pgid, libc::SIGKILL) };
    let _ = child.wait();
}

fn describe_exit(child: &mut Child) -> String {
    let deadline = Instant::now() + GRACE;
    loop {
        match child.try_wait() {
            Ok(Some(st)) => {
                return match (st.code(), st.signal()) {
                    (Some(c), _) => format!("exited with status {c}"),
                    (_, Some(s)) => format!("killed by signal {s}{}", signal_name(s)),
                    _ => "ended".into(),
                }
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                terminate(child);
                return "closed its output".into();
            }
        }
    }
}

fn signal_name(s: i32) -> &'static str {
    match s {
        libc::SIGSEGV => " (SIGSEGV)",
        libc::SIGABRT => " (SIGABRT)",
        libc::SIGKILL => " (SIGKILL)",
        libc::SIGBUS => " (SIGBUS)",
        libc::SIGILL => " (SIGILL)",
        _ => "",
    }
}

impl ProcessPlugin {
    /// Starts a command plugin and reads its handshake.
    pub fn start(command: &str, limits: Limits) -> Result<ProcessPlugin, LoadError> {
        let limits = Limits {
            memory_bytes: 0,
            ..limits
        };
        Self::launch(command.to_string(), Launch::Shell(command.to_string()), None, limits)
    }

    /// Starts `harness worker` for a validated library.
    pub fn start_worker(w: WorkerCommand, info: PluginInfo, limits: Limits) -> Result<ProcessPlugin, LoadError> {
        Self::launch(info.target.clone(), Launch::Worker(w), Some(info), limits)
    }

    fn launch(
        label: String,
        launch: Launch,
        known: Option<PluginInfo>,
        limits: Limits,
    ) -> Result<ProcessPlugin, LoadError> {
        let mut p = ProcessPlugin {
            label: label.clone(),
            launch,
            info: known.clone().unwrap_or(PluginInfo {
                name: label.clone(),
                version: String::new(),
                kind: "command".into(),
                target: label.clone(),
                sha256: crate::gold::sha256_hex(label.as_bytes()),
                abi: format!("jsonl/{PROTOCOL_VERSION}"),
                fields: Vec::new(),
                thread_safe: false,
            }),
            limits,
            running: None,
            peak_rss: 0,
        };
        let hs = p.restart().map_err(|message| LoadError::Handshake {
            command: label.clone(),
            message,
        })?;
        if known.is_none() {
            p.info.name = hs.name;
            p.info.version = hs.version;
            if let Some(abi) = hs.abi {
                p.info.abi = abi;
            }
            if let Some(sha) = hs.sha256 {
                p.info.sha256 = sha;
            }
            for f in hs.fields {
                p.info.fields.push(
                    f.parse()
                        .map_err(|e: extractor_api::UnknownField| LoadError::Handshake {
                            command: label.clone(),
                            message: e.to_string(),
                        })?,
                );
            }
        }
        Ok(p)
    }

    /// (Re)starts the process and reads its handshake.
    fn restart(&mut self) -> Result<Handshake, String> {
        if let Some(mut r) = self.running.take() {
            self.record_peak(&r);
            terminate(&mut r.child);
        }
        let mut r = spawn(&self.launch, &self.limits).map_err(|e| e.to_string())?;
        let hs = match r.lines.recv_timeout(self.limits.timeout) {
            Ok(Line::Data(line)) => serde_json::from_slice::<Handshake>(&line).map_err(|e| {
                format!(
                    "first line is not a handshake ({e}): {:?}",
                    String::from_utf8_lossy(&line).chars().take(120).collect::<String>()
                )
            }),
            Ok(Line::TooLong(n)) => Err(format!("handshake line of {n} bytes is too long")),
            Err(RecvTimeoutError::Timeout) => Err(format!("no handshake within {:?}", self.limits.timeout)),
            Err(RecvTimeoutError::Disconnected) => Err(format!("{} before the handshake", describe_exit(&mut r.child))),
        };
        let hs = match hs {
            Ok(h) => h,
            Err(e) => {
                terminate(&mut r.child);
                let t = final_tail(&r);
                return Err(format!("{e}{t}"));
            }
        };
        if hs.protocol != PROTOCOL || hs.protocol_version != PROTOCOL_VERSION {
            terminate(&mut r.child);
            return Err(format!(
                "speaks {} v{}, the harness speaks {PROTOCOL} v{PROTOCOL_VERSION}",
                hs.protocol, hs.protocol_version
            ));
        }
        self.running = Some(r);
        Ok(hs)
    }

    fn fail(&mut self, kind: ErrorKind, what: String) -> CallError {
        let mut r = self.running.take().expect("running");
        self.record_peak(&r);
        terminate(&mut r.child);
        let t = final_tail(&r);
        CallError::new(kind, format!("{what}{t}"))
    }

    fn record_peak(&mut self, r: &Running) {
        self.peak_rss = self.peak_rss.max(peak_rss_of(r.child.id()).unwrap_or(0));
    }
}

/// The largest peak resident set (VmHWM) among the live processes of the
/// process group led by `pid`, from /proc (Linux only). The group, not the
/// leader: a command plugin runs under `sh -c`, which may not exec it.
fn peak_rss_of(pid: u32) -> Option<u64> {
    let hwm = |p: &str| -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{p}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    };
    // Field 5 of /proc/PID/stat is the process group; the command name
    // (field 2) may contain spaces, so count from its closing parenthesis.
    let group_of = |p: &str| -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).ok()?;
        stat[stat.rfind(')')? + 1..].split_whitespace().nth(2)?.parse().ok()
    };
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|p| p.bytes().all(|b| b.is_ascii_digit()) && group_of(p) == Some(pid))
        .filter_map(|p| hwm(&p))
        .max()
}

impl Drop for ProcessPlugin {
    fn drop(&mut self) {
        if let Some(mut r) = self.running.take() {
            drop(r.stdin);
            // Give a well-behaved plugin the chance to exit on EOF.
            let deadline = Instant::now() + GRACE;
            while Instant::now() < deadline {
                if let Ok(Some(_)) = r.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            terminate(&mut r.child);
        }
    }
}

impl Backend for ProcessPlugin {
    fn info(&self) -> &PluginInfo {
        &self.info
    }

    fn peak_rss_bytes(&self) -> Option<u64> {
        let live = self
            .running
            .as_ref()
            .and_then(|r| peak_rss_of(r.child.id()))
            .unwrap_or(0);
        Some(self.peak_rss.max(live)).filter(|&b| b > 0)
    }

    fn call(&mut self, id: &str, text: &str) -> Result<Vec<u8>, CallError> {
        if self.running.is_none() {
            self.restart()
                .map_err(|e| CallError::new(ErrorKind::Crash, format!("{}: cannot restart: {e}", self.label)))?;
        }
        let r = self.running.as_mut().expect("running");
        let mut req = serde_json::to_vec(&extractor_api::Request {
            id: id.to_string(),
            text: text.to_string(),
        })
        .expect("requests serialize");
        req.push(b'\n');
        if r.stdin.write_all(&req).and_then(|_| r.stdin.flush()).is_err() {
            let how = describe_exit(&mut r.child);
            return Err(self.fail(ErrorKind::Crash, format!("process {how}")));
        }
        match r.lines.recv_timeout(self.limits.timeout) {
            Ok(Line::Data(line)) => Ok(line),
            Ok(Line::TooLong(n)) => Err(CallError::new(
                ErrorKind::OutputTooLarge,
                format!(
                    "response of {n} bytes exceeds the cap of {} bytes",
                    self.limits.max_output_bytes
                ),
            )),
            Err(RecvTimeoutError::Timeout) => Err(self.fail(
                ErrorKind::Timeout,
                format!("no response within {:?}; process group terminated", self.limits.timeout),
            )),
            Err(RecvTimeoutError::Disconnected) => {
                let how = describe_exit(&mut r.child);
                Err(self.fail(ErrorKind::Crash, format!("process {how}")))
            }
        }
    }
}
