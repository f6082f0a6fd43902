//! Test helpers for the annotation workbench: the real `harness annotate`
//! process on a free port, a plain HTTP/1.1 client (so tests can send any
//! Host or Origin header), and a small WebDriver client for headless
//! Chromium through chromedriver.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `harness annotate`; killed when dropped.
pub struct Workbench {
    child: Child,
    pub url: String,
    pub port: u16,
    pub token: String,
}

impl Workbench {
    pub fn start(args: &[&str]) -> Workbench {
        let mut child = Command::new(env!("CARGO_BIN_EXE_harness"))
            .arg("annotate")
            .args(["--no-open", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("harness runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        if line.is_empty() {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            panic!("harness annotate {args:?} printed no URL: {err}");
        }
        let url = line.trim().to_string();
        let rest = url.strip_prefix("http://127.0.0.1:").expect("served on 127.0.0.1");
        let (port, query) = rest.split_once('/').unwrap();
        Workbench {
            port: port.parse().unwrap(),
            token: query.strip_prefix("?token=").unwrap().to_string(),
            url,
            child,
        }
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// An API call with the token, from the page's own origin.
    pub fn api(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let (status, _, bytes) = request(
            self.port,
            method,
            &format!("/api/{path}"),
            &[
                ("Host", &self.host()),
                ("X-Annotate-Token", &self.token),
                ("Origin", &format!("http://{}", self.host())),
            ],
            body.map(|b| b.to_string()).as_deref(),
        );
        let json = serde_json::from_slice(&bytes).unwrap_or_else(|_| json!(String::from_utf8_lossy(&bytes)));
        (status, json)
    }
}

impl Drop for Workbench {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request to 127.0.0.1:`port` with exactly these headers
/// (plus Content-Length and Connection: close): status, headers, body.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("server listens");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() || method == "POST" {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("Connection: close\r\n\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    // Read by Content-Length: some servers keep the connection open.
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    let (head_end, length, chunked) = loop {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "connection closed before the response headers");
        raw.extend_from_slice(&buf[..n]);
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse::<usize>().unwrap());
            break (split, length, head.contains("transfer-encoding: chunked"));
        }
    };
    loop {
        let body = &raw[head_end + 4..];
        let complete = match length {
            Some(n) => body.len() >= n,
            None if chunked => body.windows(5).any(|w| w == b"0\r\n\r\n"),
            None => false,
        };
        if complete {
            break;
        }
        let n = s.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let split = head_end;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if chunked {
        body = dechunk(&body);
    }
    (status, headers, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).split(';').next().unwrap().trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}

/// Polls `f` until it returns `Some`, failing with `what` after `secs`.
pub fn wait_for<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < until, "timed out after {secs} s waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

const INSTALL: &str = "the browser tests need Chromium and its driver: apt-get install -y chromium chromium-driver (or set IE_HARNESS_CHROMIUM and IE_HARNESS_CHROMEDRIVER to their paths)";

/// Headless Chromium driven over WebDriver (chromedriver on a free port).
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: std::path::PathBuf,
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium. Panics (the test
    /// fails, never skips) when either is missing.
    pub fn start(profile: &Path) -> Browser {
        let chromium = std::env::var("IE_HARNESS_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let chromedriver = std::env::var("IE_HARNESS_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        for p in [&chromium, &chromedriver] {
            assert!(Path::new(p).exists(), "{p} not found: {INSTALL}");
        }
        // A process group of its own, holding Chromium too: dropping the
        // Browser ends them all, even after a failure mid-session.
        let mut driver = Command::new(&chromedriver)
            .arg("--port=0")
            .process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{chromedriver}: {e}: {INSTALL}"));
        let mut out = BufReader::new(driver.stdout.take().unwrap());
        let mut port = None;
        for _ in 0..20 {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if let Some(p) = line
                .trim()
                .strip_prefix("ChromeDriver was started successfully on port ")
            {
                port = p.trim_end_matches('.').parse().ok();
                break;
            }
        }
        // Keep draining its stdout so it never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let port = port.unwrap_or_else(|| panic!("chromedriver did not start: {INSTALL}"));
        let _ = std::fs::remove_dir_all(profile);
        std::fs::create_dir_all(profile).unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1400,900", "--force-device-scale-factor=1",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }}});
        let mut b = Browser {
            driver,
            port,
            session: String::new(),
            profile: profile.to_path_buf(),
        };
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {v}: {INSTALL}"))
            .to_string();
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let host = format!("127.0.0.1:{}", self.port);
        let (status, _, bytes) = request(
            self.port,
            method,
            path,
            &[("Host", &host)],
            body.map(|b| b.to_string()).as_deref(),
        );
        let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert!(status == 200, "WebDriver {method} {path}: HTTP {status}: {v}");
        v["value"].clone()
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", &self.session_path("/url"), Some(json!({ "url": url })));
    }

    /// Runs a script in the page (`return …` gives its value).
    pub fn js(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.session_path("/execute/sync"),
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Waits until `expr` (a JS expression) is truthy, and returns its value.
    pub fn wait(&self, secs: u64, expr: &str) -> Value {
        let script = format!("try {{ return ({expr}) || null; }} catch (e) {{ return null; }}");
        wait_for(secs, expr, || Some(self.js(&script)).filter(|v| !v.is_null()))
    }

    /// Presses keys as a person would (trusted key events): each string is
    /// one key, WebDriver codes for special keys; `mods` are held throughout.
    pub fn keys(&self, mods: &[&str], keys: &[&str]) {
        let mut actions = Vec::new();
        for m in mods {
            actions.push(json!({"type": "keyDown", "value": m}));
        }
        for k in keys {
            actions.push(json!({"type": "keyDown", "value": k}));
            actions.push(json!({"type": "keyUp", "value": k}));
        }
        for m in mods.iter().rev() {
            actions.push(json!({"type": "keyUp", "value": m}));
        }
        self.call(
            "POST",
            &self.session_path("/actions"),
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        );
        self.call("DELETE", &self.session_path("/actions"), None);
    }

    /// Types text into whatever has the focus.
    pub fn type_text(&self, text: &str) {
        let keys: Vec<String> = text.chars().map(String::from).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        self.keys(&[], &keys);
    }

    pub fn screenshot(&self, path: &Path) {
        let v = self.call("GET", &self.session_path("/screenshot"), None);
        std::fs::write(path, base64(v.as_str().unwrap())).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let host = format!("127.0.0.1:{}", self.port);
            let _ = request(self.port, "DELETE", &self.session_path(""), &[("Host", &host)], None);
        }
        // SAFETY: kill(2) on the process group this Browser started.
        unsafe {
            libc::kill(-(self.driver.id() as i32), libc::SIGKILL);
        }
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

pub const ENTER: &str = "\u{E007}";
pub const BACKSPACE: &str = "\u{E003}";
pub const CONTROL: &str = "\u{E009}";
pub const SHIFT: &str = "\u{E008}";
pub const LEFT: &str = "\u{E012}";
pub const RIGHT: &str = "\u{E014}";

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s.bytes().filter(|c| !matches!(c, b'=' | b'\n' | b'\r')).collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let v: Vec<u32> = chunk.iter().map(|&c| val(c) as u32).collect();
        let n = v.iter().enumerate().fold(0u32, |acc, (i, x)| acc | (x << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}
