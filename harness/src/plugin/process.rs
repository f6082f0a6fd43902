//! The process back end: a command (or `harness worker` hosting a library)
//! speaking the process protocol (`extractor_api::protocol`) over
//! stdin/stdout, with stderr kept as a bounded tail for error messages.
//!
//! Each process runs in its own process group, registered in `procs`. Every
//! wait is bounded by the per-article timeout, writing the request included
//! (a writer thread owns stdin, so a plugin that stops reading cannot block
//! the harness). On a timeout, crash or protocol violation the group is
//! terminated and the next call starts a new process; when the plugin is
//! dropped its stdin is closed and its whole group ended.

use super::procs::{self, GRACE};
use super::{Backend, CallError, ErrorKind, Limits, LoadError, PluginInfo};
use extractor_api::protocol::{Handshake, Request, PROTOCOL, PROTOCOL_VERSION};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const STDERR_TAIL: usize = 2048;

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
    /// Requests for the writer thread; dropping it closes the plugin's stdin.
    requests: Option<Sender<Vec<u8>>>,
    /// Set while the writer thread is inside a write.
    writing: Arc<AtomicBool>,
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
    Shell { command: String, dir: PathBuf },
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

fn command(launch: &Launch, limits: &Limits) -> Command {
    match launch {
        Launch::Shell { command, dir } => {
            let mut cmd = Command::new("sh");
            cmd.arg("-c").arg(command).current_dir(dir);
            cmd
        }
        Launch::Worker(w) => {
            let mut cmd = Command::new(&w.exe);
            cmd.arg("worker")
                .arg("--library")
                .arg(&w.library)
                .arg("--config")
                .arg(w.config.to_string())
                .arg("--max-output-bytes")
                .arg(limits.max_output_bytes.to_string());
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
    }
}

/// Reads stdout line by line into a channel; a line over `cap` bytes is
/// skipped and reported by its length.
fn read_lines(stdout: impl Read + Send + 'static, cap: usize, tx: Sender<Line>) {
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        loop {
            let mut buf = Vec::new();
            match r.by_ref().take(cap as u64 + 1).read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => return,
                Ok(_) if buf.last() != Some(&b'\n') && buf.len() > cap => {
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
}

fn spawn(launch: &Launch, limits: &Limits) -> std::io::Result<Running> {
    let mut cmd = command(launch, limits);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env(procs::TAG_ENV, std::process::id().to_string())
        .process_group(0);
    let mut child = cmd.spawn()?;
    procs::register(child.id());
    let mut stdin = child.stdin.take().expect("piped");
    let stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");

    let (tx, lines) = mpsc::channel();
    read_lines(stdout, limits.max_output_bytes, tx);

    let (requests, queue) = mpsc::channel::<Vec<u8>>();
    let writing = Arc::new(AtomicBool::new(false));
    let w = writing.clone();
    std::thread::spawn(move || {
        for req in queue {
            w.store(true, Ordering::SeqCst);
            let ok = stdin.write_all(&req).and_then(|_| stdin.flush()).is_ok();
            w.store(false, Ordering::SeqCst);
            if !ok {
                return;
            }
        }
        // The sender is gone: dropping stdin here is the plugin's EOF.
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
        requests: Some(requests),
        writing,
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

/// What became of a process whose output closed.
fn describe_exit(child: &Child) -> String {
    match procs::wait_exit(child, GRACE) {
        Some(exit) => exit.to_string(),
        None => "closed its output".into(),
    }
}

/// The `id` of a reply line, read without parsing the rest. `Err` when the
/// line is not a JSON object at all.
fn reply_id(line: &[u8]) -> Result<Option<Cow<'_, str>>, serde_json::Error> {
    #[derive(serde::Deserialize)]
    struct Probe<'a> {
        #[serde(borrow, default)]
        id: Option<Cow<'a, str>>,
    }
    serde_json::from_slice::<Probe>(line).map(|p| p.id)
}

fn preview(line: &[u8]) -> String {
    String::from_utf8_lossy(line).chars().take(120).collect()
}

impl ProcessPlugin {
    /// Starts a command plugin and reads its handshake.
    pub fn start(command: &str, dir: &Path, limits: Limits) -> Result<ProcessPlugin, LoadError> {
        let limits = Limits {
            memory_bytes: 0,
            ..limits
        };
        let launch = Launch::Shell {
            command: command.to_string(),
            dir: dir.to_path_buf(),
        };
        Self::launch(command.to_string(), launch, None, limits)
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
                sha256: crate::digest::sha256_hex(label.as_bytes()),
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
            p.info.fields = hs.fields;
            if let Some(abi) = hs.abi {
                p.info.abi = abi;
            }
            if let Some(sha) = hs.sha256 {
                p.info.sha256 = sha;
            }
        }
        Ok(p)
    }

    /// (Re)starts the process and reads its handshake.
    fn restart(&mut self) -> Result<Handshake, String> {
        if let Some(mut r) = self.running.take() {
            self.record_peak(&r);
            procs::terminate(&mut r.child);
        }
        let mut r = spawn(&self.launch, &self.limits).map_err(|e| e.to_string())?;
        let hs = match r.lines.recv_timeout(self.limits.timeout) {
            Ok(Line::Data(line)) => serde_json::from_slice::<Handshake>(&line)
                .map_err(|e| format!("first line is not a handshake ({e}): {:?}", preview(&line))),
            Ok(Line::TooLong(n)) => Err(format!("handshake line of {n} bytes is too long")),
            Err(RecvTimeoutError::Timeout) => Err(format!("no handshake within {:?}", self.limits.timeout)),
            Err(RecvTimeoutError::Disconnected) => Err(format!("{} before the handshake", describe_exit(&r.child))),
        }
        .and_then(|hs| {
            if hs.protocol != PROTOCOL || hs.protocol_version != PROTOCOL_VERSION {
                Err(format!(
                    "speaks {} v{}, the harness speaks {PROTOCOL} v{PROTOCOL_VERSION}",
                    hs.protocol, hs.protocol_version
                ))
            } else if hs.fields.is_empty() {
                Err("the handshake claims no fields (\"fields\" must name at least one)".into())
            } else {
                Ok(hs)
            }
        });
        match hs {
            Ok(hs) => {
                self.running = Some(r);
                Ok(hs)
            }
            Err(e) => {
                procs::terminate(&mut r.child);
                Err(format!("{e}{}", final_tail(&r)))
            }
        }
    }

    /// Ends the running process after a failure and describes it.
    fn fail(&mut self, kind: ErrorKind, what: String) -> CallError {
        let mut r = self.running.take().expect("running");
        self.record_peak(&r);
        procs::terminate(&mut r.child);
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
            // Closing stdin asks a well-behaved plugin to exit; whatever it
            // leaves in its group is killed.
            drop(r.requests.take());
            procs::finish(&mut r.child);
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
        let mut req = serde_json::to_vec(&Request {
            id: id.to_string(),
            text: text.to_string(),
        })
        .expect("requests serialize");
        req.push(b'\n');
        let sent = r.requests.as_ref().is_some_and(|q| q.send(req).is_ok());
        if !sent {
            let how = describe_exit(&r.child);
            return Err(self.fail(ErrorKind::Crash, format!("process {how}")));
        }
        let timeout = self.limits.timeout;
        match r.lines.recv_timeout(timeout) {
            Ok(Line::Data(line)) => match reply_id(&line) {
                Ok(Some(got)) if got == id => Ok(line),
                Ok(Some(got)) => {
                    let what = format!(
                        "answered for article {got:?} while {id:?} was asked (a stray or repeated line on stdout); \
                         process restarted"
                    );
                    Err(self.fail(ErrorKind::Protocol, what))
                }
                Ok(None) => {
                    let what = "the reply has no \"id\" (every reply must carry its request's id); process restarted";
                    Err(self.fail(ErrorKind::Protocol, what.into()))
                }
                Err(e) => {
                    let what = format!(
                        "a line that is not a reply ({e}): {:?}; process restarted",
                        preview(&line)
                    );
                    Err(self.fail(ErrorKind::Protocol, what))
                }
            },
            Ok(Line::TooLong(n)) => Err(CallError::new(
                ErrorKind::OutputTooLarge,
                format!(
                    "response of {n} bytes exceeds the cap of {} bytes",
                    self.limits.max_output_bytes
                ),
            )),
            Err(RecvTimeoutError::Timeout) => {
                let what = if r.writing.load(Ordering::SeqCst) {
                    format!("could not write the request within {timeout:?}: the plugin stopped reading its input; process group terminated")
                } else {
                    format!("no response within {timeout:?}; process group terminated")
                };
                Err(self.fail(ErrorKind::Timeout, what))
            }
            Err(RecvTimeoutError::Disconnected) => {
                let how = describe_exit(&r.child);
                Err(self.fail(ErrorKind::Crash, format!("process {how}")))
            }
        }
    }
}
